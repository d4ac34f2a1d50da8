package app

import (
	"context"
	"path/filepath"
	"testing"

	"sightline"
	"sightline/internal/appdb"
)

// TestSignInGuessesElsewhereDoNotLockOwner checks that password guesses
// from one address lock that email only for that address: the owner
// signing in from another address still gets in.
func TestSignInGuessesElsewhereDoNotLockOwner(t *testing.T) {
	ctx := context.Background()
	db, err := appdb.Open(ctx, appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := New(Options{Store: db, Meta: db, Content: db, Search: db})
	t.Cleanup(func() { a.Close() })
	if _, _, err := a.Setup(ctx, SetupInput{Email: "admin@example.com", Password: "admin password", FirstName: "Ada"}); err != nil {
		t.Fatal(err)
	}
	const attacker, office = "198.51.100.7", "192.0.2.1"
	for range 10 {
		if _, _, err := a.SignIn(ctx, "admin@example.com", "guess", attacker); sightline.ErrorCode(err) != sightline.EUNAUTHORIZED {
			t.Fatalf("SignIn(wrong password) = %v, want %s", err, sightline.EUNAUTHORIZED)
		}
	}
	if _, _, err := a.SignIn(ctx, "admin@example.com", "admin password", attacker); sightline.ErrorCode(err) != sightline.ETOOMANY {
		t.Errorf("SignIn from the guessing address = %v, want %s", err, sightline.ETOOMANY)
	}
	if _, u, err := a.SignIn(ctx, "admin@example.com", "admin password", office); err != nil || u.Email != "admin@example.com" {
		t.Errorf("SignIn from another address = %v, %v, want the admin signed in", u, err)
	}
}
