package appdb

import (
	"context"
	"fmt"

	"sightline"
)

// Settings returns every stored setting. Secret settings come back decrypted.
func (db *DB) Settings(ctx context.Context) (map[string]string, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT key, value FROM settings")
	if err != nil {
		return nil, fmt.Errorf("load settings: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		if def, ok := sightline.LookupSetting(k); ok && def.Kind == sightline.SettingSecret {
			if v, err = db.secrets.open(v); err != nil {
				return nil, fmt.Errorf("setting %s: %w", k, err)
			}
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SetSettings stores several settings in one transaction; an empty value
// removes the stored one (the default applies again). Secret settings are
// encrypted at rest when an encryption key is configured.
func (db *DB) SetSettings(ctx context.Context, kv map[string]string) error {
	now := db.Now()
	return db.tx(ctx, func(q querier) error {
		for k, v := range kv {
			if v == "" {
				if _, err := q.ExecContext(ctx, db.rebind("DELETE FROM settings WHERE key = ?"), k); err != nil {
					return err
				}
				continue
			}
			if def, ok := sightline.LookupSetting(k); ok && def.Kind == sightline.SettingSecret {
				var err error
				if v, err = db.secrets.seal(v); err != nil {
					return err
				}
			}
			if _, err := q.ExecContext(ctx, db.rebind(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`), k, v, now); err != nil {
				return fmt.Errorf("save setting %s: %w", k, err)
			}
		}
		return nil
	})
}
