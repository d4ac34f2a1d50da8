package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"

	"sightline"
)

// testSecret is a key as "Generate key" makes it: 64 hex characters, used
// as its UTF-8 bytes.
const testSecret = "3b1e0f7a9c5d2e4f6a8b0c1d3e5f7a9b1c3d5e7f9a0b2c4d6e8f0a1b3c5d7e9f"

var testNow = time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)

func sign(t testing.TB, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return s
}

func validClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"email":      "rene@acme.example",
		"first_name": "Rene",
		"last_name":  "Mercier",
		"groups":     []string{"Customer-Acme"},
		"account_id": 28,
		"exp":        testNow.Add(10 * time.Minute).Unix(),
	}
}

func with(c jwt.MapClaims, kv ...any) jwt.MapClaims {
	out := jwt.MapClaims{}
	for k, v := range c {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// tamper replaces the payload of a signed token, keeping its signature.
func tamper(t *testing.T, token string, claims jwt.MapClaims) string {
	t.Helper()
	parts := strings.Split(token, ".")
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(parts, ".")
}

func TestVerifyJWT(t *testing.T) {
	secret := []byte(testSecret)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	good := sign(t, jwt.SigningMethodHS256, secret, validClaims())
	unixAt := func(d time.Duration) int64 { return testNow.Add(d).Unix() }

	tests := []struct {
		name    string
		token   string
		secret  []byte
		code    string
		message string
	}{
		{"valid", good, secret, "", ""},
		{"alg none", sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, validClaims()), secret,
			sightline.EUNAUTHORIZED, "JWT algorithm none is not allowed; use HS256"},
		{"HS512", sign(t, jwt.SigningMethodHS512, secret, validClaims()), secret,
			sightline.EUNAUTHORIZED, "JWT algorithm HS512 is not allowed; use HS256"},
		{"HS384", sign(t, jwt.SigningMethodHS384, secret, validClaims()), secret,
			sightline.EUNAUTHORIZED, "JWT algorithm HS384 is not allowed; use HS256"},
		{"RS256", sign(t, jwt.SigningMethodRS256, rsaKey, validClaims()), secret,
			sightline.EUNAUTHORIZED, "JWT algorithm RS256 is not allowed; use HS256"},
		{"unknown alg", tamperHeader(t, good, `{"alg":"XY999","typ":"JWT"}`), secret,
			sightline.EUNAUTHORIZED, "JWT algorithm XY999 is not allowed; use HS256"},
		{"no alg", tamperHeader(t, good, `{"typ":"JWT"}`), secret,
			sightline.EUNAUTHORIZED, "JWT token does not name its algorithm; use HS256"},
		{"wrong key", sign(t, jwt.SigningMethodHS256, []byte("another secret"), validClaims()), secret,
			sightline.EUNAUTHORIZED, "JWT signature is invalid"},
		{"hex-decoded key is not the key", good, mustHex(t, testSecret), sightline.EUNAUTHORIZED, "JWT signature is invalid"},
		{"tampered payload", tamper(t, good, with(validClaims(), "account_id", 13)), secret,
			sightline.EUNAUTHORIZED, "JWT signature is invalid"},
		{"malformed", "not.a-token", secret, sightline.EUNAUTHORIZED, "JWT token is malformed"},
		{"two segments", "abc.def", secret, sightline.EUNAUTHORIZED, "JWT token is malformed"},
		{"empty", "", secret, sightline.EUNAUTHORIZED, "JWT token is missing"},
		{"too large", strings.Repeat("a", 20000), secret, sightline.EUNAUTHORIZED, "JWT token is too large"},
		{"no secret", good, nil, sightline.EINVALID, "JWT authentication is not configured: no shared secret is set."},
		{"expired", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", unixAt(-time.Second))), secret,
			sightline.EUNAUTHORIZED, "JWT token has expired"},
		{"expires now", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", unixAt(0))), secret,
			sightline.EUNAUTHORIZED, "JWT token has expired"},
		{"iat 5 minutes old", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "iat", unixAt(-5*time.Minute))), secret,
			sightline.EUNAUTHORIZED, "JWT token is too old: issued more than 180 seconds ago"},
		{"iat 179 s old", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "iat", unixAt(-179*time.Second), "exp", unixAt(5*time.Minute))), secret, "", ""},
		{"iat only, fresh", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", nil, "iat", unixAt(-10*time.Second))), secret, "", ""},
		{"iat 30 s ahead (skew)", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "iat", unixAt(30*time.Second))), secret, "", ""},
		{"iat 5 minutes ahead", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "iat", unixAt(5*time.Minute))), secret,
			sightline.EUNAUTHORIZED, "JWT token was issued in the future; check the clock of the host application"},
		{"nbf 30 s ahead (skew)", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "nbf", unixAt(30*time.Second))), secret, "", ""},
		{"nbf 2 minutes ahead", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "nbf", unixAt(2*time.Minute))), secret,
			sightline.EUNAUTHORIZED, "JWT token is not valid yet (nbf is in the future)"},
		{"no exp and no iat", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", nil)), secret,
			sightline.EUNAUTHORIZED, "JWT token has neither exp nor iat, so it would never expire; add exp"},
		{"exp null and no iat", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", json.RawMessage("null"))), secret,
			sightline.EUNAUTHORIZED, "JWT token has neither exp nor iat, so it would never expire; add exp"},
		{"exp a string", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", "tomorrow")), secret,
			sightline.EUNAUTHORIZED, "JWT exp claim is not a number of seconds"},
		{"fractional exp", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", float64(unixAt(time.Minute))+0.5)), secret, "", ""},
		{"exp a year ahead", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", unixAt(365*24*time.Hour))), secret,
			sightline.EUNAUTHORIZED, "JWT token lives too long: its exp is more than 600 seconds after it was issued; sign tokens that expire within 600 seconds"},
		{"exp 12 minutes ahead", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", unixAt(12*time.Minute))), secret,
			sightline.EUNAUTHORIZED, "JWT token lives too long: its exp is more than 600 seconds after it was issued; sign tokens that expire within 600 seconds"},
		{"exp 10.5 minutes ahead (skew)", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", unixAt(10*time.Minute+30*time.Second))), secret, "", ""},
		{"exp 10 minutes after iat", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "iat", unixAt(-time.Minute), "exp", unixAt(9*time.Minute))), secret, "", ""},
		{"exp 10 minutes and 1 s after iat (rounding)", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "iat", unixAt(-time.Minute), "exp", unixAt(9*time.Minute+time.Second))), secret, "", ""},
		{"exp 12 minutes after iat", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "iat", unixAt(-time.Minute), "exp", unixAt(11*time.Minute))), secret,
			sightline.EUNAUTHORIZED, "JWT token lives too long: its exp is more than 600 seconds after it was issued; sign tokens that expire within 600 seconds"},
		{"exp far after an old iat", sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "iat", unixAt(-time.Minute), "exp", unixAt(24*time.Hour))), secret,
			sightline.EUNAUTHORIZED, "JWT token lives too long: its exp is more than 600 seconds after it was issued; sign tokens that expire within 600 seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims, err := VerifyJWT(tt.token, tt.secret, testNow, 0)
			if got := sightline.ErrorCode(err); got != tt.code {
				t.Fatalf("VerifyJWT(%s) code = %q (%v), want %q", tt.name, got, err, tt.code)
			}
			if tt.code == "" {
				if claims["email"] != "rene@acme.example" {
					t.Errorf("VerifyJWT(%s) email = %v, want rene@acme.example", tt.name, claims["email"])
				}
				return
			}
			if got := sightline.ErrorMessage(err); got != tt.message {
				t.Errorf("VerifyJWT(%s) message = %q, want %q", tt.name, got, tt.message)
			}
		})
	}
}

func tamperHeader(t *testing.T, token, header string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	parts[0] = base64.RawURLEncoding.EncodeToString([]byte(header))
	return strings.Join(parts, ".")
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	var b []byte
	if _, err := fmt.Sscanf(s, "%x", &b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerifyJWTMaxLifetime(t *testing.T) {
	secret := []byte(testSecret)
	tests := []struct {
		name     string
		exp      time.Duration // after testNow; no iat
		lifetime time.Duration
		ok       bool
	}{
		{"within a shorter lifetime", 2 * time.Minute, 3 * time.Minute, true},
		{"beyond a shorter lifetime", 5 * time.Minute, 3 * time.Minute, false},
		{"within a longer lifetime", time.Hour, 2 * time.Hour, true},
		{"zero means the default", time.Hour, 0, false},
	}
	for _, tt := range tests {
		token := sign(t, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", testNow.Add(tt.exp).Unix()))
		_, err := VerifyJWT(token, secret, testNow, tt.lifetime)
		if (err == nil) != tt.ok {
			t.Errorf("VerifyJWT(%s) = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

func TestTokenID(t *testing.T) {
	exp := float64(testNow.Add(5 * time.Minute).Unix())
	iat := float64(testNow.Unix())
	tests := []struct {
		name   string
		claims map[string]any
		ok     bool
		until  time.Time
		code   string
	}{
		{"no jti", map[string]any{"exp": exp}, false, time.Time{}, ""},
		{"jti and exp", map[string]any{"jti": "a", "exp": exp}, true, testNow.Add(5*time.Minute + ClockSkew), ""},
		{"jti, iat sooner than exp", map[string]any{"jti": "a", "exp": exp, "iat": iat}, true, testNow.Add(MaxTokenAge + ClockSkew), ""},
		{"jti and iat only", map[string]any{"jti": "a", "iat": iat}, true, testNow.Add(MaxTokenAge + ClockSkew), ""},
		{"numeric jti", map[string]any{"jti": json.Number("7"), "exp": exp}, false, time.Time{}, sightline.EUNAUTHORIZED},
		{"empty jti", map[string]any{"jti": "", "exp": exp}, false, time.Time{}, sightline.EUNAUTHORIZED},
	}
	for _, tt := range tests {
		digest, until, ok, err := TokenID(tt.claims)
		if sightline.ErrorCode(err) != tt.code || ok != tt.ok || !until.Equal(tt.until) {
			t.Errorf("TokenID(%s) = %q, %v, %v, %v; want ok %v until %v code %q", tt.name, digest, until, ok, err, tt.ok, tt.until, tt.code)
		}
		if ok && len(digest) != 64 {
			t.Errorf("TokenID(%s) digest = %q, want 64 hex characters", tt.name, digest)
		}
	}
}

func TestVerifyJWTKeepsCause(t *testing.T) {
	token := sign(t, jwt.SigningMethodHS256, []byte("wrong"), validClaims())
	_, err := VerifyJWT(token, []byte(testSecret), testNow, 0)
	if !errors.Is(err, jwt.ErrTokenSignatureInvalid) {
		t.Errorf("VerifyJWT(wrong key) = %v, want it to wrap jwt.ErrTokenSignatureInvalid", err)
	}
}

// TestVerifyJWTNodeJSONWebToken checks a token signed by Node's jsonwebtoken,
// the library the reference walkthrough uses, with the secret string as-is.
func TestVerifyJWTNodeJSONWebToken(t *testing.T) {
	root := repoRoot(t)
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(root, "node_modules", "jsonwebtoken", "package.json"))
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node and node_modules/jsonwebtoken are required in CI: %v", err)
		}
		t.Skipf("node or jsonwebtoken unavailable (run npm install): %v", err)
	}
	const script = `
const jwt = require("jsonwebtoken");
const token = jwt.sign({
  email: "rene@acme.example",
  first_name: "Rene",
  last_name: "Mercier",
  groups: ["Customer-Acme"],
  account_id: 28,
  exp: Math.round(Date.now() / 1000) + 60 * 10,
}, process.env.SECRET);
process.stdout.write(token);`
	cmd := exec.Command(node, "-e", script)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "SECRET="+testSecret)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	claims, err := VerifyJWT(string(out), []byte(testSecret), time.Now(), 0)
	if err != nil {
		t.Fatalf("VerifyJWT(node token) error: %v", err)
	}
	id, warnings, err := IdentityFromClaims(claims, ClaimNames{})
	if err != nil {
		t.Fatal(err)
	}
	want := Identity{
		Email: "rene@acme.example", FirstName: ptr("Rene"), LastName: ptr("Mercier"),
		Groups: []string{"Customer-Acme"}, GroupsPresent: true,
		Attributes: map[string]string{"account_id": "28"},
	}
	if diff := cmp.Diff(want, id); diff != "" || len(warnings) > 0 {
		t.Errorf("IdentityFromClaims(node token) mismatch (-want +got):\n%s\nwarnings: %v", diff, warnings)
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

func ptr(s string) *string { return &s }

func BenchmarkVerifyJWT(b *testing.B) {
	secret := []byte(testSecret)
	now := time.Now()
	token := sign(b, jwt.SigningMethodHS256, secret, with(validClaims(), "exp", now.Add(10*time.Minute).Unix()))
	for b.Loop() {
		claims, err := VerifyJWT(token, secret, now, 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := IdentityFromClaims(claims, ClaimNames{}); err != nil {
			b.Fatal(err)
		}
	}
}
