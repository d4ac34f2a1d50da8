package query

import (
	"strings"
	"testing"

	"sightline"
)

// FuzzCompile decodes arbitrary bytes as a query and compiles it for every
// dialect against the fixture's metadata, with and without a sandbox view.
// It must never panic; it fails only with errors people can read; the SQL
// stays within the length limit; and every string value of the query is a
// bind argument: if the SQL contains a value's text, it must still contain
// it once that value is replaced, or the value was pasted into the SQL.
// Seeds are in testdata/fuzz/FuzzCompile.
func FuzzCompile(f *testing.F) {
	md := fixtureMetadata(f)
	opts := testOptions(f)
	sandboxed := opts
	sandboxed.Views = map[int64]View{
		2: {Filter: &sightline.Compare{Op: sightline.OpEq, Left: &sightline.FieldRef{ID: 12}, Values: []sightline.Expr{&sightline.Value{V: int64(1)}}},
			Visible: map[int64]bool{10: true, 11: true, 12: true, 14: true}},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := sightline.ParseQuery(data)
		if err != nil {
			return
		}
		for _, d := range dialects {
			for _, o := range []Options{opts, sandboxed} {
				c, err := Compile(q, md, d, o)
				if err != nil {
					if code := sightline.ErrorCode(err); code == sightline.EINTERNAL {
						t.Fatalf("Compile(%s) = %v, want an error people can read", d, err)
					}
					continue
				}
				if len(c.SQL) > sightline.MaxCompiledSQLBytes {
					t.Fatalf("Compile(%s) gave %d bytes of SQL, over the limit", d, len(c.SQL))
				}
				checkValuesBound(t, data, c.SQL, md, d, o)
				checkWords(t, q, d)
			}
		}
	})
}

// checkValuesBound fails if the text of a string value of the query in
// data appears in sql because of that value: the same query with the
// value replaced compiles to SQL without that text.
func checkValuesBound(t *testing.T, data []byte, sql string, md Metadata, d Dialect, o Options) {
	t.Helper()
	q, _ := sightline.ParseQuery(data)
	for _, v := range stringValues(q) {
		if len(v) < 3 || !strings.Contains(sql, v) {
			continue
		}
		other, _ := sightline.ParseQuery(data)
		replaceValues(other, v, strings.Repeat("\x01", len(v)))
		c, err := Compile(other, md, d, o)
		if err == nil && !strings.Contains(c.SQL, v) {
			t.Fatalf("the value %q is pasted into the %s SQL instead of bound:\n%s", v, d, sql)
		}
	}
}

// checkWords fails if a query compiled although a word the compiler
// writes into SQL text is not one of its closed list: the temporal unit
// of any field, parameters' target fields included.
func checkWords(t *testing.T, q *sightline.Query, d Dialect) {
	t.Helper()
	unit := func(f *sightline.FieldRef) {
		if u := f.TemporalUnit; u != "" && !sightline.IsTruncatingUnit(u) && !sightline.IsExtractionUnit(u) {
			t.Fatalf("Compile(%s) took the unknown temporal unit %q, which PostgreSQL's bucketing writes into SQL", d, u)
		}
	}
	walkExprs(q, func(e sightline.Expr) {
		if f, ok := e.(*sightline.FieldRef); ok {
			unit(f)
		}
	})
	for _, p := range q.Parameters {
		if p.Field != nil {
			unit(p.Field)
		}
	}
}

// stringValues lists the string literals and parameter values of q.
func stringValues(q *sightline.Query) []string {
	var out []string
	walkValues(q, func(v *sightline.Value) {
		if s, ok := v.V.(string); ok {
			out = append(out, s)
		}
	}, func(p *sightline.Parameter) {
		switch x := p.Value.(type) {
		case string:
			out = append(out, x)
		case []any:
			for _, e := range x {
				if s, ok := e.(string); ok {
					out = append(out, s)
				}
			}
		}
	})
	return out
}

// replaceValues replaces the string literals and parameter values of q
// that equal old by new.
func replaceValues(q *sightline.Query, old, new string) {
	walkValues(q, func(v *sightline.Value) {
		if v.V == old {
			v.V = new
		}
	}, func(p *sightline.Parameter) {
		switch x := p.Value.(type) {
		case string:
			if x == old {
				p.Value = new
			}
		case []any:
			for i, e := range x {
				if e == old {
					x[i] = new
				}
			}
		}
	})
}

// walkValues calls value for every literal of q's expressions and param
// for every parameter.
func walkValues(q *sightline.Query, value func(*sightline.Value), param func(*sightline.Parameter)) {
	for i := range q.Parameters {
		param(&q.Parameters[i])
	}
	walkExprs(q, func(e sightline.Expr) {
		if v, ok := e.(*sightline.Value); ok {
			value(v)
		}
	})
}

// walkExprs calls visit for every expression of q's structured clauses,
// operands included.
func walkExprs(q *sightline.Query, visit func(sightline.Expr)) {
	s := q.Structured
	if s == nil {
		return
	}
	var walk func(e sightline.Expr)
	walk = func(e sightline.Expr) {
		if e != nil {
			visit(e)
		}
		switch e := e.(type) {
		case *sightline.Compare:
			walk(e.Left)
			for _, x := range e.Values {
				walk(x)
			}
		case *sightline.Between:
			walk(e.Arg)
			walk(e.Min)
			walk(e.Max)
		case *sightline.NullCheck:
			walk(e.Arg)
		case *sightline.StringFilter:
			walk(e.Arg)
			walk(e.Value)
		case *sightline.TimeInterval:
			walk(e.Arg)
		case *sightline.Logical:
			for _, x := range e.Args {
				walk(x)
			}
		case *sightline.Not:
			walk(e.Arg)
		case *sightline.Arithmetic:
			for _, x := range e.Args {
				walk(x)
			}
		case *sightline.Function:
			for _, x := range e.Args {
				walk(x)
			}
		case *sightline.Case:
			for _, w := range e.Whens {
				walk(w.Cond)
				walk(w.Then)
			}
			walk(e.Else)
		case *sightline.Metric:
			walk(e.Agg.Arg)
			walk(e.Agg.Condition)
		}
	}
	for _, ne := range s.Expressions {
		walk(ne.Expr)
	}
	for _, j := range s.Joins {
		walk(j.Condition)
		for _, x := range j.Fields {
			walk(x)
		}
	}
	walk(s.Filter)
	for _, a := range s.Aggregations {
		walk(a.Arg)
		walk(a.Condition)
		walk(a.Expr)
	}
	for _, x := range s.Breakouts {
		walk(x)
	}
	for _, x := range s.Fields {
		walk(x)
	}
	for _, o := range s.OrderBy {
		walk(o.Expr)
	}
}
