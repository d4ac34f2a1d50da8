package appdb

import (
	"context"
	"fmt"

	"sightline"
	"sightline/internal/access"
)

func (db *DB) userGroups(ctx context.Context, q querier, userID int64) ([]sightline.Group, error) {
	rows, err := q.QueryContext(ctx, db.rebind(`SELECT g.id, g.name, m.is_manager FROM group_members m
		JOIN user_groups g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY g.id`), userID)
	if err != nil {
		return nil, fmt.Errorf("groups of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []sightline.Group
	for rows.Next() {
		var g sightline.Group
		if err := rows.Scan(&g.ID, &g.Name, &g.Manager); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Groups lists every group with its member count.
func (db *DB) Groups(ctx context.Context) ([]sightline.Group, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT g.id, g.name, (SELECT COUNT(*) FROM group_members m
		JOIN users u ON u.id = m.user_id WHERE m.group_id = g.id AND u.is_active = TRUE) FROM user_groups g ORDER BY g.id`)
	if err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	defer rows.Close()
	var out []sightline.Group
	for rows.Next() {
		var g sightline.Group
		if err := rows.Scan(&g.ID, &g.Name, &g.MemberCount); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// CreateGroup inserts a group; a taken name is ECONFLICT.
func (db *DB) CreateGroup(ctx context.Context, g *sightline.Group) error {
	id, err := db.insertID(ctx, db.w, "INSERT INTO user_groups (name, created_at) VALUES (?, ?)", g.Name, db.Now())
	if isUnique(err) {
		return sightline.Errorf(sightline.ECONFLICT, "A group named %q already exists.", g.Name)
	}
	if err != nil {
		return fmt.Errorf("create group: %w", err)
	}
	g.ID = id
	return nil
}

// SetUserGroups adds and removes memberships in one transaction. It never
// removes All Users and refuses to remove the last active administrator.
func (db *DB) SetUserGroups(ctx context.Context, userID int64, add, remove []int64) error {
	return db.tx(ctx, func(q querier) error {
		for _, g := range remove {
			if g == sightline.AllUsersGroupID {
				continue
			}
			if g == sightline.AdminGroupID {
				n, err := db.countActiveAdmins(ctx, q)
				if err != nil {
					return err
				}
				if n <= 1 {
					continue
				}
			}
			if _, err := q.ExecContext(ctx, db.rebind("DELETE FROM group_members WHERE group_id = ? AND user_id = ?"), g, userID); err != nil {
				return err
			}
		}
		for _, g := range add {
			_, err := q.ExecContext(ctx, db.rebind(`INSERT INTO group_members (group_id, user_id) VALUES (?, ?)
				ON CONFLICT (group_id, user_id) DO NOTHING`), g, userID)
			if err != nil {
				return fmt.Errorf("add to group %d: %w", g, err)
			}
		}
		return nil
	})
}

// SetMemberships changes a person's groups in one transaction: each of set
// is added, or has its manager flag updated; each group of remove is left.
// All Users is never left, and the last active administrator cannot leave
// the Administrators group: the whole change is refused.
func (db *DB) SetMemberships(ctx context.Context, userID int64, set []access.Membership, remove []int64) error {
	return db.tx(ctx, func(q querier) error {
		for _, g := range remove {
			if g == sightline.AllUsersGroupID {
				return sightline.Errorf(sightline.EINVALID, "Everyone is a member of All Users.")
			}
			if g == sightline.AdminGroupID {
				n, err := db.countActiveAdmins(ctx, q)
				if err != nil {
					return err
				}
				if n <= 1 {
					return sightline.Errorf(sightline.EINVALID, "The last administrator cannot stop being one: make someone else an administrator first.")
				}
			}
			if _, err := q.ExecContext(ctx, db.rebind("DELETE FROM group_members WHERE group_id = ? AND user_id = ?"), g, userID); err != nil {
				return fmt.Errorf("leave group %d: %w", g, err)
			}
		}
		for _, m := range set {
			_, err := q.ExecContext(ctx, db.rebind(`INSERT INTO group_members (group_id, user_id, is_manager) VALUES (?, ?, ?)
				ON CONFLICT (group_id, user_id) DO UPDATE SET is_manager = excluded.is_manager`), m.GroupID, userID, m.Manager)
			if isForeignKey(err) {
				return sightline.Errorf(sightline.ENOTFOUND, "No such group or user.")
			}
			if err != nil {
				return fmt.Errorf("join group %d: %w", m.GroupID, err)
			}
		}
		return nil
	})
}
