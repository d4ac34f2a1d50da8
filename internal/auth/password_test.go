package auth

import (
	"strings"
	"testing"

	"sightline"
)

func TestHashAndCheckPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=12288,t=3,p=1$") {
		t.Errorf("HashPassword() = %q, want the $argon2id$v=19$m=12288,t=3,p=1$ prefix", h)
	}
	h2, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if h == h2 {
		t.Errorf("HashPassword twice = %q both times, want different salts", h)
	}
	tests := []struct {
		password string
		want     bool
	}{
		{"correct horse battery staple", true},
		{"correct horse battery stapl", false},
		{"Correct horse battery staple", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.password, func(t *testing.T) {
			ok, err := CheckPassword(h, tt.password)
			if err != nil || ok != tt.want {
				t.Errorf("CheckPassword(h, %q) = %v, %v, want %v", tt.password, ok, err, tt.want)
			}
		})
	}
	if NeedsRehash(h) {
		t.Errorf("NeedsRehash(new hash) = true, want false")
	}
}

// TestCheckPasswordReadsParameters checks that the parameters come from the
// stored string: a hash made with other (cheap) parameters still verifies.
func TestCheckPasswordReadsParameters(t *testing.T) {
	salt := []byte("0123456789abcdef")
	prm := params{memory: 64, time: 1, threads: 2, keyLen: 16}
	h := encodeHash(prm, salt, derive("secret", salt, prm))
	if !strings.Contains(h, "$m=64,t=1,p=2$") {
		t.Fatalf("encodeHash = %q, want m=64,t=1,p=2", h)
	}
	if ok, err := CheckPassword(h, "secret"); err != nil || !ok {
		t.Errorf("CheckPassword(cheap hash, secret) = %v, %v, want true", ok, err)
	}
	if ok, err := CheckPassword(h, "Secret"); err != nil || ok {
		t.Errorf("CheckPassword(cheap hash, Secret) = %v, %v, want false", ok, err)
	}
	if !NeedsRehash(h) {
		t.Errorf("NeedsRehash(cheap hash) = false, want true")
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	const salt, key = "MDEyMzQ1Njc4OWFiY2RlZg", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"
	tests := []string{
		"",
		"plain",
		"$2a$10$abcdefghijklmnopqrstuv",
		"$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1,x=2$" + salt + "$" + key,
		"$argon2id$v=19$m=99999999,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1000,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$!!$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$c2hvcnQ",
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "$extra",
	}
	for _, h := range tests {
		t.Run(h, func(t *testing.T) {
			ok, err := CheckPassword(h, "secret")
			if ok || sightline.ErrorCode(err) != sightline.EINTERNAL {
				t.Errorf("CheckPassword(%q) = %v, %v, want false and an internal error", h, ok, err)
			}
			if !NeedsRehash(h) {
				t.Errorf("NeedsRehash(%q) = false, want true", h)
			}
		})
	}
}

func TestDummyCheck(t *testing.T) {
	for _, p := range []string{"", "pw", "correct horse battery staple"} {
		if DummyCheck(p) {
			t.Errorf("DummyCheck(%q) = true, want false", p)
		}
	}
}

// BenchmarkCheckPassword measures one sign-in check; the target is 10-30 ms
// on the 2-core build machine. BenchmarkDummyCheck should be the same.
func BenchmarkCheckPassword(b *testing.B) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := CheckPassword(h, "correct horse battery staple"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkDummyCheck(b *testing.B) {
	for b.Loop() {
		DummyCheck("correct horse battery staple")
	}
}
