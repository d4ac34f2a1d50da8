package web

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"sightline"
	"sightline/internal/testdb"
)

// doublingQuery is a question on a table whose custom columns each add the
// previous one to itself: 1.4 KB of JSON for 22 columns, which written out
// as SQL double at every column.
func doublingQuery(table, field int64, columns int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"database": 1, "type": "query", "query": {"source-table": %d, "expressions": {"c0": ["field", %d, null]`, table, field)
	for i := 1; i < columns; i++ {
		fmt.Fprintf(&b, `, "c%d": ["+", ["expression", "c%d"], ["expression", "c%d"]]`, i, i-1, i-1)
	}
	b.WriteString(`}}}`)
	return b.String()
}

// TestQueryLimitsOnEveryRoute sends a question that doubles at each custom
// column to each kind of route that accepts a question: it must be refused
// at once with a 400 that says which limit it passes, not run.
func TestQueryLimitsOnEveryRoute(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	inv, f := invoicesMeta(t, e)
	q := doublingQuery(inv, f["PAYMENT"], 22)
	const want = "This question's expressions expand to 8,388,584 terms, over the limit of 10,000."
	tests := []struct {
		name, path, ctype, body string
	}{
		{"run a question", "/api/dataset", "application/json", q},
		{"save a question", "/api/card", "application/json",
			`{"name": "Doubling", "display": "table", "dataset_query": ` + q + `, "visualization_settings": {}}`},
		{"download a question", "/api/dataset/csv", "application/x-www-form-urlencoded", url.Values{"query": {q}}.Encode()},
		{"a dashboard's new card", "/api/dashboard", "application/json",
			`{"name": "Doubling", "dashcards": [{"row": 0, "col": 0, "size_x": 12, "size_y": 4, "card": {"name": "Doubling", "display": "table", "dataset_query": ` + q + `}}]}`},
		{"save an X-ray", "/api/dashboard/save", "application/json",
			`{"name": "Doubling", "dashcards": [{"row": 0, "col": 0, "size_x": 12, "size_y": 4, "card": {"name": "Doubling", "display": "table", "dataset_query": ` + q + `}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r := e.do(admin, "POST", tt.path, tt.ctype, tt.body)
			if elapsed := time.Since(start); elapsed > 5*time.Second {
				t.Errorf("POST %s took %v, want it refused at once", tt.path, elapsed)
			}
			var got apiError
			if err := json.Unmarshal([]byte(r.body), &got); err != nil {
				t.Fatalf("POST %s = %d %.300s, not the API error shape", tt.path, r.status, r.body)
			}
			if r.status != 400 || got.Code != "invalid" || got.Message != want {
				t.Errorf("POST %s = %d %+v, want 400 %q", tt.path, r.status, got, want)
			}
		})
	}
}

// TestJSONBodyLimits checks what every JSON body goes through: one JSON
// value and nothing after it, bounded in size and nesting.
func TestJSONBodyLimits(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	login := `{"email":"ada@example.com","password":"wrong"}`
	tests := []struct {
		name, path, body, want string
	}{
		{"a second object", "/api/session", login + ` {"email":"eve@example.com"}`, "more data after its JSON value"},
		{"stray bytes", "/api/session", login + `garbage`, "more data after its JSON value"},
		{"a second value", "/api/session", login + ` 1`, "more data after its JSON value"},
		{"a second object, loose body", "/api/dashboard/save", `{"name": "X"} {"name": "Y"}`, "more data after its JSON value"},
		{"over the size limit", "/api/session", `{"email": "` + strings.Repeat("a", maxBody) + `"}`,
			"The request body is 4,194,317 bytes, over the limit of 4,194,304."},
		{"nested too deep", "/api/session", `{"email": ` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}`,
			"The request body nests arrays and objects more than 144 levels deep, over the limit of 144."},
		{"nested too deep, loose body", "/api/dashboard/save", `{"name": ` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}`,
			"over the limit of 144."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.postJSON(e.adminClient, tt.path, tt.body)
			var got apiError
			if err := json.Unmarshal([]byte(r.body), &got); err != nil {
				t.Fatalf("POST %s = %d %.300s, not the API error shape", tt.path, r.status, r.body)
			}
			if r.status != 400 || got.Code != "invalid" || !strings.Contains(got.Message, tt.want) {
				t.Errorf("POST %s = %d %+v, want 400 mentioning %q", tt.path, r.status, got, tt.want)
			}
		})
	}
	// White space after the value is fine.
	if r := e.postJSON(e.client(), "/api/session", login+" \n\t "); r.status != 401 {
		t.Errorf("POST /api/session with trailing white space = %d %s, want 401 for the wrong password", r.status, r.body)
	}
}

func TestJSONDepth(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{``, 0},
		{`1`, 0},
		{`{}`, 1},
		{`{"a": [1, {"b": []}]}`, 4},
		{`["[[[[", "\"[[[", "\\"]`, 1},
		{`[[[`, 3},
		{`]]][`, 0},
	}
	for _, tt := range tests {
		if got := jsonDepth([]byte(tt.in)); got != tt.want {
			t.Errorf("jsonDepth(%s) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// TestSavedQuestionsJoinedToThemselves builds saved questions that are
// small one by one, each joining the previous one to itself, so that
// written out as SQL each doubles the last: saving or running the one that
// passes the limit is refused at once with a 400, like a question over the
// limits itself.
func TestSavedQuestionsJoinedToThemselves(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	inv, f := invoicesMeta(t, e)
	const want = "This question compiles to more than 10,000 terms once its saved questions, custom columns and sandboxes are written out, over the limit of 10,000."
	doubled := func(id int64) string {
		return fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": "card__%d", "joins": [{"source-table": "card__%d", "alias": "again",
			"condition": ["=", ["field", "ID", {"base-type": "type/BigInteger"}], ["field", "ID", {"base-type": "type/BigInteger", "join-alias": "again"}]]}]}}`, id, id)
	}
	save := func(q string) (int64, resp) {
		t.Helper()
		r := e.postJSON(admin, "/api/card", `{"name": "Step", "display": "table", "dataset_query": `+q+`}`)
		var c struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal([]byte(r.body), &c)
		return c.ID, r
	}
	id, r := save(fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "fields": [["field", %d, null]]}}`, inv, f["ID"]))
	if id == 0 {
		t.Fatalf("POST /api/card = %d %.300s", r.status, r.body)
	}
	levels := 0
	for ; levels < 16; levels++ {
		next, r := save(doubled(id))
		if next == 0 {
			var got apiError
			json.Unmarshal([]byte(r.body), &got)
			if r.status != 400 || got.Message != want {
				t.Fatalf("saving level %d = %d %.300s, want 400 %q", levels+1, r.status, r.body, want)
			}
			break
		}
		id = next
	}
	if levels < 8 || levels == 16 {
		t.Fatalf("saved %d levels of doubling, want the limit to stop it after 8 and before 16", levels)
	}
	start := time.Now()
	r = e.postJSON(admin, "/api/dataset", doubled(id))
	elapsed := time.Since(start)
	var got apiError
	json.Unmarshal([]byte(r.body), &got)
	if r.status != 400 || got.Message != want {
		t.Errorf("POST /api/dataset = %d %.300s, want 400 %q", r.status, r.body, want)
	}
	if elapsed > 5*time.Second {
		t.Errorf("refusing the question took %v, want it at once", elapsed)
	}
	t.Logf("saved %d levels; refused the next in %v", levels, elapsed)
}

// TestJSONBodyOfUnknownLengthBounded sends a body without a length (chunked),
// so that only reading it tells its size.
func TestJSONBodyOfUnknownLengthBounded(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	body := io.MultiReader(strings.NewReader(`{"email": "`), strings.NewReader(strings.Repeat("a", maxBody)), strings.NewReader(`"}`))
	req, err := http.NewRequest("POST", e.srv.URL+"/api/session", io.NopCloser(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := e.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got apiError
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	const want = "The request body is more than 4,194,304 bytes, over the limit of 4,194,304."
	if res.StatusCode != 400 || got.Message != want {
		t.Errorf("POST /api/session with a chunked body over the limit = %d %+v, want 400 %q", res.StatusCode, got, want)
	}
}

// routePath is a path that pattern's route serves: every wildcard filled
// with "1", "{$}" with nothing.
func routePath(pattern string) (method, path string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "GET", pattern
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			b.WriteString(path)
			break
		}
		j := strings.IndexByte(path[i:], '}')
		b.WriteString(path[:i])
		if path[i:i+j+1] != "{$}" {
			b.WriteString("1")
		}
		path = path[i+j+1:]
	}
	return method, b.String()
}

// TestNULRefusedOnEveryRoute sends the NUL character in the query string,
// a form body and a JSON body to every route of the route table, on a
// PostgreSQL app database, which cannot store it: each must answer 400
// with a message that says so, never a 500, and save nothing.
func TestNULRefusedOnEveryRoute(t *testing.T) {
	e := newInstance(t, testdb.Postgres(t).URL, "", "")
	admin := e.setup()
	ws, err := New(e.app, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	const want = "The request holds the NUL character (U+0000)"
	check := func(t *testing.T, r resp, what string) {
		t.Helper()
		if r.status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(r.body), want) {
			t.Errorf("%s = %d %.300s, want 400 %q", what, r.status, r.body, want)
		}
	}
	for _, rt := range ws.routes() {
		method, path := routePath(rt.pattern)
		t.Run(rt.pattern, func(t *testing.T) {
			se := *e
			se.t = t
			check(t, se.do(admin, method, path+"?q=a%00b&name=x", "", ""), method+" "+path+"?q=a%00b")
			if method == "GET" {
				return
			}
			check(t, se.do(admin, method, path, "application/x-www-form-urlencoded", "name=a%00b&description=x"),
				method+" "+path+" with the form name=a%00b")
			if rt.body != nil {
				check(t, se.do(admin, method, path, "application/json", `{"name": "a\u0000b", "description": "x"}`),
					method+" "+path+` with the JSON {"name": "a\u0000b"}`)
			}
		})
	}
	// An escaped backslash before "u0000" is text, not a NUL.
	if r := e.postJSON(admin, "/api/collection", `{"name": "a\\u0000b"}`); r.status != http.StatusOK {
		t.Errorf(`POST /api/collection {"name": "a\\u0000b"} = %d %.300s, want 200`, r.status, r.body)
	}
	r := e.do(admin, "GET", "/api/search?q=a", "", "")
	if strings.Count(r.body, `"model"`) != 1 {
		t.Errorf("GET /api/search?q=a = %.500s, want only the collection named a\\u0000b", r.body)
	}
}

// oversizedDashboards are dashboard bodies, each over one limit on what a
// dashboard holds, with the message that must refuse it.
func oversizedDashboards() []struct{ name, body, want string } {
	list := func(n int, item func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = item(i)
		}
		return strings.Join(parts, ",")
	}
	card := func(i int) string { return fmt.Sprintf(`{"row": %d, "col": 0, "size_x": 4, "size_y": 2}`, i*2) }
	filter := func(i int) string {
		return fmt.Sprintf(`{"id": "f%d", "name": "F%d", "slug": "f%d", "type": "category"}`, i, i, i)
	}
	wired := func(i int) string {
		return fmt.Sprintf(`{"row": %d, "col": 0, "size_x": 4, "size_y": 2, "parameter_mappings": [%s]}`, i*2,
			list(101, func(int) string { return `{"parameter_id": "f0"}` }))
	}
	return []struct{ name, body, want string }{
		{"cards", `{"name": "Big", "dashcards": [` + list(1001, card) + `]}`,
			"This dashboard has 1,001 cards, over the limit of 1,000."},
		{"tabs", `{"name": "Big", "tabs": [` + list(101, func(i int) string { return fmt.Sprintf(`{"id": %d, "name": "T"}`, i+1) }) + `]}`,
			"This dashboard has 101 tabs, over the limit of 100."},
		{"filters", `{"name": "Big", "parameters": [` + list(101, filter) + `]}`,
			"This dashboard has 101 filters, over the limit of 100."},
		{"linked filters", `{"name": "Big", "parameters": [` + filter(1) + `, {"id": "f0", "name": "F0", "slug": "f0", "type": "category", "filteringParameters": [` +
			list(101, func(int) string { return `"f1"` }) + `]}]}`,
			`The filter "F0" is narrowed by 101 filters, over the limit of 100.`},
		{"default values", `{"name": "Big", "parameters": [{"id": "f0", "name": "F0", "slug": "f0", "type": "category", "default": [` +
			list(10_001, func(i int) string { return fmt.Sprint(i) }) + `]}]}`,
			"This dashboard's filters have 10,001 default values, over the limit of 10,000."},
		{"wires", `{"name": "Big", "parameters": [` + filter(0) + `], "dashcards": [` + list(100, wired) + `]}`,
			"This dashboard has 10,100 wires from filters to cards, over the limit of 10,000."},
	}
}

// TestDashboardSizeLimitsOnEveryRoute sends a dashboard over each limit on
// its cards, tabs, filters and their values to every route whose body
// carries dashboard cards (found in the route table, so a new one is
// checked too): each must be refused at once with a 400 that names the
// limit, and nothing saved.
func TestDashboardSizeLimitsOnEveryRoute(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	ws, err := New(e.app, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	r := e.postJSON(admin, "/api/dashboard", `{"name": "Small"}`)
	var small struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(r.body), &small); err != nil || small.ID == 0 {
		t.Fatalf("POST /api/dashboard = %d %.300s", r.status, r.body)
	}
	routes := 0
	for _, rt := range ws.routes() {
		if bt := reflect.TypeOf(rt.body); bt == nil || bt.Kind() != reflect.Struct || !readsKey(bt, "dashcards") {
			continue
		}
		routes++
		method, path := routePath(strings.Replace(rt.pattern, "{id}", itoa(small.ID), 1))
		for _, tt := range oversizedDashboards() {
			t.Run(rt.pattern+"/"+tt.name, func(t *testing.T) {
				start := time.Now()
				r := e.do(admin, method, path, "application/json", tt.body)
				if elapsed := time.Since(start); elapsed > 5*time.Second {
					t.Errorf("%s %s took %v, want it refused at once", method, path, elapsed)
				}
				var got apiError
				if err := json.Unmarshal([]byte(r.body), &got); err != nil {
					t.Fatalf("%s %s = %d %.300s, not the API error shape", method, path, r.status, r.body)
				}
				if r.status != http.StatusBadRequest || got.Message != tt.want {
					t.Errorf("%s %s = %d %+v, want 400 %q", method, path, r.status, got, tt.want)
				}
			})
		}
	}
	if routes < 3 {
		t.Errorf("found %d routes that save a dashboard, want at least POST /api/dashboard, PUT /api/dashboard/{id} and POST /api/dashboard/save", routes)
	}
	r = e.do(admin, "GET", "/api/dashboard/"+itoa(small.ID), "", "")
	if !strings.Contains(r.body, `"name":"Small"`) || !strings.Contains(r.body, `"dashcards":[]`) {
		t.Errorf("GET /api/dashboard/%d = %.300s, want it unchanged", small.ID, r.body)
	}
	if r := e.do(admin, "GET", "/api/search?q=Big", "", ""); strings.Contains(r.body, `"Big"`) {
		t.Errorf("GET /api/search?q=Big = %.300s, want no dashboard saved", r.body)
	}
}

// TestQueriesPerPersonWaitTheirTurn has one person run as many slow
// questions as max-queries-per-person allows: their next question waits
// query-queue-timeout seconds for a turn and is refused with a 429 that
// says why, while another person's question runs at once.
func TestQueriesPerPersonWaitTheirTurn(t *testing.T) {
	e := newEnv(t, map[string]string{"SIGHTLINE_MAX_QUERIES_PER_PERSON": "2", "SIGHTLINE_QUERY_QUEUE_TIMEOUT": "1"})
	ada := e.setup()
	pg := testdb.Postgres(t)
	u, err := url.Parse(pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	r := e.postJSON(ada, "/api/database", fmt.Sprintf(`{"name": "Warehouse", "engine": "postgres", "details": {"host": %q, "port": %s, "dbname": %q, "user": %q, "ssl_mode": "disable"}}`,
		u.Hostname(), u.Port(), pg.Name, u.User.Username()))
	var db sightline.Database
	if err := json.Unmarshal([]byte(r.body), &db); r.status != http.StatusOK || err != nil {
		t.Fatalf("POST /api/database = %d %s", r.status, r.body)
	}
	if r := e.postJSON(ada, "/api/user", `{"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com", "password": "correct horse", "is_superuser": true}`); r.status != http.StatusOK {
		t.Fatalf("POST /api/user = %d %s", r.status, r.body)
	}
	grace := e.client()
	if r := e.postForm(grace, "/auth/login", url.Values{"email": {"grace@example.com"}, "password": {"correct horse"}}); r.status != http.StatusSeeOther {
		t.Fatalf("POST /auth/login = %d %.300s", r.status, r.body)
	}
	native := func(sql string) string {
		return fmt.Sprintf(`{"database": %d, "type": "native", "native": {"query": %q}}`, db.ID, sql)
	}
	ran := func(r resp) bool { return r.status == http.StatusOK || r.status == http.StatusAccepted }

	slow := make(chan resp, 2)
	for range 2 {
		go func() {
			req, _ := http.NewRequest("POST", e.srv.URL+"/api/dataset", strings.NewReader(native("SELECT pg_sleep(3)")))
			req.Header.Set("Content-Type", "application/json")
			res, err := ada.Do(req)
			if err != nil {
				slow <- resp{}
				return
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			slow <- resp{status: res.StatusCode, body: string(b)}
		}()
	}
	conn, err := sql.Open("pgx", pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if !eventually(5*time.Second, func() bool {
		var n int
		err := conn.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep(3)%'", pg.Name).Scan(&n)
		return err == nil && n == 2
	}) {
		t.Fatal("the two slow questions never ran together")
	}

	start := time.Now()
	r = e.postJSON(ada, "/api/dataset", native("SELECT 1"))
	waited := time.Since(start)
	const want = "You have 2 questions running already, and this one waited 1s for one of them to finish. Try again when they are done."
	var got apiError
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || r.status != http.StatusTooManyRequests || got.Message != want {
		t.Errorf("a third question while two run = %d %.300s, want 429 %q", r.status, r.body, want)
	}
	if waited < time.Second || waited > 2500*time.Millisecond {
		t.Errorf("the third question was answered after %v, want after its 1s wait", waited)
	}
	if r := e.postJSON(grace, "/api/dataset", native("SELECT 1")); !ran(r) {
		t.Errorf("another person's question while the first runs two = %d %.300s, want it run", r.status, r.body)
	}
	for range 2 {
		if r := <-slow; !ran(r) {
			t.Errorf("a slow question = %d %.300s, want it run", r.status, r.body)
		}
	}
	if r := e.postJSON(ada, "/api/dataset", native("SELECT 1")); !ran(r) {
		t.Errorf("a question once the slow ones ended = %d %.300s, want it run", r.status, r.body)
	}
}

// TestSearchTextLimit sends search text one character over the limit to
// every route that searches the app database by text (content and people;
// audit topics have a shorter limit of their own): each must answer 400
// naming the limit, not fail in the engine, and text at the limit still
// searches.
func TestSearchTextLimit(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	tests := []struct{ path, param string }{
		{"/api/search", "q"},
		{"/search", "q"},
		{"/api/user", "query"},
		{"/admin/people", "query"},
	}
	if r := e.postJSON(admin, "/api/collection", `{"name": "Sales"}`); r.status != http.StatusOK {
		t.Fatalf("POST /api/collection = %d %.300s", r.status, r.body)
	}
	const want = "The search text is 1,001 characters, over the limit of 1,000."
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			// Wildcards and escapes count as the characters they are.
			over := url.Values{tt.param: {strings.Repeat("%", 1000) + "é"}}.Encode()
			r := e.do(admin, "GET", tt.path+"?"+over, "", "")
			if r.status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(r.body), want) {
				t.Errorf("GET %s?%s=<1,001 characters> = %d %.300s, want 400 %q", tt.path, tt.param, r.status, r.body, want)
			}
			at := url.Values{tt.param: {strings.Repeat(`\_`, 500)}}.Encode()
			if r := e.do(admin, "GET", tt.path+"?"+at, "", ""); r.status != http.StatusOK {
				t.Errorf("GET %s?%s=<1,000 characters> = %d %.300s, want 200", tt.path, tt.param, r.status, r.body)
			}
		})
	}
	// Past SQLite's own limit on LIKE patterns the refusal is the same.
	for _, path := range []string{"/api/search?q=", "/api/user?query="} {
		r := e.do(admin, "GET", path+strings.Repeat("a", 60_000), "", "")
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "The search text is 60,000 characters, over the limit of 1,000.") {
			t.Errorf("GET %s<60,000 characters> = %d %.300s, want 400", path, r.status, r.body)
		}
	}
}

// TestDashcardFilterValuesBounded sends 20,000 values of a filter wired
// 100 times to a card through every route that runs or downloads a
// dashboard card with filter values, signed in and by public link: each
// is refused at once with a 400 naming the limit, instead of building a
// parameter for every value and wire (2,000,000 of them) before the
// question's own limit refuses them.
func TestDashcardFilterValuesBounded(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	_, f := invoicesMeta(t, e)
	wires := make([]string, 100)
	for i := range wires {
		wires[i] = fmt.Sprintf(`{"parameter_id": "plan", "card_id": %%[1]d, "target": ["dimension", ["field", %d, null]]}`, f["PLAN"])
	}
	d := filterDashboard(t, e, `[{"id": "plan", "name": "Plan", "slug": "plan", "type": "string/="}]`, "["+strings.Join(wires, ",")+"]")
	dc := d.Cards[0]
	if r := e.do(admin, "PUT", "/api/setting/enable-public-sharing", "application/json", `{"value": true}`); r.status != http.StatusNoContent {
		t.Fatalf("PUT /api/setting/enable-public-sharing = %d %s", r.status, r.body)
	}
	r := e.postJSON(admin, fmt.Sprintf("/api/dashboard/%d/public_link", d.ID), "")
	var link struct {
		UUID string `json:"uuid"`
	}
	if err := json.Unmarshal([]byte(r.body), &link); err != nil || link.UUID == "" {
		t.Fatalf("POST public_link = %d %s", r.status, r.body)
	}
	values := func(n int) string {
		return "[" + strings.Repeat(`{"id":"plan","value":"Basic"},`, n-1) + `{"id":"plan","value":"Basic"}]`
	}
	const want = "This request sets 20,000 filter values, over the limit of 100."
	card := fmt.Sprintf("/dashcard/%d/card/%d", dc.ID, dc.CardID)
	tests := []struct{ method, path, body, want string }{
		{"POST", fmt.Sprintf("/api/dashboard/%d%s/query", d.ID, card), `{"parameters": ` + values(20_000) + `}`, want},
		{"POST", fmt.Sprintf("/api/dashboard/%d%s/query/csv", d.ID, card), `{"parameters": ` + values(20_000) + `}`, want},
		// A query string holds fewer: the server reads at most 1 MB of headers.
		{"GET", "/api/public/dashboard/" + link.UUID + card + "?" + url.Values{"parameters": {values(10_000)}}.Encode(), "",
			"This request sets 10,000 filter values, over the limit of 100."},
		{"POST", "/api/public/dashboard/" + link.UUID + card + "/csv", `{"parameters": ` + values(20_000) + `}`, want},
	}
	anon := e.client()
	for _, tt := range tests {
		c := admin
		if strings.HasPrefix(tt.path, "/api/public/") {
			c = anon
		}
		start := time.Now()
		r := e.do(c, tt.method, tt.path, "application/json", tt.body)
		if elapsed := time.Since(start); elapsed > 3*time.Second {
			t.Errorf("%s %.80s took %v, want it refused at once", tt.method, tt.path, elapsed)
		}
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, tt.want) {
			t.Errorf("%s %.80s = %d %.300s, want 400 %q", tt.method, tt.path, r.status, r.body, tt.want)
		}
	}
	// One value still runs through all its wires.
	if got := runDashcard(t, e, d, `[{"id": "plan", "value": "Basic"}]`); strings.HasPrefix(got, "4") {
		t.Errorf("the card with one filter value = %s, want it run", got)
	}
}
