package app

import (
	"context"
	"slices"
	"strings"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/sandbox"
)

// MembershipInput is one group a person should be in, as the reference
// API's user_group_memberships lists it.
type MembershipInput struct {
	ID      int64 `json:"id"`
	Manager bool  `json:"is_group_manager"`
	// Name is read so that the list a user record shows can be sent back
	// as it is; it changes nothing.
	Name string `json:"name,omitempty"`
}

// AccessEdit changes whom a person is: whether they are an administrator
// and, when Groups is not nil, the complete list of their groups. Nil
// fields keep what is stored.
type AccessEdit struct {
	Superuser *bool              `json:"is_superuser"`
	Groups    *[]MembershipInput `json:"user_group_memberships"`
	// Locale is accepted for compatibility: Sightline speaks English
	// only, so null and English are the values it takes.
	Locale *string `json:"locale"`
}

// empty reports an edit that changes nothing.
func (e AccessEdit) empty() bool { return e.Superuser == nil && e.Groups == nil && e.Locale == nil }

// checkLocale accepts English in its usual spellings ("en", "en_US",
// "en-GB") and refuses any other language with a clear message.
func checkLocale(l *string) error {
	if l == nil {
		return nil
	}
	v := strings.ToLower(strings.TrimSpace(*l))
	if v == "" || v == "en" || strings.HasPrefix(v, "en_") || strings.HasPrefix(v, "en-") {
		return nil
	}
	return sightline.Errorf(sightline.EINVALID, "Sightline is in English only: locale must be null or English, not %q.", *l)
}

// membershipChange is what an AccessEdit does to a person's groups.
type membershipChange struct {
	set    []access.Membership // joined, or manager flag changed
	remove []int64
}

// planMemberships compares the groups a person is in (current, group id to
// manager flag) with the edit and returns the change. All Users is kept
// whatever the list says. is_superuser and the Administrators group in the
// list must agree.
func planMemberships(userID int64, current map[int64]bool, e AccessEdit, known map[int64]bool) (membershipChange, error) {
	want := map[int64]bool{}
	if e.Groups == nil {
		for g, m := range current {
			want[g] = m
		}
	} else {
		for _, m := range *e.Groups {
			if !known[m.ID] {
				return membershipChange{}, sightline.Errorf(sightline.EINVALID, "Group %d does not exist.", m.ID)
			}
			if prev, dup := want[m.ID]; dup && prev != m.Manager {
				return membershipChange{}, sightline.Errorf(sightline.EINVALID, "Group %d is listed twice with different manager flags.", m.ID)
			}
			if m.Manager && (m.ID == sightline.AllUsersGroupID || m.ID == sightline.AdminGroupID) {
				return membershipChange{}, sightline.Errorf(sightline.EINVALID, "The built-in groups have no managers.")
			}
			want[m.ID] = m.Manager
		}
		want[sightline.AllUsersGroupID] = false
	}
	if e.Superuser != nil {
		_, listed := want[sightline.AdminGroupID]
		if e.Groups != nil && listed != *e.Superuser {
			return membershipChange{}, sightline.Errorf(sightline.EINVALID,
				"is_superuser and the Administrators group in user_group_memberships disagree: send the same answer in both, or only one of them.")
		}
		if *e.Superuser {
			want[sightline.AdminGroupID] = false
		} else {
			delete(want, sightline.AdminGroupID)
		}
	}
	var c membershipChange
	for g, m := range want {
		if cur, in := current[g]; !in || cur != m {
			c.set = append(c.set, access.Membership{GroupID: g, UserID: userID, Manager: m})
		}
	}
	for g := range current {
		if _, keep := want[g]; !keep {
			c.remove = append(c.remove, g)
		}
	}
	slices.SortFunc(c.set, func(a, b access.Membership) int { return int(a.GroupID - b.GroupID) })
	slices.Sort(c.remove)
	return c, nil
}

// groups returns the ids of the groups the change touches.
func (c membershipChange) groups() []int64 {
	out := slices.Clone(c.remove)
	for _, m := range c.set {
		out = append(out, m.GroupID)
	}
	return out
}

// SetUserAccess applies an AccessEdit to person id; see checkUserAccess for
// who may do what.
func (a *App) SetUserAccess(ctx context.Context, actor *sightline.User, id int64, e AccessEdit) error {
	c, err := a.checkUserAccess(ctx, actor, id, e)
	if err != nil {
		return err
	}
	return a.applyUserAccess(ctx, actor, id, c)
}

// checkUserAccess is the one place that decides who may change someone's
// administrator status and groups, and returns the change to make:
//   - only administrators make or unmake administrators;
//   - a group manager may add people to and remove them from the groups
//     they manage, without making anyone a manager or stopping anyone
//     being one, and may not touch any other group;
//   - a change that would put the person in two groups sandboxing a table
//     differently is refused;
//   - the last administrator stays one (checked again atomically when the
//     change is stored).
//
// An edit equal to what is stored is an empty change.
func (a *App) checkUserAccess(ctx context.Context, actor *sightline.User, id int64, e AccessEdit) (membershipChange, error) {
	var none membershipChange
	if actor == nil {
		return none, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	if err := checkLocale(e.Locale); err != nil {
		return none, err
	}
	if e.Superuser == nil && e.Groups == nil {
		return none, nil
	}
	if a.permStore == nil {
		return none, sightline.Errorf(sightline.EUNAVAILABLE, "Groups cannot be managed on this server.")
	}
	if _, err := a.store.UserByID(ctx, id); err != nil {
		return none, err
	}
	ms, err := a.permStore.Memberships(ctx)
	if err != nil {
		return none, err
	}
	current := map[int64]bool{}
	for _, m := range ms {
		if m.UserID == id {
			current[m.GroupID] = m.Manager
		}
	}
	gs, err := a.store.Groups(ctx)
	if err != nil {
		return none, err
	}
	known := map[int64]bool{}
	for _, g := range gs {
		known[g.ID] = true
	}
	c, err := planMemberships(id, current, e, known)
	if err != nil {
		return none, err
	}
	if len(c.set) == 0 && len(c.remove) == 0 {
		return c, nil
	}
	if !actor.IsAdmin {
		for _, g := range c.groups() {
			if g == sightline.AdminGroupID {
				return none, sightline.Errorf(sightline.EFORBIDDEN, "Only administrators can make someone an administrator or stop them being one.")
			}
			ok, err := a.canManageGroup(ctx, actor, g)
			if err != nil {
				return none, err
			}
			if !ok {
				return none, sightline.Errorf(sightline.EFORBIDDEN, "You can change memberships only of the groups you manage; group %d is not one of them.", g)
			}
		}
		for _, m := range c.set {
			if err := checkManagerFlag(actor, current[m.GroupID], m.Manager); err != nil {
				return none, err
			}
		}
	}
	if slices.Contains(c.remove, sightline.AdminGroupID) {
		n, err := a.store.CountActiveAdmins(ctx)
		if err != nil {
			return none, err
		}
		if n <= 1 {
			return none, sightline.Errorf(sightline.EINVALID, "The last administrator cannot stop being one: make someone else an administrator first.")
		}
	}
	if len(c.set) > 0 {
		policies, err := a.permStore.Sandboxes(ctx)
		if err != nil {
			return none, err
		}
		// Memberships the same change removes no longer count.
		if err := a.checkSandboxConflicts(ctx, actor, policies, func(sc sandbox.Conflict) bool {
			return sc.UserID == id && !slices.Contains(c.remove, sc.Groups[0]) && !slices.Contains(c.remove, sc.Groups[1])
		}, c.set...); err != nil {
			return none, err
		}
	}
	return c, nil
}

// applyUserAccess stores a change checkUserAccess returned, audits it and
// makes the person's sessions pick it up at once.
func (a *App) applyUserAccess(ctx context.Context, actor *sightline.User, id int64, c membershipChange) error {
	if len(c.set) == 0 && len(c.remove) == 0 {
		return nil
	}
	defer a.forgetUserSessions(id)
	if err := a.permStore.SetMemberships(ctx, id, c.set, c.remove); err != nil {
		return err
	}
	a.audit(ctx, actor, "user-access-update", jsonDetail(map[string]any{"user_id": id, "set": c.set, "removed": c.remove}))
	return nil
}

// UpdateUserWithAccess applies an edit of a person's profile and of their
// administrator status and groups, as PUT /api/user/{id} sends them
// together. The access part is checked in full before anything is stored,
// so a refused one changes nothing. The profile part needs an
// administrator; an edit of groups alone is also open to group managers,
// who get the person back as the people list shows them to managers when
// the person is, or the edit makes them, a member of a group they manage.
func (a *App) UpdateUserWithAccess(ctx context.Context, actor *sightline.User, id int64, p UserEdit, e AccessEdit) (*sightline.User, error) {
	managed, err := a.managedGroups(ctx, actor)
	if err != nil {
		return nil, err
	}
	profile := p.FirstName != nil || p.LastName != nil || p.Email != nil || p.Attributes != nil || e.empty()
	if profile && !actor.IsAdmin {
		return nil, sightline.Errorf(sightline.EFORBIDDEN, "Only administrators can change a person's name, email or attributes.")
	}
	c, err := a.checkUserAccess(ctx, actor, id, e)
	if err != nil {
		return nil, err
	}
	if !actor.IsAdmin && len(c.set) == 0 {
		// An edit that adds the person to none of the manager's groups
		// answers with the person only if they are already in one, so a
		// manager learns nobody else's name or email by their id.
		if err := a.requireManagedMember(ctx, managed, id); err != nil {
			return nil, err
		}
	}
	if profile {
		if _, err := a.UpdateUser(ctx, actor, id, p); err != nil {
			return nil, err
		}
	}
	if err := a.applyUserAccess(ctx, actor, id, c); err != nil {
		return nil, err
	}
	u, err := a.store.UserByID(ctx, id)
	if err != nil || actor.IsAdmin {
		return u, err
	}
	u.LoginAttributes, u.Attributes = nil, nil
	u.Groups = slices.DeleteFunc(u.Groups, func(g sightline.Group) bool { return !slices.Contains(managed, g.ID) })
	return u, nil
}

// requireManagedMember refuses, as not found, a person who is in none of
// the managed groups.
func (a *App) requireManagedMember(ctx context.Context, managed []int64, id int64) error {
	u, err := a.store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(u.Groups, func(g sightline.Group) bool { return slices.Contains(managed, g.ID) }) {
		return sightline.Errorf(sightline.ENOTFOUND, "User not found.")
	}
	return nil
}

// foldMemberships checks a new person's user_group_memberships and adds
// their groups to in.GroupIDs; it returns the groups they will manage. The
// Administrators group among them makes the person an administrator, as
// is_superuser does; All Users is implied.
func (a *App) foldMemberships(ctx context.Context, in *NewUserInput) ([]int64, error) {
	if len(in.Memberships) == 0 {
		return nil, nil
	}
	if a.permStore == nil {
		return nil, sightline.Errorf(sightline.EUNAVAILABLE, "Groups cannot be managed on this server.")
	}
	gs, err := a.store.Groups(ctx)
	if err != nil {
		return nil, err
	}
	known := map[int64]bool{}
	for _, g := range gs {
		known[g.ID] = true
	}
	var managers []int64
	for _, m := range in.Memberships {
		switch {
		case !known[m.ID]:
			return nil, sightline.Errorf(sightline.EINVALID, "Group %d does not exist.", m.ID)
		case m.Manager && (m.ID == sightline.AllUsersGroupID || m.ID == sightline.AdminGroupID):
			return nil, sightline.Errorf(sightline.EINVALID, "The built-in groups have no managers.")
		case m.ID == sightline.AllUsersGroupID:
			continue
		case m.ID == sightline.AdminGroupID:
			in.Admin = true
			continue
		}
		if !slices.Contains(in.GroupIDs, m.ID) {
			in.GroupIDs = append(in.GroupIDs, m.ID)
		}
		if m.Manager && !slices.Contains(managers, m.ID) {
			managers = append(managers, m.ID)
		}
	}
	return managers, nil
}
