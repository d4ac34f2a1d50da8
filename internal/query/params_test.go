package query

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"sightline"
)

func TestParameterFilter(t *testing.T) {
	f := &sightline.FieldRef{ID: 7}
	tests := []struct {
		ptype string
		value any
		want  string
	}{
		{"category", "Basic", `["=",["field",7,null],"Basic"]`},
		{"category", []any{"a", "b"}, `["=",["field",7,null],"a","b"]`},
		{"category", nil, `null`},
		{"category", []any{}, `null`},
		{"string/!=", "x", `["!=",["field",7,null],"x"]`},
		{"string/contains", []any{"a", "b"}, `["or",["contains",["field",7,null],"a",{"case-sensitive":false}],["contains",["field",7,null],"b",{"case-sensitive":false}]]`},
		{"string/does-not-contain", "a", `["does-not-contain",["field",7,null],"a",{"case-sensitive":false}]`},
		{"number/=", "42", `["=",["field",7,null],42]`},
		{"number/between", []any{int64(1), "2.5"}, `["between",["field",7,null],1,2.5]`},
		{"number/>=", 3.5, `[">=",["field",7,null],3.5]`},
		{"date/relative", "past30days", `["time-interval",["field",7,null],-30,"day"]`},
		{"date/relative", "past2weeks~", `["time-interval",["field",7,null],-2,"week",{"include-current":true}]`},
		{"date/relative", "next3months", `["time-interval",["field",7,null],3,"month"]`},
		{"date/relative", "thisyear", `["time-interval",["field",7,null],"current","year"]`},
		{"date/relative", "lastmonth", `["time-interval",["field",7,null],-1,"month"]`},
		{"date/relative", "yesterday", `["time-interval",["field",7,null],-1,"day"]`},
		{"date/range", "2024-01-01~2024-02-01", `["between",["field",7,null],"2024-01-01","2024-02-01"]`},
		{"date/all-options", "~2024-02-01", `["<=",["field",7,null],"2024-02-01"]`},
		{"date/all-options", "2024-02-01~", `[">=",["field",7,null],"2024-02-01"]`},
		{"date/month-year", "2024-03", `["=",["field",7,{"temporal-unit":"month"}],"2024-03-01"]`},
		{"date/quarter-year", "Q3-2024", `["=",["field",7,{"temporal-unit":"quarter"}],"2024-07-01"]`},
		{"date/single", "2024-03-05", `["=",["field",7,null],"2024-03-05"]`},
		{"date/relative", "past30fortnights", `["=",["field",7,null],"past30fortnights"]`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %v", tt.ptype, tt.value), func(t *testing.T) {
			e, err := parameterFilter(tt.ptype, f, tt.value)
			if err != nil {
				t.Fatalf("parameterFilter(%q, %v) = %v", tt.ptype, tt.value, err)
			}
			var w any
			if e != nil {
				w = sightline.WireExpr(e)
			}
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(w); err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(b.String()); got != tt.want {
				t.Errorf("parameterFilter(%q, %v) = %s, want %s", tt.ptype, tt.value, got, tt.want)
			}
		})
	}
	if _, err := parameterFilter("number/=", f, "28 OR 1=1"); sightline.ErrorCode(err) != sightline.EINVALID {
		t.Errorf(`parameterFilter("number/=", "28 OR 1=1") = %v, want EINVALID`, err)
	}
}
