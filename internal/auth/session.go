package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"sightline"
)

// sessionTokenBytes is the entropy of a session token: 256 bits.
const sessionTokenBytes = 32

// NewSessionToken returns a new random session token for the client's cookie
// and the hash to store in the app database. The token is 43 characters of
// unpadded URL-safe base64; the hash is HashToken(token).
func NewSessionToken() (token string, hash string, err error) {
	b := make([]byte, sessionTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", sightline.Internal(fmt.Errorf("session token: %w", err))
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken returns the lower-case hex SHA-256 of a session token: what is
// stored and looked up, so a leaked database does not yield usable cookies.
// A fast hash is enough because the token has 256 bits of entropy.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
