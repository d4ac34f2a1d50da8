// Package embed holds the pure rules of interactive embedding: which origins
// may frame Sightline (the "Authorized origins" setting and the CSP
// frame-ancestors it produces) and the UI-hiding options a host passes on the
// first load of an embedded session.
package embed

import (
	"net"
	"net/url"
	"strconv"
	"strings"

	"sightline"
)

// Origin is one entry of the authorized origins setting.
type Origin struct {
	// Any is the "*" entry: every http or https origin.
	Any bool
	// Scheme is "http" or "https", or "" when the entry had none, in which
	// case both match.
	Scheme string
	// Host is lower case, without the "*." of a wildcard entry; an IPv6
	// address keeps its brackets.
	Host string
	// Subdomains is set for "*.example.com": any subdomain of Host matches,
	// Host itself does not.
	Subdomains bool
	// Port is "" for the scheme's default port, "*" for any port, or digits.
	Port string
}

// String returns the entry in the setting's own syntax.
func (o Origin) String() string {
	if o.Any {
		return "*"
	}
	var b strings.Builder
	if o.Scheme != "" {
		b.WriteString(o.Scheme + "://")
	}
	if o.Subdomains {
		b.WriteString("*.")
	}
	b.WriteString(o.Host)
	if o.Port != "" {
		b.WriteString(":" + o.Port)
	}
	return b.String()
}

// ParseOrigins reads the authorized origins setting: entries separated by
// spaces, each "*" or [scheme://]host[:port] where scheme is http or https
// (none means both), host may start with "*." (subdomains only, not the
// apex) and port may be "*" (any port). A trailing "/" is tolerated; paths,
// queries, user info and other schemes are not. An invalid entry is an
// EINVALID error naming it.
func ParseOrigins(s string) ([]Origin, error) {
	var out []Origin
	for _, entry := range strings.Fields(s) {
		o, err := parseOrigin(entry)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

func parseOrigin(entry string) (Origin, error) {
	invalid := func(why string) (Origin, error) {
		return Origin{}, sightline.Errorf(sightline.EINVALID, "Invalid authorized origin %q: %s.", entry, why)
	}
	if entry == "*" {
		return Origin{Any: true}, nil
	}
	var o Origin
	rest := entry
	if scheme, after, ok := strings.Cut(rest, "://"); ok {
		switch strings.ToLower(scheme) {
		case "http", "https":
			o.Scheme = strings.ToLower(scheme)
		default:
			return invalid("the scheme must be http or https")
		}
		rest = after
	}
	rest = strings.TrimSuffix(rest, "/")
	if strings.ContainsAny(rest, "/?#@\\") {
		return invalid("give only a scheme, a host and a port, without a path")
	}
	host, port := rest, ""
	if i := strings.LastIndex(rest, ":"); i >= 0 && !strings.HasSuffix(rest, "]") {
		host, port = rest[:i], rest[i+1:]
		if port != "*" {
			n, err := strconv.Atoi(port)
			if err != nil || n < 1 || n > 65535 || strings.HasPrefix(port, "0") || strings.HasPrefix(port, "+") {
				return invalid("the port must be a number from 1 to 65535 or *")
			}
		}
	}
	o.Port = port
	if after, ok := strings.CutPrefix(host, "*."); ok {
		o.Subdomains = true
		host = after
	}
	host = strings.ToLower(host)
	if !validHost(host, o.Subdomains) {
		return invalid("the host name is not valid")
	}
	o.Host = host
	return o, nil
}

// validHost accepts DNS names, IPv4 addresses and bracketed IPv6 addresses.
func validHost(h string, subdomains bool) bool {
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		ip := net.ParseIP(h[1 : len(h)-1])
		return !subdomains && ip != nil && ip.To4() == nil
	}
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// FrameAncestors returns the source list for a CSP frame-ancestors
// directive: "'none'" when there are no origins, otherwise one source per
// origin, with a scheme-less entry written once for http and once for https
// (a CSP source without a scheme would only match the page's own scheme).
func FrameAncestors(origins []Origin) string {
	if len(origins) == 0 {
		return "'none'"
	}
	var srcs []string
	seen := map[string]bool{}
	addSrc := func(s string) {
		if !seen[s] {
			seen[s] = true
			srcs = append(srcs, s)
		}
	}
	for _, o := range origins {
		if o.Any {
			addSrc("*")
			continue
		}
		if o.Scheme != "" {
			addSrc(o.String())
			continue
		}
		for _, scheme := range []string{"http", "https"} {
			c := o
			c.Scheme = scheme
			addSrc(c.String())
		}
	}
	return strings.Join(srcs, " ")
}

// Allowed reports whether origin (an Origin header value such as
// "https://app.example.com:8443") matches one of origins. "null", malformed
// values and schemes other than http and https never match.
func Allowed(origins []Origin, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	port := u.Port()
	defaultPort := port == "" || (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443")
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	for _, o := range origins {
		if o.Any {
			return true
		}
		if o.Scheme != "" && o.Scheme != u.Scheme {
			continue
		}
		if o.Subdomains {
			if !strings.HasSuffix(host, "."+o.Host) {
				continue
			}
		} else if host != o.Host {
			continue
		}
		switch o.Port {
		case "*":
		case "":
			if !defaultPort {
				continue
			}
		default:
			if o.Port != port {
				continue
			}
		}
		return true
	}
	return false
}
