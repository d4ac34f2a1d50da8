package app

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestResultCodecRoundTrip(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	r := &Result{
		Columns: []Column{
			{Name: "ID", DisplayName: "ID", BaseType: "type/BigInteger", SemanticType: "type/PK", FieldID: 7, Source: "fields"},
			{Name: "CREATED_AT", DisplayName: "Created At: Month", BaseType: "type/DateTime", Unit: "month", Source: "breakout"},
			{Name: "x", BaseType: "type/*"},
		},
		Rows: [][]any{
			{int64(1), time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC), "été"},
			{int64(-1 << 62), time.Date(2026, 1, 1, 0, 0, 0, 1, paris), nil},
			{int64(0), 3.5, true},
			{int64(math.MaxInt64), math.Inf(-1), false},
			{[]byte{0, 1, 255}, "", 1e-300},
		},
		RowCount: 5, Truncated: true, Duration: 1234 * time.Millisecond, SQL: "SELECT 1",
		UpdatedAt: time.Date(2026, 12, 4, 18, 1, 2, 3, paris),
	}
	b, err := encodeResult(r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeResult(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, got); diff != "" {
		t.Errorf("decode(encode(r)) differs (-want +got):\n%s", diff)
	}
	if !got.Rows[1][1].(time.Time).Equal(r.Rows[1][1].(time.Time)) {
		t.Errorf("a time changed instant")
	}
	// Every cut of a value is refused rather than read as a shorter result.
	for n := range len(b) {
		if _, err := decodeResult(b[:n]); err == nil {
			t.Errorf("decodeResult of the first %d of %d bytes succeeded", n, len(b))
		}
	}
	if _, err := encodeResult(&Result{Rows: [][]any{{int32(1)}}}); err == nil {
		t.Error("a value of a type the door never returns was encoded")
	}
}
