package e2e

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	vocab "sightline"
	"sightline/internal/appdb"
)

// TestInteractiveEmbedding follows the interactive-embedding walkthrough with
// the sample host app on http://localhost and Sightline on https://127.0.0.1
// (different sites, so the session cookie must be SameSite=None; Secure;
// Partitioned). Sightline has no TLS listener of its own, so the test puts it
// behind an httptest TLS reverse proxy with a test certificate, and Chromium
// runs with ignore-certificate-errors. The administrator first X-rays
// INVOICES and saves it, so the host app's iframe opens /dashboard/1 as in
// the walkthrough.
func TestInteractiveEmbedding(t *testing.T) {
	const secret = "6e9b1f4c2a7d8e3f5b0c9a1d2e7f4b8c3a6d9e0f1b2c5a8d7e4f3b0c9a6d1e2f"
	// The "Customer Acme" group of the walkthrough exists before the first
	// start: Sightline has no group API yet.
	data := t.TempDir()
	db, err := appdb.Open(context.Background(), appdb.Options{Path: filepath.Join(data, "sightline.db")})
	if err != nil {
		t.Fatal(err)
	}
	groupAcme := &vocab.Group{Name: "Customer Acme"}
	if err := db.CreateGroup(context.Background(), groupAcme); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := startSightline(t, "127.0.0.1", map[string]string{"SIGHTLINE_DATA_DIR": data,
		"SIGHTLINE_ADMIN_EMAIL": "admin@example.com", "SIGHTLINE_ADMIN_PASSWORD": "admin password 1"})

	target, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httptest.NewTLSServer(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		pr.Out.Host = pr.In.Host
	}})
	t.Cleanup(proxy.Close)
	site := proxy.URL // https://127.0.0.1:PORT

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
		"jwt-group-mappings":                map[string][]int64{"Customer-Acme": {groupAcme.ID}},
		"enable-embedding-interactive":      true,
		"embedding-app-origins-interactive": host,
		"session-cookie-samesite":           "none",
	})

	start(t, build(t, "cmd/hostapp"), map[string]string{"HOSTAPP_ADDR": fmt.Sprintf("localhost:%d", hostPort),
		"SIGHTLINE_SITE_URL": site, "SIGHTLINE_JWT_SHARED_SECRET": secret, "SIGHTLINE_DASHBOARD_PATH": dashPath})
	waitHealthy(t, host+"/login")

	// The CSP of an app page names the host only; admin pages are never framed.
	insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]string{"/auth/login": "frame-ancestors " + host, "/admin/settings": "frame-ancestors 'none'"} {
		res, err := insecure.Get(site + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if csp := res.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, want) {
			t.Errorf("CSP of %s = %q, want it to end with %q", path, csp, want)
		}
	}

	ctx := browser(t, chromedp.Flag("ignore-certificate-errors", true))
	do(t, ctx, chromedp.Navigate(host+"/login"), chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "rene@acme.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo-password"))
	submitAndWait(t, ctx, "#signin")

	// /analytics: the iframe signs Rene in to Sightline, with no Sightline
	// sign-in page, and shows the X-ray dashboard with its charts.
	do(t, ctx, chromedp.Navigate(host+"/analytics"), chromedp.WaitVisible(chromedp.CSS("iframe#sightline")))
	run(t, ctx, chromedp.Evaluate[bool](`window.msgs = []; window.addEventListener("message", e => window.msgs.push(e.data)); true`))
	frame := frameCtx(t, ctx, site+dashPath)
	states := waitCards(t, frame, "#dashboard")
	if states.Drawn < 8 || len(states.Failed) > 0 {
		t.Errorf("the embedded dashboard drew %d charts with data and %d failures (%v), want at least 8 and none", states.Drawn, len(states.Failed), states.Failed)
	}
	if title := run(t, frame, chromedp.Evaluate[string](`document.title`)); !strings.Contains(title, "A look at your Invoices table") {
		t.Errorf("the iframe shows %q, want the INVOICES X-ray dashboard", title)
	}
	if n := run(t, frame, chromedp.Evaluate[int](`document.querySelectorAll("#login-form").length`)); n != 0 {
		t.Error("the iframe showed Sightline's sign-in page")
	}
	for _, sel := range []string{"#topbar", "#logo"} {
		do(t, frame, chromedp.WaitVisible(chromedp.CSS(sel)))
	}
	shot(t, ctx, "analytics")

	// An address change without a page load (as the dashboard's filters
	// make) is reported to the host too.
	run(t, frame, chromedp.Evaluate[bool](`history.replaceState(null, "", location.pathname + "?plan=Basic"); true`))
	run(t, ctx, chromedp.Poll[bool](`window.msgs.some(m => m.sightline && m.sightline.type === "location" && m.sightline.location.search === "?plan=Basic")`,
		chromedp.WithPollingTimeout(15*time.Second)))

	// The host navigates the frame by message; the frame reports its new
	// location under both keys, and its height.
	run(t, ctx, chromedp.Evaluate[bool](`document.getElementById("sightline").contentWindow.postMessage(
		{sightline: {type: "location", location: "/browse"}}, "*"); true`))
	run(t, ctx, chromedp.Poll[bool](`window.msgs.some(m => m.sightline && m.sightline.type === "location" && m.sightline.location.pathname === "/browse")
		&& window.msgs.some(m => m.metabase && m.metabase.type === "location")
		&& window.msgs.some(m => m.sightline && m.sightline.type === "frame" && m.sightline.frame.height > 0)`, chromedp.WithPollingTimeout(15*time.Second)))

	// The first sign-in created Rene with the token's names, groups and
	// attributes.
	var rene map[string]any
	for _, u := range api.users() {
		if u["email"] == "rene@acme.example" {
			rene = u
		}
	}
	if rene == nil {
		t.Fatal("rene@acme.example was not created")
	}
	if rene["first_name"] != "Rene" || rene["last_name"] != "Mercier" || rene["sso_source"] != "jwt" {
		t.Errorf("Rene = %v, want Rene Mercier signed in by jwt", rene)
	}
	if attrs, _ := rene["jwt_attributes"].(map[string]any); attrs["account_id"] != "28" || len(attrs) != 1 {
		t.Errorf("Rene's token attributes = %v, want account_id 28 only", rene["jwt_attributes"])
	}
	var groups []string
	for _, g := range rene["user_group_memberships"].([]any) {
		groups = append(groups, g.(map[string]any)["name"].(string))
	}
	if !slices.Contains(groups, "Customer Acme") || slices.Contains(groups, "Administrators") {
		t.Errorf("Rene's groups = %v, want Customer Acme and not Administrators", groups)
	}

	// logo=false&top_nav=false on return_to hides the logo and the top bar,
	// and they stay hidden after clicking into a question of the dashboard.
	do(t, ctx, chromedp.Navigate(host+"/analytics?hide_ui=true"), chromedp.WaitVisible(chromedp.CSS("iframe#sightline")))
	frame = frameCtx(t, ctx, site+dashPath+"?logo=false")
	waitCards(t, frame, "#dashboard")
	do(t, frame, chromedp.WaitNotPresent(chromedp.CSS("#topbar")), chromedp.WaitNotPresent(chromedp.CSS("#logo")))
	shot(t, ctx, "hidden-ui")
	do(t, frame, chromedp.Click(chromedp.CSS(`.dash-card a.dash-card-title[href^="/question/"]`)))
	waitTrue(t, frame, `location.pathname.startsWith("/question/") && document.readyState === "complete"`)
	do(t, frame, chromedp.WaitVisible(chromedp.CSS(`#question`)))
	for _, sel := range []string{"#topbar", "#logo"} {
		if n := run(t, frame, chromedp.Evaluate[int](`document.querySelectorAll("`+sel+`").length`)); n != 0 {
			t.Errorf("after clicking into a question inside the frame, %s is shown again", sel)
		}
	}
	shot(t, ctx, "hidden-ui-question")

	// A page of an origin that is not authorized cannot frame Sightline: the
	// frame never loads, so Sightline's script never reports a location.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>other</title><script>window.msgs = []; addEventListener("message", e => msgs.push(e.data));</script>
<iframe id="f" src="%s/auth/login" width="800" height="400"></iframe>`, site)
	}))
	t.Cleanup(other.Close)
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	do(t, ctx, chromedp.Navigate(otherURL), chromedp.WaitVisible(chromedp.CSS("#f")), chromedp.Sleep(3*time.Second))
	if n := run(t, ctx, chromedp.Evaluate[int](`window.msgs.length`)); n != 0 {
		t.Errorf("a frame on an unauthorized origin received %d messages from Sightline, want none (the page must not load)", n)
	}
	infos, err := chromedp.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, info := range infos {
		if info.Type == "iframe" && strings.HasPrefix(info.URL, site) {
			fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID), chromedp.WithDetachOnCancel())
			if n, err := chromedp.Run(fctx, chromedp.Evaluate[int](`document.querySelectorAll("#login-form").length`)); err == nil && n > 0 {
				t.Errorf("the sign-in form rendered in a frame of an unauthorized origin")
			}
			cancel()
		}
	}
	shot(t, ctx, "refused")
}

// frameCtx waits for the cross-site iframe showing a URL that starts with
// prefix and returns a context that runs actions in it.
func frameCtx(t *testing.T, ctx context.Context, prefix string) context.Context {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range infos {
			if info.Type == "iframe" && strings.HasPrefix(info.URL, prefix) {
				fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID), chromedp.WithDetachOnCancel())
				t.Cleanup(cancel)
				// The attachment lives as long as the context of the first
				// Run, so that one carries no timeout (as in browser()).
				if _, err := chromedp.Run(fctx, chromedp.Evaluate[bool](`true`)); err != nil {
					t.Fatalf("attach to the iframe %s: %v", info.URL, err)
				}
				return fctx
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	var urls []string
	if infos, err := chromedp.Targets(ctx); err == nil {
		for _, info := range infos {
			urls = append(urls, info.Type+" "+info.URL)
		}
	}
	t.Fatalf("no iframe showing %s within 20 s; targets: %v", prefix, urls)
	return nil
}

// waitTrue evaluates expr in ctx until it is true, across the page loads
// that reset the frame's JavaScript context.
func waitTrue(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(sctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s did not become true within 20 s", expr)
}

// adminAPI calls Sightline's JSON API as an administrator.
type adminAPI struct {
	t     *testing.T
	base  string
	token string
}

func (a *adminAPI) call(method, path string, body any) []byte {
	a.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if a.token != "" {
		// The cookie is Secure once SameSite=None is set, so it is sent by
		// hand over this plain-http connection.
		req.AddCookie(&http.Cookie{Name: "sightline.SESSION", Value: a.token})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	if res.StatusCode >= 300 {
		a.t.Fatalf("%s %s = %d %s", method, path, res.StatusCode, out)
	}
	return out
}

func (a *adminAPI) signIn(email, password string) {
	a.t.Helper()
	var out struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(a.call("POST", "/api/session", map[string]string{"email": email, "password": password}), &out); err != nil {
		a.t.Fatal(err)
	}
	a.token = out.ID
}

func (a *adminAPI) put(settings map[string]any) {
	a.t.Helper()
	for k, v := range settings {
		a.call("PUT", "/api/setting/"+k, map[string]any{"value": v})
	}
}

// saveInvoicesXRay waits for the Sample Database to sync, X-rays INVOICES
// and saves it as a dashboard, as the walkthrough's first step does, and
// returns the dashboard's path ("/dashboard/1").
func (a *adminAPI) saveInvoicesXRay() string {
	a.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var dbID int64
	for dbID == 0 {
		var dbs struct {
			Data []struct {
				ID         int64  `json:"id"`
				Name       string `json:"name"`
				SyncStatus string `json:"sync_status"`
			} `json:"data"`
		}
		json.Unmarshal(a.call("GET", "/api/database", nil), &dbs)
		for _, d := range dbs.Data {
			if d.Name == "Sample Database" && d.SyncStatus == "complete" {
				dbID = d.ID
			}
		}
		if time.Now().After(deadline) {
			a.t.Fatal("the Sample Database did not sync within 60 s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	var md struct {
		Tables []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"tables"`
	}
	json.Unmarshal(a.call("GET", fmt.Sprintf("/api/database/%d/metadata", dbID), nil), &md)
	var invoices int64
	for _, tb := range md.Tables {
		if tb.Name == "INVOICES" {
			invoices = tb.ID
		}
	}
	xray := a.call("GET", fmt.Sprintf("/api/automagic-dashboards/table/%d", invoices), nil)
	var saved struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(a.call("POST", "/api/dashboard/save", json.RawMessage(xray)), &saved); err != nil || saved.ID == 0 {
		a.t.Fatalf("save the X-ray: %v", err)
	}
	return fmt.Sprintf("/dashboard/%d", saved.ID)
}

func (a *adminAPI) users() []map[string]any {
	a.t.Helper()
	var out struct {
		Data []map[string]any `json:"data"`
	}
	if b := a.call("GET", "/api/user?status=all", nil); json.Unmarshal(b, &out) != nil {
		a.t.Fatalf("GET /api/user: %s", b)
	}
	return out.Data
}
