package app

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	_ "modernc.org/sqlite"

	"sightline"
)

// collect is a RowWriter that keeps what it receives.
type collect struct {
	cols   []Column
	begins int
	rows   [][]any
	// failAt makes Row fail on that row (1-based); 0 never fails.
	failAt int
}

var errStop = errors.New("client went away")

func (c *collect) Begin(cols []Column) error {
	c.begins++
	c.cols = cols
	return nil
}

func (c *collect) Row(row []any) error {
	c.rows = append(c.rows, row)
	if c.failAt > 0 && len(c.rows) == c.failAt {
		return errStop
	}
	return nil
}

// invoiceQuery builds a structured query on INVOICES with fields by name.
func invoiceQuery(t testing.TB, a *App, admin *sightline.User, d *sightline.Database, build func(inv *sightline.Table, f func(string) int64) *sightline.StructuredQuery) *sightline.Query {
	t.Helper()
	tables, err := a.Tables(context.Background(), admin, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	inv := tableByName(t, tables, "INVOICES")
	f := func(name string) int64 { return fieldByName(t, inv, name).ID }
	return &sightline.Query{Database: d.ID, Type: sightline.QueryTypeStructured, Structured: build(inv, f)}
}

func TestDownload(t *testing.T) {
	a, _, admin, d := sampleApp(t)
	ctx := context.Background()
	all := invoiceQuery(t, a, admin, d, func(inv *sightline.Table, f func(string) int64) *sightline.StructuredQuery {
		return &sightline.StructuredQuery{SourceTable: inv.ID}
	})
	account28 := invoiceQuery(t, a, admin, d, func(inv *sightline.Table, f func(string) int64) *sightline.StructuredQuery {
		return &sightline.StructuredQuery{SourceTable: inv.ID, Filter: &sightline.Compare{Op: sightline.OpEq,
			Left: &sightline.FieldRef{ID: f("ACCOUNT_ID")}, Values: []sightline.Expr{&sightline.Value{V: int64(28)}}}}
	})
	none := invoiceQuery(t, a, admin, d, func(inv *sightline.Table, f func(string) int64) *sightline.StructuredQuery {
		return &sightline.StructuredQuery{SourceTable: inv.ID, Filter: &sightline.Compare{Op: sightline.OpEq,
			Left: &sightline.FieldRef{ID: f("ACCOUNT_ID")}, Values: []sightline.Expr{&sightline.Value{V: int64(-1)}}}}
	})
	native := &sightline.Query{Database: d.ID, Type: sightline.QueryTypeNative,
		Native: &sightline.NativeQuery{SQL: "SELECT ID AS invoice, PAYMENT AS paid FROM INVOICES WHERE ACCOUNT_ID = 28"}}
	tests := []struct {
		name     string
		q        *sightline.Query
		wantRows int
		wantCol  string
	}{
		{"every invoice, past the display cap", all, 13856, "ID"},
		{"account 28", account28, 22, "Payment"},
		{"no rows still has columns", none, 0, "Plan"},
		{"native SQL names its columns", native, 22, "Paid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w collect
			n, err := a.Download(ctx, admin, tt.q, &w)
			if err != nil {
				t.Fatalf("Download() error: %v", err)
			}
			if n != tt.wantRows || len(w.rows) != tt.wantRows || w.begins != 1 {
				t.Errorf("Download() = %d rows (%d received, %d Begin calls), want %d rows and one Begin", n, len(w.rows), w.begins, tt.wantRows)
			}
			found := false
			for _, c := range w.cols {
				found = found || c.DisplayName == tt.wantCol
			}
			if !found {
				t.Errorf("Download() columns = %+v, want one named %q", w.cols, tt.wantCol)
			}
		})
	}
}

func TestDownloadErrors(t *testing.T) {
	a, _, admin, d := sampleApp(t)
	ctx := context.Background()
	all := invoiceQuery(t, a, admin, d, func(inv *sightline.Table, f func(string) int64) *sightline.StructuredQuery {
		return &sightline.StructuredQuery{SourceTable: inv.ID}
	})
	tests := []struct {
		name     string
		actor    *sightline.User
		q        *sightline.Query
		failAt   int
		wantCode string
		wantErr  error
	}{
		{"signed out", nil, all, 0, sightline.EUNAUTHORIZED, nil},
		{"unknown table", admin, &sightline.Query{Database: d.ID, Type: sightline.QueryTypeStructured,
			Structured: &sightline.StructuredQuery{SourceTable: 999999}}, 0, sightline.EINVALID, nil},
		{"SQL error", admin, &sightline.Query{Database: d.ID, Type: sightline.QueryTypeNative,
			Native: &sightline.NativeQuery{SQL: "SELEC 1"}}, 0, sightline.EINVALID, nil},
		{"writer fails", admin, all, 3000, "", errStop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := collect{failAt: tt.failAt}
			_, err := a.Download(ctx, tt.actor, tt.q, &w)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || len(w.rows) != tt.failAt {
					t.Errorf("Download() = %v after %d rows, want %v after %d", err, len(w.rows), tt.wantErr, tt.failAt)
				}
				return
			}
			if got := sightline.ErrorCode(err); got != tt.wantCode || w.begins != 0 {
				t.Errorf("Download() error code = %q with %d Begin calls, want %q and nothing begun", got, w.begins, tt.wantCode)
			}
		})
	}
}

func TestDownloadCard(t *testing.T) {
	a, _, admin, d := sampleApp(t)
	ctx := context.Background()
	q := invoiceQuery(t, a, admin, d, func(inv *sightline.Table, f func(string) int64) *sightline.StructuredQuery {
		return &sightline.StructuredQuery{SourceTable: inv.ID, Limit: 5}
	})
	c, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Five invoices", Query: q})
	if err != nil {
		t.Fatal(err)
	}
	var w collect
	got, n, err := a.DownloadCard(ctx, admin, c.ID, nil, &w)
	if err != nil || n != 5 || got.Name != "Five invoices" {
		t.Errorf("DownloadCard() = %v, %d, %v; want the card and 5 rows", got, n, err)
	}
}

// aggregation is the benchmarks' typical question: Sum of Payment by Date
// Received: Month on INVOICES.
func aggregation(b *testing.B, a *App, admin *sightline.User, d *sightline.Database) *sightline.Query {
	b.Helper()
	return invoiceQuery(b, a, admin, d, func(inv *sightline.Table, f func(string) int64) *sightline.StructuredQuery {
		return &sightline.StructuredQuery{SourceTable: inv.ID,
			Aggregations: []sightline.Aggregation{{Op: sightline.AggSum, Arg: &sightline.FieldRef{ID: f("PAYMENT")}}},
			Breakouts:    []sightline.Expr{&sightline.FieldRef{ID: f("DATE_RECEIVED"), TemporalUnit: sightline.UnitMonth}}}
	})
}

// BenchmarkDoor runs the typical aggregation through RunQuery: access
// check, cached metadata, compilation, execution and result columns.
func BenchmarkDoor(b *testing.B) {
	a, _, admin, d := sampleApp(b)
	q := aggregation(b, a, admin, d)
	ctx := context.Background()
	for b.Loop() {
		res, err := a.RunQuery(ctx, admin, q, RunOptions{})
		if err != nil || res.RowCount == 0 {
			b.Fatalf("RunQuery() = %v, %v", res, err)
		}
	}
}

// BenchmarkDirect runs the SQL the door compiles for the same question
// straight through database/sql on the same SQLite file, scanning every
// value: the baseline the door's overhead is measured against.
func BenchmarkDirect(b *testing.B) {
	a, _, admin, d := sampleApp(b)
	ctx := context.Background()
	p, err := a.prepare(ctx, admin, aggregation(b, a, admin, d), MaxDisplayRows)
	if err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+d.Details.Path+"?mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(5000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for b.Loop() {
		rows, err := db.QueryContext(ctx, p.compiled.SQL, p.compiled.Args...)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var month, sum any
			if err := rows.Scan(&month, &sum); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if err := rows.Close(); err != nil || n == 0 {
			b.Fatalf("rows = %d, close: %v", n, err)
		}
	}
}
