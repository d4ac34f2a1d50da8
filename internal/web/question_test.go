package web

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/xuri/excelize/v2"

	"sightline"
)

// questionState extracts the JSON block question.js reads from a page.
func pageState(t *testing.T, body string) map[string]any {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/json" id="question-state">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no question state in the page")
	}
	var st map[string]any
	if err := json.Unmarshal([]byte(m[1]), &st); err != nil {
		t.Fatalf("question state %q: %v", m[1], err)
	}
	return st
}

// sumByMonth is "Sum of Payment by Date Received: Month" on INVOICES.
func sumByMonth(inv int64, f map[string]int64) string {
	return fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d,
		"aggregation": [["sum", ["field", %d, null]]], "breakout": [["field", %d, {"temporal-unit": "month"}]]}}`, inv, f["PAYMENT"], f["DATE_RECEIVED"])
}

func TestQuestionPages(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	inv, f := invoicesMeta(t, e)
	r := e.postJSON(admin, "/api/card", `{"name": "Revenue by month", "description": "Payments received", "display": "line", "dataset_query": `+sumByMonth(inv, f)+`}`)
	var card sightline.Card
	if err := json.Unmarshal([]byte(r.body), &card); err != nil || card.ID == 0 {
		t.Fatalf("POST /api/card = %d %s", r.status, r.body)
	}
	id := itoa(card.ID)
	tests := []struct {
		name, path string
		status     int
		want       []string
		mode       string
	}{
		{"new notebook", "/question/new", 200, []string{`id="notebook"`, `src="/static/v/` + assetVersion() + `/js/question/main.js"`, `type="module"`, `href="/static/viz.css"`}, "new"},
		{"new SQL", "/question/new?type=native", 200, []string{`id="sql-text"`, "New SQL query"}, "new"},
		{"new from a table", "/question/new?table=" + itoa(inv), 200, []string{`id="notebook"`}, "new"},
		{"saved by ID", "/question/" + id, 200, []string{"Revenue by month", "Payments received", `id="question-info"`, "Edited", "by Ada Lovelace", `id="action-editor"`}, "saved"},
		{"saved by ID and slug", "/question/" + id + "-revenue-by-month", 200, []string{"Revenue by month"}, "saved"},
		{"ad hoc without state", "/question", 200, []string{`id="viz"`}, "adhoc"},
		{"unknown question", "/question/99999", 404, nil, ""},
		{"not an ID", "/question/abc", 404, nil, ""},
		{"damaged link", "/question?q=!!!", 400, []string{"damaged"}, ""},
		{"bad query in link", "/question?q=" + base64.RawURLEncoding.EncodeToString([]byte(`{"database": 1, "type": "query", "query": {"source-table": 1, "frobnicate": 1}}`)), 400, []string{"frobnicate"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(admin, tt.path)
			if r.status != tt.status {
				t.Fatalf("GET %s = %d, want %d", tt.path, r.status, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(html.UnescapeString(r.body), w) {
					t.Errorf("GET %s does not contain %q", tt.path, w)
				}
			}
			if tt.mode != "" {
				if got := pageState(t, r.body)["mode"]; got != tt.mode {
					t.Errorf("GET %s mode = %v, want %s", tt.path, got, tt.mode)
				}
			}
		})
	}
	st := pageState(t, e.get(admin, "/question/new?table="+itoa(inv)).body)
	if st["table_id"] != float64(inv) {
		t.Errorf("new question from a table: table_id = %v, want %d", st["table_id"], inv)
	}
	st = pageState(t, e.get(admin, "/question/"+id).body)
	if c, _ := st["card"].(map[string]any); c == nil || c["revision"] != float64(1) || st["display"] != "line" {
		t.Errorf("saved question state = %v, want the card at revision 1 shown as a line", st)
	}
	if r := e.get(e.client(), "/question/"+id); r.status != http.StatusFound {
		t.Errorf("GET /question/%s signed out = %d, want a redirect to sign in", id, r.status)
	}
}

func TestAdHocQuestionRoundTrip(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	inv, f := invoicesMeta(t, e)
	q, err := sightline.ParseQuery([]byte(sumByMonth(inv, f)))
	if err != nil {
		t.Fatal(err)
	}
	enc, err := encodeAdHoc(q, "area")
	if err != nil {
		t.Fatal(err)
	}
	bare := base64.URLEncoding.EncodeToString([]byte(sumByMonth(inv, f))) // padded, bare query
	tests := []struct {
		name, q, display string
	}{
		{"state with a display", enc, "area"},
		{"bare padded query", bare, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(e.adminClient, "/question?q="+url.QueryEscape(tt.q))
			if r.status != 200 {
				t.Fatalf("GET /question?q= = %d %s", r.status, r.body)
			}
			st := pageState(t, r.body)
			if st["mode"] != "adhoc" || st["display"] != tt.display {
				t.Errorf("state = %v, want ad hoc with display %q", st, tt.display)
			}
			// The query the page holds is the one in the link: run it.
			b, _ := json.Marshal(st["dataset_query"])
			got, err := sightline.ParseQuery(b)
			if err != nil {
				t.Fatalf("the page's query does not parse: %v", err)
			}
			want, _ := json.Marshal(q)
			if g, _ := json.Marshal(got); !bytes.Equal(g, want) {
				t.Errorf("round trip = %s, want %s", g, want)
			}
			var ds dataset
			r = e.postJSON(e.adminClient, "/api/dataset", string(b))
			if json.Unmarshal([]byte(r.body), &ds); r.status != http.StatusAccepted || ds.Data.Cols[0]["display_name"] != "Date Received: Month" {
				t.Errorf("running the page's query = %d %s", r.status, r.body)
			}
		})
	}
}

func TestQuestionShellFlags(t *testing.T) {
	e := ssoEnv(t)
	e.withSample()
	e.adminClient = e.client()
	if r := e.postForm(e.adminClient, "/auth/login", url.Values{"email": {"ada@example.com"}, "password": {"correct horse"}}); r.status != http.StatusSeeOther {
		t.Fatalf("sign in = %d", r.status)
	}
	inv, f := invoicesMeta(t, e)
	r := e.postJSON(e.adminClient, "/api/card", `{"name": "Revenue by month", "dataset_query": `+sumByMonth(inv, f)+`}`)
	var card sightline.Card
	if err := json.Unmarshal([]byte(r.body), &card); err != nil || card.ID == 0 {
		t.Fatalf("POST /api/card = %d %s", r.status, r.body)
	}
	path := "/question/" + itoa(card.ID)
	tests := []struct {
		name, options    string
		header, info, bt bool
	}{
		{"everything", "", true, true, true},
		{"no additional info", "additional_info=false", true, false, true},
		{"no action buttons", "action_buttons=false", true, true, false},
		{"no header", "header=false", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.client()
			tok := ssoToken(t, jwt.MapClaims{"email": "rene@acme.example", "first_name": "Rene"})
			if r := e.get(c, "/auth/sso?"+url.Values{"jwt": {tok}, "return_to": {path + "?" + tt.options}}.Encode()); r.status != http.StatusFound {
				t.Fatalf("GET /auth/sso = %d %s", r.status, r.body)
			}
			r := e.get(c, path+"?"+tt.options, "Sec-Fetch-Dest", "iframe")
			if r.status != 200 {
				t.Fatalf("GET %s = %d", path, r.status)
			}
			got := [3]bool{strings.Contains(r.body, `id="question-head"`), strings.Contains(r.body, `id="question-info"`), strings.Contains(r.body, `id="question-action-buttons"`)}
			if want := [3]bool{tt.header, tt.info, tt.bt}; got != want {
				t.Errorf("%s: header, edited info, action buttons shown = %v, want %v", tt.options, got, want)
			}
			if !strings.Contains(r.body, `id="viz"`) || !strings.Contains(r.body, `id="viz-picker"`) || !strings.Contains(r.body, `id="download-menu"`) {
				t.Errorf("%s: the chart, the visualization picker and the downloads must always show", tt.options)
			}
			if st := pageState(t, r.body); st["action_buttons"] != tt.bt {
				t.Errorf("%s: action_buttons in the script's state = %v, want %v", tt.options, st["action_buttons"], tt.bt)
			}
		})
	}
}

func TestDownloads(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	inv, f := invoicesMeta(t, e)
	account28 := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "filter": ["=", ["field", %d, null], 28], "order-by": [["asc", ["field", %d, null]]]}}`, inv, f["ACCOUNT_ID"], f["ID"])
	all := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d}}`, inv)
	r := e.postJSON(admin, "/api/card", `{"name": "Account 28: invoices", "dataset_query": `+account28+`}`)
	var card sightline.Card
	if err := json.Unmarshal([]byte(r.body), &card); err != nil || card.ID == 0 {
		t.Fatalf("POST /api/card = %d %s", r.status, r.body)
	}
	cardPath := "/api/card/" + itoa(card.ID) + "/query/"
	today := time.Now().Format("2006-01-02")
	header := "ID,Account ID,Payment,Expected Invoice,Plan,Date Received"

	t.Run("csv of a saved question", func(t *testing.T) {
		for _, method := range []string{"GET", "POST"} {
			r := e.do(admin, method, cardPath+"csv", "", "")
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
				t.Fatalf("%s %scsv = %d %s", method, cardPath, r.status, r.header.Get("Content-Type"))
			}
			wantDisp := `attachment; filename="Account 28 invoices ` + today + `.csv"`
			if got := r.header.Get("Content-Disposition"); got != wantDisp {
				t.Errorf("Content-Disposition = %q, want %q", got, wantDisp)
			}
			recs, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 23 || strings.Join(recs[0], ",") != header {
				t.Errorf("CSV = %d records with header %v, want the header and 22 rows", len(recs), recs[0])
			}
			for _, rec := range recs[1:] {
				if rec[1] != "28" || !regexp.MustCompile(`^\d{4}-\d\d-\d\d$`).MatchString(rec[5]) {
					t.Errorf("CSV row %v, want account 28 and a plain date", rec)
					break
				}
			}
		}
	})

	t.Run("json of an ad-hoc query", func(t *testing.T) {
		r := e.postJSON(admin, "/api/dataset/json", account28)
		var rows []map[string]any
		if err := json.Unmarshal([]byte(r.body), &rows); err != nil || r.status != 200 {
			t.Fatalf("POST /api/dataset/json = %d %v %.200s", r.status, err, r.body)
		}
		if len(rows) != 22 || rows[0]["Account ID"] != float64(28) || rows[0]["Plan"] == nil {
			t.Errorf("JSON = %d rows, first %v; want 22 rows of account 28", len(rows), rows[0])
		}
		if !strings.Contains(r.header.Get("Content-Disposition"), "query_result "+today+".json") {
			t.Errorf("Content-Disposition = %q, want query_result and the date", r.header.Get("Content-Disposition"))
		}
	})

	t.Run("xlsx from a form post", func(t *testing.T) {
		r := e.postForm(admin, "/api/dataset/xlsx", url.Values{"query": {account28}})
		if r.status != 200 {
			t.Fatalf("POST /api/dataset/xlsx = %d %s", r.status, r.body)
		}
		x, err := excelize.OpenReader(strings.NewReader(r.body))
		if err != nil {
			t.Fatalf("the XLSX does not open: %v", err)
		}
		defer x.Close()
		rows, err := x.GetRows("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 23 || strings.Join(rows[0], ",") != header || rows[1][1] != "28" {
			t.Errorf("XLSX = %d rows, header %v, first %v; want the header and 22 rows of account 28", len(rows), rows[0], rows[1])
		}
		typ, err := x.GetCellType("Sheet1", "C2")
		if err != nil || typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("payment cell type = %v, %v; want a number", typ, err)
		}
	})

	t.Run("past the display cap", func(t *testing.T) {
		r := e.postJSON(admin, "/api/dataset/csv", all)
		if n := strings.Count(r.body, "\n"); r.status != 200 || n != 13857 {
			t.Errorf("CSV of every invoice = %d with %d lines, want 13,856 rows and the header", r.status, n)
		}
	})

	t.Run("errors before streaming are JSON", func(t *testing.T) {
		tests := []struct {
			name, method, path, ctype, body string
			status                          int
			want                            string
		}{
			{"unknown format", "POST", "/api/dataset/pdf", "application/json", all, 400, "csv, json or xlsx"},
			{"unknown table", "POST", "/api/dataset/csv", "application/json", `{"database": 1, "type": "query", "query": {"source-table": 999999}}`, 400, "999999"},
			{"SQL error", "POST", "/api/dataset/csv", "application/json", `{"database": 1, "type": "native", "native": {"query": "SELEC 1"}}`, 400, "syntax error"},
			{"SQL error in xlsx", "POST", "/api/dataset/xlsx", "application/json", `{"database": 1, "type": "native", "native": {"query": "SELEC 1"}}`, 400, "syntax error"},
			{"form without a query", "POST", "/api/dataset/csv", "application/x-www-form-urlencoded", "", 400, "query"},
			{"unknown question", "GET", "/api/card/99999/query/csv", "", "", 404, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.do(admin, tt.method, tt.path, tt.ctype, tt.body)
				var got apiError
				if err := json.Unmarshal([]byte(r.body), &got); err != nil {
					t.Fatalf("%s %s body %.200q is not a JSON error: %v", tt.method, tt.path, r.body, err)
				}
				if r.status != tt.status || !strings.Contains(got.Message, tt.want) || r.header.Get("Content-Disposition") != "" {
					t.Errorf("%s %s = %d %+v (Content-Disposition %q), want %d mentioning %q and no file", tt.method, tt.path, r.status, got, r.header.Get("Content-Disposition"), tt.status, tt.want)
				}
			})
		}
	})

	t.Run("signed out", func(t *testing.T) {
		if r := e.do(e.client(), "GET", cardPath+"csv", "", ""); r.status != 401 {
			t.Errorf("GET %scsv signed out = %d, want 401", cardPath, r.status)
		}
	})

	t.Run("native with a parameter", func(t *testing.T) {
		native := `{"database": 1, "type": "native", "native": {"query": "SELECT ID, PLAN FROM INVOICES WHERE ACCOUNT_ID = {{acct}}",
			"template-tags": {"acct": {"name": "acct", "display-name": "Account", "type": "number"}}},
			"parameters": [{"type": "number/=", "target": ["variable", ["template-tag", "acct"]], "value": 28}]}`
		r := e.postJSON(admin, "/api/dataset/csv", native)
		if n := strings.Count(r.body, "\n"); r.status != 200 || n != 23 || !strings.HasPrefix(r.body, "ID,Plan\n") {
			t.Errorf("native CSV = %d, %d lines: %.80q; want its own header and 22 rows", r.status, n, r.body)
		}
	})
}

func TestDownloadFilename(t *testing.T) {
	day := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name, ext, want string
	}{
		{"Revenue by month", "csv", "Revenue by month 2026-01-15.csv"},
		{"  a/b:c*d?  ", "xlsx", "a b c d 2026-01-15.xlsx"},
		{"", "json", "query_result 2026-01-15.json"},
		{"Umsätze \"2025\"", "csv", "Umsätze 2025 2026-01-15.csv"},
		// Text that does not show as itself: direction overrides and
		// isolates, zero-width characters, C1 controls, line separators.
		{"report\u202Egpj.exe", "csv", "reportgpj.exe 2026-01-15.csv"},
		{"a\u2066b\u2069c\u200Fd", "csv", "abcd 2026-01-15.csv"},
		{"Rev\u200Benue\uFEFF", "xlsx", "Revenue 2026-01-15.xlsx"},
		{"a\u0085b\u2028c\u2029d\r\ne", "csv", "a b c d e 2026-01-15.csv"},
		{"a\u00A0\u3000b", "csv", "a b 2026-01-15.csv"},
		// Leading dots would hide the file; the rest stay.
		{".bashrc", "csv", "bashrc 2026-01-15.csv"},
		{" . ..x.y", "csv", "x.y 2026-01-15.csv"},
		{"\u202E", "json", "query_result 2026-01-15.json"},
	}
	for _, tt := range tests {
		if got := downloadFilename(tt.name, tt.ext, day); got != tt.want {
			t.Errorf("downloadFilename(%q, %q) = %q, want %q", tt.name, tt.ext, got, tt.want)
		}
	}
}

// TestDownloadNameHeader downloads a question whose name tries to break the
// Content-Disposition header, climb out of the downloads folder or pass for
// another kind of file: the header stays one well-formed attachment whose
// file name shows what it is.
func TestDownloadNameHeader(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	e.withSample()
	name := "../..\\Q3 \"sales\"\r\nSet-Cookie: x=1; Ümsatz\u202Egpj.exe"
	body, err := json.Marshal(map[string]any{"name": name, "dataset_query": json.RawMessage(`{"database": 1, "type": "native", "native": {"query": "SELECT 1 AS one"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	r := e.postJSON(admin, "/api/card", string(body))
	var card sightline.Card
	if err := json.Unmarshal([]byte(r.body), &card); err != nil || card.ID == 0 {
		t.Fatalf("POST /api/card = %d %s", r.status, r.body)
	}
	today := time.Now().Format("2006-01-02")
	for _, format := range []string{"csv", "xlsx", "json"} {
		r := e.do(admin, "GET", "/api/card/"+itoa(card.ID)+"/query/"+format, "", "")
		if r.status != 200 {
			t.Fatalf("GET %s = %d %s", format, r.status, r.body)
		}
		disp := r.header.Values("Content-Disposition")
		if len(disp) != 1 || strings.ContainsAny(disp[0], "\r\n") || r.header.Get("Set-Cookie") != "" {
			t.Fatalf("%s Content-Disposition = %q, Set-Cookie %q; want one header line", format, disp, r.header.Get("Set-Cookie"))
		}
		typ, params, err := mime.ParseMediaType(disp[0])
		want := "Q3 sales Set-Cookie x=1; Ümsatzgpj.exe " + today + "." + format
		if err != nil || typ != "attachment" || params["filename"] != want {
			t.Errorf("%s Content-Disposition = %q: %s %q, %v; want an attachment named %q", format, disp[0], typ, params["filename"], err, want)
		}
	}
}
