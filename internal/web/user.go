package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"sightline"
	"sightline/internal/app"
)

// userJSON is the API form of a user, with the reference vendor's names.
func userJSON(u *sightline.User) map[string]any {
	ids := make([]int64, 0, len(u.Groups))
	groups := make([]map[string]any, 0, len(u.Groups))
	for _, g := range u.Groups {
		ids = append(ids, g.ID)
		groups = append(groups, map[string]any{"id": g.ID, "name": g.Name, "is_group_manager": g.Manager})
	}
	return map[string]any{
		"id": u.ID, "email": u.Email, "first_name": u.FirstName, "last_name": u.LastName,
		"common_name": u.CommonName(), "is_superuser": u.IsAdmin, "is_active": u.Active,
		"sso_source": nilIfEmpty(u.SSOSource), "group_ids": ids, "user_group_memberships": groups,
		"login_attributes": attributeMap(u.Attributes), "jwt_attributes": attributeMap(u.LoginAttributes),
		"structured_attributes": structuredAttributes(u), "date_joined": u.CreatedAt, "last_login": u.LastLogin,
	}
}

// attributeMap is m as a JSON object, never null.
func attributeMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// structuredAttribute is one attribute with where its value comes from, in
// the reference vendor's shape: source "user" for a hand-set value, "jwt"
// for one from the last sign-in token; Original is the token value a
// hand-set one overrides.
type structuredAttribute struct {
	Source   string               `json:"source"`
	Frozen   bool                 `json:"frozen"`
	Value    string               `json:"value"`
	Original *structuredAttribute `json:"original,omitempty"`
}

// structuredAttributes is the attributes u's sandboxes see, each with its
// source. Only login_attributes are hand-set: a client that sends back
// what it read stores nothing from a token as hand-set.
func structuredAttributes(u *sightline.User) map[string]structuredAttribute {
	out := make(map[string]structuredAttribute, len(u.LoginAttributes)+len(u.Attributes))
	for k, v := range u.LoginAttributes {
		out[k] = structuredAttribute{Source: sightline.SignInJWT, Value: v}
	}
	for k, v := range u.Attributes {
		a := structuredAttribute{Source: "user", Value: v}
		if jwt, ok := u.LoginAttributes[k]; ok {
			a.Original = &structuredAttribute{Source: sightline.SignInJWT, Value: jwt}
		}
		out[k] = a
	}
	return out
}

// ownUserJSON is userJSON for a person reading their own record: only
// administrators and group managers learn which groups they are in.
func ownUserJSON(u *sightline.User) map[string]any {
	m := userJSON(u)
	if !u.IsAdmin && !u.ManagesGroups() {
		delete(m, "group_ids")
		delete(m, "user_group_memberships")
	}
	return m
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, sightline.Errorf(sightline.ENOTFOUND, "Not found.")
	}
	return id, nil
}

// apiCurrentUser serves GET /api/user/current.
func (s *Server) apiCurrentUser(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, ownUserJSON(u))
	return nil
}

// apiListUsers serves GET /api/user?query=&status=.
func (s *Server) apiListUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.app.ListUsers(r.Context(), userFrom(r.Context()), r.URL.Query().Get("query"), r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	data := make([]map[string]any, 0, len(users))
	for _, u := range users {
		data = append(data, userJSON(u))
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"data": data, "total": len(data)})
	return nil
}

// apiCreateUser serves POST /api/user.
func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) error {
	var in app.NewUserInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, err := s.app.CreateUser(r.Context(), userFrom(r.Context()), in)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, userJSON(u))
	return nil
}

// apiGetUser serves GET /api/user/{id}.
func (s *Server) apiGetUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := userFrom(r.Context())
	u, err := s.app.User(r.Context(), actor, id)
	if err != nil {
		return err
	}
	if actor.IsAdmin {
		s.writeJSON(w, http.StatusOK, userJSON(u))
	} else {
		s.writeJSON(w, http.StatusOK, ownUserJSON(u))
	}
	return nil
}

// apiDeactivateUser serves DELETE /api/user/{id}.
func (s *Server) apiDeactivateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.SetUserActive(r.Context(), userFrom(r.Context()), id, false); err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, map[string]bool{"success": true})
	return nil
}

// apiReactivateUser serves PUT /api/user/{id}/reactivate.
func (s *Server) apiReactivateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.SetUserActive(r.Context(), userFrom(r.Context()), id, true); err != nil {
		return err
	}
	actor := userFrom(r.Context())
	u, err := s.app.User(r.Context(), actor, id)
	if err != nil {
		return err
	}
	if actor.IsAdmin {
		s.writeJSON(w, http.StatusOK, userJSON(u))
	} else {
		s.writeJSON(w, http.StatusOK, ownUserJSON(u))
	}
	return nil
}

// apiListGroups serves GET /api/permissions/group.
func (s *Server) apiListGroups(w http.ResponseWriter, r *http.Request) error {
	groups, err := s.app.Groups(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, groups)
	return nil
}

// adminPeoplePage serves GET /admin/people; with htmx it returns only the
// user list for the search box.
func (s *Server) adminPeoplePage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	users, err := s.app.ListUsers(r.Context(), u, q.Get("query"), q.Get("status"))
	if err != nil {
		return err
	}
	groups, err := s.app.Groups(r.Context(), u)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_people", pageData{Title: "People", Shell: defaultShell("admin"),
		Flash: flashFrom(r), Data: map[string]any{"Users": users, "Groups": groups, "Query": q.Get("query"), "Status": q.Get("status")}})
	return nil
}

// adminCreateUser serves POST /admin/people.
func (s *Server) adminCreateUser(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	in := app.NewUserInput{FirstName: r.PostFormValue("first_name"), LastName: r.PostFormValue("last_name"),
		Email: r.PostFormValue("email"), Password: r.PostFormValue("password"), Admin: r.PostFormValue("is_superuser") == "on"}
	created, err := s.app.CreateUser(r.Context(), u, in)
	if err != nil {
		if code := sightline.ErrorCode(err); code == sightline.EINVALID || code == sightline.ECONFLICT {
			users, lerr := s.app.ListUsers(r.Context(), u, "", "")
			if lerr != nil {
				return lerr
			}
			groups, gerr := s.app.Groups(r.Context(), u)
			if gerr != nil {
				return gerr
			}
			s.render(w, r, statusOf(code), "admin_people", pageData{Title: "People", Shell: defaultShell("admin"),
				Error: sightline.ErrorMessage(err), Data: map[string]any{"Users": users, "Groups": groups, "Form": in}})
			return nil
		}
		return err
	}
	seeOther(w, r, "/admin/people", created.Email+" was added.")
	return nil
}

// adminSetActive serves POST /admin/people/{id}/active (active=true|false).
func (s *Server) adminSetActive(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	active := r.PostFormValue("active") == "true"
	if err := s.app.SetUserActive(r.Context(), userFrom(r.Context()), id, active); err != nil {
		return err
	}
	var q url.Values
	if !active {
		q = url.Values{"status": {"deactivated"}}
	}
	http.Redirect(w, r, flashURL(r, "/admin/people", q, "Saved."), http.StatusSeeOther)
	return nil
}

// userUpdateBody is the body of PUT /api/user/{id}: the person's fields and their groups.
type userUpdateBody struct {
	app.UserEdit
	app.AccessEdit
}

// apiUpdateUser serves PUT /api/user/{id}: first_name, last_name, email and
// login_attributes (the hand-set attributes), is_superuser,
// user_group_memberships (the complete list of groups) and locale, each
// optional. Group managers may send memberships of their groups alone.
func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in userUpdateBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, err := s.app.UpdateUserWithAccess(r.Context(), userFrom(r.Context()), id, in.UserEdit, in.AccessEdit)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, userJSON(u))
	return nil
}

// passwordBody is the body of PUT /api/user/{id}/password.
type passwordBody struct {
	Password string `json:"password"`
}

// apiResetPassword serves PUT /api/user/{id}/password {"password": "..."}.
func (s *Server) apiResetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in passwordBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.ResetPassword(r.Context(), userFrom(r.Context()), id, in.Password); err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, map[string]bool{"success": true})
	return nil
}

// attributeRow is one key/value row of the person form.
type attributeRow struct{ Key, Value string }

// personPage is the data of Admin > People > a person.
type personPage struct {
	Person *sightline.User
	// Attributes are the hand-set attributes, sorted, with empty rows to
	// add more; Token are the ones the last sign-in token carried.
	Attributes []attributeRow
	Token      []attributeRow
}

// sortedAttributes lists m's keys and values in key order.
func sortedAttributes(m map[string]string) []attributeRow {
	out := make([]attributeRow, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, attributeRow{k, m[k]})
	}
	return out
}

// renderPerson renders the person form, with rows as typed when given.
func (s *Server) renderPerson(w http.ResponseWriter, r *http.Request, actor *sightline.User, id int64, rows []attributeRow, status int, flash, msg string) error {
	p, err := s.app.User(r.Context(), actor, id)
	if err != nil {
		return err
	}
	if rows == nil {
		rows = sortedAttributes(p.Attributes)
	}
	rows = append(rows, attributeRow{}, attributeRow{})
	s.render(w, r, status, "admin_person", pageData{Title: p.CommonName(), Shell: defaultShell("admin"), Flash: flash, Error: msg,
		Data: personPage{Person: p, Attributes: rows, Token: sortedAttributes(p.LoginAttributes)}})
	return nil
}

// adminPersonPage serves GET /admin/people/{id}: a person's names, email
// and attributes to edit, and a password reset.
func (s *Server) adminPersonPage(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, true)
	if err != nil {
		return err
	}
	return s.renderPerson(w, r, u, id, nil, http.StatusOK, flashFrom(r), "")
}

// adminUpdatePerson serves POST /admin/people/{id}: first_name, last_name,
// email and the attribute rows (attr_key and attr_value, in pairs; a row
// without a name or value is dropped, a value without a name is an error).
func (s *Server) adminUpdatePerson(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, true)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return sightline.Errorf(sightline.EINVALID, "The form could not be read.")
	}
	keys, values := r.PostForm["attr_key"], r.PostForm["attr_value"]
	if len(keys) != len(values) {
		return sightline.Errorf(sightline.EINVALID, "The attributes in the form do not pair up.")
	}
	attrs := map[string]string{}
	var rows []attributeRow
	var rowErr error
	for i, k := range keys {
		k, v := strings.TrimSpace(k), values[i]
		if k == "" && strings.TrimSpace(v) == "" {
			continue
		}
		rows = append(rows, attributeRow{k, v})
		switch _, dup := attrs[k]; {
		case k == "":
			rowErr = sightline.Errorf(sightline.EINVALID, "The value %q needs an attribute name.", v)
		case dup:
			rowErr = sightline.Errorf(sightline.EINVALID, "The attribute %s is there twice.", k)
		}
		attrs[k] = v
	}
	first, last, email := r.PostFormValue("first_name"), r.PostFormValue("last_name"), r.PostFormValue("email")
	rerender := func(status int, msg string) error { return s.renderPerson(w, r, u, id, rows, status, "", msg) }
	if rowErr != nil {
		return formError(rowErr, rerender)
	}
	if _, err := s.app.UpdateUser(r.Context(), u, id, app.UserEdit{FirstName: &first, LastName: &last, Email: &email, Attributes: attrs}); err != nil {
		return formError(err, rerender)
	}
	seeOther(w, r, "/admin/people/"+itoa64(id), "Saved.")
	return nil
}

// adminResetPassword serves POST /admin/people/{id}/password (password):
// the person's sessions end.
func (s *Server) adminResetPassword(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, true)
	if err != nil {
		return err
	}
	if err := s.app.ResetPassword(r.Context(), u, id, r.PostFormValue("password")); err != nil {
		return formError(err, func(status int, msg string) error { return s.renderPerson(w, r, u, id, nil, status, "", msg) })
	}
	seeOther(w, r, "/admin/people/"+itoa64(id), "The password was reset; their sessions have ended.")
	return nil
}
