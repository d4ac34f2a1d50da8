package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	adminEmail    = "dana@example.com"
	adminPassword = "dashboards all day"
)

// startWithSample starts Sightline with an administrator from the
// environment, signs an API client in, and waits until the Sample Database
// has synced.
func startWithSample(t *testing.T) (*sightline, *http.Client) {
	t.Helper()
	s := startSightline(t, "127.0.0.1", map[string]string{"SIGHTLINE_ADMIN_EMAIL": adminEmail, "SIGHTLINE_ADMIN_PASSWORD": adminPassword})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for {
		st, _ := apiCall(t, c, "POST", s.URL+"/api/session", fmt.Sprintf(`{"email": %q, "password": %q}`, adminEmail, adminPassword))
		if st == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("API sign-in = %d", st)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for {
		_, body := apiCall(t, c, "GET", s.URL+"/api/database", "")
		var dbs struct {
			Data []struct {
				Name       string `json:"name"`
				SyncStatus string `json:"sync_status"`
			} `json:"data"`
		}
		json.Unmarshal(body, &dbs)
		for _, d := range dbs.Data {
			if d.Name == "Sample Database" && d.SyncStatus == "complete" {
				return s, c
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Sample Database did not sync within 60 s: %s", body)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// apiCall sends a JSON request and returns the status and body.
func apiCall(t *testing.T, c *http.Client, method, url, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, bytes.TrimSpace(b)
}

// signIn signs the browser in as the administrator.
func signIn(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(base+"/auth/login"), chromedp.WaitVisible(chromedp.CSS("#login-form")),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="email"]`), adminEmail),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="password"]`), adminPassword))
	submitAndWait(t, ctx, `#login-form button[type="submit"]`)
}

// cardStates counts a dashboard's question cards by state once every card
// has finished: drawn with data (a canvas, table rows or a number), empty,
// or failed, with the failures' messages.
type cardStates struct {
	Drawn  int      `json:"drawn"`
	Empty  int      `json:"empty"`
	Failed []string `json:"failed"`
	Total  int      `json:"total"`
}

const cardStatesJS = `(() => {
	const out = {drawn: 0, empty: 0, failed: [], total: 0};
	document.querySelectorAll(".dash-card .dash-card-body").forEach((b) => {
		out.total++;
		const title = b.parentElement.querySelector(".dash-card-title");
		const name = title ? title.textContent : "?";
		if (b.dataset.state === "error") { out.failed.push(name + ": " + b.textContent.trim()); return; }
		if (b.dataset.state === "empty") { out.empty++; return; }
		const drawn = b.querySelector("canvas, svg, .viz-table tbody tr, .viz-pivot tbody tr") || (b.querySelector(".viz") && b.querySelector(".viz").dataset.display === "number");
		if (b.dataset.state === "done" && drawn) out.drawn++;
	});
	return out;
})()`

// waitCards waits until no card of the page is loading and returns the counts.
func waitCards(t *testing.T, ctx context.Context, root string) cardStates {
	t.Helper()
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(root+`[data-loaded="true"]`)))
	time.Sleep(300 * time.Millisecond) // let charts finish their first frame
	return eval[cardStates](t, ctx, cardStatesJS)
}

// TestXrayWalkthrough follows the walkthrough's first step: Browse data ->
// Sample Database -> INVOICES -> X-ray -> Save this. The saved dashboard
// opens at /dashboard/ID-a-look-at-your-invoices-table and at /dashboard/ID,
// sits in "Automatically Generated Dashboards" and draws at least eight
// charts with data and no failing card.
func TestXrayWalkthrough(t *testing.T) {
	s, api := startWithSample(t)
	bctx := browser(t)
	console := watchConsole(t, bctx)
	signIn(t, bctx, s.URL)

	do(t, bctx, chromedp.Navigate(s.URL+"/browse"), chromedp.WaitVisible(chromedp.CSS("#database-list")))
	submitAndWait(t, bctx, `#database-list a.tile`)
	do(t, bctx, chromedp.WaitVisible(chromedp.CSS(`.table-tile[data-table="INVOICES"]`)))
	// The table tile's lightning bolt and the table view's X-ray button lead
	// to the same page; go through the table view as a person would.
	submitAndWait(t, bctx, `.table-tile[data-table="INVOICES"] a.tile-link`)
	do(t, bctx, chromedp.WaitVisible(chromedp.CSS("#table-xray")))
	submitAndWait(t, bctx, "#table-xray")
	do(t, bctx, chromedp.WaitVisible(chromedp.CSS(`#xray[data-ready="true"]`)))
	if h := text(t, bctx, "#dashboard-name"); h != "A look at your Invoices table" {
		t.Errorf("X-ray title = %q", h)
	}
	xs := waitCards(t, bctx, "#xray")
	t.Logf("X-ray cards: %+v", xs)
	if len(xs.Failed) > 0 {
		t.Errorf("X-ray cards failed: %v", xs.Failed)
	}
	shot(t, bctx, "xray")

	// A dashboard filter narrows every card it is wired to, and no card fails.
	before := text(t, bctx, ".dash-card .dash-card-body")
	eval[bool](t, bctx, `(() => { const s = document.querySelector('.dash-filter[data-slug="plan"] select'); if (!s) return false;
		document.getElementById("xray").dataset.loaded = "false"; s.value = "Premium"; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	filtered := waitCards(t, bctx, "#xray")
	if len(filtered.Failed) > 0 || filtered.Drawn < 8 {
		t.Errorf("X-ray with Plan = Premium: %+v, want no failing card", filtered)
	}
	if after := text(t, bctx, ".dash-card .dash-card-body"); after == before || !strings.HasSuffix(location(t, bctx), "?plan=Premium") {
		t.Errorf("the Plan filter on the X-ray: first card %q before, %q after, URL %s", before, after, location(t, bctx))
	}

	// Save this -> the saved dashboard.
	do(t, bctx, chromedp.WaitEnabled(chromedp.CSS("#xray-save")))
	submitAndWait(t, bctx, "#xray-save")
	do(t, bctx, chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-ready="true"]`)))
	loc := location(t, bctx)
	m := regexp.MustCompile(`/dashboard/(\d+)-a-look-at-your-invoices-table$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("after Save this the page is %s, want /dashboard/ID-a-look-at-your-invoices-table", loc)
	}
	id := m[1]
	ds := waitCards(t, bctx, "#dashboard")
	t.Logf("saved dashboard cards: %+v", ds)
	if ds.Drawn < 8 || len(ds.Failed) > 0 {
		t.Errorf("saved X-ray: %d charts with data, failures %v; want at least 8 and none failing", ds.Drawn, ds.Failed)
	}
	shot(t, bctx, "xray-dashboard")

	// The bare id opens the same dashboard.
	do(t, bctx, chromedp.Navigate(s.URL+"/dashboard/"+id), chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-ready="true"]`)))
	if h := text(t, bctx, "#dashboard-name"); h != "A look at your Invoices table" {
		t.Errorf("/dashboard/%s shows %q", id, h)
	}
	if bare := waitCards(t, bctx, "#dashboard"); bare.Drawn != ds.Drawn {
		t.Errorf("/dashboard/%s draws %d charts, the slug URL %d", id, bare.Drawn, ds.Drawn)
	}

	// It sits in "Automatically Generated Dashboards".
	_, body := apiCall(t, api, "GET", s.URL+"/api/dashboard/"+id, "")
	var d struct {
		CollectionID int64 `json:"collection_id"`
	}
	json.Unmarshal(body, &d)
	_, body = apiCall(t, api, "GET", fmt.Sprintf("%s/api/collection/%d", s.URL, d.CollectionID), "")
	var coll struct {
		Name string `json:"name"`
	}
	json.Unmarshal(body, &coll)
	if coll.Name != "Automatically Generated Dashboards" {
		t.Errorf("the saved X-ray sits in %q, want Automatically Generated Dashboards", coll.Name)
	}
	if crumbs := text(t, bctx, "#breadcrumbs"); !strings.Contains(crumbs, "Automatically Generated Dashboards") {
		t.Errorf("breadcrumbs = %q, want the collection", crumbs)
	}
	if errs := console(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}
