package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"sightline"
)

// cachedRun is what a test reads from a dataset answer about the cache.
type cachedRun struct {
	status    int
	count     string
	cached    bool
	updatedAt string
	queries   int64
}

// runCounted sends one run and reports its answer and the queries it sent
// to the database.
func runCounted(t *testing.T, e *testEnv, c *http.Client, path, body string) cachedRun {
	t.Helper()
	before := e.app.QueriesRun()
	r := e.postJSON(c, path, body)
	out := cachedRun{status: r.status, queries: e.app.QueriesRun() - before}
	if r.status != http.StatusAccepted {
		t.Fatalf("POST %s = %d %.300s", path, r.status, r.body)
	}
	var d struct {
		Cached    *bool   `json:"cached"`
		UpdatedAt *string `json:"updated_at"`
	}
	decodeBody(t, r, &d)
	if d.Cached == nil || d.UpdatedAt == nil {
		t.Fatalf("POST %s answered without cached or updated_at: %.300s", path, r.body)
	}
	out.count, out.cached, out.updatedAt = countOfDataset(t, r.body), *d.Cached, *d.UpdatedAt
	return out
}

// messageOf reads the message of an error answer.
func messageOf(t *testing.T, r resp) string {
	t.Helper()
	var m struct {
		Message string `json:"message"`
	}
	decodeBody(t, r, &m)
	return m.Message
}

// cachingOn turns query caching on so that every run is kept (no minimum
// duration, a ratio that keeps a millisecond's run for many minutes).
func cachingOn(e *testEnv) {
	e.settings(map[string]string{sightline.SettingQueryCaching: "true", sightline.SettingQueryCachingMinTTL: "0",
		sightline.SettingQueryCachingTTLRatio: "1000000"})
}

func TestSavedQuestionResultCache(t *testing.T) {
	e := newEnv(t, nil)
	f := setupLeakFixture(t, e)
	c := f.clients["sandboxed-28"]
	card := fmt.Sprintf("/api/card/%d/query", f.countCard)
	dashcard := fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", f.dash, f.dashcard, f.countCard)

	t.Run("off by default", func(t *testing.T) {
		for i := range 2 {
			if r := runCounted(t, e, c, card, ""); r.cached || r.queries != 1 || r.count != "count=22" {
				t.Errorf("run %d with caching off = %+v, want count=22 from 1 query, not cached", i, r)
			}
		}
	})
	cachingOn(e)
	for _, path := range []string{card, dashcard} {
		t.Run(path, func(t *testing.T) {
			// The question alone and on the dashboard without a filter
			// compile to one query, so they share an entry: start cold.
			if err := e.app.SyncDatabase(context.Background(), f.db); err != nil {
				t.Fatal(err)
			}
			first := runCounted(t, e, c, path, "")
			if first.cached || first.queries != 1 || first.count != "count=22" {
				t.Fatalf("first run = %+v, want count=22 from 1 query, not cached", first)
			}
			second := runCounted(t, e, c, path, "")
			if !second.cached || second.queries != 0 || second.count != "count=22" || second.updatedAt != first.updatedAt {
				t.Errorf("second run = %+v, want count=22 from the cache (0 queries), updated_at %s", second, first.updatedAt)
			}
			refreshed := runCounted(t, e, c, path, `{"ignore_cache": true}`)
			if refreshed.cached || refreshed.queries != 1 || refreshed.count != "count=22" {
				t.Errorf("run with ignore_cache = %+v, want count=22 from 1 query, not cached", refreshed)
			}
			after := runCounted(t, e, c, path, "")
			if !after.cached || after.queries != 0 || after.updatedAt != refreshed.updatedAt {
				t.Errorf("run after the refresh = %+v, want the refreshed result (updated_at %s) from the cache", after, refreshed.updatedAt)
			}
			if err := e.app.SyncDatabase(context.Background(), f.db); err != nil {
				t.Fatal(err)
			}
			if synced := runCounted(t, e, c, path, ""); synced.cached || synced.queries != 1 {
				t.Errorf("run after a sync = %+v, want 1 query, not cached", synced)
			}
		})
	}
	t.Run("ad-hoc queries are never cached", func(t *testing.T) {
		q := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}`, f.db, f.inv)
		for i := range 2 {
			if r := runCounted(t, e, c, "/api/dataset", q); r.cached || r.queries != 1 || r.count != "count=22" {
				t.Errorf("ad-hoc run %d = %+v, want count=22 from 1 query, not cached", i, r)
			}
		}
	})
}

func TestCacheTTLPerItem(t *testing.T) {
	e := newEnv(t, nil)
	f := setupLeakFixture(t, e)
	admin := f.clients["admin"]
	// The duration rule caches nothing here: no run takes an hour.
	e.settings(map[string]string{sightline.SettingQueryCaching: "true", sightline.SettingQueryCachingMinTTL: "3600"})
	card := fmt.Sprintf("/api/card/%d", f.countCard)
	dash := fmt.Sprintf("/api/dashboard/%d", f.dash)
	run := fmt.Sprintf("/api/card/%d/query", f.countCard)
	dashcard := fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", f.dash, f.dashcard, f.countCard)

	for _, tt := range []struct {
		path, body string
		status     int
		message    string
	}{
		{card, `{"cache_ttl": -1}`, http.StatusBadRequest, "cache_ttl must be a whole number of hours from 0 to 100000, or null, not -1."},
		{card, `{"cache_ttl": 1.5}`, http.StatusBadRequest, "cache_ttl must be a whole number of hours from 0 to 100000, or null, not 1.5."},
		{dash, `{"cache_ttl": "2"}`, http.StatusBadRequest, `cache_ttl must be a whole number of hours from 0 to 100000, or null, not "2".`},
		{dash, `{"cache_ttl": 100001}`, http.StatusBadRequest, "cache_ttl must be a whole number of hours from 0 to 100000, or null, not 100001."},
		{card, `{"cache_ttl": 2}`, http.StatusOK, ""},
	} {
		r := e.do(admin, "PUT", tt.path, "application/json", tt.body)
		if r.status != tt.status || tt.message != "" && messageOf(t, r) != tt.message {
			t.Errorf("PUT %s %s = %d %.200s, want %d %q", tt.path, tt.body, r.status, r.body, tt.status, tt.message)
		}
	}
	var got struct {
		CacheTTL *int `json:"cache_ttl"`
	}
	decodeBody(t, e.do(admin, "GET", card, "", ""), &got)
	if got.CacheTTL == nil || *got.CacheTTL != 2 {
		t.Fatalf("GET %s cache_ttl = %s, want 2", card, fmtPtr(got.CacheTTL))
	}
	c := f.clients["unrestricted"]
	runCounted(t, e, c, run, "")
	if r := runCounted(t, e, c, run, ""); !r.cached || r.queries != 0 {
		t.Errorf("second run of a question with cache_ttl 2 = %+v, want it from the cache", r)
	}
	// Without its own cache_ttl, the dashboard's applies to its cards.
	for _, put := range []struct{ path, body string }{{card, `{"cache_ttl": null}`}, {dash, `{"cache_ttl": 1}`}} {
		if r := e.do(admin, "PUT", put.path, "application/json", put.body); r.status != http.StatusOK {
			t.Fatalf("PUT %s %s = %d %.200s", put.path, put.body, r.status, r.body)
		}
	}
	// Saving a dashboard saves its cards anew.
	var saved struct {
		Cards []struct {
			ID int64 `json:"id"`
		} `json:"dashcards"`
	}
	decodeBody(t, e.do(admin, "GET", dash, "", ""), &saved)
	if len(saved.Cards) != 1 {
		t.Fatalf("GET %s has %d cards, want 1", dash, len(saved.Cards))
	}
	dashcard = fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", f.dash, saved.Cards[0].ID, f.countCard)
	// The entry kept for 2 hours stays until a sync.
	if err := e.app.SyncDatabase(context.Background(), f.db); err != nil {
		t.Fatal(err)
	}
	decodeBody(t, e.do(admin, "GET", card, "", ""), &got)
	if got.CacheTTL != nil {
		t.Errorf("GET %s cache_ttl after null = %s, want null", card, fmtPtr(got.CacheTTL))
	}
	for i := range 2 {
		if r := runCounted(t, e, c, run, ""); r.cached || r.queries != 1 {
			t.Errorf("question run %d without cache_ttl = %+v, want 1 query (the duration rule keeps nothing)", i, r)
		}
	}
	runCounted(t, e, c, dashcard, "")
	if r := runCounted(t, e, c, dashcard, ""); !r.cached || r.queries != 0 {
		t.Errorf("second dashboard card run with the dashboard's cache_ttl 1 = %+v, want it from the cache", r)
	}
	// Turning caching off turns every cache_ttl off.
	e.settings(map[string]string{sightline.SettingQueryCaching: "false"})
	if r := runCounted(t, e, c, dashcard, ""); r.cached || r.queries != 1 {
		t.Errorf("dashboard card run with caching off = %+v, want 1 query, not cached", r)
	}
}

// TestQueryCacheNeverCrossesTenants warms the result cache with a
// sandboxed tenant's runs of the saved question and the dashboard card,
// then runs the whole leak matrix twice with caching on (the first pass
// reads entries warmed by the tenant and by the actors before each one,
// the second every actor's own warm entries): every actor must see
// exactly what it sees without the cache.
func TestQueryCacheNeverCrossesTenants(t *testing.T) {
	for _, eng := range leakEngines() {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, nil)
			e.setup()
			f := setupLeakFixtureOn(t, e, eng.sample(t, e))
			cachingOn(e)
			tenant := f.clients["sandboxed-28"]
			// People whose queries compile alike (the administrator and an
			// unrestricted analyst; the question alone and on the dashboard
			// without a filter) share an entry; a sandboxed tenant's filter
			// is a bound argument, so its entry serves no one else.
			want := map[string]string{"admin": "count=13856", "unrestricted": "count=13856", "sandboxed-or-1=1": "count=0"}
			for i, path := range []string{fmt.Sprintf("/api/card/%d/query", f.countCard),
				fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", f.dash, f.dashcard, f.countCard)} {
				runCounted(t, e, tenant, path, "")
				if r := runCounted(t, e, tenant, path, ""); !r.cached || r.count != "count=22" {
					t.Fatalf("the tenant's second run of %s = %+v, want count=22 from the cache", path, r)
				}
				for _, other := range []string{"admin", "unrestricted", "sandboxed-or-1=1"} {
					r := runCounted(t, e, f.clients[other], path, "")
					if r.count != want[other] {
						t.Errorf("%s's run of %s after the tenant's = %+v, want %s", other, path, r, want[other])
					}
					if i == 0 && other != "unrestricted" && (r.cached || r.queries != 1) {
						t.Errorf("%s's first run of %s after the tenant's = %+v, want its own query", other, path, r)
					}
				}
			}
			runLeakMatrix(t, e, f)
			hits := e.app.ResultCacheStats().Hits
			runLeakMatrix(t, e, f)
			if e.app.ResultCacheStats().Hits == hits {
				t.Errorf("the second pass of the matrix read nothing from the cache: the test proves nothing")
			}
		})
	}
}

// fmtPtr shows an optional number.
func fmtPtr(p *int) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}
