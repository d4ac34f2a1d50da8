// Package sqlitefunc adds to SQLite the functions of custom columns it
// lacks: regex-match-first (Go's RE2, linear in the input), split-part
// and the continuous percentile (median). The modernc driver registers
// functions for the whole process, so Register runs once however often it
// is called.
package sqlitefunc

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
)

// Names of the functions, as compiled SQL calls them.
const (
	RegexMatchFirst = "sightline_regex_match_first"
	SplitPart       = "sightline_split_part"
	Percentile      = "sightline_percentile"
	ConvertTimezone = "sightline_convert_tz"
)

// MaxPercentileValues bounds the values one percentile holds in memory.
const MaxPercentileValues = 10_000_000

// MaxPattern bounds a pattern's length in bytes, as sightline.MaxRegexLength
// bounds those of questions; SQL written by hand meets the same bound.
const MaxPattern = 500

var once sync.Once
var registerErr error

// Register adds the functions to every SQLite connection the modernc
// driver opens from now on.
func Register() error {
	once.Do(func() {
		registerErr = sqlite.RegisterDeterministicScalarFunction(RegexMatchFirst, 2, regexMatchFirst)
		if registerErr == nil {
			registerErr = sqlite.RegisterDeterministicScalarFunction(SplitPart, 3, splitPart)
		}
		if registerErr == nil {
			registerErr = sqlite.RegisterDeterministicScalarFunction(ConvertTimezone, 3, convertTimezone)
		}
		if registerErr == nil {
			registerErr = sqlite.RegisterFunction(Percentile, &sqlite.FunctionImpl{NArgs: 2, Deterministic: true,
				MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) { return &percentile{}, nil }})
		}
	})
	return registerErr
}

// text reads a SQLite value as text; ok is false for NULL.
func text(v driver.Value) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case []byte:
		return string(x), true
	}
	return fmt.Sprint(v), true
}

// regexMatchFirst returns the first match of pattern in s: its first
// capturing group when the pattern has one, else the whole match; NULL
// when nothing matches.
func regexMatchFirst(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	s, ok := text(args[0])
	p, pok := text(args[1])
	if !ok || !pok {
		return nil, nil
	}
	if len(p) > MaxPattern {
		return nil, fmt.Errorf("the regular expression is %d bytes long, over the limit of %d", len(p), MaxPattern)
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression: %v", err)
	}
	m := re.FindStringSubmatch(s)
	if m == nil {
		return nil, nil
	}
	if len(m) > 1 {
		return m[1], nil
	}
	return m[0], nil
}

// splitPart returns the n-th (from 1) part of s split on delim, "" past
// the last part, as PostgreSQL's split_part does.
func splitPart(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	s, ok := text(args[0])
	d, dok := text(args[1])
	if !ok || !dok {
		return nil, nil
	}
	n, isInt := args[2].(int64)
	if !isInt || n < 1 {
		return nil, fmt.Errorf("split-part needs a position from 1")
	}
	if d == "" {
		if n == 1 {
			return s, nil
		}
		return "", nil
	}
	parts := strings.SplitN(s, d, int(min(n, 1<<20))+1)
	if int64(len(parts)) < n {
		return "", nil
	}
	return parts[n-1], nil
}

// percentile is the aggregate sightline_percentile(x, p): the continuous
// percentile p (0 to 1) of the non-NULL values of x, interpolating
// between the two nearest values as PostgreSQL's percentile_cont does.
type percentile struct {
	values []float64
	p      float64
	err    error
}

// number reads a SQLite value as a float; ok is false for NULL and text
// that is not a number.
func number(v driver.Value) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	case []byte:
		f, err := strconv.ParseFloat(strings.TrimSpace(string(x)), 64)
		return f, err == nil
	}
	return 0, false
}

// Step adds one row's value.
func (a *percentile) Step(_ *sqlite.FunctionContext, args []driver.Value) error {
	p, ok := number(args[1])
	if !ok || p < 0 || p > 1 || math.IsNaN(p) {
		return errors.New("the percentile must be between 0 and 1")
	}
	a.p = p
	x, ok := number(args[0])
	if !ok {
		return nil
	}
	if len(a.values) >= MaxPercentileValues {
		return fmt.Errorf("a percentile of more than %d values is over the limit", MaxPercentileValues)
	}
	a.values = append(a.values, x)
	return nil
}

// WindowInverse refuses: the compiler never uses a percentile as a window.
func (a *percentile) WindowInverse(*sqlite.FunctionContext, []driver.Value) error {
	return errors.New("a percentile cannot be used as a window function")
}

// WindowValue returns the percentile of the values stepped so far, NULL
// when there are none.
func (a *percentile) WindowValue(*sqlite.FunctionContext) (driver.Value, error) {
	if len(a.values) == 0 {
		return nil, nil
	}
	v := a.values
	slices.Sort(v)
	pos := a.p * float64(len(v)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	return v[lo] + (v[hi]-v[lo])*(pos-float64(lo)), nil
}

// Final lets the values go.
func (a *percentile) Final(*sqlite.FunctionContext) {}

// convertTimezone reads a wall-clock time ('YYYY-MM-DD[ HH:MM:SS]') in
// zone from and returns the same instant's wall-clock time in zone to.
// A time that a daylight saving change makes ambiguous or skips is read
// as PostgreSQL reads it (see wallInstant).
func convertTimezone(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	s, ok := text(args[0])
	to, tok := text(args[1])
	from, fok := text(args[2])
	if !ok || !tok || !fok {
		return nil, nil
	}
	src, err := time.LoadLocation(from)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", from)
	}
	dst, err := time.LoadLocation(to)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", to)
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if w, err := time.ParseInLocation(layout, strings.TrimSpace(s), time.UTC); err == nil {
			return wallInstant(w, src).In(dst).Format("2006-01-02 15:04:05"), nil
		}
	}
	return nil, nil
}

// wallInstant is the instant at which clocks in zone loc show wall, given
// as a time in UTC. In the hour repeated when clocks go back it is the
// later of the two (the offset after the change), and a time of the hour
// skipped when clocks go forward is read with the offset before the
// change: what PostgreSQL does, whereas time.Date's choice depends on
// which side of UTC the zone lies. The offsets a day before and a day
// after wall are those on either side of any change near it.
func wallInstant(wall time.Time, loc *time.Location) time.Time {
	offset := func(t time.Time) time.Duration {
		_, off := t.In(loc).Zone()
		return time.Duration(off) * time.Second
	}
	later := wall.Add(-offset(wall.Add(24 * time.Hour)))
	if shown := later.In(loc); shown.Format(time.DateTime) == wall.Format(time.DateTime) {
		return later
	}
	return wall.Add(-offset(wall.Add(-24 * time.Hour)))
}
