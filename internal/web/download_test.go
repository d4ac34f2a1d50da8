package web

import (
	"encoding/csv"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

func TestInertText(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"+1+2", "'+1+2"},
		{"-1+2", "'-1+2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"＝1+1", "'＝1+1"},
		{"-", "'-"},
		{"-Inf", "'-Inf"},
		{"-12.50", "-12.50"},
		{"+44", "+44"},
		{"-1e-5", "-1e-5"},
		{".5", ".5"},
		{"plain", "plain"},
		{"a=b", "a=b"},
		{" =1", " =1"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := inertText(tt.in); got != tt.want {
			t.Errorf("inertText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestDownloadsDoNotCarryFormulas downloads text that a spreadsheet would
// run as a formula: the CSV carries it behind a single quote, the XLSX as a
// string cell, the JSON unchanged, and numbers stay numbers in all three.
func TestDownloadsDoNotCarryFormulas(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	e.withSample()
	const sql = `SELECT '=HYPERLINK("http://x","y")' AS "=evil", '+1+2' AS plus, '@SUM(A1)' AS at, char(9) || '=1' AS tab, ` +
		`'-3' AS "negative text", -5 AS "negative int", -2.5 AS "negative real", 'fine' AS plain`
	body := `{"database": 1, "type": "native", "native": {"query": ` + jsonString(sql) + `}}`

	r := e.postJSON(admin, "/api/dataset/csv", body)
	if r.status != 200 {
		t.Fatalf("POST /api/dataset/csv = %d %s", r.status, r.body)
	}
	recs, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"'=evil", "Plus", "At", "Tab", "Negative Text", "Negative Int", "Negative Real", "Plain"},
		{`'=HYPERLINK("http://x","y")`, "'+1+2", "'@SUM(A1)", "'\t=1", "-3", "-5", "-2.5", "fine"},
	}
	if diff := cmp.Diff(want, recs); diff != "" {
		t.Errorf("CSV records (-want +got):\n%s", diff)
	}

	r = e.postForm(admin, "/api/dataset/xlsx", url.Values{"query": {body}})
	if r.status != 200 {
		t.Fatalf("POST /api/dataset/xlsx = %d %s", r.status, r.body)
	}
	x, err := excelize.OpenReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatalf("the XLSX does not open: %v", err)
	}
	defer x.Close()
	for _, tt := range []struct {
		cell, value string
		number      bool
	}{
		{"A1", "=evil", false},
		{"A2", `=HYPERLINK("http://x","y")`, false},
		{"B2", "+1+2", false},
		{"C2", "@SUM(A1)", false},
		{"D2", "\t=1", false},
		{"F2", "-5", true},
		{"G2", "-2.5", true},
	} {
		f, err := x.GetCellFormula("Sheet1", tt.cell)
		if err != nil || f != "" {
			t.Errorf("XLSX %s formula = %q, %v; want none", tt.cell, f, err)
		}
		v, _ := x.GetCellValue("Sheet1", tt.cell)
		typ, _ := x.GetCellType("Sheet1", tt.cell)
		isNumber := typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset
		if v != tt.value || isNumber != tt.number {
			t.Errorf("XLSX %s = %q (type %v), want %q as a number: %v", tt.cell, v, typ, tt.value, tt.number)
		}
	}

	r = e.postJSON(admin, "/api/dataset/json", body)
	if !strings.Contains(r.body, `"=evil":"=HYPERLINK(\"http://x\",\"y\")"`) || !strings.Contains(r.body, `"Negative Int":-5`) {
		t.Errorf("JSON download = %s, want the text and numbers unchanged", r.body)
	}
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}
