package appdb

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

func TestUpdateSSOUser(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := &sightline.User{Email: "rene@acme.example", FirstName: "Rene", LastName: "Mercier",
			Attributes: map[string]string{"region": "eu"}}
		if err := db.CreateUser(ctx, u, "", false); err != nil {
			t.Fatal(err)
		}
		if err := db.SetUserActive(ctx, u.ID, false); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
		first := "René"
		if err := db.UpdateSSOUser(ctx, u.ID, &first, nil, map[string]string{"account_id": "28"}, at); err != nil {
			t.Fatalf("UpdateSSOUser: %v", err)
		}
		got, err := db.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.FirstName != "René" || got.LastName != "Mercier" {
			t.Errorf("names = %q %q, want the new first name and the kept last name", got.FirstName, got.LastName)
		}
		if !got.Active || got.SSOSource != sightline.SignInJWT || !got.LastLogin.Equal(at) {
			t.Errorf("active, source, last login = %v, %q, %v; want true, jwt, %v", got.Active, got.SSOSource, got.LastLogin, at)
		}
		if diff := cmp.Diff(map[string]string{"account_id": "28"}, got.LoginAttributes); diff != "" {
			t.Errorf("jwt attributes (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string]string{"region": "eu"}, got.Attributes); diff != "" {
			t.Errorf("hand-set attributes changed (-want +got):\n%s", diff)
		}
		if err := db.UpdateSSOUser(ctx, u.ID+1000, nil, nil, nil, at); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("UpdateSSOUser(unknown id) = %v, want not found", err)
		}
	})
}

func TestGroupIDsByName(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		g := &sightline.Group{Name: "Customer Acme"}
		if err := db.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		got, err := db.GroupIDsByName(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int64{"All Users": sightline.AllUsersGroupID, "Administrators": sightline.AdminGroupID, "Customer Acme": g.ID}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("GroupIDsByName() (-want +got):\n%s", diff)
		}
	})
}

// TestUserByEmailFoldsASCIIOnly checks that looking a person up by email
// ignores surrounding spaces and ASCII case only, on every app database: a
// Kelvin sign (U+212A) is not the letter k, so it never finds kate.
func TestUserByEmailFoldsASCIIOnly(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		kate := &sightline.User{Email: "kate@example.com"}
		if err := db.CreateUser(ctx, kate, "", false); err != nil {
			t.Fatal(err)
		}
		kelvin := &sightline.User{Email: "\u212Aate@example.com"}
		if err := db.CreateUser(ctx, kelvin, "", false); err != nil {
			t.Fatalf("CreateUser(Kelvin sign address): %v", err)
		}
		if kelvin.Email != "\u212Aate@example.com" {
			t.Errorf("stored Kelvin sign address = %q, want it as sent", kelvin.Email)
		}
		tests := []struct {
			email string
			want  int64 // 0: not found
		}{
			{"kate@example.com", kate.ID},
			{"KATE@Example.COM", kate.ID},
			{"  kate@example.com \t", kate.ID},
			{"\u212Aate@example.com", kelvin.ID},
			{"\u212AATE@EXAMPLE.COM", kelvin.ID},
			{"\u212Bate@example.com", 0},
		}
		for _, tt := range []struct {
			query string
			want  int64
		}{{"KATE@", kate.ID}, {"\u212Aate@", kelvin.ID}, {"\u212AATE", kelvin.ID}} {
			users, err := db.ListUsers(ctx, tt.query, "all")
			if err != nil || len(users) != 1 || users[0].ID != tt.want {
				t.Errorf("ListUsers(%q) = %v, %v; want only user %d", tt.query, users, err, tt.want)
			}
		}
		for _, tt := range tests {
			u, _, err := db.UserByEmail(ctx, tt.email)
			switch {
			case tt.want == 0 && sightline.ErrorCode(err) != sightline.ENOTFOUND:
				t.Errorf("UserByEmail(%q) = %v, %v; want not found", tt.email, u, err)
			case tt.want != 0 && (err != nil || u.ID != tt.want):
				t.Errorf("UserByEmail(%q) = %v, %v; want user %d", tt.email, u, err, tt.want)
			}
		}
	})
}
