package appdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"sightline"
)

const userColumns = `u.id, u.email, u.first_name, u.last_name, u.is_active, u.sso_source,
	u.jwt_attributes, u.attributes, u.created_at, u.last_login,
	EXISTS (SELECT 1 FROM group_members m WHERE m.user_id = u.id AND m.group_id = 2)`

func scanUser(sc interface{ Scan(...any) error }, u *sightline.User) error {
	var jwtAttrs, attrs string
	var last sql.NullTime
	if err := sc.Scan(&u.ID, &u.Email, &u.FirstName, &u.LastName, &u.Active, &u.SSOSource,
		&jwtAttrs, &attrs, &u.CreatedAt, &last, &u.IsAdmin); err != nil {
		return err
	}
	u.LastLogin = last.Time
	if err := unmarshalAttrs(jwtAttrs, &u.LoginAttributes); err != nil {
		return fmt.Errorf("user %d jwt attributes: %w", u.ID, err)
	}
	return unmarshalAttrs(attrs, &u.Attributes)
}

func unmarshalAttrs(s string, m *map[string]string) error {
	if err := json.Unmarshal([]byte(s), m); err != nil {
		return fmt.Errorf("attributes: %w", err)
	}
	return nil
}

func attrsJSON(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(m) // a map of strings always marshals
	return string(b)
}

// CountUsers returns the number of users, active or not.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// CreateUser inserts u (with the given password hash, "" for SSO-only users),
// adds it to All Users and, when admin is true, to Administrators. It fills
// u.ID. A taken email is an ECONFLICT error.
func (db *DB) CreateUser(ctx context.Context, u *sightline.User, passwordHash string, admin bool) error {
	u.Email = sightline.NormalizeEmail(u.Email)
	now := db.Now()
	return db.tx(ctx, func(q querier) error {
		id, err := db.insertID(ctx, q, `INSERT INTO users (email, first_name, last_name, password_hash, is_active,
			sso_source, jwt_attributes, attributes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Email, u.FirstName, u.LastName, passwordHash, true, u.SSOSource,
			attrsJSON(u.LoginAttributes), attrsJSON(u.Attributes), now, now)
		if isUnique(err) {
			return sightline.Errorf(sightline.ECONFLICT, "A user with the email %s already exists.", u.Email)
		}
		if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		u.ID, u.Active, u.CreatedAt, u.IsAdmin = id, true, now, admin
		groups := []int64{sightline.AllUsersGroupID}
		if admin {
			groups = append(groups, sightline.AdminGroupID)
		}
		for _, g := range groups {
			if _, err := q.ExecContext(ctx, db.rebind("INSERT INTO group_members (group_id, user_id) VALUES (?, ?)"), g, id); err != nil {
				return fmt.Errorf("add user to group %d: %w", g, err)
			}
		}
		return nil
	})
}

// CreateFirstAdmin creates the first administrator, atomically refusing when
// any user exists already (two concurrent setups cannot both succeed).
func (db *DB) CreateFirstAdmin(ctx context.Context, u *sightline.User, passwordHash string) error {
	u.Email = sightline.NormalizeEmail(u.Email)
	now := db.Now()
	return db.tx(ctx, func(q querier) error {
		var n int
		if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return sightline.Errorf(sightline.EFORBIDDEN, "Sightline is already set up: sign in instead.")
		}
		id, err := db.insertID(ctx, q, `INSERT INTO users (email, first_name, last_name, password_hash, is_active,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			u.Email, u.FirstName, u.LastName, passwordHash, true, now, now)
		if err != nil {
			return fmt.Errorf("create first admin: %w", err)
		}
		u.ID, u.Active, u.CreatedAt, u.IsAdmin = id, true, now, true
		for _, g := range []int64{sightline.AllUsersGroupID, sightline.AdminGroupID} {
			if _, err := q.ExecContext(ctx, db.rebind("INSERT INTO group_members (group_id, user_id) VALUES (?, ?)"), g, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// UserByID returns a user with its groups.
func (db *DB) UserByID(ctx context.Context, id int64) (*sightline.User, error) {
	u := &sightline.User{}
	err := scanUser(db.r.QueryRowContext(ctx, db.rebind("SELECT "+userColumns+" FROM users u WHERE u.id = ?"), id), u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("User")
	}
	if err != nil {
		return nil, fmt.Errorf("user %d: %w", id, err)
	}
	if u.Groups, err = db.userGroups(ctx, db.r, id); err != nil {
		return nil, err
	}
	return u, nil
}

// UserByEmail returns a user (matched case-insensitively) and its password
// hash.
func (db *DB) UserByEmail(ctx context.Context, email string) (*sightline.User, string, error) {
	u := &sightline.User{}
	var hash string
	row := db.r.QueryRowContext(ctx, db.rebind("SELECT "+userColumns+", u.password_hash FROM users u WHERE u.email = ?"),
		sightline.NormalizeEmail(email))
	var jwtAttrs, attrs string
	var last sql.NullTime
	err := row.Scan(&u.ID, &u.Email, &u.FirstName, &u.LastName, &u.Active, &u.SSOSource,
		&jwtAttrs, &attrs, &u.CreatedAt, &last, &u.IsAdmin, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", notFound("User")
	}
	if err != nil {
		return nil, "", fmt.Errorf("user by email: %w", err)
	}
	u.LastLogin = last.Time
	if err := unmarshalAttrs(jwtAttrs, &u.LoginAttributes); err != nil {
		return nil, "", err
	}
	if err := unmarshalAttrs(attrs, &u.Attributes); err != nil {
		return nil, "", err
	}
	if u.Groups, err = db.userGroups(ctx, db.r, u.ID); err != nil {
		return nil, "", err
	}
	return u, hash, nil
}

// ListUsers returns users ordered by name, with their groups. query matches
// email or names case-insensitively; status is "active" (the default),
// "deactivated" or "all".
func (db *DB) ListUsers(ctx context.Context, query, status string) ([]*sightline.User, error) {
	var where []string
	var args []any
	switch status {
	case "deactivated":
		where = append(where, "u.is_active = ?")
		args = append(args, false)
	case "all":
	default:
		where = append(where, "u.is_active = ?")
		args = append(args, true)
	}
	if s := strings.TrimSpace(query); s != "" {
		// Emails are stored with only A-Z folded (sightline.NormalizeEmail),
		// so the email pattern is folded the same way on every engine.
		email, err := likePattern("%", sightline.NormalizeEmail(s), "%")
		if err != nil {
			return nil, err
		}
		like, err := likePattern("%", strings.ToLower(s), "%")
		if err != nil {
			return nil, err
		}
		where = append(where, `(u.email LIKE ? ESCAPE '\' OR LOWER(u.first_name) LIKE ? ESCAPE '\' OR LOWER(u.last_name) LIKE ? ESCAPE '\')`)
		args = append(args, email, like, like)
	}
	q := "SELECT " + userColumns + " FROM users u"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY LOWER(u.first_name), LOWER(u.last_name), u.email"
	rows, err := db.r.QueryContext(ctx, db.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []*sightline.User
	byID := map[int64]*sightline.User{}
	for rows.Next() {
		u := &sightline.User{}
		if err := scanUser(rows, u); err != nil {
			return nil, err
		}
		out = append(out, u)
		byID[u.ID] = u
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// One query for every user's groups, not one per user.
	grows, err := db.r.QueryContext(ctx, `SELECT m.user_id, g.id, g.name FROM group_members m
		JOIN user_groups g ON g.id = m.group_id ORDER BY g.id`)
	if err != nil {
		return nil, err
	}
	defer grows.Close()
	for grows.Next() {
		var uid int64
		var g sightline.Group
		if err := grows.Scan(&uid, &g.ID, &g.Name); err != nil {
			return nil, err
		}
		if u := byID[uid]; u != nil {
			u.Groups = append(u.Groups, g)
		}
	}
	return out, grows.Err()
}

// UpdateUser saves names, email and hand-set attributes.
func (db *DB) UpdateUser(ctx context.Context, u *sightline.User) error {
	u.Email = sightline.NormalizeEmail(u.Email)
	res, err := db.w.ExecContext(ctx, db.rebind(`UPDATE users SET email = ?, first_name = ?, last_name = ?,
		attributes = ?, updated_at = ? WHERE id = ?`), u.Email, u.FirstName, u.LastName, attrsJSON(u.Attributes), db.Now(), u.ID)
	if isUnique(err) {
		return sightline.Errorf(sightline.ECONFLICT, "A user with the email %s already exists.", u.Email)
	}
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	return mustAffect(res, "User")
}

// SetPassword replaces a user's password hash and ends their sessions.
func (db *DB) SetPassword(ctx context.Context, userID int64, hash string) error {
	return db.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, db.rebind("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?"), hash, db.Now(), userID)
		if err != nil {
			return err
		}
		if err := mustAffect(res, "User"); err != nil {
			return err
		}
		_, err = q.ExecContext(ctx, db.rebind("DELETE FROM sessions WHERE user_id = ?"), userID)
		return err
	})
}

// UpdatePasswordHash replaces a password hash with another of the same
// password (new hashing parameters), keeping the person's sessions.
func (db *DB) UpdatePasswordHash(ctx context.Context, userID int64, hash string) error {
	res, err := db.w.ExecContext(ctx, db.rebind("UPDATE users SET password_hash = ? WHERE id = ?"), hash, userID)
	if err != nil {
		return fmt.Errorf("update password hash: %w", err)
	}
	return mustAffect(res, "User")
}

// SetUserActive deactivates or reactivates a user. Deactivation ends every
// session of the user and refuses to deactivate the last active administrator.
func (db *DB) SetUserActive(ctx context.Context, userID int64, active bool) error {
	return db.tx(ctx, func(q querier) error {
		if !active {
			var isAdmin bool
			if err := q.QueryRowContext(ctx, db.rebind("SELECT EXISTS (SELECT 1 FROM group_members WHERE user_id = ? AND group_id = 2)"), userID).Scan(&isAdmin); err != nil {
				return err
			}
			if isAdmin {
				n, err := db.countActiveAdmins(ctx, q)
				if err != nil {
					return err
				}
				if n <= 1 {
					return sightline.Errorf(sightline.EINVALID, "The last administrator cannot be deactivated.")
				}
			}
		}
		res, err := q.ExecContext(ctx, db.rebind("UPDATE users SET is_active = ?, updated_at = ? WHERE id = ?"), active, db.Now(), userID)
		if err != nil {
			return err
		}
		if err := mustAffect(res, "User"); err != nil {
			return err
		}
		if !active {
			_, err = q.ExecContext(ctx, db.rebind("DELETE FROM sessions WHERE user_id = ?"), userID)
		}
		return err
	})
}

func (db *DB) countActiveAdmins(ctx context.Context, q querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, db.rebind(`SELECT COUNT(*) FROM group_members m JOIN users u ON u.id = m.user_id
		WHERE m.group_id = 2 AND u.is_active = ?`), true).Scan(&n)
	return n, err
}

// CountActiveAdmins returns the number of active administrators.
func (db *DB) CountActiveAdmins(ctx context.Context) (int, error) {
	return db.countActiveAdmins(ctx, db.r)
}

// RecordLogin stamps a successful sign-in.
func (db *DB) RecordLogin(ctx context.Context, userID int64, at time.Time) error {
	_, err := db.w.ExecContext(ctx, db.rebind("UPDATE users SET last_login = ? WHERE id = ?"), at, userID)
	return err
}

func mustAffect(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(what)
	}
	return nil
}
