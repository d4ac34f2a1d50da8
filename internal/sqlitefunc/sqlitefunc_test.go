package sqlitefunc

import (
	"database/sql/driver"
	"strings"
	"testing"
)

func TestSplitPart(t *testing.T) {
	tests := []struct {
		s, delim string
		n        int64
		want     driver.Value
	}{
		{"a@b.com", "@", 1, "a"},
		{"a@b.com", "@", 2, "b.com"},
		{"a@b.com", "@", 3, ""},
		{"@x@", "@", 1, ""},
		{"@x@", "@", 3, ""},
		{"a--b--c", "--", 3, "c"},
		{"naïve café", "é", 1, "naïve caf"},
		{"abc", ",", 1, "abc"},
	}
	for _, tt := range tests {
		got, err := splitPart(nil, []driver.Value{tt.s, tt.delim, tt.n})
		if err != nil || got != tt.want {
			t.Errorf("splitPart(%q, %q, %d) = %v, %v; want %q", tt.s, tt.delim, tt.n, got, err, tt.want)
		}
	}
	if got, err := splitPart(nil, []driver.Value{nil, ",", int64(1)}); got != nil || err != nil {
		t.Errorf("splitPart(NULL) = %v, %v; want NULL", got, err)
	}
	if _, err := splitPart(nil, []driver.Value{"a", ",", int64(0)}); err == nil {
		t.Error("splitPart(position 0) = nil error, want a refusal")
	}
}

func TestRegexMatchFirst(t *testing.T) {
	tests := []struct {
		s, p string
		want driver.Value
	}{
		{"order-123-x", `\d+`, "123"},
		{"utm_campaign=spring&x=1", `utm_campaign=([^&]+)`, "spring"},
		{"ABC", `[a-z]+`, nil},
		{"ABC", `(?i)[a-z]+`, "ABC"},
	}
	for _, tt := range tests {
		got, err := regexMatchFirst(nil, []driver.Value{tt.s, tt.p})
		if err != nil || got != tt.want {
			t.Errorf("regexMatchFirst(%q, %q) = %v, %v; want %v", tt.s, tt.p, got, err, tt.want)
		}
	}
	// RE2 stays linear where a backtracking engine would not finish.
	evil := strings.Repeat("a", 100000) + "!"
	if got, err := regexMatchFirst(nil, []driver.Value{evil, `^(a+)+$`}); got != nil || err != nil {
		t.Errorf("regexMatchFirst(evil) = %v, %v; want NULL", got, err)
	}
	if _, err := regexMatchFirst(nil, []driver.Value{"x", "("}); err == nil || !strings.Contains(err.Error(), "invalid regular expression") {
		t.Errorf("regexMatchFirst(invalid) = %v, want an error", err)
	}
}

func TestConvertTimezone(t *testing.T) {
	tests := []struct {
		s, to, from string
		want        driver.Value
	}{
		{"2024-01-15 12:00:00", "America/New_York", "UTC", "2024-01-15 07:00:00"},
		// Summer time: four hours behind.
		{"2024-07-15 12:00:00", "America/New_York", "UTC", "2024-07-15 08:00:00"},
		{"2024-07-15 08:00:00", "UTC", "America/New_York", "2024-07-15 12:00:00"},
		{"2024-03-01", "Asia/Kolkata", "UTC", "2024-03-01 05:30:00"},
		{"not a date", "UTC", "UTC", nil},
		// Times a daylight saving change repeats or skips, read as
		// PostgreSQL 15 reads them: a repeated time as the later one
		// (winter time), a skipped time with the offset before the jump.
		{"2024-10-27 02:30:00", "UTC", "Europe/Berlin", "2024-10-27 01:30:00"},
		{"2024-03-31 02:30:00", "UTC", "Europe/Berlin", "2024-03-31 01:30:00"},
		{"2024-11-03 01:30:00", "UTC", "America/New_York", "2024-11-03 06:30:00"},
		{"2024-03-10 02:30:00", "UTC", "America/New_York", "2024-03-10 07:30:00"},
		{"2024-04-07 02:30:00", "UTC", "Australia/Sydney", "2024-04-06 16:30:00"},
		{"2024-10-06 02:30:00", "UTC", "Australia/Sydney", "2024-10-05 16:30:00"},
		// Either side of the spring change in Berlin.
		{"2024-03-31 01:59:59", "UTC", "Europe/Berlin", "2024-03-31 00:59:59"},
		{"2024-03-31 03:00:00", "UTC", "Europe/Berlin", "2024-03-31 01:00:00"},
	}
	for _, tt := range tests {
		got, err := convertTimezone(nil, []driver.Value{tt.s, tt.to, tt.from})
		if err != nil || got != tt.want {
			t.Errorf("convertTimezone(%q, %q, %q) = %v, %v; want %v", tt.s, tt.to, tt.from, got, err, tt.want)
		}
	}
	if _, err := convertTimezone(nil, []driver.Value{"2024-01-01", "Mars/Olympus", "UTC"}); err == nil {
		t.Error("convertTimezone(unknown zone) = nil error, want a refusal")
	}
}
