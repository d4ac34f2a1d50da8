package appdb

import (
	"context"
	"testing"

	"sightline"
)

func TestAPIKeys(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		admin := &sightline.User{Email: "ada@example.com", FirstName: "Ada", LastName: "Admin"}
		if err := db.CreateUser(ctx, admin, "", true); err != nil {
			t.Fatal(err)
		}
		g := &sightline.Group{Name: "Automation"}
		if err := db.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		k := &sightline.APIKey{Name: "onboarding", GroupID: g.ID, Prefix: "mb_AbCd", CreatorID: admin.ID, UpdatedBy: admin.ID}
		if err := db.CreateAPIKey(ctx, k, "hash-1"); err != nil {
			t.Fatalf("CreateAPIKey: %v", err)
		}
		dup := &sightline.APIKey{Name: "onboarding", GroupID: g.ID, Prefix: "mb_XyZw", CreatorID: admin.ID, UpdatedBy: admin.ID}
		if err := db.CreateAPIKey(ctx, dup, "hash-2"); sightline.ErrorCode(err) != sightline.ECONFLICT {
			t.Errorf("CreateAPIKey(same name) = %v, want conflict", err)
		}
		bad := &sightline.APIKey{Name: "other", GroupID: 9999, Prefix: "mb_XyZw", CreatorID: admin.ID, UpdatedBy: admin.ID}
		if err := db.CreateAPIKey(ctx, bad, "hash-3"); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("CreateAPIKey(unknown group) = %v, want not found", err)
		}

		got, err := db.APIKeyByHash(ctx, "hash-1")
		if err != nil {
			t.Fatalf("APIKeyByHash: %v", err)
		}
		if got.ID != k.ID || got.GroupID != g.ID || got.GroupName != "Automation" || got.Prefix != "mb_AbCd" || got.UpdatedByName != "Ada Admin" {
			t.Errorf("APIKeyByHash = %+v, want the key in Automation updated by Ada Admin", got)
		}
		if _, err := db.APIKeyByHash(ctx, "hash-unknown"); sightline.ErrorCode(err) != sightline.EUNAUTHORIZED {
			t.Errorf("APIKeyByHash(unknown) = %v, want unauthorized", err)
		}

		k.Name, k.GroupID = "renamed", sightline.AdminGroupID
		if err := db.UpdateAPIKey(ctx, k); err != nil {
			t.Fatalf("UpdateAPIKey: %v", err)
		}
		if err := db.SetAPIKeySecret(ctx, k.ID, "hash-new", "mb_NeWw", admin.ID); err != nil {
			t.Fatalf("SetAPIKeySecret: %v", err)
		}
		if _, err := db.APIKeyByHash(ctx, "hash-1"); sightline.ErrorCode(err) != sightline.EUNAUTHORIZED {
			t.Errorf("old secret after regenerating = %v, want unauthorized", err)
		}
		list, err := db.APIKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Name != "renamed" || list[0].GroupID != sightline.AdminGroupID || list[0].Prefix != "mb_NeWw" {
			t.Fatalf("APIKeys = %+v, want the one renamed key in Administrators with the new prefix", list)
		}

		// Deleting a group deletes its keys: none outlives the rights it had.
		k2 := &sightline.APIKey{Name: "tenant", GroupID: g.ID, Prefix: "mb_TeNa", CreatorID: admin.ID, UpdatedBy: admin.ID}
		if err := db.CreateAPIKey(ctx, k2, "hash-t"); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteGroup(ctx, g.ID); err != nil {
			t.Fatalf("DeleteGroup: %v", err)
		}
		if _, err := db.APIKey(ctx, k2.ID); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("key of a deleted group = %v, want not found", err)
		}

		if err := db.DeleteAPIKey(ctx, k.ID); err != nil {
			t.Fatalf("DeleteAPIKey: %v", err)
		}
		if err := db.DeleteAPIKey(ctx, k.ID); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("DeleteAPIKey twice = %v, want not found", err)
		}
		if _, err := db.APIKeyByHash(ctx, "hash-new"); sightline.ErrorCode(err) != sightline.EUNAUTHORIZED {
			t.Errorf("deleted key = %v, want unauthorized", err)
		}
	})
}
