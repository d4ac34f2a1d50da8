package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sightline"
)

// Limits of JWT verification.
const (
	// MaxTokenAge is how long after its iat a token is still accepted.
	MaxTokenAge = 180 * time.Second
	// ClockSkew is the leeway for iat and nbf in the future, so that a
	// host whose clock runs slightly ahead is not refused.
	ClockSkew = 60 * time.Second
	// DefaultMaxLifetime is the longest lifetime a token may claim unless
	// the caller says otherwise: exp at most this long after iat (or after
	// now, without iat). The walkthrough's tokens live ten minutes.
	DefaultMaxLifetime = 10 * time.Minute
	// maxTokenLen bounds the work spent on a token; real ones are well
	// under 2 KB.
	maxTokenLen = 16 << 10
)

// VerifyJWT checks a single sign-on token signed by the host application and
// returns its claims. Numbers in the claims are json.Number, so integers keep
// every digit.
//
// The rules: the algorithm must be HS256 (none, HS384, HS512, RS256 and all
// others are refused); the signature must match secret, which is the UTF-8
// bytes of the shared secret exactly as entered (not hex-decoded); exp, when
// present, must be in the future and at most maxLifetime after iat (after
// now when there is no iat), with ClockSkew of leeway, so that a token cannot
// be replayed for long; iat, when present, must be at most MaxTokenAge old; a
// token with neither exp nor iat is refused because it would never expire;
// iat and nbf may be up to ClockSkew in the future. A maxLifetime of zero or
// less means DefaultMaxLifetime.
//
// Every failure is a *sightline.Error with code EUNAUTHORIZED and a message
// naming the reason, such as "JWT token has expired", except a missing secret,
// which is EINVALID because SSO is not configured.
func VerifyJWT(token string, secret []byte, now time.Time, maxLifetime time.Duration) (map[string]any, error) {
	if len(secret) == 0 {
		return nil, sightline.Errorf(sightline.EINVALID, "JWT authentication is not configured: no shared secret is set.")
	}
	if token == "" {
		return nil, unauthorized("JWT token is missing", nil)
	}
	if len(token) > maxTokenLen {
		return nil, unauthorized("JWT token is too large", nil)
	}
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithJSONNumber(),
		// Time claims are checked below, to give each failure its own message
		// and to apply the age rule the library does not have.
		jwt.WithoutClaimsValidation(),
	)
	claims := jwt.MapClaims{}
	tok, err := p.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return secret, nil })
	if err != nil {
		return nil, parseError(tok, err)
	}
	if maxLifetime <= 0 {
		maxLifetime = DefaultMaxLifetime
	}
	if err := checkTimes(claims, now, maxLifetime); err != nil {
		return nil, err
	}
	return claims, nil
}

// parseError turns a parse failure into the message a host developer needs.
func parseError(tok *jwt.Token, err error) error {
	if tok != nil && tok.Header != nil {
		alg, _ := tok.Header["alg"].(string)
		switch {
		case alg == "":
			return unauthorized("JWT token does not name its algorithm; use HS256", err)
		case alg != jwt.SigningMethodHS256.Alg():
			return unauthorized(fmt.Sprintf("JWT algorithm %s is not allowed; use HS256", printableAlg(alg)), err)
		}
	}
	switch {
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return unauthorized("JWT signature is invalid", err)
	case errors.Is(err, jwt.ErrTokenMalformed):
		return unauthorized("JWT token is malformed", err)
	}
	return unauthorized("JWT token could not be verified", err)
}

// printableAlg keeps a hostile header from putting odd text in a message.
func printableAlg(alg string) string {
	if len(alg) > 20 {
		return fmt.Sprintf("%q", alg[:20]+"...")
	}
	for _, r := range alg {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Sprintf("%q", alg)
		}
	}
	return alg
}

func checkTimes(claims jwt.MapClaims, now time.Time, maxLifetime time.Duration) error {
	exp, hasExp, err := numericDate(claims, "exp")
	if err != nil {
		return err
	}
	iat, hasIat, err := numericDate(claims, "iat")
	if err != nil {
		return err
	}
	nbf, hasNbf, err := numericDate(claims, "nbf")
	if err != nil {
		return err
	}
	if !hasExp && !hasIat {
		return unauthorized("JWT token has neither exp nor iat, so it would never expire; add exp", nil)
	}
	t := float64(now.UnixNano()) / 1e9
	if hasExp && t >= exp {
		return unauthorized("JWT token has expired", nil)
	}
	if hasIat && t-iat > MaxTokenAge.Seconds() {
		return unauthorized(fmt.Sprintf("JWT token is too old: issued more than %d seconds ago", int(MaxTokenAge.Seconds())), nil)
	}
	if hasExp {
		start := t
		if hasIat {
			start = iat
		}
		// The leeway covers a host's clock running ahead and rounding:
		// the walkthrough's exp is Math.round(now)+600 while Node's
		// jsonwebtoken sets iat to Math.floor(now), 601 s apart at times.
		if exp-start > maxLifetime.Seconds()+ClockSkew.Seconds() {
			return unauthorized(fmt.Sprintf("JWT token lives too long: its exp is more than %d seconds after it was issued; sign tokens that expire within %d seconds",
				int(maxLifetime.Seconds()), int(maxLifetime.Seconds())), nil)
		}
	}
	if hasIat && iat-t > ClockSkew.Seconds() {
		return unauthorized("JWT token was issued in the future; check the clock of the host application", nil)
	}
	if hasNbf && nbf-t > ClockSkew.Seconds() {
		return unauthorized("JWT token is not valid yet (nbf is in the future)", nil)
	}
	return nil
}

// numericDate reads a NumericDate claim: seconds since the epoch, possibly
// fractional. A present claim that is not a finite number is an error; null
// counts as absent.
func numericDate(claims jwt.MapClaims, name string) (float64, bool, error) {
	v, ok := claims[name]
	if !ok || v == nil {
		return 0, false, nil
	}
	var f float64
	switch n := v.(type) {
	case json.Number:
		var err error
		if f, err = n.Float64(); err != nil {
			f = math.NaN()
		}
	case float64:
		f = n
	default:
		f = math.NaN()
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, unauthorized(fmt.Sprintf("JWT %s claim is not a number of seconds", name), nil)
	}
	return f, true, nil
}

func unauthorized(msg string, cause error) error {
	return &sightline.Error{Code: sightline.EUNAUTHORIZED, Message: msg, Err: cause}
}

// isReserved reports whether a claim is never stored as a user attribute:
// the registered claims and keys starting with "@".
func isReserved(name string) bool {
	switch name {
	case "iss", "iat", "sub", "aud", "exp", "nbf", "jti":
		return true
	}
	return strings.HasPrefix(name, "@")
}

// TokenID returns the digest under which a token's jti is remembered, and
// until when: the moment the token stops being accepted (its exp, or
// MaxTokenAge after its iat, whichever comes first), plus ClockSkew. ok is
// false when the claims have no jti. A jti that is not a string is an
// EUNAUTHORIZED error. The claims must have passed VerifyJWT.
func TokenID(claims map[string]any) (digest string, until time.Time, ok bool, err error) {
	v, present := claims["jti"]
	if !present || v == nil {
		return "", time.Time{}, false, nil
	}
	jti, isString := v.(string)
	if !isString || jti == "" {
		return "", time.Time{}, false, unauthorized("JWT jti claim must be a non-empty string", nil)
	}
	exp, hasExp, _ := numericDate(claims, "exp")
	iat, hasIat, _ := numericDate(claims, "iat")
	end := math.Inf(1)
	if hasExp {
		end = exp
	}
	if hasIat {
		end = math.Min(end, iat+MaxTokenAge.Seconds())
	}
	if math.IsInf(end, 0) {
		return "", time.Time{}, false, unauthorized("JWT token has neither exp nor iat, so it would never expire; add exp", nil)
	}
	sum := sha256.Sum256([]byte(jti))
	return hex.EncodeToString(sum[:]), time.Unix(0, 0).Add(time.Duration(end*1e9) + ClockSkew).UTC(), true, nil
}
