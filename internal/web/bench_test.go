package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// BenchmarkSignIn measures password sign-ins through the whole HTTP stack
// (argon2id check, session insert on SQLite, cookie) and reports them as
// sign-ins per second with every core busy.
func BenchmarkSignIn(b *testing.B) {
	e := newEnv(&testing.T{}, nil)
	c := e.client()
	e.t = &testing.T{}
	e.postForm(c, "/setup", url.Values{"email": {"ada@example.com"}, "password": {"correct horse"}, "password_confirm": {"correct horse"}})
	body := `{"email":"ada@example.com","password":"correct horse"}`
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		client := &http.Client{}
		for pb.Next() {
			res, err := client.Post(e.srv.URL+"/api/session", "application/json", strings.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Errorf("sign-in = %d", res.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "signins/s")
}

// BenchmarkInvoicesFirstPage measures the server time to render the first
// page of INVOICES in Browse data: the data door, the count of all rows and
// the template, without the network.
func BenchmarkInvoicesFirstPage(b *testing.B) {
	t := &testing.T{}
	e := newEnv(t, nil)
	e.t = t
	admin := e.setup()
	e.withSample()
	u := mustUser(t, e)
	tables, err := e.app.Tables(context.Background(), u, 1)
	if err != nil {
		b.Fatal(err)
	}
	var inv int64
	for _, tb := range tables {
		if tb.Name == "INVOICES" {
			inv = tb.ID
		}
	}
	cookie := admin.Jar.Cookies(mustURL(e.srv.URL))
	h := e.srv.Config.Handler
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("GET", "/table/"+itoa(inv), nil)
		for _, c := range cookie {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("GET /table = %d", rec.Code)
		}
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
