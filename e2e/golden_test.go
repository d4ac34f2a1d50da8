package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"sightline/internal/sampledata"
)

var update = flag.Bool("update", false, "rewrite the screenshot goldens in testdata/golden")

// goldenHeight is the viewport height of every golden; the widths are a
// phone, a narrow frame and a desktop.
const goldenHeight = 900

var goldenWidths = []int64{360, 800, 1280}

// goldenClock is the instant the pages' clock is frozen at and the day the
// Sample Database copy is generated as of, so that no picture changes from
// day to day.
var goldenClock = time.Date(2026, 6, 30, 15, 4, 5, 0, time.UTC)

// frozenPageJS runs before every page's own scripts: Date without
// arguments and Date.now start from at and advance with the page's own
// monotonic clock, so relative dates ("3 days ago") and "today" are the
// same on every run. Dates made from a value, and instanceof Date, work as
// before.
func frozenPageJS(at time.Time) string {
	return fmt.Sprintf(`(() => {
	const base = %d, start = performance.now(), Real = Date;
	const now = () => base + Math.floor(performance.now() - start);
	function FrozenDate(...args) {
		if (!new.target) return new Real(now()).toString();
		return args.length === 0 ? new Real(now()) : new Real(...args);
	}
	FrozenDate.prototype = Real.prototype;
	FrozenDate.now = now;
	FrozenDate.parse = Real.parse;
	FrozenDate.UTC = Real.UTC;
	globalThis.Date = FrozenDate;
})()`, at.UnixMilli())
}

// steadyPageJS removes what changes from one frame to the next without
// being layout: CSS animations and transitions are switched off, the text
// caret and focus rings are not drawn. Headless Chromium draws no
// scrollbars.
const steadyPageJS = `(() => {
	const sheet = new CSSStyleSheet();
	sheet.replaceSync("*, *::before, *::after { animation: none !important; transition: none !important; caret-color: transparent !important; }" +
		" *:focus, *:focus-visible { outline: none !important; }");
	document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
	if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
	return true;
})()`

// maskJS paints an opaque box over each element a selector matches, at
// the element's place: its text is dynamic, its position still counts.
const maskJS = `((selectors) => {
	for (const sel of selectors) {
		for (const e of document.querySelectorAll(sel)) {
			const r = e.getBoundingClientRect(), box = document.createElement("div");
			box.style.cssText = "position:fixed;z-index:2147483647;background:#8a8f98;pointer-events:none;" +
				"left:" + r.left + "px;top:" + r.top + "px;width:" + r.width + "px;height:" + r.height + "px";
			document.documentElement.appendChild(box);
		}
	}
	return true;
})`

// fontWidthsJS measures one line of text in the page's font, in DejaVu
// Sans (falling back to monospace when it is missing) and in monospace.
const fontWidthsJS = `(() => {
	const c = document.createElement("canvas").getContext("2d"), line = "Sightline dashboards 0123456789";
	const width = (f) => { c.font = f; return c.measureText(line).width; };
	return [width("14px " + getComputedStyle(document.body).fontFamily), width("14px 'DejaVu Sans', monospace"), width("14px monospace")];
})()`

// goldenPage is one screen the goldens cover.
type goldenPage struct {
	name, path string
	// ready is a JavaScript condition that is true once the page has drawn
	// what it shows.
	ready string
	// masks are CSS selectors of elements whose text is inherently dynamic.
	masks []string
}

// TestLayoutGoldens takes a screenshot of six screens (home, a dashboard
// with filters, a question, the notebook editor, the SQL editor and the
// admin permissions grid) at 360, 800 and 1,280 px wide and compares each
// with its golden in testdata/golden: a layout change (a bar taller, cards
// stacking differently, a control moving) fails the test with the actual
// picture and a diff kept in e2e/artifacts. After an intended change,
// `go test ./e2e -run TestLayoutGoldens -update` rewrites the goldens.
//
// The pictures are the same on every run and every day: the data is a
// Sample Database copy dated goldenClock, the pages' clock starts at
// goldenClock in UTC with the en-US locale, charts do not animate, CSS
// animations, the caret and focus rings are off. Three texts come from the
// server's clock and are masked: the home page's greeting (morning or
// evening), and the "Edited" lines of the dashboard and of the question.
// The X-ray's "last 30 days" card counts from the server's day too, and
// shows 0 on every day after the data's last month.
func TestLayoutGoldens(t *testing.T) {
	s := startSightline(t, "127.0.0.1", map[string]string{
		"SIGHTLINE_ADMIN_EMAIL": adminEmail, "SIGHTLINE_ADMIN_PASSWORD": adminPassword,
		// The bundled copy is dated by the day the server first starts; the
		// test registers its own copy, dated goldenClock.
		"SIGHTLINE_SAMPLE_DB": "false",
	})
	api := &adminAPI{t: t, base: s.URL}
	api.signIn(adminEmail, adminPassword)
	sample := filepath.Join(t.TempDir(), "sample.db")
	if err := sampledata.WriteSQLite(context.Background(), sample, sampledata.Options{Anchor: goldenClock, Scale: 1}); err != nil {
		t.Fatal(err)
	}
	api.call("POST", "/api/database", map[string]any{"name": "Sample Database", "engine": "sqlite", "details": map[string]any{"path": sample}})
	dashPath := api.saveInvoicesXRay()
	var dash struct {
		Dashcards []struct {
			Card *struct {
				ID      int64  `json:"id"`
				Display string `json:"display"`
				TableID int64  `json:"table_id"`
			} `json:"card"`
		} `json:"dashcards"`
	}
	if err := json.Unmarshal(api.call("GET", "/api"+dashPath, nil), &dash); err != nil {
		t.Fatal(err)
	}
	var line, table int64
	for _, dc := range dash.Dashcards {
		if dc.Card != nil && dc.Card.Display == "line" && line == 0 {
			line, table = dc.Card.ID, dc.Card.TableID
		}
	}
	if line == 0 {
		t.Fatalf("the INVOICES X-ray has no line chart")
	}

	ctx := browser(t)
	do(t, ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: frozenPageJS(goldenClock)}); err != nil {
			return err
		}
		// Charts draw at once when the reader prefers reduced motion.
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}}); err != nil {
			return err
		}
		if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "UTC"}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, emulation.SetLocaleOverride, emulation.SetLocaleOverrideParams{Locale: "en-US"})
		return err
	}))
	signIn(t, ctx, s.URL)
	// The goldens are drawn in DejaVu Sans, the font a Debian machine's
	// fontconfig gives system-ui and sans-serif (scripts/setup.sh --test
	// installs it); with another font every picture differs.
	if w := eval[[]float64](t, ctx, fontWidthsJS); w[0] != w[1] || w[1] == w[2] {
		t.Fatalf("the pages are not drawn in DejaVu Sans (a line is %.1f px wide in the page's font, %.1f in DejaVu Sans, %.1f in monospace): install fonts-dejavu-core (scripts/setup.sh --test)", w[0], w[1], w[2])
	}

	// The page sees the frozen day, in UTC, and asks for no motion.
	const clockJS = `[new Date().toISOString().slice(0, 10), Intl.DateTimeFormat().resolvedOptions().timeZone, String(matchMedia("(prefers-reduced-motion: reduce)").matches)]`
	if got, want := strings.Join(eval[[]string](t, ctx, clockJS), " "), goldenClock.Format("2006-01-02")+" UTC true"; got != want {
		t.Fatalf("the page's day, time zone and reduced motion = %s, want %s", got, want)
	}

	pages := []goldenPage{
		{name: "home", path: "/", ready: `!!document.querySelector("main h1")`, masks: []string{"#greeting"}},
		{name: "dashboard", path: dashPath, ready: `!!document.querySelector('#dashboard[data-loaded="true"]') && !!document.querySelector("#dash-filters, .dash-filters")`,
			masks: []string{"#dashboard-info"}},
		{name: "question", path: fmt.Sprintf("/question/%d", line), ready: `!!document.querySelector("#viz canvas")`, masks: []string{"#question-info"}},
		{name: "notebook", path: fmt.Sprintf("/question/new?table=%d", table), ready: `!!document.querySelector("#notebook .nb-step, #notebook [class^=nb]")`},
		{name: "sql", path: "/question/new?type=native", ready: `!!document.querySelector("#sql-text") && document.querySelector("#sql-database").options.length > 0`},
		{name: "permissions", path: "/admin/permissions", ready: `!!document.querySelector("#perm-grid select")`},
	}
	for _, p := range pages {
		for _, w := range goldenWidths {
			name := fmt.Sprintf("%s-%d", p.name, w)
			t.Run(name, func(t *testing.T) {
				do(t, ctx, chromedp.EmulateViewport(w, goldenHeight), chromedp.Navigate(s.URL+p.path))
				waitTrue(t, ctx, `document.readyState === "complete" && document.fonts.status === "loaded" && (`+p.ready+`)`)
				masks, _ := json.Marshal(append([]string{}, p.masks...))
				eval[bool](t, ctx, steadyPageJS)
				eval[bool](t, ctx, maskJS+`(`+string(masks)+`)`)
				got := steadyShot(t, ctx)
				checkGolden(t, name, fmt.Sprintf("%s at %d px", p.path, w), got)
			})
		}
	}
}

// steadyShot captures the viewport until two captures in a row are the
// same, so that a chart or a list still settling is not taken half drawn.
func steadyShot(t *testing.T, ctx context.Context) []byte {
	t.Helper()
	prev := run(t, ctx, chromedp.CaptureScreenshot())
	for range 10 {
		time.Sleep(150 * time.Millisecond)
		cur := run(t, ctx, chromedp.CaptureScreenshot())
		if bytes.Equal(prev, cur) {
			return cur
		}
		prev = cur
	}
	t.Fatalf("the page kept changing for 1.5 s")
	return nil
}

// checkGolden compares a PNG screenshot with testdata/golden/<name>.png or,
// with -update, writes it there. On a difference the screenshot and a diff
// picture are kept in e2e/artifacts.
func checkGolden(t *testing.T, name, what string, shot []byte) {
	t.Helper()
	got, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("decode the screenshot: %v", err)
	}
	file := filepath.Join("testdata", "golden", name+".png")
	if *update {
		writePNG(t, file, got)
		return
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatalf("%s: no golden (%v); run go test ./e2e -run TestLayoutGoldens -update and review the pictures", what, err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", file, err)
	}
	d := compareImages(want, got, goldenTolerance)
	if !d.Fails(goldenTolerance) {
		if d.Differing+d.Smoothed > 0 {
			t.Logf("%s: %s, within the tolerance", what, d)
		}
		return
	}
	base := filepath.Join("artifacts", strings.ReplaceAll(t.Name(), "/", "_"))
	writePNG(t, base+"-actual.png", got)
	if d.Image != nil {
		writePNG(t, base+"-diff.png", d.Image)
	}
	t.Errorf("%s looks different from e2e/%s: %s.\nThe page as drawn now is e2e/%s-actual.png, the changes in red on e2e/%s-diff.png; "+
		"if the change is intended, run go test ./e2e -run TestLayoutGoldens -update and commit the new goldens.", what, file, d, base, base)
}

// writePNG writes img to file as a compressed PNG.
func writePNG(t *testing.T, file string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
