package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/sampledata"
	"sightline/internal/testdb"
)

// sampleDir holds one generated Sample Database shared by this package's
// tests; user SQLite files open read-only, so sharing it is safe.
var sampleDir struct {
	once sync.Once
	dir  string
	err  error
}

func sharedSampleDir(t *testing.T) string {
	t.Helper()
	sampleDir.once.Do(func() {
		dir, err := os.MkdirTemp("", "sightline-web-sample-")
		if err != nil {
			sampleDir.err = err
			return
		}
		sampleDir.dir = dir
		sampleDir.err = sampledata.WriteSQLite(context.Background(), filepath.Join(dir, "sample-database.db"),
			sampledata.Options{Anchor: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), Scale: 1})
	})
	if sampleDir.err != nil {
		t.Fatal(sampleDir.err)
	}
	return sampleDir.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sampleDir.dir != "" {
		os.RemoveAll(sampleDir.dir)
	}
	os.Exit(code)
}

// withSample registers the shared Sample Database in e.
func (e *testEnv) withSample() {
	e.t.Helper()
	if err := e.app.EnsureSampleDatabase(context.Background(), sharedSampleDir(e.t)); err != nil {
		e.t.Fatal(err)
	}
}

func TestBrowseAndTableView(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	e.withSample()
	r := e.do(admin, "GET", "/browse", "", "")
	if r.status != 200 || !strings.Contains(r.body, "Sample Database") {
		t.Fatalf("GET /browse = %d, want the Sample Database listed", r.status)
	}
	r = e.do(admin, "GET", "/api/database/1/metadata", "", "")
	var md struct {
		Tables []sightline.Table `json:"tables"`
	}
	if err := json.Unmarshal([]byte(r.body), &md); err != nil || len(md.Tables) != 8 {
		t.Fatalf("metadata = %d tables (%v), want 8", len(md.Tables), err)
	}
	var inv *sightline.Table
	for i := range md.Tables {
		if md.Tables[i].Name == "INVOICES" {
			inv = &md.Tables[i]
		}
	}
	r = e.do(admin, "GET", "/browse/1", "", "")
	if !strings.Contains(r.body, "Invoices") || !strings.Contains(r.body, inv.Description) {
		t.Errorf("GET /browse/1 does not list Invoices with its description")
	}
	var acct, payment, plan int64
	for _, f := range inv.Fields {
		switch f.Name {
		case "ACCOUNT_ID":
			acct = f.ID
		case "PAYMENT":
			payment = f.ID
		case "PLAN":
			plan = f.ID
		}
	}
	tablePath := "/table/" + itoa(inv.ID)
	r = e.do(admin, "GET", tablePath, "", "")
	if r.status != 200 || !strings.Contains(r.body, "Showing the first 2,000 of 13,856 rows") {
		t.Errorf("GET %s = %d, want the capped view with the total", tablePath, r.status)
	}
	r = e.do(admin, "GET", tablePath+"?f_"+itoa(acct)+"=28&sort="+itoa(payment)+"&desc=1", "", "")
	if !strings.Contains(r.body, ">22 rows<") || strings.Count(r.body, ">295.00<") != 22 {
		t.Errorf("account 28's invoices: want 22 rows of 295.00; row count %q", between(r.body, `id="row-count">`, "<"))
	}
	// Bad quick-filter input is a clear message on the page, not a crash.
	r = e.do(admin, "GET", tablePath+"?f_"+itoa(acct)+"=twenty", "", "")
	if r.status != 400 || !strings.Contains(r.body, "Account ID takes a number") {
		t.Errorf("non-numeric filter = %d, want 400 with a message", r.status)
	}
	// Filter values come through the data door.
	r = e.do(admin, "GET", "/api/field/"+itoa(plan)+"/values", "", "")
	if !strings.Contains(r.body, `[["Basic"],["Business"],["Premium"]]`) {
		t.Errorf("PLAN values = %s", r.body)
	}
	// Anonymous visitors are sent to sign in; API clients get 401.
	if r := e.do(e.client(), "GET", tablePath, "", ""); r.status != 302 || !strings.HasPrefix(r.header.Get("Location"), "/auth/login?redirect=") {
		t.Errorf("anonymous GET %s = %d %s, want a redirect to sign in", tablePath, r.status, r.header.Get("Location"))
	}
	if r := e.do(e.client(), "GET", "/api/field/"+itoa(plan)+"/values", "", ""); r.status != 401 {
		t.Errorf("anonymous field values = %d, want 401", r.status)
	}
}

func between(s, a, b string) string {
	_, after, _ := strings.Cut(s, a)
	v, _, _ := strings.Cut(after, b)
	return v
}

func TestAddDatabaseErrorsKeepNothing(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	notDB := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notDB, []byte("this is not a database, just some text that is long enough to have a header"), 0o644)
	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"missing file", url.Values{"engine": {"sqlite"}, "name": {"Missing"}, "path": {"/no/such/file.db"}}, "No SQLite database file"},
		{"not a database", url.Values{"engine": {"sqlite"}, "name": {"Notes"}, "path": {notDB}}, "not a SQLite database"},
		{"wrong host", url.Values{"engine": {"postgres"}, "name": {"PG"}, "host": {"127.0.0.1"}, "port": {"1"}, "dbname": {"x"}, "user": {"x"}}, "connect"},
		{"wrong password", url.Values{"engine": {"mysql"}, "name": {"My"}, "host": {"127.0.0.1"}, "port": {"3306"}, "dbname": {"test"}, "user": {"root"}, "password": {"definitely-wrong"}}, "password authentication failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.postForm(admin, "/admin/databases", tt.form)
			if r.status != 400 && r.status != 502 {
				t.Fatalf("POST /admin/databases = %d, want 400 or 502", r.status)
			}
			msg := between(r.body, `role="alert">`, "<")
			if !strings.Contains(strings.ToLower(msg), strings.ToLower(tt.want)) {
				t.Errorf("message = %q, want it to mention %q", msg, tt.want)
			}
			if strings.Contains(r.body, "definitely-wrong") {
				t.Error("the page echoes the password back")
			}
		})
	}
	r := e.do(admin, "GET", "/api/database", "", "")
	if !strings.Contains(r.body, `"total":0`) {
		t.Errorf("databases after failed adds = %s, want none", r.body)
	}
}

// TestDatabaseGoneAway takes a database away while the server runs: its
// pages and queries say clearly which database cannot be reached and why,
// its sync fails visibly, and the rest of the app keeps working.
func TestDatabaseGoneAway(t *testing.T) {
	tests := []struct {
		name string
		// add registers a database and returns its id and a func that
		// takes it away, and the message people should then see.
		add func(t *testing.T, e *testEnv, admin *http.Client) (id int64, takeAway func(), want string)
	}{
		{name: "SQLite file moved", add: func(t *testing.T, e *testEnv, admin *http.Client) (int64, func(), string) {
			d, path := addSQLite(t, e, admin, "Shop", "")
			return d.ID, func() {
					if err := os.Rename(path, path+".moved"); err != nil {
						t.Fatal(err)
					}
				}, `Cannot reach the database "Shop": its SQLite file ` + path + ` is gone: it was moved or deleted. ` +
					`An administrator can restore the file, or give its new path in Admin > Databases.`
		}},
		{name: "PostgreSQL database dropped", add: func(t *testing.T, e *testEnv, admin *http.Client) (int64, func(), string) {
			pg := testdb.Postgres(t)
			u, err := url.Parse(pg.URL)
			if err != nil {
				t.Fatal(err)
			}
			conn, err := sql.Open("pgx", pg.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.Exec("CREATE TABLE orders (id integer PRIMARY KEY, total numeric(10, 2)); INSERT INTO orders VALUES (1, 9.5), (2, 20)"); err != nil {
				t.Fatal(err)
			}
			r := e.postJSON(admin, "/api/database", fmt.Sprintf(`{"name": "Warehouse", "engine": "postgres", "details": {"host": %q, "port": %s, "dbname": %q, "user": %q, "ssl_mode": "disable"}}`,
				u.Hostname(), u.Port(), pg.Name, u.User.Username()))
			var d sightline.Database
			if err := json.Unmarshal([]byte(r.body), &d); r.status != 200 || err != nil {
				t.Fatalf("add database = %d %s", r.status, r.body)
			}
			return d.ID, func() {
				u.Path = "/postgres"
				admin, err := sql.Open("pgx", u.String())
				if err != nil {
					t.Fatal(err)
				}
				defer admin.Close()
				if _, err := admin.Exec("DROP DATABASE " + pg.Name + " WITH (FORCE)"); err != nil {
					t.Fatal(err)
				}
			}, `Cannot reach the database "Warehouse": database "` + pg.Name + `" does not exist`
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			admin := e.setup()
			e.withSample()
			ctx := context.Background()
			id, takeAway, want := tt.add(t, e, admin)
			if err := e.app.SyncDatabase(ctx, id); err != nil {
				t.Fatal(err)
			}
			tables, err := e.app.Tables(ctx, mustUser(t, e), id)
			if err != nil || len(tables) == 0 {
				t.Fatalf("tables = %v, %v", tables, err)
			}
			page := "/table/" + itoa(tables[0].ID)
			query := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}`, id, tables[0].ID)
			// Open the database's connections first, as any use would.
			if r := e.get(admin, page); r.status != 200 {
				t.Fatalf("GET %s = %d before the database went away", page, r.status)
			}

			takeAway()

			// The first use may meet a connection the server closed; it
			// names the database too. Every later use knows the reason.
			named := want[:strings.Index(want, ": ")+2]
			r := e.postJSON(admin, "/api/dataset", query)
			var got apiError
			if err := json.Unmarshal([]byte(r.body), &got); err != nil || r.status != http.StatusBadGateway || got.Code != sightline.EUNAVAILABLE || !strings.HasPrefix(got.Message, named) {
				t.Errorf("POST /api/dataset = %d %s, want 502 unavailable starting %q", r.status, r.body, named)
			}
			r = e.get(admin, page)
			if body := html.UnescapeString(r.body); r.status != http.StatusBadGateway || !strings.Contains(body, `<div class="alert" role="alert">`+want) {
				t.Errorf("GET %s after the database went away = %d, want 502 with an alert saying %q", page, r.status, want)
			}
			if err := e.app.SyncDatabase(ctx, id); err == nil || !strings.HasPrefix(sightline.ErrorMessage(err), want) {
				t.Errorf("SyncDatabase() = %v, want an error starting %q", err, want)
			}
			r = e.get(admin, "/admin/databases")
			if body := html.UnescapeString(r.body); r.status != 200 || !strings.Contains(body, "Failed: "+want) {
				t.Errorf("Admin > Databases = %d, want it to show the failed sync: %q", r.status, want)
			}
			// Everything else keeps working, the other database included.
			sample, err := e.app.Tables(ctx, mustUser(t, e), 1)
			if err != nil || len(sample) == 0 {
				t.Fatalf("Sample Database tables = %v, %v", sample, err)
			}
			for _, p := range []string{"/", "/browse", "/browse/" + itoa(id), "/table/" + itoa(sample[0].ID), "/admin/databases/" + itoa(id)} {
				if r := e.get(admin, p); r.status != 200 {
					t.Errorf("GET %s = %d after a database went away, want 200", p, r.status)
				}
			}
		})
	}
}

// TestDatabaseComesBack moves a SQLite file away and back while the server
// runs: once the file is back the database works again without a restart.
func TestDatabaseComesBack(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	d, path := addSQLite(t, e, admin, "Shop", "")
	if err := e.app.SyncDatabase(context.Background(), d.ID); err != nil {
		t.Fatal(err)
	}
	tables, err := e.app.Tables(context.Background(), mustUser(t, e), d.ID)
	if err != nil || len(tables) == 0 {
		t.Fatalf("tables = %v, %v", tables, err)
	}
	page := "/table/" + itoa(tables[0].ID)
	steps := []struct {
		name     string
		from, to string
		status   int
	}{
		{"moved away", path, path + ".moved", http.StatusBadGateway},
		{"moved back", path + ".moved", path, http.StatusOK},
	}
	for _, s := range steps {
		if err := os.Rename(s.from, s.to); err != nil {
			t.Fatal(err)
		}
		if r := e.get(admin, page); r.status != s.status {
			t.Errorf("GET %s after the file was %s = %d, want %d", page, s.name, r.status, s.status)
		}
	}
}

func mustUser(t *testing.T, e *testEnv) *sightline.User {
	t.Helper()
	u, _, err := e.db.UserByEmail(context.Background(), "ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// browseShop adds a copy of the Sample Database with a fixed anchor date,
// syncs it, and returns its tables by name.
func browseShop(t *testing.T, e *testEnv, admin *http.Client) map[string]sightline.Table {
	t.Helper()
	d, _ := addSQLite(t, e, admin, "Shop", "")
	if err := e.app.SyncDatabase(context.Background(), d.ID); err != nil {
		t.Fatal(err)
	}
	tables, err := e.app.Tables(context.Background(), mustUser(t, e), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]sightline.Table{}
	for _, tb := range tables {
		byName[tb.Name] = tb
	}
	return byName
}

// fieldID returns the id of tb's field name.
func fieldID(t *testing.T, tb sightline.Table, name string) string {
	t.Helper()
	for _, f := range tb.Fields {
		if f.Name == name {
			return itoa(f.ID)
		}
	}
	t.Fatalf("%s has no field %s", tb.Name, name)
	return ""
}

// tableRows reads the rows of a table view: the HTML of each cell.
func tableRows(body string) [][]string {
	var rows [][]string
	for _, tr := range strings.Split(between(body, "<tbody>", "</tbody>"), "<tr>")[1:] {
		tr, _, _ = strings.Cut(tr, "</tr>")
		var cells []string
		for _, td := range strings.Split(tr, "<td")[1:] {
			_, td, _ = strings.Cut(td, ">")
			td, _, _ = strings.Cut(td, "</td>")
			cells = append(cells, td)
		}
		rows = append(rows, cells)
	}
	return rows
}

// pageLink returns the href of the table view's link with rel, or "".
func pageLink(body, rel string) string {
	i := strings.Index(body, `" rel="`+rel+`"`)
	if i < 0 {
		return ""
	}
	return html.UnescapeString(body[strings.LastIndex(body[:i], `href="`)+len(`href="`) : i])
}

// TestTableViewPages pages through INVOICES 50 rows at a time: each page
// holds the next rows, the count says how many there are, out-of-range
// pages land on the first or last, and sorting by a column reorders the
// rows and keeps its order from page to page.
func TestTableViewPages(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	invoices := browseShop(t, e, admin)[sampledata.Invoices]
	base := "/table/" + itoa(invoices.ID)
	ids := func(rows [][]string) []string {
		var out []string
		for _, r := range rows {
			out = append(out, r[0])
		}
		return out
	}
	idRange := func(from, to int) []string {
		var out []string
		for i := from; i <= to; i++ {
			out = append(out, itoa(int64(i)))
		}
		return out
	}

	pages := []struct {
		query      string
		ids        []string
		shown      string
		prev, next string
	}{
		{"", idRange(1, 50), "Rows 1–50", "", "?page=2"},
		{"?page=2", idRange(51, 100), "Rows 51–100", "?page=1", "?page=3"},
		{"?page=40", idRange(1951, 2000), "Rows 1,951–2,000", "?page=39", ""},
		{"?page=41", idRange(1951, 2000), "Rows 1,951–2,000", "?page=39", ""},
		{"?page=0", idRange(1, 50), "Rows 1–50", "", "?page=2"},
		{"?page=two", idRange(1, 50), "Rows 1–50", "", "?page=2"},
	}
	for _, p := range pages {
		r := e.get(admin, base+p.query)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s%s = %d", base, p.query, r.status)
		}
		if got := between(r.body, `id="row-count">`, "<"); got != "Showing the first 2,000 of 13,856 rows" {
			t.Errorf("GET %s%s row count = %q, want %q", base, p.query, got, "Showing the first 2,000 of 13,856 rows")
		}
		if diff := cmp.Diff(p.ids, ids(tableRows(r.body))); diff != "" {
			t.Errorf("GET %s%s IDs (-want +got):\n%s", base, p.query, diff)
		}
		if !strings.Contains(r.body, "<span>"+p.shown+"</span>") {
			t.Errorf("GET %s%s does not say %q", base, p.query, p.shown)
		}
		if prev, next := pageLink(r.body, "prev"), pageLink(r.body, "next"); prev != p.prev || next != p.next {
			t.Errorf("GET %s%s links = prev %q, next %q; want %q, %q", base, p.query, prev, next, p.prev, p.next)
		}
	}

	// Sorting by PAYMENT: the header links sort ascending, then flip.
	payment := fieldID(t, invoices, "PAYMENT")
	r := e.get(admin, base)
	asc := "?sort=" + payment
	if !strings.Contains(r.body, `<a href="`+asc+`" class="sort">Payment</a>`) {
		t.Fatalf("GET %s has no link sorting by Payment at %q", base, asc)
	}
	r = e.get(admin, base+asc)
	desc := "?desc=1&sort=" + payment
	if !strings.Contains(html.UnescapeString(r.body), `<a href="`+desc+`" class="sort sorted">Payment</a>`) {
		t.Fatalf("GET %s%s: the Payment header does not flip to %q", base, asc, desc)
	}
	amount := func(cell string) float64 {
		t.Helper()
		f, err := strconv.ParseFloat(strings.ReplaceAll(cell, ",", ""), 64)
		if err != nil {
			t.Fatalf("payment cell %q is not an amount", cell)
		}
		return f
	}
	var sorted [][]string
	for page, query := 1, desc; query != "" && page <= 2; page++ {
		r := e.get(admin, base+query)
		rows := tableRows(r.body)
		if len(rows) != 50 {
			t.Fatalf("GET %s%s = %d rows, want 50", base, query, len(rows))
		}
		sorted = append(sorted, rows...)
		query = pageLink(r.body, "next")
		if page == 1 && query != "?desc=1&page=2&sort="+payment {
			t.Fatalf("GET %s%s: next page link %q does not keep the sort", base, desc, query)
		}
	}
	if got := sorted[0]; got[0] != "9601" || got[2] != "33,409.00" {
		t.Errorf("the largest payment = invoice %s of %s, want invoice 9601 of 33,409.00", got[0], got[2])
	}
	for i := 1; i < len(sorted); i++ {
		a, b := amount(sorted[i-1][2]), amount(sorted[i][2])
		id0, _ := strconv.Atoi(sorted[i-1][0])
		id1, _ := strconv.Atoi(sorted[i][0])
		if a < b || (a == b && id0 > id1) {
			t.Fatalf("sorted by payment descending, row %d (invoice %d, %s) comes after invoice %d, %s", i+1, id1, sorted[i][2], id0, sorted[i-1][2])
		}
	}

	// A filtered view small enough for one page counts its rows exactly.
	id := fieldID(t, invoices, "ID")
	for _, tt := range []struct{ query, count string }{
		{"?f_" + id + "=51", "1 row"},
		{"?f_" + fieldID(t, invoices, "ACCOUNT_ID") + "=28", "22 rows"},
		{"?f_" + id + "=999999", "0 rows"},
	} {
		r := e.get(admin, base+tt.query)
		if got := between(r.body, `id="row-count">`, "<"); got != tt.count || strings.Contains(r.body, `class="pager"`) {
			t.Errorf("GET %s%s row count = %q, want %q and no pager", base, tt.query, got, tt.count)
		}
	}
}

// TestTableViewFormatting checks how the table view renders values by their
// types: money with two decimals and thousands separators, dates and
// timestamps in words, booleans as words, emails and web addresses as
// links, empty values as a dash, numbers right-aligned but keys not.
func TestTableViewFormatting(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	tables := browseShop(t, e, admin)
	tests := []struct {
		name         string
		table        string
		id           string // the row, by ID
		column, want string
	}{
		{"currency with thousands", sampledata.Invoices, "9601", "PAYMENT", `<td class="num">33,409.00</td>`},
		{"currency with cents", sampledata.Invoices, "51", "PAYMENT", `<td class="num">251.50</td>`},
		{"currency stored whole", sampledata.Invoices, "1951", "PAYMENT", `<td class="num">295.00</td>`},
		{"primary key", sampledata.Invoices, "9601", "ID", `<td class="">9601</td>`},
		{"foreign key", sampledata.Invoices, "9601", "ACCOUNT_ID", `<td class="">1748</td>`},
		{"date", sampledata.Invoices, "51", "DATE_RECEIVED", `<td class="">October 31, 2023</td>`},
		{"boolean true", sampledata.Invoices, "51", "EXPECTED_INVOICE", `<td class="">true</td>`},
		{"boolean false", sampledata.Invoices, "9", "EXPECTED_INVOICE", `<td class="">false</td>`},
		{"email", sampledata.Accounts, "51", "EMAIL", `<td class=""><a href="mailto:kmitchell@yahoo.com">kmitchell@yahoo.com</a></td>`},
		{"timestamp", sampledata.Accounts, "51", "CREATED_AT", `<td class="">December 4, 2022, 8:23 AM</td>`},
		{"count", sampledata.Accounts, "1", "SEATS", `<td class="num">7</td>`},
		{"latitude", sampledata.Accounts, "51", "LATITUDE", `<td class="num">18.16311</td>`},
		{"URL", sampledata.AnalyticEvents, "52", "PAGE_URL",
			`<td class=""><a href="https://www.example.com/features" rel="noopener noreferrer" target="_blank">https://www.example.com/features</a></td>`},
		{"empty", sampledata.AnalyticEvents, "52", "BUTTON_LABEL", `<td class=""><span class="null">—</span></td>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := tables[tt.table]
			col := -1
			for i, f := range tb.Fields {
				if f.Name == tt.column {
					col = i
				}
			}
			path := "/table/" + itoa(tb.ID) + "?f_" + fieldID(t, tb, "ID") + "=" + tt.id
			r := e.get(admin, path)
			row := between(r.body, "<tbody>", "</tbody>")
			row = between(row, "<tr>", "</tr>")
			cells := strings.SplitAfter(row, "</td>")
			if r.status != http.StatusOK || col < 0 || col >= len(cells) {
				t.Fatalf("GET %s = %d with %d cells, want row %s with column %s", path, r.status, len(cells), tt.id, tt.column)
			}
			if got := cells[col]; got != tt.want {
				t.Errorf("%s %s of row %s = %s, want %s", tt.table, tt.column, tt.id, got, tt.want)
			}
		})
	}
}
