package web

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"sightline"
	"sightline/internal/app"
)

// formatCell renders one value for a table view by its column's types:
// money with two decimals, numbers with thousands separators, dates without
// zero times, booleans as words, emails and URLs as links.
func formatCell(c app.Column, v any) template.HTML {
	if v == nil {
		return `<span class="null">—</span>`
	}
	esc := template.HTMLEscapeString
	switch x := v.(type) {
	case bool:
		if x {
			return "true"
		}
		return "false"
	case int64:
		if c.SemanticType == sightline.SemanticPK || c.SemanticType == sightline.SemanticFK {
			return template.HTML(strconv.FormatInt(x, 10))
		}
		if c.SemanticType == sightline.SemanticCurrency {
			return template.HTML(groupThousands(strconv.FormatFloat(float64(x), 'f', 2, 64)))
		}
		return template.HTML(groupThousands(strconv.FormatInt(x, 10)))
	case float64:
		if c.SemanticType == sightline.SemanticCurrency {
			return template.HTML(groupThousands(strconv.FormatFloat(x, 'f', 2, 64)))
		}
		if c.SemanticType == sightline.SemanticLatitude || c.SemanticType == sightline.SemanticLongitude {
			return template.HTML(strconv.FormatFloat(x, 'f', 5, 64))
		}
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return template.HTML(groupThousands(strconv.FormatFloat(x, 'f', 0, 64)))
		}
		return template.HTML(groupThousands(strconv.FormatFloat(x, 'f', -1, 64)))
	case time.Time:
		return template.HTML(esc(formatTime(x, c.BaseType)))
	case string:
		switch c.SemanticType {
		case sightline.SemanticEmail:
			return template.HTML(`<a href="mailto:` + esc(x) + `">` + esc(x) + `</a>`)
		case sightline.SemanticURL:
			if u, err := url.Parse(x); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
				return template.HTML(`<a href="` + esc(x) + `" rel="noopener noreferrer" target="_blank">` + esc(x) + `</a>`)
			}
		}
		return template.HTML(esc(truncate(x, maxCellRunes)))
	}
	return template.HTML(esc(fmt.Sprint(v)))
}

// maxCellRunes is how many characters of a text value a table cell shows.
const maxCellRunes = 300

// truncate shortens s to n characters and an ellipsis, never cutting a
// character's UTF-8 encoding in two.
func truncate(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos] + "…"
		}
		i++
	}
	return s
}

func formatTime(t time.Time, base string) string {
	if base == sightline.BaseDate || (t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0) {
		return t.Format("January 2, 2006")
	}
	return t.Format("January 2, 2006, 3:04 PM")
}

// groupThousands puts commas into the integer part of a decimal string.
func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// isNumericColumn tells templates to right-align a column.
func isNumericColumn(c app.Column) bool {
	return sightline.IsNumeric(c.BaseType) && c.SemanticType != sightline.SemanticPK && c.SemanticType != sightline.SemanticFK
}
