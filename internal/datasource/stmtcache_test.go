package datasource

import (
	"context"
	"fmt"
	"testing"

	"sightline"
)

// oneConn opens db as a source with a single connection and returns the
// source and that connection's statement cache.
func oneConn(t *testing.T, db sightline.Database) (*Source, *stmtCache) {
	t.Helper()
	db.Details.MaxOpenConns = 1
	s := open(t, db)
	conn, err := s.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var cache *stmtCache
	if err := conn.Raw(func(dc any) error {
		cache = dc.(*sqliteConn).stmts
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return s, cache
}

func numbersFixture(t *testing.T, rows int) sightline.Database {
	t.Helper()
	return sqliteFixture(t, []string{
		"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)",
		fmt.Sprintf("INSERT INTO t WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d) SELECT i, 'name ' || i FROM s", rows),
	})
}

// TestSQLiteStatementReuse runs one question with different values on a
// connection: it is prepared once and every run gets its own rows.
func TestSQLiteStatementReuse(t *testing.T) {
	s, cache := oneConn(t, numbersFixture(t, 10))
	ctx := context.Background()
	for _, id := range []int64{3, 7, 3, 11, 1} {
		res, err := s.Exec(ctx, "SELECT name FROM t WHERE id = ?", []any{id}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var want [][]any
		if id <= 10 {
			want = [][]any{{fmt.Sprintf("name %d", id)}}
		}
		if fmt.Sprint(res.Rows) != fmt.Sprint(want) && !(len(want) == 0 && len(res.Rows) == 0) {
			t.Errorf("Exec(id = %d) = %v, want %v", id, res.Rows, want)
		}
	}
	if cache.prepared != 1 || cache.len() != 1 {
		t.Errorf("five runs of one question prepared %d statements, cache holds %d; want 1 and 1", cache.prepared, cache.len())
	}
}

// TestSQLiteStatementCacheBound runs more distinct questions than a
// connection keeps: the cache stays at its bound and every answer is right.
func TestSQLiteStatementCacheBound(t *testing.T) {
	s, cache := oneConn(t, numbersFixture(t, 3))
	ctx := context.Background()
	for i := range sqliteStmtsPerConn + 10 {
		res, err := s.Exec(ctx, fmt.Sprintf("SELECT count(*) + %d AS n FROM t", i), nil, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Rows[0][0]; got != int64(3+i) {
			t.Errorf("question %d = %v, want %d", i, got, 3+i)
		}
	}
	if got := cache.len(); got != sqliteStmtsPerConn {
		t.Errorf("cache holds %d statements after %d questions, want the bound %d", got, sqliteStmtsPerConn+10, sqliteStmtsPerConn)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := cache.len(); got != 0 {
		t.Errorf("cache holds %d statements once the source is closed, want 0", got)
	}
}

// TestSQLiteStatementOverlap runs a question while the same question's
// rows are still being read on the same connection: each reads its own.
func TestSQLiteStatementOverlap(t *testing.T) {
	s, _ := oneConn(t, numbersFixture(t, 10))
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const q = "SELECT id FROM t WHERE id >= ? ORDER BY id"
	outer, err := conn.QueryContext(ctx, q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for outer.Next() {
		var id int64
		if err := outer.Scan(&id); err != nil {
			t.Fatal(err)
		}
		got = append(got, id)
		if id == 2 {
			var first int64
			if err := conn.QueryRowContext(ctx, q, 9).Scan(&first); err != nil || first != 9 {
				t.Errorf("inner run = %d, %v; want 9", first, err)
			}
		}
	}
	if err := outer.Close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[1 2 3 4 5 6 7 8 9 10]" {
		t.Errorf("outer run = %v, want 1 to 10", got)
	}
}

// TestSQLiteStatementAfterCancel cuts a question short (the row cap
// cancels it past the rows it skips), then runs it again on the same
// connection: the statement starts afresh.
func TestSQLiteStatementAfterCancel(t *testing.T) {
	s, cache := oneConn(t, numbersFixture(t, 3000))
	ctx := context.Background()
	const q = "SELECT id FROM t ORDER BY id"
	for _, tt := range []struct {
		max       int
		rows      int
		truncated bool
	}{{10, 10, true}, {5000, 3000, false}, {10, 10, true}, {2999, 2999, true}} {
		res, err := s.Exec(ctx, q, nil, Options{MaxRows: tt.max})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != tt.rows || res.Truncated != tt.truncated || res.Rows[0][0] != int64(1) {
			t.Errorf("Exec(max %d) = %d rows from %v, truncated %v; want %d from 1, truncated %v",
				tt.max, len(res.Rows), res.Rows[0][0], res.Truncated, tt.rows, tt.truncated)
		}
	}
	if cache.len() != 1 {
		t.Errorf("cache holds %d statements, want 1", cache.len())
	}
}

// TestSQLiteStatementsStayInTheirDatabase runs the same SQL text on two
// databases whose tables share a name: each answers from its own file.
func TestSQLiteStatementsStayInTheirDatabase(t *testing.T) {
	a, _ := oneConn(t, numbersFixture(t, 2))
	b, _ := oneConn(t, numbersFixture(t, 5))
	ctx := context.Background()
	for range 2 {
		for _, c := range []struct {
			s    *Source
			want int64
		}{{a, 2}, {b, 5}, {a, 2}} {
			res, err := c.s.Exec(ctx, "SELECT count(*) FROM t", nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Rows[0][0]; got != c.want {
				t.Errorf("count = %v, want %d", got, c.want)
			}
		}
	}
}

// TestSQLiteRefusedStatementNotCached checks that a statement the
// authorizer refuses is refused every time with its reason, and never
// kept.
func TestSQLiteRefusedStatementNotCached(t *testing.T) {
	s, cache := oneConn(t, numbersFixture(t, 2))
	for range 2 {
		_, err := s.Exec(context.Background(), "SELECT * FROM pragma_database_list", nil, Options{})
		if sightline.ErrorCode(err) != sightline.EINVALID {
			t.Fatalf("Exec(pragma_database_list) = %v, want refused", err)
		}
	}
	if cache.len() != 0 {
		t.Errorf("cache holds %d statements after refusals, want 0", cache.len())
	}
}

// TestPostgresStatementReuse checks what the PostgreSQL driver does on its
// own: a question run twice on a connection is prepared there once (pgx's
// per-connection statement cache), so Sightline adds no cache of its own.
func TestPostgresStatementReuse(t *testing.T) {
	db := postgresFixture(t, []string{"CREATE TABLE t (id integer PRIMARY KEY)", "INSERT INTO t VALUES (1), (2), (3)"})
	db.Details.MaxOpenConns = 1
	s := open(t, db)
	ctx := context.Background()
	const q = "SELECT id FROM t WHERE id >= $1 ORDER BY id"
	for _, from := range []int64{1, 2, 3} {
		res, err := s.Exec(ctx, q, []any{from}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != int(4-from) {
			t.Errorf("Exec(from %d) = %v", from, res.Rows)
		}
	}
	res, err := s.Exec(ctx, "SELECT count(*) FROM pg_prepared_statements WHERE statement = $1", []any{q}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Rows[0][0]; got != int64(1) {
		t.Errorf("the connection holds %v prepared statements of the question run three times, want 1", got)
	}
}
