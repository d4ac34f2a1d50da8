package xray

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/sampledata"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sampleTables are the names of the Sample Database's tables.
func sampleTables() []string {
	var out []string
	for _, def := range sampledata.Tables() {
		out = append(out, def.Name)
	}
	return out
}

// isChart reports whether a question draws a chart (not a number or a
// table of values).
func isChart(display string) bool {
	return display != "number" && display != "table"
}

// compareGolden compares got with testdata/name, or rewrites it with -update.
func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// TestSampleDatabase X-rays every table of the Sample Database synced from
// SQLite: the dashboard matches its golden file, and every question
// compiles and runs, with chart settings that name real result columns.
func TestSampleDatabase(t *testing.T) {
	s := sqliteSample(t)
	for _, name := range sampleTables() {
		t.Run(name, func(t *testing.T) {
			tbl := s.table(t, name)
			d, err := Generate(tbl, s.md, Options{})
			if err != nil {
				t.Fatalf("Generate(%s) = %v", name, err)
			}
			got, err := json.MarshalIndent(d, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, strings.ToLower(name)+".json", append(got, '\n'))

			if want := "A look at your " + tbl.DisplayName + " table"; d.Name != want {
				t.Errorf("Generate(%s).Name = %q, want %q", name, d.Name, want)
			}
			charts := 0
			results := runCards(t, s, d)
			for _, r := range results {
				if r.err != nil {
					t.Errorf("card %q: %v", r.name, r.err)
					continue
				}
				if r.rows == 0 {
					t.Logf("card %q returned no rows", r.name)
				}
				if isChart(r.display) && r.rows > 0 {
					charts++
				}
			}
			checkChartColumns(t, d, results)
			t.Logf("%s: %d cards, %d charts with data", name, len(d.Cards), charts)
			if name == sampledata.Invoices && charts < 8 {
				t.Errorf("INVOICES X-ray has %d charts with data, want at least 8", charts)
			}
		})
	}
}

// checkChartColumns checks that graph.dimensions and graph.metrics name
// columns of each question's compiled result, and that pin maps have
// coordinates; results are runCards(d).
func checkChartColumns(t *testing.T, d *sightline.Dashboard, results []cardResult) {
	t.Helper()
	i := 0
	for _, dc := range d.Cards {
		if dc.Card == nil {
			continue
		}
		r := results[i]
		i++
		var viz struct {
			Dims    []string `json:"graph.dimensions"`
			Metrics []string `json:"graph.metrics"`
		}
		if err := json.Unmarshal(dc.Card.VizSettings, &viz); err != nil {
			t.Errorf("card %q: visualization settings %s: %v", r.name, dc.Card.VizSettings, err)
			continue
		}
		var names, semantics []string
		for _, c := range r.columns {
			names = append(names, c.Name)
			semantics = append(semantics, c.SemanticType)
		}
		if r.display == "map-pin" && (!slices.Contains(semantics, sightline.SemanticLatitude) || !slices.Contains(semantics, sightline.SemanticLongitude)) {
			t.Errorf("pin map %q has columns of types %q, want a latitude and a longitude", r.name, semantics)
		}
		for _, n := range append(viz.Dims, viz.Metrics...) {
			if !slices.Contains(names, n) {
				t.Errorf("card %q: chart column %q not among the result columns %q", r.name, n, names)
			}
		}
	}
}

// TestDeterministic generates each X-ray twice and from a copy of the
// metadata: the dashboards are byte for byte the same.
func TestDeterministic(t *testing.T) {
	s := sqliteSample(t)
	for _, name := range sampleTables() {
		tbl := s.table(t, name)
		a, err := Generate(tbl, s.md, Options{})
		if err != nil {
			t.Fatalf("Generate(%s) = %v", name, err)
		}
		cp := *tbl
		cp.Fields = slices.Clone(tbl.Fields)
		b, err := Generate(&cp, s.md, Options{})
		if err != nil {
			t.Fatalf("Generate(%s) = %v", name, err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("Generate(%s) differs between two runs", name)
		}
	}
}

// TestFilteredCards runs every question of the INVOICES X-ray with all its
// filters set, mapped the way the app maps dashboard filters: each still
// runs, and the row count shrinks.
func TestFilteredCards(t *testing.T) {
	s := sqliteSample(t)
	tbl := s.table(t, sampledata.Invoices)
	d, err := Generate(tbl, s.md, Options{})
	if err != nil {
		t.Fatalf("Generate = %v", err)
	}
	values := map[string]any{"date_received": "2025-01-01~2025-06-30", "plan": []any{"Basic"}, "expected_invoice": []any{true}}
	for _, p := range d.Parameters {
		if _, ok := values[p.ID]; !ok {
			t.Fatalf("the INVOICES X-ray has filter %q, want only %v", p.ID, values)
		}
	}
	filtered := *d
	filtered.Cards = slices.Clone(d.Cards)
	for i, dc := range filtered.Cards {
		if dc.Card == nil {
			continue
		}
		var wire []map[string]any
		for _, m := range dc.Mappings {
			wire = append(wire, map[string]any{"id": m.ParameterID, "type": paramType(d, m.ParameterID),
				"target": m.Target, "value": values[m.ParameterID]})
		}
		b, err := json.Marshal(wire)
		if err != nil {
			t.Fatal(err)
		}
		params, err := sightline.ParseParameters(b)
		if err != nil {
			t.Fatalf("card %q: ParseParameters(%s) = %v", dc.Card.Name, b, err)
		}
		card, q := *dc.Card, *dc.Card.Query
		q.Parameters = params
		card.Query = &q
		filtered.Cards[i].Card = &card
	}
	all, some := runCards(t, s, d), runCards(t, s, &filtered)
	for i, r := range some {
		if r.err != nil {
			t.Errorf("filtered card %q: %v", r.name, r.err)
		}
		if r.display == "map-pin" && r.rows > all[i].rows {
			t.Errorf("filtered card %q has %d rows, more than the %d unfiltered", r.name, r.rows, all[i].rows)
		}
	}
	if all[0].name != "Total Invoices" {
		t.Fatalf("first question = %q, want Total Invoices", all[0].name)
	}
	if got, want := some[0].first, all[0].first; len(got) != 1 || len(want) != 1 || got[0].(int64) <= 0 || got[0].(int64) >= want[0].(int64) {
		t.Errorf("%q filtered = %v, want fewer than the %v unfiltered but some", all[0].name, got, want)
	}
}

// paramType returns the type of the dashboard filter id.
func paramType(d *sightline.Dashboard, id string) string {
	for _, p := range d.Parameters {
		if p.ID == id {
			return p.Type
		}
	}
	return ""
}
