package query

import (
	"strings"
	"testing"

	"sightline"
)

// TestWordsWrittenIntoSQLAreChecked covers the words of a query that the
// compiler writes into SQL text rather than binding (temporal units,
// comparison and arithmetic operators) where they reach it without going
// through Validate: a parameter's target field, built by a dashboard or
// sent with a request, and a sandbox's row filter. Each must be refused
// on every dialect, never pasted.
func TestWordsWrittenIntoSQLAreChecked(t *testing.T) {
	md := fixtureMetadata(t)
	const attack = `day', NULL::timestamp), 'x') = 'y' OR (SELECT COUNT(*) FROM invoices) > 0 OR to_char(date_trunc('day`
	count := func(table int64) *sightline.Query {
		return &sightline.Query{Database: 1, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
			SourceTable: table, Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}}}}
	}
	withParam := func(ptype string, f *sightline.FieldRef, value any) *sightline.Query {
		q := count(2)
		q.Parameters = []sightline.Parameter{{ID: "p", Type: ptype, TargetKind: sightline.TargetDimension, Field: f, Value: value}}
		return q
	}
	accountIs := func(op string) sightline.Expr {
		return &sightline.Compare{Op: op, Left: &sightline.FieldRef{ID: 21}, Values: []sightline.Expr{&sightline.Value{V: int64(3)}}}
	}
	tests := []struct {
		name  string
		q     *sightline.Query
		views map[int64]View
	}{
		{"category parameter on a field with a unit", withParam("category", &sightline.FieldRef{ID: 14, TemporalUnit: attack}, []any{"x"}), nil},
		{"number parameter on a field with a unit", withParam("number/=", &sightline.FieldRef{ID: 15, TemporalUnit: attack}, []any{int64(3)}), nil},
		{"text parameter on a field with a unit", withParam("string/contains", &sightline.FieldRef{ID: 11, TemporalUnit: attack}, []any{"a"}), nil},
		{"parameter on a field binned by zero", withParam("number/=", &sightline.FieldRef{ID: 15, Binning: &sightline.Binning{Strategy: sightline.BinWidth}}, []any{int64(3)}), nil},
		{"row filter on a field with a unit", count(3), map[int64]View{3: {Filter: &sightline.Compare{Op: sightline.OpEq,
			Left: &sightline.FieldRef{ID: 23, TemporalUnit: attack}, Values: []sightline.Expr{&sightline.Value{V: "2024-01-01"}}}}}},
		{"row filter with an unknown comparison", count(3), map[int64]View{3: {Filter: accountIs("= 3 OR 1 =")}}},
		{"row filter with an unknown arithmetic operator", count(3), map[int64]View{3: {Filter: &sightline.Compare{Op: sightline.OpEq,
			Left:   &sightline.Arithmetic{Op: "+ 0 OR 1 = 1 OR 0 +", Args: []sightline.Expr{&sightline.FieldRef{ID: 21}, &sightline.Value{V: int64(0)}}},
			Values: []sightline.Expr{&sightline.Value{V: int64(3)}}}}}},
	}
	for _, d := range dialects {
		for _, tt := range tests {
			opts := testOptions(t)
			opts.Views = tt.views
			c, err := Compile(tt.q, md, d, opts)
			if sightline.ErrorCode(err) != sightline.EINVALID {
				t.Errorf("%s on %s: Compile = %v, want EINVALID", tt.name, d, err)
			}
			if c != nil && (strings.Contains(c.SQL, "OR 1") || strings.Contains(c.SQL, "(SELECT COUNT(*) FROM invoices)")) {
				t.Errorf("%s on %s: the request's text became SQL: %s", tt.name, d, c.SQL)
			}
		}
	}
}
