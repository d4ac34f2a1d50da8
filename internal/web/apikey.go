package web

import (
	"net/http"
	"strconv"
	"time"

	"sightline"
	"sightline/internal/app"
)

// apiKeyJSON is an API key in the reference vendor's shape. UnmaskedKey is
// sent only by create and regenerate, the one time the secret exists
// outside the client.
type apiKeyJSON struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	Group       apiKeyGroup     `json:"group"`
	MaskedKey   string          `json:"masked_key"`
	UnmaskedKey string          `json:"unmasked_key,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
	UpdatedBy   apiKeyUpdatedBy `json:"updated_by"`
}

type apiKeyGroup struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type apiKeyUpdatedBy struct {
	ID         int64  `json:"id"`
	CommonName string `json:"common_name"`
}

func toAPIKeyJSON(k *sightline.APIKey, secret string) apiKeyJSON {
	return apiKeyJSON{
		ID: k.ID, Name: k.Name, Group: apiKeyGroup{ID: k.GroupID, Name: k.GroupName},
		MaskedKey: k.MaskedKey(), UnmaskedKey: secret, CreatedAt: k.CreatedAt, UpdatedAt: k.UpdatedAt,
		UpdatedBy: apiKeyUpdatedBy{ID: k.UpdatedBy, CommonName: k.UpdatedByName},
	}
}

// apiListAPIKeys serves GET /api/api-key (and /api/api-key/, as the
// vendor documents it): every key, masked, for an
// administrator.
func (s *Server) apiListAPIKeys(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	keys, err := s.app.APIKeys(r.Context(), u)
	if err != nil {
		return err
	}
	out := make([]apiKeyJSON, 0, len(keys))
	for _, k := range keys {
		out = append(out, toAPIKeyJSON(k, ""))
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}

// apiCountAPIKeys serves GET /api/api-key/count: the number of keys.
func (s *Server) apiCountAPIKeys(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	keys, err := s.app.APIKeys(r.Context(), u)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, len(keys))
	return nil
}

// apiKeyCreateBody is the body of POST /api/api-key.
type apiKeyCreateBody struct {
	Name    string `json:"name"`
	GroupID int64  `json:"group_id"`
}

// apiCreateAPIKey serves POST /api/api-key (or /api/api-key/) {name, group_id}: the new key
// with its secret in unmasked_key, shown this once.
func (s *Server) apiCreateAPIKey(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	var in apiKeyCreateBody
	if err := decodeJSONLoose(r, &in); err != nil {
		return err
	}
	k, secret, err := s.app.CreateAPIKey(r.Context(), u, in.Name, in.GroupID)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, toAPIKeyJSON(k, secret))
	return nil
}

// apiKeyUpdateBody is the body of PUT /api/api-key/{id}; absent fields keep their values.
type apiKeyUpdateBody struct {
	Name    *string `json:"name"`
	GroupID *int64  `json:"group_id"`
}

// apiUpdateAPIKey serves PUT /api/api-key/{id} {name?, group_id?}.
func (s *Server) apiUpdateAPIKey(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, false)
	if err != nil {
		return err
	}
	var in apiKeyUpdateBody
	if err := decodeJSONLoose(r, &in); err != nil {
		return err
	}
	k, err := s.app.UpdateAPIKey(r.Context(), u, id, app.APIKeyUpdate{Name: in.Name, GroupID: in.GroupID})
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, toAPIKeyJSON(k, ""))
	return nil
}

// apiRegenerateAPIKey serves PUT /api/api-key/{id}/regenerate: the key
// with a new secret in unmasked_key; the old secret stops working.
func (s *Server) apiRegenerateAPIKey(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, false)
	if err != nil {
		return err
	}
	k, secret, err := s.app.RegenerateAPIKey(r.Context(), u, id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, toAPIKeyJSON(k, secret))
	return nil
}

// apiDeleteAPIKey serves DELETE /api/api-key/{id}: 204, and the key stops
// working.
func (s *Server) apiDeleteAPIKey(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, false)
	if err != nil {
		return err
	}
	if err := s.app.DeleteAPIKey(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiKeysPage is the data of Admin > Settings > API keys.
type apiKeysPage struct {
	Keys   []*sightline.APIKey
	Groups []sightline.Group
	// NewKey is a secret made by this request, shown once; NewKeyName
	// names its key.
	NewKey, NewKeyName string
}

// adminAPIKeysPage serves GET /admin/settings/api-keys: the keys (masked)
// and a form to create one.
func (s *Server) adminAPIKeysPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireAdminUser(r)
	if err != nil {
		return err
	}
	return s.renderAPIKeys(w, r, u, http.StatusOK, apiKeysPage{}, flashFrom(r), "")
}

// renderAPIKeys renders the API keys page with d's secret, a flash or an
// error message.
func (s *Server) renderAPIKeys(w http.ResponseWriter, r *http.Request, u *sightline.User, status int, d apiKeysPage, flash, msg string) error {
	keys, err := s.app.APIKeys(r.Context(), u)
	if err != nil {
		return err
	}
	groups, err := s.app.Groups(r.Context(), u)
	if err != nil {
		return err
	}
	d.Keys, d.Groups = keys, groups
	s.render(w, r, status, "admin_api_keys", pageData{Title: "API keys", Shell: defaultShell("admin"), Flash: flash, Error: msg, Data: d})
	return nil
}

// formGroupID reads the group_id field of a form; an unreadable one is 0,
// which the app refuses with a message.
func formGroupID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PostFormValue("group_id"), 10, 64)
	return id
}

// adminCreateAPIKey serves POST /admin/settings/api-keys (name, group_id):
// the page again, showing the new key once.
func (s *Server) adminCreateAPIKey(w http.ResponseWriter, r *http.Request) error {
	u, err := requireAdminUser(r)
	if err != nil {
		return err
	}
	k, secret, err := s.app.CreateAPIKey(r.Context(), u, r.PostFormValue("name"), formGroupID(r))
	if err != nil {
		return formError(err, func(status int, msg string) error { return s.renderAPIKeys(w, r, u, status, apiKeysPage{}, "", msg) })
	}
	return s.renderAPIKeys(w, r, u, http.StatusOK, apiKeysPage{NewKey: secret, NewKeyName: k.Name}, "The API key "+k.Name+" was created.", "")
}

// adminUpdateAPIKey serves POST /admin/settings/api-keys/{id} (name,
// group_id).
func (s *Server) adminUpdateAPIKey(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, true)
	if err != nil {
		return err
	}
	name, group := r.PostFormValue("name"), formGroupID(r)
	k, err := s.app.UpdateAPIKey(r.Context(), u, id, app.APIKeyUpdate{Name: &name, GroupID: &group})
	if err != nil {
		return formError(err, func(status int, msg string) error { return s.renderAPIKeys(w, r, u, status, apiKeysPage{}, "", msg) })
	}
	seeOther(w, r, "/admin/settings/api-keys", "The API key "+k.Name+" was saved.")
	return nil
}

// adminRegenerateAPIKey serves POST /admin/settings/api-keys/{id}/regenerate:
// the page again, showing the new secret once.
func (s *Server) adminRegenerateAPIKey(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, true)
	if err != nil {
		return err
	}
	k, secret, err := s.app.RegenerateAPIKey(r.Context(), u, id)
	if err != nil {
		return err
	}
	return s.renderAPIKeys(w, r, u, http.StatusOK, apiKeysPage{NewKey: secret, NewKeyName: k.Name},
		"The API key "+k.Name+" has a new secret; the old one no longer works.", "")
}

// adminDeleteAPIKey serves POST /admin/settings/api-keys/{id}/delete.
func (s *Server) adminDeleteAPIKey(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, true)
	if err != nil {
		return err
	}
	if err := s.app.DeleteAPIKey(r.Context(), u, id); err != nil {
		return err
	}
	seeOther(w, r, "/admin/settings/api-keys", "The API key was deleted.")
	return nil
}
