package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// staticFiles serves the embedded assets from Sightline's own origin, gzipped
// when the client accepts it (ECharts shrinks from 1.1 MB to about 370 kB).
// Each file is compressed once, on first request, so start-up stays fast.
type staticFiles struct {
	fsys  fs.FS
	mu    sync.Mutex
	cache map[string]*staticFile
}

type staticFile struct {
	plain, gz []byte
	etag      string
	ctype     string
}

func newStaticFiles(fsys fs.FS) *staticFiles {
	return &staticFiles{fsys: fsys, cache: map[string]*staticFile{}}
}

func (s *staticFiles) get(name string) (*staticFile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.cache[name]; ok {
		return f, nil
	}
	b, err := fs.ReadFile(s.fsys, name)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	f := &staticFile{plain: b, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, ctype: mime.TypeByExtension(path.Ext(name))}
	if f.ctype == "" {
		f.ctype = "application/octet-stream"
	}
	if len(b) > 1024 && (strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".css") || strings.HasSuffix(name, ".svg") || strings.HasSuffix(name, ".json")) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		f.gz = buf.Bytes()
	}
	s.cache[name] = f
	return f, nil
}

// ServeHTTP serves GET /static/{path...}: files that pages and scripts
// name without a version (vendor maps, the logo), revalidated hourly.
func (s *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, "public, max-age=3600")
}

// versioned serves GET /static/v/{version}/{path...}, the URLs that
// assetURL writes into pages. A module's relative imports resolve under the
// same version prefix, so one version covers a page's whole module graph:
// after an upgrade every URL changes and no browser keeps an old module.
// The current version is cached for good; any other (a page rendered
// before an upgrade) gets today's file, revalidated on every use, so it
// is never pinned under a name that does not describe it.
func (s *staticFiles) versioned(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("version") == assetVersion() {
		s.serve(w, r, "public, max-age=31536000, immutable")
		return
	}
	s.serve(w, r, "no-cache")
}

// assetVersion names the build of the embedded static files: a hash of
// every file's path and content, computed once.
var assetVersion = sync.OnceValue(func() string {
	h := sha256.New()
	err := fs.WalkDir(assets, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets, p)
		if err != nil {
			return err
		}
		h.Write([]byte(p))
		h.Write([]byte{0})
		h.Write(b)
		return nil
	})
	if err != nil {
		panic("web: read embedded static files: " + err.Error())
	}
	return hex.EncodeToString(h.Sum(nil)[:6])
})

// assetURL returns the versioned URL of a file under static/ (the
// template function asset).
func assetURL(name string) string {
	return "/static/v/" + assetVersion() + "/" + strings.TrimPrefix(name, "/")
}

func (s *staticFiles) serve(w http.ResponseWriter, r *http.Request, cacheControl string) {
	name := r.PathValue("path")
	if name == "" || strings.Contains(name, "..") {
		http.NotFound(w, r)
		return
	}
	f, err := s.get(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("ETag", f.etag)
	h.Set("Cache-Control", cacheControl)
	h.Set("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.plain
	if f.gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	w.Write(body)
}

// importSpec finds the module specifiers of static imports and
// re-exports: import x from "s", import "s", export {x} from "s".
var importSpec = regexp.MustCompile(`(?m)^(?:import\s+|(?:import|export)\s+[\w\s{},*$]*?\bfrom\s+)["']([^"']+)["']`)

// moduleImports lists the specifiers a module under static/ imports.
func moduleImports(src []byte) []string {
	var out []string
	for _, m := range importSpec.FindAllSubmatch(src, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// preloads caches modulePreloads per entry module.
var preloads sync.Map

// modulePreloads returns, for an entry module under static/ (the template
// function modulepreload), a <link rel="modulepreload"> for every module
// it imports directly or not, in path order. Without them a browser finds
// a page's modules a level of imports at a time, one round trip each; with
// them it asks for all at once. The graph is read from the embedded files
// once per entry.
func modulePreloads(entry string) template.HTML {
	if v, ok := preloads.Load(entry); ok {
		return v.(template.HTML)
	}
	seen := map[string]bool{}
	var walk func(name string)
	walk = func(name string) {
		src, err := fs.ReadFile(assets, path.Join("static", name))
		if err != nil {
			return
		}
		for _, spec := range moduleImports(src) {
			if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
				continue
			}
			dep := path.Join(path.Dir(name), spec)
			if !seen[dep] {
				seen[dep] = true
				walk(dep)
			}
		}
	}
	walk(strings.TrimPrefix(entry, "/"))
	deps := make([]string, 0, len(seen))
	for d := range seen {
		deps = append(deps, d)
	}
	slices.Sort(deps)
	var b strings.Builder
	for _, d := range deps {
		b.WriteString(`<link rel="modulepreload" href="`)
		b.WriteString(template.HTMLEscapeString(assetURL(d)))
		b.WriteString(`">`)
		b.WriteString("\n")
	}
	h := template.HTML(b.String())
	preloads.Store(entry, h)
	return h
}
