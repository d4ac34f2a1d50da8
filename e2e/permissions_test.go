package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestPermissionsWalkthrough follows the walkthrough's permission steps in
// Admin > Permissions and Admin > People > Groups: restrict All Users to no
// self-service on the Sample Database, let it view "Automatically Generated
// Dashboards", create "Customer Acme", map "Customer-Acme" in JWT group
// sync, and sandbox INVOICES for it by Account ID = account_id in the modal.
// Then the host app's Rene (account 28) sees the X-ray dashboard over his 22
// invoices only, its Plan filter offers his plan only, and Browse data ->
// INVOICES shows those 22 rows; Cora of Globex (account 13, sandboxed the
// same way in Customer Globex) sees her 9.
// The hosting is the one of TestInteractiveEmbedding: the host app on
// http://localhost, Sightline behind a TLS proxy on https://127.0.0.1.
func TestPermissionsWalkthrough(t *testing.T) {
	const secret = "0c1e5a7b9d2f4e6a8c0b1d3f5e7a9c2b4d6f8e0a1c3e5b7d9f2a4c6e8b0d1f3a"
	s := startSightline(t, "127.0.0.1", map[string]string{"SIGHTLINE_ADMIN_EMAIL": "admin@example.com", "SIGHTLINE_ADMIN_PASSWORD": "admin password 1"})
	target, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httptest.NewTLSServer(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		pr.Out.Host = pr.In.Host
	}})
	t.Cleanup(proxy.Close)
	site := proxy.URL
	hostPort := freePort(t)
	host := fmt.Sprintf("http://localhost:%d", hostPort)

	api := &adminAPI{t: t, base: s.URL}
	api.signIn("admin@example.com", "admin password 1")
	dashPath := api.saveInvoicesXRay()
	api.put(map[string]any{
		"site-url":                          site,
		"jwt-shared-secret":                 secret,
		"jwt-identity-provider-uri":         host + "/sso/sightline",
		"jwt-enabled":                       true,
		"jwt-group-sync":                    true,
		"enable-embedding-interactive":      true,
		"embedding-app-origins-interactive": host,
		"session-cookie-samesite":           "none",
	})
	start(t, build(t, "cmd/hostapp"), map[string]string{"HOSTAPP_ADDR": fmt.Sprintf("localhost:%d", hostPort),
		"SIGHTLINE_SITE_URL": site, "SIGHTLINE_JWT_SHARED_SECRET": secret, "SIGHTLINE_DASHBOARD_PATH": dashPath})
	waitHealthy(t, host+"/login")

	ctx := browser(t, chromedp.Flag("ignore-certificate-errors", true))
	do(t, ctx, chromedp.Navigate(site+"/auth/login"), chromedp.WaitVisible(chromedp.CSS("#login-form")),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="email"]`), "admin@example.com"),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="password"]`), "admin password 1"))
	submitAndWait(t, ctx, `#login-form button[type="submit"]`)

	// Admin > Permissions > Data > Groups > All Users: the Sample Database
	// to No self-service, Save changes, the summary, Yes.
	do(t, ctx, chromedp.Navigate(site+"/admin/permissions"), chromedp.WaitVisible(chromedp.CSS("#perm-grid")))
	choose(t, ctx, `select[data-kind="view"][data-group="1"]:not([data-table])`, "legacy-no-self-service")
	saveChanges(t, ctx, "all-users", "All Users: Sample Database: View data: Can view -> No self-service")

	// Collections: All Users may view Automatically Generated Dashboards.
	do(t, ctx, chromedp.Navigate(site+"/admin/permissions?tab=collections"), chromedp.WaitVisible(chromedp.CSS("#perm-list")))
	clickLink(t, ctx, "#perm-list a", "Automatically Generated Dashboards")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`select[data-kind="collection"][data-group="1"]`)))
	choose(t, ctx, `select[data-kind="collection"][data-group="1"]`, "read")
	saveChanges(t, ctx, "collections", "All Users: Automatically Generated Dashboards: Collection access: Curate -> View")

	// Admin > People > Groups: create the two customers' groups.
	for _, name := range []string{"Customer Acme", "Customer Globex"} {
		do(t, ctx, chromedp.Navigate(site+"/admin/groups"), chromedp.WaitVisible(chromedp.CSS("#group-name")),
			chromedp.SendKeys(chromedp.CSS("#group-name"), name))
		submitAndWait(t, ctx, "#group-create-submit")
		if got := text(t, ctx, "#group-list"); !strings.Contains(got, name) {
			t.Fatalf("the group list after creating %s: %q", name, got)
		}
	}
	shot(t, ctx, "groups")
	groups := map[string]int64{}
	var list []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	json.Unmarshal(api.call("GET", "/api/permissions/group", nil), &list)
	for _, g := range list {
		groups[g.Name] = g.ID
	}
	// Authentication > JWT > group sync: map the token's group names.
	api.put(map[string]any{"jwt-group-mappings": map[string][]int64{
		"Customer-Acme": {groups["Customer Acme"]}, "Customer-Globex": {groups["Customer Globex"]}}})

	// Sandbox INVOICES for Customer Acme. Nobody has signed in yet, so
	// account_id is typed as another attribute.
	sandboxInvoices(t, ctx, site, groups["Customer Acme"], "")
	shot(t, ctx, "acme-saved")

	// Rene signs in to the host app and opens /analytics.
	renesFrame := analytics(t, ctx, host, site+dashPath, "rene@acme.example")
	if got := numberCard(t, renesFrame, "Total Invoices"); got != "22" {
		t.Errorf("Rene's Total Invoices = %q, want 22 (account 28 only)", got)
	}
	shot(t, ctx, "rene-dashboard")
	if got := filterValues(t, renesFrame, "plan"); got != "Basic" {
		t.Errorf("Rene's Plan filter offers %q, want only Basic (account 28's plan)", got)
	}
	if got := browseInvoices(t, renesFrame); got != "22 rows / 22 drawn, accounts 28" {
		t.Errorf("Rene's Browse data -> INVOICES shows %q, want 22 rows of account 28", got)
	}
	shot(t, ctx, "rene-invoices")
	// Rene may read the dashboard's collection, not write it: no control
	// that would change what he sees, in the frame.
	checkViewOnly(t, renesFrame, dashPath)
	shot(t, ctx, "rene-view-only")

	// Customer Globex, with account_id now offered from Rene's sign-in.
	sandboxInvoices(t, ctx, site, groups["Customer Globex"], "account_id")
	cora := browser(t, chromedp.Flag("ignore-certificate-errors", true))
	corasFrame := analytics(t, cora, host, site+dashPath, "cora@globex.example")
	if got := numberCard(t, corasFrame, "Total Invoices"); got != "9" {
		t.Errorf("Cora's Total Invoices = %q, want 9 (account 13 only)", got)
	}
	shot(t, cora, "cora-dashboard")
	if got := browseInvoices(t, corasFrame); got != "9 rows / 9 drawn, accounts 13" {
		t.Errorf("Cora's Browse data -> INVOICES shows %q, want 9 rows of account 13", got)
	}
	shot(t, cora, "cora-invoices")

	// Two administrators at once: an edit made while someone else saved is
	// refused with the conflict message, and the edit is still there to
	// review and save again.
	acme := fmt.Sprint(groups["Customer Acme"])
	do(t, ctx, chromedp.Navigate(site+"/admin/permissions?tab=data&group="+acme), chromedp.WaitVisible(chromedp.CSS("#perm-grid")))
	download := `select[data-kind="download"][data-group="` + acme + `"]`
	choose(t, ctx, download, "limited")
	var graph map[string]any
	json.Unmarshal(api.call("GET", "/api/permissions/graph", nil), &graph)
	api.call("PUT", "/api/permissions/graph", map[string]any{"revision": graph["revision"], "groups": map[string]any{}})
	do(t, ctx, chromedp.Click(chromedp.CSS("#perm-save")), chromedp.WaitVisible(chromedp.CSS("#perm-confirm")))
	submitAndWait(t, ctx, "#perm-confirm-yes")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#perm-grid")))
	if msg := text(t, ctx, "main .alert"); !strings.Contains(msg, "Someone else changed the permissions") {
		t.Errorf("a save over a newer revision says %q, want the conflict message", msg)
	}
	if kept := eval[bool](t, ctx, `document.querySelector('`+download+`').value === "limited" && !document.getElementById("perm-savebar").hidden`); !kept {
		t.Error("after the conflict the edit is gone")
	}
	shot(t, ctx, "conflict")
	saveChanges(t, ctx, "after-conflict", "Customer Acme: Sample Database: Download results: No -> 10 thousand rows")
}

// choose picks a value in a select as a person would, firing change.
func choose(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%q); if (!s) return false;
		s.value = %q; s.dispatchEvent(new Event("change", {bubbles: true})); return s.value === %q; })()`, sel, value, value)
	if !eval[bool](t, ctx, js) {
		t.Fatalf("cannot choose %q in %s", value, sel)
	}
}

// chooseText picks the option of a select whose text is label.
func chooseText(t *testing.T, ctx context.Context, sel, label string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%q); if (!s) return false;
		const o = [...s.options].find((o) => o.textContent.trim() === %q); if (!o) return false;
		s.value = o.value; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, sel, label)
	if !eval[bool](t, ctx, js) {
		t.Fatalf("no option %q in %s", label, sel)
	}
}

// clickLink follows the link under sel whose text is label.
func clickLink(t *testing.T, ctx context.Context, sel, label string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const a = [...document.querySelectorAll(%q)].find((a) => a.textContent.trim() === %q);
		if (!a) return false; a.click(); return true; })()`, sel, label)
	if !eval[bool](t, ctx, js) {
		t.Fatalf("no link %q under %s", label, sel)
	}
	time.Sleep(300 * time.Millisecond)
	do(t, ctx, chromedp.WaitReady(chromedp.CSS("body")))
}

// saveChanges clicks Save changes, checks the summary names want, keeps a
// screenshot of the confirmation under name, and confirms with Yes.
func saveChanges(t *testing.T, ctx context.Context, name string, want ...string) {
	t.Helper()
	do(t, ctx, chromedp.Click(chromedp.CSS("#perm-save")), chromedp.WaitVisible(chromedp.CSS("#perm-confirm")))
	summary := text(t, ctx, "#perm-summary")
	for _, w := range want {
		if !strings.Contains(summary, w) {
			t.Errorf("the summary of changes is %q, want it to name %q", summary, w)
		}
	}
	shot(t, ctx, "confirm-"+name)
	submitAndWait(t, ctx, "#perm-confirm-yes")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#perm-grid")))
	if msg := text(t, ctx, "main"); !strings.Contains(msg, "Permissions saved.") {
		t.Fatalf("after Yes the page says %q, want Permissions saved.", msg)
	}
}

// sandboxInvoices sets the Sample Database to granular for a group and
// INVOICES to Sandboxed, filtered by Account ID = account_id in the modal
// (picked from the known attributes when known is set, else typed), and
// saves.
func sandboxInvoices(t *testing.T, ctx context.Context, site string, group int64, known string) {
	t.Helper()
	g := fmt.Sprint(group)
	do(t, ctx, chromedp.Navigate(site+"/admin/permissions?tab=data&group="+g), chromedp.WaitVisible(chromedp.CSS("#perm-grid")))
	choose(t, ctx, `select[data-kind="view"][data-group="`+g+`"]:not([data-table])`, "granular")
	invoices := eval[string](t, ctx, `(() => { const tr = [...document.querySelectorAll("tr.perm-table-row")].find((r) => !r.hidden &&
		r.querySelector(".perm-table-name").textContent.trim().startsWith("Invoices")); return tr ? tr.dataset.table : ""; })()`)
	if invoices == "" {
		t.Fatal("no visible Invoices row after choosing Granular")
	}
	choose(t, ctx, `select[data-table="`+invoices+`"]`, "sandboxed")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#sandbox-modal")))
	chooseText(t, ctx, "#sandbox-column", "Account ID")
	if known != "" {
		chooseText(t, ctx, "#sandbox-attr", known)
	} else {
		chooseText(t, ctx, "#sandbox-attr", "Other attribute…")
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#sandbox-attr-other")), chromedp.SendKeys(chromedp.CSS("#sandbox-attr-other"), "account_id"))
	}
	shot(t, ctx, "sandbox-modal-"+g)
	do(t, ctx, chromedp.Click(chromedp.CSS("#sandbox-save")), chromedp.WaitNotVisible(chromedp.CSS("#sandbox-modal")))
	name := eval[string](t, ctx, `document.getElementById("perm-title").textContent.replace("Permissions for the ", "").replace(" group", "")`)
	saveChanges(t, ctx, "sandbox-"+g,
		name+": Sample Database: View data: Blocked -> Granular",
		name+": Sample Database: Invoices: View data: Blocked -> Sandboxed",
		name+": Sample Database: Create queries: No -> Query builder only",
		name+": Sample Database: Invoices: Sandbox: Account ID = user attribute account_id")
}

// analytics signs a demo user in to the host app, opens /analytics and
// returns the iframe showing the dashboard once its cards have loaded.
func analytics(t *testing.T, ctx context.Context, host, dashURL, email string) context.Context {
	t.Helper()
	do(t, ctx, chromedp.Navigate(host+"/login"), chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo-password"))
	submitAndWait(t, ctx, "#signin")
	do(t, ctx, chromedp.Navigate(host+"/analytics"), chromedp.WaitVisible(chromedp.CSS("iframe#sightline")))
	frame := frameCtx(t, ctx, dashURL)
	states := waitCards(t, frame, "#dashboard")
	if len(states.Failed) > 0 || states.Drawn < 4 {
		t.Errorf("%s's dashboard drew %d cards, %d failed: %v", email, states.Drawn, len(states.Failed), states.Failed)
	}
	return frame
}

// numberCard returns the text of the dashboard card titled title.
func numberCard(t *testing.T, frame context.Context, title string) string {
	t.Helper()
	return eval[string](t, frame, fmt.Sprintf(`(() => { const c = [...document.querySelectorAll(".dash-card")].find((c) => {
		const h = c.querySelector(".dash-card-title"); return h && h.textContent.trim() === %q; });
		const v = c && c.querySelector(".viz-scalar-value"); return v ? v.textContent.trim() : "no such card"; })()`, title))
}

// filterValues returns the values the dashboard filter slug offers in its
// drop-down, once they have loaded, joined by commas.
func filterValues(t *testing.T, frame context.Context, slug string) string {
	t.Helper()
	box := fmt.Sprintf(`document.querySelector('.dash-filter[data-slug=%q]')`, slug)
	waitTrue(t, frame, box+` && `+box+`.dataset.values === "loaded"`)
	return eval[string](t, frame, `[...`+box+`.querySelectorAll("option, input[type=checkbox]")].map((o) => o.value).filter(Boolean).join(",")`)
}

// browseInvoices goes Browse data -> Sample Database -> INVOICES inside the
// frame and returns the row count the table view shows, the rows drawn and
// the distinct values of their second column (ACCOUNT_ID).
func browseInvoices(t *testing.T, frame context.Context) string {
	t.Helper()
	eval[bool](t, frame, `(() => { location.href = "/browse"; return true; })()`)
	waitTrue(t, frame, `location.pathname === "/browse" && document.readyState === "complete" && !!document.querySelector("#database-list a.tile")`)
	eval[bool](t, frame, `(() => { document.querySelector("#database-list a.tile").click(); return true; })()`)
	waitTrue(t, frame, `document.readyState === "complete" && !!document.querySelector('.table-tile[data-table="INVOICES"] a.tile-link')`)
	eval[bool](t, frame, `(() => { document.querySelector('.table-tile[data-table="INVOICES"] a.tile-link').click(); return true; })()`)
	waitTrue(t, frame, `location.pathname.startsWith("/table/") && document.readyState === "complete" && !!document.querySelector("#row-count")`)
	return eval[string](t, frame, `document.getElementById("row-count").textContent.trim() + " / " +
		document.querySelectorAll("#rows tbody tr").length + " drawn, accounts " +
		[...new Set([...document.querySelectorAll("#rows tbody tr")].map((tr) => tr.children[1] && tr.children[1].textContent.trim()))].join(",")`)
}
