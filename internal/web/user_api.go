package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"sightline"
	"sightline/internal/app"
)

// attributeValues turns the values of a login_attributes map into the
// strings Sightline keeps: strings as they are, numbers and booleans as
// they print. Objects, lists and null are refused, naming the attribute.
func attributeValues(in map[string]json.RawMessage) (map[string]string, error) {
	out := make(map[string]string, len(in))
	for k, raw := range in {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, sightline.Errorf(sightline.EINVALID, "The value of the attribute %q could not be read.", k)
		}
		switch x := v.(type) {
		case string:
			out[k] = x
		case bool:
			out[k] = strconv.FormatBool(x)
		case float64:
			out[k] = formatNumber(x)
		default:
			return nil, sightline.Errorf(sightline.EINVALID, "The attribute %q must be a string, a number or a boolean.", k)
		}
	}
	return out, nil
}

// userAttributesBody is the body of PUT /api/mt/user/{id}/attributes.
type userAttributesBody struct {
	Attributes map[string]json.RawMessage `json:"login_attributes"`
}

// apiSetUserAttributes serves PUT /api/mt/user/{id}/attributes
// ({"login_attributes": {...}}, administrators only): the person's
// hand-set attributes become exactly those given; null or {} clears them.
// Attributes from sign-in tokens are not touched. The answer is true.
func (s *Server) apiSetUserAttributes(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in userAttributesBody
	if err := decodeJSONLoose(r, &in); err != nil {
		return err
	}
	attrs, err := attributeValues(in.Attributes)
	if err != nil {
		return err
	}
	if _, err := s.app.UpdateUser(r.Context(), userFrom(r.Context()), id, app.UserEdit{Attributes: attrs}); err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, true)
	return nil
}
