package web

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"sightline"
)

// TestEmbedResultCache checks the result cache of static embeds through
// the API, counting the queries the data door sends to the database: a
// second identical token run sends none, other locked values never share
// a result, editing or syncing the database drops what was cached, and a
// TTL of 0 turns the cache off.
func TestEmbedResultCache(t *testing.T) {
	e := newEnv(t, nil)
	lf := setupLeakFixture(t, e)
	lf.addEmbed(t, e)
	f := lf.embed
	anon := e.client()
	dashcard := func(v any, qs string) string {
		return fmt.Sprintf("/api/embed/dashboard/%s/dashcard/%d/card/%d%s",
			f.sign(t, map[string]any{"dashboard": f.dash}, map[string]any{"account_id": v}), f.filtered, lf.countCard, qs)
	}
	question := func(v any) string {
		return fmt.Sprintf("/api/embed/card/%s/query", f.sign(t, map[string]any{"question": f.card}, map[string]any{"account_id": v}))
	}
	// run fetches path and returns its count and how many queries it sent.
	run := func(path string) (string, int64) {
		t.Helper()
		before := e.app.QueriesRun()
		r := e.do(anon, "GET", path, "", "")
		if r.status != http.StatusAccepted {
			t.Fatalf("GET %s = %d %.300s", path, r.status, r.body)
		}
		return countOfDataset(t, r.body), e.app.QueriesRun() - before
	}
	steps := []struct {
		name, path, count string
		queries           int64
	}{
		{"first run of account 28", dashcard(28, ""), "count=22", 1},
		{"a fresh token for account 28 answers from the cache", dashcard(28, ""), "count=22", 0},
		{"account 29 never shares account 28's result", dashcard(29, ""), "", 1},
		{"account 29 again from the cache", dashcard(29, ""), "", 0},
		{"an editable value is a different query", dashcard(28, "?plan=Premium"), "count=0", 1},
		{"account 28 is still cached", dashcard(28, ""), "count=22", 0},
		{"a list of accounts is its own entry", dashcard([]any{28, 29}, ""), "", 1},
		{"the question, account 28", question(28), "count=22", 1},
		{"the question, account 28 again", question(28), "count=22", 0},
		{"the question, account 29", question(29), "", 1},
	}
	counts := map[string]string{}
	for _, s := range steps {
		got, n := run(s.path)
		if n != s.queries {
			t.Errorf("%s: %d queries, want %d", s.name, n, s.queries)
		}
		if s.count != "" && got != s.count {
			t.Errorf("%s: %s, want %s", s.name, got, s.count)
		}
		counts[s.name] = got
	}
	if counts["account 29 never shares account 28's result"] == "count=22" {
		t.Errorf("account 29 got account 28's count")
	}
	if counts["the question, account 29"] != counts["account 29 never shares account 28's result"] {
		t.Errorf("account 29: question %s, dashboard %s, want the same", counts["the question, account 29"], counts["account 29 never shares account 28's result"])
	}

	t.Run("syncing the database drops its results", func(t *testing.T) {
		if err := e.app.SyncDatabase(context.Background(), lf.db); err != nil {
			t.Fatal(err)
		}
		if _, n := run(dashcard(28, "")); n != 1 {
			t.Errorf("after a sync the run sent %d queries, want 1", n)
		}
	})
	t.Run("editing a table drops the database's results", func(t *testing.T) {
		if _, n := run(dashcard(28, "")); n != 0 {
			t.Fatalf("the run sent %d queries, want it cached", n)
		}
		if r := e.do(lf.clients["admin"], "PUT", fmt.Sprintf("/api/table/%d", lf.inv), "application/json", `{"description": "Invoices of every account"}`); r.status != http.StatusOK {
			t.Fatalf("PUT table = %d %.300s", r.status, r.body)
		}
		if _, n := run(dashcard(28, "")); n != 1 {
			t.Errorf("after a table edit the run sent %d queries, want 1", n)
		}
	})
	t.Run("TTL 0 turns the cache off", func(t *testing.T) {
		e.settings(map[string]string{sightline.SettingEmbeddingCacheTTL: "0"})
		defer e.settings(map[string]string{sightline.SettingEmbeddingCacheTTL: "60"})
		for range 2 {
			if _, n := run(dashcard(28, "")); n != 1 {
				t.Errorf("with the cache off a run sent %d queries, want 1", n)
			}
		}
	})
	t.Run("concurrent viewers cost one query", func(t *testing.T) {
		path := dashcard(31, "")
		before := e.app.QueriesRun()
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
				r, err := anon.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				r.Body.Close()
				if r.StatusCode != http.StatusAccepted {
					t.Errorf("GET = %d", r.StatusCode)
				}
			})
		}
		wg.Wait()
		if n := e.app.QueriesRun() - before; n != 1 {
			t.Errorf("20 concurrent viewers sent %d queries, want 1", n)
		}
	})
}
