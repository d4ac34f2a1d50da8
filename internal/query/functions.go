package query

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"

	"sightline"
	"sightline/internal/sqlitefunc"
)

// Functions of custom columns compile here, one SQL shape per engine,
// chosen so that the three engines return the same values (the
// differential test checks each function against SQL written by hand).
// Literals are bound; only units and engine keywords, which come from
// fixed lists, are written into the SQL.

// kind is the family of a base type, for argument checks.
func kind(base string) string {
	switch base {
	case sightline.BaseInteger, sightline.BaseBigInt, sightline.BaseFloat, sightline.BaseDecimal:
		return "number"
	case sightline.BaseText:
		return "text"
	case sightline.BaseDate, sightline.BaseDateTime, sightline.BaseDateTimeTZ:
		return "date"
	case sightline.BaseBoolean:
		return "boolean"
	}
	return ""
}

// want checks that argument i of fn is of kind k; unknown types pass,
// and text passes as a date (date literals are written as text).
func want(fn string, i int, r colRef, k string) error {
	got := kind(r.base)
	if got == "" || got == k || (k == "date" && got == "text") {
		return nil
	}
	return sightline.Errorf(sightline.EINVALID, "%s expects %s as argument %d, got %s (%s).", fn, article(k), i+1, article(got), r.display)
}

// article names a kind with its article: "a number", "a date".
func article(k string) string {
	switch k {
	case "text":
		return "text"
	}
	return "a " + k
}

// integer is a bound or computed value cast to an integer where an engine
// needs one (the amount of datetime-add).
func (d Dialect) integer(x frag) frag {
	switch d {
	case Postgres:
		return cat("CAST(", x, " AS INTEGER)")
	case MySQL:
		return cat("CAST(", x, " AS SIGNED)")
	}
	return cat("CAST(", x, " AS INTEGER)")
}

// position is a position or length within a text as an integer. On
// PostgreSQL, whose SUBSTR and split_part take 32-bit integers, it is held
// within their range, which no text reaches: a larger number means past
// the end there as on the other engines, instead of an error.
func (d Dialect) position(x frag) frag {
	if d == Postgres {
		return cat("CAST(LEAST(GREATEST(CAST(", x, " AS BIGINT), -2147483648), 2147483647) AS INTEGER)")
	}
	return d.integer(x)
}

// text casts x to text on PostgreSQL, whose string functions do not take
// other types.
func (d Dialect) text(x frag) frag {
	if d == Postgres {
		return cat("CAST(", x, " AS TEXT)")
	}
	return x
}

// stamp is x as a wall-clock timestamp: columns in the report time zone,
// text literals parsed.
func (l *level) stamp(x frag, r colRef) frag {
	d := l.c.d
	if kind(r.base) == "date" {
		return d.localTime(x, r.base, l.c.tz)
	}
	switch d {
	case Postgres:
		return cat("CAST(", x, " AS TIMESTAMP)")
	case MySQL:
		return cat("CAST(", x, " AS DATETIME)")
	}
	return x
}

// function compiles a function of custom columns.
func (l *level) function(e *sightline.Function) (frag, colRef, error) {
	d := l.c.d
	if err := sightline.CheckFunction(e); err != nil {
		return frag{}, colRef{}, err
	}
	args, refs, err := l.values(e.Args)
	if err != nil {
		return frag{}, colRef{}, err
	}
	out := colRef{name: strings.ReplaceAll(e.Name, "-", "_"), display: sightline.HumanizeName(strings.ReplaceAll(e.Name, "-", "_"))}
	check := func(k string, idx ...int) error {
		for _, i := range idx {
			if i < len(refs) {
				if err := want(e.Name, i, refs[i], k); err != nil {
					return err
				}
			}
		}
		return nil
	}
	var f frag
	switch e.Name {
	case sightline.FuncConcat:
		out.base = sightline.BaseText
		f = d.concat(args)
	case sightline.FuncCoalesce:
		out.base = refs[0].base
		f = cat("COALESCE(", join(args, ", "), ")")
	case sightline.FuncAbs, sightline.FuncCeil, sightline.FuncFloor, sightline.FuncRound:
		if err := check("number", 0); err != nil {
			return frag{}, out, err
		}
		x := args[0]
		out.base = sightline.BaseInteger
		switch e.Name {
		case sightline.FuncAbs:
			out.base = refs[0].base
			f = cat("ABS(", x, ")")
		case sightline.FuncCeil:
			f = cat("CEIL(", x, ")")
		case sightline.FuncFloor:
			f = cat("FLOOR(", x, ")")
		default:
			// Halves round away from zero on every engine; the engines'
			// own ROUND of a double rounds them to even on some.
			f = cat("(SIGN(", x, ") * FLOOR(ABS(", x, ") + 0.5))")
		}
	case sightline.FuncPower, sightline.FuncSqrt, sightline.FuncExp, sightline.FuncLog:
		if err := check("number", 0, 1); err != nil {
			return frag{}, out, err
		}
		out.base = sightline.BaseFloat
		x := d.toFloat(args[0])
		switch e.Name {
		case sightline.FuncPower:
			f = cat("POWER(", x, ", ", d.toFloat(args[1]), ")")
		case sightline.FuncSqrt:
			f = cat("SQRT(", x, ")")
		case sightline.FuncExp:
			f = cat("EXP(", x, ")")
		default:
			// Base 10: SQLite's and PostgreSQL's LOG, MySQL's LOG10.
			if d == MySQL {
				f = cat("LOG10(", x, ")")
			} else {
				f = cat("LOG(", x, ")")
			}
		}
	case sightline.FuncSubstring:
		if err := check("text", 0); err != nil {
			return frag{}, out, err
		}
		if err := check("number", 1, 2); err != nil {
			return frag{}, out, err
		}
		if v, ok := e.Args[1].(*sightline.Value); ok {
			if n, ok := v.V.(int64); ok && n < 1 {
				return frag{}, out, sightline.Errorf(sightline.EINVALID, "substring counts positions from 1, got %d.", n)
			}
		}
		out.base = sightline.BaseText
		parts := []any{"SUBSTR(", d.text(args[0]), ", ", d.position(args[1])}
		if len(args) == 3 {
			parts = append(parts, ", ", d.position(args[2]))
		}
		f = cat(append(parts, ")")...)
	case sightline.FuncReplace:
		if err := check("text", 0, 1, 2); err != nil {
			return frag{}, out, err
		}
		out.base = sightline.BaseText
		f = cat("REPLACE(", d.text(args[0]), ", ", d.text(args[1]), ", ", d.text(args[2]), ")")
	case sightline.FuncRegexMatchFirst:
		if err := check("text", 0); err != nil {
			return frag{}, out, err
		}
		out.base = sightline.BaseText
		p, ok := literalOf[string](e.Args[1])
		re, err := regexp.Compile(p)
		if !ok {
			err = sightline.Errorf(sightline.EINVALID, "The pattern of regex-match-first must be a text literal.")
		}
		if err != nil {
			return frag{}, out, sightline.Errorf(sightline.EINVALID, "The pattern of regex-match-first is not a valid regular expression.")
		}
		switch d {
		case Postgres:
			// substring(... from pattern) gives the first group, if any.
			f = cat("substring(", d.text(args[0]), " from ", bind(p), ")")
		case MySQL:
			// (?-i): MariaDB's regular expressions follow the column's
			// collation, which ignores case.
			cs := bind("(?-i)" + p)
			f = cat("REGEXP_SUBSTR(", args[0], ", ", cs, ")")
			if re.NumSubexp() > 0 {
				f = cat("REGEXP_REPLACE(", f, ", ", bind("(?-i)"+p), ", '\\\\1')")
			}
		default:
			f = cat(sqlitefunc.RegexMatchFirst, "(", args[0], ", ", bind(p), ")")
		}
		// MariaDB answers '' for no match, the others NULL.
		f = cat("NULLIF(", f, ", '')")
	case sightline.FuncLength:
		if err := check("text", 0); err != nil {
			return frag{}, out, err
		}
		out.base = sightline.BaseInteger
		if d == SQLite {
			f = cat("LENGTH(", args[0], ")")
		} else {
			f = cat("CHAR_LENGTH(", args[0], ")")
		}
	case sightline.FuncTrim, sightline.FuncLTrim, sightline.FuncRTrim, sightline.FuncUpper, sightline.FuncLower:
		if err := check("text", 0); err != nil {
			return frag{}, out, err
		}
		out.base = sightline.BaseText
		f = cat(strings.ToUpper(e.Name), "(", d.text(args[0]), ")")
	case sightline.FuncSplitPart:
		if err := check("text", 0); err != nil {
			return frag{}, out, err
		}
		out.base = sightline.BaseText
		delim, dok := literalOf[string](e.Args[1])
		n, nok := literalOf[int64](e.Args[2])
		if !dok || !nok || delim == "" || n < 1 {
			return frag{}, out, sightline.Errorf(sightline.EINVALID, "split-part needs non-empty text to split on and a position from 1.")
		}
		switch d {
		case Postgres:
			f = cat("split_part(", d.text(args[0]), ", ", bind(delim), ", ", d.position(bind(n)), ")")
		case MySQL:
			// SUBSTRING_INDEX gives the last part past the end; count the
			// delimiters to give '' there, as split_part does.
			s := args[0]
			count := cat("((CHAR_LENGTH(", s, ") - CHAR_LENGTH(REPLACE(", s, ", ", bind(delim), ", ''))) DIV ", bind(int64(len([]rune(delim)))), " + 1)")
			f = cat("(CASE WHEN ", bind(n), " > ", count, " THEN '' ELSE SUBSTRING_INDEX(SUBSTRING_INDEX(", s, ", ", bind(delim), ", ", bind(n), "), ", bind(delim), ", -1) END)")
		default:
			f = cat(sqlitefunc.SplitPart, "(", args[0], ", ", bind(delim), ", ", bind(n), ")")
		}
	case sightline.FuncDatetimeAdd, sightline.FuncDatetimeSubtract:
		if err := check("date", 0); err != nil {
			return frag{}, out, err
		}
		if err := check("number", 1); err != nil {
			return frag{}, out, err
		}
		out.base = sightline.BaseDateTime
		unit, err := unitOf(e)
		if err != nil {
			return frag{}, out, err
		}
		if err := checkShift(e, unit); err != nil {
			return frag{}, out, err
		}
		n := d.integer(args[1])
		if e.Name == sightline.FuncDatetimeSubtract {
			n = cat("(0 - ", n, ")")
		}
		f = l.dateAdd(l.stamp(args[0], refs[0]), n, unit)
	case sightline.FuncDatetimeDiff:
		if err := check("date", 0, 1); err != nil {
			return frag{}, out, err
		}
		out.base = sightline.BaseInteger
		unit, err := unitOf(e)
		if err != nil {
			return frag{}, out, err
		}
		f = l.dateDiff(l.stamp(args[0], refs[0]), l.stamp(args[1], refs[1]), unit)
	case sightline.FuncNow:
		// The moment the question runs, as a wall-clock time in the
		// report time zone.
		out.base = sightline.BaseDateTime
		f = l.stamp(bind(l.c.now.Format("2006-01-02 15:04:05")), colRef{base: sightline.BaseText})
	case sightline.FuncGetYear, sightline.FuncGetQuarter, sightline.FuncGetMonth, sightline.FuncGetWeek,
		sightline.FuncGetDay, sightline.FuncGetDayOfWeek, sightline.FuncGetHour, sightline.FuncGetMinute, sightline.FuncGetSecond:
		if err := check("date", 0); err != nil {
			return frag{}, out, err
		}
		out.base = sightline.BaseInteger
		f = d.extract(l.stamp(args[0], refs[0]), strings.TrimPrefix(e.Name, "get-"))
	case sightline.FuncConvertTimezone:
		if err := check("date", 0); err != nil {
			return frag{}, out, err
		}
		out.base = sightline.BaseDateTime
		to, _ := literalOf[string](e.Args[1])
		from := l.c.tz
		if len(e.Args) == 3 {
			from, _ = literalOf[string](e.Args[2])
		}
		x := l.stamp(args[0], refs[0])
		switch d {
		case Postgres:
			// A wall-clock time read in zone from is an instant, shown
			// again as a wall-clock time in zone to.
			f = cat("((", x, " AT TIME ZONE ", bind(from), ") AT TIME ZONE ", bind(to), ")")
		case MySQL:
			if !l.c.opts.TimeZoneTables {
				return frag{}, out, &sightline.Error{Code: sightline.EINVALID, Message: MissingTimeZoneTables, Err: ErrNoTimeZoneTables}
			}
			if refs[0].base == sightline.BaseDate {
				x = cat("CAST(", x, " AS DATETIME)") // its midnight, as on the other engines
			}
			f = mysqlConvertTimezone(x, bind(from), bind(to))
		default:
			f = cat(sqlitefunc.ConvertTimezone, "(", x, ", ", bind(to), ", ", bind(from), ")")
		}
	default:
		return frag{}, out, sightline.Errorf(sightline.EINVALID, "Unknown function %q.", e.Name)
	}
	return f, out, nil
}

// mysqlConvertTimezone is the wall-clock time in zone to of wall-clock
// time x read in zone from, on MySQL/MariaDB with its time zone tables,
// giving the answers PostgreSQL gives (and SQLite, through
// sqlitefunc.ConvertTimezone) for the times a daylight saving change makes
// ambiguous or skips. CONVERT_TZ(x, from, ...) alone does not: it reads a
// time of the hour repeated in autumn as the earlier (summer) one and a
// time of the hour skipped in spring as the moment the clocks jumped.
//
// So x is read in zone from here, with only CONVERT_TZ from UTC, which is
// exact: the offsets of zone from one day before and one day after x
// (taken as UTC) are the ones on either side of any change near x. The
// instant x minus the later offset is the answer when it shows as x in
// zone from (always true away from a change; in a repeated hour it is the
// later reading), else x minus the earlier offset (in a skipped hour, the
// offset before the change). The instant is then shown in zone to.
//
// CONVERT_TZ converts only within the TIMESTAMP range (1970-01-01
// 00:00:01 to 2038-01-19 03:14:07 UTC) and returns anything else
// unchanged: times within two days of its ends (beyond any zone's offset
// plus the day each side) give NULL instead of an unconverted time.
func mysqlConvertTimezone(x, from, to frag) frag {
	const utc = "'+00:00'"
	offsetAt := func(days string) frag { // offset of zone from at x + days, taken as UTC
		t := cat("DATE_ADD(", x, ", INTERVAL ", days, " DAY)")
		return cat("TIMESTAMPDIFF(SECOND, ", t, ", CONVERT_TZ(", t, ", ", utc, ", ", from, "))")
	}
	early := cat("DATE_SUB(", x, ", INTERVAL ", offsetAt("-1"), " SECOND)")
	late := cat("DATE_SUB(", x, ", INTERVAL ", offsetAt("1"), " SECOND)")
	instant := cat("CASE WHEN CONVERT_TZ(", late, ", ", utc, ", ", from, ") = ", x, " THEN ", late, " ELSE ", early, " END")
	return cat("(CASE WHEN ", x, " >= '1970-01-03 00:00:00' AND ", x, " < '2038-01-17 00:00:00' THEN CONVERT_TZ(", instant, ", ", utc, ", ", to, ") END)")
}

// literalOf returns e's literal when it is of type T. Queries are
// validated before they compile, but a sandbox's row filter reaches the
// compiler on its own, so literal arguments are checked here again.
func literalOf[T any](e sightline.Expr) (T, bool) {
	var zero T
	v, ok := e.(*sightline.Value)
	if !ok {
		return zero, false
	}
	x, ok := v.V.(T)
	return x, ok
}

// unitOf is the unit of datetime-add, -subtract or -diff: its third
// argument, one of the units the dialects know.
func unitOf(e *sightline.Function) (string, error) {
	u, ok := literalOf[string](e.Args[2])
	if ok && (monthsOf(u) > 0 || u == "week" || u == "day" || u == "hour" || u == "minute" || u == "second") {
		return u, nil
	}
	return "", sightline.Errorf(sightline.EINVALID, "The unit of %s must be one of year, quarter, month, week, day, hour, minute or second.", e.Name)
}

// checkShift refuses a literal amount of datetime-add or -subtract that
// moves any date past the years 1 to 9999, where the engines part ways
// (an empty result on SQLite and MariaDB, the year 102023 or an error on
// PostgreSQL): at most 10,000 years in the unit.
func checkShift(e *sightline.Function, unit string) error {
	var n float64
	switch v := e.Args[1].(type) {
	case *sightline.Value:
		switch x := v.V.(type) {
		case int64:
			n = float64(x)
		case float64:
			n = x
		}
	}
	limit := float64(10_000 * 12)
	if m := monthsOf(unit); m > 0 {
		limit /= float64(m)
	} else {
		limit = 10_000 * 366 * 86400 / float64(secondsOf(unit))
	}
	if n <= limit && n >= -limit {
		return nil
	}
	return sightline.OverLimit(e.Name+" moves a date by", int64(math.Min(math.Abs(n), math.MaxInt64)), unit+"s", int64(limit))
}

// extract returns part of a wall-clock time as an integer; day-of-week
// counts from 1 = Sunday, week is the ISO week.
func (d Dialect) extract(x frag, part string) frag {
	switch d {
	case Postgres:
		switch part {
		case "day-of-week":
			return cat("(CAST(EXTRACT(DOW FROM ", x, ") AS INTEGER) + 1)")
		case "second":
			return cat("CAST(FLOOR(EXTRACT(SECOND FROM ", x, ")) AS INTEGER)")
		}
		return cat("CAST(EXTRACT(", strings.ToUpper(part), " FROM ", x, ") AS INTEGER)")
	case MySQL:
		switch part {
		case "day":
			return cat("DAYOFMONTH(", x, ")")
		case "day-of-week":
			return cat("DAYOFWEEK(", x, ")")
		case "week":
			return cat("WEEK(", x, ", 3)")
		}
		return cat(strings.ToUpper(part), "(", x, ")")
	}
	code := map[string]string{"year": "%Y", "month": "%m", "week": "%V", "day": "%d", "hour": "%H", "minute": "%M", "second": "%S"}
	switch part {
	case "quarter":
		return cat("((CAST(strftime('%m', ", x, ") AS INTEGER) + 2) / 3)")
	case "day-of-week":
		return cat("(CAST(strftime('%w', ", x, ") AS INTEGER) + 1)")
	}
	return cat("CAST(strftime('", code[part], "', ", x, ") AS INTEGER)")
}

// monthsOf is the number of months in a calendar unit, 0 for the others.
func monthsOf(unit string) int64 {
	switch unit {
	case "year":
		return 12
	case "quarter":
		return 3
	case "month":
		return 1
	}
	return 0
}

// secondsOf is the number of seconds in a fixed-length unit.
func secondsOf(unit string) int64 {
	switch unit {
	case "week":
		return 7 * 86400
	case "day":
		return 86400
	case "hour":
		return 3600
	case "minute":
		return 60
	}
	return 1
}

// dateAdd moves wall-clock time x by n units. Adding months keeps the day
// of the month, or the month's last day when it is shorter (January 31
// plus one month is February 28 or 29), on every engine.
func (l *level) dateAdd(x, n frag, unit string) frag {
	d := l.c.d
	switch d {
	case Postgres:
		step := map[string]string{"year": "1 year", "quarter": "3 months", "month": "1 month", "week": "7 days",
			"day": "1 day", "hour": "1 hour", "minute": "1 minute", "second": "1 second"}[unit]
		return cat("(", x, " + ", n, " * INTERVAL '", step, "')")
	case MySQL:
		return cat("DATE_ADD(", x, ", INTERVAL ", n, " ", strings.ToUpper(unit), ")")
	}
	if m := monthsOf(unit); m > 0 {
		months := cat("(", n, " * ", strconv.FormatInt(m, 10), ") || ' months'")
		lastDay := cat("CAST(strftime('%d', ", x, ", 'start of month', ", months, ", '+1 month', '-1 day') AS INTEGER)")
		day := cat("(MIN(CAST(strftime('%d', ", x, ") AS INTEGER), ", lastDay, ") - 1) || ' days'")
		return cat("datetime(", x, ", 'start of month', ", months, ", ", day, ", '+' || strftime('%H:%M:%S', ", x, "))")
	}
	s := secondsOf(unit)
	return cat("datetime(", x, ", (", n, " * ", strconv.FormatInt(s, 10), ") || ' seconds')")
}

// dateDiff is the number of whole units from a to b, negative when b is
// earlier. Months count when the day and time of the month are reached
// (January 31 to February 29 is 0 months); fixed units are whole
// multiples of their length in seconds.
func (l *level) dateDiff(a, b frag, unit string) frag {
	d := l.c.d
	if d == MySQL {
		return cat("TIMESTAMPDIFF(", strings.ToUpper(unit), ", ", a, ", ", b, ")")
	}
	if m := monthsOf(unit); m > 0 {
		var months frag
		if d == Postgres {
			months = cat("CAST(EXTRACT(YEAR FROM age(", b, ", ", a, ")) * 12 + EXTRACT(MONTH FROM age(", b, ", ", a, ")) AS BIGINT)")
		} else {
			ym := func(x frag) frag {
				return cat("(CAST(strftime('%Y', ", x, ") AS INTEGER) * 12 + CAST(strftime('%m', ", x, ") AS INTEGER))")
			}
			rest := func(x frag) frag { return cat("strftime('%d %H:%M:%S', ", x, ")") }
			raw := cat("(", ym(b), " - ", ym(a), ")")
			months = cat("(", raw, " - CASE WHEN ", raw, " > 0 AND ", rest(b), " < ", rest(a), " THEN 1 WHEN ",
				raw, " < 0 AND ", rest(b), " > ", rest(a), " THEN -1 ELSE 0 END)")
		}
		if m == 1 {
			return months
		}
		return cat("(", months, " / ", strconv.FormatInt(m, 10), ")")
	}
	s := secondsOf(unit)
	if d == Postgres {
		return cat("CAST(TRUNC(EXTRACT(EPOCH FROM (", b, " - ", a, ")) / ", strconv.FormatInt(s, 10), ") AS BIGINT)")
	}
	return cat("((unixepoch(", b, ") - unixepoch(", a, ")) / ", strconv.FormatInt(s, 10), ")")
}

// ErrNoTimeZoneTables is wrapped by the refusal of convert-timezone on
// MySQL without Options.TimeZoneTables, so that a caller that has not yet
// asked the server can tell it apart, ask, and compile again.
var ErrNoTimeZoneTables = errors.New("the MySQL server's time zone tables are needed")

// MissingTimeZoneTables is the refusal of convert-timezone on a
// MySQL/MariaDB server without its time zone tables, naming the fix.
const MissingTimeZoneTables = "convertTimezone needs the time zone tables of this MySQL/MariaDB server, which are not loaded " +
	"(without them CONVERT_TZ gives an empty result for every row). An administrator of the server can load them with " +
	"`mariadb-tzinfo-to-sql /usr/share/zoneinfo | mariadb -u root mysql` (on MySQL: `mysql_tzinfo_to_sql /usr/share/zoneinfo | mysql -u root mysql`)."
