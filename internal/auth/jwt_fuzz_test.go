package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// FuzzVerifyJWT feeds VerifyJWT arbitrary tokens. With resign set, the
// first two segments are signed again with the key, so that the fuzzer
// reaches the header and claim checks behind the signature. Whatever the
// input, verification must not panic, and a token it accepts (together
// with IdentityFromClaims) must name HS256 in its header, carry a valid
// HS256 signature under the key, and have a non-empty email claim.
func FuzzVerifyJWT(f *testing.F) {
	secret := []byte(testSecret)
	now := testNow
	for _, c := range []jwt.MapClaims{
		validClaims(),
		with(validClaims(), "email", nil),
		with(validClaims(), "email", 7),
		with(validClaims(), "exp", nil, "iat", now.Unix()),
		with(validClaims(), "exp", now.Add(365*24*time.Hour).Unix()),
		with(validClaims(), "jti", "abc", "groups", "Administrators"),
	} {
		tok := sign(f, jwt.SigningMethodHS256, secret, c)
		f.Add(tok, false)
		f.Add(tok, true)
	}
	f.Add(sign(f, jwt.SigningMethodHS512, secret, validClaims()), false)
	f.Add(sign(f, jwt.SigningMethodHS512, secret, validClaims()), true)
	f.Add(sign(f, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, validClaims()), false)
	f.Add("eyJhbGciOiJIUzI1NiJ9.e30.", true)
	f.Add("..", true)
	f.Add("", false)

	f.Fuzz(func(t *testing.T, token string, resign bool) {
		if resign {
			if i := strings.LastIndexByte(token, '.'); i >= 0 {
				token = token[:i+1] + hs256(secret, token[:i])
			}
		}
		claims, err := VerifyJWT(token, secret, now, 0)
		if err != nil {
			return
		}
		parts := strings.Split(token, ".")
		if len(parts) != 3 {
			t.Fatalf("VerifyJWT accepted %q, which does not have three segments", token)
		}
		header, err := base64.RawURLEncoding.DecodeString(parts[0])
		if err != nil {
			// The library also accepts padded base64; decode leniently.
			header, err = base64.URLEncoding.DecodeString(parts[0])
		}
		var h map[string]any
		if err != nil || json.Unmarshal(header, &h) != nil || h["alg"] != "HS256" {
			t.Fatalf("VerifyJWT accepted %q whose header %q does not name HS256", token, header)
		}
		if !validHS256(secret, parts) {
			t.Fatalf("VerifyJWT accepted %q whose signature is not HS256 under the key", token)
		}
		id, _, err := IdentityFromClaims(claims, ClaimNames{})
		if err != nil {
			return
		}
		if e, ok := claims["email"].(string); !ok || strings.TrimSpace(e) == "" || id.Email == "" {
			t.Fatalf("token %q was accepted without an email: claims %v", token, claims)
		}
	})
}

// hs256 returns the base64url HS256 signature of input under key.
func hs256(key []byte, input string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(input))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validHS256 reports whether the third segment is the HS256 signature of
// the first two under key.
func validHS256(key []byte, parts []string) bool {
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(parts[0] + "." + parts[1]))
	return hmac.Equal(sig, m.Sum(nil))
}
