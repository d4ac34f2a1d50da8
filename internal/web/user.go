package web

import (
	"net/http"
	"strconv"

	"sightline"
	"sightline/internal/app"
)

// userJSON is the API form of a user, with the reference vendor's names.
func userJSON(u *sightline.User) map[string]any {
	ids := make([]int64, 0, len(u.Groups))
	groups := make([]map[string]any, 0, len(u.Groups))
	for _, g := range u.Groups {
		ids = append(ids, g.ID)
		groups = append(groups, map[string]any{"id": g.ID, "name": g.Name})
	}
	return map[string]any{
		"id": u.ID, "email": u.Email, "first_name": u.FirstName, "last_name": u.LastName,
		"common_name": u.CommonName(), "is_superuser": u.IsAdmin, "is_active": u.Active,
		"sso_source": nilIfEmpty(u.SSOSource), "group_ids": ids, "user_group_memberships": groups,
		"login_attributes": u.EffectiveAttributes(), "jwt_attributes": u.LoginAttributes, "attributes": u.Attributes,
		"date_joined": u.CreatedAt, "last_login": u.LastLogin,
	}
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
	s.writeJSON(w, http.StatusOK, userJSON(u))
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
	u, err := s.app.User(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, userJSON(u))
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
	u, err := s.app.User(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, userJSON(u))
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
		Flash: q.Get("flash"), Data: map[string]any{"Users": users, "Groups": groups, "Query": q.Get("query"), "Status": q.Get("status")}})
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
	http.Redirect(w, r, "/admin/people?flash="+urlQueryEscape(created.Email+" was added."), http.StatusSeeOther)
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
	status := ""
	if !active {
		status = "&status=deactivated"
	}
	http.Redirect(w, r, "/admin/people?flash=Saved."+status, http.StatusSeeOther)
	return nil
}
