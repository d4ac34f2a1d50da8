package query

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"sightline"
)

// limitCards are saved questions that are each small but add up: card
// 1000+i joins card 1000+i-1 to itself, so written out it holds 2^i copies
// of card 1000; card 2000+i is card 2000+i-1 used as a source, i levels
// deep; card 3000 is a long SQL question.
func limitCards(t testing.TB) map[int64]*sightline.Query {
	t.Helper()
	src := map[int64]string{
		1000: q(`{"source-table": 3, "fields": [["field", 20, null], ["field", 22, null]]}`),
		2000: q(`{"source-table": 3, "fields": [["field", 20, null]]}`),
	}
	for i := int64(1); i <= 16; i++ {
		src[1000+i] = q(fmt.Sprintf(`{"source-table": "card__%d", "joins": [{"source-table": "card__%d", "alias": "again",
			"condition": ["=", ["field", "id", {"base-type": "type/Integer"}], ["field", "id", {"base-type": "type/Integer", "join-alias": "again"}]]}]}`, 1000+i-1, 1000+i-1))
		src[2000+i] = q(fmt.Sprintf(`{"source-table": "card__%d"}`, 2000+i-1))
	}
	cards := map[int64]*sightline.Query{
		3000: {Database: 1, Type: sightline.QueryTypeNative, Native: &sightline.NativeQuery{
			SQL: "SELECT id, payment FROM invoices WHERE status <> '" + strings.Repeat("x", sightline.MaxCompiledSQLBytes/2) + "'"}},
	}
	for id, js := range src {
		cards[id] = parse(t, js)
	}
	return cards
}

func TestCompileLimits(t *testing.T) {
	md := NewStaticMetadata(fixtureTables(), limitCards(t))
	manyValues := func(n int) string {
		vals := make([]string, n)
		for i := range vals {
			vals[i] = fmt.Sprint(i)
		}
		return strings.Join(vals, ", ")
	}
	tests := []struct {
		name string
		json string
		want string // "" when the question must compile
	}{
		{"saved question joined to itself 8 times over", q(`{"source-table": "card__1008"}`), ""},
		{"saved question joined to itself 14 times over", q(`{"source-table": "card__1014"}`),
			"This question compiles to more than 10,000 terms once its saved questions, custom columns and sandboxes are written out, over the limit of 10,000."},
		{"saved question joined to itself 15 times over", q(`{"source-table": "card__1015", "aggregation": [["count"]]}`),
			"This question compiles to more than 10,000 terms once its saved questions, custom columns and sandboxes are written out, over the limit of 10,000."},
		{"saved questions nested 16 deep", q(`{"source-table": "card__2015"}`), ""},
		{"saved questions nested 17 deep", q(`{"source-table": "card__2016"}`),
			"This question builds on saved questions nested 17 levels deep, over the limit of 16."},
		{"SQL over the length limit", q(`{"source-table": "card__3000", "fields": [["field", "id", {"base-type": "type/Integer"}]], "joins": [{"source-table": "card__3000", "alias": "again",
			"condition": ["=", ["field", "id", {"base-type": "type/Integer"}], ["field", "id", {"base-type": "type/Integer", "join-alias": "again"}]]}]}`),
			"bytes of SQL, over the limit of 2,097,152."},
		{"a filter and a parameter adding up", `{"database": 1, "type": "query", "query": {"source-table": 3, "aggregation": [["count"]],
			"filter": ["=", ["field", 20, null], ` + manyValues(6000) + `]},
			"parameters": [{"type": "number/=", "target": ["dimension", ["field", 20, null]], "value": [` + manyValues(6000) + `]}]}`,
			"This question compiles to more than 10,000 terms once its saved questions, custom columns and sandboxes are written out, over the limit of 10,000."},
	}
	for _, tt := range tests {
		for _, d := range dialects {
			t.Run(tt.name+"/"+string(d), func(t *testing.T) {
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				start := time.Now()
				c, err := Compile(parse(t, tt.json), md, d, testOptions(t))
				elapsed := time.Since(start)
				runtime.ReadMemStats(&after)
				t.Logf("%v, %d KiB allocated", elapsed, (after.TotalAlloc-before.TotalAlloc)>>10)
				if tt.want == "" {
					if err != nil {
						t.Fatalf("Compile = %v, want SQL", err)
					}
					if len(c.SQL) > sightline.MaxCompiledSQLBytes {
						t.Errorf("Compile gave %d bytes of SQL, over the limit", len(c.SQL))
					}
					return
				}
				if sightline.ErrorCode(err) != sightline.EINVALID || !strings.HasSuffix(sightline.ErrorMessage(err), tt.want) {
					msg := sightline.ErrorMessage(err)
					if len(msg) > 300 {
						msg = msg[:300] + "..."
					}
					t.Fatalf("Compile = %s: %s, want an EINVALID error ending %q", sightline.ErrorCode(err), msg, tt.want)
				}
				if elapsed > time.Second {
					t.Errorf("Compile took %v to refuse, want it refused at once", elapsed)
				}
				if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
					t.Errorf("Compile allocated %d MiB to refuse, want at most 64", alloc>>20)
				}
			})
		}
	}
}

// TestCompileLimitsViews checks that a sandbox's row filter counts towards
// the terms each time its table occurs.
func TestCompileLimitsViews(t *testing.T) {
	md := fixtureMetadata(t)
	var vals []sightline.Expr
	for i := range 4000 {
		vals = append(vals, &sightline.Value{V: int64(i)})
	}
	views := map[int64]View{3: {Filter: &sightline.Compare{Op: sightline.OpEq, Left: &sightline.FieldRef{ID: 21}, Values: vals}}}
	opts := testOptions(t)
	opts.Views = views
	join := func(alias string) string {
		return `{"source-table": 3, "alias": "` + alias + `", "condition": ["=", ["field", 20, null], ["field", 20, {"join-alias": "` + alias + `"}]]}`
	}
	tests := []struct {
		name string
		json string
		ok   bool
	}{
		{"table once", q(`{"source-table": 3, "aggregation": [["count"]]}`), true},
		{"table three times", q(`{"source-table": 3, "aggregation": [["count"]], "joins": [` + join("a") + `, ` + join("b") + `]}`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(parse(t, tt.json), md, SQLite, opts)
			if tt.ok != (err == nil) {
				t.Fatalf("Compile = %v, want ok = %v", err, tt.ok)
			}
			if !tt.ok && sightline.ErrorCode(err) != sightline.EINVALID {
				t.Errorf("Compile = %v, want EINVALID", err)
			}
		})
	}
}

// BenchmarkCompileRefused reports what refusing a saved question joined to
// itself 15 times over costs the compiler.
func BenchmarkCompileRefused(b *testing.B) {
	md := NewStaticMetadata(fixtureTables(), limitCards(b))
	q := parse(b, q(`{"source-table": "card__1015", "aggregation": [["count"]]}`))
	opts := testOptions(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(q, md, Postgres, opts); sightline.ErrorCode(err) != sightline.EINVALID {
			b.Fatalf("Compile = %v, want EINVALID", err)
		}
	}
}

// countingMetadata counts the saved questions looked up.
type countingMetadata struct {
	Metadata
	cards int
}

func (m *countingMetadata) Card(id int64) (*sightline.Query, error) {
	m.cards++
	return m.Metadata.Card(id)
}

// TestCompileLooksUpSavedQuestionsOnce checks that a saved question used
// many times (card 1008 holds 256 uses of card 1000) is looked up once per
// compilation, since a lookup may be a query of the app database.
func TestCompileLooksUpSavedQuestionsOnce(t *testing.T) {
	md := &countingMetadata{Metadata: NewStaticMetadata(fixtureTables(), limitCards(t))}
	if _, err := Compile(parse(t, q(`{"source-table": "card__1008"}`)), md, SQLite, testOptions(t)); err != nil {
		t.Fatal(err)
	}
	if md.cards != 9 {
		t.Errorf("Compile looked up %d saved questions, want 9 (cards 1000 to 1008 once each)", md.cards)
	}
}
