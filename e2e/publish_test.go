package e2e

import (
	"encoding/json"
	"fmt"
	"go/format"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/golang-jwt/jwt/v5"
)

// publishKey is the embedding secret key the publishing test sets.
var publishKey = strings.Repeat("5e", 32)

// TestPublishPanel publishes a dashboard for static embedding from its Embed
// panel in Chromium: the administrator locks account_id, types 28 for the
// preview, and the panel's Node code, run with node and jsonwebtoken, signs
// a token the server accepts; the preview asks POST /api/preview_embed/token
// for a token with the chosen modes; a public link is created, copied and
// revoked; the dashboard is unpublished. Admin > Embedding's Copy button
// reads the whole secret key, which the page itself never holds.
func TestPublishPanel(t *testing.T) {
	s, api := startWithSample(t)
	if st, body := apiCall(t, api, "PUT", s.URL+"/api/setting", fmt.Sprintf(
		`{"enable-embedding-static": true, "enable-public-sharing": true, "embedding-secret-key": %q}`, publishKey)); st/100 != 2 {
		t.Fatalf("PUT /api/setting = %d %s", st, body)
	}
	st, body := apiCall(t, api, "POST", s.URL+"/api/dashboard", `{"name": "Accounts", "parameters": [
		{"id": "acct", "name": "Account", "slug": "account_id", "type": "category"},
		{"id": "plan", "name": "Plan", "slug": "plan", "type": "category"}]}`)
	var d struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(body, &d); st != 200 || d.ID == 0 {
		t.Fatalf("create dashboard = %d %s", st, body)
	}

	ctx := browser(t)
	signIn(t, ctx, s.URL)
	do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/dashboard/%d", s.URL, d.ID)), chromedp.WaitVisible(chromedp.CSS("#embed-open")))
	// The page's confirm() dialogs answer yes; fetches to the API are
	// recorded (not answered) so the test can read what the panel sent.
	eval[bool](t, ctx, `(() => {
		window.confirm = () => true;
		window.__calls = [];
		const orig = window.fetch;
		window.fetch = function (url, init) {
			window.__calls.push({url: String(url), method: (init && init.method) || "GET", body: (init && init.body) || ""});
			return orig.apply(this, arguments);
		};
		return true;
	})()`)
	do(t, ctx, chromedp.Click(chromedp.CSS("#embed-open")), chromedp.WaitVisible(chromedp.CSS("#publish-params")))
	if got := text(t, ctx, "#publish-state"); !strings.Contains(got, "Not published") {
		t.Errorf("panel state = %q, want Not published", got)
	}
	pick(t, ctx, `#publish-params select[data-slug="account_id"]`, "Locked")
	pick(t, ctx, `#publish-params select[data-slug="plan"]`, "Editable")
	do(t, ctx, chromedp.Click(chromedp.CSS("#publish-save")))
	waitJS(t, ctx, `document.querySelector("#publish-status").textContent === "Published."`)
	var saved struct {
		EnableEmbedding bool              `json:"enable_embedding"`
		EmbeddingParams map[string]string `json:"embedding_params"`
	}
	_, body = apiCall(t, api, "GET", fmt.Sprintf("%s/api/dashboard/%d", s.URL, d.ID), "")
	json.Unmarshal(body, &saved)
	if !saved.EnableEmbedding || saved.EmbeddingParams["account_id"] != "locked" || saved.EmbeddingParams["plan"] != "enabled" {
		t.Errorf("after Publish the dashboard has enable_embedding %v, embedding_params %v; want true, account_id locked, plan enabled",
			saved.EnableEmbedding, saved.EmbeddingParams)
	}

	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#publish-preview-inputs input[data-slug="account_id"]`), "28"))
	node := text(t, ctx, "#publish-code-node")
	goCode := text(t, ctx, "#publish-code-go")
	for _, want := range []string{fmt.Sprintf("resource: { dashboard: %d }", d.ID), `params: { "account_id": 28 }`, "/embed/dashboard/", "#bordered=true&titled=true"} {
		if !strings.Contains(node, want) {
			t.Errorf("Node code lacks %q:\n%s", want, node)
		}
	}
	for _, want := range []string{fmt.Sprintf(`"resource": map[string]any{"dashboard": %d}`, d.ID), `"params":   map[string]any{"account_id": 28}`,
		"time.Now().Add(10 * time.Minute).Unix()", "jwt.SigningMethodHS256"} {
		if !strings.Contains(goCode, want) {
			t.Errorf("Go code lacks %q:\n%s", want, goCode)
		}
	}
	// The Go code is a whole program, already gofmt-formatted.
	if formatted, err := format.Source([]byte(goCode)); err != nil || string(formatted) != goCode {
		t.Errorf("the Go code does not parse or is not gofmt-formatted (%v):\n%s", err, goCode)
	}
	if url := text(t, ctx, "#publish-iframe-url"); url != s.URL+"/embed/dashboard/TOKEN#bordered=true&titled=true" {
		t.Errorf("iframe URL = %q", url)
	}

	// The Node code, run as written, signs a token the server accepts.
	iframeURL := runNodeSnippet(t, node)
	token := regexp.MustCompile(`/embed/dashboard/([^#]+)#`).FindStringSubmatch(iframeURL)
	if token == nil || !strings.HasPrefix(iframeURL, s.URL+"/embed/dashboard/") {
		t.Fatalf("the Node code printed %q, want %s/embed/dashboard/TOKEN#...", iframeURL, s.URL)
	}
	if st, body := apiCall(t, &http.Client{}, "GET", s.URL+"/api/embed/dashboard/"+token[1], ""); st != 200 || !strings.Contains(string(body), `"Accounts"`) {
		t.Errorf("GET /api/embed/dashboard/<token from the Node code> = %d %.300s, want 200 and the dashboard", st, body)
	}

	// Preview: the panel asks for a preview token with the chosen modes and
	// the typed locked value.
	do(t, ctx, chromedp.Click(chromedp.CSS("#publish-preview")))
	waitJS(t, ctx, `window.__calls.some(c => c.url === "/api/preview_embed/token") &&
		(document.querySelector("#publish-preview-frame").getAttribute("src") || document.querySelector("#publish-status").textContent.includes("preview"))`)
	sent := eval[string](t, ctx, `window.__calls.filter(c => c.url === "/api/preview_embed/token")[0].body`)
	var preview struct {
		Resource        map[string]int64  `json:"resource"`
		Params          map[string]any    `json:"params"`
		EmbeddingParams map[string]string `json:"_embedding_params"`
	}
	if err := json.Unmarshal([]byte(sent), &preview); err != nil || preview.Resource["dashboard"] != d.ID || preview.Params["account_id"] != float64(28) ||
		len(preview.Params) != 1 || preview.EmbeddingParams["account_id"] != "locked" || preview.EmbeddingParams["plan"] != "enabled" {
		t.Errorf("POST /api/preview_embed/token body = %s, want resource dashboard %d, params {account_id: 28}, _embedding_params as chosen", sent, d.ID)
	}
	src := eval[string](t, ctx, `document.querySelector("#publish-preview-frame").getAttribute("src") || ""`)
	tok, ok := strings.CutPrefix(strings.TrimSuffix(src, "#bordered=true&titled=true"), "/preview_embed/dashboard/")
	if !ok {
		t.Fatalf("preview frame src = %q (panel says %q), want /preview_embed/dashboard/TOKEN", src, text(t, ctx, "#publish-status"))
	}
	claims := jwt.MapClaims{}
	if _, err := jwt.ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return []byte(publishKey), nil },
		jwt.WithValidMethods([]string{"HS256"})); err != nil {
		t.Errorf("the preview token does not verify with the embedding secret key: %v", err)
	}
	// The preview frame draws the dashboard as the token shows it: its
	// title, the editable Plan filter, and no widget for the locked account.
	waitJS(t, ctx, `(() => {
		const d = document.querySelector("#publish-preview-frame").contentDocument;
		const h = d && d.querySelector("#embed-title");
		return !!h && h.textContent.includes("Accounts") && d.querySelector("#embed-filters").textContent.includes("Plan");
	})()`)
	if got := eval[string](t, ctx, `document.querySelector("#publish-preview-frame").contentDocument.querySelector("#embed-filters").textContent`); strings.Contains(got, "Account") {
		t.Errorf("the preview's filters read %q; the locked Account filter must not have a widget", got)
	}

	// Public link: create, read its URL, revoke.
	do(t, ctx, chromedp.Click(chromedp.CSS("#publish-public-create")), chromedp.WaitVisible(chromedp.CSS("#publish-public-url")))
	link := eval[string](t, ctx, `document.querySelector("#publish-public-url").value`)
	uuid, ok := strings.CutPrefix(link, s.URL+"/public/dashboard/")
	if !ok || len(uuid) != 36 {
		t.Fatalf("public link = %q, want %s/public/dashboard/UUID", link, s.URL)
	}
	if st, _ := apiCall(t, &http.Client{}, "GET", s.URL+"/api/public/dashboard/"+uuid, ""); st != 200 {
		t.Errorf("GET the new public link = %d, want 200", st)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#publish-public-revoke")), chromedp.WaitVisible(chromedp.CSS("#publish-public-create")))
	if st, _ := apiCall(t, &http.Client{}, "GET", s.URL+"/api/public/dashboard/"+uuid, ""); st != 404 {
		t.Errorf("GET the revoked public link = %d, want 404", st)
	}

	do(t, ctx, chromedp.Click(chromedp.CSS("#publish-unpublish")))
	waitJS(t, ctx, `document.querySelector("#publish-status").textContent.startsWith("Unpublished")`)
	_, body = apiCall(t, api, "GET", fmt.Sprintf("%s/api/dashboard/%d", s.URL, d.ID), "")
	saved.EnableEmbedding = true
	json.Unmarshal(body, &saved)
	if saved.EnableEmbedding {
		t.Errorf("after Unpublish the dashboard is still published")
	}

	// A SQL question's panel offers its variables, and its code names the
	// question.
	st, body = apiCall(t, api, "GET", s.URL+"/api/database", "")
	var dbs struct {
		Data []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"data"`
	}
	json.Unmarshal(body, &dbs)
	var sample int64
	for _, db := range dbs.Data {
		if db.Name == "Sample Database" {
			sample = db.ID
		}
	}
	st, body = apiCall(t, api, "POST", s.URL+"/api/card", fmt.Sprintf(`{"name": "Invoices of a plan", "display": "table", "dataset_query": {
		"database": %d, "type": "native", "native": {"query": "SELECT COUNT(*) FROM INVOICES WHERE PLAN = {{plan}}",
		"template-tags": {"plan": {"id": "p1", "name": "plan", "display-name": "Plan", "type": "text", "default": "Basic"}}}}}`, sample))
	var q struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(body, &q); st != 200 || q.ID == 0 {
		t.Fatalf("create SQL question = %d %s", st, body)
	}
	do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/question/%d", s.URL, q.ID)), chromedp.WaitVisible(chromedp.CSS("#embed-open")),
		chromedp.Click(chromedp.CSS("#embed-open")), chromedp.WaitVisible(chromedp.CSS(`#publish-params select[data-slug="plan"]`)))
	pick(t, ctx, `#publish-params select[data-slug="plan"]`, "Locked")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#publish-preview-inputs input[data-slug="plan"]`), "Basic"))
	if node := text(t, ctx, "#publish-code-node"); !strings.Contains(node, fmt.Sprintf("resource: { question: %d }", q.ID)) ||
		!strings.Contains(node, `params: { "plan": "Basic" }`) || !strings.Contains(node, "/embed/question/") {
		t.Errorf("the question's Node code = %s, want resource question %d, params plan Basic, /embed/question/", node, q.ID)
	}

	// Admin > Embedding: the page holds only the key's last characters;
	// Copy fetches the whole key into the box.
	do(t, ctx, chromedp.Navigate(s.URL+"/admin/settings/embedding"), chromedp.WaitVisible(chromedp.CSS("#embedding-key-copy")))
	if html := eval[string](t, ctx, `document.documentElement.outerHTML`); strings.Contains(html, publishKey) {
		t.Errorf("Admin > Embedding holds the whole secret key before Copy")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#embedding-key-copy")))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector("#embedding-key-value").value === %q`, publishKey))

	// Regenerate asks first: declined, nothing changes; accepted, a new key
	// replaces the old one and the unsaved origins typed meanwhile stay.
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`textarea[name="embedding-app-origins-interactive"]`), "https://typed.example.com"))
	eval[bool](t, ctx, `(() => { window.confirm = () => false; return true; })()`)
	do(t, ctx, chromedp.Click(chromedp.CSS("#embedding-key-generate")))
	if got := run(t, ctx, chromedp.Evaluate[string](`fetch("/admin/settings/embedding/key/value", {method: "POST"}).then(r => r.text())`,
		chromedp.EvalAwaitPromise)); got != publishKey {
		t.Errorf("after declining Regenerate the key is %q, want it unchanged", got)
	}
	eval[bool](t, ctx, `(() => { window.confirm = () => true; return true; })()`)
	submitAndWait(t, ctx, "#embedding-key-generate")
	if flash := text(t, ctx, "main"); !strings.Contains(flash, "A new embedding secret key was generated") {
		t.Errorf("after Regenerate the page says %.300q", flash)
	}
	if got := eval[string](t, ctx, `document.querySelector('textarea[name="embedding-app-origins-interactive"]').value`); got != "https://typed.example.com" {
		t.Errorf("after Regenerate the origins box holds %q, want what was typed", got)
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector("#embedding-key-value").value.startsWith("••••") && !document.documentElement.outerHTML.includes(%q)`, publishKey))
}

// runNodeSnippet runs the panel's Node code with node, the repository's
// jsonwebtoken and the embedding secret key in the environment, and
// returns the iframe URL it builds.
func runNodeSnippet(t *testing.T, code string) string {
	t.Helper()
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is needed to run the panel's Node code: %v", err)
	}
	modules, err := filepath.Abs("../node_modules")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "sign.js")
	if err := os.WriteFile(file, []byte(code+"\nconsole.log(iframeUrl);\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nodeBin, file)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules, "SIGHTLINE_EMBEDDING_SECRET_KEY="+publishKey)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", file, err, out)
	}
	return strings.TrimSpace(string(out))
}
