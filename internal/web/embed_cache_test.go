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

// TestCacheNeverCrossesTenants warms the result cache as the token locked
// to account 28, then reads as tokens locked to other accounts and as
// every person of the leak matrix (the whole matrix, warm), on SQLite,
// PostgreSQL and MariaDB: each gets what it got with the cache off, and
// never account 28's rows.
func TestCacheNeverCrossesTenants(t *testing.T) {
	for _, eng := range leakEngines() {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, nil)
			e.setup()
			f := setupLeakFixtureOn(t, e, eng.sample(t, e))
			f.addEmbed(t, e)
			ef := f.embed
			type read struct {
				path      string
				summarize func(*testing.T, string) string
			}
			reads := func(v any) []read {
				dash := ef.sign(t, map[string]any{"dashboard": ef.dash}, map[string]any{"account_id": v})
				return []read{
					{fmt.Sprintf("/api/embed/dashboard/%s/dashcard/%d/card/%d", dash, ef.filtered, f.countCard), countOfDataset},
					{fmt.Sprintf("/api/embed/card/%s/query", ef.sign(t, map[string]any{"question": ef.card}, map[string]any{"account_id": v})), countOfDataset},
					{fmt.Sprintf("/api/embed/dashboard/%s/params/plan/values", dash), fieldValues},
				}
			}
			tenants := []any{28, 29, []any{29, 30}, 1, 2}
			// all reads every tenant's reads and returns the answers and
			// the queries they sent.
			all := func() (map[string]string, int64) {
				out := map[string]string{}
				before := e.app.QueriesRun()
				for _, v := range tenants {
					for i, rd := range reads(v) {
						r := e.do(e.client(), "GET", rd.path, "", "")
						got := fmt.Sprint(r.status)
						if r.status/100 == 2 {
							got += " " + rd.summarize(t, r.body)
						}
						out[fmt.Sprint(v, "/", i)] = got
					}
				}
				return out, e.app.QueriesRun() - before
			}
			e.settings(map[string]string{sightline.SettingEmbeddingCacheTTL: "0"})
			want, _ := all()
			e.settings(map[string]string{sightline.SettingEmbeddingCacheTTL: "60"})
			for i, rd := range reads(28) {
				if r := e.do(e.client(), "GET", rd.path, "", ""); r.status/100 != 2 {
					t.Fatalf("warming read %d = %d %.300s", i, r.status, r.body)
				}
			}
			if want["28/0"] != "202 count=22" || want["28/2"] != "200 [[Basic]]" {
				t.Fatalf("account 28 without the cache: %v", want)
			}
			got, queries := all()
			for k, w := range want {
				if got[k] != w {
					t.Errorf("warm %s = %q, want %q as with the cache off", k, got[k], w)
				}
			}
			// Account 28 is warm; every other tenant's reads must run.
			if others := int64(len(tenants)-1) * 3; queries < others {
				t.Errorf("the other tenants' reads sent %d queries, want at least %d: some were answered from another tenant's entry", queries, others)
			}
			runLeakMatrix(t, e, f)
		})
	}
}
