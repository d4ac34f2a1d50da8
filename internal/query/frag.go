package query

import (
	"strconv"
	"strings"
)

// ph marks a bind argument inside SQL under construction. Fragments are built
// out of order (a join found while compiling the select list), so
// placeholders are numbered only once the whole statement is assembled.
// Identifiers and native SQL containing NUL are refused, so ph never clashes.
const ph = "\x00"

// frag is a piece of SQL and the arguments of its placeholders, in order.
type frag struct {
	sql  string
	args []any
}

// bind returns a placeholder for v.
func bind(v any) frag { return frag{sql: ph, args: []any{v}} }

// cat concatenates strings and fragments, keeping arguments in text order.
func cat(parts ...any) frag {
	var b strings.Builder
	var args []any
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			b.WriteString(p)
		case frag:
			b.WriteString(p.sql)
			args = append(args, p.args...)
		}
	}
	return frag{sql: b.String(), args: args}
}

// join concatenates fragments with a separator.
func join(fs []frag, sep string) frag {
	var b strings.Builder
	var args []any
	for i, f := range fs {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(f.sql)
		args = append(args, f.args...)
	}
	return frag{sql: b.String(), args: args}
}

// finish numbers the placeholders for the dialect.
func finish(f frag, d Dialect) (string, []any) {
	if d != Postgres {
		return strings.ReplaceAll(f.sql, ph, "?"), f.args
	}
	var b strings.Builder
	b.Grow(len(f.sql) + 2*len(f.args))
	n := 0
	for i := 0; i < len(f.sql); i++ {
		if f.sql[i] == 0 {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(f.sql[i])
	}
	return b.String(), f.args
}
