package web

import (
	"encoding/json"
	"net/http"
	"sort"

	"sightline"
)

// apiSessionProperties serves GET /api/session/properties: the public
// settings, by key, for anyone; every setting for an administrator.
func (s *Server) apiSessionProperties(w http.ResponseWriter, r *http.Request) error {
	props, err := s.app.SessionProperties(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, props)
	return nil
}

// apiGetSetting serves GET /api/setting/{key} (administrators only): the
// setting's value alone, typed.
func (s *Server) apiGetSetting(w http.ResponseWriter, r *http.Request) error {
	st, err := s.app.SettingValue(r.Context(), userFrom(r.Context()), r.PathValue("key"))
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, st.Typed())
	return nil
}

// apiPutSettings serves PUT /api/setting (administrators only): a map of
// keys to values, every one checked before any is stored, and all stored
// together or none.
func (s *Server) apiPutSettings(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminUser(r); err != nil {
		return err
	}
	var in map[string]json.RawMessage
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if len(in) == 0 {
		return sightline.Errorf(sightline.EINVALID, "Send an object of setting keys and their new values.")
	}
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	// Checked in key order, so that the same body always names the same
	// first problem.
	sort.Strings(keys)
	kv := make(map[string]string, len(in))
	for _, k := range keys {
		if _, ok := sightline.LookupSetting(k); !ok {
			return sightline.Errorf(sightline.EINVALID, "Unknown setting %q: nothing was changed.", k)
		}
		var v any
		if err := json.Unmarshal(in[k], &v); err != nil {
			return sightline.Errorf(sightline.EINVALID, "The value of %s could not be read: nothing was changed.", k)
		}
		str, err := settingValueString(v)
		if err != nil {
			return sightline.Errorf(sightline.EINVALID, "%s: %s Nothing was changed.", k, sightline.ErrorMessage(err))
		}
		if err := checkAppearanceValue(k, str); err != nil {
			return err
		}
		kv[k] = str
	}
	if err := s.app.UpdateSettings(r.Context(), userFrom(r.Context()), kv); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
