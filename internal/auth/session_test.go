package auth

import (
	"encoding/base64"
	"testing"
)

func TestNewSessionToken(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		token, hash, err := NewSessionToken()
		if err != nil {
			t.Fatal(err)
		}
		b, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || len(b) != 32 {
			t.Fatalf("NewSessionToken() token = %q (%d bytes, %v), want 32 bytes of URL-safe base64", token, len(b), err)
		}
		if hash != HashToken(token) {
			t.Errorf("NewSessionToken() hash = %q, want HashToken(token) = %q", hash, HashToken(token))
		}
		if seen[token] {
			t.Fatalf("NewSessionToken() repeated %q", token)
		}
		seen[token] = true
	}
}

func TestHashToken(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	}
	for _, tt := range tests {
		if got := HashToken(tt.in); got != tt.want {
			t.Errorf("HashToken(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
