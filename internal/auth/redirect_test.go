package auth

import (
	"testing"

	"sightline"
)

func TestSafeReturnTo(t *testing.T) {
	const site = "https://bi.example.com"
	tests := []struct {
		raw    string
		noSite bool   // site-url not set
		want   string // "" means refused
	}{
		{raw: "", want: "/"},
		{raw: "/", want: "/"},
		{raw: "/dashboard/1", want: "/dashboard/1"},
		{raw: "/dashboard/1-a-look-at-your-invoices-table", want: "/dashboard/1-a-look-at-your-invoices-table"},
		{raw: "/dashboard/1?logo=false&top_nav=false", want: "/dashboard/1?logo=false&top_nav=false"},
		{raw: "/question/1?a=1?logo=false", want: "/question/1?a=1?logo=false"},
		{raw: "/question/1?q=a b&x=<y>", want: "/question/1?q=a%20b&x=%3Cy%3E"},
		{raw: "/search?q=100%25", want: "/search?q=100%25"},
		{raw: "/search?next=//evil.example", want: "/search?next=//evil.example"},
		{raw: "/dashboard/1#tab-2", want: "/dashboard/1#tab-2"},
		{raw: "/collection/r%C3%A9sum%C3%A9", want: "/collection/r%C3%A9sum%C3%A9"},
		{raw: "https://bi.example.com/dashboard/1?logo=false", want: "https://bi.example.com/dashboard/1?logo=false"},
		{raw: "https://BI.example.com:443/x", want: "https://bi.example.com:443/x"},
		{raw: "https://bi.example.com", want: "https://bi.example.com/"},
		{raw: "/dashboard/1", noSite: true, want: "/dashboard/1"},

		{raw: "https://evil.example"},
		{raw: "https://evil.example/dashboard/1"},
		{raw: "http://bi.example.com/dashboard/1"},
		{raw: "https://bi.example.com:8443/x"},
		{raw: "https://bi.example.com.evil.example/x"},
		{raw: "https://bi.example.com@evil.example/"},
		{raw: "https://user@bi.example.com/"},
		{raw: "https://bi.example.com/x", noSite: true},
		{raw: "//evil.example"},
		{raw: "//evil.example/dashboard/1"},
		{raw: `/\evil.example`},
		{raw: `\\evil.example`},
		{raw: `\/evil.example`},
		{raw: "https:///evil.example"},
		{raw: "https:evil.example"},
		{raw: "javascript:alert(1)"},
		{raw: "JavaScript:alert(1)"},
		{raw: "data:text/html,<script>alert(1)</script>"},
		{raw: "vbscript:msgbox"},
		{raw: "dashboard/1"},
		{raw: "/\t/evil.example"},
		{raw: "/dashboard/1\r\nSet-Cookie: x=1"},
		{raw: "/dashboard/1\x00"},
		{raw: "/%2F%2Fevil.example"},
		{raw: "/%2fevil.example"},
		{raw: "/%5Cevil.example"},
		{raw: "/%252F%252Fevil.example"},
		{raw: "%2F%2Fevil.example"},
		{raw: "javascript%3Aalert(1)"},
		{raw: "/%0d%0aSet-Cookie:x=1"},
		{raw: "/%09/evil.example"},
		{raw: "/a/../..//evil.example"},
		{raw: "/../evil"},
		{raw: "/a/%2e%2e/b"},
		{raw: "/a/b\\c"},
		{raw: "/a\u2028b"},
	}
	for _, tt := range tests {
		site := site
		if tt.noSite {
			site = ""
		}
		t.Run(tt.raw, func(t *testing.T) {
			got, err := SafeReturnTo(tt.raw, site)
			if tt.want == "" {
				if err == nil || sightline.ErrorCode(err) != sightline.EINVALID || sightline.ErrorMessage(err) != "Invalid redirect URL" {
					t.Errorf("SafeReturnTo(%q, %q) = %q, %v, want EINVALID Invalid redirect URL", tt.raw, site, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("SafeReturnTo(%q, %q) = %q, %v, want %q", tt.raw, site, got, err, tt.want)
			}
		})
	}
}

func TestIdentityProviderURL(t *testing.T) {
	tests := []struct {
		idp, redirect, want string
	}{
		{"http://localhost:8080/sso/sightline", "", "http://localhost:8080/sso/sightline"},
		{"http://localhost:8080/sso/sightline", "/dashboard/1", "http://localhost:8080/sso/sightline?return_to=%2Fdashboard%2F1"},
		{"http://localhost:8080/sso?app=bi", "/dashboard/1", "http://localhost:8080/sso?app=bi&return_to=%2Fdashboard%2F1"},
		{"http://localhost:8080/sso?", "/x", "http://localhost:8080/sso?return_to=%2Fx"},
		{"http://localhost:8080/sso#frag", "/x", "http://localhost:8080/sso?return_to=%2Fx#frag"},
		{"http://localhost:8080/sso", "/question/1?a=1&logo=false", "http://localhost:8080/sso?return_to=%2Fquestion%2F1%3Fa%3D1%26logo%3Dfalse"},
	}
	for _, tt := range tests {
		t.Run(tt.idp+" "+tt.redirect, func(t *testing.T) {
			if got := IdentityProviderURL(tt.idp, tt.redirect); got != tt.want {
				t.Errorf("IdentityProviderURL(%q, %q) = %q, want %q", tt.idp, tt.redirect, got, tt.want)
			}
		})
	}
}
