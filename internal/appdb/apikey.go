package appdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"sightline"
)

// apiKeyColumns are the columns scanKey reads, from api_keys k joined to
// its group g and, left-joined, the user u who last changed it.
const apiKeyColumns = `k.id, k.name, k.group_id, g.name, k.prefix, k.creator_id, k.updated_by,
	COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), COALESCE(u.email, ''), k.created_at, k.updated_at`

const apiKeyFrom = ` FROM api_keys k JOIN user_groups g ON g.id = k.group_id LEFT JOIN users u ON u.id = k.updated_by`

func scanKey(sc interface{ Scan(...any) error }) (*sightline.APIKey, error) {
	k := &sightline.APIKey{}
	var first, last, email string
	if err := sc.Scan(&k.ID, &k.Name, &k.GroupID, &k.GroupName, &k.Prefix, &k.CreatorID, &k.UpdatedBy,
		&first, &last, &email, &k.CreatedAt, &k.UpdatedAt); err != nil {
		return nil, err
	}
	by := sightline.User{FirstName: first, LastName: last, Email: email}
	k.UpdatedByName = by.CommonName()
	return k, nil
}

// CreateAPIKey stores a new key under the hash of its secret; a taken name
// is ECONFLICT and an unknown group ENOTFOUND.
func (db *DB) CreateAPIKey(ctx context.Context, k *sightline.APIKey, keyHash string) error {
	if err := db.groupExists(ctx, k.GroupID); err != nil {
		return err
	}
	now := db.Now()
	id, err := db.insertID(ctx, db.w, `INSERT INTO api_keys (name, group_id, key_hash, prefix, creator_id, updated_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, k.Name, k.GroupID, keyHash, k.Prefix, k.CreatorID, k.UpdatedBy, now, now)
	if isUnique(err) {
		return sightline.Errorf(sightline.ECONFLICT, "An API key named %q already exists.", k.Name)
	}
	if err != nil {
		return fmt.Errorf("create api key: %w", err)
	}
	k.ID, k.CreatedAt, k.UpdatedAt = id, now, now
	return nil
}

func (db *DB) groupExists(ctx context.Context, id int64) error {
	var one int
	err := db.r.QueryRowContext(ctx, db.rebind("SELECT 1 FROM user_groups WHERE id = ?"), id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("Group")
	}
	return err
}

// APIKeys lists every API key by name.
func (db *DB) APIKeys(ctx context.Context) ([]*sightline.APIKey, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+apiKeyColumns+apiKeyFrom+" ORDER BY k.name, k.id")
	if err != nil {
		return nil, fmt.Errorf("list api keys: %w", err)
	}
	defer rows.Close()
	out := []*sightline.APIKey{}
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// APIKey returns one key by id, or ENOTFOUND.
func (db *DB) APIKey(ctx context.Context, id int64) (*sightline.APIKey, error) {
	k, err := scanKey(db.r.QueryRowContext(ctx, db.rebind("SELECT "+apiKeyColumns+apiKeyFrom+" WHERE k.id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("API key")
	}
	if err != nil {
		return nil, fmt.Errorf("load api key: %w", err)
	}
	return k, nil
}

// APIKeyByHash returns the key stored under keyHash, or EUNAUTHORIZED.
func (db *DB) APIKeyByHash(ctx context.Context, keyHash string) (*sightline.APIKey, error) {
	k, err := scanKey(db.r.QueryRowContext(ctx, db.rebind("SELECT "+apiKeyColumns+apiKeyFrom+" WHERE k.key_hash = ?"), keyHash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "This API key is not valid.")
	}
	if err != nil {
		return nil, fmt.Errorf("load api key: %w", err)
	}
	return k, nil
}

// UpdateAPIKey changes a key's name and group and notes who did it.
func (db *DB) UpdateAPIKey(ctx context.Context, k *sightline.APIKey) error {
	if err := db.groupExists(ctx, k.GroupID); err != nil {
		return err
	}
	now := db.Now()
	res, err := db.w.ExecContext(ctx, db.rebind("UPDATE api_keys SET name = ?, group_id = ?, updated_by = ?, updated_at = ? WHERE id = ?"),
		k.Name, k.GroupID, k.UpdatedBy, now, k.ID)
	if isUnique(err) {
		return sightline.Errorf(sightline.ECONFLICT, "An API key named %q already exists.", k.Name)
	}
	if err != nil {
		return fmt.Errorf("update api key: %w", err)
	}
	k.UpdatedAt = now
	return rowsOrNotFound(res, "API key")
}

// SetAPIKeySecret replaces a key's secret (its hash and prefix), so the old
// secret stops working at once.
func (db *DB) SetAPIKeySecret(ctx context.Context, id int64, keyHash, prefix string, by int64) error {
	res, err := db.w.ExecContext(ctx, db.rebind("UPDATE api_keys SET key_hash = ?, prefix = ?, updated_by = ?, updated_at = ? WHERE id = ?"),
		keyHash, prefix, by, db.Now(), id)
	if err != nil {
		return fmt.Errorf("regenerate api key: %w", err)
	}
	return rowsOrNotFound(res, "API key")
}

// DeleteAPIKey deletes a key, or is ENOTFOUND.
func (db *DB) DeleteAPIKey(ctx context.Context, id int64) error {
	res, err := db.w.ExecContext(ctx, db.rebind("DELETE FROM api_keys WHERE id = ?"), id)
	if err != nil {
		return fmt.Errorf("delete api key: %w", err)
	}
	return rowsOrNotFound(res, "API key")
}

// rowsOrNotFound is ENOTFOUND when res changed no row.
func rowsOrNotFound(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(what)
	}
	return nil
}
