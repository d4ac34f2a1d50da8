package app

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

// TestViewsAreWrittenOffTheRequest opens a dashboard: the view is not
// written while the request waits, shows in the person's recent items at
// once, and is written before the app closes.
func TestViewsAreWrittenOffTheRequest(t *testing.T) {
	a, db, admin := newTestApp(t)
	ctx := context.Background()
	first, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "First"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Second"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Dashboard(ctx, admin, first.ID); err != nil {
		t.Fatal(err)
	}
	if views, err := db.RecentViews(ctx, admin.ID, 10); err != nil || len(views) != 0 {
		t.Errorf("stored recent views as the request returns = %v, %v; want none yet (written within %s)", views, err, viewFlushEvery)
	}
	items, err := a.RecentItems(ctx, admin, 10)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]RecentItem{{Model: "dashboard", ID: first.ID, Name: "First"}}, items); diff != "" {
		t.Errorf("recent items right after opening a dashboard (-want +got):\n%s", diff)
	}

	if _, err := a.Dashboard(ctx, admin, second.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	views, err := db.RecentViews(ctx, admin.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []sightline.RecentView{{Model: "dashboard", ID: second.ID}, {Model: "dashboard", ID: first.ID}}
	if diff := cmp.Diff(want, views); diff != "" {
		t.Errorf("stored recent views after the app closed (-want +got):\n%s", diff)
	}
}
