// Package auth holds the building blocks of signing in: password hashing,
// session tokens, a sign-in throttle, JWT single sign-on verification, the
// mapping of token claims to a user's identity, groups and attributes, and
// the checks on where a person may be redirected afterwards.
//
// Everything here is pure or self-contained: no storage, no HTTP handlers.
// The app and web layers call these functions and own the side effects.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"sightline"
)

// params are the argon2id cost parameters stored in every hash.
type params struct {
	memory  uint32 // KiB
	time    uint32 // passes
	threads uint8
	keyLen  uint32
}

// currentParams returns the parameters used for new hashes: one of OWASP's
// argon2id configurations (12 MiB, 3 passes, 1 lane), measured at about
// 20 ms per check on the 2-core build machine. That is slow enough to hurt
// offline guessing and cheap enough to keep sign-in throughput up;
// BenchmarkCheckPassword tracks it.
func currentParams() params {
	return params{memory: 12 * 1024, time: 3, threads: 1, keyLen: 32}
}

const saltLen = 16

// Limits on parameters read back from a stored hash, so that a corrupted
// or hostile hash string cannot make one check take minutes or gigabytes.
const (
	maxMemory  = 1 << 20 // KiB, 1 GiB
	maxTime    = 32
	maxThreads = 64
	minKeyLen  = 16
	maxKeyLen  = 128
)

// HashPassword returns an argon2id hash of p in the PHC string format
// "$argon2id$v=19$m=12288,t=3,p=1$<salt>$<hash>", with a fresh random salt.
// The parameters travel in the string, so they can be raised later without
// invalidating stored hashes.
func HashPassword(p string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", sightline.Internal(fmt.Errorf("password salt: %w", err))
	}
	prm := currentParams()
	return encodeHash(prm, salt, derive(p, salt, prm)), nil
}

// CheckPassword reports whether p matches hash, a string made by
// HashPassword. The comparison is constant-time. An error means the stored
// hash itself is unusable (malformed or with out-of-range parameters); a
// wrong password is ok == false with a nil error. An unusable hash (such as
// the empty one of a user who only signs in by SSO) still costs a full
// check, so it cannot be told apart from a wrong password by timing.
func CheckPassword(hash, p string) (ok bool, err error) {
	prm, salt, want, err := decodeHash(hash)
	if err != nil {
		DummyCheck(p)
		return false, err
	}
	got := derive(p, salt, prm)
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// DummyCheck spends the same time as a CheckPassword against a current
// hash and always reports false. Call it when no user has the email that
// was typed, so an unknown email and a wrong password cannot be told apart
// by timing.
func DummyCheck(p string) bool {
	salt := make([]byte, saltLen)
	_ = derive(p, salt, currentParams())
	return false
}

// NeedsRehash reports whether hash was made with other parameters than the
// ones HashPassword uses now (or cannot be read), so the caller may store a
// fresh hash after a successful sign-in.
func NeedsRehash(hash string) bool {
	prm, _, _, err := decodeHash(hash)
	return err != nil || prm != currentParams()
}

func derive(p string, salt []byte, prm params) []byte {
	return argon2.IDKey([]byte(p), salt, prm.time, prm.memory, prm.threads, prm.keyLen)
}

func encodeHash(prm params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, prm.memory, prm.time, prm.threads, base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

func decodeHash(hash string) (prm params, salt, key []byte, err error) {
	bad := func(why string) (params, []byte, []byte, error) {
		return params{}, nil, nil, sightline.Internal(fmt.Errorf("stored password hash: %s", why))
	}
	parts := strings.Split(hash, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, key
	if len(parts) != 6 || parts[0] != "" {
		return bad("not in $argon2id$v=..$m=..,t=..,p=..$salt$hash form")
	}
	if parts[1] != "argon2id" {
		return bad(fmt.Sprintf("unsupported algorithm %q", parts[1]))
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return bad(fmt.Sprintf("unsupported version %q", parts[2]))
	}
	var m, t, p uint64
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || n != 3 ||
		fmt.Sprintf("m=%d,t=%d,p=%d", m, t, p) != parts[3] {
		return bad(fmt.Sprintf("unreadable parameters %q", parts[3]))
	}
	if m < 8*p || m > maxMemory || t < 1 || t > maxTime || p < 1 || p > maxThreads {
		return bad(fmt.Sprintf("parameters out of range %q", parts[3]))
	}
	salt, err = base64.RawStdEncoding.Strict().DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return bad("bad salt")
	}
	key, err = base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if err != nil || len(key) < minKeyLen || len(key) > maxKeyLen {
		return bad("bad hash")
	}
	prm = params{memory: uint32(m), time: uint32(t), threads: uint8(p), keyLen: uint32(len(key))}
	return prm, salt, key, nil
}
