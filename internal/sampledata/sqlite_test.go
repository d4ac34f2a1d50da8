package sampledata

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sightline"
)

// writeSample writes the scale-1 sample to a SQLite file in a temp dir and
// returns its path.
func writeSample(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sample.db")
	if err := WriteSQLite(context.Background(), path, Options{Anchor: testAnchor()}); err != nil {
		t.Fatalf("WriteSQLite = %v", err)
	}
	return path
}

func openSQLite(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dbDigest hashes every row of def in db, ordered by ID and normalised.
func dbDigest(t testing.TB, db *sql.DB, dialect string, def TableDef) string {
	t.Helper()
	names := make([]string, len(def.Columns))
	for i, c := range def.Columns {
		names[i] = quote(dialect, c.Name)
	}
	q := "SELECT " + strings.Join(names, ", ") + " FROM " + quote(dialect, def.Name) + " ORDER BY " + quote(dialect, "ID")
	rows, err := db.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var all [][]any
	for rows.Next() {
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("scan %s: %v", def.Name, err)
		}
		all = append(all, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("rows of %s: %v", def.Name, err)
	}
	return digest(def, all)
}

func count(t testing.TB, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestWriteSQLite(t *testing.T) {
	path := writeSample(t)
	db := openSQLite(t, path)
	generated := rowsOf(t, Options{Anchor: testAnchor()})

	for _, def := range Tables() {
		t.Run(def.Name, func(t *testing.T) {
			if got := count(t, db, `SELECT COUNT(*) FROM "`+def.Name+`"`); got != def.Rows {
				t.Errorf("rows in %s = %d, want %d", def.Name, got, def.Rows)
			}
			if got, want := dbDigest(t, db, sightline.EngineSQLite, def), digest(def, generated[def.Name]); got != want {
				t.Errorf("digest of %s in SQLite = %s, want the generated %s", def.Name, got, want)
			}
			types := map[string]string{}
			rows, err := db.Query(`SELECT name, type FROM pragma_table_info(?)`, def.Name)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var name, typ string
				if err := rows.Scan(&name, &typ); err != nil {
					t.Fatal(err)
				}
				types[name] = typ
			}
			for _, c := range def.Columns {
				if got, want := types[c.Name], c.Type(sightline.EngineSQLite); got != want {
					t.Errorf("declared type of %s.%s = %q, want %q", def.Name, c.Name, got, want)
				}
			}
		})
	}

	fks := []struct{ from, column, to string }{
		{Invoices, "ACCOUNT_ID", Accounts},
		{Orders, "USER_ID", People},
		{Orders, "PRODUCT_ID", Products},
		{Reviews, "PRODUCT_ID", Products},
		{AnalyticEvents, "ACCOUNT_ID", Accounts},
		{Feedback, "ACCOUNT_ID", Accounts},
	}
	for _, fk := range fks {
		t.Run("fk "+fk.from+"."+fk.column, func(t *testing.T) {
			if got := count(t, db, `SELECT COUNT(*) FROM pragma_foreign_key_list('`+fk.from+`') WHERE "from" = '`+fk.column+`' AND "table" = '`+fk.to+`' AND "to" = 'ID'`); got != 1 {
				t.Errorf("foreign keys %s.%s -> %s.ID = %d, want 1", fk.from, fk.column, fk.to, got)
			}
			orphans := `SELECT COUNT(*) FROM "` + fk.from + `" c LEFT JOIN "` + fk.to + `" p ON p."ID" = c."` + fk.column + `" WHERE p."ID" IS NULL`
			if got := count(t, db, orphans); got != 0 {
				t.Errorf("orphans in %s.%s = %d, want 0", fk.from, fk.column, got)
			}
		})
	}

	t.Run("account 28", func(t *testing.T) {
		q := `SELECT COUNT(*) FROM "INVOICES" WHERE "ACCOUNT_ID" = 28 AND "PAYMENT" = 295 AND "PLAN" = 'Basic'`
		if got := count(t, db, q); got != FixedAccountInvoices {
			t.Errorf("account 28's Basic invoices of 295 = %d, want %d", got, FixedAccountInvoices)
		}
		if got := count(t, db, `SELECT COUNT(*) FROM "INVOICES" WHERE "ACCOUNT_ID" = 28`); got != FixedAccountInvoices {
			t.Errorf("account 28's invoices = %d, want %d", got, FixedAccountInvoices)
		}
	})

	t.Run("stored forms", func(t *testing.T) {
		checks := []struct{ query, want string }{
			{`SELECT typeof("DATE_RECEIVED") || ':' || length("DATE_RECEIVED") FROM "INVOICES" LIMIT 1`, "text:10"},
			{`SELECT typeof("CREATED_AT") || ':' || length("CREATED_AT") FROM "ORDERS" LIMIT 1`, "text:19"},
			{`SELECT group_concat(DISTINCT "ACTIVE_SUBSCRIPTION") FROM (SELECT "ACTIVE_SUBSCRIPTION" FROM "ACCOUNTS" ORDER BY 1)`, "0,1"},
		}
		for _, c := range checks {
			var got string
			if err := db.QueryRow(c.query).Scan(&got); err != nil {
				t.Fatalf("%s: %v", c.query, err)
			}
			if got != c.want {
				t.Errorf("%s = %q, want %q", c.query, got, c.want)
			}
		}
	})
}

func TestWriteSQLiteReplacesAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sample.db")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := WriteSQLite(ctx, path, Options{Anchor: testAnchor()}); err == nil {
		t.Fatal("WriteSQLite with a canceled context = nil, want an error")
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "old" {
		t.Errorf("file after a failed write = %q, %v; want the old content", b, err)
	}
	if err := WriteSQLite(context.Background(), path, Options{Anchor: testAnchor()}); err != nil {
		t.Fatalf("WriteSQLite = %v", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "sample.db" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files after writing = %v, want only sample.db", names)
	}
	db := openSQLite(t, path)
	if got := count(t, db, `SELECT COUNT(*) FROM "ACCOUNTS"`); got != 2495 {
		t.Errorf("accounts in the replaced file = %d, want 2495", got)
	}
}

func TestWriteSQLiteIsReproducible(t *testing.T) {
	a, b := writeSample(t), writeSample(t)
	da, db := openSQLite(t, a), openSQLite(t, b)
	for _, def := range Tables() {
		if x, y := dbDigest(t, da, sightline.EngineSQLite, def), dbDigest(t, db, sightline.EngineSQLite, def); x != y {
			t.Errorf("%s differs between two files: %s vs %s", def.Name, x, y)
		}
	}
}

func BenchmarkWriteSQLite(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		if err := WriteSQLite(context.Background(), filepath.Join(dir, "sample.db"), Options{Anchor: testAnchor()}); err != nil {
			b.Fatal(err)
		}
	}
}
