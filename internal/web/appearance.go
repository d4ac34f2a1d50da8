package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"sightline"
)

// Limits on an uploaded logo.
const (
	maxLogoBytes = 1 << 20 // 1 MB
	maxLogoSide  = 4096    // pixels, for raster images
	// maxChartColors bounds the chart palette.
	maxChartColors = 16
	// maxAppNameLen bounds the application name, in characters.
	maxAppNameLen = 60
)

// logoCSP is the Content-Security-Policy of the logo route: even an SVG
// opened directly in a tab can load nothing and run nothing.
const logoCSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

// fontChoice is one entry of the shipped font set: system font stacks, so no
// font is downloaded at run time.
type fontChoice struct {
	Key, Label string
	Stack      template.CSS
}

// fontChoices lists the application-font choices in the order the form
// shows them; the keys match the setting's Choices.
func fontChoices() []fontChoice {
	return []fontChoice{
		{"system", "System (the device's interface font)", `system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif`},
		{"serif", "Serif", `Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, "DejaVu Serif", serif`},
		{"mono", "Monospace", `ui-monospace, "Cascadia Code", "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace`},
		{"rounded", "Rounded", `ui-rounded, "SF Pro Rounded", "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, "Arial Rounded MT", Calibri, sans-serif`},
	}
}

// fontStack returns the CSS font stack of a font key; unknown keys get the
// system stack.
func fontStack(key string) template.CSS {
	all := fontChoices()
	for _, f := range all {
		if f.Key == strings.ToLower(strings.TrimSpace(key)) {
			return f.Stack
		}
	}
	return all[0].Stack
}

// appColors is the value of the application-colors setting.
type appColors struct {
	Brand  string   `json:"brand,omitempty"`
	Charts []string `json:"charts,omitempty"`
}

// parseHex checks a CSS hex colour (#rgb or #rrggbb) and returns it as
// lower-case #rrggbb.
func parseHex(s string) (string, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	h, ok := strings.CutPrefix(v, "#")
	if !ok || (len(h) != 3 && len(h) != 6) {
		return "", sightline.Errorf(sightline.EINVALID, "%q is not a colour: write it as #rgb or #rrggbb, for example #2f6fde.", s)
	}
	if _, err := hex.DecodeString(strings.Repeat("0", len(h)%2) + h); err != nil {
		return "", sightline.Errorf(sightline.EINVALID, "%q is not a colour: write it as #rgb or #rrggbb, for example #2f6fde.", s)
	}
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	return "#" + h, nil
}

// parseColorForm checks the brand colour and the chart palette as typed in
// the form (palette entries separated by commas or spaces; either may be
// empty, meaning the default) and returns every problem found.
func parseColorForm(brand, charts string) (appColors, []string) {
	var c appColors
	var problems []string
	if strings.TrimSpace(brand) != "" {
		v, err := parseHex(brand)
		if err != nil {
			problems = append(problems, "Brand colour: "+sightline.ErrorMessage(err))
		}
		c.Brand = v
	}
	fields := strings.FieldsFunc(charts, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
	if len(fields) > maxChartColors {
		problems = append(problems, fmt.Sprintf("Chart colours: give at most %d colours, not %d.", maxChartColors, len(fields)))
	}
	for _, f := range fields {
		v, err := parseHex(f)
		if err != nil {
			problems = append(problems, "Chart colours: "+sightline.ErrorMessage(err))
			continue
		}
		c.Charts = append(c.Charts, v)
	}
	return c, problems
}

// decodeColors reads the stored application-colors value; an empty value
// means the defaults, and a bad one (possible only through the environment)
// is an error.
func decodeColors(s string) (appColors, error) {
	var c appColors
	if strings.TrimSpace(s) == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return appColors{}, sightline.Errorf(sightline.EINVALID, "application-colors is not a JSON object of the form {\"brand\": \"#hex\", \"charts\": [\"#hex\", ...]}.")
	}
	raw := c
	c = appColors{}
	var err error
	if raw.Brand != "" {
		if c.Brand, err = parseHex(raw.Brand); err != nil {
			return appColors{}, err
		}
	}
	for _, v := range raw.Charts {
		h, err := parseHex(v)
		if err != nil {
			return appColors{}, err
		}
		c.Charts = append(c.Charts, h)
	}
	return c, nil
}

// mix blends colour a (#rrggbb) towards b by the fraction t.
func mix(a, b string, t float64) string {
	ca, _ := hex.DecodeString(a[1:])
	cb, _ := hex.DecodeString(b[1:])
	out := make([]byte, 3)
	for i := range out {
		out[i] = byte(float64(ca[i])*(1-t) + float64(cb[i])*t + 0.5)
	}
	return "#" + hex.EncodeToString(out)
}

// contrastText is the text colour readable on background c (#rrggbb), by
// the relative luminance of WCAG 2.
func contrastText(c string) string {
	rgb, _ := hex.DecodeString(c[1:])
	lin := func(v byte) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(rgb[0]) + 0.7152*lin(rgb[1]) + 0.0722*lin(rgb[2])
	// White text wins while its contrast ratio beats that of black text.
	if 1.05/(l+0.05) >= (l+0.05)/0.05 {
		return "#ffffff"
	}
	return "#1f2328"
}

// appearanceCSS is the stylesheet GET /appearance.css serves: CSS variables
// over app.css's defaults. Only validated values reach it (hex colours and
// the fixed font stacks), so nothing a person typed can break out of a
// declaration.
func appearanceCSS(c appColors, font string) []byte {
	var b bytes.Buffer
	b.WriteString("/* Generated from the Appearance settings. */\n:root {\n")
	if c.Brand != "" {
		fmt.Fprintf(&b, "  --brand: %s;\n  --brand-dark: %s;\n  --brand-light: %s;\n  --brand-contrast: %s;\n",
			c.Brand, mix(c.Brand, "#000000", 0.2), mix(c.Brand, "#ffffff", 0.88), contrastText(c.Brand))
	}
	fmt.Fprintf(&b, "  --font: %s;\n", fontStack(font))
	for i, v := range c.Charts {
		fmt.Fprintf(&b, "  --chart-%d: %s;\n", i+1, v)
	}
	if len(c.Charts) > 0 {
		fmt.Fprintf(&b, "  --chart-count: %d;\n", len(c.Charts))
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// etagOf is a strong ETag for b.
func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// notModified sets the caching headers of a response whose version is etag
// and answers 304 when the browser already holds that version. Browsers
// revalidate on every page (no-cache), so a saved change shows on the next
// page load, and an unchanged one costs a 304.
func notModified(w http.ResponseWriter, r *http.Request, etag string) bool {
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "no-cache")
	for _, t := range strings.Split(r.Header.Get("If-None-Match"), ",") {
		if strings.TrimSpace(t) == etag {
			w.WriteHeader(http.StatusNotModified)
			return true
		}
	}
	return false
}

// writeBody writes a whole response body of type ctype.
func writeBody(w http.ResponseWriter, ctype string, body []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// appearanceStylesheet serves GET /appearance.css to everyone (the sign-in
// page and embedded pages use it too).
func (s *Server) appearanceStylesheet(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st := s.app.Settings()
	c, err := decodeColors(st.String(ctx, sightline.SettingApplicationColors))
	if err != nil {
		s.log.Warn("appearance colours ignored", "err", err)
	}
	css := appearanceCSS(c, st.String(ctx, sightline.SettingApplicationFont))
	if !notModified(w, r, etagOf(css)) {
		writeBody(w, "text/css; charset=utf-8", css)
	}
	return nil
}

// appearanceLogo serves GET /appearance/logo: the uploaded logo, or
// Sightline's own when none is set. It is served with a Content-Security-
// Policy that forbids scripts and loads, and nosniff, so an SVG is inert
// even when opened on its own.
func (s *Server) appearanceLogo(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Security-Policy", logoCSP)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	f, err := s.static.get("logo.svg")
	if err != nil {
		return sightline.Internal(err)
	}
	v := s.app.Settings().String(r.Context(), sightline.SettingApplicationLogo)
	if v == "" {
		if !notModified(w, r, f.etag) {
			writeBody(w, f.ctype, f.plain)
		}
		return nil
	}
	// The version is the stored value, so a revalidation costs a hash and
	// no decoding.
	if notModified(w, r, etagOf([]byte(v))) {
		return nil
	}
	ctype, body, err := parseLogoURL(v)
	if err != nil {
		s.log.Warn("application logo ignored", "err", err)
		ctype, body = f.ctype, f.plain
	}
	writeBody(w, ctype, body)
	return nil
}

// parseLogoURL decodes and re-checks a stored logo data URL (an environment
// variable can set one without the upload's checks).
func parseLogoURL(v string) (string, []byte, error) {
	rest, ok := strings.CutPrefix(v, "data:")
	if !ok {
		return "", nil, sightline.Errorf(sightline.EINVALID, "The logo must be a data: URL.")
	}
	meta, data, ok := strings.Cut(rest, ",")
	if !ok || !strings.HasSuffix(meta, ";base64") {
		return "", nil, sightline.Errorf(sightline.EINVALID, "The logo must be a base64 data: URL.")
	}
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return "", nil, sightline.Errorf(sightline.EINVALID, "The logo's base64 data is damaged.")
	}
	ctype, err := checkLogo(b)
	if err != nil {
		return "", nil, err
	}
	return ctype, b, nil
}

// logoDataURL is the stored form of an accepted logo.
func logoDataURL(ctype string, b []byte) string {
	return "data:" + ctype + ";base64," + base64.StdEncoding.EncodeToString(b)
}

// checkLogo decides whether b may be a logo and returns its MIME type: the
// type comes from the content, never from the file name or the browser's
// claim. Raster images must be at most maxLogoSide pixels a side; SVGs must
// be well-formed and free of scripts, event handlers, embedded documents
// and links to anything but their own fragments or embedded images.
func checkLogo(b []byte) (string, error) {
	if len(b) == 0 {
		return "", sightline.Errorf(sightline.EINVALID, "The logo file is empty.")
	}
	if len(b) > maxLogoBytes {
		return "", sightline.Errorf(sightline.EINVALID, "The logo is %s; upload an image of at most 1 MB (1024 kB).", humanBytes(len(b)))
	}
	var w, h int
	var ctype string
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			return "", sightline.Errorf(sightline.EINVALID, "The logo looks like a PNG but cannot be read.")
		}
		ctype, w, h = "image/png", cfg.Width, cfg.Height
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			return "", sightline.Errorf(sightline.EINVALID, "The logo looks like a JPEG but cannot be read.")
		}
		ctype, w, h = "image/jpeg", cfg.Width, cfg.Height
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		var err error
		if w, h, err = webpSize(b); err != nil {
			return "", err
		}
		ctype = "image/webp"
	case looksLikeXML(b):
		if err := checkSVG(b); err != nil {
			return "", err
		}
		return "image/svg+xml", nil
	default:
		kind, _, _ := strings.Cut(http.DetectContentType(b), ";")
		return "", sightline.Errorf(sightline.EINVALID, "The logo must be a PNG, SVG, JPEG or WebP image; this file is %s.", kind)
	}
	if w < 1 || h < 1 || w > maxLogoSide || h > maxLogoSide {
		return "", sightline.Errorf(sightline.EINVALID, "The logo is %d×%d pixels; use an image of at most %d×%d.", w, h, maxLogoSide, maxLogoSide)
	}
	return ctype, nil
}

// humanBytes writes n in kB (rounded up, so that anything past the limit
// reads as more than 1024 kB) for messages.
func humanBytes(n int) string {
	return strconv.Itoa((n+1023)/1024) + " kB"
}

// looksLikeXML reports whether b is UTF-8 text starting with a tag.
func looksLikeXML(b []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
	return utf8.Valid(b) && bytes.HasPrefix(t, []byte("<"))
}

// webpSize reads the canvas size from a WebP file's first chunk (RFC 9649):
// lossy VP8, lossless VP8L or extended VP8X.
func webpSize(b []byte) (int, int, error) {
	bad := sightline.Errorf(sightline.EINVALID, "The logo looks like a WebP image but cannot be read.")
	if len(b) < 30 {
		return 0, 0, bad
	}
	p := b[20:]
	switch string(b[12:16]) {
	case "VP8 ":
		if p[3] != 0x9d || p[4] != 0x01 || p[5] != 0x2a {
			return 0, 0, bad
		}
		return int(binary.LittleEndian.Uint16(p[6:8]) & 0x3fff), int(binary.LittleEndian.Uint16(p[8:10]) & 0x3fff), nil
	case "VP8L":
		if p[0] != 0x2f {
			return 0, 0, bad
		}
		v := binary.LittleEndian.Uint32(p[1:5])
		return int(v&0x3fff) + 1, int(v>>14&0x3fff) + 1, nil
	case "VP8X":
		w := int(p[4]) | int(p[5])<<8 | int(p[6])<<16
		h := int(p[7]) | int(p[8])<<8 | int(p[9])<<16
		return w + 1, h + 1, nil
	}
	return 0, 0, bad
}

// svgForbidden reports whether an SVG element (lower-cased local name) is
// one a logo has no use for and that can run script or embed a document.
func svgForbidden(name string) bool {
	switch name {
	case "script", "foreignobject", "iframe", "object", "embed", "handler", "listener":
		return true
	}
	return false
}

// checkSVG refuses an SVG that is not well-formed, whose root is not <svg>,
// or that carries anything active (see checkLogo).
func checkSVG(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	root := true
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if root {
				return sightline.Errorf(sightline.EINVALID, "The logo must be a PNG, SVG, JPEG or WebP image; this file is text without an <svg> element.")
			}
			return nil
		}
		if err != nil {
			return sightline.Errorf(sightline.EINVALID, "The SVG logo is not well-formed XML: %v.", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.Contains(bytes.ToUpper(t), []byte("ENTITY")) {
				return sightline.Errorf(sightline.EINVALID, "The SVG logo declares XML entities, which are not allowed.")
			}
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if root && name != "svg" {
				return sightline.Errorf(sightline.EINVALID, "The logo must be a PNG, SVG, JPEG or WebP image; this XML file's root is <%s>, not <svg>.", t.Name.Local)
			}
			root = false
			if svgForbidden(name) {
				return sightline.Errorf(sightline.EINVALID, "The SVG logo contains a <%s> element; logos may not contain scripts or embedded documents.", t.Name.Local)
			}
			for _, a := range t.Attr {
				an := strings.ToLower(a.Name.Local)
				if strings.HasPrefix(an, "on") {
					return sightline.Errorf(sightline.EINVALID, "The SVG logo has an event handler (%s); logos may not contain scripts.", a.Name.Local)
				}
				if an == "href" && !safeSVGHref(a.Value) {
					return sightline.Errorf(sightline.EINVALID, "The SVG logo links to %q; a logo may only refer to its own parts or to embedded PNG, JPEG or WebP images.", a.Value)
				}
			}
		}
	}
}

// safeSVGHref reports whether an href in a logo refers only to the document
// itself or to an embedded raster image.
func safeSVGHref(v string) bool {
	v = strings.ToLower(strings.TrimSpace(v))
	for _, p := range []string{"#", "data:image/png;", "data:image/jpeg;", "data:image/webp;"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}

// appearanceData is what the Appearance settings page shows.
type appearanceData struct {
	Name, Colors, Font, Logo adminField
	// NameValue, BrandValue, ChartsValue and FontValue are the form's values
	// (as typed, after a refused save).
	NameValue, BrandValue, ChartsValue, FontValue string
	// Charts are the valid chart colours, for the swatches.
	Charts []template.CSS
	Fonts  []fontChoice
	// HasLogo is true when an uploaded (or environment-set) logo is in use.
	HasLogo bool
	// Problems lists everything that stopped a save.
	Problems []string
}

func (s *Server) appearanceData(ctx context.Context, actor *sightline.User) (*appearanceData, error) {
	all, err := s.app.AdminSettings(ctx, actor)
	if err != nil {
		return nil, err
	}
	d := &appearanceData{Fonts: fontChoices()}
	for _, st := range all {
		switch st.Key {
		case sightline.SettingApplicationName:
			d.Name = adminField{st}
		case sightline.SettingApplicationColors:
			d.Colors = adminField{st}
		case sightline.SettingApplicationFont:
			d.Font = adminField{st}
		case sightline.SettingApplicationLogo:
			d.Logo = adminField{st}
		}
	}
	d.NameValue, d.FontValue = d.Name.Value, d.Font.Value
	if d.FontValue == "" {
		d.FontValue = "system"
	}
	c, err := decodeColors(d.Colors.Value)
	if err != nil {
		d.Problems = append(d.Problems, sightline.ErrorMessage(err))
	}
	d.BrandValue, d.ChartsValue = c.Brand, strings.Join(c.Charts, ", ")
	d.setSwatches(c)
	d.HasLogo = d.Logo.Value != ""
	return d, nil
}

func (d *appearanceData) setSwatches(c appColors) {
	d.Charts = d.Charts[:0]
	for _, v := range c.Charts {
		d.Charts = append(d.Charts, template.CSS(v))
	}
}

// adminAppearancePage serves GET /admin/settings/appearance.
func (s *Server) adminAppearancePage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.appearanceData(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_appearance", pageData{Title: "Appearance", Shell: defaultShell("admin"),
		Flash: flashFrom(r), Data: d})
	return nil
}

// adminAppearanceSubmit serves POST /admin/settings/appearance (multipart):
// the application name, brand and chart colours, font, and a logo to upload
// or remove. Every field is checked before anything is saved; settings set
// by the environment are left alone; the save is one audited UpdateSettings.
func (s *Server) adminAppearanceSubmit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.appearanceData(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	d.Problems = nil
	// The logo plus the other fields and multipart framing.
	r.Body = http.MaxBytesReader(w, r.Body, maxLogoBytes+64<<10)
	if err := r.ParseMultipartForm(maxLogoBytes + 64<<10); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			d.Problems = append(d.Problems, "The upload is larger than 1 MB; choose a smaller logo.")
			return s.appearanceRefused(w, r, d)
		}
		if err := r.ParseForm(); err != nil {
			return sightline.Errorf(sightline.EINVALID, "The form could not be read.")
		}
	}
	kv := map[string]string{}
	if !d.Name.FromEnv {
		d.NameValue = strings.TrimSpace(r.FormValue(sightline.SettingApplicationName))
		switch n := utf8.RuneCountInString(d.NameValue); {
		case n == 0:
			d.Problems = append(d.Problems, "Give the application a name.")
		case n > maxAppNameLen:
			d.Problems = append(d.Problems, fmt.Sprintf("The application name is %d characters; keep it to %d.", n, maxAppNameLen))
		default:
			kv[sightline.SettingApplicationName] = d.NameValue
		}
	}
	if !d.Colors.FromEnv {
		d.BrandValue, d.ChartsValue = r.FormValue("brand"), r.FormValue("charts")
		c, problems := parseColorForm(d.BrandValue, d.ChartsValue)
		d.Problems = append(d.Problems, problems...)
		d.setSwatches(c)
		b, err := json.Marshal(c)
		if err != nil {
			return sightline.Internal(err)
		}
		kv[sightline.SettingApplicationColors] = string(b)
	}
	if !d.Font.FromEnv {
		d.FontValue = r.FormValue(sightline.SettingApplicationFont)
		if v, err := d.Font.Normalize(d.FontValue); err != nil {
			d.Problems = append(d.Problems, "Choose one of the offered fonts.")
		} else {
			kv[sightline.SettingApplicationFont] = v
		}
	}
	if !d.Logo.FromEnv {
		logo, err := uploadedLogo(r)
		switch {
		case err != nil:
			d.Problems = append(d.Problems, sightline.ErrorMessage(err))
		case logo != "":
			kv[sightline.SettingApplicationLogo] = logo
		case r.FormValue("logo-remove") == "true":
			kv[sightline.SettingApplicationLogo] = ""
		}
	}
	if len(d.Problems) > 0 {
		return s.appearanceRefused(w, r, d)
	}
	if err := s.app.UpdateSettings(r.Context(), userFrom(r.Context()), kv); err != nil {
		if sightline.ErrorCode(err) != sightline.EINVALID {
			return err
		}
		d.Problems = []string{sightline.ErrorMessage(err)}
		return s.appearanceRefused(w, r, d)
	}
	seeOther(w, r, "/admin/settings/appearance", "Saved.")
	return nil
}

// appearanceRefused shows the form again, as typed, with its problems.
func (s *Server) appearanceRefused(w http.ResponseWriter, r *http.Request, d *appearanceData) error {
	s.render(w, r, http.StatusBadRequest, "admin_appearance", pageData{Title: "Appearance", Shell: defaultShell("admin"),
		Error: "Nothing was saved: please fix the problems below.", Data: d})
	return nil
}

// uploadedLogo reads the form's logo file, if one was chosen, and returns it
// as a data URL after checkLogo.
func uploadedLogo(r *http.Request) (string, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["logo"]) == 0 {
		return "", nil
	}
	fh := r.MultipartForm.File["logo"][0]
	if fh.Size == 0 && fh.Filename == "" {
		return "", nil
	}
	if fh.Size > maxLogoBytes {
		return "", sightline.Errorf(sightline.EINVALID, "The logo is %s; upload an image of at most 1 MB (1024 kB).", humanBytes(int(fh.Size)))
	}
	b, err := readPart(fh)
	if err != nil {
		return "", err
	}
	ctype, err := checkLogo(b)
	if err != nil {
		return "", err
	}
	return logoDataURL(ctype, b), nil
}

func readPart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, sightline.Internal(fmt.Errorf("open upload: %w", err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxLogoBytes+1))
	if err != nil {
		return nil, sightline.Internal(fmt.Errorf("read upload: %w", err))
	}
	return b, nil
}
