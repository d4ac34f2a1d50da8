package query

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

// accountView is a query-builder view of invoices: account 3's rows,
// without the payment column (22) or the time-zone column (26).
func accountView() View {
	return View{
		Filter:  &sightline.Compare{Op: sightline.OpEq, Left: &sightline.FieldRef{ID: 21}, Values: []sightline.Expr{&sightline.Value{V: int64(3)}}},
		Visible: map[int64]bool{20: true, 21: true, 23: true, 24: true, 25: true},
	}
}

// nativeView is a SQL view of invoices bound to account acct: it returns
// only the id, account and date columns.
func nativeView(acct any) View {
	return View{
		Native: &sightline.NativeQuery{
			SQL:          "SELECT id, account_id, date_received FROM invoices WHERE account_id = {{acct}};",
			TemplateTags: []sightline.TemplateTag{{Name: "acct", Type: sightline.TagNumber}},
		},
		Params:  []sightline.Parameter{{TargetKind: sightline.TargetVariable, Tag: "acct", Value: acct}},
		Visible: map[int64]bool{20: true, 21: true, 23: true},
	}
}

// viewCases are compiled under views for the golden files and run on every
// engine.
var viewCases = []struct {
	name  string
	views map[int64]View
	json  string
	want  [][]string
}{
	{"view_hidden_columns", map[int64]View{3: accountView()}, q(`{"source-table": 3, "order-by": [["asc", ["field", 20, null]]], "limit": 2}`),
		[][]string{{"2", "3", "2023-01-19", "Overdue", "2023-01-21 02:14:00"}, {"14", "3", "2023-05-07", "Paid", "2023-05-07 14:38:00"}}},
	{"view_native", map[int64]View{3: nativeView(int64(3))}, q(`{"source-table": 3, "aggregation": [["count"]]}`), [][]string{{"7"}}},
	{"view_native_filtered", map[int64]View{3: func() View {
		v := nativeView(int64(3))
		v.Filter = &sightline.Compare{Op: sightline.OpGt, Left: &sightline.FieldRef{ID: 20}, Values: []sightline.Expr{&sightline.Value{V: int64(40)}}}
		return v
	}()}, q(`{"source-table": 3, "fields": [["field", 20, null], ["field", 23, null]], "order-by": [["asc", ["field", 20, null]]]}`),
		[][]string{{"50", "2024-03-26"}, {"62", "2024-07-12"}, {"74", "2024-10-28"}}},
	{"view_native_implicit_join", map[int64]View{3: nativeView(int64(3))}, q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 11, {"source-field": 21}]]}`),
		[][]string{{"Cobalt", "7"}}},
	{"view_empty", map[int64]View{3: func() View { v := nativeView(nil); v.Empty = true; return v }()}, q(`{"source-table": 3, "aggregation": [["count"]]}`), [][]string{{"0"}}},
}

func TestViewGolden(t *testing.T) {
	md := fixtureMetadata(t)
	for _, tc := range viewCases {
		for _, d := range dialects {
			t.Run(tc.name+"/"+string(d), func(t *testing.T) {
				opts := testOptions(t)
				opts.Views = tc.views
				got := golden(Compile(parse(t, tc.json), md, d, opts))
				checkGolden(t, tc.name, d, got)
			})
		}
	}
}

func TestViewsOnEngines(t *testing.T) {
	md := fixtureMetadata(t)
	forEachEngine(t, func(t *testing.T, e engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for _, tc := range viewCases {
			opts := testOptions(t)
			opts.Views = tc.views
			c, err := Compile(parse(t, tc.json), md, e.d, opts)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			got, err := run(ctx, e.db, c)
			if err != nil {
				t.Fatalf("%s on %s: %v\n%s", tc.name, e.d, err, c.SQL)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s on %s (-want +got):\n%s\n%s", tc.name, e.d, diff, c.SQL)
			}
		}
		c, err := DescribeView(&fixtureTables()[2], nativeView(int64(3)), md, e.d)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := e.db.QueryContext(ctx, c.SQL, c.Args...)
		if err != nil {
			t.Fatalf("DescribeView on %s: %v\n%s", e.d, err, c.SQL)
		}
		cols, err := rows.Columns()
		rows.Close()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"id", "account_id", "date_received"}, cols); diff != "" {
			t.Errorf("DescribeView columns on %s (-want +got):\n%s", e.d, diff)
		}
	})
}

// TestViewHiddenColumns checks that every way of reaching a hidden column
// is refused, naming the column, while the view's own filter may use it.
func TestViewHiddenColumns(t *testing.T) {
	md := fixtureMetadata(t)
	opts := testOptions(t)
	v := accountView()
	v.Filter = &sightline.Compare{Op: sightline.OpGt, Left: &sightline.FieldRef{ID: 22}, Values: []sightline.Expr{&sightline.Value{V: 10.0}}}
	// Accounts (table 2) hide their plan (12).
	opts.Views = map[int64]View{3: v, 2: {Visible: map[int64]bool{10: true, 11: true, 13: true, 14: true, 15: true}}}
	refused := []struct{ name, json, column string }{
		{"select", q(`{"source-table": 3, "fields": [["field", 22, null]]}`), "Payment"},
		{"filter", q(`{"source-table": 3, "filter": [">", ["field", 22, null], 5], "aggregation": [["count"]]}`), "Payment"},
		{"aggregation", q(`{"source-table": 3, "aggregation": [["sum", ["field", 22, null]]]}`), "Payment"},
		{"metric arithmetic", q(`{"source-table": 3, "aggregation": [["/", ["sum", ["field", 22, null]], ["count"]]]}`), "Payment"},
		{"condition in metric arithmetic", q(`{"source-table": 3, "aggregation": [["*", ["/", ["count-where", [">", ["field", 22, null], 100]], ["count"]], 100]]}`), "Payment"},
		{"breakout", q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 22, {"binning": {"strategy": "num-bins", "num-bins": 4}}]]}`), "Payment"},
		{"sort", q(`{"source-table": 3, "fields": [["field", 20, null]], "order-by": [["desc", ["field", 22, null]]]}`), "Payment"},
		{"join condition", q(`{"source-table": 2, "joins": [{"source-table": 1, "alias": "P", "condition": ["=", ["field", 12, null], ["field", 1, {"join-alias": "P"}]]}], "aggregation": [["count"]]}`), "Plan ID"},
		{"implicit join through it", q(`{"source-table": 2, "aggregation": [["count"]], "breakout": [["field", 2, {"source-field": 12}]]}`), "Plan ID"},
		{"joined table's column", q(`{"source-table": 1, "joins": [{"source-table": 3, "alias": "I", "condition": ["=", ["field", 1, null], ["field", 21, {"join-alias": "I"}]]}], "aggregation": [["max", ["field", 22, {"join-alias": "I"}]]]}`), "Payment"},
		{"saved question on the table", q(`{"source-table": "card__100", "aggregation": [["count"]]}`), "Payment"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(parse(t, tt.json), md, SQLite, opts)
			if sightline.ErrorCode(err) != sightline.EFORBIDDEN || !strings.Contains(sightline.ErrorMessage(err), tt.column) {
				t.Errorf("Compile = %v, want EFORBIDDEN naming %s", err, tt.column)
			}
		})
	}
	allowed := []struct{ name, json, notIn string }{
		{"all columns", q(`{"source-table": 3}`), `"payment" AS`},
		{"join with all fields", q(`{"source-table": 1, "joins": [{"source-table": 3, "alias": "I", "condition": ["=", ["field", 1, null], ["field", 21, {"join-alias": "I"}]], "fields": "all"}]}`), `"I"."payment"`},
		{"count", q(`{"source-table": 3, "aggregation": [["count"]]}`), `"payment" AS`},
	}
	for _, tt := range allowed {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Compile(parse(t, tt.json), md, SQLite, opts)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(c.SQL, tt.notIn) {
				t.Errorf("Compile = %s, want no %s", c.SQL, tt.notIn)
			}
		})
	}
}
