package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"sightline"
	"sightline/internal/appdb"
	"sightline/internal/cachebus"
)

// TestHubCarriesChanges runs two Apps on one SQLite app database joined by
// an in-process cache bus: a sign-out and a setting changed on A hold on B
// at once, and while the bus is heard B trusts its caches past the short
// lifetimes; without the bus B keeps its cached copies.
func TestHubCarriesChanges(t *testing.T) {
	for _, joined := range []bool{true, false} {
		t.Run(map[bool]string{true: "joined", false: "apart"}[joined], func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "app.db")
			hub := cachebus.NewHub()
			clock := time.Now()
			now := func() time.Time { return clock }
			var store *appdb.DB
			open := func() *App {
				db, err := appdb.Open(ctx, appdb.Options{Path: path})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				store = db
				o := Options{Store: db, Meta: db, Content: db, Search: db, Now: now}
				if joined {
					o.Bus = hub.Join()
				}
				a := New(o)
				t.Cleanup(func() { a.Close() })
				return a
			}
			a := open()
			_, admin, err := a.Setup(ctx, SetupInput{Email: "admin@example.com", Password: "admin password", FirstName: "Ada", SiteName: "Before"})
			if err != nil {
				t.Fatal(err)
			}
			b := open()
			if joined {
				deadline := time.Now().Add(time.Second)
				for !a.CacheBusLive() || !b.CacheBusLive() {
					if time.Now().After(deadline) {
						t.Fatal("the hub never reported live")
					}
					time.Sleep(time.Millisecond)
				}
			}
			token, _, err := a.SignIn(ctx, "admin@example.com", "admin password", "127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := b.Authenticate(ctx, token); err != nil {
				t.Fatalf("B before the sign-out: %v", err)
			}
			if got := b.settings.String(ctx, sightline.SettingSiteName); got != "Before" {
				t.Fatalf("B's site name = %q, want Before", got)
			}
			if err := a.SignOut(ctx, token); err != nil {
				t.Fatal(err)
			}
			if err := a.UpdateSettings(ctx, admin, map[string]string{sightline.SettingSiteName: "After"}); err != nil {
				t.Fatal(err)
			}
			_, _, authErr := b.Authenticate(ctx, token)
			site := b.settings.String(ctx, sightline.SettingSiteName)
			if joined && (authErr == nil || site != "After") {
				t.Errorf("joined: B after A's changes: sign-in error %v, site name %q; want refused and After", authErr, site)
			}
			if !joined && (authErr != nil || site != "Before") {
				t.Errorf("apart: B at once after A's changes: sign-in error %v, site name %q; want its cached session and Before", authErr, site)
			}

			// A write no instance tells of (straight to the app database)
			// shows on B a minute later without the bus; with it, B trusts
			// its copy for liveTTL.
			if err := store.SetSettings(ctx, map[string]string{sightline.SettingSiteName: "Untold"}); err != nil {
				t.Fatal(err)
			}
			clock = clock.Add(time.Minute)
			want := map[bool]string{true: "After", false: "Untold"}[joined]
			if got := b.settings.String(ctx, sightline.SettingSiteName); got != want {
				t.Errorf("B a minute after an untold write = %q, want %q", got, want)
			}
			clock = clock.Add(liveTTL)
			if got := b.settings.String(ctx, sightline.SettingSiteName); got != "Untold" {
				t.Errorf("B after liveTTL = %q, want Untold", got)
			}
		})
	}
}
