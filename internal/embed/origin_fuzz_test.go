package embed

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzOrigin checks that parsing an authorized origin never panics, that a
// parsed entry reads back as itself and lets in the origin it names, and
// that whatever it lets in is within it: the same scheme (when given), the
// host itself or, for "*.", one of its subdomains, and the same port
// (when not "*").
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
		if o.Any {
			Allowed(origins, header)
			return
		}
		if o.Scheme != "" && !o.Subdomains && o.Port != "*" && !Allowed(origins, o.String()) {
			t.Fatalf("Allowed(%q, %q) = false, want true", o, o.String())
		}
		if !Allowed(origins, header) {
			return
		}
		if why := outside(o, canonical(header)); why != "" {
			t.Fatalf("Allowed(%q, %q) = true, but %s", o, header, why)
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

// outside explains why the canonical origin c (scheme://host:port) is not
// covered by o, or returns "".
func outside(o Origin, c string) string {
	if c == "" {
		return "it is not an origin"
	}
	scheme, rest, _ := strings.Cut(c, "://")
	i := strings.LastIndex(rest, ":")
	host, port := rest[:i], rest[i+1:]
	switch {
	case o.Scheme != "" && scheme != o.Scheme:
		return "its scheme " + scheme + " is another"
	case !o.Subdomains && host != o.Host:
		return "its host " + host + " is another"
	case o.Subdomains && !strings.HasSuffix(host, "."+o.Host):
		return "its host " + host + " is no subdomain of " + o.Host
	case o.Port == "" && port != map[string]string{"http": "80", "https": "443"}[scheme]:
		return "its port " + port + " is not the default"
	case o.Port != "" && o.Port != "*" && port != o.Port:
		return "its port " + port + " is another"
	}
	return ""
}
