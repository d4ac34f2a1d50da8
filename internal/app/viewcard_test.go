package app

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/sandbox"
)

// TestSandboxViewCardCollection checks that a saved question used as a
// sandbox's view stays in a collection only administrators can change: the
// sandbox is refused at save otherwise, collection grants that would open
// its collection are refused, and a view moved where others can change it
// shows no rows instead of whatever someone edited it into.
func TestSandboxViewCardCollection(t *testing.T) {
	a, _, admin, sample := sampleApp(t)
	ctx := context.Background()
	w := setupWalkthrough(t, a, admin, sample)
	acctID := fieldByName(t, w.inv, "ACCOUNT_ID").ID
	remap := map[string]sandbox.Target{"account_id": {Kind: sandbox.TargetDimension, FieldID: acctID}}

	ours, err := a.CreateCollection(ctx, admin, "Our analytics", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	grant := func(group int64, collection int64, level string) error {
		cg, err := a.CollectionPermissionGraph(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.SaveCollectionPermissionGraph(ctx, admin, access.WireCollectionGraph{Revision: cg.Revision,
			Groups: map[string]map[string]string{strconv.FormatInt(group, 10): {strconv.FormatInt(collection, 10): level}}}, false)
		return err
	}
	if err := grant(sightline.AllUsersGroupID, ours.ID, access.CollectionWrite); err != nil {
		t.Fatal(err)
	}
	view := func(name string, collection int64) *sightline.Card {
		c, err := a.CreateCard(ctx, admin, &sightline.Card{Name: name, CollectionID: collection, Query: &sightline.Query{Database: sample.ID,
			Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: w.inv.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	g, err := a.CreateGroup(ctx, admin, "Viewed customers")
	if err != nil {
		t.Fatal(err)
	}
	bea := w.user(t, "bea@acme.example", map[string]string{"account_id": "28"}, g.ID)
	sub, err := a.CreateCollection(ctx, admin, "Our analytics, archive", "", ours.ID)
	if err != nil {
		t.Fatal(err)
	}
	adminPersonal, err := a.PersonalCollection(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}

	refused := []struct {
		name       string
		collection int64
		msg        string
	}{
		{"a collection All Users can curate", ours.ID, "is in a collection All Users can curate"},
		{"a sub-collection of one All Users can curate", sub.ID, "is in a collection All Users can curate"},
		{"a personal collection", adminPersonal.ID, "is in a personal collection"},
	}
	for _, tt := range refused {
		c := view("View in "+tt.name, tt.collection)
		_, err := a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: g.ID, TableID: w.inv.ID, CardID: c.ID, Remappings: remap})
		if sightline.ErrorCode(err) != sightline.EINVALID || !strings.Contains(sightline.ErrorMessage(err), tt.msg) {
			t.Errorf("SaveSandbox(view in %s) = %v, want invalid: %s", tt.name, err, tt.msg)
		}
	}

	// Shared is only viewed by All Users: a fine place for a view.
	good := view("Invoices view", w.shared.ID)
	if _, err := a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: g.ID, TableID: w.inv.ID, CardID: good.ID, Remappings: remap}); err != nil {
		t.Fatalf("SaveSandbox(view in Shared) = %v", err)
	}
	wantCount(t, a, bea, "Bea through the view", w.count(w.inv.ID), 22)

	// Opening Shared to curation is refused, for All Users and for the
	// sandboxed group alike; view access stays possible.
	for _, group := range []int64{sightline.AllUsersGroupID, g.ID} {
		err := grant(group, w.shared.ID, access.CollectionWrite)
		if sightline.ErrorCode(err) != sightline.ECONFLICT || !strings.Contains(sightline.ErrorMessage(err), `"Invoices view", which a sandbox uses as its view`) {
			t.Errorf("granting group %d curate access to the view's collection = %v, want a conflict naming the view", group, err)
		}
	}
	if err := grant(g.ID, w.shared.ID, access.CollectionRead); err != nil {
		t.Errorf("granting view access to the view's collection = %v, want it saved", err)
	}
	if err := a.checkCollectionWrite(ctx, bea, w.shared.ID); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("Bea writing into Shared after the refused grant = %v, want forbidden", err)
	}

	// A view moved where others can change it stops showing rows.
	good.CollectionID = ours.ID
	if _, err := a.UpdateCard(ctx, admin, good); err != nil {
		t.Fatal(err)
	}
	a.forgetPermissions()
	wantRefused(t, a, bea, "Bea through a view now in Our analytics", w.count(w.inv.ID), sightline.EFORBIDDEN,
		"The saved question behind a sandbox is in a collection people other than administrators can change")
	wantCount(t, a, admin, "the admin", w.count(w.inv.ID), 13856)

	// With the view in the open, unrelated grants are not blocked, and
	// closing its collection brings the sandbox back.
	if err := grant(g.ID, w.shared.ID, access.CollectionNone); err != nil {
		t.Errorf("an unrelated grant while a view is in the open = %v, want it saved", err)
	}
	if err := grant(sightline.AllUsersGroupID, ours.ID, access.CollectionRead); err != nil {
		t.Errorf("closing the view's collection = %v, want it saved", err)
	}
	a.forgetPermissions()
	wantCount(t, a, bea, "Bea through the view once its collection is closed", w.count(w.inv.ID), 22)
}
