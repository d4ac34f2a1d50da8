package app

import (
	"context"
	"slices"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/sandbox"
)

// SaveDataPermissionGraphWithSandboxes applies an edited data graph and the
// sandboxes sent with it in one transaction, at the graph's revision: all of
// it, or nothing. Each sandbox passes the checks SaveSandbox makes (its
// group and table exist, its column, attribute and question make sense,
// nobody ends up in two different sandboxes of a table). A sandbox's table
// must be sandboxed for its group: when the graph names that group and
// database it must say so itself; when it does not, the table becomes
// sandboxed as SaveSandbox makes it.
func (a *App) SaveDataPermissionGraphWithSandboxes(ctx context.Context, actor *sightline.User, w access.WireGraph, ps []sandbox.Policy) (*access.WireGraph, []sandbox.Policy, error) {
	if len(ps) == 0 {
		g, err := a.SaveDataPermissionGraph(ctx, actor, w)
		return g, []sandbox.Policy{}, err
	}
	if err := a.requirePermStore(actor); err != nil {
		return nil, nil, err
	}
	groups, _, x, err := a.dataScope(ctx)
	if err != nil {
		return nil, nil, err
	}
	changes, err := access.ParseWireData(w, x)
	if err != nil {
		return nil, nil, err
	}
	if changes == nil {
		changes = map[int64]map[int64]access.DBPerms{}
	}
	for gid, m := range changes {
		if !slices.Contains(groups, gid) {
			return nil, nil, sightline.Errorf(sightline.EINVALID, "Group %d does not exist.", gid)
		}
		for db, p := range m {
			m[db] = p.Normalize(x.Tables(db))
		}
	}
	current, err := a.permStore.PermissionGraph(ctx)
	if err != nil {
		return nil, nil, err
	}
	existing, err := a.permStore.Sandboxes(ctx)
	if err != nil {
		return nil, nil, err
	}
	type key struct{ group, db int64 }
	derived := map[key]bool{}
	saved := make([]*sandbox.Policy, len(ps))
	for i := range ps {
		p := &ps[i]
		t, err := a.checkSandbox(ctx, actor, *p, existing)
		if err != nil {
			return nil, nil, err
		}
		existing = append(slices.DeleteFunc(existing, func(q sandbox.Policy) bool { return q.GroupID == p.GroupID && q.TableID == p.TableID }), *p)
		k := key{p.GroupID, t.DatabaseID}
		perms, named := changes[k.group][k.db]
		switch {
		case named && !derived[k]:
			if perms.Table(p.TableID) != access.ViewSandboxed {
				return nil, nil, sightline.Errorf(sightline.EINVALID,
					"The sandbox of group %d on %s needs the graph to sandbox that table for the group: set its view-data to \"sandboxed\", or leave the database out of the graph.",
					p.GroupID, t.DisplayName)
			}
		default:
			if !named {
				perms = current.DB(k.group, k.db)
			}
			perms = perms.WithTable(p.TableID, access.ViewSandboxed, x.Tables(k.db))
			if perms.CreateQueries == access.QueryNone {
				// A sandbox exists to let the group explore its own rows.
				perms.CreateQueries = access.QueryBuilder
			}
			if changes[k.group] == nil {
				changes[k.group] = map[int64]access.DBPerms{}
			}
			changes[k.group][k.db] = perms
			derived[k] = true
		}
		saved[i] = p
	}
	rev, err := a.permStore.SaveDataPermissionsAndSandboxes(ctx, w.Revision, changes, saved)
	a.forgetPermissions()
	if err != nil {
		return nil, nil, err
	}
	a.audit(ctx, actor, "permissions-data-update", jsonDetail(map[string]any{"revision": rev, "groups": w.Groups, "sandboxes": ps}))
	g, err := a.DataPermissionGraph(ctx, actor)
	return g, ps, err
}
