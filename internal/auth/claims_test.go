package auth

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

// decode parses JSON claims the way VerifyJWT returns them (json.Number).
func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return m
}

func TestIdentityFromClaims(t *testing.T) {
	tests := []struct {
		name     string
		claims   string
		names    ClaimNames
		want     Identity
		warnings int
	}{
		{
			name:   "walkthrough token",
			claims: `{"email":"rene@acme.example","first_name":"Rene","last_name":"Mercier","groups":["Customer-Acme"],"account_id":28,"exp":1800000000}`,
			want: Identity{Email: "rene@acme.example", FirstName: ptr("Rene"), LastName: ptr("Mercier"),
				Groups: []string{"Customer-Acme"}, GroupsPresent: true, Attributes: map[string]string{"account_id": "28"}},
		},
		{
			name: "attributes of every JSON type",
			claims: `{"email":"a@b.example","s":"text","int":28,"neg":-7,"float":2.5,"exp1":1e3,"whole":28.0,
				"big":12345678901234567890,"tiny":1.5e-7,"t":true,"f":false,
				"arr":[1,2],"obj":{"a":1},"nul":null,"exp":1800000000}`,
			want: Identity{Email: "a@b.example", Attributes: map[string]string{
				"s": "text", "int": "28", "neg": "-7", "float": "2.5", "exp1": "1000", "whole": "28",
				"big": "12345678901234567890", "tiny": "1.5e-07", "t": "true", "f": "false",
			}},
			warnings: 3,
		},
		{
			name: "registered and reserved claims are not stored",
			claims: `{"email":"a@b.example","iss":"host","sub":"42","aud":"sightline","exp":1,"nbf":1,"iat":1,"jti":"x",
				"@internal":"y","first_name":"A","last_name":"B","groups":[],"tenant":"acme"}`,
			want: Identity{Email: "a@b.example", FirstName: ptr("A"), LastName: ptr("B"),
				Groups: []string{}, GroupsPresent: true, Attributes: map[string]string{"tenant": "acme"}},
		},
		{
			name:   "names absent, null or blank are nil",
			claims: `{"email":" a@b.example ","first_name":null,"last_name":"  "}`,
			want:   Identity{Email: "a@b.example", Attributes: map[string]string{}},
		},
		{
			name:     "name of the wrong type is ignored with a warning",
			claims:   `{"email":"a@b.example","first_name":7}`,
			want:     Identity{Email: "a@b.example", Attributes: map[string]string{}},
			warnings: 1,
		},
		{
			name:   "single group string is a one-element list",
			claims: `{"email":"a@b.example","groups":"Customer-Acme"}`,
			want:   Identity{Email: "a@b.example", Groups: []string{"Customer-Acme"}, GroupsPresent: true, Attributes: map[string]string{}},
		},
		{
			name:     "non-string group items are skipped",
			claims:   `{"email":"a@b.example","groups":["A",3,"B"]}`,
			want:     Identity{Email: "a@b.example", Groups: []string{"A", "B"}, GroupsPresent: true, Attributes: map[string]string{}},
			warnings: 1,
		},
		{
			name:   "null groups are absent",
			claims: `{"email":"a@b.example","groups":null}`,
			want:   Identity{Email: "a@b.example", Attributes: map[string]string{}},
		},
		{
			name:   "custom claim names",
			claims: `{"mail":"a@b.example","given":"Ann","family":"Lee","roles":["X"],"email":"other@b.example","first_name":"Z"}`,
			names:  ClaimNames{Email: "mail", FirstName: "given", LastName: "family", Groups: "roles"},
			want: Identity{Email: "a@b.example", FirstName: ptr("Ann"), LastName: ptr("Lee"), Groups: []string{"X"}, GroupsPresent: true,
				Attributes: map[string]string{"email": "other@b.example", "first_name": "Z"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warnings, err := IdentityFromClaims(decode(t, tt.claims), tt.names)
			if err != nil {
				t.Fatalf("IdentityFromClaims(%s) error: %v", tt.claims, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("IdentityFromClaims(%s) mismatch (-want +got):\n%s", tt.claims, diff)
			}
			if len(warnings) != tt.warnings {
				t.Errorf("IdentityFromClaims(%s) warnings = %q, want %d", tt.claims, warnings, tt.warnings)
			}
		})
	}
}

func TestIdentityFromClaimsWarningText(t *testing.T) {
	_, warnings, err := IdentityFromClaims(decode(t, `{"email":"a@b.example","teams":["x"]}`), ClaimNames{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`JWT claim "teams" is an array; only strings, numbers and booleans are stored as user attributes, so it was dropped`}
	if diff := cmp.Diff(want, warnings); diff != "" {
		t.Errorf("warnings mismatch (-want +got):\n%s", diff)
	}
}

func TestIdentityFromClaimsGoValues(t *testing.T) {
	claims := map[string]any{"email": "a@b.example", "n": float64(28), "f": 2.5, "i": 7}
	got, _, err := IdentityFromClaims(claims, ClaimNames{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"n": "28", "f": "2.5", "i": "7"}
	if diff := cmp.Diff(want, got.Attributes); diff != "" {
		t.Errorf("Attributes mismatch (-want +got):\n%s", diff)
	}
}

func TestIdentityFromClaimsMissingEmail(t *testing.T) {
	for _, claims := range []string{`{"first_name":"A"}`, `{"email":""}`, `{"email":null}`, `{"email":42}`} {
		t.Run(claims, func(t *testing.T) {
			_, _, err := IdentityFromClaims(decode(t, claims), ClaimNames{})
			if sightline.ErrorCode(err) != sightline.EINVALID || sightline.ErrorMessage(err) != "JWT token missing email claim" {
				t.Errorf("IdentityFromClaims(%s) = %v, want EINVALID JWT token missing email claim", claims, err)
			}
		})
	}
}
