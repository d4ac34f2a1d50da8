package auth

import (
	"net/url"
	"strings"

	"sightline"
)

// SafeReturnTo checks where a person may be sent after signing in and
// returns the value to put in the Location header. raw is the return_to
// parameter (already decoded once, as url.Values gives it); "" means "/".
//
// Accepted: a path starting with a single "/", or an absolute http(s) URL
// with the same scheme, host and port as siteURL. Refused, with EINVALID
// "Invalid redirect URL": other hosts ("https://evil.example"), scheme-relative
// and backslash forms ("//evil.example", "/\evil.example"), an empty host
// ("https:///evil.example"), other schemes ("javascript:", "data:"), user
// info, control characters, ".." segments, and any of these hidden behind
// percent-encoding (up to three layers).
//
// The query string and fragment are kept, including the odd
// "/question/1?a=1?logo=false" form that some hosts produce; characters that
// do not belong in a header are percent-encoded.
func SafeReturnTo(raw, siteURL string) (string, error) {
	invalid := sightline.Errorf(sightline.EINVALID, "Invalid redirect URL")
	raw = strings.Trim(raw, " ")
	if raw == "" {
		return "/", nil
	}
	if hasControl(raw) {
		return "", invalid
	}
	// A browser strips tabs and newlines and treats "\" as "/", and a
	// later hop may decode again, so every decoded layer of a relative
	// value must still be relative.
	relative := !hasScheme(raw)
	for s, i := raw, 0; i < 3; i++ {
		d, err := url.PathUnescape(s)
		if err != nil || d == s {
			break
		}
		if hasControl(d) || relative && badStart(d) {
			return "", invalid
		}
		s = d
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || u.User != nil {
		return "", invalid
	}
	var prefix string
	switch {
	case u.Scheme == "" && u.Host == "":
		if !strings.HasPrefix(raw, "/") {
			return "", invalid
		}
	case u.Scheme == "http" || u.Scheme == "https":
		site, err := url.Parse(siteURL)
		if err != nil || siteURL == "" || u.Host == "" || !sameOrigin(u, site) {
			return "", invalid
		}
		prefix = u.Scheme + "://" + strings.ToLower(u.Host)
	default:
		return "", invalid
	}
	if !cleanPath(u.Path) {
		return "", invalid
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	out := prefix + path
	if u.RawQuery != "" || u.ForceQuery {
		out += "?" + escapeLoose(u.RawQuery)
	}
	if u.Fragment != "" {
		out += "#" + escapeLoose(u.EscapedFragment())
	}
	return out, nil
}

// badStart reports a decoded text that a browser would read as another host.
func badStart(s string) bool {
	s = strings.TrimLeft(s, " ")
	return strings.HasPrefix(s, "//") || strings.HasPrefix(s, `\`) || strings.HasPrefix(s, `/\`) ||
		hasScheme(s)
}

// hasScheme reports whether s starts with "letters:" before any "/", "?" or "#".
func hasScheme(s string) bool {
	i := strings.IndexAny(s, ":/?#")
	if i <= 0 || s[i] != ':' {
		return false
	}
	for _, r := range s[:i] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// cleanPath checks a decoded path, and the paths hidden in further layers of
// percent-encoding, for backslashes, empty segments and "..".
func cleanPath(p string) bool {
	for i := 0; i < 3; i++ {
		if strings.Contains(p, `\`) || strings.Contains(p, "//") || hasControl(p) {
			return false
		}
		for _, seg := range strings.Split(p, "/") {
			if seg == ".." {
				return false
			}
		}
		d, err := url.PathUnescape(p)
		if err != nil {
			return false
		}
		if d == p {
			return true
		}
		p = d
	}
	return false
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return strings.ContainsRune(s, '\u2028') || strings.ContainsRune(s, '\u2029')
}

// sameOrigin compares scheme, host and port, filling in default ports.
func sameOrigin(u, site *url.URL) bool {
	return strings.EqualFold(u.Scheme, site.Scheme) &&
		strings.EqualFold(u.Hostname(), site.Hostname()) &&
		effectivePort(u) == effectivePort(site)
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// escapeLoose percent-encodes the bytes that do not belong in a URL (spaces,
// quotes, angle brackets, non-ASCII, stray "%") and keeps the rest, so the
// query's meaning is unchanged.
func escapeLoose(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(c)
		case c > 0x20 && c < 0x7f && c != '%' && !strings.ContainsRune("\"<>\\^`{|}", rune(c)):
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// IdentityProviderURL returns where /auth/sso sends a person who has no
// token: the identity provider URI, with return_to=<redirect> appended
// (after "&" when the URI already has a query, "?" otherwise, and before any
// fragment). An empty redirect leaves the URI unchanged.
func IdentityProviderURL(idp string, redirect string) string {
	if redirect == "" {
		return idp
	}
	base, frag, hasFrag := strings.Cut(idp, "#")
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
		if strings.HasSuffix(base, "?") || strings.HasSuffix(base, "&") {
			sep = ""
		}
	}
	out := base + sep + "return_to=" + url.QueryEscape(redirect)
	if hasFrag {
		out += "#" + frag
	}
	return out
}
