package appdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/sandbox"
)

// Graph names in permission_revisions.
const (
	dataGraph       = "data"
	collectionGraph = "collection"
)

// PermissionGraph loads every group's data and collection grants with the
// two revisions.
func (db *DB) PermissionGraph(ctx context.Context) (*access.Graph, error) {
	g := &access.Graph{Data: map[int64]map[int64]access.DBPerms{}, Collections: map[int64]map[int64]string{}}
	rows, err := db.r.QueryContext(ctx, "SELECT graph, revision FROM permission_revisions")
	if err != nil {
		return nil, fmt.Errorf("permission revisions: %w", err)
	}
	for rows.Next() {
		var name string
		var rev int64
		if err := rows.Scan(&name, &rev); err != nil {
			rows.Close()
			return nil, err
		}
		switch name {
		case dataGraph:
			g.DataRevision = rev
		case collectionGraph:
			g.CollectionRevision = rev
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}

	rows, err = db.r.QueryContext(ctx, "SELECT group_id, database_id, view_data, create_queries, download FROM data_permissions")
	if err != nil {
		return nil, fmt.Errorf("data permissions: %w", err)
	}
	for rows.Next() {
		var gid, dbID int64
		var p access.DBPerms
		if err := rows.Scan(&gid, &dbID, &p.View, &p.CreateQueries, &p.Download); err != nil {
			rows.Close()
			return nil, err
		}
		if g.Data[gid] == nil {
			g.Data[gid] = map[int64]access.DBPerms{}
		}
		g.Data[gid][dbID] = p
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}

	rows, err = db.r.QueryContext(ctx, `SELECT p.group_id, t.database_id, p.table_id, p.view_data FROM table_permissions p
		JOIN tables t ON t.id = p.table_id`)
	if err != nil {
		return nil, fmt.Errorf("table permissions: %w", err)
	}
	for rows.Next() {
		var gid, dbID, tableID int64
		var level string
		if err := rows.Scan(&gid, &dbID, &tableID, &level); err != nil {
			rows.Close()
			return nil, err
		}
		p, ok := g.Data[gid][dbID]
		if !ok || p.View != access.ViewGranular {
			continue
		}
		if p.Tables == nil {
			p.Tables = map[int64]string{}
		}
		p.Tables[tableID] = level
		g.Data[gid][dbID] = p
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}

	rows, err = db.r.QueryContext(ctx, "SELECT group_id, collection_id, access FROM collection_permissions")
	if err != nil {
		return nil, fmt.Errorf("collection permissions: %w", err)
	}
	for rows.Next() {
		var gid, cid int64
		var level string
		if err := rows.Scan(&gid, &cid, &level); err != nil {
			rows.Close()
			return nil, err
		}
		if g.Collections[gid] == nil {
			g.Collections[gid] = map[int64]string{}
		}
		g.Collections[gid][cid] = level
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	return g, nil
}

// closeRows closes rows and returns the error that ended iteration.
func closeRows(rows *sql.Rows) error {
	if err := rows.Err(); err != nil {
		rows.Close()
		return err
	}
	return rows.Close()
}

// bumpRevision moves a graph from revision want to want+1, or fails with
// ECONFLICT when another save came first.
func (db *DB) bumpRevision(ctx context.Context, q querier, graph string, want int64) (int64, error) {
	res, err := q.ExecContext(ctx, db.rebind("UPDATE permission_revisions SET revision = revision + 1, updated_at = ? WHERE graph = ? AND revision = ?"),
		db.Now(), graph, want)
	if err != nil {
		return 0, fmt.Errorf("bump %s revision: %w", graph, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return 0, sightline.Errorf(sightline.ECONFLICT, "Someone else changed the permissions since you loaded them. Reload to see their changes, then edit again.")
	}
	return want + 1, nil
}

// SaveDataPermissions replaces the grants of the given (group, database)
// pairs, if the data graph is still at revision, and returns the new
// revision. Sandboxes of tables that are no longer sandboxed for their group
// are deleted with it. Nothing is saved on any error.
func (db *DB) SaveDataPermissions(ctx context.Context, revision int64, changes map[int64]map[int64]access.DBPerms) (int64, error) {
	var rev int64
	err := db.tx(ctx, func(q querier) error {
		var err error
		if rev, err = db.bumpRevision(ctx, q, dataGraph, revision); err != nil {
			return err
		}
		for gid, dbs := range changes {
			for dbID, p := range dbs {
				if err := db.writeDBPerms(ctx, q, gid, dbID, p); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return rev, err
}

// writeDBPerms replaces one group's grant on one database.
func (db *DB) writeDBPerms(ctx context.Context, q querier, gid, dbID int64, p access.DBPerms) error {
	if gid == sightline.AdminGroupID {
		return sightline.Errorf(sightline.EINVALID, "Administrators' permissions cannot be changed.")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, db.rebind(`DELETE FROM table_permissions WHERE group_id = ?
		AND table_id IN (SELECT id FROM tables WHERE database_id = ?)`), gid, dbID); err != nil {
		return fmt.Errorf("clear table permissions: %w", err)
	}
	_, err := q.ExecContext(ctx, db.rebind(`INSERT INTO data_permissions (group_id, database_id, view_data, create_queries, download)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (group_id, database_id) DO UPDATE SET view_data = excluded.view_data,
		create_queries = excluded.create_queries, download = excluded.download`), gid, dbID, p.View, p.CreateQueries, p.Download)
	if err != nil {
		if isForeignKey(err) {
			return sightline.Errorf(sightline.EINVALID, "Group %d or database %d does not exist.", gid, dbID)
		}
		return fmt.Errorf("save data permissions: %w", err)
	}
	if p.View == access.ViewGranular {
		for t, l := range p.Tables {
			var owner int64
			err := q.QueryRowContext(ctx, db.rebind("SELECT database_id FROM tables WHERE id = ?"), t).Scan(&owner)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != dbID) {
				return sightline.Errorf(sightline.EINVALID, "Table %d is not in database %d.", t, dbID)
			}
			if err != nil {
				return err
			}
			if _, err := q.ExecContext(ctx, db.rebind("INSERT INTO table_permissions (group_id, table_id, view_data) VALUES (?, ?, ?)"), gid, t, l); err != nil {
				return fmt.Errorf("save table permission: %w", err)
			}
		}
	}
	// A sandbox lives only while its table is sandboxed for its group.
	_, err = q.ExecContext(ctx, db.rebind(`DELETE FROM sandboxes WHERE group_id = ?
		AND table_id IN (SELECT id FROM tables WHERE database_id = ?)
		AND table_id NOT IN (SELECT table_id FROM table_permissions WHERE group_id = ? AND view_data = ?)`),
		gid, dbID, gid, access.ViewSandboxed)
	if err != nil {
		return fmt.Errorf("drop stale sandboxes: %w", err)
	}
	return nil
}

// isForeignKey reports whether err is a foreign-key violation.
func isForeignKey(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "FOREIGN KEY constraint failed") || strings.Contains(s, "SQLSTATE 23503")
}

// SaveCollectionPermissions replaces the given (group, collection) levels,
// if the collection graph is still at revision, and returns the new
// revision.
func (db *DB) SaveCollectionPermissions(ctx context.Context, revision int64, changes map[int64]map[int64]string) (int64, error) {
	var rev int64
	err := db.tx(ctx, func(q querier) error {
		var err error
		if rev, err = db.bumpRevision(ctx, q, collectionGraph, revision); err != nil {
			return err
		}
		for gid, m := range changes {
			if gid == sightline.AdminGroupID {
				return sightline.Errorf(sightline.EINVALID, "Administrators' permissions cannot be changed.")
			}
			for cid, l := range m {
				if err := access.ValidCollectionLevel(l); err != nil {
					return err
				}
				_, err := q.ExecContext(ctx, db.rebind(`INSERT INTO collection_permissions (group_id, collection_id, access) VALUES (?, ?, ?)
					ON CONFLICT (group_id, collection_id) DO UPDATE SET access = excluded.access`), gid, cid, l)
				if isForeignKey(err) {
					return sightline.Errorf(sightline.EINVALID, "Group %d does not exist.", gid)
				}
				if err != nil {
					return fmt.Errorf("save collection permission: %w", err)
				}
			}
		}
		return nil
	})
	return rev, err
}

// Sandboxes lists every sandbox policy.
func (db *DB) Sandboxes(ctx context.Context) ([]sandbox.Policy, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT id, group_id, table_id, card_id, attribute_remappings FROM sandboxes ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list sandboxes: %w", err)
	}
	var out []sandbox.Policy
	for rows.Next() {
		p, err := scanSandbox(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, *p)
	}
	return out, closeRows(rows)
}

func scanSandbox(sc interface{ Scan(...any) error }) (*sandbox.Policy, error) {
	var p sandbox.Policy
	var card sql.NullInt64
	var remaps string
	if err := sc.Scan(&p.ID, &p.GroupID, &p.TableID, &card, &remaps); err != nil {
		return nil, err
	}
	p.CardID = card.Int64
	if err := json.Unmarshal([]byte(remaps), &p.Remappings); err != nil {
		return nil, fmt.Errorf("sandbox %d remappings: %w", p.ID, err)
	}
	return &p, nil
}

// Sandbox returns one sandbox policy.
func (db *DB) Sandbox(ctx context.Context, id int64) (*sandbox.Policy, error) {
	p, err := scanSandbox(db.r.QueryRowContext(ctx, db.rebind("SELECT id, group_id, table_id, card_id, attribute_remappings FROM sandboxes WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Sandbox")
	}
	return p, err
}

// SaveSandbox creates or replaces the sandbox of p's group and table (there
// is at most one) and, in the same transaction, saves the group's grant on
// the table's database (dbID), which the caller computed with the table
// sandboxed. The data graph must still be at revision; the new revision is
// returned and p.ID is set.
func (db *DB) SaveSandbox(ctx context.Context, revision int64, p *sandbox.Policy, dbID int64, perms access.DBPerms) (int64, error) {
	var rev int64
	err := db.tx(ctx, func(q querier) error {
		var err error
		if rev, err = db.bumpRevision(ctx, q, dataGraph, revision); err != nil {
			return err
		}
		if err := db.writeDBPerms(ctx, q, p.GroupID, dbID, perms); err != nil {
			return err
		}
		return db.writeSandbox(ctx, q, p)
	})
	return rev, err
}

// writeSandbox creates or replaces the sandbox of p's group and table and
// sets p.ID.
func (db *DB) writeSandbox(ctx context.Context, q querier, p *sandbox.Policy) error {
	remaps, err := json.Marshal(p.Remappings)
	if err != nil {
		return sightline.Errorf(sightline.EINVALID, "The attribute remappings cannot be saved: %v", err)
	}
	if p.Remappings == nil {
		remaps = []byte("{}")
	}
	id, err := db.insertID(ctx, q, `INSERT INTO sandboxes (group_id, table_id, card_id, attribute_remappings) VALUES (?, ?, ?, ?)
		ON CONFLICT (group_id, table_id) DO UPDATE SET card_id = excluded.card_id, attribute_remappings = excluded.attribute_remappings`,
		p.GroupID, p.TableID, nullID(p.CardID), string(remaps))
	if isForeignKey(err) {
		return sightline.Errorf(sightline.EINVALID, "The sandbox's group, table or saved question does not exist.")
	}
	if err != nil {
		return fmt.Errorf("save sandbox: %w", err)
	}
	p.ID = id
	return nil
}

// SaveDataPermissionsAndSandboxes saves data permission changes and
// sandboxes in one transaction, if the data graph is still at revision:
// all of them or, on any error, none.
func (db *DB) SaveDataPermissionsAndSandboxes(ctx context.Context, revision int64, changes map[int64]map[int64]access.DBPerms, sandboxes []*sandbox.Policy) (int64, error) {
	var rev int64
	err := db.tx(ctx, func(q querier) error {
		var err error
		if rev, err = db.bumpRevision(ctx, q, dataGraph, revision); err != nil {
			return err
		}
		for gid, dbs := range changes {
			for dbID, p := range dbs {
				if err := db.writeDBPerms(ctx, q, gid, dbID, p); err != nil {
					return err
				}
			}
		}
		for _, p := range sandboxes {
			if err := db.writeSandbox(ctx, q, p); err != nil {
				return err
			}
		}
		return nil
	})
	return rev, err
}

// DeleteSandbox deletes a sandbox and saves its group's grant on the
// table's database (which the caller computed, with the table no longer
// sandboxed) in one transaction, if the data graph is still at revision.
func (db *DB) DeleteSandbox(ctx context.Context, revision, id, dbID int64, perms access.DBPerms) (int64, error) {
	var rev int64
	err := db.tx(ctx, func(q querier) error {
		var gid int64
		err := q.QueryRowContext(ctx, db.rebind("SELECT group_id FROM sandboxes WHERE id = ?"), id).Scan(&gid)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Sandbox")
		}
		if err != nil {
			return err
		}
		if rev, err = db.bumpRevision(ctx, q, dataGraph, revision); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, db.rebind("DELETE FROM sandboxes WHERE id = ?"), id); err != nil {
			return fmt.Errorf("delete sandbox: %w", err)
		}
		return db.writeDBPerms(ctx, q, gid, dbID, perms)
	})
	return rev, err
}

// Group returns one group with its member count.
func (db *DB) Group(ctx context.Context, id int64) (*sightline.Group, error) {
	g := &sightline.Group{ID: id}
	err := db.r.QueryRowContext(ctx, db.rebind(`SELECT g.name, (SELECT COUNT(*) FROM group_members m JOIN users u ON u.id = m.user_id
		WHERE m.group_id = g.id AND u.is_active = ?) FROM user_groups g WHERE g.id = ?`), true, id).Scan(&g.Name, &g.MemberCount)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Group")
	}
	if err != nil {
		return nil, fmt.Errorf("group %d: %w", id, err)
	}
	return g, nil
}

// RenameGroup renames a group; a taken name is ECONFLICT. The built-in
// groups are refused.
func (db *DB) RenameGroup(ctx context.Context, id int64, name string) error {
	if id == sightline.AllUsersGroupID || id == sightline.AdminGroupID {
		return sightline.Errorf(sightline.EINVALID, "The built-in groups cannot be renamed.")
	}
	res, err := db.w.ExecContext(ctx, db.rebind("UPDATE user_groups SET name = ? WHERE id = ?"), name, id)
	if isUnique(err) {
		return sightline.Errorf(sightline.ECONFLICT, "A group named %q already exists.", name)
	}
	if err != nil {
		return fmt.Errorf("rename group: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFound("Group")
	}
	return nil
}

// DeleteGroup deletes a group with its memberships, grants and sandboxes,
// and moves both revisions on, so that editors holding the old graph must
// reload. The built-in groups are refused.
func (db *DB) DeleteGroup(ctx context.Context, id int64) error {
	if id == sightline.AllUsersGroupID || id == sightline.AdminGroupID {
		return sightline.Errorf(sightline.EINVALID, "The built-in groups cannot be deleted.")
	}
	return db.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, db.rebind("DELETE FROM user_groups WHERE id = ?"), id)
		if err != nil {
			return fmt.Errorf("delete group: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return notFound("Group")
		}
		// Cascades cover the rest; collection grants have no foreign key on
		// their collection, but do on the group.
		_, err = q.ExecContext(ctx, db.rebind("UPDATE permission_revisions SET revision = revision + 1, updated_at = ?"), db.Now())
		return err
	})
}

// AddMember adds a user to a group, or updates whether they manage it.
func (db *DB) AddMember(ctx context.Context, groupID, userID int64, manager bool) error {
	_, err := db.w.ExecContext(ctx, db.rebind(`INSERT INTO group_members (group_id, user_id, is_manager) VALUES (?, ?, ?)
		ON CONFLICT (group_id, user_id) DO UPDATE SET is_manager = excluded.is_manager`), groupID, userID, manager)
	if isForeignKey(err) {
		return sightline.Errorf(sightline.ENOTFOUND, "No such group or user.")
	}
	if err != nil {
		return fmt.Errorf("add member: %w", err)
	}
	return nil
}

// RemoveMember removes a user from a group. Nobody leaves All Users, and
// the last active administrator stays one.
func (db *DB) RemoveMember(ctx context.Context, groupID, userID int64) error {
	if groupID == sightline.AllUsersGroupID {
		return sightline.Errorf(sightline.EINVALID, "Everyone is a member of All Users.")
	}
	return db.tx(ctx, func(q querier) error {
		if groupID == sightline.AdminGroupID {
			n, err := db.countActiveAdmins(ctx, q)
			if err != nil {
				return err
			}
			if n <= 1 {
				return sightline.Errorf(sightline.EINVALID, "The last administrator cannot leave the Administrators group.")
			}
		}
		res, err := q.ExecContext(ctx, db.rebind("DELETE FROM group_members WHERE group_id = ? AND user_id = ?"), groupID, userID)
		if err != nil {
			return fmt.Errorf("remove member: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return notFound("Membership")
		}
		return nil
	})
}

// ClearGroup removes every member of a group in one transaction and
// returns the ids of the people removed. The built-in groups are refused:
// everyone is in All Users, and the Administrators group keeps its members.
func (db *DB) ClearGroup(ctx context.Context, groupID int64) ([]int64, error) {
	if groupID == sightline.AllUsersGroupID {
		return nil, sightline.Errorf(sightline.EINVALID, "Everyone is a member of All Users: it cannot be emptied.")
	}
	if groupID == sightline.AdminGroupID {
		return nil, sightline.Errorf(sightline.EINVALID, "The Administrators group cannot be emptied: remove administrators one at a time.")
	}
	var ids []int64
	err := db.tx(ctx, func(q querier) error {
		ids = nil
		rows, err := q.QueryContext(ctx, db.rebind("SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id"), groupID)
		if err != nil {
			return fmt.Errorf("list members: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, db.rebind("DELETE FROM group_members WHERE group_id = ?"), groupID); err != nil {
			return fmt.Errorf("clear group: %w", err)
		}
		return nil
	})
	return ids, err
}

// Memberships lists every membership, by group then user.
func (db *DB) Memberships(ctx context.Context) ([]access.Membership, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT group_id, user_id, is_manager FROM group_members ORDER BY group_id, user_id")
	if err != nil {
		return nil, fmt.Errorf("list memberships: %w", err)
	}
	var out []access.Membership
	for rows.Next() {
		var m access.Membership
		if err := rows.Scan(&m.GroupID, &m.UserID, &m.Manager); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, m)
	}
	return out, closeRows(rows)
}

// ManagedGroups lists the groups a user manages.
func (db *DB) ManagedGroups(ctx context.Context, userID int64) ([]int64, error) {
	rows, err := db.r.QueryContext(ctx, db.rebind("SELECT group_id FROM group_members WHERE user_id = ? AND is_manager = ? ORDER BY group_id"), userID, true)
	if err != nil {
		return nil, fmt.Errorf("managed groups: %w", err)
	}
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, id)
	}
	return out, closeRows(rows)
}
