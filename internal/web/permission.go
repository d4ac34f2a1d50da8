package web

import (
	"net/http"
	"strconv"
	"strings"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/sandbox"
)

// apiPermissionGraph serves GET /api/permissions/graph.
func (s *Server) apiPermissionGraph(w http.ResponseWriter, r *http.Request) error {
	g, err := s.app.DataPermissionGraph(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, g)
	return nil
}

// permissionGraphBody is the body of PUT /api/permissions/graph: the graph and, optionally, sandboxes saved with it.
type permissionGraphBody struct {
	access.WireGraph
	Sandboxes []sandbox.Policy `json:"sandboxes"`
}

// apiPutPermissionGraph serves PUT /api/permissions/graph: the groups and
// databases named get the grants given, at the revision given; a stale
// revision is 409 and saves nothing. Sandboxes sent under "sandboxes" are
// saved in the same transaction, and come back under the same key.
func (s *Server) apiPutPermissionGraph(w http.ResponseWriter, r *http.Request) error {
	var in permissionGraphBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	g, saved, err := s.app.SaveDataPermissionGraphWithSandboxes(r.Context(), userFrom(r.Context()), in.WireGraph, in.Sandboxes)
	if err != nil {
		return err
	}
	if in.Sandboxes == nil {
		s.writeJSON(w, http.StatusOK, g)
		return nil
	}
	s.writeJSON(w, http.StatusOK, struct {
		*access.WireGraph
		Sandboxes []sandbox.Policy `json:"sandboxes"`
	}{g, saved})
	return nil
}

// apiCollectionGraph serves GET /api/collection/graph.
func (s *Server) apiCollectionGraph(w http.ResponseWriter, r *http.Request) error {
	g, err := s.app.CollectionPermissionGraph(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, g)
	return nil
}

// collectionGraphInput is a PUT /api/collection/graph body: the graph, and
// whether each level also applies to the sub-collections it does not name.
type collectionGraphInput struct {
	Revision        int64                        `json:"revision"`
	Groups          map[string]map[string]string `json:"groups"`
	ApplyToChildren bool                         `json:"apply_to_children"`
}

// apiPutCollectionGraph serves PUT /api/collection/graph.
func (s *Server) apiPutCollectionGraph(w http.ResponseWriter, r *http.Request) error {
	var in collectionGraphInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	g, err := s.app.SaveCollectionPermissionGraph(r.Context(), userFrom(r.Context()),
		access.WireCollectionGraph{Revision: in.Revision, Groups: in.Groups}, in.ApplyToChildren)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, g)
	return nil
}

// groupInput is the body that creates or renames a group.
type groupInput struct {
	Name string `json:"name"`
}

// apiCreateGroup serves POST /api/permissions/group.
func (s *Server) apiCreateGroup(w http.ResponseWriter, r *http.Request) error {
	var in groupInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	g, err := s.app.CreateGroup(r.Context(), userFrom(r.Context()), in.Name)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, g)
	return nil
}

// apiRenameGroup serves PUT /api/permissions/group/{id}.
func (s *Server) apiRenameGroup(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in groupInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	g, err := s.app.RenameGroup(r.Context(), userFrom(r.Context()), id, in.Name)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, g)
	return nil
}

// apiDeleteGroup serves DELETE /api/permissions/group/{id}.
func (s *Server) apiDeleteGroup(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.DeleteGroup(r.Context(), userFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// membershipID names a membership in URLs: "<group_id>-<user_id>".
func membershipID(m access.Membership) string {
	return strconv.FormatInt(m.GroupID, 10) + "-" + strconv.FormatInt(m.UserID, 10)
}

// parseMembershipID reads "<group_id>-<user_id>".
func parseMembershipID(s string) (group, user int64, err error) {
	g, u, ok := strings.Cut(s, "-")
	group, gerr := strconv.ParseInt(g, 10, 64)
	user, uerr := strconv.ParseInt(u, 10, 64)
	if !ok || gerr != nil || uerr != nil || group <= 0 || user <= 0 {
		return 0, 0, sightline.Errorf(sightline.ENOTFOUND, "Membership not found.")
	}
	return group, user, nil
}

// membershipJSON is a membership in the reference vendor's shape.
func membershipJSON(m access.Membership) map[string]any {
	return map[string]any{"membership_id": membershipID(m), "group_id": m.GroupID, "user_id": m.UserID, "is_group_manager": m.Manager}
}

// apiMemberships serves GET /api/permissions/membership: user id ->
// memberships.
func (s *Server) apiMemberships(w http.ResponseWriter, r *http.Request) error {
	ms, err := s.app.Memberships(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	out := map[string][]map[string]any{}
	for _, m := range ms {
		k := strconv.FormatInt(m.UserID, 10)
		out[k] = append(out[k], membershipJSON(m))
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}

// apiAddMembership serves POST /api/permissions/membership
// ({group_id, user_id, is_group_manager}).
func (s *Server) apiAddMembership(w http.ResponseWriter, r *http.Request) error {
	var in access.Membership
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.AddMembership(r.Context(), userFrom(r.Context()), in); err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, membershipJSON(in))
	return nil
}

// membershipBody is the body of PUT /api/permissions/membership/{id}.
type membershipBody struct {
	Manager bool `json:"is_group_manager"`
}

// apiUpdateMembership serves PUT /api/permissions/membership/{id}
// ({is_group_manager}).
func (s *Server) apiUpdateMembership(w http.ResponseWriter, r *http.Request) error {
	g, u, err := parseMembershipID(r.PathValue("id"))
	if err != nil {
		return err
	}
	var in membershipBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m := access.Membership{GroupID: g, UserID: u, Manager: in.Manager}
	if err := s.app.AddMembership(r.Context(), userFrom(r.Context()), m); err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, membershipJSON(m))
	return nil
}

// apiRemoveMembership serves DELETE /api/permissions/membership/{id}.
func (s *Server) apiRemoveMembership(w http.ResponseWriter, r *http.Request) error {
	g, u, err := parseMembershipID(r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.app.RemoveMembership(r.Context(), userFrom(r.Context()), g, u); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// gtapJSON is a sandbox policy in the reference vendor's shape (card_id is
// null without a saved question).
func gtapJSON(p *sandbox.Policy) map[string]any {
	var card any
	if p.CardID != 0 {
		card = p.CardID
	}
	remaps := p.Remappings
	if remaps == nil {
		remaps = map[string]sandbox.Target{}
	}
	return map[string]any{"id": p.ID, "group_id": p.GroupID, "table_id": p.TableID, "card_id": card, "attribute_remappings": remaps}
}

// gtapInput is the body of POST and PUT /api/mt/gtap.
type gtapInput struct {
	ID                  *int64                    `json:"id"`
	GroupID             int64                     `json:"group_id"`
	TableID             int64                     `json:"table_id"`
	CardID              *int64                    `json:"card_id"`
	AttributeRemappings map[string]sandbox.Target `json:"attribute_remappings"`
}

// apiSandboxes serves GET /api/mt/gtap (optionally ?group_id=&table_id=).
func (s *Server) apiSandboxes(w http.ResponseWriter, r *http.Request) error {
	all, err := s.app.Sandboxes(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	out := make([]map[string]any, 0, len(all))
	for i := range all {
		p := &all[i]
		if (q.Get("group_id") != "" && q.Get("group_id") != strconv.FormatInt(p.GroupID, 10)) ||
			(q.Get("table_id") != "" && q.Get("table_id") != strconv.FormatInt(p.TableID, 10)) {
			continue
		}
		out = append(out, gtapJSON(p))
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}

// apiSandbox serves GET /api/mt/gtap/{id}.
func (s *Server) apiSandbox(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.app.Sandbox(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, gtapJSON(p))
	return nil
}

// apiCreateSandbox serves POST /api/mt/gtap: it sandboxes the table for the
// group (replacing the group's earlier sandbox of it) and takes native SQL on
// that database away from the group.
func (s *Server) apiCreateSandbox(w http.ResponseWriter, r *http.Request) error {
	var in gtapInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p := sandbox.Policy{GroupID: in.GroupID, TableID: in.TableID, Remappings: in.AttributeRemappings}
	if in.CardID != nil {
		p.CardID = *in.CardID
	}
	saved, err := s.app.SaveSandbox(r.Context(), userFrom(r.Context()), p)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, gtapJSON(saved))
	return nil
}

// apiUpdateSandbox serves PUT /api/mt/gtap/{id}: the body's card_id (null
// or absent for none) replaces the saved question, and its remappings, when
// given, replace the old ones; the group and table stay.
func (s *Server) apiUpdateSandbox(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u := userFrom(r.Context())
	p, err := s.app.Sandbox(r.Context(), u, id)
	if err != nil {
		return err
	}
	var in gtapInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if (in.GroupID != 0 && in.GroupID != p.GroupID) || (in.TableID != 0 && in.TableID != p.TableID) {
		return sightline.Errorf(sightline.EINVALID, "A sandbox's group and table cannot change: delete it and create another.")
	}
	p.CardID = 0
	if in.CardID != nil {
		p.CardID = *in.CardID
	}
	if in.AttributeRemappings != nil {
		p.Remappings = in.AttributeRemappings
	}
	saved, err := s.app.SaveSandbox(r.Context(), u, *p)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, gtapJSON(saved))
	return nil
}

// apiDeleteSandbox serves DELETE /api/mt/gtap/{id}; the table becomes
// blocked for the group.
func (s *Server) apiDeleteSandbox(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.DeleteSandbox(r.Context(), userFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiUserAttributes serves GET /api/mt/user/attributes: the attribute names
// known from sign-ins and hand-set values.
func (s *Server) apiUserAttributes(w http.ResponseWriter, r *http.Request) error {
	attrs, err := s.app.SandboxAttributes(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	if attrs == nil {
		attrs = []string{}
	}
	s.writeJSON(w, http.StatusOK, attrs)
	return nil
}
