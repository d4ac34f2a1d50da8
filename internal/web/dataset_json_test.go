package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"sightline"
	"sightline/internal/app"
)

// encodeDatasetMaps is the dataset answer as it was built before
// writeDatasetJSON: maps and interface values handed to encoding/json.
func encodeDatasetMaps(res *app.Result, runningMS int64) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	err := enc.Encode(map[string]any{
		"data":         map[string]any{"cols": res.Columns, "rows": res.Rows, "rows_truncated": res.Truncated},
		"row_count":    res.RowCount,
		"status":       "completed",
		"running_time": runningMS,
		"cached":       res.Cached,
		"updated_at":   res.UpdatedAt,
	})
	return buf.Bytes(), err
}

// TestWriteDatasetJSONSameBytes checks that a dataset answer written
// straight from a result's values is byte for byte what encoding/json
// made of it through maps, for every kind of value a result carries.
func TestWriteDatasetJSONSameBytes(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	cols := []app.Column{
		{Name: "ID", DisplayName: "ID", BaseType: sightline.BaseBigInt, SemanticType: sightline.SemanticPK, FieldID: 12, Source: "fields"},
		{Name: "count", DisplayName: "Count", BaseType: sightline.BaseInteger, Source: "aggregation"},
		{Name: "CREATED_AT", DisplayName: "Created At: Month", BaseType: sightline.BaseDateTime, FieldID: 3, Source: "breakout", Unit: "month"},
		{Name: "naïve <b>&\"quoted\"", DisplayName: "日本語 \u2028", BaseType: sightline.BaseText, Source: "native"},
	}
	ints := []any{int64(0), int64(1), int64(-1), int64(math.MaxInt64), int64(math.MinInt64), int64(1 << 53), int64(1<<53 + 1)}
	floats := []any{0.0, math.Copysign(0, -1), 1.5, -2.25, 123456.789, 1e-6, 9.99e-7, 1e-7, 1.5e-10, 1e20, 1e21, 1.2345e21,
		-1e21, 5e-324, math.MaxFloat64, -math.MaxFloat64, 0.1, 1.0 / 3, 100, 1e100, 123e-20}
	strs := []any{"", "plain text", "naïve café", "日本語", "emoji 🎉", "<script>alert(1)</script>", "Tom & Jerry",
		`"quoted" \ back\slash`, "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f", "\b\f", "line\u2028sep\u2029para",
		"bad \xff utf-8 \xc3", "https://example.com/page?a=1&b=2", strings.Repeat("long ", 200)}
	others := []any{nil, true, false,
		time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 13, 4, 5, 123456789, time.UTC),
		time.Date(2024, 2, 29, 13, 4, 5, 120000000, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 0, paris),
		time.Time{},
		[]byte("binary \x00\xff"), []byte{},
		int32(7), float32(1.25), uint64(math.MaxUint64), "12:30:00",
		map[string]any{"b": 1, "a": []any{"x", nil}}, []any{int64(1), "two"}, json.RawMessage(`{"k":[1,2]}`),
	}
	var rows [][]any
	for _, group := range [][]any{ints, floats, strs, others} {
		for i, v := range group {
			rows = append(rows, []any{v, group[(i+1)%len(group)], v, group[(i+2)%len(group)]})
		}
	}
	// Enough rows that the answer is written in several pieces.
	var big [][]any
	for i := range 3000 {
		big = append(big, []any{int64(i), float64(i) / 7, time.Date(2022, 1, 1+i%28, i%24, 0, 0, 0, time.UTC), fmt.Sprintf("Row <%d> & more", i)})
	}
	// A column with every field set, found by reflection, so that a field
	// added to app.Column and not written here fails the comparison.
	var full app.Column
	fv := reflect.ValueOf(&full).Elem()
	for i := range fv.NumField() {
		switch f := fv.Field(i); f.Kind() {
		case reflect.String:
			f.SetString(fmt.Sprintf("value <%d>", i))
		case reflect.Int, reflect.Int64:
			f.SetInt(int64(1000 + i))
		case reflect.Bool:
			f.SetBool(true)
		default:
			t.Fatalf("app.Column.%s is a %s: teach this test and datasetWriter.column about it", fv.Type().Field(i).Name, f.Kind())
		}
	}
	cols = append(cols, full)
	for i := range rows {
		rows[i] = append(rows[i], rows[i][0])
	}
	updated := time.Date(2026, 12, 4, 18, 22, 29, 987654321, time.UTC)
	tests := []struct {
		name string
		res  *app.Result
	}{
		{"every kind of value", &app.Result{Columns: cols, Rows: rows, RowCount: len(rows), UpdatedAt: updated}},
		{"cached and truncated", &app.Result{Columns: cols, Rows: rows[:3], RowCount: 3, Truncated: true, Cached: true, UpdatedAt: updated}},
		{"no rows", &app.Result{Columns: cols, Rows: [][]any{}, UpdatedAt: updated}},
		{"nil rows and columns", &app.Result{}},
		{"nil row", &app.Result{Columns: cols[:1], Rows: [][]any{nil, {}, {nil}}, RowCount: 3}},
		{"many rows", &app.Result{Columns: cols[:4], Rows: big, RowCount: len(big), UpdatedAt: updated.In(paris)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := encodeDatasetMaps(tt.res, 42)
			if err != nil {
				t.Fatalf("encoding/json: %v", err)
			}
			var got bytes.Buffer
			if err := writeDatasetJSON(&got, tt.res, 42); err != nil {
				t.Fatalf("writeDatasetJSON() = %v", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				g, w := got.String(), string(want)
				i := 0
				for i < len(g) && i < len(w) && g[i] == w[i] {
					i++
				}
				t.Errorf("writeDatasetJSON() differs from encoding/json at byte %d:\n got %.200q\nwant %.200q", i, g[max(0, i-40):], w[max(0, i-40):])
			}
		})
	}
}

// TestAppendUTCMatchesRFC3339Nano checks that the dataset answer writes a
// UTC time exactly as time.Time's own RFC 3339 form: every year from 0 to
// 9999 a table can hold, whole seconds, and fractions of each length.
func TestAppendUTCMatchesRFC3339Nano(t *testing.T) {
	nanos := []int{0, 1, 10, 999, 1000, 120000000, 123456789, 500000000, 999999999}
	for year := 0; year <= 9999; year += 7 {
		for i, ns := range nanos {
			tm := time.Date(year, time.Month(1+(year+i)%12), 1+(year*3+i)%28, (year+i)%24, (year*7)%60, (year*11+i)%60, ns, time.UTC)
			want := tm.Format(time.RFC3339Nano)
			if got := string(appendUTC(nil, tm)); got != want {
				t.Fatalf("appendUTC(%v) = %s, want %s", tm, got, want)
			}
		}
	}
}

// TestWriteDatasetJSONNonFinite checks what a PostgreSQL NaN or infinity
// becomes: encoding/json refuses the whole answer, so the person would get
// an empty body; the answer says null for those cells and keeps the rest.
func TestWriteDatasetJSONNonFinite(t *testing.T) {
	res := &app.Result{Columns: []app.Column{{Name: "x", BaseType: sightline.BaseFloat}},
		Rows: [][]any{{math.NaN()}, {math.Inf(1)}, {math.Inf(-1)}, {2.5}}, RowCount: 4}
	if _, err := encodeDatasetMaps(res, 0); err == nil {
		t.Fatal("encoding/json encoded NaN; the null below is then no longer needed")
	}
	var got bytes.Buffer
	if err := writeDatasetJSON(&got, res, 0); err != nil {
		t.Fatal(err)
	}
	var answer struct {
		Data struct {
			Rows [][]any `json:"rows"`
		} `json:"data"`
	}
	if err := json.Unmarshal(got.Bytes(), &answer); err != nil {
		t.Fatalf("the answer is not JSON: %v\n%s", err, got.String())
	}
	want := [][]any{{nil}, {nil}, {nil}, {2.5}}
	if fmt.Sprint(answer.Data.Rows) != fmt.Sprint(want) {
		t.Errorf("rows = %v, want %v", answer.Data.Rows, want)
	}
}

// BenchmarkWriteDataset compares writing a 2,000-row answer straight from
// the values with building maps for encoding/json.
func BenchmarkWriteDataset(b *testing.B) {
	res := &app.Result{Columns: []app.Column{
		{Name: "ID", BaseType: sightline.BaseBigInt, FieldID: 1, Source: "fields"},
		{Name: "PAYMENT", BaseType: sightline.BaseFloat, FieldID: 2, Source: "fields"},
		{Name: "PLAN", BaseType: sightline.BaseText, FieldID: 3, Source: "fields"},
		{Name: "EXPECTED", BaseType: sightline.BaseBoolean, FieldID: 4, Source: "fields"},
		{Name: "DATE_RECEIVED", BaseType: sightline.BaseDate, FieldID: 5, Source: "fields"},
	}}
	for i := range 2000 {
		res.Rows = append(res.Rows, []any{int64(i), 251.5 + float64(i%3), "Basic", i%33 != 0, time.Date(2022, 1, 31+i%1000, 0, 0, 0, 0, time.UTC)})
	}
	res.RowCount = len(res.Rows)
	b.Run("maps", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := encodeDatasetMaps(res, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stream", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := writeDatasetJSON(&buf, res, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
}
