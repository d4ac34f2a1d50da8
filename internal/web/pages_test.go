package web

import (
	"strings"
	"testing"
)

// TestPageSet checks that start-up keeps no page until it is opened, that
// every page then parses and is kept for the next request, and that an
// unknown page is an error rather than an empty page.
func TestPageSet(t *testing.T) {
	p, err := newPageSet()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.files) < 20 {
		t.Fatalf("newPageSet found %d pages, want every templates/*.html but the layout", len(p.files))
	}
	if _, ok := p.files["layout"]; ok {
		t.Error("the layout is listed as a page")
	}
	kept := 0
	p.pages.Range(func(any, any) bool { kept++; return true })
	if kept != 0 {
		t.Errorf("%d pages kept after start-up, want none until opened", kept)
	}
	for name := range p.files {
		first, err := p.lookup(name)
		if err != nil {
			t.Fatalf("lookup(%q) = %v", name, err)
		}
		if first.Lookup("layout.html") == nil {
			t.Errorf("page %q has no layout", name)
		}
		again, err := p.lookup(name)
		if err != nil || again != first {
			t.Errorf("lookup(%q) again = %p, %v, want the template parsed the first time (%p)", name, again, err, first)
		}
	}
	if _, err := p.lookup("no-such-page"); err == nil || !strings.Contains(err.Error(), "no such page") {
		t.Errorf("lookup(no-such-page) = %v, want a no such page error", err)
	}
}
