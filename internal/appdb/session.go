package appdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"sightline"
)

// CreateSession stores a new session under the hash of its token.
func (db *DB) CreateSession(ctx context.Context, s *sightline.Session, tokenHash, method string) error {
	now := db.Now()
	s.CreatedAt = now
	if s.ExpiresAt.IsZero() {
		s.ExpiresAt = now.Add(sightline.SessionTTL)
	}
	id, err := db.insertID(ctx, db.w, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, auth_method, embed)
		VALUES (?, ?, ?, ?, ?, ?)`, tokenHash, s.UserID, now, s.ExpiresAt, method, s.Embed)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	s.ID = id
	return nil
}

// SessionUser returns the live session stored under tokenHash and its active
// user. An unknown, expired or deactivated-user session is EUNAUTHORIZED.
// The expiry slides: a session used more than an hour after its last
// extension is extended to a full SessionTTL again.
func (db *DB) SessionUser(ctx context.Context, tokenHash string) (*sightline.Session, *sightline.User, error) {
	s := &sightline.Session{}
	u := &sightline.User{}
	row := db.r.QueryRowContext(ctx, db.rebind(`SELECT s.id, s.user_id, s.created_at, s.expires_at, s.embed, `+userColumns+`
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`), tokenHash)
	var jwtAttrs, attrs string
	var last sql.NullTime
	err := row.Scan(&s.ID, &s.UserID, &s.CreatedAt, &s.ExpiresAt, &s.Embed,
		&u.ID, &u.Email, &u.FirstName, &u.LastName, &u.Active, &u.SSOSource, &jwtAttrs, &attrs, &u.CreatedAt, &last, &u.IsAdmin)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Your session has ended. Please sign in again.")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load session: %w", err)
	}
	now := db.Now()
	if !u.Active || now.After(s.ExpiresAt) {
		return nil, nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Your session has ended. Please sign in again.")
	}
	u.LastLogin = last.Time
	if err := unmarshalAttrs(jwtAttrs, &u.LoginAttributes); err != nil {
		return nil, nil, err
	}
	if err := unmarshalAttrs(attrs, &u.Attributes); err != nil {
		return nil, nil, err
	}
	if u.Groups, err = db.userGroups(ctx, db.r, u.ID); err != nil {
		return nil, nil, err
	}
	if s.ExpiresAt.Sub(now) < sightline.SessionTTL-time.Hour {
		s.ExpiresAt = now.Add(sightline.SessionTTL)
		if _, err := db.w.ExecContext(ctx, db.rebind("UPDATE sessions SET expires_at = ? WHERE id = ?"), s.ExpiresAt, s.ID); err != nil {
			return nil, nil, fmt.Errorf("extend session: %w", err)
		}
	}
	return s, u, nil
}

// SetSessionEmbed stores the UI-hiding options of an embedded session.
func (db *DB) SetSessionEmbed(ctx context.Context, sessionID int64, embed string) error {
	_, err := db.w.ExecContext(ctx, db.rebind("UPDATE sessions SET embed = ? WHERE id = ?"), embed, sessionID)
	return err
}

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := db.w.ExecContext(ctx, db.rebind("DELETE FROM sessions WHERE token_hash = ?"), tokenHash)
	return err
}

// DeleteExpiredSessions removes sessions past their expiry.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res, err := db.w.ExecContext(ctx, db.rebind("DELETE FROM sessions WHERE expires_at < ?"), db.Now())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
