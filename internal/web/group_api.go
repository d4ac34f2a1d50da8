package web

import (
	"net/http"

	"sightline"
	"sightline/internal/access"
)

// groupMemberJSON is one member of GET /api/permissions/group/{id}.
type groupMemberJSON struct {
	UserID       int64  `json:"user_id"`
	Email        string `json:"email"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	CommonName   string `json:"common_name"`
	MembershipID string `json:"membership_id"`
	Manager      bool   `json:"is_group_manager"`
}

// groupJSON is a group with its members, in the reference vendor's shape.
type groupJSON struct {
	*sightline.Group
	Members []groupMemberJSON `json:"members"`
}

// apiGetGroup serves GET /api/permissions/group/{id}: the group and its
// members, for administrators and the group's managers.
func (s *Server) apiGetGroup(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	g, ms, err := s.app.GroupWithMembers(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	out := groupJSON{Group: g, Members: make([]groupMemberJSON, 0, len(ms))}
	for _, m := range ms {
		out.Members = append(out.Members, groupMemberJSON{UserID: m.User.ID, Email: m.User.Email, FirstName: m.User.FirstName,
			LastName: m.User.LastName, CommonName: m.User.CommonName(), Manager: m.Manager,
			MembershipID: membershipID(access.Membership{GroupID: g.ID, UserID: m.User.ID})})
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}

// apiClearGroup serves PUT /api/permissions/membership/{id}/clear: every
// member of group id leaves it.
func (s *Server) apiClearGroup(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.ClearGroupMembers(r.Context(), userFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiPermissionGraphOfDB serves GET /api/permissions/graph/db/{id}.
func (s *Server) apiPermissionGraphOfDB(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	g, err := s.app.DataPermissionGraphOf(r.Context(), userFrom(r.Context()), id, 0)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, g)
	return nil
}

// apiPermissionGraphOfGroup serves GET /api/permissions/graph/group/{id}.
func (s *Server) apiPermissionGraphOfGroup(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	g, err := s.app.DataPermissionGraphOf(r.Context(), userFrom(r.Context()), 0, id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, g)
	return nil
}
