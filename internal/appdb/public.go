package appdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"sightline"
)

// publicTable returns the table holding public links of model and the
// name used in messages.
func publicTable(model string) (string, string, error) {
	switch model {
	case sightline.PublicCard:
		return "cards", "Question", nil
	case sightline.PublicDashboard:
		return "dashboards", "Dashboard", nil
	}
	return "", "", fmt.Errorf("public link: unknown model %q", model)
}

// SetPublicUUID sets (or, with uuid "", clears) the public link of the
// question or dashboard id; model is sightline.PublicCard or
// sightline.PublicDashboard.
func (db *DB) SetPublicUUID(ctx context.Context, model string, id int64, uuid string) error {
	table, what, err := publicTable(model)
	if err != nil {
		return err
	}
	var v any
	if uuid != "" {
		v = uuid
	}
	res, err := db.w.ExecContext(ctx, db.rebind("UPDATE "+table+" SET public_uuid = ? WHERE id = ?"), v, id)
	if err != nil {
		return fmt.Errorf("set public link of %s: %w", table, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return notFound(what)
	}
	return nil
}

// PublicUUID returns the public link of the question or dashboard id, ""
// when it has none.
func (db *DB) PublicUUID(ctx context.Context, model string, id int64) (string, error) {
	table, what, err := publicTable(model)
	if err != nil {
		return "", err
	}
	var v sql.NullString
	err = db.r.QueryRowContext(ctx, db.rebind("SELECT public_uuid FROM "+table+" WHERE id = ?"), id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound(what)
	}
	if err != nil {
		return "", fmt.Errorf("load public link of %s: %w", table, err)
	}
	return v.String, nil
}

// ByPublicUUID returns the id of the question or dashboard whose public
// link is uuid, not found when none is.
func (db *DB) ByPublicUUID(ctx context.Context, model, uuid string) (int64, error) {
	table, what, err := publicTable(model)
	if err != nil {
		return 0, err
	}
	var id int64
	err = db.r.QueryRowContext(ctx, db.rebind("SELECT id FROM "+table+" WHERE public_uuid = ?"), uuid).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound(what)
	}
	if err != nil {
		return 0, fmt.Errorf("find public link in %s: %w", table, err)
	}
	return id, nil
}

// PublicLinks lists the questions or dashboards that have a public link,
// by name.
func (db *DB) PublicLinks(ctx context.Context, model string) ([]sightline.PublicLink, error) {
	table, _, err := publicTable(model)
	if err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, "SELECT id, name, public_uuid FROM "+table+" WHERE public_uuid IS NOT NULL ORDER BY LOWER(name), id")
	if err != nil {
		return nil, fmt.Errorf("list public links of %s: %w", table, err)
	}
	defer rows.Close()
	out := []sightline.PublicLink{}
	for rows.Next() {
		var l sightline.PublicLink
		if err := rows.Scan(&l.ID, &l.Name, &l.PublicUUID); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
