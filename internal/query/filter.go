package query

import (
	"time"

	"sightline"
)

// filter compiles a condition.
func (l *level) filter(e sightline.Expr) (frag, error) {
	if err := l.c.spend(1); err != nil {
		return frag{}, err
	}
	d := l.c.d
	switch e := e.(type) {
	case *sightline.Logical:
		parts := make([]frag, len(e.Args))
		for i, a := range e.Args {
			f, err := l.filter(a)
			if err != nil {
				return frag{}, err
			}
			parts[i] = f
		}
		op := " AND "
		if e.Op == sightline.OpOr {
			op = " OR "
		}
		return cat("(", join(parts, op), ")"), nil
	case *sightline.Not:
		f, err := l.filter(e.Arg)
		if err != nil {
			return frag{}, err
		}
		return cat("(NOT ", f, ")"), nil
	case *sightline.Compare:
		if r, unit, ok, err := l.temporalOperand(e.Left); err != nil {
			return frag{}, err
		} else if ok {
			if ranges, ok, err := l.literalRanges(e.Values, unit); err != nil {
				return frag{}, err
			} else if ok {
				if err := l.c.spend(len(e.Values)); err != nil {
					return frag{}, err
				}
				return l.compareRanges(r, e.Op, ranges), nil
			}
		}
		return l.compare(e)
	case *sightline.Between:
		if r, unit, ok, err := l.temporalOperand(e.Arg); err != nil {
			return frag{}, err
		} else if ok {
			if ranges, ok, err := l.literalRanges([]sightline.Expr{e.Min, e.Max}, unit); err != nil {
				return frag{}, err
			} else if ok {
				return cat("(", r.sql, " >= ", l.timeBind(ranges[0][0], r), " AND ", r.sql, " < ", l.timeBind(ranges[1][1], r), ")"), nil
			}
		}
		x, r, err := l.value(e.Arg)
		if err != nil {
			return frag{}, err
		}
		lo, err := l.operand(e.Min, r)
		if err != nil {
			return frag{}, err
		}
		hi, err := l.operand(e.Max, r)
		if err != nil {
			return frag{}, err
		}
		return cat("(", x, " BETWEEN ", lo, " AND ", hi, ")"), nil
	case *sightline.NullCheck:
		x, r, err := l.value(e.Arg)
		if err != nil {
			return frag{}, err
		}
		text := r.base == sightline.BaseText || r.base == ""
		switch {
		case e.Op == sightline.OpIsNull || (e.Op == sightline.OpIsEmpty && !text):
			return cat("(", x, " IS NULL)"), nil
		case e.Op == sightline.OpNotNull || (e.Op == sightline.OpNotEmpty && !text):
			return cat("(", x, " IS NOT NULL)"), nil
		case e.Op == sightline.OpIsEmpty:
			return cat("(", x, " IS NULL OR ", x, " = '')"), nil
		}
		return cat("(", x, " IS NOT NULL AND ", x, " <> '')"), nil
	case *sightline.StringFilter:
		x, _, err := l.value(e.Arg)
		if err != nil {
			return frag{}, err
		}
		var s string
		isText := false
		if v, ok := e.Value.(*sightline.Value); ok {
			s, isText = v.V.(string)
		}
		if !isText {
			return frag{}, sightline.Errorf(sightline.EINVALID, "%s needs a text value.", e.Op)
		}
		op := e.Op
		if op == sightline.OpDoesNotContain {
			op = sightline.OpContains
		}
		m := d.match(x, op, s, e.CaseSensitive)
		if e.Op == sightline.OpDoesNotContain {
			return cat("(NOT (", m, ") OR ", x, " IS NULL)"), nil
		}
		return cat("(", m, ")"), nil
	case *sightline.TimeInterval:
		f, ok := e.Arg.(*sightline.FieldRef)
		if !ok {
			return frag{}, sightline.Errorf(sightline.EINVALID, "time-interval needs a date field.")
		}
		if err := sightline.CheckFieldRef(f); err != nil {
			return frag{}, err
		}
		if !sightline.IsTruncatingUnit(e.Unit) {
			return frag{}, sightline.Errorf(sightline.EINVALID, "Unknown time-interval unit %q.", e.Unit)
		}
		plain := *f
		plain.TemporalUnit, plain.Binning = "", nil
		r, err := l.resolve(&plain)
		if err != nil {
			return frag{}, err
		}
		lo, hi, err := relativeRange(l.c.now, e.N, e.Unit, e.IncludeCurrent)
		if err != nil {
			return frag{}, err
		}
		return cat("(", r.sql, " >= ", l.timeBind(lo, r), " AND ", r.sql, " < ", l.timeBind(hi, r), ")"), nil
	case *sightline.ExpressionRef:
		x, ok := l.exprs[e.Name]
		if !ok {
			return frag{}, sightline.Errorf(sightline.EINVALID, "Unknown custom column %q.", e.Name)
		}
		if sightline.IsFilter(x) {
			return l.filter(x)
		}
		return l.truth(e)
	case *sightline.FieldRef:
		return l.truth(e)
	case *sightline.Value:
		if b, ok := e.V.(bool); ok {
			if b {
				return frag{sql: "(1 = 1)"}, nil
			}
			return frag{sql: "(1 = 0)"}, nil
		}
	}
	return frag{}, sightline.Errorf(sightline.EINVALID, "Expected a true/false expression for a filter, such as [Total] > 10.")
}

// truth compiles a boolean column used as a condition: the rows where it
// is true. Columns of any other type are refused rather than read with an
// engine's own idea of truth (SQLite and MySQL take any non-zero number).
func (l *level) truth(e sightline.Expr) (frag, error) {
	x, r, err := l.value(e)
	if err != nil {
		return frag{}, err
	}
	if r.base != sightline.BaseBoolean {
		return frag{}, sightline.Errorf(sightline.EINVALID, "Expected a true/false expression for a filter; %s is %s.", r.display, article(kindName(r.base)))
	}
	return cat("(", x, " = ", l.c.d.truthy(), ")"), nil
}

// kindName names a base type's family for messages, "value" when unknown.
func kindName(base string) string {
	if k := kind(base); k != "" {
		return k
	}
	return "value"
}

// operand compiles the right-hand side of a comparison with left: literals
// are bound as they are (the engine infers their type from left), except
// numbers compared with a whole-number column on PostgreSQL. There the
// placeholder would take the column's integer type, and pgx would send
// 1.5 as 1 (so "< 1.5" would miss 1) and refuse numbers past the type's
// range; cast to their own type, they compare as the other engines do.
func (l *level) operand(e sightline.Expr, left colRef) (frag, error) {
	if v, ok := e.(*sightline.Value); ok {
		if err := l.c.spend(1); err != nil {
			return frag{}, err
		}
		switch v.V.(type) {
		case int64, float64:
			if l.c.d == Postgres && (left.base == sightline.BaseInteger || left.base == sightline.BaseBigInt) {
				return l.c.d.literal(v.V), nil
			}
		}
		return bind(v.V), nil
	}
	f, _, err := l.value(e)
	return f, err
}

// compare compiles =, !=, <, <=, >, >= on values that are not date
// ranges; = and != with several values are IN and NOT IN.
func (l *level) compare(e *sightline.Compare) (frag, error) {
	x, r, err := l.value(e.Left)
	if err != nil {
		return frag{}, err
	}
	if len(e.Values) == 1 {
		if v, ok := e.Values[0].(*sightline.Value); ok && v.V == nil {
			switch e.Op {
			case sightline.OpEq:
				return cat("(", x, " IS NULL)"), nil
			case sightline.OpNe:
				return cat("(", x, " IS NOT NULL)"), nil
			}
		}
	}
	vals := make([]frag, len(e.Values))
	for i, v := range e.Values {
		if vals[i], err = l.operand(v, r); err != nil {
			return frag{}, err
		}
	}
	switch {
	case e.Op == sightline.OpEq && len(vals) == 1:
		return cat("(", x, " = ", vals[0], ")"), nil
	case e.Op == sightline.OpEq:
		return cat("(", x, " IN (", join(vals, ", "), "))"), nil
	case e.Op == sightline.OpNe && len(vals) == 1:
		return cat("(", x, " <> ", vals[0], " OR ", x, " IS NULL)"), nil
	case e.Op == sightline.OpNe:
		return cat("(", x, " NOT IN (", join(vals, ", "), ") OR ", x, " IS NULL)"), nil
	}
	switch e.Op {
	case sightline.OpLt, sightline.OpLe, sightline.OpGt, sightline.OpGe:
		// The operator is written into the SQL, so it must be one of these.
		return cat("(", x, " ", e.Op, " ", vals[0], ")"), nil
	}
	return frag{}, sightline.Errorf(sightline.EINVALID, "Unknown comparison %q.", e.Op)
}

// temporalOperand reports whether e is a date field compared by ranges:
// a temporal field without an extraction unit. It returns the plain column
// and the unit values are widened to ("" for their own precision).
func (l *level) temporalOperand(e sightline.Expr) (colRef, string, bool, error) {
	f, ok := e.(*sightline.FieldRef)
	if !ok || f.Binning != nil || sightline.IsExtractionUnit(f.TemporalUnit) {
		return colRef{}, "", false, nil
	}
	if err := sightline.CheckFieldRef(f); err != nil {
		return colRef{}, "", false, err
	}
	plain := *f
	plain.TemporalUnit = ""
	r, err := l.resolve(&plain)
	if err != nil {
		return r, "", false, err
	}
	if !sightline.IsTemporal(r.base) && f.TemporalUnit == "" {
		return r, "", false, nil
	}
	return r, f.TemporalUnit, true, nil
}

// literalRanges turns date literals into the half-open ranges they stand
// for: "2024-03-01" at unit month is [2024-03-01, 2024-04-01). ok is false
// when a value is not a date literal; ranges beyond the years 1 to 9999
// are refused.
func (l *level) literalRanges(es []sightline.Expr, unit string) ([][2]time.Time, bool, error) {
	out := make([][2]time.Time, len(es))
	for i, e := range es {
		v, ok := e.(*sightline.Value)
		if !ok {
			return nil, false, nil
		}
		s, ok := v.V.(string)
		if !ok {
			return nil, false, nil
		}
		t, precision, ok := parseTemporal(s, l.c.loc)
		if !ok {
			return nil, false, nil
		}
		u := precision
		if unit != "" {
			u = unit
			t = startOf(t, unit)
		}
		out[i] = [2]time.Time{t, addUnits(t, u, 1)}
	}
	for _, r := range out {
		if err := checkYears(r[0], r[1]); err != nil {
			return nil, false, err
		}
	}
	return out, true, nil
}

// timeBind binds a timestamp formatted for the column it is compared with.
func (l *level) timeBind(t time.Time, r colRef) frag {
	return bind(timeArg(t, r.base, l.c.d))
}

// compareRanges compiles a comparison of a date column with date ranges.
func (l *level) compareRanges(r colRef, op string, ranges [][2]time.Time) frag {
	x := r.sql
	in := func(rg [2]time.Time) frag {
		return cat("(", x, " >= ", l.timeBind(rg[0], r), " AND ", x, " < ", l.timeBind(rg[1], r), ")")
	}
	switch op {
	case sightline.OpEq, sightline.OpNe:
		parts := make([]frag, len(ranges))
		for i, rg := range ranges {
			parts[i] = in(rg)
		}
		any := join(parts, " OR ")
		if op == sightline.OpEq {
			return cat("(", any, ")")
		}
		return cat("(NOT (", any, ") OR ", x, " IS NULL)")
	case sightline.OpLt:
		return cat("(", x, " < ", l.timeBind(ranges[0][0], r), ")")
	case sightline.OpLe:
		return cat("(", x, " < ", l.timeBind(ranges[0][1], r), ")")
	case sightline.OpGt:
		return cat("(", x, " >= ", l.timeBind(ranges[0][1], r), ")")
	}
	return cat("(", x, " >= ", l.timeBind(ranges[0][0], r), ")")
}
