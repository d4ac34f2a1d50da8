package appdb

import (
	"context"
	"fmt"
	"time"

	"sightline"
)

// UpdateSSOUser records a JWT sign-in of an existing user in one statement:
// the names when the token carried them (nil leaves a stored name alone), the
// token's attributes (kept apart from the hand-set ones), sso_source "jwt",
// the last sign-in time, and reactivation (the caller decides whether a
// deactivated user may come back).
func (db *DB) UpdateSSOUser(ctx context.Context, id int64, first, last *string, jwtAttrs map[string]string, at time.Time) error {
	q := "UPDATE users SET jwt_attributes = ?, sso_source = ?, is_active = ?, last_login = ?, updated_at = ?"
	args := []any{attrsJSON(jwtAttrs), sightline.SignInJWT, true, at, db.Now()}
	if first != nil {
		q += ", first_name = ?"
		args = append(args, *first)
	}
	if last != nil {
		q += ", last_name = ?"
		args = append(args, *last)
	}
	q += " WHERE id = ?"
	args = append(args, id)
	res, err := db.w.ExecContext(ctx, db.rebind(q), args...)
	if err != nil {
		return fmt.Errorf("update SSO user %d: %w", id, err)
	}
	return mustAffect(res, "User")
}

// GroupIDsByName returns every group's id by its name, for matching the
// group names of a JWT. It is lighter than Groups, which counts members.
func (db *DB) GroupIDsByName(ctx context.Context) (map[string]int64, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT id, name FROM user_groups")
	if err != nil {
		return nil, fmt.Errorf("group ids by name: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[name] = id
	}
	return out, rows.Err()
}

// UseTokenID records that the JWT with id hash (a digest of its jti) signed
// someone in and may not do so again before expires. It is an ECONFLICT
// error when the id was recorded already and has not expired. Expired ids
// are pruned on the way, so the table holds only tokens still alive.
func (db *DB) UseTokenID(ctx context.Context, hash string, expires time.Time) error {
	if _, err := db.w.ExecContext(ctx, db.rebind("DELETE FROM jwt_token_ids WHERE expires_at < ?"), db.Now()); err != nil {
		return fmt.Errorf("prune used token ids: %w", err)
	}
	_, err := db.w.ExecContext(ctx, db.rebind("INSERT INTO jwt_token_ids (id_hash, expires_at) VALUES (?, ?)"), hash, expires.UTC())
	if isUnique(err) {
		return sightline.Errorf(sightline.ECONFLICT, "This JWT token has been used already.")
	}
	if err != nil {
		return fmt.Errorf("record used token id: %w", err)
	}
	return nil
}
