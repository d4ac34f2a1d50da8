package query

import (
	"strings"
	"time"

	"sightline"
)

// Date arithmetic happens here, in Go, in the report time zone: relative
// filters become two bound timestamps, so every engine filters on exactly
// the same range whatever its own date functions do.

// startOf truncates t (already in the report time zone) to the start of its
// unit. Weeks start on Sunday.
func startOf(t time.Time, unit string) time.Time {
	y, m, d := t.Date()
	loc := t.Location()
	switch unit {
	case sightline.UnitMinute:
		return time.Date(y, m, d, t.Hour(), t.Minute(), 0, 0, loc)
	case sightline.UnitHour:
		return time.Date(y, m, d, t.Hour(), 0, 0, 0, loc)
	case sightline.UnitWeek:
		return time.Date(y, m, d-int(t.Weekday()), 0, 0, 0, 0, loc)
	case sightline.UnitMonth:
		return time.Date(y, m, 1, 0, 0, 0, 0, loc)
	case sightline.UnitQuarter:
		return time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, loc)
	case sightline.UnitYear:
		return time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// addUnits moves t by n units, on the calendar for days and longer.
func addUnits(t time.Time, unit string, n int) time.Time {
	switch unit {
	case sightline.UnitMinute:
		return t.Add(time.Duration(n) * time.Minute)
	case sightline.UnitHour:
		return t.Add(time.Duration(n) * time.Hour)
	case sightline.UnitWeek:
		return t.AddDate(0, 0, 7*n)
	case sightline.UnitMonth:
		return t.AddDate(0, n, 0)
	case sightline.UnitQuarter:
		return t.AddDate(0, 3*n, 0)
	case sightline.UnitYear:
		return t.AddDate(n, 0, 0)
	case "second":
		return t.Add(time.Duration(n) * time.Second)
	}
	return t.AddDate(0, 0, n)
}

// relativeRange is the half-open range [lo, hi) of a time-interval filter.
func relativeRange(now time.Time, n int, unit string, includeCurrent bool) (lo, hi time.Time) {
	cur := startOf(now, unit)
	switch {
	case n == 0:
		return cur, addUnits(cur, unit, 1)
	case n < 0:
		lo, hi = addUnits(cur, unit, n), cur
		if includeCurrent {
			hi = addUnits(cur, unit, 1)
		}
	default:
		lo, hi = addUnits(cur, unit, 1), addUnits(cur, unit, n+1)
		if includeCurrent {
			lo = cur
		}
	}
	return lo, hi
}

// parseTemporal reads a date or date-time literal in loc and returns the
// unit it is precise to ("day", "minute" or "second").
func parseTemporal(s string, loc *time.Location) (time.Time, string, bool) {
	s = strings.TrimSpace(s)
	layouts := []struct{ layout, unit string }{
		{"2006-01-02", sightline.UnitDay},
		{"2006-01-02T15:04", sightline.UnitMinute},
		{"2006-01-02 15:04", sightline.UnitMinute},
		{"2006-01-02T15:04:05", "second"},
		{"2006-01-02 15:04:05", "second"},
		{"2006-01-02T15:04:05.999999999", "second"},
		{"2006-01-02 15:04:05.999999999", "second"},
	}
	for _, l := range layouts {
		if t, err := time.ParseInLocation(l.layout, s, loc); err == nil {
			return t, l.unit, true
		}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.In(loc), "second", true
		}
	}
	return time.Time{}, "", false
}

// timeArg formats a bound timestamp for a column of the given base type:
// dates as 'YYYY-MM-DD', date-times as 'YYYY-MM-DD HH:MM:SS' (wall clock,
// which SQLite compares as text), and on PostgreSQL timestamptz with offset.
func timeArg(t time.Time, base string, d Dialect) any {
	switch {
	case base == sightline.BaseDate && t.Equal(startOf(t, sightline.UnitDay)):
		return t.Format("2006-01-02")
	case base == sightline.BaseDateTimeTZ && d == Postgres:
		return t.Format("2006-01-02 15:04:05-07:00")
	}
	return t.Format("2006-01-02 15:04:05")
}
