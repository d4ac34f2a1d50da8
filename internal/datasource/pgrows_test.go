package datasource

import (
	"context"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPostgresRowsMatchDatabaseSQL checks that a PostgreSQL result read
// through pgx's own interface gives the columns and values a reader sees on
// database/sql's path (pgx's adapter, then normalize), for every kind of
// column a question can return: numbers of each width, NUMERIC with
// fractions, NaN and infinities, dates and timestamps (infinite ones too),
// text, JSON, UUID, bytes, intervals, arrays and NULLs.
func TestPostgresRowsMatchDatabaseSQL(t *testing.T) {
	s := open(t, postgresFixture(t, nil))
	ctx := context.Background()
	const q = `SELECT * FROM (VALUES
		(1::int2, 2::int4, 9007199254740993::int8, 1.5::float4, 2.25::float8, 12345.678::numeric(12,3),
		 'NaN'::numeric, true, DATE '2024-02-29', TIMESTAMP '2024-02-29 13:14:15.123456',
		 TIMESTAMPTZ '2024-02-29 13:14:15+05:30', 'naïve <b>text</b>'::text, 'x'::varchar(3),
		 '{"a": [1, 2]}'::jsonb, '{"b": 1}'::json, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid,
		 '\xdeadbeef'::bytea, INTERVAL '1 day 02:03:04', ARRAY[1, 2, 3], TIME '10:11:12', 42::oid,
		 'infinity'::numeric, DATE 'infinity', TIMESTAMP '-infinity', 1e-7::float8, '-0.000001'::numeric),
		(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
	) AS t(i2, i4, i8, f4, f8, num, nan, b, d, ts, tstz, txt, vc, jb, js, id, raw, iv, arr, tod, o, inf, dinf, tsinf, tiny, neg)`

	res, err := s.Exec(ctx, q, nil, Options{})
	if err != nil {
		t.Fatalf("Exec = %v", err)
	}

	wantCols, want := readThroughDatabaseSQL(t, s, q)

	if diff := cmp.Diff(wantCols, res.Columns); diff != "" {
		t.Errorf("columns differ from database/sql's (-database/sql +pgx):\n%s", diff)
	}
	// NaN is a value here like any other.
	nanEqual := cmp.Comparer(func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) })
	if diff := cmp.Diff(want, res.Rows, nanEqual); diff != "" {
		t.Errorf("rows differ from database/sql's (-database/sql +pgx):\n%s", diff)
	}
	if len(res.Rows) != 2 {
		t.Fatalf("Exec returned %d rows, want 2", len(res.Rows))
	}
	if got := res.Rows[0][5]; got != 12345.678 {
		t.Errorf("NUMERIC 12345.678 reads as %#v, want float64 12345.678", got)
	}
}

// TestPostgresRowsRepeatedValues checks a page whose columns repeat a few
// values (a plan, a day, an amount) next to columns whose values all
// differ, more of them than are remembered for reuse: every row holds the
// values database/sql's path reads.
func TestPostgresRowsRepeatedValues(t *testing.T) {
	s := open(t, postgresFixture(t, nil))
	const q = `SELECT g AS id, (ARRAY['Basic', 'Business', 'Premium'])[1 + g % 3] AS plan,
		DATE '2024-01-01' + g % 5 AS day, (g % 4 * 2.5)::numeric(10,2) AS amount,
		'row ' || g AS label, CASE WHEN g % 7 = 0 THEN NULL ELSE g % 2 = 0 END AS even
		FROM generate_series(1, 1500) AS g ORDER BY g`
	res, err := s.Exec(context.Background(), q, nil, Options{})
	if err != nil {
		t.Fatalf("Exec = %v", err)
	}
	wantCols, want := readThroughDatabaseSQL(t, s, q)
	if diff := cmp.Diff(wantCols, res.Columns); diff != "" {
		t.Errorf("columns differ from database/sql's (-database/sql +pgx):\n%s", diff)
	}
	if diff := cmp.Diff(want, res.Rows); diff != "" {
		t.Errorf("rows differ from database/sql's (-database/sql +pgx):\n%s", diff)
	}
	if got := res.Rows[1499]; got[0] != int64(1500) || got[1] != "Basic" || got[4] != "row 1500" {
		t.Errorf("last row = %v, want id 1500, plan Basic, label row 1500", got)
	}
}

// readThroughDatabaseSQL reads q the way the database/sql path does: pgx's
// adapter, Scan into interface values, normalize, inferTypes.
func readThroughDatabaseSQL(t *testing.T, s *Source, q string) ([]Column, [][]any) {
	t.Helper()
	rows, err := s.db.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatalf("database/sql query = %v", err)
	}
	defer rows.Close()
	cols, err := s.columns(rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			vals[i] = normalize(cols[i].BaseType, v)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	inferTypes(cols, out)
	return cols, out
}

// TestPostgresRowsReadOnlyAndCapped checks that the pgx path keeps the
// guarantees of a native question: its transaction refuses writes, and the
// row cap cuts a long result and says so.
func TestPostgresRowsReadOnlyAndCapped(t *testing.T) {
	s := open(t, postgresFixture(t, []string{"CREATE TABLE notes (id int)"}))
	ctx := context.Background()

	res, err := s.Exec(ctx, "SELECT g FROM generate_series(1, 5000) AS g", nil, Options{MaxRows: 10, ReadOnly: true})
	if err != nil {
		t.Fatalf("Exec = %v", err)
	}
	if len(res.Rows) != 10 || !res.Truncated {
		t.Errorf("Exec with MaxRows 10 over 5000 rows = %d rows, truncated %v; want 10 rows, truncated", len(res.Rows), res.Truncated)
	}
	if got := res.Rows[9][0]; got != int64(10) {
		t.Errorf("tenth row = %#v, want int64(10)", got)
	}

	if _, err := s.Exec(ctx, "WITH w AS (INSERT INTO notes VALUES (1) RETURNING id) SELECT id FROM w", nil, Options{ReadOnly: true}); err == nil {
		t.Errorf("Exec of an INSERT inside a read-only question succeeded, want it refused")
	}
	// The connection that ran it is still fit for the next question.
	res, err = s.Exec(ctx, "SELECT count(*) FROM notes", nil, Options{})
	if err != nil {
		t.Fatalf("Exec after a refused write = %v", err)
	}
	if got := res.Rows[0][0]; got != int64(0) {
		t.Errorf("notes after a refused write = %#v rows, want 0", got)
	}
}
