// Package sqlitefunc adds to SQLite the functions of custom columns it
// lacks: regex-match-first (Go's RE2, linear in the input) and
// split-part. The modernc driver registers functions for the whole
// process, so Register runs once however often it is called.
package sqlitefunc

import (
	"database/sql/driver"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"modernc.org/sqlite"
)

// Names of the functions, as compiled SQL calls them.
const (
	RegexMatchFirst = "sightline_regex_match_first"
	SplitPart       = "sightline_split_part"
)

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
