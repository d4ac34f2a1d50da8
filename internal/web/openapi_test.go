package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// apiRoutes returns the /api/ entries of the route table.
func apiRoutes() []route {
	var out []route
	for _, rt := range new(Server).routes() {
		if isAPIRoute(rt.pattern) {
			out = append(out, rt)
		}
	}
	return out
}

// TestAPIRoutesHaveSummaries fails when an /api/ route has no one-line
// summary, so that a new route cannot be left out of the API reference.
func TestAPIRoutesHaveSummaries(t *testing.T) {
	routes := apiRoutes()
	if len(routes) < 50 {
		t.Fatalf("only %d /api/ routes found; the route table was not read", len(routes))
	}
	for _, rt := range routes {
		doc := strings.TrimSpace(rt.doc)
		if doc == "" {
			t.Errorf("route %q has no doc: add a one-line summary of what it does and who may call it", rt.pattern)
			continue
		}
		if strings.Contains(doc, "\n") || !strings.HasSuffix(doc, ".") {
			t.Errorf("route %q: doc %q should be one sentence ending in a full stop", rt.pattern, doc)
		}
	}
}

func TestOpenAPIDocumentRefusesBadRoutes(t *testing.T) {
	tests := []struct {
		name   string
		routes []route
		want   string
	}{
		{"no method", []route{{pattern: "/api/thing", doc: "A thing."}}, "has no method"},
		{"same route twice", []route{{pattern: "GET /api/thing/{id}", doc: "A."}, {pattern: "GET /api/thing/{id}", doc: "B."}}, "described twice"},
		{"same operation id", []route{{pattern: "GET /api/a-b", doc: "A."}, {pattern: "GET /api/a_b", doc: "B."}}, "share the operation id"},
		{"undescribable body", []route{{pattern: "POST /api/thing", doc: "A.", body: struct{ C chan int }{}}}, "cannot describe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openAPIDocument(tt.routes, "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("openAPIDocument error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestOpenAPIPath(t *testing.T) {
	tests := []struct {
		in         string
		wantPath   string
		wantParams []string
	}{
		{"/api/card", "/api/card", nil},
		{"/api/card/{id}", "/api/card/{id}", []string{"id"}},
		{"/api/dashboard/{id}/dashcard/{dashcard}/card/{card}/query", "/api/dashboard/{id}/dashcard/{dashcard}/card/{card}/query", []string{"id", "dashcard", "card"}},
		{"/api/api-key/{$}", "/api/api-key/", nil},
		{"/api/database/{id}/schema/{$}", "/api/database/{id}/schema/", []string{"id"}},
		{"/static/{path...}", "/static/{path}", []string{"path"}},
	}
	for _, tt := range tests {
		path, params := openAPIPath(tt.in)
		if path != tt.wantPath || !slices.Equal(params, tt.wantParams) {
			t.Errorf("openAPIPath(%q) = %q %q, want %q %q", tt.in, path, params, tt.wantPath, tt.wantParams)
		}
	}
}

type schemaInner struct {
	Label string `json:"label"`
}

type schemaEmbedded struct {
	Shared int64 `json:"shared"`
}

type schemaOuter struct {
	schemaEmbedded
	Name     string            `json:"name"`
	Count    *int              `json:"count,omitempty"`
	Ratio    float64           `json:"ratio"`
	On       bool              `json:"on"`
	IDs      []int64           `json:"ids"`
	Attrs    map[string]string `json:"attrs"`
	Raw      json.RawMessage   `json:"raw"`
	Any      any               `json:"any"`
	Inner    *schemaInner      `json:"inner"`
	Inners   []schemaInner     `json:"inners"`
	Quoted   int               `json:"quoted,string"`
	Skipped  string            `json:"-"`
	Untagged string
	hidden   string
}

func TestSchemaOf(t *testing.T) {
	s := newSchemaSet()
	got, err := s.of(reflect.TypeFor[schemaOuter]())
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"$ref": "#/components/schemas/SchemaOuter"}; !cmp.Equal(got, want) {
		t.Errorf("schema = %v, want %v", got, want)
	}
	str := map[string]any{"type": "string"}
	innerRef := map[string]any{"$ref": "#/components/schemas/SchemaInner"}
	want := map[string]any{
		"SchemaInner": map[string]any{"type": "object", "properties": map[string]any{"label": str}},
		"SchemaOuter": map[string]any{"type": "object", "properties": map[string]any{
			"shared":   map[string]any{"type": "integer"},
			"name":     str,
			"count":    map[string]any{"type": "integer"},
			"ratio":    map[string]any{"type": "number"},
			"on":       map[string]any{"type": "boolean"},
			"ids":      map[string]any{"type": "array", "items": map[string]any{"type": "integer"}},
			"attrs":    map[string]any{"type": "object", "additionalProperties": str},
			"raw":      map[string]any{},
			"any":      map[string]any{},
			"inner":    innerRef,
			"inners":   map[string]any{"type": "array", "items": innerRef},
			"quoted":   str,
			"Untagged": str,
		}},
	}
	if diff := cmp.Diff(want, s.defs); diff != "" {
		t.Errorf("component schemas (-want +got):\n%s", diff)
	}
	_ = schemaOuter{}.hidden
}

// TestOpenAPIDocument fetches the description without signing in and
// checks it is an OpenAPI 3.1 document with every /api/ route, each with its
// path parameters and summary, and that it matches testdata/api/openapi.json.
func TestOpenAPIDocument(t *testing.T) {
	e := newEnv(t, nil)
	r := e.do(e.client(), "GET", "/api/docs/openapi.json", "", "")
	if r.status != http.StatusOK {
		t.Fatalf("GET /api/docs/openapi.json = %d %.300s, want 200", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct{ Title, Version, Description string }
		Paths   map[string]map[string]struct {
			OperationID string         `json:"operationId"`
			Tags        []string       `json:"tags"`
			Responses   map[string]any `json:"responses"`
			Summary     string         `json:"summary"`
			Parameters  []struct {
				Name, In string
				Required bool
				Schema   map[string]any
			} `json:"parameters"`
			Security    *[]any         `json:"security"`
			RequestBody map[string]any `json:"requestBody"`
		} `json:"paths"`
		Components struct {
			Schemas         map[string]any `json:"schemas"`
			Responses       map[string]any `json:"responses"`
			SecuritySchemes map[string]struct {
				Type, In, Name, Description string
			} `json:"securitySchemes"`
		} `json:"components"`
		Security []map[string][]string `json:"security"`
	}
	dec := json.NewDecoder(strings.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("the description is not the expected JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Info.Title == "" || doc.Info.Version == "" {
		t.Errorf("openapi = %q, info = %+v; want 3.1.0 and a title and version", doc.OpenAPI, doc.Info)
	}
	headers := map[string]bool{}
	for _, sc := range doc.Components.SecuritySchemes {
		headers[sc.In+":"+sc.Name] = true
	}
	for _, want := range []string{"cookie:" + sessionCookie, "header:X-Metabase-Session", "header:X-API-Key"} {
		if !headers[want] {
			t.Errorf("security schemes %v lack %s", doc.Components.SecuritySchemes, want)
		}
	}
	if len(doc.Security) != 3 {
		t.Errorf("top-level security = %v, want the three schemes as alternatives", doc.Security)
	}
	if _, ok := doc.Components.Schemas["Error"]; !ok {
		t.Error("components.schemas lacks the Error shape")
	}
	n := 0
	for _, rt := range apiRoutes() {
		method, goPath := splitPattern(rt.pattern)
		path, params := openAPIPath(goPath)
		op, ok := doc.Paths[path][strings.ToLower(method)]
		if !ok {
			t.Errorf("%s is not in the description (paths[%q][%q])", rt.pattern, path, strings.ToLower(method))
			continue
		}
		n++
		if op.Responses["default"] == nil || op.Responses["2XX"] == nil {
			t.Errorf("%s: responses %v, want 2XX and the default error", rt.pattern, op.Responses)
		}
		if op.Summary != rt.doc {
			t.Errorf("%s: summary %q, want %q", rt.pattern, op.Summary, rt.doc)
		}
		var got []string
		for _, p := range op.Parameters {
			if p.In == "path" && p.Required {
				got = append(got, p.Name)
			}
		}
		if !slices.Equal(got, params) {
			t.Errorf("%s: path parameters %q, want %q", rt.pattern, got, params)
		}
		if public := op.Security != nil && len(*op.Security) == 0; public != rt.public {
			t.Errorf("%s: described as public=%v, route says %v", rt.pattern, public, rt.public)
		}
		if (op.RequestBody != nil) != (rt.body != nil) {
			t.Errorf("%s: request body described = %v, route declares one = %v", rt.pattern, op.RequestBody != nil, rt.body != nil)
		}
	}
	ops := 0
	for _, item := range doc.Paths {
		ops += len(item)
	}
	if ops != n {
		t.Errorf("the description has %d operations, the route table %d /api/ routes", ops, n)
	}

	var whole map[string]any
	if err := json.Unmarshal([]byte(r.body), &whole); err != nil {
		t.Fatal(err)
	}
	for _, ref := range refsIn(whole) {
		if !resolves(whole, ref) {
			t.Errorf("$ref %q points at nothing in the description", ref)
		}
	}

	var pretty bytes.Buffer
	if err := json.Indent(&pretty, []byte(r.body), "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	golden := filepath.Join("testdata", "api", "openapi.json")
	if *update {
		if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), pretty.String()); diff != "" {
		t.Errorf("the description differs from %s (-want +got); run with -update if the change is meant:\n%s", golden, diff)
	}
}

// refsIn returns every "$ref" value in a decoded JSON document.
func refsIn(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if ref, ok := c.(string); ok && k == "$ref" {
				out = append(out, ref)
				continue
			}
			out = append(out, refsIn(c)...)
		}
	case []any:
		for _, c := range x {
			out = append(out, refsIn(c)...)
		}
	}
	return out
}

// resolves reports whether a local reference "#/a/b" names an object in doc.
func resolves(doc map[string]any, ref string) bool {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return false
	}
	var cur any = doc
	for _, part := range strings.Split(rest, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[part]; !ok {
			return false
		}
	}
	_, ok = cur.(map[string]any)
	return ok
}

// TestOpenAPIDocumentIsPublic checks that the description needs no sign-in
// and is the same for an anonymous and a signed-in caller.
func TestOpenAPIDocumentIsPublic(t *testing.T) {
	e := newEnv(t, nil)
	anon := e.do(e.client(), "GET", "/api/docs/openapi.json", "", "")
	admin := e.do(e.setup(), "GET", "/api/docs/openapi.json", "", "")
	if anon.status != http.StatusOK || admin.status != http.StatusOK {
		t.Fatalf("statuses anonymous %d, signed in %d; want 200 for both", anon.status, admin.status)
	}
	if anon.body != admin.body {
		t.Error("the description differs between an anonymous and a signed-in caller")
	}
	r := e.do(e.client(), "POST", "/api/docs/openapi.json", "application/json", "{}")
	checkGolden(t, "openapi_post", http.StatusNotFound, r)
	req, err := http.NewRequest("GET", e.srv.URL+"/api/docs/openapi.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Metabase-Session", "not-a-session")
	res, err := e.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /api/docs/openapi.json with an unknown session header = %d, want 401 as on every route", res.StatusCode)
	}
}

const (
	docsTableBegin = "<!-- other-endpoints:begin (generated by go test ./internal/web -run TestAPIDocs -update) -->"
	docsTableEnd   = "<!-- other-endpoints:end -->"
)

// docsMention reports whether text names the route, as `METHOD /path`
// followed by a backquote, a query string or a space.
func docsMention(text, method, path string) bool {
	re := regexp.MustCompile("`" + regexp.QuoteMeta(method+" "+path) + "[`? ]")
	return re.MatchString(text)
}

// TestAPIDocsListEveryRoute fails when docs/api.md does not name an /api/
// route. Routes the hand-written sections do not describe are listed in the
// generated "Other endpoints" table, rewritten with -update from the routes'
// summaries; a row of that table that no longer matches a route fails too.
func TestAPIDocsListEveryRoute(t *testing.T) {
	docsPath := filepath.Join("..", "..", "docs", "api.md")
	raw, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	begin, end := strings.Index(text, docsTableBegin), strings.Index(text, docsTableEnd)
	if begin < 0 || end < begin {
		t.Fatalf("%s lacks the generated table markers %q and %q", docsPath, docsTableBegin, docsTableEnd)
	}
	handWritten := text[:begin] + text[end:]
	table := text[begin+len(docsTableBegin) : end]

	var rows strings.Builder
	rows.WriteString("\n| Endpoint | What it does and who may call it |\n|---|---|\n")
	want := map[string]string{}
	for _, rt := range apiRoutes() {
		method, goPath := splitPattern(rt.pattern)
		path, _ := openAPIPath(goPath)
		if docsMention(handWritten, method, path) {
			continue
		}
		row := fmt.Sprintf("| `%s %s` | %s |", method, path, rt.doc)
		want[method+" "+path] = row
		rows.WriteString(row + "\n")
	}
	if *update {
		text = text[:begin+len(docsTableBegin)] + rows.String() + text[end:]
		if err := os.WriteFile(docsPath, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, rt := range apiRoutes() {
		method, goPath := splitPattern(rt.pattern)
		path, _ := openAPIPath(goPath)
		if !docsMention(text, method, path) {
			t.Errorf("%s does not name %s %s; run go test ./internal/web -run TestAPIDocs -update to list it", docsPath, method, path)
		}
	}
	rowRE := regexp.MustCompile("(?m)^\\| `([A-Z]+ [^`]+)` \\|.*\\|$")
	for _, m := range rowRE.FindAllStringSubmatch(table, -1) {
		row, ok := want[m[1]]
		if !ok {
			if !slices.ContainsFunc(apiRoutes(), func(rt route) bool {
				method, goPath := splitPattern(rt.pattern)
				path, _ := openAPIPath(goPath)
				return method+" "+path == m[1]
			}) {
				t.Errorf("the Other endpoints table of %s lists %s, which is not a route", docsPath, m[1])
			}
			continue
		}
		if m[0] != row {
			t.Errorf("the Other endpoints row for %s is stale:\n have %s\n want %s\n(run with -update)", m[1], m[0], row)
		}
	}
}

func TestResolves(t *testing.T) {
	doc := map[string]any{"components": map[string]any{"schemas": map[string]any{"Error": map[string]any{}}}}
	tests := []struct {
		ref  string
		want bool
	}{
		{"#/components/schemas/Error", true},
		{"#/components/schemas/Nope", false},
		{"#/components/schemas", true},
		{"other.json#/x", false},
	}
	for _, tt := range tests {
		if got := resolves(doc, tt.ref); got != tt.want {
			t.Errorf("resolves(%q) = %v, want %v", tt.ref, got, tt.want)
		}
	}
	if got := refsIn(map[string]any{"a": []any{map[string]any{"$ref": "#/x"}}}); !slices.Equal(got, []string{"#/x"}) {
		t.Errorf("refsIn found %v, want [#/x]", got)
	}
}

// BenchmarkOpenAPIDocument measures building and encoding the description,
// which New does once at start-up.
func BenchmarkOpenAPIDocument(b *testing.B) {
	routes := new(Server).routes()
	for b.Loop() {
		doc, err := openAPIDocument(routes, "")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(doc); err != nil {
			b.Fatal(err)
		}
	}
}
