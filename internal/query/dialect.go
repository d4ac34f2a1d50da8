package query

import (
	"strconv"
	"strings"

	"sightline"
	"sightline/internal/sqlitefunc"
)

// Dialect is the SQL flavour of an engine. Its values are the engine names of
// sightline.Database, so Dialect(db.Engine) picks the right one.
type Dialect string

// The dialects Sightline compiles to.
const (
	SQLite   Dialect = sightline.EngineSQLite
	Postgres Dialect = sightline.EnginePostgres
	MySQL    Dialect = sightline.EngineMySQL
)

// Validate reports whether d is a known dialect.
func (d Dialect) Validate() error {
	switch d {
	case SQLite, Postgres, MySQL:
		return nil
	}
	return sightline.Errorf(sightline.EINVALID, "Unknown SQL dialect %q.", string(d))
}

// Quote returns ident as a quoted identifier: "double quotes" for SQLite and
// PostgreSQL, `backticks` for MySQL, with the quote character doubled inside.
func (d Dialect) Quote(ident string) string {
	q := `"`
	if d == MySQL {
		q = "`"
	}
	return q + strings.ReplaceAll(ident, q, q+q) + q
}

// quoteIdent quotes ident after refusing names a statement cannot carry.
func (d Dialect) quoteIdent(ident string) (string, error) {
	if ident == "" || strings.IndexByte(ident, 0) >= 0 {
		return "", sightline.Errorf(sightline.EINVALID, "%q is not a usable SQL identifier.", ident)
	}
	return d.Quote(ident), nil
}

// Placeholder returns the n-th (from 1) bind parameter marker.
func (d Dialect) Placeholder(n int) string {
	if d == Postgres {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// localTime turns a temporal column into a wall-clock time in the report
// time zone. Only PostgreSQL's timestamptz knows its instant; other types are
// taken as wall-clock times already (see the package documentation).
func (d Dialect) localTime(x frag, base, tz string) frag {
	if d != Postgres {
		return x
	}
	switch base {
	case sightline.BaseDateTimeTZ:
		return cat("(", x, " AT TIME ZONE ", bind(tz), ")")
	case sightline.BaseDate:
		return cat("CAST(", x, " AS TIMESTAMP)")
	}
	return x
}

// bucket groups a wall-clock time by unit. Truncating units give text that is
// the same on every engine: 'YYYY-MM-DD' from day up, 'YYYY-MM-DD HH:MM:SS'
// for hour and minute; extraction units give integers (1 = Sunday, January).
func (d Dialect) bucket(x frag, unit string) frag {
	switch d {
	case Postgres:
		switch unit {
		case sightline.UnitMinute, sightline.UnitHour:
			return cat("to_char(date_trunc('", unit, "', ", x, "), 'YYYY-MM-DD HH24:MI:SS')")
		case sightline.UnitWeek:
			return cat("to_char(date_trunc('day', ", x, ") - CAST(EXTRACT(DOW FROM ", x, ") AS INTEGER) * INTERVAL '1 day', 'YYYY-MM-DD')")
		case sightline.UnitDayOfWeek:
			return cat("(CAST(EXTRACT(DOW FROM ", x, ") AS INTEGER) + 1)")
		case sightline.UnitMonthOfYear:
			return cat("CAST(EXTRACT(MONTH FROM ", x, ") AS INTEGER)")
		}
		return cat("to_char(date_trunc('", unit, "', ", x, "), 'YYYY-MM-DD')")
	case MySQL:
		switch unit {
		case sightline.UnitMinute:
			return cat("DATE_FORMAT(", x, ", '%Y-%m-%d %H:%i:00')")
		case sightline.UnitHour:
			return cat("DATE_FORMAT(", x, ", '%Y-%m-%d %H:00:00')")
		case sightline.UnitDay:
			return cat("DATE_FORMAT(", x, ", '%Y-%m-%d')")
		case sightline.UnitWeek:
			return cat("DATE_FORMAT(DATE_SUB(", x, ", INTERVAL (DAYOFWEEK(", x, ") - 1) DAY), '%Y-%m-%d')")
		case sightline.UnitMonth:
			return cat("DATE_FORMAT(", x, ", '%Y-%m-01')")
		case sightline.UnitQuarter:
			return cat("CONCAT(YEAR(", x, "), '-', LPAD(QUARTER(", x, ") * 3 - 2, 2, '0'), '-01')")
		case sightline.UnitYear:
			return cat("DATE_FORMAT(", x, ", '%Y-01-01')")
		case sightline.UnitDayOfWeek:
			return cat("DAYOFWEEK(", x, ")")
		case sightline.UnitMonthOfYear:
			return cat("MONTH(", x, ")")
		}
	default:
		switch unit {
		case sightline.UnitMinute:
			return cat("strftime('%Y-%m-%d %H:%M:00', ", x, ")")
		case sightline.UnitHour:
			return cat("strftime('%Y-%m-%d %H:00:00', ", x, ")")
		case sightline.UnitDay:
			return cat("date(", x, ")")
		case sightline.UnitWeek:
			return cat("date(", x, ", '-' || strftime('%w', ", x, ") || ' days')")
		case sightline.UnitMonth:
			return cat("strftime('%Y-%m-01', ", x, ")")
		case sightline.UnitQuarter:
			return cat("date(", x, ", 'start of month', '-' || ((CAST(strftime('%m', ", x, ") AS INTEGER) - 1) % 3) || ' months')")
		case sightline.UnitYear:
			return cat("strftime('%Y-01-01', ", x, ")")
		case sightline.UnitDayOfWeek:
			return cat("(CAST(strftime('%w', ", x, ") AS INTEGER) + 1)")
		case sightline.UnitMonthOfYear:
			return cat("CAST(strftime('%m', ", x, ") AS INTEGER)")
		}
	}
	return x
}

// likeEscape escapes LIKE wildcards with '!', the escape character every
// statement declares (a backslash means different things per engine).
func likeEscape(s string) string {
	r := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")
	return r.Replace(s)
}

// globEscape makes every character of s literal in a SQLite GLOB pattern.
func globEscape(s string) string {
	r := strings.NewReplacer("[", "[[]", "*", "[*]", "?", "[?]")
	return r.Replace(s)
}

// match compiles contains/starts-with/ends-with of a literal string. The
// pattern is built here and bound, so the value can never become SQL.
func (d Dialect) match(x frag, op, value string, caseSensitive bool) frag {
	if d == SQLite && caseSensitive {
		// SQLite's LIKE ignores ASCII case; GLOB does not.
		p := globEscape(value)
		switch op {
		case sightline.OpStartsWith:
			p += "*"
		case sightline.OpEndsWith:
			p = "*" + p
		default:
			p = "*" + p + "*"
		}
		return cat(x, " GLOB ", bind(p))
	}
	p := likeEscape(value)
	switch op {
	case sightline.OpStartsWith:
		p += "%"
	case sightline.OpEndsWith:
		p = "%" + p
	default:
		p = "%" + p + "%"
	}
	switch {
	case d == Postgres && caseSensitive:
		return cat(x, " LIKE ", bind(p), " ESCAPE '!'")
	case d == Postgres:
		return cat(x, " ILIKE ", bind(p), " ESCAPE '!'")
	case d == MySQL && caseSensitive:
		return cat(x, " LIKE BINARY ", bind(p), " ESCAPE '!'")
	case d == MySQL:
		return cat("LOWER(", x, ") LIKE LOWER(", bind(p), ") ESCAPE '!'")
	}
	return cat(x, " LIKE ", bind(p), " ESCAPE '!'")
}

// concat joins text; on every engine the result is NULL if any part is.
func (d Dialect) concat(args []frag) frag {
	switch d {
	case MySQL:
		return cat("CONCAT(", join(args, ", "), ")")
	case Postgres:
		cast := make([]frag, len(args))
		for i, a := range args {
			cast[i] = cat("CAST(", a, " AS TEXT)")
		}
		return cat("(", join(cast, " || "), ")")
	}
	return cat("(", join(args, " || "), ")")
}

// truthy and falsy are the engine's boolean constants: TRUE and FALSE on
// PostgreSQL, 1 and 0 on SQLite and MySQL, whose booleans are numbers.
func (d Dialect) truthy() string {
	if d == Postgres {
		return "TRUE"
	}
	return "1"
}

func (d Dialect) falsy() string {
	if d == Postgres {
		return "FALSE"
	}
	return "0"
}

// toFloat casts a number to double precision.
func (d Dialect) toFloat(x frag) frag {
	switch d {
	case Postgres:
		return cat("CAST(", x, " AS DOUBLE PRECISION)")
	case MySQL:
		return cat("CAST(", x, " AS DOUBLE)")
	}
	return cat("CAST(", x, " AS REAL)")
}

// literal binds a value used as an expression (not compared with a column).
// PostgreSQL cannot infer the type of a lone parameter, so it gets a cast.
func (d Dialect) literal(v any) frag {
	if v == nil {
		return frag{sql: "NULL"}
	}
	if d != Postgres {
		return bind(v)
	}
	switch v.(type) {
	case int64:
		return cat("CAST(", bind(v), " AS BIGINT)")
	case float64:
		return cat("CAST(", bind(v), " AS DOUBLE PRECISION)")
	case bool:
		return cat("CAST(", bind(v), " AS BOOLEAN)")
	}
	return cat("CAST(", bind(v), " AS TEXT)")
}

// percentile is the continuous percentile p of x as an aggregate:
// PostgreSQL's percentile_cont, and on SQLite the same computation
// registered by package sqlitefunc. MariaDB has PERCENTILE_CONT only as a
// window function; see windowedPercentiles.
func (d Dialect) percentile(x frag, p float64) frag {
	if d == Postgres {
		return cat("percentile_cont(", bind(p), ") WITHIN GROUP (ORDER BY ", x, ")")
	}
	return cat(sqlitefunc.Percentile+"(", x, ", ", bind(p), ")")
}

// spread is the population standard deviation (or variance) of x.
// SQLite has neither, so it computes them from the mean of squares,
// never below zero when rounding makes that difference negative.
func (d Dialect) spread(x frag, stddev bool) frag {
	switch d {
	case Postgres, MySQL:
		if stddev {
			return cat("STDDEV_POP(", x, ")")
		}
		return cat("VAR_POP(", x, ")")
	}
	v := d.toFloat(x)
	variance := cat("MAX(AVG(", v, " * ", v, ") - AVG(", v, ") * AVG(", v, "), 0)")
	if stddev {
		return cat("SQRT(", variance, ")")
	}
	return variance
}

// nulls makes NULLs sort first ascending and last descending on every
// engine, as SQLite and MySQL do by default.
func (d Dialect) nulls(desc bool) string {
	if d != Postgres {
		return ""
	}
	if desc {
		return " NULLS LAST"
	}
	return " NULLS FIRST"
}
