package query

import (
	"fmt"
	"strconv"
	"strings"

	"sightline"
)

// parameterFilters turns the column filters among params into filter
// clauses, one per filter id: a filter wired to several columns of the
// question (several parameters with one id) keeps the rows where any of
// those columns matches, and different filters all apply.
func parameterFilters(params []sightline.Parameter) ([]sightline.Expr, error) {
	var groups [][]sightline.Expr
	at := map[string]int{}
	for _, p := range params {
		if p.TargetKind != sightline.TargetDimension || p.Field == nil {
			continue
		}
		e, err := parameterFilter(p.Type, p.Field, p.Value)
		if err != nil {
			return nil, err
		}
		if e == nil {
			continue
		}
		if i, ok := at[p.ID]; ok && p.ID != "" {
			groups[i] = append(groups[i], e)
			continue
		}
		at[p.ID] = len(groups)
		groups = append(groups, []sightline.Expr{e})
	}
	out := make([]sightline.Expr, len(groups))
	for i, g := range groups {
		out[i] = g[0]
		if len(g) > 1 {
			out[i] = &sightline.Logical{Op: sightline.OpOr, Args: g}
		}
	}
	return out, nil
}

// parameterFilter turns a parameter's value into a filter on field f, by
// the parameter's type ("category", "number/between", "date/relative", ...).
// A parameter without a value filters nothing (nil).
func parameterFilter(ptype string, f *sightline.FieldRef, value any) (sightline.Expr, error) {
	vals := paramValues(value)
	if len(vals) == 0 {
		return nil, nil
	}
	field := func() sightline.Expr { c := *f; return &c }
	lits := func(nums bool) ([]sightline.Expr, error) {
		out := make([]sightline.Expr, len(vals))
		for i, v := range vals {
			if nums {
				n, err := toNumber(v)
				if err != nil {
					return nil, err
				}
				v = n
			}
			out[i] = &sightline.Value{V: v}
		}
		return out, nil
	}
	switch {
	case strings.HasPrefix(ptype, "date"):
		s, ok := vals[0].(string)
		if !ok {
			return nil, sightline.Errorf(sightline.EINVALID, "A date filter needs a date, not %v.", vals[0])
		}
		return dateFilter(f, s)
	case strings.HasPrefix(ptype, "number/"):
		args, err := lits(true)
		if err != nil {
			return nil, err
		}
		switch op := strings.TrimPrefix(ptype, "number/"); op {
		case "between":
			if len(args) != 2 {
				return nil, sightline.Errorf(sightline.EINVALID, "A between filter needs two numbers.")
			}
			return &sightline.Between{Arg: field(), Min: args[0], Max: args[1]}, nil
		case "!=":
			return &sightline.Compare{Op: sightline.OpNe, Left: field(), Values: args}, nil
		case ">=", "<=":
			return &sightline.Compare{Op: op, Left: field(), Values: args[:1]}, nil
		}
		return &sightline.Compare{Op: sightline.OpEq, Left: field(), Values: args}, nil
	case ptype == "string/contains" || ptype == "string/does-not-contain" || ptype == "string/starts-with" || ptype == "string/ends-with":
		op := strings.TrimPrefix(ptype, "string/")
		parts := make([]sightline.Expr, len(vals))
		for i, v := range vals {
			parts[i] = &sightline.StringFilter{Op: op, Arg: field(), Value: &sightline.Value{V: fmt.Sprint(v)}}
		}
		if len(parts) == 1 {
			return parts[0], nil
		}
		if op == sightline.OpDoesNotContain {
			return &sightline.Logical{Op: sightline.OpAnd, Args: parts}, nil
		}
		return &sightline.Logical{Op: sightline.OpOr, Args: parts}, nil
	}
	args, err := lits(false)
	if err != nil {
		return nil, err
	}
	if ptype == "string/!=" {
		return &sightline.Compare{Op: sightline.OpNe, Left: field(), Values: args}, nil
	}
	return &sightline.Compare{Op: sightline.OpEq, Left: field(), Values: args}, nil
}

// paramValues flattens a parameter value into a list without nils.
func paramValues(v any) []any {
	var out []any
	switch x := v.(type) {
	case nil:
	case []any:
		for _, e := range x {
			if e != nil {
				out = append(out, e)
			}
		}
	case []string:
		for _, e := range x {
			out = append(out, e)
		}
	default:
		out = append(out, v)
	}
	return out
}

// toNumber accepts numbers, and strings that are exactly a number.
func toNumber(v any) (any, error) {
	switch x := v.(type) {
	case int64, float64:
		return x, nil
	case int:
		return int64(x), nil
	case string:
		s := strings.TrimSpace(x)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f, nil
		}
	}
	return nil, sightline.Errorf(sightline.EINVALID, "%q is not a number.", fmt.Sprint(v))
}

// relativeParam reads "past30days", "next2weeks~" and "last3months": the
// signed count, the unit and whether the current unit is included.
func relativeParam(s string) (n int, unit string, includeCurrent bool, ok bool) {
	var dir string
	for _, p := range []string{"past", "next", "last"} {
		if rest, found := strings.CutPrefix(s, p); found {
			dir, s = p, rest
		}
	}
	if dir == "" {
		return 0, "", false, false
	}
	s, includeCurrent = strings.CutSuffix(s, "~")
	digits := len(s) - len(strings.TrimLeft(s, "0123456789"))
	if digits == 0 || digits > 6 {
		return 0, "", false, false
	}
	n, _ = strconv.Atoi(s[:digits])
	unit, found := strings.CutSuffix(s[digits:], "s")
	if !found || !sightline.IsTruncatingUnit(unit) {
		return 0, "", false, false
	}
	if dir != "next" {
		n = -n
	}
	return n, unit, includeCurrent, true
}

// quarterParam reads "Q1-2024" as the first day of the quarter.
func quarterParam(s string) (string, bool) {
	if len(s) != 7 || s[0] != 'Q' || s[1] < '1' || s[1] > '4' || s[2] != '-' || !allDigits(s[3:]) {
		return "", false
	}
	return fmt.Sprintf("%s-%02d-01", s[3:], 3*int(s[1]-'0')-2), true
}

// monthParam reports whether s is a month "2024-03".
func monthParam(s string) bool {
	return len(s) == 7 && s[4] == '-' && allDigits(s[:4]) && allDigits(s[5:])
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// dateFilter reads the date parameter formats of the wire protocol:
// relative ("past30days", "thismonth", "yesterday"), ranges ("A~B", "~B",
// "A~"), months ("2024-03"), quarters ("Q1-2024") and single dates.
func dateFilter(f *sightline.FieldRef, s string) (sightline.Expr, error) {
	field := func(unit string) *sightline.FieldRef {
		c := *f
		c.TemporalUnit = unit
		return &c
	}
	if n, unit, cur, ok := relativeParam(s); ok {
		return &sightline.TimeInterval{Arg: field(""), N: n, Unit: unit, IncludeCurrent: cur}, nil
	}
	switch s {
	case "today":
		return &sightline.TimeInterval{Arg: field(""), N: 0, Unit: sightline.UnitDay}, nil
	case "yesterday":
		return &sightline.TimeInterval{Arg: field(""), N: -1, Unit: sightline.UnitDay}, nil
	}
	for _, u := range []string{sightline.UnitMinute, sightline.UnitHour, sightline.UnitDay, sightline.UnitWeek, sightline.UnitMonth, sightline.UnitQuarter, sightline.UnitYear} {
		switch s {
		case "this" + u:
			return &sightline.TimeInterval{Arg: field(""), N: 0, Unit: u}, nil
		case "last" + u:
			return &sightline.TimeInterval{Arg: field(""), N: -1, Unit: u}, nil
		case "next" + u:
			return &sightline.TimeInterval{Arg: field(""), N: 1, Unit: u}, nil
		}
	}
	if lo, hi, ok := strings.Cut(s, "~"); ok {
		switch {
		case lo != "" && hi != "":
			return &sightline.Between{Arg: field(""), Min: &sightline.Value{V: lo}, Max: &sightline.Value{V: hi}}, nil
		case hi != "":
			return &sightline.Compare{Op: sightline.OpLe, Left: field(""), Values: []sightline.Expr{&sightline.Value{V: hi}}}, nil
		case lo != "":
			return &sightline.Compare{Op: sightline.OpGe, Left: field(""), Values: []sightline.Expr{&sightline.Value{V: lo}}}, nil
		}
		return nil, sightline.Errorf(sightline.EINVALID, "%q is not a date filter value.", s)
	}
	if v, ok := quarterParam(s); ok {
		return &sightline.Compare{Op: sightline.OpEq, Left: field(sightline.UnitQuarter), Values: []sightline.Expr{&sightline.Value{V: v}}}, nil
	}
	if monthParam(s) {
		return &sightline.Compare{Op: sightline.OpEq, Left: field(sightline.UnitMonth), Values: []sightline.Expr{&sightline.Value{V: s + "-01"}}}, nil
	}
	return &sightline.Compare{Op: sightline.OpEq, Left: field(""), Values: []sightline.Expr{&sightline.Value{V: s}}}, nil
}
