package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// layoutProblemsJS lists what is wrong with the page's layout at the
// current width: a page-level horizontal scroll, a visible interactive
// element cut off at the page's left or right edge (outside any scrolling
// box of its own), and two visible interactive elements that overlap. An
// element is visible when it has a box, is not hidden by CSS and shows at
// least partly through the boxes that clip it.
const layoutProblemsJS = `(() => {
	const W = window.innerWidth, out = [];
	const se = document.scrollingElement;
	if (se.scrollWidth > W) out.push("page scrolls sideways: " + se.scrollWidth + " > " + W);
	const name = (e) => {
		let s = e.tagName.toLowerCase();
		if (e.id) s += "#" + e.id;
		else if (e.className && typeof e.className === "string") s += "." + e.className.trim().split(/\s+/).join(".");
		const t = (e.getAttribute("aria-label") || e.textContent || e.value || "").trim().replace(/\s+/g, " ").slice(0, 30);
		return t ? s + " \"" + t + "\"" : s;
	};
	// clip is the part of e's box that shows through its ancestors that
	// clip overflow; scrolls tells whether one of them scrolls sideways.
	const clip = (e) => {
		let r = e.getBoundingClientRect(), box = {l: r.left, t: r.top, r: r.right, b: r.bottom}, scrolls = false;
		for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
			const cs = getComputedStyle(p);
			if (cs.overflowX !== "visible" || cs.overflowY !== "visible") {
				const pr = p.getBoundingClientRect();
				if (cs.overflowX === "auto" || cs.overflowX === "scroll") scrolls = true;
				box = {l: Math.max(box.l, pr.left), t: Math.max(box.t, pr.top), r: Math.min(box.r, pr.right), b: Math.min(box.b, pr.bottom)};
			}
		}
		return {box, scrolls};
	};
	const items = [];
	document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]").forEach((e) => {
		const r = e.getBoundingClientRect();
		if (r.width < 1 || r.height < 1) return;
		const cs = getComputedStyle(e);
		if (cs.visibility === "hidden" || cs.display === "none" || Number(cs.opacity) === 0) return;
		if (e.closest("[hidden], dialog:not([open]), .visually-hidden, .sr-only")) return;
		// The content of a closed <details> (a menu) is not shown, its summary is.
		for (let d = e.closest("details:not([open])"); d; d = d.parentElement && d.parentElement.closest("details:not([open])")) {
			if (!(e.tagName === "SUMMARY" && e.parentElement === d)) return;
		}
		const {box, scrolls} = clip(e);
		if (box.r - box.l < 1 || box.b - box.t < 1) return; // clipped away (a scrolled-off cell, a closed panel)
		if (box.r <= 0 || box.l >= W) return; // off-canvas (the closed side navigation)
		if (!scrolls && (r.left < -1 || r.right > W + 1)) out.push("cut off: " + name(e) + " spans " + Math.round(r.left) + ".." + Math.round(r.right) + " of " + W);
		items.push({e, box});
	});
	for (let i = 0; i < items.length; i++) {
		for (let j = i + 1; j < items.length; j++) {
			const a = items[i], b = items[j];
			if (a.e.contains(b.e) || b.e.contains(a.e)) continue;
			// A label's control and the control of a custom widget are one.
			if (a.e.closest("label") && a.e.closest("label") === b.e.closest("label")) continue;
			const w = Math.min(a.box.r, b.box.r) - Math.max(a.box.l, b.box.l), h = Math.min(a.box.b, b.box.b) - Math.max(a.box.t, b.box.t);
			if (w > 2 && h > 2) out.push("overlap: " + name(a.e) + " and " + name(b.e));
		}
	}
	return out.slice(0, 15);
})()`

// TestNarrowFrames loads the pages a host app frames at the widths host
// apps give them (a phone, 600, 800 and a desktop's 1,280 px) and checks
// their geometry: no page-level horizontal scroll, no visible control cut
// off or overlapping another. Wide tables scroll inside their own box.
func TestNarrowFrames(t *testing.T) {
	s := startSightline(t, "127.0.0.1", map[string]string{"SIGHTLINE_ADMIN_EMAIL": adminEmail, "SIGHTLINE_ADMIN_PASSWORD": adminPassword})
	api := &adminAPI{t: t, base: s.URL}
	api.signIn(adminEmail, adminPassword)
	dashPath := api.saveInvoicesXRay()
	var dash struct {
		Parameters []json.RawMessage `json:"parameters"`
		Dashcards  []struct {
			CardID int64 `json:"card_id"`
		} `json:"dashcards"`
	}
	json.Unmarshal(api.call("GET", "/api"+dashPath, nil), &dash)
	if len(dash.Parameters) == 0 {
		t.Fatalf("the INVOICES X-ray has no filters")
	}
	var card int64
	for _, dc := range dash.Dashcards {
		if dc.CardID != 0 {
			card = dc.CardID
			break
		}
	}
	var table struct {
		ID int64 `json:"table_id"`
		DB int64 `json:"database_id"`
	}
	json.Unmarshal(api.call("GET", fmt.Sprintf("/api/card/%d", card), nil), &table)

	ctx := browser(t)
	signIn(t, ctx, s.URL)
	pages := []struct {
		name, path string
		// ready is true once the page has drawn what it shows.
		ready string
	}{
		{"home", "/", `!!document.querySelector("main h1, main .greeting")`},
		{"dashboard", dashPath, `!!document.querySelector('#dashboard[data-loaded="true"]') && !!document.querySelector("#dash-filters, .dash-filters")`},
		{"question", fmt.Sprintf("/question/%d", card), `!!document.querySelector("#viz canvas, #viz table, #viz .viz-scalar-value")`},
		{"table", fmt.Sprintf("/question/new?table=%d", table.ID), `!!document.querySelector("#notebook .nb-step, #notebook [class^=nb]")`},
		{"rows", "/question?q=" + base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d}}`, table.DB, table.ID))),
			`!!document.querySelector("#viz table tbody tr")`},
		{"browse", fmt.Sprintf("/table/%d", table.ID), `!!document.querySelector("#rows tbody tr")`},
		{"sql", "/question/new?type=native", `!!document.querySelector("#sql-text") && document.querySelector("#sql-database").options.length > 0`},
		{"permissions", "/admin/permissions", `!!document.querySelector("#perm-grid select")`},
		{"authentication", "/admin/settings/authentication", `!!document.querySelector("#jwt-form")`},
		{"audit", "/admin/audit", `!!document.querySelector("#audit-list tbody tr")`},
		{"people", "/admin/people", `!!document.querySelector("main table tbody tr")`},
	}
	for _, w := range []int64{360, 600, 800, 1280} {
		for _, p := range pages {
			t.Run(fmt.Sprintf("%s-%d", p.name, w), func(t *testing.T) {
				do(t, ctx, chromedp.EmulateViewport(w, 800), chromedp.Navigate(s.URL+p.path))
				waitTrue(t, ctx, `document.readyState === "complete" && (`+p.ready+`)`)
				problems := eval[[]string](t, ctx, layoutProblemsJS)
				if len(problems) > 0 {
					shot(t, ctx, "layout")
					t.Errorf("%s at %d px:\n  %s", p.path, w, strings.Join(problems, "\n  "))
				}
			})
		}
	}
}
