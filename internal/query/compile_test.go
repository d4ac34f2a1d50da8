package query

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var dialects = []Dialect{SQLite, Postgres, MySQL}

// testOptions fix the clock and the report time zone.
func testOptions(t testing.TB) Options {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("load time zone: %v", err)
	}
	return Options{Now: time.Date(2024, 6, 15, 10, 30, 0, 0, loc), Location: loc, TimeZoneTables: true}
}

func parse(t testing.TB, js string) *sightline.Query {
	t.Helper()
	q, err := sightline.ParseQuery([]byte(js))
	if err != nil {
		t.Fatalf("ParseQuery(%s) = %v", js, err)
	}
	return q
}

// golden renders a compilation for a golden file.
func golden(c *Compiled, err error) string {
	if err != nil {
		return "-- error: " + sightline.ErrorCode(err) + ": " + sightline.ErrorMessage(err) + "\n"
	}
	args := []byte("[]")
	if len(c.Args) > 0 {
		args, _ = json.Marshal(c.Args)
	}
	return c.SQL + "\n-- args: " + string(args) + "\n"
}

func TestCompileGolden(t *testing.T) {
	md := fixtureMetadata(t)
	opts := testOptions(t)
	for _, tc := range cases {
		for _, d := range dialects {
			t.Run(tc.name+"/"+string(d), func(t *testing.T) {
				o := opts
				o.TimeZoneTables = !tc.withoutZoneTables
				got := golden(Compile(parse(t, tc.json), md, d, o))
				checkGolden(t, tc.name, d, got)
			})
		}
	}
}

// checkGolden compares the compiled SQL of case name in dialect d with its
// golden file, or rewrites the file under -update.
func checkGolden(t *testing.T, name string, d Dialect, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+"."+string(d)+".sql")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/query -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("Compile(%s, %s) mismatch (-want +got):\n%s", name, d, diff)
	}
}

func TestCompileColumns(t *testing.T) {
	md := fixtureMetadata(t)
	opts := testOptions(t)
	tests := []struct {
		name string
		json string
		want []Column
	}{
		{"sum by month", cases[2].json, []Column{
			{Name: "date_received", DisplayName: "Date Received: Month", BaseType: sightline.BaseDate, FieldID: 23, Source: SourceBreakout, Unit: sightline.UnitMonth},
			{Name: "sum", DisplayName: "Sum of Payment", BaseType: sightline.BaseFloat, Source: SourceAggregation},
		}},
		{"account via fk and join", q(`{"source-table": 3, "joins": [{"source-table": 2, "alias": "Account", "condition": ["=", ["field", 21, null], ["field", 10, {"join-alias": "Account"}]]}], "aggregation": [["avg", ["field", 22, null]], ["distinct", ["field", 21, null]], ["cum-count"]], "breakout": [["field", 2, {"source-field": 12, "join-alias": "Account"}], ["field", 11, {"source-field": 21}], ["field", 23, {"temporal-unit": "day-of-week"}]]}`), []Column{
			{Name: "name", DisplayName: "Plan → Name", BaseType: sightline.BaseText, FieldID: 2, Source: SourceBreakout},
			{Name: "name_2", DisplayName: "Account → Name", BaseType: sightline.BaseText, FieldID: 11, Source: SourceBreakout},
			{Name: "date_received", DisplayName: "Date Received: Day of week", BaseType: sightline.BaseInteger, FieldID: 23, Source: SourceBreakout, Unit: sightline.UnitDayOfWeek},
			{Name: "avg", DisplayName: "Average of Payment", BaseType: sightline.BaseFloat, Source: SourceAggregation},
			{Name: "count", DisplayName: "Distinct values of Account ID", BaseType: sightline.BaseBigInt, Source: SourceAggregation},
			{Name: "count_2", DisplayName: "Cumulative count", BaseType: sightline.BaseBigInt, Source: SourceAggregation},
		}},
		{"metric arithmetic", q(`{"source-table": 3, "aggregation": [["aggregation-options", ["/", ["sum", ["field", 22, null]], ["count"]], {"display-name": "Payment per invoice"}], ["*", ["count"], 2], ["aggregation-options", ["-", ["max", ["field", 22, null]], 1], {"name": "top"}]]}`), []Column{
			{Name: "expression", DisplayName: "Payment per invoice", BaseType: sightline.BaseFloat, Source: SourceAggregation},
			{Name: "expression_2", DisplayName: "Expression", BaseType: sightline.BaseFloat, Source: SourceAggregation},
			{Name: "top", DisplayName: "top", BaseType: sightline.BaseFloat, Source: SourceAggregation},
		}},
		{"join fields and expression", q(`{"source-table": 1, "expressions": {"Yearly": ["*", ["field", 3, null], 12]}, "joins": [{"source-table": 2, "alias": "A", "condition": ["=", ["field", 1, null], ["field", 12, {"join-alias": "A"}]], "fields": [["field", 11, {"join-alias": "A"}]]}]}`), []Column{
			{Name: "id", DisplayName: "ID", BaseType: sightline.BaseInteger, SemanticType: sightline.SemanticPK, FieldID: 1, Source: SourceFields},
			{Name: "name", DisplayName: "Name", BaseType: sightline.BaseText, FieldID: 2, Source: SourceFields},
			{Name: "price", DisplayName: "Price", BaseType: sightline.BaseFloat, FieldID: 3, Source: SourceFields},
			{Name: "Yearly", DisplayName: "Yearly", BaseType: sightline.BaseFloat, Source: SourceExpression},
			{Name: "A__name", DisplayName: "A → Name", BaseType: sightline.BaseText, FieldID: 11, Source: SourceFields, JoinAlias: "A"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Compile(parse(t, tt.json), md, SQLite, opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, c.Columns); diff != "" {
				t.Errorf("Compile(%s).Columns mismatch (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

// TestCompileMetricPercentiles checks where a median or percentile may be
// an operand of arithmetic between metrics: where it is an ordinary
// aggregate, not on MySQL/MariaDB, which computes it in a separate query.
func TestCompileMetricPercentiles(t *testing.T) {
	md := fixtureMetadata(t)
	opts := testOptions(t)
	for _, agg := range []string{`["median", ["field", 22, null]]`, `["percentile", ["field", 22, null], 0.9]`} {
		qq := parse(t, q(`{"source-table": 3, "aggregation": [["/", `+agg+`, ["avg", ["field", 22, null]]]], "breakout": [["field", 24, null]]}`))
		for _, d := range []Dialect{SQLite, Postgres} {
			if _, err := Compile(qq, md, d, opts); err != nil {
				t.Errorf("Compile(%s) on %s = %v, want no error", agg, d, err)
			}
		}
		_, err := Compile(qq, md, MySQL, opts)
		if sightline.ErrorCode(err) != sightline.EINVALID || !strings.Contains(sightline.ErrorMessage(err), "MySQL and MariaDB cannot use") {
			t.Errorf("Compile(%s) on MySQL = %v, want an EINVALID error", agg, err)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	md := fixtureMetadata(t)
	opts := testOptions(t)
	native := func(sql, tags, params string) string {
		return `{"database": 1, "type": "native", "native": {"query": ` + sql + `, "template-tags": {` + tags + `}}, "parameters": [` + params + `]}`
	}
	tests := []struct {
		name, json, code, want string
	}{
		{"unknown table", q(`{"source-table": 99}`), sightline.EINVALID, "Table 99 does not exist"},
		{"unknown field", q(`{"source-table": 3, "filter": ["=", ["field", 999, null], 1]}`), sightline.EINVALID, "Field 999 does not exist"},
		{"field of another table", q(`{"source-table": 3, "fields": [["field", 11, null]]}`), sightline.EINVALID, "is not a column of table invoices"},
		{"not a foreign key", q(`{"source-table": 3, "fields": [["field", 11, {"source-field": 22}]]}`), sightline.EINVALID, "is not a foreign key"},
		{"unknown card", q(`{"source-table": "card__7"}`), sightline.EINVALID, "Saved question 7 does not exist"},
		{"unknown card column", q(`{"source-table": "card__100", "fields": [["field", "nope", null]]}`), sightline.EINVALID, `no column "nope"`},
		{"other database", `{"database": 2, "type": "query", "query": {"source-table": 3}}`, sightline.EINVALID, "is not in database 2"},
		{"order by a non-breakout", q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 24, null]], "order-by": [["asc", ["field", 22, null]]]}`), sightline.EINVALID, "must be a breakout or an aggregation"},
		{"reserved join alias", q(`{"source-table": 3, "joins": [{"source-table": 2, "alias": "source", "condition": ["=", ["field", 21, null], ["field", 10, {"join-alias": "source"}]]}]}`), sightline.EINVALID, "reserved"},
		{"contains a number", q(`{"source-table": 3, "filter": ["contains", ["field", 24, null], 3]}`), sightline.EINVALID, "needs a text value"},
		{"missing variable", native(`"SELECT {{x}}"`, `"x": {"name": "x", "display-name": "X", "type": "text"}`, ``), sightline.EINVALID, `variable "x" needs a value`},
		{"undeclared variable", native(`"SELECT {{y}}"`, ``, ``), sightline.EINVALID, "{{y}}, which is not a declared variable"},
		{"number variable injection", native(`"SELECT * FROM invoices WHERE id = {{id}}"`, `"id": {"name": "id", "display-name": "ID", "type": "number"}`, `{"type": "number/=", "target": ["variable", ["template-tag", "id"]], "value": "28 OR 1=1"}`), sightline.EINVALID, `needs a number, not "28 OR 1=1"`},
		{"date variable", native(`"SELECT {{d}}"`, `"d": {"name": "d", "display-name": "D", "type": "date"}`, `{"type": "date/single", "target": ["variable", ["template-tag", "d"]], "value": "yesterday'; DROP TABLE x"}`), sightline.EINVALID, "needs a date"},
		{"unclosed optional", native(`"SELECT 1 [[AND {{x}}"`, `"x": {"name": "x", "display-name": "X", "type": "text"}`, ``), sightline.EINVALID, "never closed"},
		{"unclosed variable", native(`"SELECT {{x"`, ``, ``), sightline.EINVALID, "never closed"},
		{"parameter for unknown tag", native(`"SELECT 1"`, ``, `{"type": "category", "target": ["variable", ["template-tag", "z"]], "value": "1"}`), sightline.EINVALID, "does not declare"},
		{"number parameter on a structured query", `{"database": 1, "type": "query", "query": {"source-table": 3}, "parameters": [{"type": "number/=", "target": ["dimension", ["field", 22, null]], "value": "1; DROP TABLE invoices"}]}`, sightline.EINVALID, "is not a number"},
		{"self-referencing card", q(`{"source-table": "card__102"}`), sightline.EINVALID, "used as its own source"},
		{"round of text", q(`{"source-table": 3, "expressions": {"r": ["round", ["field", 24, null]]}}`), sightline.EINVALID, "round expects a number as argument 1, got text (Status)"},
		{"upper of a number", q(`{"source-table": 3, "expressions": {"u": ["upper", ["field", 22, null]]}}`), sightline.EINVALID, "upper expects text as argument 1, got a number (Payment)"},
		{"date part of a number", q(`{"source-table": 3, "expressions": {"y": ["get-year", ["field", 22, null]]}}`), sightline.EINVALID, "get-year expects a date as argument 1, got a number (Payment)"},
		{"date add of text amount", q(`{"source-table": 3, "expressions": {"d": ["datetime-add", ["field", 25, null], ["field", 24, null], "day"]}}`), sightline.EINVALID, "datetime-add expects a number as argument 2, got text (Status)"},
		{"substring from 0", q(`{"source-table": 3, "expressions": {"s": ["substring", ["field", 24, null], 0, 2]}}`), sightline.EINVALID, "substring counts positions from 1, got 0"},
		{"filter on a number column", q(`{"source-table": 3, "filter": ["field", 22, null]}`), sightline.EINVALID, "Expected a true/false expression for a filter; Payment is a number"},
		{"filter on a text custom column", q(`{"source-table": 3, "expressions": {"S": ["upper", ["field", 24, null]]}, "filter": ["and", ["expression", "S"], [">", ["field", 22, null], 1]]}`), sightline.EINVALID, "Expected a true/false expression for a filter; S is text"},
		{"filter on a number literal", q(`{"source-table": 3, "filter": ["not", 3]}`), sightline.EINVALID, "expected a condition"},
		{"count-where of a number", q(`{"source-table": 3, "aggregation": [["count-where", ["field", 22, null]]]}`), sightline.EINVALID, "Expected a true/false expression for a filter; Payment is a number"},
		{"text metric in arithmetic", q(`{"source-table": 3, "aggregation": [["-", ["max", ["field", 24, null]], ["count"]]]}`), sightline.EINVALID, "Max of Status gives text, not a number"},
		{"date metric in arithmetic", q(`{"source-table": 3, "aggregation": [["-", ["max", ["field", 25, null]], ["min", ["field", 25, null]]]]}`), sightline.EINVALID, "gives a date, not a number"},
		{"cumulative metric in arithmetic", q(`{"source-table": 3, "aggregation": [["/", ["cum-count"], 2]]}`), sightline.EINVALID, "cumulative metric (cum-count) cannot be used"},
		{"stddev of text", q(`{"source-table": 3, "aggregation": [["stddev", ["field", 24, null]]]}`), sightline.EINVALID, "stddev expects a number, got text (Status)"},
	}
	cards := fixtureCards(t)
	cards[102] = parse(t, q(`{"source-table": "card__102"}`))
	md = NewStaticMetadata(fixtureTables(), cards)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qq, err := sightline.ParseQuery([]byte(tt.json))
			if err == nil {
				_, err = Compile(qq, md, Postgres, opts)
			}
			if sightline.ErrorCode(err) != tt.code || !strings.Contains(sightline.ErrorMessage(err), tt.want) {
				t.Errorf("Compile(%s) = %v, want a %s error containing %q", tt.json, err, tt.code, tt.want)
			}
		})
	}
}

func TestRelativeRange(t *testing.T) {
	now := time.Date(2024, 6, 15, 10, 30, 0, 0, time.UTC) // a Saturday
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		n              int
		unit           string
		includeCurrent bool
		lo, hi         time.Time
	}{
		{-30, sightline.UnitDay, false, day(2024, 5, 16), day(2024, 6, 15)},
		{-30, sightline.UnitDay, true, day(2024, 5, 16), day(2024, 6, 16)},
		{0, sightline.UnitYear, false, day(2024, 1, 1), day(2025, 1, 1)},
		{0, sightline.UnitWeek, false, day(2024, 6, 9), day(2024, 6, 16)},
		{-1, sightline.UnitQuarter, false, day(2024, 1, 1), day(2024, 4, 1)},
		{2, sightline.UnitMonth, false, day(2024, 7, 1), day(2024, 9, 1)},
		{2, sightline.UnitMonth, true, day(2024, 6, 1), day(2024, 9, 1)},
		{-2, sightline.UnitHour, false, time.Date(2024, 6, 15, 8, 0, 0, 0, time.UTC), time.Date(2024, 6, 15, 10, 0, 0, 0, time.UTC)},
		// More minutes than a time.Duration holds (292 years).
		{-200_000_000, sightline.UnitMinute, false, time.Date(1644, 3, 10, 13, 10, 0, 0, time.UTC), time.Date(2024, 6, 15, 10, 30, 0, 0, time.UTC)},
		{-5_000_000, sightline.UnitHour, true, time.Date(1454, 1, 22, 2, 0, 0, 0, time.UTC), time.Date(2024, 6, 15, 11, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %s %v", tt.n, tt.unit, tt.includeCurrent), func(t *testing.T) {
			lo, hi, err := relativeRange(now, tt.n, tt.unit, tt.includeCurrent)
			if err != nil {
				t.Fatalf("relativeRange(%v, %d, %s, %v) = %v", now, tt.n, tt.unit, tt.includeCurrent, err)
			}
			if !lo.Equal(tt.lo) || !hi.Equal(tt.hi) {
				t.Errorf("relativeRange(%v, %d, %s, %v) = [%v, %v), want [%v, %v)", now, tt.n, tt.unit, tt.includeCurrent, lo, hi, tt.lo, tt.hi)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		d        Dialect
		in, want string
	}{
		{SQLite, `my "col"`, `"my ""col"""`},
		{Postgres, "select", `"select"`},
		{MySQL, "back`tick", "`back``tick`"},
		{MySQL, `a"b`, "`a\"b`"},
	}
	for _, tt := range tests {
		t.Run(string(tt.d)+" "+tt.in, func(t *testing.T) {
			if got := tt.d.Quote(tt.in); got != tt.want {
				t.Errorf("%s.Quote(%q) = %s, want %s", tt.d, tt.in, got, tt.want)
			}
		})
	}
	if _, err := SQLite.quoteIdent("a\x00b"); sightline.ErrorCode(err) != sightline.EINVALID {
		t.Errorf("quoteIdent(NUL) = %v, want EINVALID", err)
	}
}

// BenchmarkCompile compiles a realistic question: an explicit join, a
// foreign-key column, filters, an aggregation and a temporal breakout.
func BenchmarkCompile(b *testing.B) {
	md := fixtureMetadata(b)
	opts := testOptions(b)
	qq := parse(b, q(`{"source-table": 3,
		"joins": [{"source-table": 2, "alias": "Account", "condition": ["=", ["field", 21, null], ["field", 10, {"join-alias": "Account"}]]}],
		"filter": ["and", ["=", ["field", 24, null], "Paid", "Open"], ["time-interval", ["field", 23, null], -12, "month"], ["not-empty", ["field", 13, {"join-alias": "Account"}]]],
		"aggregation": [["sum", ["field", 22, null]], ["count"]],
		"breakout": [["field", 23, {"temporal-unit": "month"}], ["field", 2, {"source-field": 12, "join-alias": "Account"}]],
		"order-by": [["desc", ["aggregation", 0]]], "limit": 100}`))
	for _, d := range dialects {
		b.Run(string(d), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compile(qq, md, d, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestMaxRows(t *testing.T) {
	md := fixtureMetadata(t)
	tests := []struct {
		name    string
		json    string
		maxRows int
		want    []any // the arguments, the last being the LIMIT
	}{
		{"no limit, no cap", q(`{"source-table": 1}`), 0, nil},
		{"cap without limit", q(`{"source-table": 1}`), 2000, []any{int64(2000)}},
		{"limit under the cap", q(`{"source-table": 1, "limit": 10}`), 2000, []any{int64(10)}},
		{"limit over the cap", q(`{"source-table": 1, "limit": 5000}`), 2000, []any{int64(2000)}},
		{"saved question source is not capped inside", q(`{"source-table": "card__100", "limit": 3}`), 2, []any{int64(2)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions(t)
			opts.MaxRows = tt.maxRows
			c, err := Compile(parse(t, tt.json), md, MySQL, opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, c.Args); diff != "" {
				t.Errorf("Compile(%s, MaxRows %d) args mismatch (-want +got):\n%s\n%s", tt.json, tt.maxRows, diff, c.SQL)
			}
			if got := strings.Count(c.SQL, "LIMIT"); got != len(tt.want) {
				t.Errorf("Compile(%s) = %s, want %d LIMIT", tt.json, c.SQL, len(tt.want))
			}
		})
	}
}

// TestCompiledNative checks that a compilation says when it carries SQL a
// person wrote, at any depth, so that the data source runs it read-only.
func TestCompiledNative(t *testing.T) {
	md := fixtureMetadata(t)
	tests := []struct {
		name  string
		json  string
		views map[int64]View
		want  bool
	}{
		{"structured", q(`{"source-table": 3, "aggregation": [["count"]]}`), nil, false},
		{"structured over a structured card", q(`{"source-table": "card__100"}`), nil, false},
		{"structured over a SQL card", q(`{"source-table": "card__101", "aggregation": [["count"]]}`), nil, true},
		{"joined SQL card", q(`{"source-table": 2, "joins": [{"source-table": "card__101", "alias": "N", "condition": ["=", ["field", 10, null], ["field", "account_id", {"join-alias": "N", "base-type": "type/Integer"}]]}], "aggregation": [["count"]]}`), nil, true},
		{"SQL view", q(`{"source-table": 3, "aggregation": [["count"]]}`), map[int64]View{3: nativeView(int64(3))}, true},
		{"native", `{"database": 1, "type": "native", "native": {"query": "SELECT 1"}}`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions(t)
			opts.Views = tt.views
			c, err := Compile(parse(t, tt.json), md, SQLite, opts)
			if err != nil {
				t.Fatal(err)
			}
			if c.Native != tt.want {
				t.Errorf("Compile(%s).Native = %v, want %v", tt.name, c.Native, tt.want)
			}
		})
	}
}

// TestViewFilterFunctionsChecked compiles sandbox row filters that call
// functions wrongly: they reach the compiler without Validate, so the
// compiler checks each function itself and refuses them with a message.
func TestViewFilterFunctionsChecked(t *testing.T) {
	md := fixtureMetadata(t)
	payment := &sightline.FieldRef{ID: 22}
	status := &sightline.FieldRef{ID: 24}
	tests := []struct {
		name string
		fn   *sightline.Function
		want string
	}{
		{"no arguments", &sightline.Function{Name: sightline.FuncRound}, "round expects 1 argument, got 0"},
		{"unknown", &sightline.Function{Name: "lpad", Args: []sightline.Expr{status}}, `unknown function "lpad"`},
		{"unit not literal", &sightline.Function{Name: sightline.FuncDatetimeAdd, Args: []sightline.Expr{&sightline.FieldRef{ID: 25}, payment, status}}, "unit of datetime-add must be one of"},
		{"pattern not literal", &sightline.Function{Name: sightline.FuncRegexMatchFirst, Args: []sightline.Expr{status, status}}, "pattern of regex-match-first must be a text literal"},
		{"split position", &sightline.Function{Name: sightline.FuncSplitPart, Args: []sightline.Expr{status, &sightline.Value{V: ","}, &sightline.Value{V: "x"}}}, "position of split-part"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			views := map[int64]View{3: {Filter: &sightline.Compare{Op: sightline.OpEq, Left: tt.fn, Values: []sightline.Expr{&sightline.Value{V: int64(1)}}}}}
			_, err := Compile(parse(t, q(`{"source-table": 3, "aggregation": [["count"]]}`)), md, SQLite, Options{Views: views})
			if sightline.ErrorCode(err) != sightline.EINVALID || !strings.Contains(sightline.ErrorMessage(err), tt.want) {
				t.Errorf("Compile with view filter %s = %v, want an EINVALID error containing %q", tt.name, err, tt.want)
			}
		})
	}
}
