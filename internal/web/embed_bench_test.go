package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sightline"
)

// staticXray is the sandboxed X-ray fixture with its by-account copy
// published for static embedding, the account filter locked.
type staticXray struct {
	*sandboxedXray
	e *testEnv
	// token locks the account filter to 28.
	token string
}

func setupStaticXray(t *testing.T, e *testEnv) *staticXray {
	t.Helper()
	f := setupSandboxedXray(t, e)
	ctx := context.Background()
	d := *f.byAccount
	d.EnableEmbedding = true
	d.EmbeddingParams = map[string]string{"account": sightline.EmbedLocked}
	if _, err := e.app.UpdateDashboard(ctx, f.admin, &d); err != nil {
		t.Fatal(err)
	}
	e.settings(map[string]string{sightline.SettingEmbeddingStatic: "true", sightline.SettingEmbeddingSecretKey: embedSecret})
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"resource": map[string]any{"dashboard": d.ID},
		"params": map[string]any{"account": 28}, "exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte(embedSecret))
	if err != nil {
		t.Fatal(err)
	}
	return &staticXray{sandboxedXray: f, e: e, token: tok}
}

// get fetches path with cookies and returns the status and body.
func (f *staticXray) fetch(method, path string, cookies []*http.Cookie) (int, []byte, error) {
	req, err := http.NewRequest(method, f.e.srv.URL+path, nil)
	if err != nil {
		return 0, nil, err
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/json")
	}
	r, err := f.e.srv.Client().Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	return r.StatusCode, b, err
}

// loadStatic loads the embedded dashboard as a browser would: its JSON,
// then every card, and returns each card's body.
func (f *staticXray) loadStatic() ([]string, error) {
	if st, b, err := f.fetch("GET", "/api/embed/dashboard/"+f.token, nil); err != nil || st != http.StatusOK {
		return nil, fmt.Errorf("embedded dashboard = %d %.200s %v", st, b, err)
	}
	var out []string
	for _, dc := range questionCards(f.byAccount) {
		st, b, err := f.fetch("GET", fmt.Sprintf("/api/embed/dashboard/%s/dashcard/%d/card/%d", f.token, dc.ID, dc.CardID), nil)
		if err != nil || st != http.StatusAccepted {
			return nil, fmt.Errorf("embedded card %q = %d %.200s %v", dc.Card.Name, st, b, err)
		}
		out = append(out, string(b))
	}
	return out, nil
}

// loadSignedIn loads the X-ray as the sandboxed customer's session does.
func (f *staticXray) loadSignedIn() ([]string, error) { return f.loadAs(f.customerCookies) }

// loadAdmin loads the X-ray as the administrator's session does: every
// card over all the rows.
func (f *staticXray) loadAdmin() ([]string, error) { return f.loadAs(f.adminCookies) }

// loadAs loads the X-ray with a signed-in session's cookies.
func (f *staticXray) loadAs(cookies []*http.Cookie) ([]string, error) {
	if st, b, err := f.fetch("GET", fmt.Sprintf("/api/dashboard/%d", f.dash.ID), cookies); err != nil || st != http.StatusOK {
		return nil, fmt.Errorf("dashboard = %d %.200s %v", st, b, err)
	}
	var out []string
	for _, dc := range questionCards(f.dash) {
		st, b, err := f.fetch("POST", fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", f.dash.ID, dc.ID, dc.CardID), cookies)
		if err != nil || st != http.StatusAccepted {
			return nil, fmt.Errorf("card %q = %d %.200s %v", dc.Card.Name, st, b, err)
		}
		out = append(out, string(b))
	}
	return out, nil
}

// TestStaticXrayDashboard checks the benchmark's premise: every card of
// the X-ray embedded with account 28 locked shows the rows the sandboxed
// customer of account 28 gets signed in.
func TestStaticXrayDashboard(t *testing.T) {
	e, _ := newSandboxEnv(t, t, nil)
	f := setupStaticXray(t, e)
	static, err := f.loadStatic()
	if err != nil {
		t.Fatal(err)
	}
	signed, err := f.loadSignedIn()
	if err != nil {
		t.Fatal(err)
	}
	if len(static) < 10 || len(static) != len(signed) {
		t.Fatalf("%d embedded cards, %d signed-in cards, want the same, at least 10", len(static), len(signed))
	}
	qs := questionCards(f.dash)
	for i := range static {
		// A binned card computes its bins' range over the rows its reader
		// may see, so there only the counts must agree.
		got, want := rowsOf(t, static[i]), rowsOf(t, signed[i])
		if fmt.Sprint(got) != fmt.Sprint(want) && lastColumn(got) != lastColumn(want) {
			t.Errorf("card %q: embedded rows %.200v, signed-in rows %.200v", qs[i].Card.Name, got, want)
		}
	}
}

// rowsOf is the rows of a dataset answer.
func rowsOf(t *testing.T, body string) [][]any {
	t.Helper()
	var d struct {
		Data struct {
			Rows [][]any `json:"rows"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatalf("not a dataset: %.200s", body)
	}
	return d.Data.Rows
}

// BenchmarkStaticEmbedDashboard measures one load of the INVOICES X-ray
// (the dashboard's JSON and then every card, one after the other, over
// HTTP, on the SQLite Sample Database) three ways: embedded statically
// with account 28 locked and the result cache off, so that every card
// queries the database as on a cold cache (static-cold); embedded with
// the cache warm (static-warm); and signed in as the customer sandboxed
// to account 28 (signed-in).
func BenchmarkStaticEmbedDashboard(b *testing.B) {
	f := benchSetup(b, func(t *testing.T) *staticXray {
		e, _ := newSandboxEnv(t, b, nil)
		return setupStaticXray(t, e)
	})
	for _, c := range []struct {
		name string
		ttl  string
		load func() ([]string, error)
	}{{"static-cold", "0", f.loadStatic}, {"static-warm", "600", f.loadStatic}, {"signed-in", "0", f.loadSignedIn}} {
		b.Run(c.name, func(b *testing.B) {
			f.e.t = &testing.T{}
			f.e.settings(map[string]string{sightline.SettingEmbeddingCacheTTL: c.ttl})
			if _, err := c.load(); err != nil {
				b.Fatal(err)
			}
			before := f.e.app.QueriesRun()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := c.load(); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(f.e.app.QueriesRun()-before)/float64(b.N), "queries/load")
			b.ReportMetric(float64(len(questionCards(f.dash))), "cards")
		})
	}
}

// BenchmarkAdminDashboardQueryCache measures the administrator's load of
// the INVOICES X-ray (the dashboard's JSON, then every card one after the
// other over HTTP, on the SQLite Sample Database, every card a full-table
// aggregate) with query caching off (cold: every card queries the
// database) and on with a warm cache (the duration rule set to keep every
// result), and the sandboxed customer's load with the cache warm.
func BenchmarkAdminDashboardQueryCache(b *testing.B) {
	f := benchSetup(b, func(t *testing.T) *staticXray {
		e, _ := newSandboxEnv(t, b, nil)
		return setupStaticXray(t, e)
	})
	for _, c := range []struct {
		name    string
		caching string
		load    func() ([]string, error)
	}{{"admin-cold", "false", f.loadAdmin}, {"admin-warm", "true", f.loadAdmin}, {"customer-warm", "true", f.loadSignedIn}} {
		b.Run(c.name, func(b *testing.B) {
			f.e.t = &testing.T{}
			f.e.settings(map[string]string{sightline.SettingQueryCaching: c.caching,
				sightline.SettingQueryCachingMinTTL: "0", sightline.SettingQueryCachingTTLRatio: "1000000"})
			if _, err := c.load(); err != nil {
				b.Fatal(err)
			}
			before := f.e.app.QueriesRun()
			start := time.Now()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := c.load(); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "loads/s")
			b.ReportMetric(float64(f.e.app.QueriesRun()-before)/float64(b.N), "queries/load")
			b.ReportMetric(float64(len(questionCards(f.dash))), "cards")
		})
	}
}
