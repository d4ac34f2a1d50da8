package datasource

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"sightline"
)

// BaseType maps a column type as engine reports it ("numeric(10,2)",
// "tinyint(1)", "INT4", "TIMESTAMP WITH TIME ZONE", "VARCHAR(40)") to a
// normalised base type (sightline.BaseInteger, ...). Unknown types give
// sightline.BaseUnknown.
func BaseType(engine, dbType string) string {
	t := strings.ToLower(strings.TrimSpace(dbType))
	switch engine {
	case sightline.EnginePostgres:
		return postgresBase(t)
	case sightline.EngineMySQL:
		return mysqlBase(t)
	}
	return sqliteBase(t)
}

// withoutParams drops every parenthesised part: "timestamp(3) with time
// zone" -> "timestamp with time zone".
func withoutParams(t string) string {
	var b strings.Builder
	depth := 0
	for _, r := range t {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func postgresBase(t string) string {
	if strings.HasSuffix(t, "[]") || strings.HasPrefix(t, "_") {
		return sightline.BaseArray
	}
	switch withoutParams(t) {
	case "smallint", "integer", "int", "int2", "int4", "serial", "smallserial", "serial2", "serial4", "oid":
		return sightline.BaseInteger
	case "bigint", "int8", "bigserial", "serial8":
		return sightline.BaseBigInt
	case "real", "double precision", "float4", "float8", "float":
		return sightline.BaseFloat
	case "numeric", "decimal", "money":
		return sightline.BaseDecimal
	case "text", "character varying", "varchar", "character", "char", "bpchar", "name", "citext", "inet", "cidr", "macaddr":
		return sightline.BaseText
	case "boolean", "bool":
		return sightline.BaseBoolean
	case "date":
		return sightline.BaseDate
	case "timestamp", "timestamp without time zone":
		return sightline.BaseDateTime
	case "timestamptz", "timestamp with time zone":
		return sightline.BaseDateTimeTZ
	case "time", "time without time zone", "timetz", "time with time zone":
		return sightline.BaseTime
	case "json", "jsonb":
		return sightline.BaseJSON
	case "uuid":
		return sightline.BaseUUID
	case "bytea":
		return sightline.BaseBinary
	}
	return sightline.BaseUnknown
}

func mysqlBase(t string) string {
	if strings.HasPrefix(t, "tinyint(1)") || strings.HasPrefix(t, "bit(1)") {
		return sightline.BaseBoolean
	}
	words := strings.Fields(withoutParams(strings.ReplaceAll(t, "unsigned", "")))
	if len(words) == 0 {
		return sightline.BaseUnknown
	}
	switch words[0] {
	case "tinyint", "smallint", "mediumint", "int", "integer", "year", "bit":
		return sightline.BaseInteger
	case "bigint":
		return sightline.BaseBigInt
	case "float", "double", "real":
		return sightline.BaseFloat
	case "decimal", "numeric", "dec", "fixed":
		return sightline.BaseDecimal
	case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set", "inet4", "inet6":
		return sightline.BaseText
	case "bool", "boolean":
		return sightline.BaseBoolean
	case "date":
		return sightline.BaseDate
	case "datetime", "timestamp":
		return sightline.BaseDateTime
	case "time":
		return sightline.BaseTime
	case "json":
		return sightline.BaseJSON
	case "uuid":
		return sightline.BaseUUID
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		return sightline.BaseBinary
	}
	return sightline.BaseUnknown
}

// sqliteBase follows SQLite's own reading of declared types (substring
// rules), refined for the names people write: BOOLEAN, DATE, DATETIME, ...
func sqliteBase(t string) string {
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(t, s) {
				return true
			}
		}
		return false
	}
	switch {
	case t == "":
		return sightline.BaseUnknown
	case has("bool"):
		return sightline.BaseBoolean
	case has("datetime", "timestamp"):
		if has("tz", "time zone") {
			return sightline.BaseDateTimeTZ
		}
		return sightline.BaseDateTime
	case has("date"):
		return sightline.BaseDate
	case has("time"):
		return sightline.BaseTime
	case has("json"):
		return sightline.BaseJSON
	case has("uuid", "guid"):
		return sightline.BaseUUID
	case has("bigint", "int8"):
		return sightline.BaseBigInt
	case has("int"):
		return sightline.BaseInteger
	case has("char", "clob", "text", "string"):
		return sightline.BaseText
	case has("blob", "binary"):
		return sightline.BaseBinary
	case has("real", "floa", "doub"):
		return sightline.BaseFloat
	case has("dec", "numeric", "money"):
		return sightline.BaseDecimal
	}
	return sightline.BaseUnknown
}

// dateLayouts are the text forms of dates and datetimes found in SQLite
// files and in MySQL/PostgreSQL text results, most common first.
var dateLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05-07",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseTime reads the text forms of dates and datetimes; values without a
// zone are UTC.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// normalize converts a driver value to the Go type of base (see the package
// documentation). A value that does not fit its column's base type is
// returned in the closest general form rather than dropped.
//
// A value already in its normal form is returned as the very interface
// value it came in, not boxed anew: on a page of rows that saves an
// allocation per cell.
func normalize(base string, v any) any {
	if v == nil {
		return nil
	}
	switch x := v.(type) {
	case int64:
		if base == sightline.BaseInteger || base == sightline.BaseBigInt {
			return v
		}
	case float64:
		if base == sightline.BaseFloat || base == sightline.BaseDecimal {
			return v
		}
	case string:
		if base == sightline.BaseText || base == sightline.BaseJSON || base == sightline.BaseUUID {
			return v
		}
	case time.Time:
		// A UTC time's UTC() is the same time; a date must be midnight too.
		if x.Location() == time.UTC && (base == sightline.BaseDateTime || base == sightline.BaseDateTimeTZ ||
			base == sightline.BaseDate && x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0) {
			return v
		}
	}
	switch base {
	case sightline.BaseInteger, sightline.BaseBigInt:
		return toInt(v)
	case sightline.BaseFloat, sightline.BaseDecimal:
		return toFloat(v)
	case sightline.BaseBoolean:
		return toBool(v)
	case sightline.BaseDate:
		// A date is the calendar day as the engine gave it, whatever zone
		// the driver attached.
		if t, ok := v.(time.Time); ok {
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		}
		if t, ok := toTime(v); ok {
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		}
	case sightline.BaseDateTime, sightline.BaseDateTimeTZ:
		if t, ok := toTime(v); ok {
			return t
		}
	case sightline.BaseTime:
		return toTimeOfDay(v)
	case sightline.BaseBinary:
		if b, ok := v.([]byte); ok {
			return b
		}
	case sightline.BaseText, sightline.BaseJSON, sightline.BaseUUID:
		return toString(v)
	}
	return general(v)
}

// general is the normal form of a value whose type is unknown.
func general(v any) any {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC()
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
		return float64(x)
	}
	return v
}

func toInt(v any) any {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
		return float64(x)
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return int64(x)
		}
		return x
	case []byte:
		return toInt(string(x))
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
			return n
		}
		if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
			return toInt(f)
		}
		return x
	}
	return general(v)
}

func toFloat(v any) any {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	case uint64:
		return float64(x)
	case []byte:
		return toFloat(string(x))
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
			return f
		}
		return x
	case fmt.Stringer:
		return toFloat(x.String())
	}
	return general(v)
}

func toBool(v any) any {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	case float64:
		return x != 0
	case []byte:
		// MySQL BIT(1) arrives as one byte.
		if len(x) == 1 && x[0] <= 1 {
			return x[0] == 1
		}
		return toBool(string(x))
	case string:
		if b, err := strconv.ParseBool(strings.TrimSpace(x)); err == nil {
			return b
		}
		return x
	}
	return general(v)
}

func toTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC(), true
	case []byte:
		return parseTime(string(x))
	case string:
		return parseTime(x)
	}
	return time.Time{}, false
}

func toTimeOfDay(v any) any {
	switch x := v.(type) {
	case time.Time:
		if x.Nanosecond() == 0 {
			return x.Format("15:04:05")
		}
		return x.Format("15:04:05.999999")
	case []byte:
		return string(x)
	}
	return general(v)
}

func toString(v any) any {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case [16]byte:
		return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16])
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// inferTypes decides, from the values, the base type of each column whose
// driver type says nothing (SQLite expressions such as count(*) or
// date(x) have no declared type), and converts those values to it: whole
// numbers are integers, other numbers floats, text that reads as a
// calendar day a date, text that reads as a timestamp a datetime. A
// column with no values, or with values of mixed kinds, stays unknown.
func inferTypes(cols []Column, rows [][]any) {
	for i := range cols {
		if cols[i].BaseType != sightline.BaseUnknown {
			continue
		}
		base := inferBase(rows, i)
		if base == sightline.BaseUnknown {
			continue
		}
		cols[i].BaseType = base
		for _, r := range rows {
			r[i] = normalize(base, r[i])
		}
	}
}

// inferBase is the base type shared by every non-null value of column i.
func inferBase(rows [][]any, i int) string {
	base := ""
	merge := func(b string) bool {
		switch {
		case base == "" || base == b:
			base = b
		case (base == sightline.BaseInteger && b == sightline.BaseFloat) || (base == sightline.BaseFloat && b == sightline.BaseInteger):
			base = sightline.BaseFloat
		case (base == sightline.BaseDate && b == sightline.BaseDateTime) || (base == sightline.BaseDateTime && b == sightline.BaseDate):
			base = sightline.BaseDateTime
		case isTextual(base) && isTextual(b):
			// Text that only sometimes reads as a date is text.
			base = sightline.BaseText
		default:
			return false
		}
		return true
	}
	for _, r := range rows {
		var b string
		switch v := r[i].(type) {
		case nil:
			continue
		case int64, int32, int:
			b = sightline.BaseInteger
		case float64, float32:
			b = sightline.BaseFloat
		case bool:
			b = sightline.BaseBoolean
		case time.Time:
			b = sightline.BaseDateTime
		case string:
			b = textBase(v)
		default:
			return sightline.BaseUnknown
		}
		if !merge(b) {
			return sightline.BaseUnknown
		}
	}
	if base == "" {
		return sightline.BaseUnknown
	}
	return base
}

// isTextual reports whether textBase can give b.
func isTextual(b string) bool {
	return b == sightline.BaseText || b == sightline.BaseDate || b == sightline.BaseDateTime
}

// textBase is BaseDate for "2006-01-02", BaseDateTime for the timestamp
// forms of dateLayouts, else BaseText.
func textBase(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == len("2006-01-02") {
		if _, err := time.Parse("2006-01-02", s); err == nil {
			return sightline.BaseDate
		}
		return sightline.BaseText
	}
	if len(s) >= len("2006-01-02 15:04") && s[4] == '-' {
		if _, ok := parseTime(s); ok {
			return sightline.BaseDateTime
		}
	}
	return sightline.BaseText
}
