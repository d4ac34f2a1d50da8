package web

import (
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
	"testing"
)

// TestEmbeddedStaticShipsNoTests lists the files the binary embeds and
// fails on anything that belongs to tests: unit tests, their folder,
// fixtures, node's package files.
func TestEmbeddedStaticShipsNoTests(t *testing.T) {
	var files []string
	err := fs.WalkDir(assets, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		seen[f] = true
		base := path.Base(f)
		for _, seg := range strings.Split(path.Dir(f), "/") {
			switch seg {
			case "jstest", "testdata", "fixtures", "node_modules":
				t.Errorf("the binary embeds %s, inside a %s folder", f, seg)
			}
		}
		if strings.HasSuffix(base, ".test.js") || strings.HasSuffix(base, ".test.mjs") || strings.HasSuffix(base, "_test.go") || base == "package.json" {
			t.Errorf("the binary embeds %s, a test or package file", f)
		}
	}
	for _, want := range []string{"static/js/app.js", "static/js/charts/viz.js", "static/vendor/echarts.min.js", "templates/layout.html"} {
		if !seen[want] {
			t.Errorf("the embedded files lack %s (listed %d files)", want, len(files))
		}
	}
}

// TestModuleImportsResolve checks every module's imports: each is relative,
// so it resolves under the importing module's versioned URL, and names a
// module the binary embeds.
func TestModuleImportsResolve(t *testing.T) {
	n := 0
	err := fs.WalkDir(assets, "static/js", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		b, err := fs.ReadFile(assets, p)
		if err != nil {
			return err
		}
		for _, m := range importSpec.FindAllStringSubmatch(string(b), -1) {
			spec := m[1]
			n++
			if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
				t.Errorf("%s imports %q; want a relative path, which keeps the asset version", p, spec)
				continue
			}
			target := path.Join(path.Dir(p), spec)
			if _, err := fs.Stat(assets, target); err != nil {
				t.Errorf("%s imports %q: %s is not embedded", p, spec, target)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("found no imports in static/js")
	}
}

var (
	exportDecl   = regexp.MustCompile(`(?m)^export (?:async )?(?:function\*?|const|let|var|class) ([\w$]+)`)
	exportList   = regexp.MustCompile(`(?m)^export \{([^}]*)\}`)
	namedImport  = regexp.MustCompile(`(?m)^import \{([^}]*)\} from "([^"]+)";`)
	nsImport     = regexp.MustCompile(`(?m)^import \* as ([\w$]+) from "([^"]+)";`)
	commentLines = regexp.MustCompile(`(?m)^\s*//.*$`)
)

// moduleExports lists the names a module exports.
func moduleExports(t *testing.T, name string) map[string]bool {
	t.Helper()
	b, err := fs.ReadFile(assets, name)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, m := range exportDecl.FindAllStringSubmatch(string(b), -1) {
		out[m[1]] = true
	}
	for _, m := range exportList.FindAllStringSubmatch(string(b), -1) {
		for _, n := range strings.Split(m[1], ",") {
			f := strings.Fields(n)
			if len(f) > 0 {
				out[f[len(f)-1]] = true
			}
		}
	}
	return out
}

// TestModuleNamesExist checks, without a browser, what a browser would
// only find when the code runs: every name a module imports, and every
// member it reads from a namespace import (Viz.render), is exported by
// the module it comes from.
func TestModuleNamesExist(t *testing.T) {
	checked := 0
	err := fs.WalkDir(assets, "static/js", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		b, err := fs.ReadFile(assets, p)
		if err != nil {
			return err
		}
		src := string(b)
		for _, m := range namedImport.FindAllStringSubmatch(src, -1) {
			exports := moduleExports(t, path.Join(path.Dir(p), m[2]))
			for _, n := range strings.Split(m[1], ",") {
				f := strings.Fields(n)
				if len(f) == 0 {
					continue
				}
				checked++
				if !exports[f[0]] {
					t.Errorf("%s imports %s from %q, which does not export it", p, f[0], m[2])
				}
			}
		}
		code := commentLines.ReplaceAllString(src, "")
		for _, m := range nsImport.FindAllStringSubmatch(src, -1) {
			exports := moduleExports(t, path.Join(path.Dir(p), m[2]))
			use := regexp.MustCompile(`(?:^|[^\w$.])` + regexp.QuoteMeta(m[1]) + `\.([\w$]+)`)
			for _, u := range use.FindAllStringSubmatch(code, -1) {
				checked++
				if !exports[u[1]] {
					t.Errorf("%s reads %s.%s, which %q does not export", p, m[1], u[1], m[2])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d imported names", checked)
	}
}

// TestVersionedStatic checks how pages name their scripts and how those
// URLs are cached: the current version for good, any other version (a
// page rendered before an upgrade) revalidated on every use.
func TestVersionedStatic(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	home := e.get(admin, "/")
	app := assetURL("js/app.js")
	if !strings.Contains(home.body, `<script type="module" src="`+app+`"></script>`) {
		t.Errorf("the home page does not load %s as a module", app)
	}
	tests := []struct {
		name, path, cache string
	}{
		{"current version", app, "public, max-age=31536000, immutable"},
		{"imported module", assetURL("js/shared/dom.js"), "public, max-age=31536000, immutable"},
		{"older version", "/static/v/000000000000/js/app.js", "no-cache"},
		{"no version", "/static/js/app.js", "public, max-age=3600"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(admin, tt.path)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", tt.path, r.status)
			}
			if got := r.header.Get("Cache-Control"); got != tt.cache {
				t.Errorf("GET %s Cache-Control = %q, want %q", tt.path, got, tt.cache)
			}
			if got := r.header.Get("Content-Type"); !strings.Contains(got, "javascript") {
				t.Errorf("GET %s Content-Type = %q, want JavaScript (modules need it)", tt.path, got)
			}
		})
	}
	if r := e.get(admin, assetURL("js/missing.js")); r.status != http.StatusNotFound {
		t.Errorf("GET %s = %d, want 404", assetURL("js/missing.js"), r.status)
	}
}

// TestTemplatesDoNotBoost guards an assumption of the page modules: each
// page's module runs once per document and starts the page, so htmx must
// not swap whole pages in (hx-boost), which would leave the new page
// without its start-up.
func TestTemplatesDoNotBoost(t *testing.T) {
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v (%d files)", err, len(files))
	}
	partials, _ := fs.Glob(assets, "templates/partials/*.html")
	for _, f := range append(files, partials...) {
		b, err := fs.ReadFile(assets, f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "hx-boost") {
			t.Errorf("%s uses hx-boost: boosted pages would not run their module", f)
		}
	}
}

// TestModulePreloads checks that a page names every module its entry
// module needs, directly or not, once each and versioned, so the browser
// fetches them in one round instead of a level of imports at a time.
func TestModulePreloads(t *testing.T) {
	got := string(modulePreloads("js/dashboard/main.js"))
	for _, want := range []string{"js/dashboard/page.js", "js/charts/viz.js", "js/charts/sankey.js", "js/charts/logic.js", "js/shared/dom.js"} {
		link := `<link rel="modulepreload" href="` + assetURL(want) + `">`
		if n := strings.Count(got, link); n != 1 {
			t.Errorf("the dashboard's preloads name %s %d times, want once:\n%s", want, n, got)
		}
	}
	if strings.Contains(got, "js/dashboard/main.js") || strings.Contains(got, "js/question/") {
		t.Errorf("the dashboard's preloads name the entry itself or the question page's modules:\n%s", got)
	}
	if n := strings.Count(string(modulePreloads("js/app.js")), "modulepreload"); n < 1 {
		t.Errorf("js/app.js preloads %d modules, want its imports", n)
	}
}
