package auth

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"sightline"
)

// apiKeyBytes is the entropy of an API key: 256 bits.
const apiKeyBytes = 32

// NewAPIKey returns a new random API key ("mb_" and 43 characters of
// unpadded URL-safe base64, the form clients written for the reference
// vendor expect), the hash to store (HashToken(key)) and its prefix, the
// first sightline.APIKeyPrefixLen characters, which is not secret.
func NewAPIKey() (key, hash, prefix string, err error) {
	b := make([]byte, apiKeyBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", "", sightline.Internal(fmt.Errorf("api key: %w", err))
	}
	key = "mb_" + base64.RawURLEncoding.EncodeToString(b)
	return key, HashToken(key), key[:sightline.APIKeyPrefixLen], nil
}
