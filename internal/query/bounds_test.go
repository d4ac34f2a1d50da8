package query

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

// TestDateFiltersStayInYears checks the timestamps that date filters bind:
// far relative filters count right on every engine, and filters that
// would bind a date outside the years 1 to 9999 (which the engines read
// each their own way) are refused before they run.
func TestDateFiltersStayInYears(t *testing.T) {
	md := fixtureMetadata(t)
	opts := testOptions(t)
	count := func(filter string) string {
		return q(`{"source-table": 2, "filter": ` + filter + `, "aggregation": [["count"]]}`)
	}
	counted := []boundCase{
		// 200,000,000 minutes is about 380 years: every account.
		{"previous 200,000,000 minutes", count(`["time-interval", ["field", 14, null], -200000000, "minute"]`), "12"},
		{"previous 5,000,000 hours", count(`["time-interval", ["field", 14, null], -5000000, "hour"]`), "12"},
		{"up to year 9998", count(`["<=", ["field", 14, {"temporal-unit": "year"}], "9998-01-01"]`), "12"},
	}
	refused := []refusedCase{
		{"previous 10^12 minutes", count(`["time-interval", ["field", 14, null], -1000000000000, "minute"]`)},
		{"previous 10^9 days", count(`["time-interval", ["field", 14, null], -1000000000, "day"]`)},
		{"next 100,000 years", count(`["time-interval", ["field", 14, null], 100000, "year"]`)},
		{"up to year 9999", count(`["<=", ["field", 14, {"temporal-unit": "year"}], "9999-01-01"]`)},
		{"year 0", count(`[">", ["field", 14, null], "0000-06-01"]`)},
		{"between up to 9999-12-31", count(`["between", ["field", 14, null], "2023-01-01", "9999-12-31"]`)},
	}
	checkEveryEngine(t, md, opts, counted, refused)
}

// TestNumbersComparedWithWholeNumbers compares whole-number columns with
// fractions and with numbers past a 32-bit integer: every engine counts
// the same rows, none truncating 1.5 to 1 or refusing 10^12.
func TestNumbersComparedWithWholeNumbers(t *testing.T) {
	md := fixtureMetadata(t)
	opts := testOptions(t)
	count := func(filter string) string {
		return q(`{"source-table": 2, "filter": ` + filter + `, "aggregation": [["count"]]}`)
	}
	tests := []boundCase{
		{"id < 1.5", count(`["<", ["field", 10, null], 1.5]`), "1"},
		{"id = 1.5", count(`["=", ["field", 10, null], 1.5]`), "0"},
		{"id >= 11.5", count(`[">=", ["field", 10, null], 11.5]`), "1"},
		{"id between 1.5 and 2.5", count(`["between", ["field", 10, null], 1.5, 2.5]`), "1"},
		{"id in 1.5, 10^12", count(`["=", ["field", 10, null], 1.5, 1000000000000]`), "0"},
		{"id != 10^12", count(`["!=", ["field", 10, null], 1000000000000]`), "12"},
		{"id > -9*10^9", count(`[">", ["field", 10, null], -9000000000]`), "12"},
		{"seats <= 3.5", count(`["<=", ["field", 15, null], 3.5]`), "1"},
		{"day of week = 1.5", count(`["=", ["field", 14, {"temporal-unit": "day-of-week"}], 1.5]`), "0"},
	}
	checkEveryEngine(t, md, opts, tests, nil)
}

// TestPositionsPastAnyText gives substring and split-part positions and
// lengths beyond a 32-bit integer: they mean past the end of the text on
// every engine, as they do below that size, rather than an error on
// PostgreSQL alone.
func TestPositionsPastAnyText(t *testing.T) {
	md := fixtureMetadata(t)
	opts := testOptions(t)
	column := func(expr string) string {
		return q(`{"source-table": 2, "expressions": {"x": ` + expr + `}, "fields": [["expression", "x"]], "order-by": [["asc", ["field", 10, null]]], "limit": 1}`)
	}
	tests := []boundCase{
		{"substring of length 10^12", column(`["substring", ["field", 11, null], 2, 1000000000000]`), "cme"},
		{"substring from 10^12", column(`["substring", ["field", 11, null], 1000000000000, 2]`), ""},
		{"substring from 10^12 to the end", column(`["substring", ["field", 11, null], 1000000000000]`), ""},
		{"split-part 10^12", column(`["split-part", ["field", 11, null], "c", 1000000000000]`), ""},
		{"split-part 2", column(`["split-part", ["field", 11, null], "c", 2]`), "me"},
	}
	checkEveryEngine(t, md, opts, tests, nil)
}

// TestDateShiftsStayInYears moves dates by literal amounts: within 10,000
// years every engine answers alike; beyond, where they part ways (an empty
// result, a year past 9999, an error), the question is refused.
func TestDateShiftsStayInYears(t *testing.T) {
	md := fixtureMetadata(t)
	opts := testOptions(t)
	column := func(fn, n, unit string) string {
		return q(`{"source-table": 2, "expressions": {"x": ["` + fn + `", ["field", 14, null], ` + n + `, "` + unit + `"]}, "fields": [["expression", "x"]], "order-by": [["asc", ["field", 10, null]]], "limit": 1}`)
	}
	counted := []boundCase{
		{"add 7,000 years", column("datetime-add", "7000", "year"), "9023-01-02 01:04:00"},
		{"subtract 2,000 years", column("datetime-subtract", "2000", "year"), "0023-01-02 01:04:00"},
		{"add 60,000 months", column("datetime-add", "60000", "month"), "7023-01-02 01:04:00"},
	}
	refused := []refusedCase{
		{"add 100,000 years", column("datetime-add", "100000", "year")},
		{"subtract 10^18 days", column("datetime-subtract", "1000000000000000000", "day")},
		{"add 10^15 seconds written as 1e15", column("datetime-add", "1e15", "second")},
	}
	checkEveryEngine(t, md, opts, counted, refused)
}

// boundCase is a question and the one value it answers on every engine.
type boundCase struct{ name, json, want string }

// refusedCase is a question every engine's compiler refuses.
type refusedCase struct{ name, json string }

// checkEveryEngine compiles and runs each answered case on every engine,
// expecting its one value, and compiles each refused case, expecting
// EINVALID.
func checkEveryEngine(t *testing.T, md Metadata, opts Options, answered []boundCase, refused []refusedCase) {
	t.Helper()
	forEachEngine(t, func(t *testing.T, e engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for _, tt := range answered {
			c, err := Compile(parse(t, tt.json), md, e.d, opts)
			if err != nil {
				t.Errorf("%s on %s: Compile = %v", tt.name, e.d, err)
				continue
			}
			got, err := run(ctx, e.db, c)
			if err != nil {
				t.Errorf("%s on %s: %v\n%s %v", tt.name, e.d, err, c.SQL, c.Args)
				continue
			}
			if diff := cmp.Diff([][]string{{tt.want}}, got); diff != "" {
				t.Errorf("%s on %s (-want +got):\n%s\n%s %v", tt.name, e.d, diff, c.SQL, c.Args)
			}
		}
		for _, tt := range refused {
			c, err := Compile(parse(t, tt.json), md, e.d, opts)
			if sightline.ErrorCode(err) != sightline.EINVALID {
				t.Errorf("%s on %s: Compile = %v, want EINVALID", tt.name, e.d, err)
				if err == nil {
					t.Logf("compiled to %s %v", c.SQL, c.Args)
				}
			}
		}
	})
}
