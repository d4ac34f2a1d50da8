package appdb

import (
	"context"
	"testing"

	"sightline"
)

// TestPublicLinks sets, finds, lists and clears the public link of a
// question on each app database dialect.
func TestPublicLinks(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		q := &sightline.Query{Version: sightline.QueryVersion, Database: 1, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: 1}}
		a := &sightline.Card{Name: "Alpha", Display: "table", DatabaseID: 1, CreatorID: 1, Query: q}
		b := &sightline.Card{Name: "Beta", Display: "table", DatabaseID: 1, CreatorID: 1, Query: q}
		for _, c := range []*sightline.Card{a, b} {
			if err := db.CreateCard(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if u, err := db.PublicUUID(ctx, sightline.PublicCard, a.ID); err != nil || u != "" {
			t.Fatalf("PublicUUID of a new question = %q, %v; want none", u, err)
		}
		const link = "9a1b2c3d-0000-4000-8000-000000000001"
		if err := db.SetPublicUUID(ctx, sightline.PublicCard, a.ID, link); err != nil {
			t.Fatal(err)
		}
		if err := db.SetPublicUUID(ctx, sightline.PublicCard, b.ID, link); err == nil {
			t.Error("two questions got the same public link, want the second refused")
		}
		if id, err := db.ByPublicUUID(ctx, sightline.PublicCard, link); err != nil || id != a.ID {
			t.Errorf("ByPublicUUID = %d, %v; want %d", id, err, a.ID)
		}
		if _, err := db.ByPublicUUID(ctx, sightline.PublicDashboard, link); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("a question's link found a dashboard: %v", err)
		}
		links, err := db.PublicLinks(ctx, sightline.PublicCard)
		if err != nil || len(links) != 1 || links[0] != (sightline.PublicLink{ID: a.ID, Name: "Alpha", PublicUUID: link}) {
			t.Errorf("PublicLinks = %+v, %v; want only Alpha", links, err)
		}
		if err := db.SetPublicUUID(ctx, sightline.PublicCard, a.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ByPublicUUID(ctx, sightline.PublicCard, link); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("ByPublicUUID after revoking = %v, want not found", err)
		}
		if err := db.SetPublicUUID(ctx, sightline.PublicCard, 9999, link); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("SetPublicUUID on a missing question = %v, want not found", err)
		}
	})
}
