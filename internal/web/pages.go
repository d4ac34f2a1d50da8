package web

import (
	"fmt"
	"html/template"
	"sync"
)

// pageSet holds the page templates. Every page is parsed at start-up, so
// that a broken template fails there and not in a person's request, but a
// page's parsed template is kept only once someone opens it: each page
// carries its own copy of the layout and partials (html/template copies
// them on Clone), and the 31 pages kept at once took 3.4 MB, most of an
// idle server's heap.
type pageSet struct {
	base  *template.Template // layout and partials, never executed
	files map[string]string  // page name -> template file
	mu    sync.Mutex
	pages sync.Map // page name -> *template.Template
}

// newPageSet parses every page to check it and keeps the layout and
// partials for the pages parsed later.
func newPageSet() (*pageSet, error) {
	base, files, err := parseBase()
	if err != nil {
		return nil, err
	}
	for name, f := range files {
		if _, err := parsePage(base, f); err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
	}
	return &pageSet{base: base, files: files}, nil
}

// lookup returns the named page's template, parsing it on first use and
// keeping it for the next; a page that does not exist is an error.
func (p *pageSet) lookup(name string) (*template.Template, error) {
	if t, ok := p.pages.Load(name); ok {
		return t.(*template.Template), nil
	}
	f, ok := p.files[name]
	if !ok {
		return nil, fmt.Errorf("no such page template %q", name)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if t, ok := p.pages.Load(name); ok {
		return t.(*template.Template), nil
	}
	t, err := parsePage(p.base, f)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", f, err)
	}
	p.pages.Store(name, t)
	return t, nil
}
