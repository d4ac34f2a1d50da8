package auth

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSafeReturnTo checks that whatever SafeReturnTo accepts keeps the
// browser on this site: a relative answer is a single-slash path that no
// browser reading (tabs and newlines dropped, "\" read as "/", further
// percent-decoding) turns into another host, and an absolute answer names
// the site itself.
func FuzzSafeReturnTo(f *testing.F) {
	for _, seed := range []string{
		"", "/", "/dashboard/1?logo=false", "/question/1?a=1?logo=false",
		"https://bi.example.com/x", "//evil.example", `/\evil.example`,
		"/%2F%2Fevil.example", "/%252F%252Fevil.example", "/\t/evil.example",
		"javascript:alert(1)", "https:///evil.example", "/%5C%5Cevil.example",
		"/x#//evil.example", "/%09/evil.example", " //evil.example",
	} {
		f.Add(seed)
	}
	const site = "https://bi.example.com"
	f.Fuzz(func(t *testing.T, raw string) {
		out, err := SafeReturnTo(raw, site)
		if err != nil {
			return
		}
		if why := offSite(out, site); why != "" {
			t.Fatalf("SafeReturnTo(%q) = %q: %s", raw, out, why)
		}
		// Without a site URL only relative paths may pass.
		out, err = SafeReturnTo(raw, "")
		if err != nil {
			return
		}
		if !strings.HasPrefix(out, "/") {
			t.Fatalf("SafeReturnTo(%q, no site) = %q, want a relative path", raw, out)
		}
		if why := offSite(out, ""); why != "" {
			t.Fatalf("SafeReturnTo(%q, no site) = %q: %s", raw, out, why)
		}
	})
}

// offSite explains why a browser sent to out could leave site, or returns "".
func offSite(out, site string) string {
	for i := 0; i < len(out); i++ {
		if out[i] <= 0x20 || out[i] >= 0x7f {
			return "it holds a byte that does not belong in a Location header"
		}
	}
	if strings.Contains(out, `\`) {
		return "it holds a backslash"
	}
	if !strings.HasPrefix(out, "/") {
		u, err := url.Parse(out)
		if err != nil {
			return "it does not parse: " + err.Error()
		}
		s, _ := url.Parse(site)
		if site == "" || u.Scheme != s.Scheme || !strings.EqualFold(u.Hostname(), s.Hostname()) || u.User != nil {
			return "it is an absolute URL on another site"
		}
		out = u.EscapedPath()
		if out == "" {
			return ""
		}
	}
	path, _, _ := strings.Cut(out, "?")
	path, _, _ = strings.Cut(path, "#")
	for layer, p := 0, path; layer < 4; layer++ {
		b := strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(p)
		if !strings.HasPrefix(b, "/") || strings.HasPrefix(b, "//") {
			return "a browser reads its path " + p + " as another host"
		}
		if u, err := url.Parse(b); err != nil || u.Host != "" || u.Scheme != "" {
			return "its path " + p + " parses with a host or scheme"
		}
		d, err := url.PathUnescape(p)
		if err != nil || d == p {
			break
		}
		p = d
	}
	return ""
}
