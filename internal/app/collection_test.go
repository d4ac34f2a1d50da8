package app

import (
	"context"
	"strconv"
	"testing"

	"sightline"
	"sightline/internal/access"
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
