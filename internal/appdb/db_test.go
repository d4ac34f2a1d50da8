package appdb

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"sightline"
	"sightline/internal/testdb"
)

// eachDialect runs fn against a fresh, migrated app database on SQLite and
// on PostgreSQL.
func eachDialect(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, openTest(t, Options{Path: filepath.Join(t.TempDir(), "app.db"), EncryptionKey: "k"}))
	})
	t.Run("postgres", func(t *testing.T) {
		pg := testdb.Postgres(t)
		fn(t, openTest(t, Options{URL: pg.URL, EncryptionKey: "k"}))
	})
}

func openTest(t *testing.T, o Options) *DB {
	t.Helper()
	db, err := Open(context.Background(), o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrationsApplyAndReapply(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		v, err := db.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v < 2 {
			t.Errorf("Version() = %d, want at least 2", v)
		}
		if err := db.migrate(ctx, nil, nil); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		groups, err := db.Groups(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(groups) != 2 || groups[0].Name != "All Users" || groups[1].Name != "Administrators" {
			t.Errorf("Groups() = %+v, want the two built-in groups", groups)
		}
	})
}

// TestMigrationCrashKeepsPreviousVersion applies a migration whose second
// statement fails, as a crash midway would: the database must stay at the
// previous version with no trace of the first statement, and a later start
// with the repaired migration completes it.
func TestMigrationCrashKeepsPreviousVersion(t *testing.T) {
	ctx := context.Background()
	run := func(t *testing.T, o Options) {
		db, err := open(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		good := fstest.MapFS{
			"00001_a.sql": {Data: []byte("-- +goose Up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n")},
		}
		if err := db.migrate(ctx, good, nil); err != nil {
			t.Fatal(err)
		}
		broken := fstest.MapFS{
			"00001_a.sql": good["00001_a.sql"],
			"00002_b.sql": {Data: []byte("-- +goose Up\nCREATE TABLE b (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);\n")},
		}
		if err := db.migrate(ctx, broken, nil); err == nil {
			t.Fatal("migrate with a failing statement succeeded, want an error")
		}
		if v, err := db.Version(ctx); err != nil || v != 1 {
			t.Fatalf("Version() after failed migration = %d, %v; want 1", v, err)
		}
		var n int
		if err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM b").Scan(&n); err == nil {
			t.Fatal("table b exists after its migration failed, want it rolled back")
		}
		fixed := fstest.MapFS{
			"00001_a.sql": good["00001_a.sql"],
			"00002_b.sql": {Data: []byte("-- +goose Up\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n")},
		}
		if err := db.migrate(ctx, fixed, nil); err != nil {
			t.Fatalf("migrate after repair: %v", err)
		}
		if v, err := db.Version(ctx); err != nil || v != 2 {
			t.Fatalf("Version() after repair = %d, %v; want 2", v, err)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, Options{Path: filepath.Join(t.TempDir(), "x.db")}) })
	t.Run("postgres", func(t *testing.T) { run(t, Options{URL: testdb.Postgres(t).URL}) })
}

// TestConcurrentStartsOnPostgres starts several instances against one empty
// PostgreSQL database at once: the advisory lock must let exactly one apply
// each migration and all of them come up.
func TestConcurrentStartsOnPostgres(t *testing.T) {
	pg := testdb.Postgres(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			db, err := Open(context.Background(), Options{URL: pg.URL})
			if err == nil {
				db.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent Open: %v", err)
		}
	}
}

func TestUsersAndSessions(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		admin := &sightline.User{Email: "Ada@Example.com", FirstName: "Ada", LastName: "Lovelace"}
		if err := db.CreateFirstAdmin(ctx, admin, "hash1"); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateFirstAdmin(ctx, &sightline.User{Email: "b@example.com"}, "h"); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
			t.Errorf("second CreateFirstAdmin = %v, want forbidden", err)
		}
		u, hash, err := db.UserByEmail(ctx, "ADA@example.COM")
		if err != nil {
			t.Fatal(err)
		}
		if hash != "hash1" || !u.IsAdmin || u.Email != "ada@example.com" || len(u.Groups) != 2 {
			t.Errorf("UserByEmail = %+v, %q; want admin ada@example.com in 2 groups", u, hash)
		}
		bob := &sightline.User{Email: "bob@example.com", Attributes: map[string]string{"account_id": "28"}}
		if err := db.CreateUser(ctx, bob, "", false); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateUser(ctx, &sightline.User{Email: "BOB@example.com"}, "", false); sightline.ErrorCode(err) != sightline.ECONFLICT {
			t.Errorf("duplicate CreateUser = %v, want conflict", err)
		}
		s := &sightline.Session{UserID: bob.ID}
		if err := db.CreateSession(ctx, s, "tokhash", "password"); err != nil {
			t.Fatal(err)
		}
		_, su, err := db.SessionUser(ctx, "tokhash")
		if err != nil {
			t.Fatal(err)
		}
		if su.ID != bob.ID || su.Attributes["account_id"] != "28" {
			t.Errorf("SessionUser = %+v, want bob with account_id 28", su)
		}
		if err := db.SetUserActive(ctx, bob.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionUser(ctx, "tokhash"); sightline.ErrorCode(err) != sightline.EUNAUTHORIZED {
			t.Errorf("SessionUser after deactivation = %v, want unauthorized", err)
		}
		if err := db.SetUserActive(ctx, admin.ID, false); sightline.ErrorCode(err) != sightline.EINVALID {
			t.Errorf("deactivating the last admin = %v, want invalid", err)
		}
		users, err := db.ListUsers(ctx, "bob", "all")
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 1 || users[0].Active {
			t.Errorf("ListUsers(bob, all) = %+v, want one deactivated bob", users)
		}
	})
}

func TestSettingsSecretsEncrypted(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if err := db.SetSettings(ctx, map[string]string{sightline.SettingJWTSharedSecret: "s3cret", sightline.SettingSiteName: "Acme"}); err != nil {
			t.Fatal(err)
		}
		var raw string
		if err := db.r.QueryRowContext(ctx, db.rebind("SELECT value FROM settings WHERE key = ?"), sightline.SettingJWTSharedSecret).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if raw == "s3cret" {
			t.Error("the JWT secret is stored in clear text, want it encrypted")
		}
		got, err := db.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got[sightline.SettingJWTSharedSecret] != "s3cret" || got[sightline.SettingSiteName] != "Acme" {
			t.Errorf("Settings() = %v, want the values back", got)
		}
		if err := db.SetSettings(ctx, map[string]string{sightline.SettingSiteName: ""}); err != nil {
			t.Fatal(err)
		}
		got, _ = db.Settings(ctx)
		if _, ok := got[sightline.SettingSiteName]; ok {
			t.Error("an empty value kept the stored setting, want it removed")
		}
	})
}

func TestLikePattern(t *testing.T) {
	tests := []struct {
		before, text, after string
		want                string
	}{
		{"%", "50%_off", "%", `%50\%\_off%`},
		{"", `a\b`, "%", `a\\b%`},
		{"%", strings.Repeat("é", sightline.MaxSearchText), "%", "%" + strings.Repeat("é", sightline.MaxSearchText) + "%"},
	}
	for _, tt := range tests {
		if got, err := likePattern(tt.before, tt.text, tt.after); err != nil || got != tt.want {
			t.Errorf("likePattern(%q, %.20q, %q) = %.30q, %v, want %.30q", tt.before, tt.text, tt.after, got, err, tt.want)
		}
	}
	_, err := likePattern("%", strings.Repeat("a", sightline.MaxSearchText+1), "%")
	if sightline.ErrorCode(err) != sightline.EINVALID || sightline.ErrorMessage(err) != "The search text is 1,001 characters, over the limit of 1,000." {
		t.Errorf("likePattern(<1,001 characters>) = %v, want the limit's EINVALID error", err)
	}
}
