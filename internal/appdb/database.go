package appdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"sightline"
)

const databaseColumns = `id, name, engine, details, is_sample, sync_status, sync_progress, last_sync_at, last_sync_error, created_at, updated_at`

func (db *DB) scanDatabase(sc interface{ Scan(...any) error }) (*sightline.Database, error) {
	d := &sightline.Database{}
	var details string
	var last sql.NullTime
	if err := sc.Scan(&d.ID, &d.Name, &d.Engine, &details, &d.IsSample, &d.SyncStatus, &d.SyncProgress, &last,
		&d.LastSyncError, &d.CreatedAt, &d.UpdatedAt); err != nil {
		return nil, err
	}
	d.LastSyncAt = last.Time
	if err := json.Unmarshal([]byte(details), &d.Details); err != nil {
		return nil, fmt.Errorf("database %d details: %w", d.ID, err)
	}
	pw, err := db.secrets.open(d.Details.Password)
	if err != nil {
		return nil, fmt.Errorf("database %d password: %w", d.ID, err)
	}
	d.Details.Password = pw
	d.Details.PasswordSet = pw != ""
	return d, nil
}

func (db *DB) detailsJSON(d sightline.DatabaseDetails) (string, error) {
	pw, err := db.secrets.seal(d.Password)
	if err != nil {
		return "", err
	}
	d.Password, d.PasswordSet = pw, false
	b, err := json.Marshal(d)
	return string(b), err
}

// CreateDatabase stores a connection; its password is encrypted at rest.
func (db *DB) CreateDatabase(ctx context.Context, d *sightline.Database) error {
	details, err := db.detailsJSON(d.Details)
	if err != nil {
		return err
	}
	now := db.Now()
	id, err := db.insertID(ctx, db.w, `INSERT INTO databases (name, engine, details, is_sample, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, d.Name, d.Engine, details, d.IsSample, now, now)
	if isUnique(err) {
		return sightline.Errorf(sightline.ECONFLICT, "A database named %q already exists.", d.Name)
	}
	if err != nil {
		return fmt.Errorf("create database: %w", err)
	}
	d.ID, d.CreatedAt, d.UpdatedAt = id, now, now
	return nil
}

// UpdateDatabase saves a connection's name and details.
func (db *DB) UpdateDatabase(ctx context.Context, d *sightline.Database) error {
	details, err := db.detailsJSON(d.Details)
	if err != nil {
		return err
	}
	res, err := db.w.ExecContext(ctx, db.rebind(`UPDATE databases SET name = ?, engine = ?, details = ?, updated_at = ? WHERE id = ?`),
		d.Name, d.Engine, details, db.Now(), d.ID)
	if isUnique(err) {
		return sightline.Errorf(sightline.ECONFLICT, "A database named %q already exists.", d.Name)
	}
	if err != nil {
		return fmt.Errorf("update database: %w", err)
	}
	return mustAffect(res, "Database")
}

// DeleteDatabase removes a connection with its synced metadata.
func (db *DB) DeleteDatabase(ctx context.Context, id int64) error {
	res, err := db.w.ExecContext(ctx, db.rebind("DELETE FROM databases WHERE id = ?"), id)
	if err != nil {
		return fmt.Errorf("delete database: %w", err)
	}
	return mustAffect(res, "Database")
}

// Database returns one connection (password decrypted, for the server's use).
func (db *DB) Database(ctx context.Context, id int64) (*sightline.Database, error) {
	d, err := db.scanDatabase(db.r.QueryRowContext(ctx, db.rebind("SELECT "+databaseColumns+" FROM databases WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Database")
	}
	return d, err
}

// Databases lists every connection by name.
func (db *DB) Databases(ctx context.Context) ([]*sightline.Database, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+databaseColumns+" FROM databases ORDER BY is_sample DESC, name")
	if err != nil {
		return nil, fmt.Errorf("list databases: %w", err)
	}
	defer rows.Close()
	var out []*sightline.Database
	for rows.Next() {
		d, err := db.scanDatabase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SetSyncState records a sync's progress or outcome.
func (db *DB) SetSyncState(ctx context.Context, id int64, status, progress, lastError string, finished time.Time) error {
	q := "UPDATE databases SET sync_status = ?, sync_progress = ?, last_sync_error = ? WHERE id = ?"
	args := []any{status, progress, lastError, id}
	if !finished.IsZero() {
		q = "UPDATE databases SET sync_status = ?, sync_progress = ?, last_sync_error = ?, last_sync_at = ? WHERE id = ?"
		args = []any{status, progress, lastError, finished, id}
	}
	_, err := db.w.ExecContext(ctx, db.rebind(q), args...)
	return err
}
