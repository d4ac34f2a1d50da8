package appdb

import (
	"context"
	"fmt"

	"sightline"
)

// Audit appends an entry to the audit log.
func (db *DB) Audit(ctx context.Context, userID int64, topic, detailJSON string) error {
	if detailJSON == "" {
		detailJSON = "{}"
	}
	_, err := db.w.ExecContext(ctx, db.rebind("INSERT INTO audit_log (user_id, at, topic, detail) VALUES (?, ?, ?, ?)"),
		userID, db.Now(), topic, detailJSON)
	return err
}

// AuditLog returns audit entries newest first with the name and email of
// whoever made each change: at most limit of them after skipping offset.
// topicPrefix, when not empty, keeps only topics that start with it.
func (db *DB) AuditLog(ctx context.Context, topicPrefix string, offset, limit int) ([]sightline.AuditEntry, error) {
	q := `SELECT a.id, a.at, a.topic, a.detail, COALESCE(a.user_id, 0),
		COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), COALESCE(u.email, '')
		FROM audit_log a LEFT JOIN users u ON u.id = a.user_id`
	var args []any
	if topicPrefix != "" {
		like, err := likePattern("", topicPrefix, "%")
		if err != nil {
			return nil, err
		}
		q += ` WHERE a.topic LIKE ? ESCAPE '\'`
		args = append(args, like)
	}
	// Ids grow with every insert, so they order entries even when two
	// share a timestamp.
	q += " ORDER BY a.id DESC LIMIT ? OFFSET ?"
	args = append(args, limit, offset)
	rows, err := db.r.QueryContext(ctx, db.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	defer rows.Close()
	var out []sightline.AuditEntry
	for rows.Next() {
		var e sightline.AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.Topic, &e.Detail, &e.UserID, &e.FirstName, &e.LastName, &e.Email); err != nil {
			return nil, fmt.Errorf("list audit log: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
