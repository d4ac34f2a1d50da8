package auth

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestNewAPIKey(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		key, hash, prefix, err := NewAPIKey()
		if err != nil {
			t.Fatal(err)
		}
		body, ok := strings.CutPrefix(key, "mb_")
		if !ok {
			t.Fatalf("NewAPIKey() = %q, want the mb_ prefix", key)
		}
		if b, err := base64.RawURLEncoding.DecodeString(body); err != nil || len(b) != 32 {
			t.Fatalf("NewAPIKey() body %q: %d bytes, err %v; want 32 random bytes", body, len(b), err)
		}
		if hash != HashToken(key) {
			t.Errorf("hash = %q, want HashToken(key)", hash)
		}
		if prefix != key[:7] {
			t.Errorf("prefix = %q, want %q", prefix, key[:7])
		}
		if seen[key] {
			t.Fatalf("NewAPIKey() repeated %q", key)
		}
		seen[key] = true
	}
}
