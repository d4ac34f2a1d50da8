package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"sightline"
	"sightline/internal/appdb"
)

// sessionCountingStore counts session lookups.
type sessionCountingStore struct {
	*appdb.DB
	mu      sync.Mutex
	lookups int
}

func (s *sessionCountingStore) SessionUser(ctx context.Context, tokenHash string) (*sightline.Session, *sightline.User, error) {
	s.mu.Lock()
	s.lookups++
	s.mu.Unlock()
	return s.DB.SessionUser(ctx, tokenHash)
}

func (s *sessionCountingStore) take() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.lookups
	s.lookups = 0
	return n
}

func TestSessionCache(t *testing.T) {
	ctx := context.Background()
	db, err := appdb.Open(ctx, appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st := &sessionCountingStore{DB: db}
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	a := New(Options{Store: st, Meta: db, Content: db, Search: db, Now: clock})
	t.Cleanup(func() { a.Close() })
	_, admin, err := a.Setup(ctx, SetupInput{Email: "admin@example.com", Password: "admin password", FirstName: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateUser(ctx, admin, NewUserInput{Email: "bob@example.com", Password: "bob password", Attributes: map[string]string{"account_id": "28"}}); err != nil {
		t.Fatal(err)
	}
	signIn := func() string {
		token, _, err := a.SignIn(ctx, "bob@example.com", "bob password", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	token := signIn()
	st.take()

	// A burst of requests (a dashboard's cards) costs one lookup.
	for range 15 {
		if _, u, err := a.Authenticate(ctx, token); err != nil || u.Email != "bob@example.com" {
			t.Fatalf("Authenticate = %v, %v", u, err)
		}
	}
	if n := st.take(); n != 1 {
		t.Errorf("15 requests made %d session lookups, want 1", n)
	}
	// Each caller gets its own copy.
	_, u1, _ := a.Authenticate(ctx, token)
	u1.LoginAttributes["account_id"] = "13"
	u1.Attributes = map[string]string{"account_id": "13"}
	if _, u2, _ := a.Authenticate(ctx, token); u2.EffectiveAttributes()["account_id"] != "28" {
		t.Errorf("a change to one request's user leaked into the next: account_id = %q", u2.EffectiveAttributes()["account_id"])
	}
	// The cache expires.
	advance(sessionTTL + time.Second)
	a.Authenticate(ctx, token)
	if n := st.take(); n != 1 {
		t.Errorf("after sessionTTL: %d lookups, want 1", n)
	}

	bob := userByEmail(t, a, admin, "bob@example.com")
	checks := []struct {
		name   string
		change func()
	}{
		{"an attribute change", func() {
			if _, err := a.UpdateUser(ctx, admin, bob, UserEdit{Attributes: map[string]string{"account_id": "13"}}); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, c := range checks {
		a.Authenticate(ctx, token)
		c.change()
		if _, u, err := a.Authenticate(ctx, token); err != nil || u.EffectiveAttributes()["account_id"] != "13" {
			t.Errorf("right after %s: %v, %v; want the new attributes at once", c.name, u, err)
		}
	}
	// Sign-out, deactivation and a password reset end sessions at once.
	ends := []struct {
		name string
		end  func(token string)
	}{
		{"sign-out", func(token string) { a.SignOut(ctx, token) }},
		{"deactivation", func(string) {
			if err := a.SetUserActive(ctx, admin, bob, false); err != nil {
				t.Fatal(err)
			}
			if err := a.SetUserActive(ctx, admin, bob, true); err != nil {
				t.Fatal(err)
			}
		}},
		{"a password reset", func(string) {
			if err := a.ResetPassword(ctx, admin, bob, "bob password"); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, e := range ends {
		token := signIn()
		if _, _, err := a.Authenticate(ctx, token); err != nil {
			t.Fatal(err)
		}
		e.end(token)
		if _, _, err := a.Authenticate(ctx, token); sightline.ErrorCode(err) != sightline.EUNAUTHORIZED {
			t.Errorf("right after %s the session still works: %v", e.name, err)
		}
	}
}

func userByEmail(t *testing.T, a *App, admin *sightline.User, email string) int64 {
	t.Helper()
	users, err := a.ListUsers(context.Background(), admin, email, "all")
	if err != nil || len(users) != 1 {
		t.Fatalf("ListUsers(%s) = %v, %v", email, users, err)
	}
	return users[0].ID
}

// TestRehashKeepsSessions: a password stored with older hashing parameters
// is rehashed at sign-in without ending the new session or the others.
func TestRehashKeepsSessions(t *testing.T) {
	ctx := context.Background()
	a, db, admin := newTestApp(t)
	if _, err := a.CreateUser(ctx, admin, NewUserInput{Email: "old@example.com", Password: "old password"}); err != nil {
		t.Fatal(err)
	}
	id := userByEmail(t, a, admin, "old@example.com")
	salt := make([]byte, 16)
	rand.Read(salt)
	old := fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, 8*1024, 2, 1,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(argon2.IDKey([]byte("old password"), salt, 2, 8*1024, 1, 32)))
	if err := db.SetPassword(ctx, id, old); err != nil {
		t.Fatal(err)
	}
	first, _, err := a.SignIn(ctx, "old@example.com", "old password", "192.0.2.2")
	if err != nil {
		t.Fatalf("sign-in with an old-parameter hash: %v", err)
	}
	if _, _, err := a.Authenticate(ctx, first); err != nil {
		t.Errorf("the session made while rehashing does not work: %v", err)
	}
	_, stored, err := db.UserByEmail(ctx, "old@example.com")
	if err != nil || stored == old {
		t.Errorf("the hash was not replaced: %v", err)
	}
	second, _, err := a.SignIn(ctx, "old@example.com", "old password", "192.0.2.2")
	if err != nil {
		t.Fatal(err)
	}
	a.forgetSessions()
	for _, tok := range []string{first, second} {
		if _, _, err := a.Authenticate(ctx, tok); err != nil {
			t.Errorf("a session ended after the rehash: %v", err)
		}
	}
}
