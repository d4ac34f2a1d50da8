package app

import (
	"context"
	"testing"

	"sightline"
	"sightline/internal/access"
)

// TestSaveXRayNeedsTheRoot: saving the first X-ray creates its collection
// in the root, so someone who may only read the root is refused and no
// collection appears.
func TestSaveXRayNeedsTheRoot(t *testing.T) {
	ctx := context.Background()
	a, _, admin := newTestApp(t)
	cg, err := a.CollectionPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveCollectionPermissionGraph(ctx, admin, access.WireCollectionGraph{Revision: cg.Revision, Groups: map[string]map[string]string{
		"1": {"root": access.CollectionRead}}}, false); err != nil {
		t.Fatal(err)
	}
	carl, err := a.CreateUser(ctx, admin, NewUserInput{Email: "carl@example.com", Password: "a password"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveXRay(ctx, carl, &sightline.Dashboard{Name: "A look"}); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("SaveXRay as a reader of the root = %v, want refused", err)
	}
	if c, err := a.content.CollectionByName(ctx, sightline.AutoDashboardsCollectionName); err == nil {
		t.Errorf("SaveXRay refused but created the collection %q", c.Name)
	}
}
