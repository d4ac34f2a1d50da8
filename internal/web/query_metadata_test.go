package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"sightline"
)

// TestQueryMetadataFollowsOnlyReadableSources: the metadata of a readable
// question built on a private question lists the tables the private one
// reads only for people who may read it, so that it never tells what a
// question someone cannot open reads.
func TestQueryMetadataFollowsOnlyReadableSources(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	f := setupRefsFixture(t, e, sqliteLeakSample(t, e))
	ctx := context.Background()
	a, admin := e.app, e.adminUser()
	accounts := &sightline.Query{Database: f.db, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
		SourceTable: f.accounts, Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}}}}
	src, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Private accounts", CollectionID: f.adminOnly, Query: accounts})
	if err != nil {
		t.Fatal(err)
	}
	built := func(name string, source int64) int64 {
		q := &sightline.Query{Database: f.db, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceCard: source}}
		c, err := a.CreateCard(ctx, admin, &sightline.Card{Name: name, Query: q})
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	onPrivate := built("Built on a private question", src.ID)
	tables := func(c *http.Client, card int64) []int64 {
		t.Helper()
		r := e.do(c, "GET", fmt.Sprintf("/api/card/%d/query_metadata", card), "", "")
		var md struct {
			Tables []struct {
				ID int64 `json:"id"`
			} `json:"tables"`
		}
		if err := json.Unmarshal([]byte(r.body), &md); err != nil || r.status != http.StatusOK {
			t.Fatalf("query_metadata of %d = %d %.300s", card, r.status, r.body)
		}
		var ids []int64
		for _, tb := range md.Tables {
			ids = append(ids, tb.ID)
		}
		return ids
	}
	if got := tables(f.clients["admin"], onPrivate); !slices.Contains(got, f.accounts) {
		t.Errorf("the administrator's metadata of the question = tables %v, want ACCOUNTS (%d) among them", got, f.accounts)
	}
	// The unrestricted person may see ACCOUNTS, but not the question it
	// is read through.
	if r := e.do(f.clients["unrestricted"], "GET", fmt.Sprintf("/api/table/%d", f.accounts), "", ""); r.status != http.StatusOK {
		t.Fatalf("unrestricted GET /api/table/ACCOUNTS = %d, want 200", r.status)
	}
	if got := tables(f.clients["unrestricted"], onPrivate); slices.Contains(got, f.accounts) {
		t.Errorf("metadata of a question built on a private one = tables %v, want ACCOUNTS (%d) left out", got, f.accounts)
	}
	// Built on a question they may read, the same table shows.
	open, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Readable accounts", Query: accounts})
	if err != nil {
		t.Fatal(err)
	}
	if got := tables(f.clients["unrestricted"], built("Built on a readable question", open.ID)); !slices.Contains(got, f.accounts) {
		t.Errorf("metadata of a question built on a readable one = tables %v, want ACCOUNTS (%d) among them", got, f.accounts)
	}
}
