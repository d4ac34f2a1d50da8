package sightline

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// roundTripQueries are wire-format queries that must survive
// ParseQuery -> MarshalJSON -> ParseQuery unchanged.
var roundTripQueries = []struct {
	name string
	json string
}{
	{"issue example", `{"database": 1, "type": "query", "query": {"source-table": 5,
		"filter": ["=", ["field", 41, null], "Basic"],
		"aggregation": [["sum", ["field", 43, null]]],
		"breakout": [["field", 44, {"temporal-unit": "month"}]],
		"order-by": [["asc", ["aggregation", 0]]], "limit": 10,
		"joins": [{"source-table": 3, "alias": "Accounts", "condition": ["=", ["field", 12, null], ["field", 30, {"join-alias": "Accounts"}]], "fields": "all"}],
		"expressions": {"Net": ["-", ["field", 1, null], ["field", 2, null]]}}}`},
	{"native", `{"database": 1, "type": "native", "native": {"query": "SELECT * FROM t WHERE x = {{plan}} [[AND y > {{min}}]]",
		"template-tags": {"plan": {"name": "plan", "display-name": "Plan", "type": "text"},
		"min": {"name": "min", "display-name": "Min", "type": "number", "default": 3},
		"created": {"name": "created", "display-name": "Created", "type": "dimension", "dimension": ["field", 7, null], "widget-type": "date/all-options", "required": true}}},
		"parameters": [{"type": "category", "target": ["variable", ["template-tag", "plan"]], "value": "Basic"},
		{"type": "date/relative", "target": ["dimension", ["template-tag", "created"]], "value": "past30days"}]}`},
	{"everything", `{"database": 2, "type": "query", "query": {"source-table": "card__12",
		"expressions": {"B": ["case", [[["<", ["field", "TOTAL", {"base-type": "type/Float"}], 10], "small"]], {"default": "big"}],
			"C": ["concat", ["field", "NAME", {"base-type": "type/Text"}], " ", ["expression", "B"]],
			"D": ["coalesce", ["field", "X", null], 0], "E": ["/", ["field", "X", null], 2.5]},
		"filter": ["and", ["between", ["field", 1, null], 1, 5], ["not", ["is-null", ["field", 2, {"source-field": 3}]]],
			["or", ["contains", ["field", 4, null], "ab", {"case-sensitive": false}], ["starts-with", ["field", 4, null], "x", {"case-sensitive": true}]],
			["time-interval", ["field", 5, null], -30, "day", {"include-current": true}], ["time-interval", ["field", 5, null], "current", "year"],
			["!=", ["field", 6, null], "a", "b", "c"], ["is-empty", ["field", 4, null]]],
		"aggregation": [["count"], ["distinct", ["field", 1, null]], ["avg", ["field", 1, null]], ["percentile", ["field", 1, null], 0.9],
			["aggregation-options", ["cum-sum", ["field", 1, null]], {"name": "running", "display-name": "Running total"}]],
		"breakout": [["field", 5, {"temporal-unit": "day-of-week"}], ["field", 1, {"binning": {"strategy": "bin-width", "bin-width": 10}}]],
		"order-by": [["desc", ["aggregation", 1]]]}}`},
	{"functions", `{"database": 1, "type": "query", "query": {"source-table": 3,
		"expressions": {"A": ["round", ["abs", ["field", 1, null]]], "B": ["regex-match-first", ["field", 2, null], "^(\\w+)@"],
			"C": ["datetime-diff", ["field", 5, null], ["now"], "month"], "D": ["split-part", ["field", 2, null], "@", 2],
			"E": ["datetime-add", ["field", 5, null], ["power", 2, 3], "day"], "F": ["get-week", ["field", 5, null], "iso"]},
		"aggregation": [["count-where", [">", ["field", 1, null], 3]], ["sum-where", ["field", 1, null], ["is-null", ["field", 2, null]]],
			["distinct-where", ["field", 2, null], ["not-null", ["field", 1, null]]], ["share", ["<", ["expression", "A"], 2]],
			["stddev", ["field", 1, null]], ["var", ["expression", "C"]]]}}`},
	{"metric arithmetic", `{"database": 1, "type": "query", "query": {"source-table": 3,
		"aggregation": [["aggregation-options", ["/", ["sum", ["field", 12, null]], ["count"]], {"name": "ppi", "display-name": "Payments per invoice"}],
			["-", ["sum", ["field", 12, null]], ["sum-where", ["field", 12, null], ["=", ["field", 4, null], "refund"]]],
			["/", ["*", ["distinct", ["field", 2, null]], 100], ["count"]], ["round", ["avg", ["field", 12, null]]],
			["power", ["/", ["count-where", ["=", ["field", 4, null], "Premium"]], ["count"]], 2.5]],
		"breakout": [["field", 4, null]], "order-by": [["desc", ["aggregation", 0]]]}}`},
}

func TestParseQueryRoundTrip(t *testing.T) {
	for _, tt := range roundTripQueries {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseQuery([]byte(tt.json))
			if err != nil {
				t.Fatalf("ParseQuery = %v", err)
			}
			out, err := json.Marshal(q)
			if err != nil {
				t.Fatalf("Marshal = %v", err)
			}
			again, err := ParseQuery(out)
			if err != nil {
				t.Fatalf("ParseQuery(MarshalJSON) = %v\n%s", err, out)
			}
			if diff := cmp.Diff(q, again); diff != "" {
				t.Errorf("round trip changed the query (-first +second):\n%s", diff)
			}
			// The wire form is stable: marshalling again gives the same bytes.
			out2, _ := json.Marshal(again)
			if string(out) != string(out2) {
				t.Errorf("MarshalJSON is not stable:\n%s\n%s", out, out2)
			}
		})
	}
}

func TestParseQueryModel(t *testing.T) {
	q, err := ParseQuery([]byte(roundTripQueries[0].json))
	if err != nil {
		t.Fatal(err)
	}
	want := &Query{Version: QueryVersion, Database: 1, Type: QueryTypeStructured, Structured: &StructuredQuery{
		SourceTable:  5,
		Filter:       &Compare{Op: OpEq, Left: &FieldRef{ID: 41}, Values: []Expr{&Value{V: "Basic"}}},
		Aggregations: []Aggregation{{Op: AggSum, Arg: &FieldRef{ID: 43}}},
		Breakouts:    []Expr{&FieldRef{ID: 44, TemporalUnit: UnitMonth}},
		OrderBy:      []OrderBy{{Expr: &AggregationRef{Index: 0}}},
		Limit:        10,
		Joins: []Join{{Alias: "Accounts", SourceTable: 3, FieldsMode: JoinFieldsAll,
			Condition: &Compare{Op: OpEq, Left: &FieldRef{ID: 12}, Values: []Expr{&FieldRef{ID: 30, JoinAlias: "Accounts"}}}}},
		Expressions: []NamedExpr{{Name: "Net", Expr: &Arithmetic{Op: "-", Args: []Expr{&FieldRef{ID: 1}, &FieldRef{ID: 2}}}}},
	}}
	if diff := cmp.Diff(want, q); diff != "" {
		t.Errorf("ParseQuery mismatch (-want +got):\n%s", diff)
	}
}

func TestParseMetricExpression(t *testing.T) {
	q, err := ParseQuery([]byte(`{"type": "query", "query": {"source-table": 3, "aggregation": [
		["aggregation-options", ["/", ["sum", ["field", 12, null]], ["count"]], {"name": "ppi", "display-name": "Payments per invoice"}]]}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Aggregation{{Op: AggExpression, Name: "ppi", DisplayName: "Payments per invoice",
		Expr: &Arithmetic{Op: "/", Args: []Expr{
			&Metric{Agg: Aggregation{Op: AggSum, Arg: &FieldRef{ID: 12}}},
			&Metric{Agg: Aggregation{Op: AggCount}},
		}}}}
	if diff := cmp.Diff(want, q.Structured.Aggregations); diff != "" {
		t.Errorf("ParseQuery aggregations mismatch (-want +got):\n%s", diff)
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"not json", `{`, "not valid JSON"},
		{"not an object", `[1]`, "must be a JSON object"},
		{"unknown type", `{"type": "sql"}`, `Unknown query type "sql"`},
		{"misspelt query clause", `{"type": "query", "querry": {}}`, `needs a "query" clause`},
		{"unknown clause", `{"type": "query", "query": {"source-table": 1, "filtr": []}}`, `Unknown clause "filtr"`},
		{"unknown operator", `{"type": "query", "query": {"source-table": 1, "filter": ["~=", ["field", 1, null], 2]}}`, `unknown operator "~="`},
		{"unknown aggregation", `{"type": "query", "query": {"source-table": 1, "aggregation": [["mode", ["field", 1, null]]]}}`, "unknown aggregation mode"},
		{"field ref arity", `{"type": "query", "query": {"source-table": 1, "filter": ["=", ["field", 1], 2]}}`, "malformed field reference"},
		{"field ref id", `{"type": "query", "query": {"source-table": 1, "filter": ["=", ["field", true, null], 2]}}`, "malformed field reference"},
		{"field ref negative", `{"type": "query", "query": {"source-table": 1, "filter": ["=", ["field", -4, null], 2]}}`, "not a field ID"},
		{"unknown field option", `{"type": "query", "query": {"source-table": 1, "breakout": [["field", 1, {"unit": "day"}]]}}`, `unknown field option "unit"`},
		{"between arity", `{"type": "query", "query": {"source-table": 1, "filter": ["between", ["field", 1, null], 2]}}`, "between takes 3 arguments, got 2"},
		{"not arity", `{"type": "query", "query": {"source-table": 1, "filter": ["not"]}}`, "not takes 1 arguments, got 0"},
		{"compare arity", `{"type": "query", "query": {"source-table": 1, "filter": ["<", ["field", 1, null], 2, 3]}}`, "< takes 2 arguments, got 3"},
		{"bad temporal unit", `{"type": "query", "query": {"source-table": 1, "breakout": [["field", 1, {"temporal-unit": "fortnight"}]]}}`, `unknown temporal unit "fortnight"`},
		{"bad temporal unit of a parameter's field", `{"type": "query", "query": {"source-table": 1}, "parameters": [{"type": "category", "target": ["dimension", ["field", 1, {"temporal-unit": "day') OR 1=1 --"}]], "value": ["x"]}]}`, `parameters[0].target: unknown temporal unit`},
		{"zero bin width of a parameter's field", `{"type": "query", "query": {"source-table": 1}, "parameters": [{"type": "number/=", "target": ["dimension", ["field", 1, {"binning": {"strategy": "bin-width", "bin-width": 0}}]], "value": [1]}]}`, `parameters[0].target: binning needs a positive`},
		// A field or custom column by itself may be a boolean one (the
		// compiler checks its type); arithmetic never is.
		{"value as filter", `{"type": "query", "query": {"source-table": 1, "filter": ["+", ["field", 1, null], 1]}}`, "filter is not a condition"},
		{"text as filter", `{"type": "query", "query": {"source-table": 1, "filter": "yes"}}`, "filter is not a condition"},
		{"condition as value", `{"type": "query", "query": {"source-table": 1, "expressions": {"x": ["+", ["=", 1, 1], 2]}}}`, "condition cannot be used as a value"},
		{"unknown expression", `{"type": "query", "query": {"source-table": 1, "breakout": [["expression", "nope"]]}}`, `unknown custom column "nope"`},
		{"aggregation out of range", `{"type": "query", "query": {"source-table": 1, "aggregation": [["count"]], "order-by": [["asc", ["aggregation", 3]]]}}`, "aggregation 3 does not exist"},
		{"unknown join alias", `{"type": "query", "query": {"source-table": 1, "filter": ["=", ["field", 1, {"join-alias": "X"}], 1]}}`, `unknown join alias "X"`},
		{"no source", `{"type": "query", "query": {"limit": 3}}`, "exactly one source"},
		{"bad card source", `{"type": "query", "query": {"source-table": "card__x"}}`, "not a saved question reference"},
		{"percentile range", `{"type": "query", "query": {"source-table": 1, "aggregation": [["percentile", ["field", 1, null], 2]]}}`, "between 0 and 1"},
		{"direction", `{"type": "query", "query": {"source-table": 1, "order-by": [["up", ["field", 1, null]]]}}`, "unknown direction"},
		{"newer version", `{"version": 9, "type": "query", "query": {"source-table": 1}}`, "newer than this server"},
		{"tag type", `{"type": "native", "native": {"query": "x", "template-tags": {"a": {"name": "a", "type": "snippet"}}}}`, "unsupported type"},
		{"tag name mismatch", `{"type": "native", "native": {"query": "x", "template-tags": {"a": {"name": "b", "type": "text"}}}}`, "must match its key"},
		{"trailing", `{"type": "query", "query": {"source-table": 1}} {}`, "trailing data"},
		{"function arity", `{"type": "query", "query": {"source-table": 1, "expressions": {"r": ["round", ["field", 1, null], 2, 3]}}}`, "round expects 1 argument, got 3"},
		{"function arity range", `{"type": "query", "query": {"source-table": 1, "expressions": {"s": ["substring", ["field", 1, null]]}}}`, "substring expects 2 to 3 arguments, got 1"},
		{"now takes nothing", `{"type": "query", "query": {"source-table": 1, "expressions": {"n": ["now", 1]}}}`, "now expects 0 arguments, got 1"},
		{"unknown function", `{"type": "query", "query": {"source-table": 1, "expressions": {"x": ["median-of", ["field", 1, null]]}}}`, `unknown operator "median-of"`},
		{"datetime unit", `{"type": "query", "query": {"source-table": 1, "expressions": {"x": ["datetime-add", ["field", 1, null], 1, "fortnight"]}}}`, "unit of datetime-add must be one of year"},
		{"regex not literal", `{"type": "query", "query": {"source-table": 1, "expressions": {"x": ["regex-match-first", ["field", 1, null], ["field", 2, null]]}}}`, "pattern of regex-match-first must be a text literal"},
		{"regex invalid", `{"type": "query", "query": {"source-table": 1, "expressions": {"x": ["regex-match-first", ["field", 1, null], "(a"]}}}`, "not a valid regular expression: missing closing )"},
		{"regex too long", `{"type": "query", "query": {"source-table": 1, "expressions": {"x": ["regex-match-first", ["field", 1, null], "` + strings.Repeat("a", MaxRegexLength+1) + `"]}}}`, "over the limit of 500"},
		{"split-part position", `{"type": "query", "query": {"source-table": 1, "expressions": {"x": ["split-part", ["field", 1, null], ",", 0]}}}`, "position of split-part must be a whole number from 1"},
		{"split-part delimiter", `{"type": "query", "query": {"source-table": 1, "expressions": {"x": ["split-part", ["field", 1, null], "", 1]}}}`, "delimiter of split-part must be non-empty"},
		{"fractional date amount", `{"type": "query", "query": {"source-table": 1, "expressions": {"x": ["datetime-add", ["field", 1, null], 1.5, "day"]}}}`, "datetime-add moves a date by a whole number of units, not 1.5"},
		{"time zone name", `{"type": "query", "query": {"source-table": 1, "expressions": {"x": ["convert-timezone", ["field", 1, null], "Mars/Olympus"]}}}`, `"Mars/Olympus" is not a time zone name`},
		{"get-week mode", `{"type": "query", "query": {"source-table": 1, "expressions": {"x": ["get-week", ["field", 1, null], "us"]}}}`, `get-week supports the "iso" mode only`},
		{"function of a condition", `{"type": "query", "query": {"source-table": 1, "expressions": {"x": ["abs", ["=", 1, 1]]}}}`, "condition cannot be used as a value"},
		{"count-where needs a condition", `{"type": "query", "query": {"source-table": 1, "aggregation": [["count-where", ["concat", ["field", 1, null], "x"]]]}}`, "count-where needs a condition"},
		{"sum-where arity", `{"type": "query", "query": {"source-table": 1, "aggregation": [["sum-where", ["field", 1, null]]]}}`, "sum-where takes a column and a condition, got 1 arguments"},
		{"share arity", `{"type": "query", "query": {"source-table": 1, "aggregation": [["share"]]}}`, "share takes one condition, got 0 arguments"},
		{"bare column in metric arithmetic", `{"type": "query", "query": {"source-table": 1, "aggregation": [["/", ["field", 1, null], ["count"]]]}}`, "a column must be inside a metric"},
		{"custom column in metric arithmetic", `{"type": "query", "query": {"source-table": 1, "expressions": {"x": ["+", ["field", 1, null], 1]}, "aggregation": [["+", ["expression", "x"], ["count"]]]}}`, "a column must be inside a metric"},
		{"metric inside a metric", `{"type": "query", "query": {"source-table": 1, "aggregation": [["sum", ["count"]]]}}`, "unknown operator \"count\""},
		{"metric inside a metric in arithmetic", `{"type": "query", "query": {"source-table": 1, "aggregation": [["+", ["sum", ["sum", ["field", 1, null]]], 1]]}}`, "unknown operator \"sum\""},
		{"cumulative metric in arithmetic", `{"type": "query", "query": {"source-table": 1, "aggregation": [["/", ["cum-sum", ["field", 1, null]], ["count"]]]}}`, "cumulative metric (cum-sum) cannot be used"},
		{"metric arithmetic without a metric", `{"type": "query", "query": {"source-table": 1, "aggregation": [["round", ["+", 1, 2]]]}}`, "needs at least one metric"},
		{"text in metric arithmetic", `{"type": "query", "query": {"source-table": 1, "aggregation": [["+", ["count"], "a"]]}}`, "takes only numbers"},
		{"text function of metrics", `{"type": "query", "query": {"source-table": 1, "aggregation": [["+", ["count"], ["concat", ["field", 1, null], "x"]]]}}`, "concat cannot combine metrics"},
		{"condition of metrics", `{"type": "query", "query": {"source-table": 1, "aggregation": [["+", ["count"], [">", ["field", 1, null], 1]]]}}`, "takes only metrics, numbers"},
		{"metric arithmetic arity", `{"type": "query", "query": {"source-table": 1, "aggregation": [["/", ["count"]]]}}`, "/ needs at least two operands"},
		{"metric function arity", `{"type": "query", "query": {"source-table": 1, "aggregation": [["round", ["count"], 2, 3]]}}`, "round expects 1 argument, got 3"},
		{"bad metric in arithmetic", `{"type": "query", "query": {"source-table": 1, "aggregation": [["+", ["sum"], 1]]}}`, "sum takes exactly one argument"},
		{"metric in a filter", `{"type": "query", "query": {"source-table": 1, "filter": [">", ["count"], 1]}}`, "unknown operator \"count\""},
		{"stddev of a condition", `{"type": "query", "query": {"source-table": 1, "aggregation": [["stddev", [">", ["field", 1, null], 1]]]}}`, "stddev needs a column, not a condition"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseQuery([]byte(tt.json))
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want) {
				t.Errorf("ParseQuery(%s) = %v, want an EINVALID error containing %q", tt.json, err, tt.want)
			}
		})
	}
}

// TestParseQueryVendorSpellings checks that the snake_case spellings the
// reference vendor's clients send read the same as the kebab-case ones, and
// that top-level execution hints are ignored rather than refused.
// TestParseIfIsCase reads the reference vendor's "if" as a case.
func TestParseIfIsCase(t *testing.T) {
	q, err := ParseQuery([]byte(`{"type": "query", "query": {"source-table": 1, "expressions": {"x": ["if", [[[">", ["field", 1, null], 1], "big"]], {"default": "small"}]}}}`))
	if err != nil {
		t.Fatalf("ParseQuery = %v", err)
	}
	got, _ := json.Marshal(WireExpr(q.Structured.Expressions[0].Expr))
	if want := `["case",[[["\u003e",["field",1,null],1],"big"]],{"default":"small"}]`; string(got) != want {
		t.Errorf("if reads as %s, want %s", got, want)
	}
}

func TestParseQueryVendorSpellings(t *testing.T) {
	tests := []struct {
		name, snake, kebab string
	}{
		{"source_table and order_by",
			`{"database": 1, "type": "query", "query": {"source_table": 5, "order_by": [["asc", ["field", 1, {"temporal_unit": "day", "base_type": "type/Date"}]]]}}`,
			`{"database": 1, "type": "query", "query": {"source-table": 5, "order-by": [["asc", ["field", 1, {"temporal-unit": "day", "base-type": "type/Date"}]]]}}`},
		{"template_tags",
			`{"database": 1, "type": "native", "native": {"query": "select {{id}}", "template_tags": {"id": {"name": "id", "display_name": "ID", "type": "number", "widget_type": "number"}}}}`,
			`{"database": 1, "type": "native", "native": {"query": "select {{id}}", "template-tags": {"id": {"name": "id", "display-name": "ID", "type": "number", "widget-type": "number"}}}}`},
		{"join source_table and binning",
			`{"database": 1, "type": "query", "query": {"source-table": 5, "joins": [{"source_table": 3, "alias": "A", "condition": ["=", ["field", 1, null], ["field", 2, {"join_alias": "A"}]]}], "breakout": [["field", 4, {"binning": {"strategy": "num-bins", "num_bins": 10}}]]}}`,
			`{"database": 1, "type": "query", "query": {"source-table": 5, "joins": [{"source-table": 3, "alias": "A", "condition": ["=", ["field", 1, null], ["field", 2, {"join-alias": "A"}]]}], "breakout": [["field", 4, {"binning": {"strategy": "num-bins", "num-bins": 10}}]]}}`},
		{"execution hints",
			`{"database": 1, "type": "query", "query": {"source-table": 5}, "async?": true, "lib/type": "mbql/query", "middleware": {"js-int-to-string?": true}, "info": {"executed-by": 1}, "cache-strategy": null}`,
			`{"database": 1, "type": "query", "query": {"source-table": 5}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseQuery([]byte(tt.snake))
			if err != nil {
				t.Fatalf("ParseQuery(%s) = %v", tt.snake, err)
			}
			want, err := ParseQuery([]byte(tt.kebab))
			if err != nil {
				t.Fatalf("ParseQuery(%s) = %v", tt.kebab, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("snake_case spelling reads differently (-kebab +snake):\n%s", diff)
			}
		})
	}
}

func TestQueryUnmarshalJSON(t *testing.T) {
	var card struct {
		Name  string `json:"name"`
		Query Query  `json:"dataset_query"`
	}
	err := json.Unmarshal([]byte(`{"name": "x", "dataset_query": {"database": 3, "type": "query", "query": {"source-table": 9}}}`), &card)
	if err != nil {
		t.Fatal(err)
	}
	if card.Query.Database != 3 || card.Query.Structured.SourceTable != 9 {
		t.Errorf("Unmarshal = %+v, want database 3 and source-table 9", card.Query)
	}
}

// TestValidateMetricPlacement checks that a metric is accepted only as an
// operand of an expression of metrics, wherever else a query holds it.
func TestValidateMetricPlacement(t *testing.T) {
	count := &Metric{Agg: Aggregation{Op: AggCount}}
	tests := []struct {
		name string
		s    StructuredQuery
	}{
		{"filter", StructuredQuery{SourceTable: 1, Filter: &Compare{Op: OpGt, Left: count, Values: []Expr{&Value{V: int64(1)}}}}},
		{"custom column", StructuredQuery{SourceTable: 1, Expressions: []NamedExpr{{Name: "c", Expr: count}}}},
		{"metric of a metric", StructuredQuery{SourceTable: 1, Aggregations: []Aggregation{{Op: AggSum, Arg: count}}}},
		{"metric of a metric in arithmetic", StructuredQuery{SourceTable: 1, Aggregations: []Aggregation{{Op: AggExpression,
			Expr: &Arithmetic{Op: "+", Args: []Expr{&Metric{Agg: Aggregation{Op: AggAvg, Arg: count}}, &Value{V: int64(1)}}}}}}},
		{"breakout", StructuredQuery{SourceTable: 1, Breakouts: []Expr{count}}},
		{"nested expression", StructuredQuery{SourceTable: 1, Aggregations: []Aggregation{{Op: AggExpression,
			Expr: &Metric{Agg: Aggregation{Op: AggExpression, Expr: count}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.s.Validate(); ErrorCode(err) != EINVALID {
				t.Errorf("Validate() = %v, want an EINVALID error", err)
			}
		})
	}
}
