package e2e

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestColumnClickBehaviorEditor gives two columns of the "Invoice list"
// table card their own click behaviors in the dashboard editor: a plan
// opens the Plan details dashboard with that plan in its filter, an
// account opens a URL made from the account id. Saved, they sit under
// column_settings with the vendor's keys and the card keeps no card-wide
// behavior; reopened, the editor marks both columns as set and shows each
// one's behavior (both set in one visit to the dialog, switching columns
// in between); clicking a cell of each column does what it says, while
// a cell of another column still opens the drill-through menu.
func TestColumnClickBehaviorEditor(t *testing.T) {
	s, api := startWithSample(t)
	id, f := drillDashboard(t, s, api)
	ctx := browser(t)
	console := watchConsole(t, ctx)
	signIn(t, ctx, s.URL)
	openDrillDashboard(t, ctx, s.URL, id)
	card := cardSel(t, ctx, "Invoice list")

	openEditor := func() {
		t.Helper()
		// Saving may give the dashboard's cards new ids.
		card = cardSel(t, ctx, "Invoice list")
		do(t, ctx, chromedp.Click(chromedp.CSS("#dash-edit")), chromedp.WaitVisible(chromedp.CSS(card+" .dash-click-edit")),
			chromedp.Click(chromedp.CSS(card+" .dash-click-edit")), chromedp.WaitVisible(chromedp.CSS("#dash-click-column")))
	}
	column := func(name string) {
		t.Helper()
		choose(t, ctx, "#dash-click-column", name)
		waitTrue(t, ctx, `document.getElementById("dash-click-title").textContent === "When someone clicks this column" && document.getElementById("dash-click-column").value === "`+name+`"`)
	}

	openEditor()
	if got := eval[string](t, ctx, `document.getElementById("dash-click-kind").value`); got != "actionMenu" {
		t.Errorf("the whole card's click behavior starts as %q, want the drill menu", got)
	}
	column("PLAN")
	if got := eval[string](t, ctx, `document.getElementById("dash-click-kind").value`); got != "inherit" {
		t.Errorf("a column without its own click behavior shows %q, want the card's", got)
	}
	choose(t, ctx, "#dash-click-kind", "dashboard")
	waitTrue(t, ctx, `document.getElementById("dash-click-target").dataset.ready === "true"`)
	choose(t, ctx, "#dash-click-target", fmt.Sprint(f["details"]))
	waitTrue(t, ctx, `!!document.querySelector('#dash-click-mappings select[data-param="p"]')`)
	choose(t, ctx, `#dash-click-mappings select[data-param="p"]`, "PLAN")
	// Switching to another column keeps the plan's behavior in the dialog.
	column("ACCOUNT_ID")
	if got := eval[string](t, ctx, `document.querySelector('#dash-click-column option[value="PLAN"]').textContent`); got != "Plan (set)" {
		t.Errorf("after switching columns the plan column reads %q, want it marked as set", got)
	}
	choose(t, ctx, "#dash-click-kind", "url")
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#dash-click-url"), "/browse?account={{ACCOUNT_ID}}"))
	shot(t, ctx, "column-click-editor")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#dash-click-editor .btn-primary`)), chromedp.WaitNotVisible(chromedp.CSS("#dash-click-editor")),
		chromedp.Click(chromedp.CSS("#dash-save")))
	waitTrue(t, ctx, `!document.querySelector('#dashboard[data-editing="true"]') && !!document.querySelector('#dashboard[data-loaded="true"]')`)

	// Saved with the vendor's keys, on the Invoice list card only.
	_, body := apiCall(t, api, "GET", fmt.Sprintf("%s/api/dashboard/%d", s.URL, id), "")
	var d savedDashboard
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatalf("dashboard: %v", err)
	}
	var saved []any
	for _, c := range d.Cards {
		if c.CardID == f["list"] && !strings.Contains(string(c.VizSettings), "card.title") {
			var v any
			json.Unmarshal(c.VizSettings, &v)
			saved = append(saved, v)
		}
	}
	var want any
	json.Unmarshal([]byte(fmt.Sprintf(`{"column_settings":{"[\"name\",\"ACCOUNT_ID\"]":{"click_behavior":{"type":"link","linkType":"url","linkTemplate":"/browse?account={{ACCOUNT_ID}}"}},`+
		`"[\"name\",\"PLAN\"]":{"click_behavior":{"type":"link","linkType":"dashboard","targetId":%d,"parameterMapping":{"p":{"id":"p",`+
		`"source":{"id":"PLAN","name":"Plan","type":"column"},"target":{"id":"p","type":"parameter"}}}}}}}`, f["details"])), &want)
	if len(saved) != 1 || !reflect.DeepEqual(saved[0], want) {
		t.Errorf("the Invoice list card's saved settings = %v, want %v", saved, want)
	}

	// Reopened, the editor marks the two columns and shows their behaviors.
	openEditor()
	marked := eval[string](t, ctx, `[...document.querySelectorAll("#dash-click-column option")].filter((o) => o.textContent.endsWith("(set)")).map((o) => o.value).join(" ")`)
	if marked != "ACCOUNT_ID PLAN" && marked != "PLAN ACCOUNT_ID" {
		t.Errorf("columns marked as set = %q, want ACCOUNT_ID and PLAN", marked)
	}
	column("ACCOUNT_ID")
	if got := eval[string](t, ctx, `document.getElementById("dash-click-kind").value + " " + document.getElementById("dash-click-url").value`); got != "url /browse?account={{ACCOUNT_ID}}" {
		t.Errorf("the account column's behavior reopens as %q, want its URL", got)
	}
	column("PLAN")
	waitTrue(t, ctx, `document.getElementById("dash-click-target").dataset.ready === "true" && !!document.querySelector('#dash-click-mappings select[data-param="p"]')`)
	if got := eval[string](t, ctx, `document.getElementById("dash-click-kind").value + " " + document.getElementById("dash-click-target").value + " " +
		document.querySelector('#dash-click-mappings select[data-param="p"]').value`); got != fmt.Sprintf("dashboard %d PLAN", f["details"]) {
		t.Errorf("the plan column's behavior reopens as %q, want the Plan details dashboard fed by PLAN", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#dash-click-editor .dash-dialog-foot .btn:not(.btn-primary)`)), chromedp.WaitNotVisible(chromedp.CSS("#dash-click-editor")),
		chromedp.Click(chromedp.CSS("#dash-cancel")))
	waitTrue(t, ctx, `!document.querySelector('#dashboard[data-editing="true"]') && !!document.querySelector('#dashboard[data-loaded="true"]')`)

	card = cardSel(t, ctx, "Invoice list")
	// cell marks the first row's cell under the header named header.
	cell := func(header string) string {
		t.Helper()
		waitTrue(t, ctx, `(() => { const ths = [...document.querySelectorAll("`+card+` thead th")];
			const i = ths.findIndex((th) => th.textContent.trim() === "`+header+`");
			const tr = document.querySelector("`+card+` tbody tr");
			if (i < 0 || !tr) return false;
			document.querySelectorAll("#click-cell").forEach((c) => c.removeAttribute("id"));
			tr.children[i].id = "click-cell";
			tr.children[i].scrollIntoView({block: "center"});
			return true; })()`)
		return text(t, ctx, "#click-cell")
	}

	// Another column keeps the card's behavior: the drill menu.
	cell("Payment")
	do(t, ctx, chromedp.Click(chromedp.CSS("#click-cell")), chromedp.WaitVisible(chromedp.CSS("#drill-menu #drill-filter")))
	do(t, ctx, chromedp.KeyEvent("\x1b"))

	account := cell("Account ID")
	do(t, ctx, chromedp.Click(chromedp.CSS("#click-cell")))
	waitTrue(t, ctx, `location.pathname === "/browse" && document.readyState === "complete"`)
	if got := eval[string](t, ctx, `location.search`); got != "?account="+account {
		t.Errorf("a click on account %s opened /browse%s, want ?account=%s", account, got, account)
	}

	openDrillDashboard(t, ctx, s.URL, id)
	card = cardSel(t, ctx, "Invoice list")
	plan := cell("Plan")
	do(t, ctx, chromedp.Click(chromedp.CSS("#click-cell")))
	details := fmt.Sprintf("/dashboard/%d", f["details"])
	waitTrue(t, ctx, `location.pathname === "`+details+`" && !!document.querySelector('#dashboard[data-loaded="true"]')`)
	if got := eval[string](t, ctx, `location.search + " " + document.querySelector('.dash-filter[data-slug="plan_name"] select').value`); got != "?plan_name="+plan+" "+plan {
		t.Errorf("a click on plan %s opened %s with filter %q, want ?plan_name=%s set to %s", plan, details, got, plan, plan)
	}
	shot(t, ctx, "column-click-dashboard")

	for _, m := range console() {
		t.Errorf("browser console: %s", m)
	}
}
