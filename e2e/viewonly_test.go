package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// checkViewOnly opens, in the frame of a customer who may read the
// dashboard's collection but not write it, the dashboard at dashPath, one of
// its questions and their collection, and fails on any control there that
// would change them: Edit, Duplicate, the edit bar, Replace the original
// question, Save before a change (after one, Save offers only a copy into
// their personal collection), the items' Pin, Move and Trash menu, New
// collection.
func checkViewOnly(t *testing.T, frame context.Context, dashPath string) {
	t.Helper()
	eval[bool](t, frame, fmt.Sprintf(`(() => { location.href = %q; return true; })()`, dashPath))
	waitTrue(t, frame, fmt.Sprintf(`location.pathname === %q && document.readyState === "complete" && !!document.querySelector('#dashboard[data-loaded="true"]')`,
		strings.SplitN(dashPath, "?", 2)[0]))
	present := func(sels ...string) string {
		t.Helper()
		list, _ := json.Marshal(sels)
		return eval[string](t, frame, string(list)+`.filter((s) => document.querySelector(s)).join(", ")`)
	}
	if got := present("#dash-edit", "#dash-duplicate", "#dash-editbar", "#dash-save", "#dash-add-question"); got != "" {
		t.Errorf("the view-only customer's dashboard has %s", got)
	}
	if hash := eval[bool](t, frame, `(() => { location.hash = "#edit"; return document.body.classList.contains("dash-editing"); })()`); hash {
		t.Error("#edit puts the view-only customer's dashboard in edit mode")
	}
	coll := eval[int](t, frame, `JSON.parse(document.getElementById("dashboard-data").textContent).dashboard.collection_id`)
	question := eval[string](t, frame, `document.querySelector('.dash-card a.dash-card-title[href^="/question/"]').getAttribute("href")`)

	eval[bool](t, frame, fmt.Sprintf(`(() => { location.href = %q; return true; })()`, question))
	waitTrue(t, frame, `location.pathname.startsWith("/question/") && document.readyState === "complete" && !!document.querySelector("#question")`)
	if got := present("#save-replace", `input[name="save_mode"]`); got != "" {
		t.Errorf("the view-only customer's question has %s", got)
	}
	if shown := eval[bool](t, frame, `(() => { const b = document.getElementById("save-button"); return !!b && !b.hidden && b.getClientRects().length > 0; })()`); shown {
		t.Error("the view-only customer's question shows Save before any change")
	}
	// Once the question changes, Save offers a copy where the customer may
	// write: their personal collection, never the question's own.
	changed := eval[bool](t, frame, `(() => { const p = document.getElementById("viz-picker"); p.value = "table";
		p.dispatchEvent(new Event("change", {bubbles: true})); const b = document.getElementById("save-button"); return !!b && !b.hidden; })()`)
	if !changed {
		t.Fatal("after a change the view-only customer's question shows no Save")
	}
	offered := eval[string](t, frame, `(() => { document.getElementById("save-button").click();
		return [...document.querySelectorAll("#save-collection option")].map((o) => o.textContent).join(", "); })()`)
	if !strings.Contains(offered, "Personal Collection") || strings.Contains(offered, "Automatically Generated") {
		t.Errorf("the customer's save dialog offers %q, want their personal collection only", offered)
	}
	if got := present("#save-replace", `input[name="save_mode"]`); got != "" {
		t.Errorf("the customer's save dialog has %s", got)
	}

	eval[bool](t, frame, fmt.Sprintf(`(() => { location.href = "/collection/%d"; return true; })()`, coll))
	waitTrue(t, frame, `location.pathname.startsWith("/collection/") && document.readyState === "complete" && !!document.querySelector("li.item")`)
	if got := present(".item-menu", `button[value="archive"]`, `button[value="pin"]`, ".move-form", "#new-collection"); got != "" {
		t.Errorf("the view-only customer's collection page has %s", got)
	}
}
