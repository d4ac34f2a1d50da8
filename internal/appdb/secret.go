package appdb

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// secretPrefix marks a value encrypted at rest.
const secretPrefix = "enc:v1:"

// secretBox encrypts secrets (database passwords, the JWT key) with AES-GCM
// under a key derived from SIGHTLINE_ENCRYPTION_KEY. Without a key, values are
// stored as they are, and encrypted values cannot be read back.
type secretBox struct {
	aead cipher.AEAD
}

func newSecretBox(key string) *secretBox {
	if key == "" {
		return &secretBox{}
	}
	sum := sha256.Sum256([]byte("sightline secrets v1\x00" + key))
	block, err := aes.NewCipher(sum[:])
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &secretBox{aead: aead}
}

func (b *secretBox) seal(plain string) (string, error) {
	if b.aead == nil || plain == "" {
		return plain, nil
	}
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := b.aead.Seal(nonce, nonce, []byte(plain), nil)
	return secretPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

var errNoKey = errors.New("a secret is encrypted but SIGHTLINE_ENCRYPTION_KEY is not set or has changed")

func (b *secretBox) open(stored string) (string, error) {
	if !strings.HasPrefix(stored, secretPrefix) {
		return stored, nil
	}
	if b.aead == nil {
		return "", errNoKey
	}
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimPrefix(stored, secretPrefix))
	if err != nil || len(raw) < b.aead.NonceSize() {
		return "", errNoKey
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], nil)
	if err != nil {
		return "", errNoKey
	}
	return string(plain), nil
}
