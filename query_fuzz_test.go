package sightline

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzParseQuery decodes arbitrary bytes as a query. It must never panic
// and only ever fail with an EINVALID error; a query it accepts must have
// a wire form that decodes again, and that wire form must be stable.
// Seeds are in testdata/fuzz/FuzzParseQuery.
func FuzzParseQuery(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := ParseQuery(data)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ParseQuery = %v, want EINVALID for a bad query", err)
			}
			return
		}
		wire, err := json.Marshal(q)
		if err != nil {
			t.Fatalf("MarshalJSON of an accepted query = %v", err)
		}
		again, err := ParseQuery(wire)
		if err != nil {
			t.Fatalf("ParseQuery(MarshalJSON(q)) = %v\ninput: %s\nwire:  %s", err, data, wire)
		}
		if err := again.Validate(); err != nil {
			t.Fatalf("Validate after a round trip = %v", err)
		}
		wire2, err := json.Marshal(again)
		if err != nil {
			t.Fatalf("MarshalJSON after a round trip = %v", err)
		}
		if !bytes.Equal(wire, wire2) {
			t.Fatalf("the wire form changed on a second round trip:\nfirst:  %s\nsecond: %s", wire, wire2)
		}
	})
}

// FuzzExpression decodes arbitrary bytes as one expression, the way the
// clauses of a query hold them, and checks it as a custom column and as a
// filter. It must never panic; an expression it accepts must survive
// WireExpr and decode to the same wire form; its measured size must not
// exceed the limits Validate enforces. Seeds are in
// testdata/fuzz/FuzzExpression.
func FuzzExpression(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > MaxQueryJSONBytes {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		v, err := decodeOrdered(dec, 0, MaxJSONDepth)
		if err != nil {
			return // not JSON, or nested too deeply
		}
		e, err := parseExpr(v, "expression")
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("parseExpr = %v, want EINVALID", err)
			}
			return
		}
		wire, err := json.Marshal(WireExpr(e))
		if err != nil {
			t.Fatalf("WireExpr of an accepted expression does not encode: %v", err)
		}
		dec = json.NewDecoder(bytes.NewReader(wire))
		dec.UseNumber()
		v2, err := decodeOrdered(dec, 0, MaxJSONDepth)
		if err != nil {
			t.Fatalf("WireExpr gave JSON that does not decode: %v\n%s", err, wire)
		}
		e2, err := parseExpr(v2, "expression")
		if err != nil {
			t.Fatalf("parseExpr(WireExpr(e)) = %v\ninput: %s\nwire:  %s", err, data, wire)
		}
		if wire2, _ := json.Marshal(WireExpr(e2)); !bytes.Equal(wire, wire2) {
			t.Fatalf("the wire form changed on a second round trip:\nfirst:  %s\nsecond: %s", wire, wire2)
		}

		// As a custom column and a filter of a query: Validate decides,
		// and never lets through what the limits refuse.
		s := &StructuredQuery{SourceTable: 1, Expressions: []NamedExpr{{Name: "e", Expr: e}}}
		if IsFilter(e) {
			s = &StructuredQuery{SourceTable: 1, Filter: e}
		}
		q := &Query{Type: QueryTypeStructured, Structured: s}
		if err := q.Validate(); err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("Validate = %v, want EINVALID", err)
			}
			return
		}
		z := &sizer{exprs: map[string]size{}}
		sz, err := z.measure(e, 1, "expression")
		if err != nil || sz.terms > MaxExpressionTerms || sz.depth > MaxExpressionDepth {
			t.Fatalf("Validate accepted an expression of %d terms and depth %d (%v)", sz.terms, sz.depth, err)
		}
	})
}
