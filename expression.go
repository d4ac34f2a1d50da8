package sightline

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// The functions of custom columns follow the reference vendor's MBQL names
// ("abs", "regex-match-first", "datetime-diff", ...). Each is a Function
// node; this file holds their arity and the literal arguments they need,
// checked when a query is parsed and validated. What each computes is in
// docs/expressions.md; the compiler (internal/query) turns them into SQL.

// Functions of custom columns.
const (
	FuncCoalesce         = "coalesce"
	FuncConcat           = "concat"
	FuncAbs              = "abs"
	FuncCeil             = "ceil"
	FuncFloor            = "floor"
	FuncRound            = "round"
	FuncPower            = "power"
	FuncSqrt             = "sqrt"
	FuncExp              = "exp"
	FuncLog              = "log"
	FuncSubstring        = "substring"
	FuncReplace          = "replace"
	FuncRegexMatchFirst  = "regex-match-first"
	FuncLength           = "length"
	FuncTrim             = "trim"
	FuncLTrim            = "ltrim"
	FuncRTrim            = "rtrim"
	FuncUpper            = "upper"
	FuncLower            = "lower"
	FuncSplitPart        = "split-part"
	FuncDatetimeAdd      = "datetime-add"
	FuncDatetimeSubtract = "datetime-subtract"
	FuncDatetimeDiff     = "datetime-diff"
	FuncNow              = "now"
	FuncGetYear          = "get-year"
	FuncGetQuarter       = "get-quarter"
	FuncGetMonth         = "get-month"
	FuncGetWeek          = "get-week"
	FuncGetDay           = "get-day"
	FuncGetDayOfWeek     = "get-day-of-week"
	FuncGetHour          = "get-hour"
	FuncGetMinute        = "get-minute"
	FuncGetSecond        = "get-second"
	FuncConvertTimezone  = "convert-timezone"
)

// funcArity is how many arguments a function takes; max < 0 for no limit.
type funcArity struct{ min, max int }

// functionArity lists every function of custom columns with its arity.
var functionArity = map[string]funcArity{
	FuncCoalesce: {1, -1}, FuncConcat: {1, -1},
	FuncAbs: {1, 1}, FuncCeil: {1, 1}, FuncFloor: {1, 1}, FuncRound: {1, 1},
	FuncPower: {2, 2}, FuncSqrt: {1, 1}, FuncExp: {1, 1}, FuncLog: {1, 1},
	FuncSubstring: {2, 3}, FuncReplace: {3, 3}, FuncRegexMatchFirst: {2, 2},
	FuncLength: {1, 1}, FuncTrim: {1, 1}, FuncLTrim: {1, 1}, FuncRTrim: {1, 1},
	FuncUpper: {1, 1}, FuncLower: {1, 1}, FuncSplitPart: {3, 3},
	FuncDatetimeAdd: {3, 3}, FuncDatetimeSubtract: {3, 3}, FuncDatetimeDiff: {3, 3},
	FuncNow:     {0, 0},
	FuncGetYear: {1, 1}, FuncGetQuarter: {1, 1}, FuncGetMonth: {1, 1}, FuncGetWeek: {1, 2},
	FuncGetDay: {1, 1}, FuncGetDayOfWeek: {1, 1}, FuncGetHour: {1, 1}, FuncGetMinute: {1, 1},
	FuncGetSecond: {1, 1}, FuncConvertTimezone: {2, 3},
}

// IsFunction reports whether name is a function of custom columns.
func IsFunction(name string) bool {
	_, ok := functionArity[name]
	return ok
}

// Units of datetime-add, datetime-subtract and datetime-diff.
var datetimeUnits = map[string]bool{
	"year": true, "quarter": true, "month": true, "week": true,
	"day": true, "hour": true, "minute": true, "second": true,
}

// MaxRegexLength bounds the pattern of regex-match-first, in bytes.
const MaxRegexLength = 500

// arityError says how many arguments fn expects: "round expects 1
// argument, got 3".
func arityError(at, fn string, a funcArity, got int) error {
	plural := func(n int) string {
		if n == 1 {
			return "1 argument"
		}
		return fmt.Sprintf("%d arguments", n)
	}
	var want string
	switch {
	case a.max < 0:
		want = "at least " + plural(a.min)
	case a.min == a.max:
		want = plural(a.min)
	default:
		want = fmt.Sprintf("%d to %d arguments", a.min, a.max)
	}
	return Errorf(EINVALID, "%s: %s expects %s, got %d.", at, fn, want, got)
}

// literalString returns e's text when it is a string literal.
func literalString(e Expr) (string, bool) {
	v, ok := e.(*Value)
	if !ok {
		return "", false
	}
	s, ok := v.V.(string)
	return s, ok
}

// function checks a function (see CheckFunction) and its arguments.
func (v *validator) function(e *Function, at string) error {
	if err := checkFunction(e, at); err != nil {
		return err
	}
	return v.values(at, e.Args)
}

// CheckFunction checks a function's name, arity and the arguments that
// must be literals (units, regular expressions, the part of split-part,
// the mode of get-week), but not its arguments' own contents. The
// compiler calls it on every function it meets, since a sandbox's row
// filter reaches it without going through Validate.
func CheckFunction(e *Function) error {
	return checkFunction(e, "expression")
}

// checkFunction is CheckFunction; at names the function's place.
func checkFunction(e *Function, at string) error {
	a, ok := functionArity[e.Name]
	if !ok {
		return Errorf(EINVALID, "%s: unknown function %q.", at, e.Name)
	}
	if len(e.Args) < a.min || (a.max >= 0 && len(e.Args) > a.max) {
		return arityError(at, e.Name, a, len(e.Args))
	}
	switch e.Name {
	case FuncDatetimeAdd, FuncDatetimeSubtract, FuncDatetimeDiff:
		if n, ok := e.Args[1].(*Value); ok && e.Name != FuncDatetimeDiff {
			if f, isFloat := n.V.(float64); isFloat && f != float64(int64(f)) {
				return Errorf(EINVALID, "%s: %s moves a date by a whole number of units, not %v.", at, e.Name, f)
			}
		}
		u, ok := literalString(e.Args[2])
		if !ok || !datetimeUnits[u] {
			return Errorf(EINVALID, "%s: the unit of %s must be one of year, quarter, month, week, day, hour, minute or second.", at, e.Name)
		}
	case FuncRegexMatchFirst:
		p, ok := literalString(e.Args[1])
		if !ok {
			return Errorf(EINVALID, "%s: the pattern of %s must be a text literal.", at, e.Name)
		}
		if len(p) > MaxRegexLength {
			return Errorf(EINVALID, "%s: the pattern of %s is %d bytes long, over the limit of %d.", at, e.Name, len(p), MaxRegexLength)
		}
		if _, err := regexp.Compile(p); err != nil {
			return Errorf(EINVALID, "%s: the pattern of %s is not a valid regular expression: %s.", at, e.Name, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
	case FuncSplitPart:
		n, _ := e.Args[2].(*Value)
		if i, isInt := valueOf(n).(int64); !isInt || i < 1 {
			return Errorf(EINVALID, "%s: the position of split-part must be a whole number from 1.", at)
		}
		if d, ok := literalString(e.Args[1]); !ok || d == "" {
			return Errorf(EINVALID, "%s: the delimiter of split-part must be non-empty text.", at)
		}
	case FuncConvertTimezone:
		for _, z := range e.Args[1:] {
			name, ok := literalString(z)
			if !ok {
				return Errorf(EINVALID, "%s: the time zones of convert-timezone must be names in quotes, such as \"Europe/Paris\".", at)
			}
			if _, err := time.LoadLocation(name); err != nil || name == "" || name == "Local" {
				return Errorf(EINVALID, "%s: %q is not a time zone name, such as \"Europe/Paris\".", at, name)
			}
		}
	case FuncGetWeek:
		if len(e.Args) == 2 {
			if m, ok := literalString(e.Args[1]); !ok || m != "iso" {
				return Errorf(EINVALID, "%s: get-week supports the \"iso\" mode only.", at)
			}
		}
	}
	return nil
}

// valueOf is the literal of v, nil when v is nil.
func valueOf(v *Value) any {
	if v == nil {
		return nil
	}
	return v.V
}
