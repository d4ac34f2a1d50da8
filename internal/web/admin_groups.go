package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"sightline"
	"sightline/internal/access"
)

// groupMember is one row of a group page: a person and whether they manage
// the group.
type groupMember struct {
	User    *sightline.User
	Manager bool
}

// groupPage is the data of Admin > People > Groups > a group.
type groupPage struct {
	Group   sightline.Group
	Members []groupMember
	// Candidates are the active people not in the group that the viewer
	// may list, suggested by "Add someone".
	Candidates []*sightline.User
	// CanManagers is false for the built-in groups, which have no managers,
	// and for group managers, who cannot make managers.
	CanManagers bool
}

// adminGroupsPage serves GET /admin/groups: every group with its member
// count, and forms to create, rename and delete groups.
func (s *Server) adminGroupsPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	return s.renderGroups(w, r, u, http.StatusOK, flashFrom(r), "")
}

// renderGroups renders the group list with a flash or an error message.
func (s *Server) renderGroups(w http.ResponseWriter, r *http.Request, u *sightline.User, status int, flash, msg string) error {
	groups, err := s.app.Groups(r.Context(), u)
	if err != nil {
		return err
	}
	s.render(w, r, status, "admin_groups", pageData{Title: "Groups", Shell: defaultShell("admin"), Flash: flash, Error: msg,
		Data: map[string]any{"Groups": groups}})
	return nil
}

// formError re-renders a form page for errors a person can fix (invalid
// input, a conflict) and returns any other error for the error page.
func formError(err error, rerender func(status int, msg string) error) error {
	if code := sightline.ErrorCode(err); code == sightline.EINVALID || code == sightline.ECONFLICT {
		return rerender(statusOf(code), sightline.ErrorMessage(err))
	}
	return err
}

// adminCreateGroup serves POST /admin/groups (name).
func (s *Server) adminCreateGroup(w http.ResponseWriter, r *http.Request) error {
	u, err := requireAdminUser(r)
	if err != nil {
		return err
	}
	g, err := s.app.CreateGroup(r.Context(), u, r.PostFormValue("name"))
	if err != nil {
		return formError(err, func(status int, msg string) error { return s.renderGroups(w, r, u, status, "", msg) })
	}
	seeOther(w, r, "/admin/groups", "The group "+g.Name+" was created.")
	return nil
}

// adminRenameGroup serves POST /admin/groups/{id}/rename (name).
func (s *Server) adminRenameGroup(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, true)
	if err != nil {
		return err
	}
	g, err := s.app.RenameGroup(r.Context(), u, id, r.PostFormValue("name"))
	if err != nil {
		return formError(err, func(status int, msg string) error { return s.renderGroups(w, r, u, status, "", msg) })
	}
	seeOther(w, r, "/admin/groups", "Renamed to "+g.Name+".")
	return nil
}

// adminDeleteGroup serves POST /admin/groups/{id}/delete. The built-in
// groups are refused with a message.
func (s *Server) adminDeleteGroup(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, true)
	if err != nil {
		return err
	}
	if err := s.app.DeleteGroup(r.Context(), u, id); err != nil {
		return formError(err, func(status int, msg string) error { return s.renderGroups(w, r, u, status, "", msg) })
	}
	seeOther(w, r, "/admin/groups", "The group was deleted.")
	return nil
}

// loadGroupPage gathers a group's members and the people who could join.
func (s *Server) loadGroupPage(ctx context.Context, u *sightline.User, id int64) (*groupPage, error) {
	groups, err := s.app.Groups(ctx, u)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(groups, func(g sightline.Group) bool { return g.ID == id })
	if i < 0 {
		return nil, sightline.Errorf(sightline.ENOTFOUND, "Group not found.")
	}
	memberships, err := s.app.Memberships(ctx, u)
	if err != nil {
		return nil, err
	}
	// Administrators see deactivated members too, and may pick anyone; a
	// group manager sees only the active members of their groups and adds
	// others by their exact email.
	status := "active"
	if u.IsAdmin {
		status = "all"
	}
	users, err := s.app.ListUsers(ctx, u, "", status)
	if err != nil {
		return nil, err
	}
	p := &groupPage{Group: groups[i], CanManagers: !groups[i].BuiltIn() && u.IsAdmin}
	manager := map[int64]bool{}
	for _, m := range memberships {
		if m.GroupID == id {
			manager[m.UserID] = m.Manager
		}
	}
	for _, usr := range users {
		isManager, member := manager[usr.ID]
		if id == sightline.AllUsersGroupID {
			member = true
		}
		switch {
		case member:
			p.Members = append(p.Members, groupMember{User: usr, Manager: isManager})
		case usr.Active:
			p.Candidates = append(p.Candidates, usr)
		}
	}
	return p, nil
}

// adminGroupPage serves GET /admin/groups/{id}: the members, with forms to
// add and remove them and to make them managers of the group.
func (s *Server) adminGroupPage(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, false)
	if err != nil {
		return err
	}
	return s.renderGroup(w, r, u, id, http.StatusOK, flashFrom(r), "")
}

// renderGroup renders a group page with a flash or an error message.
func (s *Server) renderGroup(w http.ResponseWriter, r *http.Request, u *sightline.User, id int64, status int, flash, msg string) error {
	p, err := s.loadGroupPage(r.Context(), u, id)
	if err != nil {
		return err
	}
	s.render(w, r, status, "admin_group", pageData{Title: p.Group.Name, Shell: defaultShell("admin"), Flash: flash, Error: msg, Data: p})
	return nil
}

// memberEmail is the email typed in the add-member form: an email, or
// "Name <email>" as the suggestions show it.
func memberEmail(r *http.Request) string {
	text := strings.TrimSpace(r.PostFormValue("user"))
	if i, j := strings.LastIndex(text, "<"), strings.LastIndex(text, ">"); i >= 0 && j > i {
		text = text[i+1 : j]
	}
	return text
}

// adminAddMember serves POST /admin/groups/{id}/members (user_id, or user as
// an email).
func (s *Server) adminAddMember(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, false)
	if err != nil {
		return err
	}
	if v := r.PostFormValue("user_id"); v != "" {
		uid, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || uid <= 0 {
			err = sightline.Errorf(sightline.EINVALID, "Choose someone to add.")
		} else {
			err = s.app.AddMembership(r.Context(), u, access.Membership{GroupID: id, UserID: uid})
		}
	} else {
		err = s.app.AddMemberByEmail(r.Context(), u, id, memberEmail(r))
	}
	if err != nil {
		return formError(err, func(status int, msg string) error { return s.renderGroup(w, r, u, id, status, "", msg) })
	}
	seeOther(w, r, "/admin/groups/"+itoa64(id), "Added.")
	return nil
}

// adminRemoveMember serves POST /admin/groups/{id}/members/{user}/remove.
func (s *Server) adminRemoveMember(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, false)
	if err != nil {
		return err
	}
	uid, err := pathID(r, "user")
	if err != nil {
		return err
	}
	if err := s.app.RemoveMembership(r.Context(), u, id, uid); err != nil {
		return formError(err, func(status int, msg string) error { return s.renderGroup(w, r, u, id, status, "", msg) })
	}
	seeOther(w, r, "/admin/groups/"+itoa64(id), "Removed.")
	return nil
}

// adminSetManager serves POST /admin/groups/{id}/members/{user}/manager
// (manager=true|false): group managers manage their group's members.
func (s *Server) adminSetManager(w http.ResponseWriter, r *http.Request) error {
	u, id, err := userAndID(r, false)
	if err != nil {
		return err
	}
	uid, err := pathID(r, "user")
	if err != nil {
		return err
	}
	m := access.Membership{GroupID: id, UserID: uid, Manager: r.PostFormValue("manager") == "true"}
	if err := s.app.AddMembership(r.Context(), u, m); err != nil {
		return formError(err, func(status int, msg string) error { return s.renderGroup(w, r, u, id, status, "", msg) })
	}
	flash := "No longer a manager of this group."
	if m.Manager {
		flash = "Now a manager of this group."
	}
	seeOther(w, r, "/admin/groups/"+itoa64(id), flash)
	return nil
}

// itoa64 formats an id for a URL or a JSON key.
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
