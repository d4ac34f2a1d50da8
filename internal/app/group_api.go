package app

import (
	"context"
	"slices"
	"strconv"

	"sightline"
	"sightline/internal/access"
)

// GroupMember is one active member of a group and whether they manage it.
type GroupMember struct {
	User    *sightline.User
	Manager bool
}

// GroupWithMembers returns a group with its active members, for an
// administrator or a manager of that group.
func (a *App) GroupWithMembers(ctx context.Context, actor *sightline.User, id int64) (*sightline.Group, []GroupMember, error) {
	if err := a.requireGroupManager(ctx, actor, id, "see its members"); err != nil {
		return nil, nil, err
	}
	g, err := a.permStore.Group(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ms, err := a.permStore.Memberships(ctx)
	if err != nil {
		return nil, nil, err
	}
	users, err := a.store.ListUsers(ctx, "", "all")
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[int64]*sightline.User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	out := []GroupMember{}
	for _, m := range ms {
		u := byID[m.UserID]
		if m.GroupID != id || u == nil || !u.Active {
			continue
		}
		out = append(out, GroupMember{User: u, Manager: m.Manager})
	}
	return g, out, nil
}

// errNoSuchMember is the one answer for an email nobody active has, so that
// adding by email does not tell a group manager whether an account exists.
var errNoSuchMember = sightline.Errorf(sightline.EINVALID, "No active person with that email can be added.")

// AddMemberByEmail adds the active person with this exact email (compared
// as sign-in compares it) to group id, for an administrator or a manager
// of the group: a manager adds people without browsing everyone. An
// unknown email and a deactivated person get the same answer.
func (a *App) AddMemberByEmail(ctx context.Context, actor *sightline.User, id int64, email string) error {
	if err := a.requireGroupManager(ctx, actor, id, "change its members"); err != nil {
		return err
	}
	email = sightline.NormalizeEmail(email)
	if email == "" {
		return sightline.Errorf(sightline.EINVALID, "Enter the email of the person to add.")
	}
	u, _, err := a.store.UserByEmail(ctx, email)
	if sightline.ErrorCode(err) == sightline.ENOTFOUND || (err == nil && !u.Active) {
		return errNoSuchMember
	}
	if err != nil {
		return err
	}
	return a.AddMembership(ctx, actor, access.Membership{GroupID: id, UserID: u.ID})
}

// requireGroupManager refuses anyone but an administrator or a manager of
// group id, saying what they wanted to do; it also refuses when this server
// cannot manage groups.
func (a *App) requireGroupManager(ctx context.Context, actor *sightline.User, id int64, what string) error {
	if a.permStore == nil {
		return sightline.Errorf(sightline.EUNAVAILABLE, "Groups cannot be managed on this server.")
	}
	ok, err := a.canManageGroup(ctx, actor, id)
	if err != nil {
		return err
	}
	if !ok {
		return sightline.Errorf(sightline.EFORBIDDEN, "Only administrators and the group's managers can %s.", what)
	}
	return nil
}

// ClearGroupMembers removes every member of a group at once, for an
// administrator or a manager of the group. The built-in groups cannot be
// emptied. Each person removed is signed out of the rights the group gave
// them at once.
func (a *App) ClearGroupMembers(ctx context.Context, actor *sightline.User, id int64) error {
	if err := a.requireGroupManager(ctx, actor, id, "remove its members"); err != nil {
		return err
	}
	if _, err := a.permStore.Group(ctx, id); err != nil {
		return err
	}
	removed, err := a.permStore.ClearGroup(ctx, id)
	if err != nil {
		return err
	}
	for _, u := range removed {
		a.forgetUserSessions(u)
	}
	a.audit(ctx, actor, "group-members-clear", jsonDetail(map[string]any{"group_id": id, "user_ids": removed}))
	return nil
}

// DataPermissionGraphOf returns the data permission graph cut down to one
// database (db != 0) or one group (group != 0), with the full graph's
// revision, for an administrator. A database or group that does not exist
// is not found.
func (a *App) DataPermissionGraphOf(ctx context.Context, actor *sightline.User, db, group int64) (*access.WireGraph, error) {
	if err := a.requirePermStore(actor); err != nil {
		return nil, err
	}
	groups, dbs, _, err := a.dataScope(ctx)
	if err != nil {
		return nil, err
	}
	if db != 0 && !slices.Contains(dbs, db) {
		return nil, notFoundErr("Database")
	}
	if group != 0 && !slices.Contains(groups, group) {
		return nil, notFoundErr("Group")
	}
	full, err := a.DataPermissionGraph(ctx, actor)
	if err != nil {
		return nil, err
	}
	out := &access.WireGraph{Revision: full.Revision, Groups: map[string]map[string]access.WireDBPerms{}}
	dbKey, groupKey := strconv.FormatInt(db, 10), strconv.FormatInt(group, 10)
	for g, m := range full.Groups {
		if group != 0 && g != groupKey {
			continue
		}
		cut := map[string]access.WireDBPerms{}
		for d, p := range m {
			if db == 0 || d == dbKey {
				cut[d] = p
			}
		}
		out.Groups[g] = cut
	}
	return out, nil
}
