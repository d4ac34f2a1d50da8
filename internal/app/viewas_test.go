package app

import (
	"context"
	"path/filepath"
	"testing"

	"sightline"
	"sightline/internal/appdb"
)

func TestViewAs(t *testing.T) {
	ctx := context.Background()
	db, err := appdb.Open(ctx, appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rec := &auditSpy{DB: db}
	a := New(Options{Store: rec, Meta: db, Content: db, Search: db, Permissions: db})
	t.Cleanup(func() { a.Close() })
	_, admin, err := a.Setup(ctx, SetupInput{Email: "admin@example.com", Password: "admin password", FirstName: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	acme, err := a.CreateGroup(ctx, admin, "Customer Acme")
	if err != nil {
		t.Fatal(err)
	}
	newUser := func(email string, isAdmin bool, groups []int64, attrs map[string]string) *sightline.User {
		t.Helper()
		u, err := a.CreateUser(ctx, admin, NewUserInput{Email: email, Admin: isAdmin, GroupIDs: groups, Attributes: attrs})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	customer := newUser("customer@example.com", false, []int64{acme.ID}, map[string]string{"account_id": "28"})
	other := newUser("other@example.com", false, nil, nil)
	gone := newUser("gone@example.com", false, nil, nil)
	if err := a.SetUserActive(ctx, admin, gone.ID, false); err != nil {
		t.Fatal(err)
	}
	admin2 := newUser("admin2@example.com", true, nil, nil)

	for _, tt := range []struct {
		name   string
		actor  *sightline.User
		target int64
		code   string
	}{
		{"signed out", nil, customer.ID, sightline.EUNAUTHORIZED},
		{"not an administrator", other, customer.ID, sightline.EFORBIDDEN},
		{"deactivated user", admin, gone.ID, sightline.EINVALID},
		{"another administrator", admin, admin2.ID, sightline.EINVALID},
		{"oneself", admin, admin.ID, sightline.EINVALID},
		{"no such user", admin, 9999, sightline.ENOTFOUND},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u, err := a.StartViewAs(ctx, tt.actor, tt.target)
			if got := sightline.ErrorCode(err); u != nil || got != tt.code {
				t.Errorf("StartViewAs(%d) = %v, %v (%s); want nil and %s", tt.target, u, err, got, tt.code)
			}
		})
	}
	if n := rec.count("view-as-start"); n != 0 {
		t.Errorf("refused previews recorded %d view-as-start entries, want 0", n)
	}

	u, err := a.StartViewAs(ctx, admin, customer.ID)
	if err != nil {
		t.Fatalf("StartViewAs(customer) = %v", err)
	}
	if u.ID != customer.ID || len(u.Groups) == 0 || u.EffectiveAttributes()["account_id"] != "28" {
		t.Errorf("StartViewAs(customer) = %+v, want the customer with groups and attributes", u)
	}
	if n := rec.count("view-as-start"); n != 1 {
		t.Errorf("view-as-start entries = %d, want 1", n)
	}
	// Every request asks again: a deactivated or promoted target ends it.
	if err := a.SetUserActive(ctx, admin, customer.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ViewAs(ctx, admin, customer.ID); sightline.ErrorCode(err) != sightline.EINVALID {
		t.Errorf("ViewAs(deactivated customer) = %v, want EINVALID", err)
	}
	if err := a.StopViewAs(ctx, admin, u); err != nil {
		t.Fatal(err)
	}
	if n := rec.count("view-as-stop"); n != 1 {
		t.Errorf("view-as-stop entries = %d, want 1", n)
	}
	if err := a.StopViewAs(ctx, other, u); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("StopViewAs by a non-admin = %v, want EFORBIDDEN", err)
	}
}
