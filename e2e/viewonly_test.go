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
// question, Save before a change, the items' Pin, Move and Trash menu, New
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

	eval[bool](t, frame, fmt.Sprintf(`(() => { location.href = "/collection/%d"; return true; })()`, coll))
	waitTrue(t, frame, `location.pathname.startsWith("/collection/") && document.readyState === "complete" && !!document.querySelector("li.item")`)
	if got := present(".item-menu", `button[value="archive"]`, `button[value="pin"]`, ".move-form", "#new-collection"); got != "" {
		t.Errorf("the view-only customer's collection page has %s", got)
	}
}
