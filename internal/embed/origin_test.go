package embed

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

func TestParseOrigins(t *testing.T) {
	tests := []struct {
		in   string
		want []Origin
	}{
		{"", nil},
		{"   ", nil},
		{"*", []Origin{{Any: true}}},
		{"http://localhost:8080", []Origin{{Scheme: "http", Host: "localhost", Port: "8080"}}},
		{"localhost:8080", []Origin{{Host: "localhost", Port: "8080"}}},
		{"HTTPS://App.Example.com/", []Origin{{Scheme: "https", Host: "app.example.com"}}},
		{"*.example.com", []Origin{{Host: "example.com", Subdomains: true}}},
		{"https://*.example.com:*", []Origin{{Scheme: "https", Host: "example.com", Subdomains: true, Port: "*"}}},
		{"localhost:*", []Origin{{Host: "localhost", Port: "*"}}},
		{"127.0.0.1:3000", []Origin{{Host: "127.0.0.1", Port: "3000"}}},
		{"http://[::1]:8080", []Origin{{Scheme: "http", Host: "[::1]", Port: "8080"}}},
		{"a.example  \t b.example\nhttps://c.example", []Origin{
			{Host: "a.example"}, {Host: "b.example"}, {Scheme: "https", Host: "c.example"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseOrigins(tt.in)
			if err != nil {
				t.Fatalf("ParseOrigins(%q) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseOrigins(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseOriginsInvalid(t *testing.T) {
	tests := []struct{ in, entry string }{
		{"ftp://example.com", "ftp://example.com"},
		{"good.example http://bad.example/path", "http://bad.example/path"},
		{"example.com:0", "example.com:0"},
		{"example.com:70000", "example.com:70000"},
		{"example.com:", "example.com:"},
		{"example.com:abc", "example.com:abc"},
		{"ex*ample.com", "ex*ample.com"},
		{"*.", "*."},
		{"http://", "http://"},
		{"https://user@example.com", "https://user@example.com"},
		{"example.com?x=1", "example.com?x=1"},
		{"-bad.example", "-bad.example"},
		{"a..example", "a..example"},
		{"example.com;script-src", "example.com;script-src"},
		{"example.com,evil.com", "example.com,evil.com"},
		{"'self'", "'self'"},
		{"*.[::1]", "*.[::1]"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseOrigins(tt.in)
			if sightline.ErrorCode(err) != sightline.EINVALID {
				t.Fatalf("ParseOrigins(%q) = %v, %v, want an EINVALID error", tt.in, got, err)
			}
			if msg := sightline.ErrorMessage(err); !strings.Contains(msg, `"`+tt.entry+`"`) {
				t.Errorf("ParseOrigins(%q) message = %q, want it to name %q", tt.in, msg, tt.entry)
			}
		})
	}
}

func TestFrameAncestors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "'none'"},
		{"*", "*"},
		{"http://localhost:8080", "http://localhost:8080"},
		{"localhost:8080", "http://localhost:8080 https://localhost:8080"},
		{"*.example.com https://app.test:* https://app.test:*", "http://*.example.com https://*.example.com https://app.test:*"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			origins, err := ParseOrigins(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := FrameAncestors(origins); got != tt.want {
				t.Errorf("FrameAncestors(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAllowed(t *testing.T) {
	tests := []struct {
		origins, origin string
		want            bool
	}{
		{"", "http://localhost:8080", false},
		{"*", "http://anything.example:1234", true},
		{"*", "null", false},
		{"http://localhost:8080", "http://localhost:8080", true},
		{"http://localhost:8080", "https://localhost:8080", false},
		{"http://localhost:8080", "http://localhost:8081", false},
		{"http://localhost:8080", "http://localhost", false},
		{"localhost:8080", "https://localhost:8080", true},
		{"localhost:8080", "http://LOCALHOST:8080", true},
		{"localhost", "http://localhost", true},
		{"localhost", "http://localhost:80", true},
		{"localhost", "https://localhost:443", true},
		{"localhost", "http://localhost:8080", false},
		{"localhost:*", "http://localhost:5173", true},
		{"localhost:*", "http://localhost", true},
		{"*.example.com", "https://app.example.com", true},
		{"*.example.com", "https://a.b.example.com", true},
		{"*.example.com", "https://example.com", false},
		{"*.example.com", "https://badexample.com", false},
		{"*.example.com", "https://example.com.evil.test", false},
		{"example.com", "https://app.example.com", false},
		{"https://*.example.com:*", "https://app.example.com:9443", true},
		{"https://*.example.com:*", "http://app.example.com:9443", false},
		{"http://[::1]:8080", "http://[::1]:8080", true},
		{"localhost:8080", "http://localhost:8080/", true},
		{"localhost:8080", "http://localhost:8080/path", false},
		{"localhost:8080", "ftp://localhost:8080", false},
		{"localhost:8080", "http://user@localhost:8080", false},
		{"localhost:8080", "", false},
		{"localhost:8080", "localhost:8080", false},
	}
	for _, tt := range tests {
		t.Run(tt.origins+" "+tt.origin, func(t *testing.T) {
			origins, err := ParseOrigins(tt.origins)
			if err != nil {
				t.Fatal(err)
			}
			if got := Allowed(origins, tt.origin); got != tt.want {
				t.Errorf("Allowed(%q, %q) = %v, want %v", tt.origins, tt.origin, got, tt.want)
			}
		})
	}
}
