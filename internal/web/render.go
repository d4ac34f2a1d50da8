package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"sightline"
)

// initials are the first letters of a person's first two names (or of
// their email) for their avatar. Names come from sign-in claims in any
// script, so a letter is a whole character, never its first byte.
func initials(u *sightline.User) string {
	if u == nil {
		return "?"
	}
	n := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if n == "" {
		n = u.Email
	}
	var out []rune
	for _, w := range strings.Fields(n) {
		c, _ := utf8.DecodeRuneInString(w)
		out = append(out, unicode.ToUpper(c))
		if len(out) == 2 {
			break
		}
	}
	return string(out)
}

// handlerFunc is a handler that returns its error for handle to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc: an error becomes a status and a page or JSON.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// statusOf maps an error code to an HTTP status.
func statusOf(code string) int {
	switch code {
	case sightline.EINVALID:
		return http.StatusBadRequest
	case sightline.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case sightline.EFORBIDDEN:
		return http.StatusForbidden
	case sightline.ENOTFOUND:
		return http.StatusNotFound
	case sightline.ECONFLICT:
		return http.StatusConflict
	case sightline.ETOOMANY:
		return http.StatusTooManyRequests
	case sightline.EBUSY:
		return http.StatusServiceUnavailable
	case sightline.ETIMEOUT:
		return http.StatusGatewayTimeout
	case sightline.EUNAVAILABLE:
		return http.StatusBadGateway
	}
	return http.StatusInternalServerError
}

// apiError is the one error shape of the JSON API.
type apiError struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// wantsJSON reports whether the client is an API client rather than a page.
func wantsJSON(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
}

// writeError renders err; internal errors are logged and shown generically.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := sightline.ErrorCode(err)
	status := statusOf(code)
	if code == sightline.EINTERNAL {
		if r.Context().Err() != nil {
			// The client went away: the error is its cancellation's
			// consequence, not a fault, and nobody reads the answer.
			s.log.Debug("request cancelled by the client", "method", r.Method, "path", r.URL.Path, "err", err)
			return
		}
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	msg := sightline.ErrorMessage(err)
	if wantsJSON(r) {
		s.writeJSON(w, status, apiError{Status: status, Code: code, Message: msg})
		return
	}
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, s.signInURL(r), http.StatusFound)
		return
	}
	s.render(w, r, status, "error", pageData{Title: http.StatusText(status), Data: map[string]any{"Status": status, "Message": msg}})
}

// loginURL is where an unauthenticated page request goes.
func loginURL(r *http.Request) string {
	return "/auth/login?redirect=" + urlQueryEscape(r.URL.RequestURI())
}

func urlQueryEscape(s string) string {
	return strings.NewReplacer("%", "%25", "&", "%26", "+", "%2B", "#", "%23", " ", "%20", "?", "%3F", "=", "%3D").Replace(s)
}

// writeJSON writes v as JSON with status.
func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		s.log.Warn("write json", "err", err)
	}
}

// nonNilList is s, or an empty slice for nil, so that a JSON response
// sends an empty list as [] rather than null.
func nonNilList[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// maxBody bounds request bodies of the JSON API.
const maxBody = 4 << 20

// maxBodyDepth bounds how deeply arrays and objects nest in a JSON request
// body: a query's own limit plus room for the objects that carry queries
// (a dashboard's cards).
const maxBodyDepth = sightline.MaxJSONDepth + 16

// readBody reads a request body whole, refusing one larger than maxBody.
func readBody(r *http.Request) ([]byte, error) {
	if r.ContentLength > maxBody {
		return nil, sightline.OverLimit("The request body is", r.ContentLength, "bytes", maxBody)
	}
	if r.Body == nil {
		return nil, nil
	}
	if b, ok := r.Body.(*checkedBody); ok && b.Len() == len(b.data) {
		_, _ = b.Seek(0, io.SeekEnd)
		return b.data, nil
	}
	data, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, sightline.OverLimit("The request body is more than", maxBody, "bytes", maxBody)
	case err != nil:
		return nil, sightline.Errorf(sightline.EINVALID, "The request body could not be read: %v", err)
	}
	return data, nil
}

// readJSONBody reads a JSON request body whole, refusing one larger than
// maxBody, nested deeper than maxBodyDepth or holding a NUL character
// before anything decodes it.
func readJSONBody(r *http.Request) ([]byte, error) {
	data, err := readBody(r)
	if err != nil {
		return nil, err
	}
	if jsonDepth(data) > maxBodyDepth {
		return nil, sightline.Errorf(sightline.EINVALID, "The request body nests arrays and objects more than %d levels deep, over the limit of %d.", maxBodyDepth, maxBodyDepth)
	}
	if jsonHasNUL(data) {
		return nil, errNUL
	}
	return data, nil
}

// jsonHasNUL reports whether a string in data, which need not be valid
// JSON, holds the NUL character: JSON can only write it as the escape
// \u0000, since a raw NUL byte is not valid JSON.
func jsonHasNUL(data []byte) bool {
	escaped := false
	for i, c := range data {
		switch {
		case escaped:
			escaped = false
			if c == 'u' && bytes.HasPrefix(data[i+1:], []byte("0000")) {
				return true
			}
		case c == '\\':
			escaped = true
		case c == 0:
			return true
		}
	}
	return false
}

// jsonDepth is how deeply arrays and objects nest in data, which need not
// be valid JSON: brackets inside strings do not count.
func jsonDepth(data []byte) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// endOfBody refuses anything but white space after the JSON value dec
// has decoded: a second value or stray bytes mean the client sent
// something other than what it meant.
func endOfBody(dec *json.Decoder) error {
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return sightline.Errorf(sightline.EINVALID, "The request body has more data after its JSON value; send exactly one JSON value.")
	}
	return nil
}

// decodeJSON reads a JSON request body into v; malformed input is EINVALID
// with a message that names the problem. Keys that v does not declare are
// ignored, as the reference vendor's API ignores them, so clients that send
// more than Sightline reads keep working; the keys v declares are still
// type-checked, and each request type validates the values that matter.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := mime.ParseMediaType(ct)
		if mt != "application/json" {
			return sightline.Errorf(sightline.EINVALID, "Send the request body as application/json, not %s.", mt)
		}
	}
	data, err := readJSONBody(r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		var ue *sightline.Error
		switch {
		case errors.Is(err, io.EOF):
			return sightline.Errorf(sightline.EINVALID, "The request body is empty; send a JSON object.")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return sightline.Errorf(sightline.EINVALID, "The request body is not valid JSON: it ends too early.")
		case errors.As(err, &syn):
			return sightline.Errorf(sightline.EINVALID, "The request body is not valid JSON (at byte %d).", syn.Offset)
		case errors.As(err, &typ):
			return sightline.Errorf(sightline.EINVALID, "The field %q must be a %s.", typ.Field, typ.Type)
		case errors.As(err, &ue):
			return ue
		}
		return sightline.Errorf(sightline.EINVALID, "The request body could not be read: %v", err)
	}
	if err := endOfBody(dec); err != nil {
		return err
	}
	return refuseUnread(data, v)
}

// unreadRule is why a request key that decides who sees what is refused
// by an endpoint that does not read it, or "" for any other key.
func unreadRule(key string) string {
	switch key {
	case "sandboxes":
		return "row-level sandboxes are set with POST /api/mt/gtap"
	}
	return ""
}

// refuseUnread refuses a body that carries a key unreadRule names when v
// does not read it: ignoring other unknown keys is harmless, but dropping a
// rule that limits what people see would leave them seeing more than the
// client believes.
func refuseUnread(data []byte, v any) error {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return nil // not an object: v decoded it, so it has no keys to drop
	}
	for key := range top {
		if why := unreadRule(key); why != "" && !readsKey(reflect.TypeOf(v), key) {
			return sightline.Errorf(sightline.EINVALID, "This endpoint does not apply %q, so it refuses the request rather than ignore it: %s.", key, why)
		}
	}
	return nil
}

// readsKey reports whether decoding JSON into a value of type t reads key:
// t is a struct (or pointer to one) with a field named key, a map, or a type
// that decodes itself (json.RawMessage, a json.Unmarshaler), which then
// answers for its keys.
func readsKey(t reflect.Type, key string) bool {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return false
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return true
	}
	switch t.Kind() {
	case reflect.Map, reflect.Interface:
		return true
	case reflect.Struct:
	default:
		return false
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
			continue
		case f.Anonymous && name == "" && readsKey(f.Type, key):
			return true
		case strings.EqualFold(name, key), name == "" && strings.EqualFold(f.Name, key):
			return true
		}
	}
	return false
}

// decodeJSONLoose is decodeJSON for bodies that echo back what the server
// sent (a whole dashboard), where fields the server computes are ignored.
func decodeJSONLoose(r *http.Request, v any) error {
	data, err := readJSONBody(r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return sightline.Errorf(sightline.EINVALID, "The request body is empty; send a JSON object.")
		}
		var ue *sightline.Error
		if errors.As(err, &ue) {
			return ue
		}
		return sightline.Errorf(sightline.EINVALID, "The request body could not be read: %v", err)
	}
	return endOfBody(dec)
}

// pageData is what every page template receives.
type pageData struct {
	Title string
	User  *sightline.User
	Site  string // site name
	App   string // application name in the top bar
	Path  string
	// Shell controls which parts of the page shell show (embedding hides some).
	Shell shell
	Flash string
	Error string
	Data  any
	XRays bool // the enable-xrays setting, for the X-ray links
	// ViewAs is the user an administrator previews the app as, for the
	// banner; nil outside a preview.
	ViewAs *sightline.User
}

// shell says which parts of the page chrome are shown.
type shell struct {
	TopNav, SideNav, Search, NewButton, Breadcrumbs, Logo, Header, AdditionalInfo, ActionButtons bool
	// Bare pages (setup, sign-in) have no navigation at all.
	Bare bool
	// Embedded marks a page of an embedded session (the framed-page hook);
	// NoSideNav (side_nav=false) removes the side navigation and its toggle.
	Embedded, NoSideNav bool
}

func defaultShell(kind string) shell {
	side := kind == "home" || kind == "collection" || kind == "browse" || kind == "admin"
	return shell{TopNav: true, SideNav: side, Search: true, NewButton: true, Breadcrumbs: true, Logo: true,
		Header: true, AdditionalInfo: true, ActionButtons: true}
}

var funcs = template.FuncMap{
	"asset":         assetURL,
	"modulepreload": modulePreloads,
	"cell":          formatCell,
	"resultURL":     resultURL,
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict takes pairs")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict keys must be strings")
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	"add":       func(a, b int) int { return a + b },
	"sub":       func(a, b int) int { return a - b },
	"int64":     func(n int) int64 { return int64(n) },
	"numeric":   isNumericColumn,
	"thousands": func(n int64) string { return groupThousands(strconv.FormatInt(n, 10)) },
	"initials":  initials,
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return t.UTC().Format("Jan 2, 2006, 15:04 UTC")
	},
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
}

// parseBase parses layout.html and the partials every page shares, and
// lists the page templates by name.
func parseBase() (*template.Template, map[string]string, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, nil, fmt.Errorf("parse layout: %w", err)
	}
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, nil, err
	}
	pages := map[string]string{}
	for _, f := range files {
		if name := strings.TrimSuffix(path.Base(f), ".html"); name != "layout" {
			pages[name] = f
		}
	}
	return base, pages, nil
}

// parsePage parses the page template file over a copy of base.
func parsePage(base *template.Template, file string) (*template.Template, error) {
	t, err := base.Clone()
	if err != nil {
		return nil, err
	}
	return t.ParseFS(assets, file)
}

// render executes page into a buffer first so a template error never sends
// half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, d pageData) {
	t, err := s.pages.lookup(page)
	if err != nil {
		s.log.Error("page template", "page", page, "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	if d.User == nil {
		d.User = userFrom(r.Context())
	}
	if d.Site == "" {
		d.Site = s.app.Settings().String(r.Context(), sightline.SettingSiteName)
	}
	if d.App == "" {
		d.App = s.app.Settings().String(r.Context(), sightline.SettingApplicationName)
	}
	d.Path = r.URL.Path
	d.XRays = s.app.Settings().Bool(r.Context(), sightline.SettingEnableXrays)
	d.ViewAs = viewingAs(r.Context())
	d.Shell = s.embedShell(r, d.Shell)
	var buf bytes.Buffer
	name := "layout.html"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") != "" && t.Lookup("fragment") != nil {
		name = "fragment"
	}
	if err := t.ExecuteTemplate(&buf, name, d); err != nil {
		s.log.Error("render", "page", page, "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
