package datasource

import (
	"strings"
	"testing"

	"sightline"
)

// FuzzMySQLReadStatement checks the MySQL statement check on any text: it
// (and the check of every other engine) never panics, and whatever it allows starts, after blanks, comments and
// opening parentheses, with a keyword of a read statement, and leaves the
// server reading code at its end, so that a statement added on a new line
// is always refused.
func FuzzMySQLReadStatement(f *testing.F) {
	for _, s := range []string{
		"SELECT 1",
		"SELECT 1; DROP TABLE t",
		"/*! DROP TABLE t */",
		"SELECT '\\' INTO OUTFILE 'x' -- '",
		"WITH a AS (SELECT 1) DELETE FROM t",
		"SELECT 1 --1 INTO @a",
		"SELECT 1 # c",
		"(SELECT 1) UNION (SELECT 2)",
		"DESCRIBE `t`",
		"SELECT 1e1INTO @a",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The checks of the other engines never panic either.
		_ = checkStatement(sightline.EngineSQLite, s)
		_ = checkStatement(sightline.EnginePostgres, s)
		if mysqlReadStatement(s) != "" {
			return
		}
		if kw := leadingKeyword(s); !readKeyword(kw) {
			t.Errorf("mysqlReadStatement(%q) allowed it, but it starts with %q", s, kw)
		}
		for _, more := range []string{s + "\n;SELECT 2", s + "\n;DROP TABLE t"} {
			if mysqlReadStatement(more) == "" {
				t.Errorf("mysqlReadStatement(%q) allowed a second statement", more)
			}
		}
	})
}

// leadingKeyword returns the first word of s, upper-cased, after blanks,
// comments and opening parentheses, read more simply than mysqlTokens.
func leadingKeyword(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\n\r\f\v(")
		switch {
		case strings.HasPrefix(s, "#"), strings.HasPrefix(s, "--") && (len(s) == 2 || s[2] <= ' ' || s[2] == 0x7f):
			nl := strings.IndexAny(s, "\n\r")
			if nl < 0 {
				return ""
			}
			s = s[nl+1:]
		case strings.HasPrefix(s, "/*"):
			end := strings.Index(s[2:], "*/")
			if end < 0 {
				return ""
			}
			s = s[2+end+2:]
		default:
			end := strings.IndexFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') })
			if end < 0 {
				end = len(s)
			}
			return strings.ToUpper(s[:end])
		}
	}
}

// readKeyword reports whether kw starts a read statement.
func readKeyword(kw string) bool {
	switch kw {
	case "SELECT", "WITH", "VALUES", "TABLE", "SHOW", "DESCRIBE", "DESC", "EXPLAIN":
		return true
	}
	return false
}
