package sightline

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// structuredJSON is a query on table 1 with the given clauses of its
// "query" object (JSON members without braces).
func structuredJSON(clauses string) string {
	return `{"database": 1, "type": "query", "query": {"source-table": 1` + clauses + `}}`
}

// doublingColumns is the custom columns c0..c(n-1) where each column adds
// the previous one to itself, so that written out each doubles the last.
func doublingColumns(n int) string {
	var b strings.Builder
	b.WriteString(`, "expressions": {"c0": ["field", 1, null]`)
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, `, "c%d": ["+", ["expression", "c%d"], ["expression", "c%d"]]`, i, i-1, i-1)
	}
	b.WriteString(`}`)
	return b.String()
}

// chainedColumns is n custom columns, each two levels deeper than the
// previous one: ["+", ["+", previous, 1], 1].
func chainedColumns(n int) string {
	var b strings.Builder
	b.WriteString(`, "expressions": {"c0": ["field", 1, null]`)
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, `, "c%d": ["+", ["+", ["expression", "c%d"], 1], 1]`, i, i-1)
	}
	b.WriteString(`}`)
	return b.String()
}

// repeated is n copies of item joined by commas.
func repeated(n int, item func(i int) string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = item(i)
	}
	return strings.Join(parts, ", ")
}

// nested wraps inner in n clauses of op: ["not", ["not", ... inner]].
func nested(n int, op, inner string) string {
	return strings.Repeat(`["`+op+`", `, n) + inner + strings.Repeat("]", n)
}

func TestQueryLimits(t *testing.T) {
	field := func(i int) string { return fmt.Sprintf(`["field", %d, null]`, i+1) }
	join := func(i int) string {
		return fmt.Sprintf(`{"source-table": 2, "alias": "j%d", "condition": ["=", ["field", 1, null], ["field", 2, {"join-alias": "j%d"}]]}`, i, i)
	}
	cond := func(i int) string { return fmt.Sprintf(`["=", ["field", 1, null], %d]`, i) }
	param := func(i int) string {
		return fmt.Sprintf(`{"type": "category", "target": ["dimension", ["field", 1, null]], "value": %d}`, i)
	}
	tag := func(i int) string { return fmt.Sprintf(`"t%d": {"name": "t%d", "type": "text"}`, i, i) }
	tests := []struct {
		name string
		json string
		want string // "" when the query must be accepted
	}{
		{"22 doubling custom columns", structuredJSON(doublingColumns(22)),
			"This question's expressions expand to 8,388,584 terms, over the limit of 10,000."},
		{"100 doubling custom columns", structuredJSON(doublingColumns(100)),
			"This question's expressions expand to more than 4,611,686,018,427,387,904 terms, over the limit of 10,000."},
		{"12 doubling custom columns", structuredJSON(doublingColumns(12)), ""},
		{"doubling used twice in fields", structuredJSON(doublingColumns(12) +
			`, "fields": [["expression", "c11"], ["expression", "c11"]]`),
			"This question's expressions expand to 16,368 terms, over the limit of 10,000."},
		{"doubling in a filter", structuredJSON(doublingColumns(12) +
			`, "filter": ["and", ["=", ["expression", "c11"], 1], ["=", ["expression", "c11"], 2], ["=", ["expression", "c11"], 3]]`),
			"This question's expressions expand to 20,470 terms, over the limit of 10,000."},
		{"custom columns nested too deep once expanded", structuredJSON(chainedColumns(60)),
			"the expression nests 101 levels deep once its custom columns are expanded, over the limit of 100."},
		{"custom columns chained within the depth", structuredJSON(chainedColumns(50)), ""},
		{"filter nested too deep", structuredJSON(`, "filter": ` + nested(100, "not", `["is-null", ["field", 1, null]]`)),
			"filter: the expression nests more than 100 levels deep, over the limit of 100."},
		{"filter nested to the limit", structuredJSON(`, "filter": ` + nested(98, "not", `["is-null", ["field", 1, null]]`)), ""},
		{"JSON nested too deep", structuredJSON(`, "filter": ` + nested(5000, "not", `["is-null", ["field", 1, null]]`)),
			"The query nests arrays and objects more than 128 levels deep, over the limit of 128."},
		{"21 joins", structuredJSON(`, "joins": [` + repeated(21, join) + `]`),
			"This question has 21 joins, over the limit of 20."},
		{"20 joins", structuredJSON(`, "joins": [` + repeated(20, join) + `]`), ""},
		{"101 custom columns", structuredJSON(`, "expressions": {` + repeated(101, func(i int) string { return fmt.Sprintf(`"e%d": 1`, i) }) + `}`),
			"This question has 101 custom columns, over the limit of 100."},
		{"21 breakouts", structuredJSON(`, "breakout": [` + repeated(21, field) + `]`),
			"This question groups by 21 columns, over the limit of 20."},
		{"51 aggregations", structuredJSON(`, "aggregation": [` + repeated(51, func(int) string { return `["count"]` }) + `]`),
			"This question has 51 metrics, over the limit of 50."},
		{"201 filter conditions", structuredJSON(`, "filter": ["or", ` + repeated(200, cond) + `]`),
			"This question's filter has 201 conditions, over the limit of 200."},
		{"200 filter conditions", structuredJSON(`, "filter": ["or", ` + repeated(199, cond) + `]`), ""},
		{"1,001 fields", structuredJSON(`, "fields": [` + repeated(1001, field) + `]`),
			"This question lists 1,001 columns, over the limit of 1,000."},
		{"51 sort keys", structuredJSON(`, "order-by": [` + repeated(51, func(i int) string { return `["asc", ` + field(i) + `]` }) + `]`),
			"This question sorts by 51 columns, over the limit of 50."},
		{"a one-of list over the terms", structuredJSON(`, "filter": ["=", ["field", 1, null], ` + repeated(10_000, func(i int) string { return fmt.Sprint(i) }) + `]`),
			"This question's expressions expand to 10,002 terms, over the limit of 10,000."},
		{"101 parameters", structuredJSON(``)[:len(structuredJSON(``))-1] + `, "parameters": [` + repeated(101, param) + `]}`,
			"This question has 101 parameters, over the limit of 100."},
		{"10,001 parameter values", structuredJSON(``)[:len(structuredJSON(``))-1] +
			`, "parameters": [{"type": "category", "target": ["dimension", ["field", 1, null]], "value": [` + repeated(10_001, func(i int) string { return fmt.Sprint(i) }) + `]}]}`,
			"This question's parameters have 10,001 values, over the limit of 10,000."},
		{"101 template tags", `{"database": 1, "type": "native", "native": {"query": "SELECT 1", "template-tags": {` + repeated(101, tag) + `}}}`,
			"This SQL question has 101 variables, over the limit of 100."},
		{"over a megabyte of JSON", `{"database": 1, "type": "native", "native": {"query": "SELECT '` + strings.Repeat("x", MaxQueryJSONBytes) + `'"}}`,
			"The query is 1,048,643 bytes of JSON, over the limit of 1,048,576."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := ParseQuery([]byte(tt.json))
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("ParseQuery took %v, want it refused or accepted at once", elapsed)
			}
			if tt.want == "" {
				if err != nil {
					t.Fatalf("ParseQuery = %v, want it accepted", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || !strings.HasSuffix(ErrorMessage(err), tt.want) {
				t.Errorf("ParseQuery = %v, want an EINVALID error ending %q", err, tt.want)
			}
		})
	}
}

// TestQueryLimitsBuiltInGo checks that Validate applies the limits to
// queries built in Go, which never went through JSON.
func TestQueryLimitsBuiltInGo(t *testing.T) {
	var deep Expr = &NullCheck{Op: OpIsNull, Arg: &FieldRef{ID: 1}}
	for range 100_000 {
		deep = &Not{Arg: deep}
	}
	s := &StructuredQuery{SourceTable: 1, Expressions: []NamedExpr{{Name: "c0", Expr: &FieldRef{ID: 1}}}}
	for i := 1; i < 64; i++ {
		prev := &ExpressionRef{Name: fmt.Sprintf("c%d", i-1)}
		s.Expressions = append(s.Expressions, NamedExpr{Name: fmt.Sprintf("c%d", i), Expr: &Arithmetic{Op: "+", Args: []Expr{prev, prev}}})
	}
	tests := []struct {
		name string
		q    *Query
		want string
	}{
		{"deep filter", &Query{Type: QueryTypeStructured, Structured: &StructuredQuery{SourceTable: 1, Filter: deep}},
			"filter: the expression nests more than 100 levels deep, over the limit of 100."},
		{"doubling custom columns", &Query{Type: QueryTypeStructured, Structured: s},
			"This question's expressions expand to more than 4,611,686,018,427,387,904 terms, over the limit of 10,000."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.q.Validate()
			if ErrorCode(err) != EINVALID || ErrorMessage(err) != tt.want {
				t.Errorf("Validate = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestQueryLimitsAllocate checks that the worst questions a small request
// can carry are refused before they cost much memory: the refusal is
// worked out without expanding custom columns.
func TestQueryLimitsAllocate(t *testing.T) {
	tests := []struct {
		name     string
		json     string
		maxBytes uint64
	}{
		{"22 doubling custom columns", structuredJSON(doublingColumns(22)), 64 << 10},
		{"100 doubling custom columns", structuredJSON(doublingColumns(100)), 256 << 10},
		{"JSON nested 100,000 deep", structuredJSON(`, "filter": ` + nested(100_000, "not", `["is-null", ["field", 1, null]]`)), 256 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.json)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			const runs = 10
			for range runs {
				if _, err := ParseQuery(data); ErrorCode(err) != EINVALID {
					t.Fatalf("ParseQuery = %v, want EINVALID", err)
				}
			}
			runtime.ReadMemStats(&after)
			perRun := (after.TotalAlloc - before.TotalAlloc) / runs
			t.Logf("%d bytes of JSON: %d bytes allocated per refusal", len(data), perRun)
			if perRun > tt.maxBytes {
				t.Errorf("ParseQuery allocated %d bytes to refuse the query, want at most %d", perRun, tt.maxBytes)
			}
		})
	}
}

func TestOverLimit(t *testing.T) {
	tests := []struct {
		n, limit int64
		want     string
	}{
		{21, 20, "This question has 21 joins, over the limit of 20."},
		{4_194_304, 10_000, "This question has 4,194,304 joins, over the limit of 10,000."},
		{1000, 999, "This question has 1,000 joins, over the limit of 999."},
		{-1234, 0, "This question has -1,234 joins, over the limit of 0."},
	}
	for _, tt := range tests {
		err := OverLimit("This question has", tt.n, "joins", tt.limit)
		if err.Code != EINVALID || err.Message != tt.want {
			t.Errorf("OverLimit(%d, %d) = %q (%s), want %q", tt.n, tt.limit, err.Message, err.Code, tt.want)
		}
	}
}

// TestParseStoredQuery checks that a query saved before the limits existed
// still decodes, while Validate, which Compile applies, refuses it.
func TestParseStoredQuery(t *testing.T) {
	tests := []struct {
		name string
		json string
	}{
		{"22 doubling custom columns", structuredJSON(doublingColumns(22))},
		{"filter nested 1,000 deep", structuredJSON(`, "filter": ` + nested(1000, "not", `["is-null", ["field", 1, null]]`))},
		{"21 joins", structuredJSON(`, "joins": [` + repeated(21, func(i int) string {
			return fmt.Sprintf(`{"source-table": 2, "alias": "j%d", "condition": ["=", ["field", 1, null], ["field", 2, {"join-alias": "j%d"}]]}`, i, i)
		}) + `]`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseStoredQuery([]byte(tt.json))
			if err != nil {
				t.Fatalf("ParseStoredQuery = %v, want the stored query", err)
			}
			if err := q.Validate(); ErrorCode(err) != EINVALID {
				t.Errorf("Validate = %v, want EINVALID", err)
			}
			if _, err := ParseQuery([]byte(tt.json)); ErrorCode(err) != EINVALID {
				t.Errorf("ParseQuery = %v, want EINVALID", err)
			}
		})
	}
	if _, err := ParseStoredQuery([]byte(structuredJSON(`, "filter": ["frobnicate"]`))); ErrorCode(err) != EINVALID {
		t.Errorf("ParseStoredQuery of a malformed query = %v, want EINVALID", err)
	}
}

// BenchmarkRefuseWorstQuery reports what refusing the doubling question
// costs: a few microseconds and kilobytes, where running it took minutes
// and gigabytes.
func BenchmarkRefuseWorstQuery(b *testing.B) {
	data := []byte(structuredJSON(doublingColumns(22)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseQuery(data); ErrorCode(err) != EINVALID {
			b.Fatalf("ParseQuery = %v, want EINVALID", err)
		}
	}
}

func TestParseParametersLimits(t *testing.T) {
	param := func(i int) string {
		return fmt.Sprintf(`{"type": "category", "target": ["dimension", ["field", 1, null]], "value": %d}`, i)
	}
	tests := []struct {
		name string
		json string
		want string // "" when accepted
	}{
		{"100 parameters", `[` + repeated(100, param) + `]`, ""},
		{"101 parameters", `[` + repeated(101, param) + `]`, "This question has 101 parameters, over the limit of 100."},
		{"10,001 values", `[{"type": "category", "target": ["dimension", ["field", 1, null]], "value": [` +
			repeated(10_001, func(i int) string { return fmt.Sprint(i) }) + `]}]`,
			"This question's parameters have 10,001 values, over the limit of 10,000."},
		{"nested too deep", `[{"type": "category", "target": ["dimension", ["field", 1, null]], "value": ` +
			strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}]`,
			"The parameters nest arrays and objects more than 128 levels deep, over the limit of 128."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseParameters([]byte(tt.json))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("ParseParameters = %v, want it accepted", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || ErrorMessage(err) != tt.want {
				t.Errorf("ParseParameters = %v, want %q", err, tt.want)
			}
		})
	}
}
