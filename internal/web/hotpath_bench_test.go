package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"sightline"
	"sightline/internal/app"
	"sightline/internal/testdb"
)

// The benchmarks below put the server's cost next to the query's own, in
// the same run (the machine is shared: compare a pair, not runs):
//
//   - BenchmarkSmallCardRaw / BenchmarkSmallCardServed: a sandboxed
//     customer's saved question of a few rows (INVOICES' payments by plan,
//     account 28 only), by database/sql alone on the Sample Database's
//     file, and through the HTTP handler in process (session, permissions,
//     sandbox, compilation, the query, the JSON answer), result cache off.
//     The server's overhead is the difference per op.
//   - Benchmark2000RowsRaw / Benchmark2000RowsServed: a 2,000-row page of
//     INVOICES (every column) on SQLite and PostgreSQL, read by
//     database/sql alone and served as POST /api/dataset; the ratio is
//     served/raw.
//
// The raw side runs the very SQL and arguments the server compiled (see
// hotQuery), on a pool of its own, and scans every value into []any.

// cpuPerOp reports, when the returned function is called at the end of
// a benchmark, the process's CPU time (user and system, every goroutine)
// per op as cpu-ns/op: on a shared machine a busy neighbour stretches
// ns/op but not the CPU the work itself took.
func cpuPerOp(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() {
		b.ReportMetric(float64(cpu()-start)/float64(b.N), "cpu-ns/op")
	}
}

// hotFixture is the sandboxed Sample Database (see sandboxedXray) with a
// small saved question for the customer and, on demand, a PostgreSQL copy
// of INVOICES.
type hotFixture struct {
	*sandboxedXray
	e       *testEnv
	cs      *countingStore
	sample  string // the Sample Database's file
	invoice int64  // the INVOICES table
	fields  map[string]int64
	small   int64 // the saved question: sum of PAYMENT by PLAN
}

func setupHot(t *testing.T, tb testing.TB) *hotFixture {
	t.Helper()
	e, cs := newSandboxEnv(t, tb, nil)
	f := &hotFixture{sandboxedXray: setupSandboxedXray(t, e), e: e, cs: cs, fields: map[string]int64{}}
	ctx := context.Background()
	e.settings(map[string]string{sightline.SettingQueryCaching: "false"})
	db, err := e.app.Database(ctx, f.admin, 1)
	if err != nil {
		t.Fatal(err)
	}
	f.sample = db.Details.Path
	f.invoice, f.fields = hotTableFields(t, e, 1, "INVOICES")
	q := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "aggregation": [["sum", ["field", %d, null]]], "breakout": [["field", %d, null]]}}`,
		f.invoice, f.fields["PAYMENT"], f.fields["PLAN"])
	dq, err := sightline.ParseQuery([]byte(q))
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.app.CreateCard(ctx, f.admin, &sightline.Card{Name: "Payments by plan", CollectionID: f.dash.CollectionID, Display: "table", Query: dq})
	if err != nil {
		t.Fatal(err)
	}
	f.small = c.ID
	return f
}

// hotTableFields finds a table of database db by name and its fields' ids.
func hotTableFields(t *testing.T, e *testEnv, db int64, name string) (int64, map[string]int64) {
	t.Helper()
	tables, err := e.app.Tables(context.Background(), e.adminUser(), db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		if strings.EqualFold(tb.Name, name) {
			fields := map[string]int64{}
			for _, fd := range tb.Fields {
				fields[strings.ToUpper(fd.Name)] = fd.ID
			}
			return tb.ID, fields
		}
	}
	t.Fatalf("database %d has no table %s", db, name)
	return 0, nil
}

// hotPost serves one request in process and returns its body.
func hotPost(tb testing.TB, h http.Handler, cookies []*http.Cookie, path, body string) []byte {
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusAccepted {
		tb.Fatalf("POST %s = %d %.300s", path, rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

// sink is a response writer that keeps the status and counts the body
// without keeping it, as a connection's socket does: the benchmarks measure
// the server's work, not a test buffer growing to hold each answer.
type sink struct {
	header http.Header
	code   int
	n      int
}

func (s *sink) Header() http.Header { return s.header }

func (s *sink) WriteHeader(code int) {
	if s.code == 0 {
		s.code = code
	}
}

func (s *sink) Write(p []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	s.n += len(p)
	return len(p), nil
}

// hotServe serves one request in process into a sink and fails unless
// it is answered 202 with a body.
func hotServe(tb testing.TB, h http.Handler, cookies []*http.Cookie, path, body string) {
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := &sink{header: http.Header{}}
	h.ServeHTTP(w, req)
	if w.code != http.StatusAccepted || w.n == 0 {
		tb.Fatalf("POST %s = %d with %d bytes", path, w.code, w.n)
	}
}

// hotQuery is the SQL the server ran for a request and its arguments,
// found by matching the result: the compiler's SQL comes back in the
// result, and the arguments are the ones that give the same rows. Only
// the customer's account (a sandbox's value) is ever bound here.
type hotQuery struct {
	sql  string
	args []any
	rows int
}

// rawRun runs q on db, scanning every value, and returns the rows read.
func rawRun(ctx context.Context, db *sql.DB, q hotQuery, limit int) (int, error) {
	rows, err := db.QueryContext(ctx, q.sql, q.args...)
	if err != nil {
		return 0, err
	}
	cols, err := rows.Columns()
	if err != nil {
		rows.Close()
		return 0, err
	}
	n := 0
	for rows.Next() && n < limit {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return 0, err
		}
		n++
	}
	return n, rows.Close()
}

// servedQuery runs q for the user through the app (result cache off) and
// finds the arguments that make its SQL give as many rows on db.
func servedQuery(t *testing.T, a *app.App, u *sightline.User, q *sightline.Query, db *sql.DB, candidates [][]any) hotQuery {
	t.Helper()
	res, err := a.RunQuery(context.Background(), u, q, app.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range candidates {
		hq := hotQuery{sql: res.SQL, args: args, rows: res.RowCount}
		if n, err := rawRun(context.Background(), db, hq, app.MaxDisplayRows); err == nil && n == res.RowCount {
			return hq
		}
	}
	t.Fatalf("no arguments give the %d rows of %s", res.RowCount, res.SQL)
	return hotQuery{}
}

func sqliteRaw(t testing.TB, path string) *sql.DB {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func (f *hotFixture) smallQuery(t *testing.T) (*sightline.Query, hotQuery) {
	t.Helper()
	c, err := f.e.app.Card(context.Background(), f.customer, f.small)
	if err != nil {
		t.Fatal(err)
	}
	hq := servedQuery(t, f.e.app, f.customer, c.Query, sqliteRaw(t, f.sample), [][]any{{"28"}, {int64(28)}, {"28", "28"}, {int64(28), int64(28)}})
	if hq.rows == 0 || hq.rows > 10 {
		t.Fatalf("the customer's payments by plan give %d rows, want a few", hq.rows)
	}
	return c.Query, hq
}

// BenchmarkSmallCardRaw runs the SQL of the customer's small question
// by database/sql alone.
func BenchmarkSmallCardRaw(b *testing.B) {
	f := benchSetup(b, func(t *testing.T) *hotFixture { return setupHot(t, b) })
	var hq hotQuery
	benchSetup(b, func(t *testing.T) struct{} { _, hq = f.smallQuery(t); return struct{}{} })
	db := sqliteRaw(b, f.sample)
	ctx := context.Background()
	b.ReportAllocs()
	done := cpuPerOp(b)
	for b.Loop() {
		if n, err := rawRun(ctx, db, hq, app.MaxDisplayRows); err != nil || n != hq.rows {
			b.Fatalf("raw run = %d rows, %v", n, err)
		}
	}
	done()
}

// BenchmarkSmallCardServed runs the customer's small question as POST
// /api/card/{id}/query through the HTTP handler, result cache off.
func BenchmarkSmallCardServed(b *testing.B) {
	f := benchSetup(b, func(t *testing.T) *hotFixture { return setupHot(t, b) })
	h := f.e.srv.Config.Handler
	path := fmt.Sprintf("/api/card/%d/query", f.small)
	before := f.e.app.QueriesRun()
	b.ReportAllocs()
	done := cpuPerOp(b)
	for b.Loop() {
		hotServe(b, h, f.customerCookies, path, "")
	}
	done()
	if ran := f.e.app.QueriesRun() - before; ran < int64(b.N) {
		b.Fatalf("%d queries ran for %d requests: the result cache answered", ran, b.N)
	}
}

// pagePG copies INVOICES' shape into a new PostgreSQL database with 5,000
// rows, adds it to Sightline and syncs it; it returns its id and URL.
func (f *hotFixture) pagePG(t *testing.T, tb testing.TB) (int64, string) {
	t.Helper()
	pg := testdb.Postgres(tb)
	conn, err := sql.Open("pgx", pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec(`CREATE TABLE invoices (id integer PRIMARY KEY, account_id integer, payment numeric(10, 2),
		expected_invoice boolean, plan text, date_received date);
		INSERT INTO invoices SELECT i, 1 + i % 2495, CASE WHEN i % 11 = 0 THEN 875.00 WHEN i % 2 = 0 THEN 295.00 ELSE 251.50 END,
		i % 33 <> 0, CASE WHEN i % 11 = 0 THEN 'Business' ELSE 'Basic' END, DATE '2022-01-31' + i % 1000
		FROM generate_series(1, 5000) AS i`); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.e.app.AddDatabase(context.Background(), f.admin, app.DatabaseInput{Name: "Warehouse", Engine: sightline.EnginePostgres,
		Details: sightline.DatabaseDetails{Host: u.Hostname(), Port: port, DBName: pg.Name, User: u.User.Username(), SSLMode: "disable"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.e.app.SyncDatabase(context.Background(), d.ID); err != nil {
		t.Fatal(err)
	}
	return d.ID, pg.URL
}

// pageFixture is a 2,000-row page of INVOICES on one engine: the request
// body that asks for it and the SQL the server runs for it.
type pageFixture struct {
	*hotFixture
	body string
	hq   hotQuery
	raw  *sql.DB
}

func setupPage(t *testing.T, tb testing.TB, engine string) *pageFixture {
	t.Helper()
	f := setupHot(t, tb)
	db, table := int64(1), f.invoice
	raw := sqliteRaw(tb, f.sample)
	if engine == sightline.EnginePostgres {
		var u string
		db, u = f.pagePG(t, tb)
		table, _ = hotTableFields(t, f.e, db, "invoices")
		var err error
		if raw, err = sql.Open("pgx", u); err != nil {
			t.Fatal(err)
		}
		tb.Cleanup(func() { raw.Close() })
	}
	body := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d}}`, db, table)
	q, err := sightline.ParseQuery([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	hq := servedQuery(t, f.e.app, f.admin, q, raw, [][]any{nil, {int64(app.MaxDisplayRows + 1)}})
	if hq.rows != app.MaxDisplayRows {
		t.Fatalf("the page has %d rows, want %d", hq.rows, app.MaxDisplayRows)
	}
	return &pageFixture{hotFixture: f, body: body, hq: hq, raw: raw}
}

var pageEngines = []string{sightline.EngineSQLite, sightline.EnginePostgres}

// Benchmark2000RowsRaw reads the 2,000-row page by database/sql alone.
func Benchmark2000RowsRaw(b *testing.B) {
	for _, engine := range pageEngines {
		b.Run(engine, func(b *testing.B) {
			f := benchSetup(b, func(t *testing.T) *pageFixture { return setupPage(t, b, engine) })
			ctx := context.Background()
			b.ReportAllocs()
			done := cpuPerOp(b)
			for b.Loop() {
				if n, err := rawRun(ctx, f.raw, f.hq, app.MaxDisplayRows); err != nil || n != f.hq.rows {
					b.Fatalf("raw run = %d rows, %v", n, err)
				}
			}
			done()
		})
	}
}

// Benchmark2000RowsServed serves the same page as POST /api/dataset to
// the administrator through the HTTP handler.
func Benchmark2000RowsServed(b *testing.B) {
	for _, engine := range pageEngines {
		b.Run(engine, func(b *testing.B) {
			f := benchSetup(b, func(t *testing.T) *pageFixture { return setupPage(t, b, engine) })
			h := f.e.srv.Config.Handler
			b.ReportAllocs()
			done := cpuPerOp(b)
			for b.Loop() {
				hotServe(b, h, f.adminCookies, "/api/dataset", f.body)
			}
			done()
		})
	}
}

// TestHotBenchmarksPremise checks what the benchmarks above compare: the
// customer's small question gives a few rows, the same through the
// handler as by the raw SQL, and the 2,000-row page runs on both engines
// with the raw SQL giving the page's rows.
func TestHotBenchmarksPremise(t *testing.T) {
	f := setupHot(t, t)
	_, hq := f.smallQuery(t)
	var answer struct {
		Data struct {
			Rows [][]any `json:"rows"`
		} `json:"data"`
	}
	body := hotPost(t, f.e.srv.Config.Handler, f.customerCookies, fmt.Sprintf("/api/card/%d/query", f.small), "")
	if err := json.Unmarshal(body, &answer); err != nil {
		t.Fatal(err)
	}
	if len(answer.Data.Rows) != hq.rows {
		t.Errorf("the customer's question served %d rows, the raw SQL %d", len(answer.Data.Rows), hq.rows)
	}
	for _, engine := range pageEngines {
		t.Run(engine, func(t *testing.T) {
			p := setupPage(t, t, engine)
			body := hotPost(t, p.e.srv.Config.Handler, p.adminCookies, "/api/dataset", p.body)
			if err := json.Unmarshal(body, &answer); err != nil {
				t.Fatal(err)
			}
			if len(answer.Data.Rows) != app.MaxDisplayRows {
				t.Errorf("the page served %d rows, want %d", len(answer.Data.Rows), app.MaxDisplayRows)
			}
		})
	}
}
