package appdb

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestPing(t *testing.T) {
	ctx := context.Background()
	eachDialect(t, func(t *testing.T, db *DB) {
		if err := db.Ping(ctx); err != nil {
			t.Errorf("Ping() of an open database = %v, want nil", err)
		}
	})
	tests := []struct {
		name  string
		spoil func(t *testing.T, db *DB, path string)
	}{
		{"closed", func(t *testing.T, db *DB, path string) {
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
		}},
		{"file removed", func(t *testing.T, db *DB, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.db")
			db, err := Open(ctx, Options{Path: path})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			tt.spoil(t, db, path)
			if err := db.Ping(ctx); err == nil {
				t.Errorf("Ping() of a %s SQLite app database = nil, want an error", tt.name)
			}
		})
	}
}
