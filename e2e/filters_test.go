package e2e

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRequiredFilter opens a dashboard whose date filter is required: the
// page starts with the default, an address that empties the filter still
// applies it, and Clear in the picker puts the default back instead of
// showing every row.
func TestRequiredFilter(t *testing.T) {
	s, api := startWithSample(t)
	id, _, _ := tabDashboard(t, s, api, `[{"id": "when", "name": "Received", "slug": "when", "type": "date/all-options",
		"required": true, "default": "2025-01-01~2025-06-30"}]`, "DATE_RECEIVED")
	ctx := browser(t)
	console := watchConsole(t, ctx)
	signIn(t, ctx, s.URL)

	summary := `.dash-filter[data-slug="when"] summary`
	const label = "Jan 1, 2025 – Jun 30, 2025"
	open := func(t *testing.T, path, label string) map[string]string {
		t.Helper()
		do(t, ctx, chromedp.Navigate(s.URL+path), chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-ready="true"]`)))
		if st := waitCards(t, ctx, "#dashboard"); len(st.Failed) > 0 {
			t.Errorf("cards on %s: %+v, want no errors", path, st)
		}
		if got := text(t, ctx, summary); got != label {
			t.Errorf("on %s the filter reads %q, want %q", path, got, label)
		}
		return cardNumbers(t, ctx)
	}
	narrowed := open(t, "/dashboard/"+id, label)
	if got := open(t, "/dashboard/"+id+"?when=", label); got["Invoice count"] != narrowed["Invoice count"] {
		t.Errorf("Invoice count with ?when= = %q, want %q as with the default", got["Invoice count"], narrowed["Invoice count"])
	}
	// A wider range counts more invoices, so the default is what narrowed
	// the card.
	all := open(t, "/dashboard/"+id+"?when=2000-01-01~2100-01-01", "Jan 1, 2000 – Jan 1, 2100")
	if all["Invoice count"] == narrowed["Invoice count"] {
		t.Fatalf("Invoice count %q for all dates and with the default; the default does not narrow it", all["Invoice count"])
	}

	do(t, ctx, chromedp.Click(chromedp.CSS(summary)), chromedp.WaitVisible(chromedp.CSS(".dash-date-panel .dash-date-clear")))
	eval[bool](t, ctx, `(() => { document.getElementById("dashboard").dataset.loaded = "false"; return true; })()`)
	do(t, ctx, chromedp.Click(chromedp.CSS(".dash-date-clear")))
	if st := waitCards(t, ctx, "#dashboard"); len(st.Failed) > 0 {
		t.Errorf("cards after Clear: %+v, want no errors", st)
	}
	if got := text(t, ctx, summary); got != label {
		t.Errorf("after Clear the filter reads %q, want the default %q", got, label)
	}
	if got := cardNumbers(t, ctx); got["Invoice count"] != narrowed["Invoice count"] {
		t.Errorf("Invoice count after Clear = %q, want %q (the default)", got["Invoice count"], narrowed["Invoice count"])
	}
	if u, _ := url.Parse(location(t, ctx)); u == nil || u.Query().Has("when") {
		t.Errorf("URL after Clear = %s, want no when= (the default)", location(t, ctx))
	}
	for _, e := range console() {
		t.Errorf("console error: %s", e)
	}
}
