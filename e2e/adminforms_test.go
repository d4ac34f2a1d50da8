package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestAdminAuthForm types in the JWT form of Admin > Authentication, then
// presses Generate key: what was typed is still there, the key shows with
// a Copy button that copies it; a group mapping is picked by searching the
// multi-select, and Save stores it.
func TestAdminAuthForm(t *testing.T) {
	s := startSightline(t, "127.0.0.1", map[string]string{"SIGHTLINE_ADMIN_EMAIL": adminEmail, "SIGHTLINE_ADMIN_PASSWORD": adminPassword})
	api := &adminAPI{t: t, base: s.URL}
	api.signIn(adminEmail, adminPassword)
	for _, name := range []string{"Customer Acme", "Customer Globex", "Staff"} {
		api.call("POST", "/api/permissions/group", map[string]string{"name": name})
	}
	ctx := browser(t)
	signIn(t, ctx, s.URL)
	do(t, ctx, chromedp.Navigate(s.URL+"/admin/settings/authentication"), chromedp.WaitVisible(chromedp.CSS("#jwt-form")),
		chromedp.SendKeys(chromedp.CSS(`input[name="jwt-identity-provider-uri"]`), "https://app.example.com/sso/sightline"),
		chromedp.SetValue(chromedp.CSS(`input[name="jwt-attribute-email"]`), "mail"))
	submitAndWait(t, ctx, "#jwt-generate")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#jwt-new-key")))
	if got := eval[string](t, ctx, `document.querySelector('input[name="jwt-identity-provider-uri"]').value + " " + document.querySelector('input[name="jwt-attribute-email"]').value`); got != "https://app.example.com/sso/sightline mail" {
		t.Errorf("after Generate key the form shows %q, want what was typed", got)
	}
	if got := text(t, ctx, "main .flash"); !strings.Contains(got, "not saved yet") {
		t.Errorf("after Generate key the page says %q, want a note that the other changes are not saved", got)
	}
	key := eval[string](t, ctx, `document.getElementById("jwt-new-key").value`)
	do(t, ctx, chromedp.Click(chromedp.CSS("#jwt-copy-key")))
	waitTrue(t, ctx, `document.getElementById("jwt-copy-key").textContent === "Copied"`)
	if sel := eval[string](t, ctx, `(() => { const i = document.getElementById("jwt-new-key"); return i.value.substring(i.selectionStart, i.selectionEnd); })()`); sel != key {
		t.Errorf("Copy selected %q, want the whole key", sel)
	}
	shot(t, ctx, "key")

	// A new mapping row, its groups picked by searching.
	submitAndWait(t, ctx, "#add-mapping")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(".mapping-row .ms-search")),
		chromedp.SendKeys(chromedp.CSS(`.mapping-row input[name="map_name"]`), "Customer-Acme"),
		chromedp.Click(chromedp.CSS(".mapping-row .ms-search")),
		chromedp.SendKeys(chromedp.CSS(".mapping-row .ms-search"), "acme"))
	if got := eval[string](t, ctx, `[...document.querySelectorAll(".mapping-row .ms-option")].map((o) => o.textContent).join(",")`); got != "Customer Acme" {
		t.Errorf("searching \"acme\" lists %q, want Customer Acme only", got)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(".mapping-row .ms-search"), kb.Enter),
		chromedp.SendKeys(chromedp.CSS(".mapping-row .ms-search"), "staff"))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(".mapping-row .ms-search"), kb.Enter))
	if got := eval[string](t, ctx, `[...document.querySelectorAll(".mapping-row .ms-chip")].map((c) => c.firstChild.textContent).join(",")`); got != "Customer Acme,Staff" {
		t.Errorf("the chosen groups show as %q, want Customer Acme,Staff", got)
	}
	// A chip's × takes a group out again.
	do(t, ctx, chromedp.Click(chromedp.CSS(`.mapping-row .ms-remove[aria-label="Remove Staff"]`)))
	shot(t, ctx, "mapping")
	// Enter in the search box picked a group; it did not submit the form.
	if u := location(t, ctx); !strings.HasSuffix(u, "/admin/settings/authentication/jwt") {
		t.Errorf("the page is %s, want the form still open", u)
	}
	submitAndWait(t, ctx, "#jwt-save")
	var settings []struct {
		Key   string `json:"key"`
		Value any    `json:"value"`
	}
	json.Unmarshal(api.call("GET", "/api/setting", nil), &settings)
	got := map[string]string{}
	for _, st := range settings {
		b, _ := json.Marshal(st.Value)
		got[st.Key] = string(b)
	}
	var groups []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	json.Unmarshal(api.call("GET", "/api/permissions/group", nil), &groups)
	var acme int64
	for _, g := range groups {
		if g.Name == "Customer Acme" {
			acme = g.ID
		}
	}
	if m := got["jwt-group-mappings"]; !strings.Contains(m, `Customer-Acme`) || !strings.Contains(m, jsonInt(acme)) || strings.Contains(m, "Staff") {
		t.Errorf("jwt-group-mappings after Save = %s, want Customer-Acme mapped to group %d only", m, acme)
	}
	if got["jwt-identity-provider-uri"] != `"https://app.example.com/sso/sightline"` {
		t.Errorf("jwt-identity-provider-uri after Save = %s", got["jwt-identity-provider-uri"])
	}
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }
