package query

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

// referenceResults holds the SQLite results of every case, which the other
// engines must reproduce.
type referenceResults struct {
	mu   sync.Mutex
	rows map[string][][]string
}

func (r *referenceResults) get(name string) ([][]string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rows, ok := r.rows[name]
	return rows, ok
}

func (r *referenceResults) set(name string, rows [][]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rows[name] = rows
}

// TestEnginesAgree runs every case on SQLite, PostgreSQL and MariaDB and
// checks that they return the same rows, and that SQLite returns the
// answers computed by hand in Go for the cases that have one.
func TestEnginesAgree(t *testing.T) {
	md := fixtureMetadata(t)
	opts := testOptions(t)
	ref := &referenceResults{rows: map[string][][]string{}}
	answers := handAnswers()
	forEachEngine(t, func(t *testing.T, e engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if e.d == MySQL {
			requireZoneTables(t, ctx, e.db)
		}
		ran := 0
		for _, tc := range cases {
			if tc.goldenOnly {
				continue
			}
			c, err := Compile(parse(t, tc.json), md, e.d, opts)
			if err != nil {
				// Unsupported on this engine: the golden files record the error.
				continue
			}
			got, err := run(ctx, e.db, c)
			if err != nil {
				t.Errorf("%s on %s: %v\n%s\n%v", tc.name, e.d, err, c.SQL, c.Args)
				continue
			}
			ran++
			if want, ok := answers[tc.name]; ok {
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s on %s differs from the hand-computed answer (-want +got):\n%s\n%s", tc.name, e.d, diff, c.SQL)
				}
			}
			if e.d == SQLite {
				ref.set(tc.name, got)
				continue
			}
			want, ok := ref.get(tc.name)
			if !ok {
				continue // no reference: SQLite could not run it
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s on %s differs from SQLite (-sqlite +%s):\n%s\n%s\n%v", tc.name, e.d, e.d, diff, c.SQL, c.Args)
			}
		}
		t.Logf("%d queries ran on %s", ran, e.d)
	})
}

// handAnswers computes expected results for some cases directly from the
// fixture rows in Go, independently of any SQL engine.
func handAnswers() map[string][][]string {
	data := fixtureData()
	inv := data.invoices
	count := func(keep func(r []any) bool) [][]string {
		n := 0
		for _, r := range inv {
			if keep(r) {
				n++
			}
		}
		return [][]string{{fmt.Sprint(n)}}
	}
	group := func(key func(r []any) (string, bool), val func(r []any) (float64, bool)) [][]string {
		sums := map[string]float64{}
		seen := map[string]bool{}
		for _, r := range inv {
			k, ok := key(r)
			if !ok {
				continue
			}
			seen[k] = true
			if v, ok := val(r); ok {
				sums[k] += v
			}
		}
		var keys []string
		for k := range seen {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			a, errA := strconv.Atoi(keys[i])
			b, errB := strconv.Atoi(keys[j])
			if errA == nil && errB == nil {
				return a < b
			}
			return keys[i] < keys[j]
		})
		var out [][]string
		for _, k := range keys {
			out = append(out, []string{k, normalize(sums[k])})
		}
		return out
	}
	str := func(v any) string {
		if v == nil {
			return "NULL"
		}
		return fmt.Sprint(v)
	}
	one := func([]any) (float64, bool) { return 1, true }
	payment := func(r []any) (float64, bool) {
		if r[2] == nil {
			return 0, false
		}
		return r[2].(float64), true
	}
	date := func(r []any) time.Time {
		d, _ := time.Parse("2006-01-02", r[3].(string))
		return d
	}
	return map[string][][]string{
		"count": count(func([]any) bool { return true }),
		"one_of": group(func(r []any) (string, bool) {
			return str(r[4]), r[4] == "Paid" || r[4] == "Open"
		}, one),
		"not_equal_keeps_nulls": count(func(r []any) bool { return r[4] != "Paid" }),
		"is_null":               count(func(r []any) bool { return r[2] == nil }),
		"compare": count(func(r []any) bool {
			p, ok := payment(r)
			return ok && p >= 50 && p < 150
		}),
		"contains_ignoring_case":  count(func(r []any) bool { return r[4] != nil && strings.Contains(strings.ToLower(r[4].(string)), "ai") }),
		"contains_case_sensitive": count(func(r []any) bool { return r[4] != nil && strings.Contains(r[4].(string), "AI") }),
		"sum_by_month": group(func(r []any) (string, bool) {
			return date(r).Format("2006-01") + "-01", true
		}, payment),
		// Now is 2024-06-15: the previous 30 days are 2024-05-16 to 2024-06-14.
		"previous_30_days": count(func(r []any) bool {
			d := date(r)
			return !d.Before(time.Date(2024, 5, 16, 0, 0, 0, 0, time.UTC)) && d.Before(time.Date(2024, 6, 15, 0, 0, 0, 0, time.UTC))
		}),
		"this_year": count(func(r []any) bool { return date(r).Year() == 2024 }),
		"bucket_month_of_year": group(func(r []any) (string, bool) {
			return fmt.Sprint(int(date(r).Month())), true
		}, one),
		"bucket_week_of_date": group(func(r []any) (string, bool) {
			d := date(r)
			return d.AddDate(0, 0, -int(d.Weekday())).Format("2006-01-02"), true
		}, one),
		"drill_month": func() [][]string {
			var out [][]string
			for _, r := range inv {
				if strings.HasPrefix(r[3].(string), "2024-03") {
					out = append(out, []string{normalize(r[0]), r[3].(string)})
				}
			}
			return out
		}(),
	}
}

// TestInjectionIsInert sends classic injection strings through filter
// values and native parameters: they must match nothing or be refused, and
// the tables must survive.
func TestInjectionIsInert(t *testing.T) {
	md := fixtureMetadata(t)
	opts := testOptions(t)
	attacks := []string{`' OR 1=1 --`, `' OR '1'='1`, `28 OR 1=1`, `x'); DROP TABLE invoices; --`, `\' OR 1=1 #`, `%' OR '1'='1`, `" OR ""="`}
	forEachEngine(t, func(t *testing.T, e engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for _, a := range attacks {
			lit, _ := jsonString(a)
			queries := map[string]string{
				"equals":        q(`{"source-table": 3, "filter": ["=", ["field", 24, null], ` + lit + `], "aggregation": [["count"]]}`),
				"contains":      q(`{"source-table": 3, "filter": ["contains", ["field", 24, null], ` + lit + `, {"case-sensitive": false}], "aggregation": [["count"]]}`),
				"native text":   `{"database": 1, "type": "native", "native": {"query": "SELECT count(*) FROM invoices WHERE status = {{s}}", "template-tags": {"s": {"name": "s", "display-name": "S", "type": "text"}}}, "parameters": [{"type": "category", "target": ["variable", ["template-tag", "s"]], "value": ` + lit + `}]}`,
				"field filter":  `{"database": 1, "type": "native", "native": {"query": "SELECT count(*) FROM invoices WHERE {{s}}", "template-tags": {"s": {"name": "s", "display-name": "S", "type": "dimension", "dimension": ["field", 24, null], "widget-type": "category"}}}, "parameters": [{"type": "category", "target": ["dimension", ["template-tag", "s"]], "value": [` + lit + `]}]}`,
				"native number": `{"database": 1, "type": "native", "native": {"query": "SELECT count(*) FROM invoices WHERE id = {{n}}", "template-tags": {"n": {"name": "n", "display-name": "N", "type": "number"}}}, "parameters": [{"type": "number/=", "target": ["variable", ["template-tag", "n"]], "value": ` + lit + `}]}`,
			}
			for kind, js := range queries {
				c, err := Compile(parse(t, js), md, e.d, opts)
				if err != nil {
					if sightline.ErrorCode(err) != sightline.EINVALID {
						t.Errorf("%s %q on %s: Compile = %v, want success or EINVALID", kind, a, e.d, err)
					}
					continue
				}
				got, err := run(ctx, e.db, c)
				if err != nil {
					t.Errorf("%s %q on %s: %v", kind, a, e.d, err)
					continue
				}
				if diff := cmp.Diff([][]string{{"0"}}, got); diff != "" {
					t.Errorf("%s %q on %s matched rows (-want +got):\n%s", kind, a, e.d, diff)
				}
			}
		}
		// The quoted-identifier table holds an attack string as data: it is
		// found only by an exact match.
		c, err := Compile(parse(t, q(`{"source-table": 4, "filter": ["=", ["field", 31, null], "' OR 1=1 --"], "fields": [["field", 30, null]]}`)), md, e.d, opts)
		if err != nil {
			t.Fatal(err)
		}
		got, err := run(ctx, e.db, c)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([][]string{{"3"}}, got); diff != "" {
			t.Errorf("exact match of an attack string on %s (-want +got):\n%s", e.d, diff)
		}
		var n int
		if err := e.db.QueryRowContext(ctx, "SELECT count(*) FROM invoices").Scan(&n); err != nil || n != 80 {
			t.Errorf("invoices after the attacks on %s: count = %d, %v; want 80", e.d, n, err)
		}
	})
}

func jsonString(s string) (string, error) {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String(), nil
}

// TestViews checks the sandbox hook: a filtered table stays filtered
// wherever it appears (source, explicit join, implicit join, inside a saved
// question), and native SQL is refused.
func TestViews(t *testing.T) {
	md := fixtureMetadata(t)
	opts := testOptions(t)
	// Only account 3 and its invoices, and only plan 2, as sandboxes bound
	// to user attributes would do. Account 3 is on plan 1.
	opts.Views = map[int64]View{
		1: {Filter: &sightline.Compare{Op: sightline.OpEq, Left: &sightline.FieldRef{ID: 1}, Values: []sightline.Expr{&sightline.Value{V: int64(2)}}}},
		2: {Filter: &sightline.Compare{Op: sightline.OpEq, Left: &sightline.FieldRef{ID: 10}, Values: []sightline.Expr{&sightline.Value{V: "3"}}}},
		3: {Filter: &sightline.Compare{Op: sightline.OpEq, Left: &sightline.FieldRef{ID: 21}, Values: []sightline.Expr{&sightline.Value{V: int64(3)}}}},
	}
	tests := []struct {
		name, json string
		want       [][]string
	}{
		{"source", q(`{"source-table": 3, "aggregation": [["count"]]}`), [][]string{{"7"}}},
		{"explicit join", q(`{"source-table": 1, "joins": [{"source-table": 2, "alias": "A", "condition": ["=", ["field", 1, null], ["field", 12, {"join-alias": "A"}]]}], "aggregation": [["count"], ["count", ["field", 10, {"join-alias": "A"}]]]}`), [][]string{{"1", "0"}}},
		{"implicit join", q(`{"source-table": 2, "aggregation": [["count"]], "breakout": [["field", 2, {"source-field": 12}]]}`), [][]string{{"NULL", "1"}}},
		{"saved question", q(`{"source-table": "card__100", "aggregation": [["count"]]}`), [][]string{{"1"}}},
	}
	forEachEngine(t, func(t *testing.T, e engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for _, tt := range tests {
			c, err := Compile(parse(t, tt.json), md, e.d, opts)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if !strings.Contains(c.SQL, "(SELECT * FROM ") {
				t.Errorf("%s on %s: no sandbox subquery in %s", tt.name, e.d, c.SQL)
			}
			got, err := run(ctx, e.db, c)
			if err != nil {
				t.Fatalf("%s on %s: %v\n%s", tt.name, e.d, err, c.SQL)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s on %s (-want +got):\n%s\n%s", tt.name, e.d, diff, c.SQL)
			}
		}
	})
	t.Run("implicit join through a sandboxed table", func(t *testing.T) {
		c, err := Compile(parse(t, q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 11, {"source-field": 21}]]}`)), md, SQLite, opts)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(c.SQL, "(SELECT * FROM "); n != 2 {
			t.Errorf("Compile = %s, want 2 sandbox subqueries (invoices and accounts), got %d", c.SQL, n)
		}
	})
	t.Run("native refused", func(t *testing.T) {
		_, err := Compile(parse(t, `{"database": 1, "type": "native", "native": {"query": "SELECT 1"}}`), md, SQLite, opts)
		if sightline.ErrorCode(err) != sightline.EFORBIDDEN {
			t.Errorf("Compile(native) = %v, want EFORBIDDEN", err)
		}
		_, err = Compile(parse(t, q(`{"source-table": "card__101"}`)), md, SQLite, opts)
		if sightline.ErrorCode(err) != sightline.EFORBIDDEN {
			t.Errorf("Compile(native card source) = %v, want EFORBIDDEN", err)
		}
	})
	t.Run("foreign columns refused", func(t *testing.T) {
		o := opts
		o.Views = map[int64]View{3: {Filter: &sightline.Compare{Op: sightline.OpEq, Left: &sightline.FieldRef{ID: 11, SourceField: 21}, Values: []sightline.Expr{&sightline.Value{V: "Acme"}}}}}
		_, err := Compile(parse(t, q(`{"source-table": 3}`)), md, SQLite, o)
		if sightline.ErrorCode(err) != sightline.EINVALID {
			t.Errorf("Compile with a row filter through a foreign key = %v, want EINVALID", err)
		}
	})
}
