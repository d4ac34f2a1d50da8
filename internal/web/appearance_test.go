package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"sightline"
	"sightline/internal/app"
)

func TestParseHex(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"#2F6FDE", "#2f6fde", true},
		{" #abc ", "#aabbcc", true},
		{"#000000", "#000000", true},
		{"2f6fde", "", false},
		{"#2f6fd", "", false},
		{"#ggg", "", false},
		{"#2f6fde80", "", false},
		{"red", "", false},
		{"#fff;}body{display:none", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseHex(tt.in)
			if got != tt.want || (err == nil) != tt.ok {
				t.Errorf("parseHex(%q) = %q, %v, want %q (ok %v)", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestParseColorForm(t *testing.T) {
	tests := []struct {
		name, brand, charts string
		want                appColors
		problems            int
	}{
		{"empty means defaults", "", "  ", appColors{}, 0},
		{"brand and palette", "#F00", "#112233, #445566 #778899", appColors{Brand: "#ff0000", Charts: []string{"#112233", "#445566", "#778899"}}, 0},
		{"bad brand", "blue", "", appColors{}, 1},
		{"bad chart colours each named", "", "#112233, nope, #12", appColors{Charts: []string{"#112233"}}, 2},
		{"too many", "", strings.Repeat("#123456,", maxChartColors+1), appColors{}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problems := parseColorForm(tt.brand, tt.charts)
			if len(problems) != tt.problems {
				t.Errorf("parseColorForm(%q, %q) problems = %q, want %d", tt.brand, tt.charts, problems, tt.problems)
			}
			if tt.problems == 0 && (got.Brand != tt.want.Brand || strings.Join(got.Charts, " ") != strings.Join(tt.want.Charts, " ")) {
				t.Errorf("parseColorForm(%q, %q) = %+v, want %+v", tt.brand, tt.charts, got, tt.want)
			}
		})
	}
}

func TestAppearanceCSS(t *testing.T) {
	tests := []struct {
		name   string
		c      appColors
		font   string
		want   []string
		absent []string
	}{
		{"defaults", appColors{}, "", []string{"--font: system-ui"}, []string{"--brand", "--chart-1"}},
		{"dark brand, serif", appColors{Brand: "#2f6fde"}, "serif", []string{"--brand: #2f6fde;", "--brand-dark: #2659b2;", "--brand-contrast: #ffffff;", "--font: Charter"}, []string{"--chart-1"}},
		{"light brand gets dark text", appColors{Brand: "#ffee00"}, "mono", []string{"--brand-contrast: #1f2328;", "--font: ui-monospace"}, nil},
		{"palette", appColors{Charts: []string{"#111111", "#222222"}}, "rounded", []string{"--chart-1: #111111;", "--chart-2: #222222;", "--chart-count: 2;", "--font: ui-rounded"}, []string{"--chart-3"}},
		{"unknown font falls back", appColors{}, "comic", []string{"--font: system-ui"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(appearanceCSS(tt.c, tt.font))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("appearanceCSS(%+v, %q) = %q, want it to contain %q", tt.c, tt.font, got, w)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(got, a) {
					t.Errorf("appearanceCSS(%+v, %q) = %q, want no %q", tt.c, tt.font, got, a)
				}
			}
		})
	}
}

// pngOf encodes a w×h PNG.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// webpOf builds the header of a WebP file whose first chunk is kind with a
// w×h canvas; checkLogo reads no further.
func webpOf(kind string, w, h int) []byte {
	p := make([]byte, 10)
	switch kind {
	case "VP8 ":
		copy(p[3:6], []byte{0x9d, 0x01, 0x2a})
		binary.LittleEndian.PutUint16(p[6:8], uint16(w))
		binary.LittleEndian.PutUint16(p[8:10], uint16(h))
	case "VP8L":
		p[0] = 0x2f
		binary.LittleEndian.PutUint32(p[1:5], uint32(w-1)|uint32(h-1)<<14)
	case "VP8X":
		p[4], p[5], p[6] = byte(w-1), byte((w-1)>>8), byte((w-1)>>16)
		p[7], p[8], p[9] = byte(h-1), byte((h-1)>>8), byte((h-1)>>16)
	}
	b := []byte("RIFF\x00\x00\x00\x00WEBP" + kind + "\x0a\x00\x00\x00")
	return append(b, p...)
}

const goodSVG = `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">` +
	`<defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/><use xlink:href="#g"/></svg>`

func TestCheckLogo(t *testing.T) {
	var jpg, gf bytes.Buffer
	if err := jpeg.Encode(&jpg, image.NewGray(image.Rect(0, 0, 30, 20)), nil); err != nil {
		t.Fatal(err)
	}
	if err := gif.Encode(&gf, image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black}), nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		in    []byte
		ctype string // "" when refused
		msg   string // part of the refusal
	}{
		{"png", pngOf(t, 64, 32), "image/png", ""},
		{"png too wide", pngOf(t, 5000, 1), "", "5000×1 pixels"},
		{"jpeg", jpg.Bytes(), "image/jpeg", ""},
		{"webp lossy", webpOf("VP8 ", 300, 100), "image/webp", ""},
		{"webp lossless", webpOf("VP8L", 16, 16), "image/webp", ""},
		{"webp extended", webpOf("VP8X", 512, 128), "image/webp", ""},
		{"webp too tall", webpOf("VP8X", 10, 9000), "", "10×9000 pixels"},
		{"svg", []byte(goodSVG), "image/svg+xml", ""},
		{"svg with script", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "", "<script> element"},
		{"svg with handler", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "", "event handler (onload)"},
		{"svg with foreignObject", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>`), "", "<foreignObject>"},
		{"svg with javascript link", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>`), "", "links to"},
		{"svg with external image", []byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://evil.example/x.png"/></svg>`), "", "links to"},
		{"svg with entities", []byte(`<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>`), "", "entities"},
		{"html", []byte(`<html><script>alert(1)</script></html>`), "", "root is <html>"},
		{"broken xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><g></svg>`), "", "not well-formed"},
		{"gif", gf.Bytes(), "", "this file is image/gif"},
		{"text", []byte("just some text"), "", "this file is text/plain"},
		{"empty", nil, "", "empty"},
		{"too large", append(pngOf(t, 4, 4), make([]byte, maxLogoBytes)...), "", "at most 1 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checkLogo(tt.in)
			if got != tt.ctype {
				t.Errorf("checkLogo(%s) = %q, %v, want %q", tt.name, got, err, tt.ctype)
			}
			if tt.ctype == "" && (err == nil || !strings.Contains(sightline.ErrorMessage(err), tt.msg)) {
				t.Errorf("checkLogo(%s) error = %v, want one containing %q", tt.name, err, tt.msg)
			}
		})
	}
}

// postAppearance posts the Appearance form as multipart, with an optional
// logo file.
func (e *testEnv) postAppearance(c *http.Client, fields url.Values, logoName string, logo []byte) resp {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				e.t.Fatal(err)
			}
		}
	}
	if logo != nil {
		fw, err := mw.CreateFormFile("logo", logoName)
		if err != nil {
			e.t.Fatal(err)
		}
		fw.Write(logo)
	}
	if err := mw.Close(); err != nil {
		e.t.Fatal(err)
	}
	return e.do(c, "POST", "/admin/settings/appearance", mw.FormDataContentType(), body.String())
}

// appearanceForm is a valid form with the given overrides.
func appearanceForm(kv ...string) url.Values {
	v := url.Values{sightline.SettingApplicationName: {"Acme Insights"}, "brand": {""}, "charts": {""},
		sightline.SettingApplicationFont: {"system"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestAppearanceSaveAndServe(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()

	css := e.get(admin, "/appearance.css")
	if css.status != 200 || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") || css.header.Get("ETag") == "" {
		t.Fatalf("GET /appearance.css = %d %v, want 200 text/css with an ETag", css.status, css.header)
	}
	if r := e.get(admin, "/appearance.css", "If-None-Match", css.header.Get("ETag")); r.status != http.StatusNotModified {
		t.Errorf("GET /appearance.css with its ETag = %d, want 304", r.status)
	}
	if r := e.get(e.client(), "/appearance.css"); r.status != 200 {
		t.Errorf("GET /appearance.css signed out = %d, want 200 (the sign-in page uses it)", r.status)
	}
	logo := e.get(e.client(), "/appearance/logo")
	if logo.status != 200 || logo.header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(logo.body, "<svg") {
		t.Errorf("default logo = %d %q, want Sightline's SVG", logo.status, logo.header.Get("Content-Type"))
	}

	r := e.postAppearance(admin, appearanceForm("brand", "#C0FFEE", "charts", "#111111,#222222", sightline.SettingApplicationFont, "serif"), "logo.png", pngOf(t, 120, 40))
	if r.status != http.StatusSeeOther {
		t.Fatalf("POST appearance = %d %s, want 303", r.status, r.body)
	}
	if got := e.setting(sightline.SettingApplicationColors); got != `{"brand":"#c0ffee","charts":["#111111","#222222"]}` {
		t.Errorf("application-colors = %s", got)
	}
	after := e.get(admin, "/appearance.css", "If-None-Match", css.header.Get("ETag"))
	if after.status != 200 || after.header.Get("ETag") == css.header.Get("ETag") {
		t.Errorf("GET /appearance.css after a save = %d, ETag %s, want 200 and a new ETag", after.status, after.header.Get("ETag"))
	}
	for _, want := range []string{"--brand: #c0ffee;", "--chart-2: #222222;", "--font: Charter"} {
		if !strings.Contains(after.body, want) {
			t.Errorf("GET /appearance.css after a save lacks %q:\n%s", want, after.body)
		}
	}

	logo = e.get(e.client(), "/appearance/logo")
	if logo.status != 200 || logo.header.Get("Content-Type") != "image/png" || !bytes.Equal([]byte(logo.body), pngOf(t, 120, 40)) {
		t.Errorf("uploaded logo = %d %q, want the PNG", logo.status, logo.header.Get("Content-Type"))
	}
	if r := e.get(e.client(), "/appearance/logo", "If-None-Match", logo.header.Get("ETag")); r.status != http.StatusNotModified {
		t.Errorf("GET /appearance/logo with its ETag = %d, want 304", r.status)
	}

	home := e.get(admin, "/")
	for _, want := range []string{`<link rel="stylesheet" href="/appearance.css">`, `<img src="/appearance/logo"`, `<link rel="icon" href="/appearance/logo">`, "· Acme Insights</title>"} {
		if !strings.Contains(home.body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	if i, j := strings.Index(home.body, "/static/app.css"), strings.Index(home.body, "/appearance.css"); i < 0 || j < i {
		t.Errorf("appearance.css is not linked after app.css")
	}

	// Saving again without a file keeps the logo; "remove" drops it.
	if r := e.postAppearance(admin, appearanceForm(), "", nil); r.status != http.StatusSeeOther {
		t.Fatalf("POST without a file = %d", r.status)
	}
	if !strings.HasPrefix(e.setting(sightline.SettingApplicationLogo), "data:image/png;base64,") {
		t.Errorf("a save without a file dropped the logo")
	}
	if r := e.postAppearance(admin, appearanceForm("logo-remove", "true"), "", nil); r.status != http.StatusSeeOther {
		t.Fatalf("POST remove = %d", r.status)
	}
	if got := e.setting(sightline.SettingApplicationLogo); got != "" {
		t.Errorf("after remove, logo = %.40q, want none", got)
	}

	// An inert SVG is kept, and served so that it cannot run anything.
	if r := e.postAppearance(admin, appearanceForm(), "logo.svg", []byte(goodSVG)); r.status != http.StatusSeeOther {
		t.Fatalf("POST svg = %d %s", r.status, r.body)
	}
	logo = e.get(e.client(), "/appearance/logo")
	if logo.header.Get("Content-Type") != "image/svg+xml" || logo.header.Get("Content-Security-Policy") != logoCSP ||
		logo.header.Get("X-Content-Type-Options") != "nosniff" || logo.body != goodSVG {
		t.Errorf("SVG logo served with %v, want image/svg+xml, CSP %q and nosniff", logo.header, logoCSP)
	}
}

func TestAppearanceRefusals(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	big := append(pngOf(t, 4, 4), make([]byte, maxLogoBytes+100<<10)...)
	tests := []struct {
		name     string
		form     url.Values
		file     string
		logo     []byte
		messages []string
	}{
		{"bad colours", appearanceForm("brand", "blue", "charts", "#111111, #12"), "", nil,
			[]string{"Brand colour: &#34;blue&#34; is not a colour", "Chart colours: &#34;#12&#34; is not a colour"}},
		{"empty name", appearanceForm(sightline.SettingApplicationName, "  "), "", nil, []string{"Give the application a name."}},
		{"unknown font", appearanceForm(sightline.SettingApplicationFont, "wingdings"), "", nil, []string{"Choose one of the offered fonts."}},
		{"svg with a script", appearanceForm(), "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`), []string{"contains a &lt;script&gt; element"}},
		{"wrong type", appearanceForm(), "logo.png", []byte("GIF89a not really"), []string{"must be a PNG, SVG, JPEG or WebP image"}},
		{"too large", appearanceForm(), "logo.png", big, []string{"larger than 1 MB"}},
		{"just over the limit", appearanceForm(), "logo.png", append(pngOf(t, 4, 4), make([]byte, maxLogoBytes)...), []string{"is 1025 kB; upload an image of at most 1 MB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.postAppearance(admin, tt.form, tt.file, tt.logo)
			if r.status != http.StatusBadRequest {
				t.Fatalf("POST %s = %d, want 400", tt.name, r.status)
			}
			for _, m := range tt.messages {
				if !strings.Contains(r.body, m) {
					t.Errorf("POST %s: page lacks %q", tt.name, m)
				}
			}
			if got := e.setting(sightline.SettingApplicationName); got != "Sightline" {
				t.Errorf("after a refused save, name = %q, want nothing saved", got)
			}
			if got := e.setting(sightline.SettingApplicationLogo); got != "" {
				t.Errorf("after a refused save, logo = %.40q, want none", got)
			}
		})
	}
}

func TestAppearanceEnvReadOnly(t *testing.T) {
	evil := "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`))
	e := newEnv(t, map[string]string{
		"SIGHTLINE_APPLICATION_NAME":     "Env Name",
		"SIGHTLINE_APPLICATION_COLORS":   `{"brand":"#123456"}`,
		"SIGHTLINE_APPLICATION_FONT":     "mono",
		"SIGHTLINE_APPLICATION_LOGO_URL": evil,
	})
	admin := e.setup()
	page := e.get(admin, "/admin/settings/appearance")
	for _, v := range []string{"SIGHTLINE_APPLICATION_NAME", "SIGHTLINE_APPLICATION_COLORS", "SIGHTLINE_APPLICATION_FONT", "SIGHTLINE_APPLICATION_LOGO_URL"} {
		if !strings.Contains(page.body, "Set by "+v+"; read-only here.") {
			t.Errorf("appearance page does not show %s as read-only", v)
		}
	}
	if strings.Contains(page.body, `type="file"`) {
		t.Errorf("appearance page offers an upload although the logo is set by the environment")
	}
	r := e.postAppearance(admin, appearanceForm("brand", "#ff0000"), "logo.png", pngOf(t, 8, 8))
	if r.status != http.StatusSeeOther {
		t.Fatalf("POST with every field env-set = %d %s, want 303 (nothing to change)", r.status, r.body)
	}
	if got := e.setting(sightline.SettingApplicationName); got != "Env Name" {
		t.Errorf("name = %q, want the environment's", got)
	}
	if css := e.get(admin, "/appearance.css"); !strings.Contains(css.body, "--brand: #123456;") || !strings.Contains(css.body, "--font: ui-monospace") {
		t.Errorf("/appearance.css ignores the environment: %s", css.body)
	}
	// A logo set by the environment is checked like an upload: an active
	// SVG is not served; Sightline's own logo is.
	logo := e.get(e.client(), "/appearance/logo")
	if strings.Contains(logo.body, "onload") || logo.header.Get("Content-Security-Policy") != logoCSP {
		t.Errorf("env-set active SVG served: %q with CSP %q", logo.body, logo.header.Get("Content-Security-Policy"))
	}
}

func TestAppearanceNeedsAdmin(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	if _, err := e.app.CreateUser(context.Background(), e.adminUser(), app.NewUserInput{Email: "bob@example.com", Password: "bob password"}); err != nil {
		t.Fatal(err)
	}
	bob := e.client()
	if r := e.postForm(bob, "/auth/login", url.Values{"email": {"bob@example.com"}, "password": {"bob password"}}); r.status != http.StatusSeeOther {
		t.Fatalf("bob signs in = %d", r.status)
	}
	if r := e.get(bob, "/admin/settings/appearance"); r.status != http.StatusForbidden {
		t.Errorf("GET appearance as non-admin = %d, want 403", r.status)
	}
	if r := e.postAppearance(bob, appearanceForm(), "logo.png", pngOf(t, 8, 8)); r.status != http.StatusForbidden {
		t.Errorf("POST appearance as non-admin = %d, want 403", r.status)
	}
	if r := e.get(e.client(), "/admin/settings/appearance"); r.status != http.StatusFound {
		t.Errorf("GET appearance signed out = %d, want a redirect to sign in", r.status)
	}
	if got := e.setting(sightline.SettingApplicationName); got != "Sightline" {
		t.Errorf("name = %q after refused requests, want the default", got)
	}
}

func BenchmarkAppearanceCSS(b *testing.B) {
	c := appColors{Brand: "#2f6fde", Charts: []string{"#111111", "#222222", "#333333", "#444444"}}
	for b.Loop() {
		appearanceCSS(c, "rounded")
	}
}

func BenchmarkParseLogoURL(b *testing.B) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{64, 400} {
		img := image.NewRGBA(image.Rect(0, 0, size, size))
		for i := range img.Pix {
			img.Pix[i] = byte(rnd.Uint32())
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			b.Fatal(err)
		}
		v := logoDataURL("image/png", buf.Bytes())
		b.Run(strconv.Itoa(buf.Len()/1024)+"kB", func(b *testing.B) {
			b.SetBytes(int64(buf.Len()))
			for b.Loop() {
				if _, _, err := parseLogoURL(v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestAppearanceAPIRefusesWhatThePageWouldIgnore(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	bad := map[string]string{
		"application-colors": `{"value": "{\"brand\": \"red; } body { display: none\"}"}`,
		"application-font":   `{"value": "Comic Sans\"; }"}`,
		"application-logo":   `{"value": "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+"}`,
	}
	for key, body := range bad {
		before := e.setting(key)
		if r := e.do(admin, "PUT", "/api/setting/"+key, "application/json", body); r.status != http.StatusBadRequest {
			t.Errorf("PUT /api/setting/%s %s = %d %s, want 400", key, body, r.status, r.body)
		}
		if v := e.setting(key); v != before {
			t.Errorf("%s changed from %q to %q after a refused change", key, before, v)
		}
	}
	good := map[string]string{
		"application-colors": `{"value": "{\"brand\": \"#509EE3\", \"charts\": [\"#88BF4D\"]}"}`,
		"application-font":   `{"value": "mono"}`,
	}
	for key, body := range good {
		if r := e.do(admin, "PUT", "/api/setting/"+key, "application/json", body); r.status != http.StatusNoContent {
			t.Errorf("PUT /api/setting/%s %s = %d %s, want 204", key, body, r.status, r.body)
		}
	}
}

// TestStaticShapesGzipped: the region maps' shapes are sent compressed to
// browsers that accept it.
func TestStaticShapesGzipped(t *testing.T) {
	e := newEnv(t, nil)
	for _, name := range []string{"geo-world.json", "geo-us-states.json"} {
		r := e.get(e.client(), "/static/vendor/"+name, "Accept-Encoding", "gzip")
		if r.status != http.StatusOK || r.header.Get("Content-Encoding") != "gzip" {
			t.Errorf("GET /static/vendor/%s = %d with Content-Encoding %q, want 200 gzipped (run scripts/setup.sh if the file is missing)", name, r.status, r.header.Get("Content-Encoding"))
		}
	}
}
