package embed

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzOrigin checks that parsing an authorized origin never panics, that a
// parsed entry reads back as itself, and that an exact entry (no "*") lets
// in only the origin it names.
func FuzzOrigin(f *testing.F) {
	for _, seed := range [][2]string{
		{"https://app.example.com", "https://app.example.com"},
		{"https://app.example.com", "https://app.example.com.evil.example"},
		{"app.example.com:8443", "http://app.example.com:8443"},
		{"*.example.com", "https://a.example.com"},
		{"http://[::1]:3000", "http://[::1]:3000"},
		{"https://app.example.com", "https://evil.example#@app.example.com"},
		{"https://app.example.com", "https://app.example.com@evil.example"},
		{"*", "null"},
		{"https://app.example.com:*", "https://app.example.com:1"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, entry, header string) {
		origins, err := ParseOrigins(entry)
		if err != nil || len(origins) != 1 {
			return
		}
		o := origins[0]
		again, err := ParseOrigins(o.String())
		if err != nil || len(again) != 1 || again[0] != o {
			t.Fatalf("ParseOrigins(%q) = %+v, which reads back as %+v, %v", entry, o, again, err)
		}
		if o.Any || o.Subdomains || o.Port == "*" || o.Scheme == "" {
			Allowed(origins, header)
			return
		}
		if !Allowed(origins, o.String()) {
			t.Fatalf("Allowed(%q, %q) = false, want true", o, o.String())
		}
		if !Allowed(origins, header) {
			return
		}
		if got, want := canonical(header), canonical(o.String()); got != want || got == "" {
			t.Fatalf("Allowed(%q, %q) = true, but %q is not %q", o, header, got, want)
		}
	})
}

// canonical writes an origin as scheme://host:port with the default port
// spelled out, or "" when it is not an origin.
func canonical(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/") {
		return ""
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return u.Scheme + "://" + host + ":" + port
}
