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

// TestSafeLinkTemplate checks the click-behavior URL templates a dashboard
// may keep: only those a browser opens as an http(s) address or a page of
// this site.
func TestSafeLinkTemplate(t *testing.T) {
	tests := []struct {
		tpl  string
		want bool
	}{
		{"https://example.com/accounts/{{ACCOUNT_ID}}", true},
		{"http://example.com", true},
		{"/dashboard/2?plan={{plan}}", true},
		{"javascript:alert(1)", false},
		{" JavaScript:alert(1)", false},
		{"data:text/html,x", false},
		{"//evil.example/{{PLAN}}", false},
		{"/\\evil.example", false},
		{"https:///evil.example", false},
		// A browser drops tabs and new lines anywhere in an address.
		{"/\t/evil.example", false},
		{"/\n/evil.example", false},
		{"/\r\\evil.example", false},
		{"https:\t//evil.example", false},
		{"/x\x00", false},
		{"/x\x7f", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := safeLinkTemplate(tt.tpl); got != tt.want {
			t.Errorf("safeLinkTemplate(%q) = %v, want %v", tt.tpl, got, tt.want)
		}
	}
}
