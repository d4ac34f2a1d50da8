package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
	"github.com/golang-jwt/jwt/v5"
)

// staticSecret is the embedding secret key of these tests.
const staticSecret = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"

// staticFixture is a dashboard published for static embedding on the
// Sample Database: an Account ID filter (slug account_id) locked, a Plan
// filter (slug plan, text) editable, and the invoice count and total
// payments wired to both.
type staticFixture struct {
	db, inv int64
	fields  map[string]int64
	dash    int64
}

// publishStatic turns static embedding on with staticSecret and publishes
// a dashboard named name; with unwired, it also shows a card that no filter
// is wired to.
func publishStatic(t *testing.T, s *sightline, api *http.Client, name string, unwired bool) staticFixture {
	t.Helper()
	db, inv, f := invoicesFields(t, s, api)
	for k, v := range map[string]any{"enable-embedding-static": true, "embedding-secret-key": staticSecret} {
		b, _ := json.Marshal(map[string]any{"value": v})
		if st, body := apiCall(t, api, "PUT", s.URL+"/api/setting/"+k, string(b)); st >= 300 {
			t.Fatalf("PUT setting %s = %d %s", k, st, body)
		}
	}
	newCard := func(name, agg string) int64 {
		q := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "aggregation": [%s]}}`, db, inv, agg)
		st, body := apiCall(t, api, "POST", s.URL+"/api/card", `{"name": "`+name+`", "display": "number", "dataset_query": `+q+`}`)
		var c struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(body, &c); st != 200 || c.ID == 0 {
			t.Fatalf("create %s = %d %s", name, st, body)
		}
		return c.ID
	}
	count := newCard("Invoice count", `["count"]`)
	total := newCard("Total payments", fmt.Sprintf(`["sum", ["field", %d, null]]`, f["PAYMENT"]))
	wired := func(card int64) string {
		return fmt.Sprintf(`[{"parameter_id": "acct", "card_id": %d, "target": ["dimension", ["field", %d, null]]},
			{"parameter_id": "plan", "card_id": %d, "target": ["dimension", ["field", %d, null]]}]`, card, f["ACCOUNT_ID"], card, f["PLAN"])
	}
	cards := fmt.Sprintf(`{"card_id": %d, "row": 0, "col": 0, "size_x": 12, "size_y": 4, "parameter_mappings": %s},
		{"card_id": %d, "row": 0, "col": 12, "size_x": 12, "size_y": 4, "parameter_mappings": %s}`, count, wired(count), total, wired(total))
	if unwired {
		cards += fmt.Sprintf(`, {"card_id": %d, "row": 4, "col": 0, "size_x": 12, "size_y": 4, "visualization_settings": {"card.title": "All invoices"}}`, count)
	}
	body := fmt.Sprintf(`{"name": %q, "parameters": [
		{"id": "acct", "name": "Account ID", "slug": "account_id", "type": "id"},
		{"id": "plan", "name": "Plan", "slug": "plan", "type": "string/="}],
		"dashcards": [%s]}`, name, cards)
	st, resp := apiCall(t, api, "POST", s.URL+"/api/dashboard", body)
	var d struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(resp, &d); st != 200 || d.ID == 0 {
		t.Fatalf("create dashboard = %d %s", st, resp)
	}
	st, resp = apiCall(t, api, "PUT", fmt.Sprintf("%s/api/dashboard/%d", s.URL, d.ID),
		`{"enable_embedding": true, "embedding_params": {"account_id": "locked", "plan": "enabled"}}`)
	if st != 200 {
		t.Fatalf("publish dashboard = %d %s", st, resp)
	}
	return staticFixture{db: db, inv: inv, fields: f, dash: d.ID}
}

// figure runs an aggregation of INVOICES as the administrator, with
// ACCOUNT_ID = account when account is not 0 and PLAN = plan when plan is
// set, and returns it as a number card shows it without thousands
// separators.
func (f staticFixture) figure(t *testing.T, s *sightline, api *http.Client, agg string, account int, plan string) string {
	t.Helper()
	var filters []string
	if account != 0 {
		filters = append(filters, fmt.Sprintf(`["=", ["field", %d, null], %d]`, f.fields["ACCOUNT_ID"], account))
	}
	if plan != "" {
		filters = append(filters, fmt.Sprintf(`["=", ["field", %d, null], %q]`, f.fields["PLAN"], plan))
	}
	filter := ""
	switch len(filters) {
	case 1:
		filter = `, "filter": ` + filters[0]
	case 2:
		filter = `, "filter": ["and", ` + strings.Join(filters, ", ") + `]`
	}
	q := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "aggregation": [%s]%s}}`, f.db, f.inv, agg, filter)
	st, body := apiCall(t, api, "POST", s.URL+"/api/dataset", q)
	var res struct {
		Data struct {
			Rows [][]any `json:"rows"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &res); err != nil || st >= 300 || len(res.Data.Rows) != 1 {
		t.Fatalf("POST /api/dataset %s = %d %s", q, st, body)
	}
	v := res.Data.Rows[0][0]
	if v == nil {
		return "0"
	}
	n, ok := v.(float64)
	if !ok {
		t.Fatalf("aggregation = %v, want a number", v)
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}

// token signs a static embedding token for the dashboard locking
// account_id, expiring after ttl (negative: already expired).
func (f staticFixture) token(t *testing.T, account int, ttl time.Duration) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"resource": map[string]any{"dashboard": f.dash}, "params": map[string]any{"account_id": account},
		"exp": time.Now().Add(ttl).Unix(),
	}).SignedString([]byte(staticSecret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// embedNumbers waits for the page's cards and returns each question card's
// figure by title, without thousands separators (for a card that failed,
// its message).
func embedNumbers(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#embed[data-loaded="true"]`)))
	return eval[map[string]string](t, ctx, `Object.fromEntries(Array.from(document.querySelectorAll(".dash-card")).filter((b) => b.querySelector(".dash-card-body"))
		.map((b) => { const body = b.querySelector(".dash-card-body"); const txt = body.textContent.trim();
			return [b.querySelector(".dash-card-title").textContent, body.dataset.state === "error" ? txt : txt.replace(/[^0-9.]/g, "") || "0"]; }))`)
}

// TestStaticEmbedPages opens static embed and public-link pages in
// Chromium: a dashboard locked to account 28 shows that account's figures,
// an editable filter narrows them, the hash options change the page, a card
// the locked filter does not reach shows the server's refusal, a public
// dashboard shows every account's figures, and an expired token shows an
// error page.
func TestStaticEmbedPages(t *testing.T) {
	s, api := startWithSample(t)
	f := publishStatic(t, s, api, "Invoices by account", true)
	count28 := f.figure(t, s, api, `["count"]`, 28, "")
	total28 := f.figure(t, s, api, fmt.Sprintf(`["sum", ["field", %d, null]]`, f.fields["PAYMENT"]), 28, "")
	premium28 := f.figure(t, s, api, `["count"]`, 28, "Premium")
	basic28 := f.figure(t, s, api, `["count"]`, 28, "Basic")
	if count28 == "0" || count28 == premium28 {
		t.Fatalf("account 28 has %s invoices, %s of them Premium: the fixture cannot show a filter working", count28, premium28)
	}
	tok := f.token(t, 28, 10*time.Minute)
	page := s.URL + "/embed/dashboard/" + tok

	ctx := browser(t)
	console := watchConsole(t, ctx)

	// Locked to account 28: that account's figures, and the card that the
	// locked filter does not reach refuses with the server's message.
	do(t, ctx, chromedp.Navigate(page))
	got := embedNumbers(t, ctx)
	if got["Invoice count"] != count28 || got["Total payments"] != total28 {
		t.Errorf("locked to account 28 the cards show %v, want count %s and total %s", got, count28, total28)
	}
	if !strings.Contains(got["All invoices"], "This card is not filtered by Account ID") {
		t.Errorf("the unwired card shows %q, want the server's refusal", got["All invoices"])
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".dash-card .embed-download").length`); n != 2 {
		t.Errorf("%d cards offer downloads, want the 2 that ran", n)
	}
	if h := text(t, ctx, "#embed-title"); h != "Invoices by account" {
		t.Errorf("title = %q", h)
	}
	// Only the editable filter has a widget; no link leads into the app.
	if n := eval[int](t, ctx, `document.querySelectorAll('.dash-filter[data-slug="account_id"]').length`); n != 0 {
		t.Error("the locked filter has a widget")
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('a[href^="/question"], a[href^="/dashboard"], a[href="/"], #topbar').length`); n != 0 {
		t.Errorf("the page has %d links into the app or a top bar", n)
	}
	// Each card offers downloads through the embed routes by default.
	if href := eval[string](t, ctx, `(document.querySelector('.dash-card .embed-download a[data-format="csv"]') || {}).href || ""`); !strings.Contains(href, "/api/embed/dashboard/"+tok+"/dashcard/") || !strings.HasSuffix(href, "/csv") {
		t.Errorf("csv download link = %q, want the embed download route", href)
	}
	shot(t, ctx, "locked")

	// The editable filter narrows the cards and is kept in the query string.
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#filter-plan`), "Premium"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("filter-plan").dispatchEvent(new Event("change", {bubbles: true}))`))
	waitTrue(t, ctx, `location.search === "?plan=Premium" && document.querySelector('.dash-card[data-card-id] .dash-card-body[data-state="done"], .dash-card[data-card-id] .dash-card-body[data-state="empty"]') !== null && !document.querySelector('.dash-card-body[data-state="loading"]')`)
	if got := embedNumbers(t, ctx); got["Invoice count"] != premium28 {
		t.Errorf("with plan Premium the count is %q, want %s", got["Invoice count"], premium28)
	}

	// ?plan=Basic on first load applies; titled=false hides the title,
	// theme=night darkens the page, hide_download_button removes the menus,
	// and hide_parameters hides the widget while its value still applies.
	do(t, ctx, chromedp.Navigate(page+"?plan=Basic#titled=false&theme=night&hide_download_button=true&hide_parameters=plan"))
	if got := embedNumbers(t, ctx); got["Invoice count"] != basic28 {
		t.Errorf("with ?plan=Basic the count is %q, want %s", got["Invoice count"], basic28)
	}
	for expr, want := range map[string]bool{
		`getComputedStyle(document.getElementById("embed-head")).display === "none"`:                    true,
		`document.body.classList.contains("theme-night")`:                                               true,
		`getComputedStyle(document.body).backgroundColor !== "rgb(247, 249, 251)"`:                      true,
		`document.querySelectorAll(".embed-download").length === 0`:                                     true,
		`getComputedStyle(document.querySelector('.dash-filter[data-slug="plan"]')).display === "none"`: true,
	} {
		if eval[bool](t, ctx, expr) != want {
			t.Errorf("%s is not %v", expr, want)
		}
	}
	shot(t, ctx, "night")

	// refresh re-runs the cards every N seconds (5 at the least); font picks
	// one of the application fonts.
	do(t, ctx, chromedp.Navigate(page+"#refresh=5&font=mono&bordered=false"))
	embedNumbers(t, ctx)
	if !eval[bool](t, ctx, `getComputedStyle(document.body).fontFamily.includes("monospace") && !document.body.classList.contains("embed-bordered")`) {
		t.Errorf("font=mono and bordered=false not applied: font %q", eval[string](t, ctx, `getComputedStyle(document.body).fontFamily`))
	}
	waitTrue(t, ctx, `Number(document.getElementById("embed").dataset.runs) >= 2`)

	// An expired token gets an error page with the server's message.
	do(t, ctx, chromedp.Navigate(s.URL+"/embed/dashboard/"+f.token(t, 28, -time.Minute)), chromedp.WaitVisible(chromedp.CSS("#error-message")))
	if msg := text(t, ctx, "#error-message"); msg != "The embedding token has expired." {
		t.Errorf("expired token page says %q", msg)
	}

	// A public link shows every account's figures, and its filters apply.
	for k, v := range map[string]any{"enable-public-sharing": true} {
		b, _ := json.Marshal(map[string]any{"value": v})
		apiCall(t, api, "PUT", s.URL+"/api/setting/"+k, string(b))
	}
	st, body := apiCall(t, api, "POST", fmt.Sprintf("%s/api/dashboard/%d/public_link", s.URL, f.dash), "")
	var link struct {
		UUID string `json:"uuid"`
	}
	if json.Unmarshal(body, &link); st != 200 || link.UUID == "" {
		t.Fatalf("public link = %d %s", st, body)
	}
	all := f.figure(t, s, api, `["count"]`, 0, "")
	do(t, ctx, chromedp.Navigate(s.URL+"/public/dashboard/"+link.UUID))
	if got := embedNumbers(t, ctx); got["Invoice count"] != all || got["All invoices"] != all {
		t.Errorf("the public dashboard shows %v, want %s invoices on both count cards", got, all)
	}
	do(t, ctx, chromedp.Navigate(s.URL+"/public/dashboard/"+link.UUID+"?account_id=28"))
	if got := embedNumbers(t, ctx); got["Invoice count"] != count28 {
		t.Errorf("the public dashboard with ?account_id=28 shows %v, want %s", got, count28)
	}
	shot(t, ctx, "public")

	// A SQL question: embedded with its variable locked to 28, and shared by
	// a public link where ?account_id=28 fills the variable.
	native := `{"database": ` + fmt.Sprint(f.db) + `, "type": "native", "native": {"query": "SELECT COUNT(*) AS n FROM INVOICES WHERE 1 = 1 [[AND ACCOUNT_ID = {{account_id}}]]",
		"template-tags": {"account_id": {"id": "a1", "name": "account_id", "display-name": "Account", "type": "number"}}}}`
	st, body = apiCall(t, api, "POST", s.URL+"/api/card", `{"name": "Invoices of an account", "display": "number", "dataset_query": `+native+`}`)
	var q struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(body, &q); st != 200 || q.ID == 0 {
		t.Fatalf("create the SQL question = %d %s", st, body)
	}
	if st, body = apiCall(t, api, "PUT", fmt.Sprintf("%s/api/card/%d", s.URL, q.ID), `{"enable_embedding": true, "embedding_params": {"account_id": "locked"}}`); st != 200 {
		t.Fatalf("publish the SQL question = %d %s", st, body)
	}
	qtok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"resource": map[string]any{"question": q.ID},
		"params": map[string]any{"account_id": 28}, "exp": time.Now().Add(10 * time.Minute).Unix()}).SignedString([]byte(staticSecret))
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(s.URL+"/embed/question/"+qtok))
	if got := embedNumbers(t, ctx); got["Invoices of an account"] != count28 {
		t.Errorf("the embedded SQL question shows %v, want %s", got, count28)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".dash-filter").length`); n != 0 {
		t.Errorf("the embedded question shows %d filters, want none (its only variable is locked)", n)
	}
	st, body = apiCall(t, api, "POST", fmt.Sprintf("%s/api/card/%d/public_link", s.URL, q.ID), "")
	if json.Unmarshal(body, &link); st != 200 || link.UUID == "" {
		t.Fatalf("public link = %d %s", st, body)
	}
	do(t, ctx, chromedp.Navigate(s.URL+"/public/question/"+link.UUID+"?account_id=28"))
	if got := embedNumbers(t, ctx); got["Invoices of an account"] != count28 {
		t.Errorf("the public SQL question with ?account_id=28 shows %v, want %s", got, count28)
	}
	if v := eval[string](t, ctx, `document.getElementById("filter-account_id").value`); v != "28" {
		t.Errorf("the public question's Account filter shows %q, want 28", v)
	}
	shot(t, ctx, "public-question")
	// The refused card and the expired token answer 403 and 400, which the
	// console reports as failed loads; anything else is a script error.
	for _, e := range console() {
		if !strings.Contains(e, "Failed to load resource: the server responded with a status of 40") {
			t.Errorf("console error: %s", e)
		}
	}
}

// TestStaticEmbedCrossSite signs two customers in to the sample host app
// on http://localhost, whose /analytics/static page frames Sightline's
// static embed on http://127.0.0.1 (another site) with third-party cookies
// blocked: each sees their own account's figures, with no Sightline
// session or cookie at all, and the frame grows to its content.
func TestStaticEmbedCrossSite(t *testing.T) {
	s, api := startWithSample(t)
	f := publishStatic(t, s, api, "Your invoices", false)
	hostPort := freePort(t)
	host := fmt.Sprintf("http://localhost:%d", hostPort)
	start(t, build(t, "cmd/hostapp"), map[string]string{"HOSTAPP_ADDR": fmt.Sprintf("localhost:%d", hostPort),
		"SIGHTLINE_SITE_URL": s.URL, "SIGHTLINE_JWT_SHARED_SECRET": "unused-by-static-embeds",
		"SIGHTLINE_EMBEDDING_SECRET_KEY": staticSecret, "SIGHTLINE_STATIC_DASHBOARD_ID": fmt.Sprint(f.dash)})
	waitHealthy(t, host+"/login")

	for _, c := range []struct {
		email   string
		account int
	}{{"rene@acme.example", 28}, {"cora@globex.example", 13}} {
		t.Run(c.email, func(t *testing.T) {
			want := f.figure(t, s, api, `["count"]`, c.account, "")
			wantTotal := f.figure(t, s, api, fmt.Sprintf(`["sum", ["field", %d, null]]`, f.fields["PAYMENT"]), c.account, "")
			ctx := browser(t, chromedp.Flag("test-third-party-cookie-phaseout", true))
			do(t, ctx, chromedp.Navigate(host+"/login"), chromedp.WaitVisible(chromedp.CSS("#email")),
				chromedp.SendKeys(chromedp.CSS("#email"), c.email), chromedp.SendKeys(chromedp.CSS("#password"), "demo-password"))
			submitAndWait(t, ctx, "#signin")
			do(t, ctx, chromedp.Navigate(host+"/analytics/static"), chromedp.WaitVisible(chromedp.CSS("iframe#sightline")))
			frame := frameCtx(t, ctx, s.URL+"/embed/dashboard/")
			got := embedNumbers(t, frame)
			if got["Invoice count"] != want || got["Total payments"] != wantTotal {
				t.Errorf("%s (account %d) sees %v, want count %s and total %s", c.email, c.account, got, want, wantTotal)
			}
			// bordered=false&titled=true from the host's hash.
			if !eval[bool](t, frame, `!document.body.classList.contains("embed-bordered") && getComputedStyle(document.getElementById("embed-head")).display !== "none"`) {
				t.Error("the host's #bordered=false&titled=true was not applied")
			}
			// The browser holds the host app's cookie and none of Sightline's,
			// partitioned or not.
			cookies := run(t, ctx, func(ctx context.Context, tg *chromedp.Target) ([]*network.Cookie, error) {
				res, err := cdp.Call(ctx, tg, storage.GetCookies, storage.GetCookiesParams{})
				return res.Cookies, err
			})
			hostCookie := false
			for _, ck := range cookies {
				if ck.Domain == "127.0.0.1" {
					t.Errorf("Sightline set the cookie %s", ck.Name)
				}
				hostCookie = hostCookie || ck.Domain == "localhost"
			}
			if !hostCookie {
				t.Error("the browser holds no host app cookie: the cookie check reads nothing")
			}
			// The frame's height follows its content through the host's resize.js.
			waitTrue(t, ctx, `parseInt(document.getElementById("sightline").style.height || "0", 10) > 100`)
			// Any site may frame a static embed, so it follows no navigation
			// message from its host.
			run(t, ctx, chromedp.Evaluate[bool](`document.getElementById("sightline").contentWindow.postMessage(
				{sightline: {type: "location", location: "/auth/login"}}, "*"); true`))
			time.Sleep(time.Second)
			if p := eval[string](t, frame, `location.pathname`); !strings.HasPrefix(p, "/embed/dashboard/") {
				t.Errorf("after a navigation message from the host the frame shows %s", p)
			}
			shot(t, ctx, "static")
		})
	}
}

// TestStaticEmbedLinkedFilters: a Plan filter limited by the Account ID
// and Other account filters offers, on a public link and on a token's
// page, only the plans of the accounts those filters name (on first load
// from the query string, and again after the limiting filter changes),
// never those of an account the token does not lock.
func TestStaticEmbedLinkedFilters(t *testing.T) {
	s, api := startWithSample(t)
	f := publishStatic(t, s, api, "Invoices by account", false)
	var d struct {
		Dashcards []struct {
			CardID int64 `json:"card_id"`
		} `json:"dashcards"`
	}
	st, body := apiCall(t, api, "GET", fmt.Sprintf("%s/api/dashboard/%d", s.URL, f.dash), "")
	if json.Unmarshal(body, &d); st != 200 || len(d.Dashcards) == 0 {
		t.Fatalf("GET dashboard = %d %.300s", st, body)
	}
	card := d.Dashcards[0].CardID
	wire := func(param, field string) string {
		return fmt.Sprintf(`{"parameter_id": %q, "card_id": %d, "target": ["dimension", ["field", %d, null]]}`, param, card, f.fields[field])
	}
	st, body = apiCall(t, api, "PUT", fmt.Sprintf("%s/api/dashboard/%d", s.URL, f.dash), fmt.Sprintf(`{
		"parameters": [
			{"id": "acct", "name": "Account ID", "slug": "account_id", "type": "id"},
			{"id": "plan", "name": "Plan", "slug": "plan", "type": "category", "filteringParameters": ["acct", "other"]},
			{"id": "other", "name": "Other account", "slug": "other_account", "type": "id"}],
		"dashcards": [{"id": -1, "card_id": %d, "row": 0, "col": 0, "size_x": 12, "size_y": 4, "parameter_mappings": [%s, %s, %s]},
			{"id": -2, "card_id": null, "row": 4, "col": 0, "size_x": 12, "size_y": 2,
			 "visualization_settings": {"virtual_card": {"display": "text"}, "text": "# Plans of {{account_id}}\nOther account: **{{other_account}}**"}}],
		"embedding_params": {"account_id": "locked", "plan": "enabled", "other_account": "enabled"}}`,
		card, wire("acct", "ACCOUNT_ID"), wire("plan", "PLAN"), wire("other", "ACCOUNT_ID")))
	if st != 200 {
		t.Fatalf("PUT dashboard with linked filters = %d %.300s", st, body)
	}
	plansOf := func(account int) string {
		st, body := apiCall(t, api, "GET", fmt.Sprintf("%s/api/dashboard/%d/params/plan/values?acct=%d", s.URL, f.dash, account), "")
		var v struct {
			Values [][]any `json:"values"`
		}
		if json.Unmarshal(body, &v); st != 200 {
			t.Fatalf("plans of account %d = %d %s", account, st, body)
		}
		var out []string
		for _, x := range v.Values {
			out = append(out, fmt.Sprint(x[0]))
		}
		return strings.Join(out, ",")
	}
	plans28, plans23 := plansOf(28), plansOf(23)
	if plans28 == "" || plans23 == "" || plans28 == plans23 {
		t.Fatalf("accounts 28 and 23 have plans %q and %q: the fixture cannot show linked filters working", plans28, plans23)
	}
	b, _ := json.Marshal(map[string]any{"value": true})
	apiCall(t, api, "PUT", s.URL+"/api/setting/enable-public-sharing", string(b))
	st, body = apiCall(t, api, "POST", fmt.Sprintf("%s/api/dashboard/%d/public_link", s.URL, f.dash), "")
	var link struct {
		UUID string `json:"uuid"`
	}
	if json.Unmarshal(body, &link); st != 200 || link.UUID == "" {
		t.Fatalf("public link = %d %s", st, body)
	}

	ctx := browser(t)
	planChoices := func() string {
		t.Helper()
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.dash-filter[data-slug="plan"][data-values="loaded"]`)))
		return eval[string](t, ctx, `Array.from(document.querySelectorAll("#filter-plan option")).map((o) => o.value).filter(Boolean).join(",")`)
	}
	setAccount := func(slug, v string) {
		t.Helper()
		do(t, ctx, chromedp.SetValue(chromedp.CSS("#filter-"+slug), v),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("filter-`+slug+`").dispatchEvent(new Event("change", {bubbles: true}))`))
	}

	// The public link: Account ID is a filter like any other.
	do(t, ctx, chromedp.Navigate(s.URL+"/public/dashboard/"+link.UUID+"?account_id=28"))
	if got := planChoices(); got != plans28 {
		t.Errorf("public link with account 28: Plan offers %q, want %q", got, plans28)
	}
	setAccount("account_id", "23")
	waitTrue(t, ctx, `location.search.includes("account_id=23")`)
	if got := planChoices(); got != plans23 {
		t.Errorf("public link after choosing account 23: Plan offers %q, want %q", got, plans23)
	}

	// A token locked to account 28: its plans; asking through Other
	// account for 23's plans finds none, and naming 28 changes nothing.
	page := s.URL + "/embed/dashboard/" + f.token(t, 28, 10*time.Minute)
	do(t, ctx, chromedp.Navigate(page))
	if got := planChoices(); got != plans28 {
		t.Errorf("token locked to 28: Plan offers %q, want %q", got, plans28)
	}
	setAccount("other_account", "23")
	waitTrue(t, ctx, `location.search.includes("other_account=23")`)
	if got := planChoices(); got != "" {
		t.Errorf("token locked to 28 with Other account 23: Plan offers %q, want none", got)
	}
	// The text card is Markdown, with the filter's value in its place.
	waitTrue(t, ctx, `(document.querySelector(".dash-text .dash-text-body strong") || {}).textContent === "23"`)
	if got := text(t, ctx, ".dash-text .dash-text-body h3"); got != "Plans of 28" {
		t.Errorf("the text card's heading = %q, want Plans of 28 (the token's locked account)", got)
	}
	do(t, ctx, chromedp.Navigate(page+"?other_account=28"))
	if got := planChoices(); got != plans28 {
		t.Errorf("token locked to 28 with Other account 28: Plan offers %q, want %q", got, plans28)
	}
}
