package app

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/appdb"
	"sightline/internal/cachebus"
)

// TestCollectionViewHidesWhatCannotBeRead: a person who may read a
// collection inside one they may not read sees it (at the root, so that
// they can reach it) without learning its parent's name, and the root's own
// dashboards and questions are not listed to people who may not read the
// root.
func TestCollectionViewHidesWhatCannotBeRead(t *testing.T) {
	ctx := context.Background()
	a, _, admin := newTestApp(t)
	secret, err := a.CreateCollection(ctx, admin, "Secret Project", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	shared, err := a.CreateCollection(ctx, admin, "Shared with customers", "", secret.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Root board"}); err != nil {
		t.Fatal(err)
	}
	old, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Old root board"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.UpdateItem(ctx, admin, "dashboard", old.ID, ItemEdit{Archived: &[]bool{true}[0]}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Customer board", CollectionID: shared.ID}); err != nil {
		t.Fatal(err)
	}
	cg, err := a.CollectionPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveCollectionPermissionGraph(ctx, admin, access.WireCollectionGraph{Revision: cg.Revision, Groups: map[string]map[string]string{
		"1": {"root": access.CollectionNone, strconv.FormatInt(secret.ID, 10): access.CollectionNone, strconv.FormatInt(shared.ID, 10): access.CollectionRead}}}, false); err != nil {
		t.Fatal(err)
	}
	carl, err := a.CreateUser(ctx, admin, NewUserInput{Email: "carl@example.com", Password: "a password"})
	if err != nil {
		t.Fatal(err)
	}

	root, err := a.CollectionView(ctx, carl, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(root.Dashboards) != 0 || len(root.Cards) != 0 {
		t.Errorf("the root lists %d dashboards and %d questions to someone who may not read it", len(root.Dashboards), len(root.Cards))
	}
	// Nor does the trash.
	trash, err := a.Trash(ctx, carl)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range trash {
		if it.Name == "Old root board" {
			t.Errorf("the trash lists %q to someone who may not read the root", it.Name)
		}
	}
	var names []string
	for _, c := range root.Collections {
		names = append(names, c.Name)
	}
	if !containsName(names, "Shared with customers") || containsName(names, "Secret Project") {
		t.Errorf("the root lists %v for Carl, want Shared with customers and not Secret Project", names)
	}
	v, err := a.CollectionView(ctx, carl, shared.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Ancestors) != 0 {
		t.Errorf("the breadcrumbs of Shared with customers name %q for Carl, who may not read it", v.Ancestors[0].Name)
	}
	if len(v.Dashboards) != 1 || v.Dashboards[0].Name != "Customer board" {
		t.Errorf("Shared with customers lists %v for Carl, want Customer board", v.Dashboards)
	}
	// The administrator sees everything where it is.
	root, err = a.CollectionView(ctx, admin, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(root.Dashboards) != 1 {
		t.Errorf("the root lists %d dashboards to the admin, want Root board", len(root.Dashboards))
	}
	if v, err = a.CollectionView(ctx, admin, shared.ID); err != nil || len(v.Ancestors) != 1 || v.Ancestors[0].Name != "Secret Project" {
		t.Errorf("the admin's breadcrumbs of Shared with customers = %v, %v; want Secret Project", v, err)
	}
	for _, c := range root.Collections {
		if c.ID == shared.ID {
			t.Errorf("the admin's root lists Shared with customers, which sits in Secret Project")
		}
	}
}

func containsName(names []string, n string) bool {
	for _, x := range names {
		if x == n {
			return true
		}
	}
	return false
}

// TestCollectionMoveTakesEffectAtOnce moves a collection that a person
// reads through its parent to where they may not read it, while the
// apps' clock stands still so that no cached state expires by itself: the
// very next request must refuse the dashboard inside and no longer find
// the collection, on the instance that made the move and on another one
// joined to it by the cache bus, since who may read a collection follows
// its place in the tree.
func TestCollectionMoveTakesEffectAtOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	hub := cachebus.NewHub()
	now := time.Now()
	open := func() *App {
		db, err := appdb.Open(ctx, appdb.Options{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		a := New(Options{Store: db, Meta: db, Content: db, Search: db, Bus: hub.Join(), Now: func() time.Time { return now }})
		t.Cleanup(func() { a.Close() })
		return a
	}
	a := open()
	_, admin, err := a.Setup(ctx, SetupInput{Email: "admin@example.com", Password: "admin password", FirstName: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	other := open()
	for deadline := time.Now().Add(time.Second); !a.CacheBusLive() || !other.CacheBusLive(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the hub never reported live")
		}
	}
	carl, err := a.CreateUser(ctx, admin, NewUserInput{Email: "carl@example.com", Password: "a password"})
	if err != nil {
		t.Fatal(err)
	}
	mine, err := a.PersonalCollection(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		// to is the new parent: a collection Carl may not read.
		to func(t *testing.T) int64
	}{
		{"under a collection the reader may not read", func(t *testing.T) int64 {
			private, err := a.CreateCollection(ctx, admin, "Board only", "", 0)
			if err != nil {
				t.Fatal(err)
			}
			cg, err := a.CollectionPermissionGraph(ctx, admin)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.SaveCollectionPermissionGraph(ctx, admin, access.WireCollectionGraph{Revision: cg.Revision, Groups: map[string]map[string]string{
				"1": {strconv.FormatInt(private.ID, 10): access.CollectionNone}}}, false); err != nil {
				t.Fatal(err)
			}
			return private.ID
		}},
		{"into someone else's personal collection", func(*testing.T) int64 { return mine.ID }},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to := tt.to(t)
			// All Users reads the root, and so this collection.
			moved, err := a.CreateCollection(ctx, admin, "Quarterly "+strconv.Itoa(i), "", 0)
			if err != nil {
				t.Fatal(err)
			}
			d, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Quarterly board", CollectionID: moved.ID})
			if err != nil {
				t.Fatal(err)
			}
			apps := map[string]*App{"this instance": a, "another instance": other}
			for where, x := range apps {
				if _, err := x.Dashboard(ctx, carl, d.ID); err != nil {
					t.Fatalf("Carl's dashboard on %s before the move: %v", where, err)
				}
				if _, err := x.CollectionView(ctx, carl, moved.ID); err != nil {
					t.Fatalf("Carl's collection on %s before the move: %v", where, err)
				}
			}
			if _, err := a.UpdateCollection(ctx, admin, moved.ID, CollectionEdit{ParentID: &to}); err != nil {
				t.Fatal(err)
			}
			// The hub delivers in the background.
			time.Sleep(50 * time.Millisecond)
			for where, x := range apps {
				if _, err := x.Dashboard(ctx, carl, d.ID); sightline.ErrorCode(err) != sightline.ENOTFOUND {
					t.Errorf("Carl's dashboard on %s after its collection moved: %v, want not found", where, err)
				}
				if _, err := x.CollectionView(ctx, carl, moved.ID); sightline.ErrorCode(err) != sightline.ENOTFOUND {
					t.Errorf("Carl's collection on %s after it moved: %v, want not found", where, err)
				}
				found, err := x.Search(ctx, carl, "Quarterly", nil)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range found {
					t.Errorf("Carl's search on %s after the move finds the %s %q", where, r.Model, r.Name)
				}
			}
		})
	}
}

// TestMovingOutNeedsWriteWhereItWas moves each kind of item (a question,
// a dashboard, a collection) out of a collection its mover may only view,
// into one they may curate: each move is refused, like any other change
// to what the viewed collection holds. A collection's own curate access
// does not reach its place in its parent.
func TestMovingOutNeedsWriteWhereItWas(t *testing.T) {
	a, _, admin, sample := sampleApp(t)
	ctx := context.Background()
	tables, err := a.Tables(ctx, admin, sample.ID)
	if err != nil {
		t.Fatal(err)
	}
	inv := tableByName(t, tables, "INVOICES")
	viewed, err := a.CreateCollection(ctx, admin, "Official reports", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	team, err := a.CreateCollection(ctx, admin, "Team corner", "", viewed.ID)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := a.CreateCollection(ctx, admin, "Scratch", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	card, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Official count", CollectionID: viewed.ID, Query: &sightline.Query{Database: sample.ID,
		Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: inv.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	dash, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Official board", CollectionID: viewed.ID})
	if err != nil {
		t.Fatal(err)
	}
	cg, err := a.CollectionPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	id := func(c *sightline.Collection) string { return strconv.FormatInt(c.ID, 10) }
	if _, err := a.SaveCollectionPermissionGraph(ctx, admin, access.WireCollectionGraph{Revision: cg.Revision, Groups: map[string]map[string]string{
		"1": {"root": access.CollectionRead, id(viewed): access.CollectionRead, id(team): access.CollectionWrite, id(mine): access.CollectionWrite}}}, false); err != nil {
		t.Fatal(err)
	}
	carl, err := a.CreateUser(ctx, admin, NewUserInput{Email: "carl@example.com", Password: "a password"})
	if err != nil {
		t.Fatal(err)
	}
	to := mine.ID
	for _, tt := range []struct {
		model string
		id    int64
	}{{"card", card.ID}, {"dashboard", dash.ID}, {"collection", team.ID}} {
		t.Run(tt.model, func(t *testing.T) {
			if err := a.UpdateItem(ctx, carl, tt.model, tt.id, ItemEdit{CollectionID: &to}); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
				t.Errorf("Carl moves the %s out of a collection he may only view: %v, want forbidden", tt.model, err)
			}
		})
	}
	if c, err := a.content.Collection(ctx, team.ID); err != nil || c.ParentID != viewed.ID {
		t.Errorf("Team corner after Carl's move: %+v, %v; want it still in Official reports", c, err)
	}
	// What he may curate stays his to rename.
	name := "Team corner, renamed"
	if _, err := a.UpdateCollection(ctx, carl, team.ID, CollectionEdit{Name: &name}); err != nil {
		t.Errorf("Carl renames the collection he curates: %v", err)
	}
}

// TestSearchFindsPastItemsItCannotShow: a person who may read one
// "Quarterly" dashboard finds it although more than a page of dashboards
// by that name, made before it, sit in a collection they may not read; and
// a search stops at its limit when they may read them all.
func TestSearchFindsPastItemsItCannotShow(t *testing.T) {
	a, _, admin := newTestApp(t)
	ctx := context.Background()
	private, err := a.CreateCollection(ctx, admin, "Board only", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	cg, err := a.CollectionPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveCollectionPermissionGraph(ctx, admin, access.WireCollectionGraph{Revision: cg.Revision, Groups: map[string]map[string]string{
		"1": {strconv.FormatInt(private.ID, 10): access.CollectionNone}}}, false); err != nil {
		t.Fatal(err)
	}
	carl, err := a.CreateUser(ctx, admin, NewUserInput{Email: "carl@example.com", Password: "a password"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range searchLimit + 50 {
		if _, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Quarterly board " + strconv.Itoa(i), CollectionID: private.ID}); err != nil {
			t.Fatal(err)
		}
	}
	open, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Quarterly for everyone"})
	if err != nil {
		t.Fatal(err)
	}
	found, err := a.Search(ctx, carl, "quarterly", []string{"dashboard"})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].ID != open.ID {
		t.Errorf("Carl's search = %d items %v, want only %q", len(found), found, open.Name)
	}
	all, err := a.Search(ctx, admin, "quarterly", []string{"dashboard"})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != searchLimit {
		t.Errorf("the administrator's search = %d items, want the limit %d", len(all), searchLimit)
	}
}
