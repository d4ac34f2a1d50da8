package web

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"sightline"
	"sightline/internal/app"
)

func TestFormatCell(t *testing.T) {
	col := func(base, semantic string) app.Column { return app.Column{BaseType: base, SemanticType: semantic} }
	money := col(sightline.BaseDecimal, sightline.SemanticCurrency)
	text := col(sightline.BaseText, "")
	long := "a" + strings.Repeat("é", 298) + "bc" // 301 characters
	tests := []struct {
		name string
		c    app.Column
		v    any
		want string
	}{
		{"null", text, nil, `<span class="null">—</span>`},
		{"currency", money, 1234567.5, "1,234,567.50"},
		{"negative currency", money, -1234.5, "-1,234.50"},
		{"whole currency", money, int64(2950), "2,950.00"},
		{"integer", col(sightline.BaseInteger, ""), int64(-1234567), "-1,234,567"},
		{"key", col(sightline.BaseInteger, sightline.SemanticPK), int64(1234567), "1234567"},
		{"float", col(sightline.BaseFloat, ""), 1234.25, "1,234.25"},
		{"whole float", col(sightline.BaseFloat, ""), 3.0, "3"},
		{"longitude", col(sightline.BaseFloat, sightline.SemanticLongitude), -98.655137, "-98.65514"},
		{"true", col(sightline.BaseBoolean, ""), true, "true"},
		{"false", col(sightline.BaseBoolean, ""), false, "false"},
		{"date", col(sightline.BaseDate, ""), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), "February 29, 2024"},
		{"timestamp", col(sightline.BaseDateTime, ""), time.Date(2024, 2, 29, 13, 5, 0, 0, time.UTC), "February 29, 2024, 1:05 PM"},
		{"timestamp at midnight", col(sightline.BaseDateTime, ""), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), "February 29, 2024"},
		{"email", col(sightline.BaseText, sightline.SemanticEmail), `a"b@example.com`, `<a href="mailto:a&#34;b@example.com">a&#34;b@example.com</a>`},
		{"web address", col(sightline.BaseText, sightline.SemanticURL), "https://example.com/?a=1&b=2",
			`<a href="https://example.com/?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">https://example.com/?a=1&amp;b=2</a>`},
		{"script address", col(sightline.BaseText, sightline.SemanticURL), "javascript:alert(1)", "javascript:alert(1)"},
		{"markup", text, "<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"},
		{"long text by characters", text, long, "a" + strings.Repeat("é", 298) + "b…"},
		{"text of the limit", text, long[:len(long)-1], long[:len(long)-1]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(formatCell(tt.c, tt.v))
			if got != tt.want {
				t.Errorf("formatCell(%s %s, %v) = %q, want %q", tt.c.BaseType, tt.c.SemanticType, tt.v, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("formatCell(%s %s, %v) = %q, which is not valid UTF-8", tt.c.BaseType, tt.c.SemanticType, tt.v, got)
			}
		})
	}
}
