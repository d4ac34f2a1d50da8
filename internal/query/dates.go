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
		return addClock(t, n, time.Minute)
	case sightline.UnitHour:
		return addClock(t, n, time.Hour)
	case sightline.UnitWeek:
		return t.AddDate(0, 0, 7*n)
	case sightline.UnitMonth:
		return t.AddDate(0, n, 0)
	case sightline.UnitQuarter:
		return t.AddDate(0, 3*n, 0)
	case sightline.UnitYear:
		return t.AddDate(n, 0, 0)
	case "second":
		return addClock(t, n, time.Second)
	}
	return t.AddDate(0, 0, n)
}

// addClock moves t by n steps shorter than a day: whole days of UTC, then
// the rest, since n steps as one time.Duration overflow past 292 years.
func addClock(t time.Time, n int, step time.Duration) time.Time {
	perDay := int(24 * time.Hour / step)
	u := t.UTC().AddDate(0, 0, n/perDay).Add(time.Duration(n%perDay) * step)
	return u.In(t.Location())
}

// maxIntervalCount bounds the count of a relative date filter before any
// arithmetic: the minutes in 10,000 years, more than any unit can span
// between the years 1 and 9999.
const maxIntervalCount = 10_000 * 366 * 24 * 60

// relativeRange is the half-open range [lo, hi) of a time-interval filter,
// refused when it leaves the years every engine can read (see checkYears).
func relativeRange(now time.Time, n int, unit string, includeCurrent bool) (lo, hi time.Time, err error) {
	if n > maxIntervalCount || n < -maxIntervalCount {
		return lo, hi, sightline.Errorf(sightline.EINVALID, "A relative date filter of %d %ss reaches beyond the years 1 to 9999.", n, unit)
	}
	cur := startOf(now, unit)
	switch {
	case n == 0:
		lo, hi = cur, addUnits(cur, unit, 1)
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
	return lo, hi, checkYears(lo, hi)
}

// checkYears refuses timestamps outside the years 1 to 9999. They are
// bound as 'YYYY-MM-DD HH:MM:SS' text: a fifth digit or a minus sign
// makes SQLite compare them as other text and MySQL read no date, so each
// engine would answer differently, and none as asked.
func checkYears(ts ...time.Time) error {
	for _, t := range ts {
		if y := t.Year(); y < 1 || y > 9999 {
			return sightline.Errorf(sightline.EINVALID, "This date filter reaches the year %d: dates must fall between the years 1 and 9999.", y)
		}
	}
	return nil
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
