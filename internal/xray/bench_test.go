package xray

import (
	"testing"

	"sightline/internal/sampledata"
)

// BenchmarkGenerate measures the X-ray of INVOICES from synced metadata;
// running its questions is the data door's cost, not this package's.
func BenchmarkGenerate(b *testing.B) {
	s := sqliteSample(b)
	tbl := s.table(b, sampledata.Invoices)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(tbl, s.md, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunInvoices compiles and runs every question of the INVOICES
// X-ray, one after another, on the SQLite Sample Database: the query part
// of the 150 ms target for a whole dashboard (the app adds
// permissions, sandboxes and caching around it).
func BenchmarkRunInvoices(b *testing.B) {
	s := sqliteSample(b)
	d, err := Generate(s.table(b, sampledata.Invoices), s.md, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, r := range runCards(b, s, d) {
			if r.err != nil {
				b.Fatalf("card %q: %v", r.name, r.err)
			}
		}
	}
}
