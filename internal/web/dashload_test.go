package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/app"
)

// dashLoadCards is the size of the dashboard the load tests open: a
// customer's typical dashboard.
const dashLoadCards = 16

// TestWarmDashboardLoadNoAppDBCalls opens a 16-card dashboard (the page,
// then every card's query) twice, as a sandboxed customer and as an
// administrator: the second load, with every cache filled, reaches the app
// database not once. Session look-ups, which sign each burst of requests
// in, and the views written in the background once a second are counted
// apart.
func TestWarmDashboardLoadNoAppDBCalls(t *testing.T) {
	f := setupDashboardCalls(t, t, dashLoadCards)
	d := f.bySize[dashLoadCards]
	if len(d.Cards) != dashLoadCards {
		t.Fatalf("the dashboard has %d cards, want %d", len(d.Cards), dashLoadCards)
	}
	for _, who := range []struct {
		name    string
		cookies []*http.Cookie
	}{{"sandboxed", f.customerCookies}, {"admin", f.adminCookies}} {
		t.Run(who.name, func(t *testing.T) {
			warm, cold := f.count(t, who.cookies, d)
			if got := total(warm.calls); got != 0 {
				t.Errorf("warm %d-card load: %d app-database calls %v, want none", dashLoadCards, got, warm.calls)
			}
			// The cold load shows the counter sees the reads the caches
			// save.
			if total(cold.calls) == 0 {
				t.Errorf("cold %d-card load: no app-database calls counted, want the caches' reloads", dashLoadCards)
			}
		})
	}
}

// TestDashboardExpiryUnderConcurrentUsers has 50 people (sandboxed
// customers of the same group) open the same 16-card dashboard at once
// just after every app cache expired: the app
// database sees one set of reloads, the same calls a single person's load
// makes after the expiry, not one set per person.
func TestDashboardExpiryUnderConcurrentUsers(t *testing.T) {
	const people, tabs = 50, 1
	f := setupDashboardCalls(t, t, dashLoadCards)
	d := f.bySize[dashLoadCards]
	ctx := context.Background()
	var groups []int64
	for _, g := range f.customer.Groups {
		if g.ID != sightline.AllUsersGroupID {
			groups = append(groups, g.ID)
		}
	}
	if len(groups) == 0 {
		t.Fatal("the customer is in no group of its own")
	}
	cookies := make([][]*http.Cookie, people)
	for i := range cookies {
		email := fmt.Sprintf("acme-%d@example.com", 100+i)
		if _, err := f.e.app.CreateUser(ctx, f.admin, app.NewUserInput{Email: email, Password: "a password",
			GroupIDs: groups, Attributes: map[string]string{"account_id": "28"}}); err != nil {
			t.Fatal(err)
		}
		cookies[i] = signedInCookies(t, f.e, email, "a password")
	}
	h := f.e.srv.Config.Handler

	// One person's load after the expiry gives the set of reloads.
	_, single := f.count(t, f.customerCookies, d)
	for _, c := range cookies {
		loadDashboard(t, h, c, d)
	}
	f.cs.take()
	f.clock.advance(2 * time.Minute)

	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range people * tabs {
		wg.Go(func() {
			<-start
			loadDashboard(t, h, cookies[i%people], d)
		})
	}
	close(start)
	wg.Wait()
	got := splitSessions(f.cs.take())
	t.Logf("%d concurrent loads after the expiry: %d calls %v; one load: %v", people*tabs, total(got.calls), got.calls, single.calls)
	if diff := cmp.Diff(single.calls, got.calls); diff != "" {
		t.Errorf("app-database calls of %d concurrent loads after the expiry vs one load's (-one +concurrent):\n%s", people*tabs, diff)
	}
	if got.sessions > people {
		t.Errorf("%d session look-ups for %d people, want at most one each", got.sessions, people)
	}
}

// TestDashboardBreadcrumbsFollowCollectionRename renames the collection a
// dashboard is in right after the dashboard page was shown: the next page
// names the collection by its new name, although the page reads the
// collections through a cache.
func TestDashboardBreadcrumbsFollowCollectionRename(t *testing.T) {
	f := setupDashboardCalls(t, t, 3)
	d := f.bySize[3]
	page := func() string {
		t.Helper()
		req := cookieRequest("GET", "/dashboard/"+itoa(d.ID), f.adminCookies)
		rec := serveRequest(f.e.srv.Config.Handler, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /dashboard/%d = %d", d.ID, rec.Code)
		}
		return rec.Body.String()
	}
	const renamed = "Customer dashboards, renamed"
	if before := page(); strings.Contains(before, renamed) {
		t.Fatalf("the page names %q before the rename", renamed)
	}
	name := renamed
	if _, err := f.e.app.UpdateCollection(context.Background(), f.admin, d.CollectionID, app.CollectionEdit{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if after := page(); !strings.Contains(after, `<a href="/collection/`+itoa(d.CollectionID)+`">`+renamed+`</a>`) {
		t.Errorf("after renaming its collection the dashboard page's breadcrumbs do not name %q", renamed)
	}
}

func cookieRequest(method, path string, cookies []*http.Cookie) *http.Request {
	req := httptest.NewRequest(method, path, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return req
}

func serveRequest(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestRunCardAgainNoAppDBCalls runs a saved question twice as a
// sandboxed customer: the second run reads nothing from the app database.
// Once an administrator archives the question, the next run says so: the
// cached question went with the write.
func TestRunCardAgainNoAppDBCalls(t *testing.T) {
	f := setupHot(t, t)
	h := f.e.srv.Config.Handler
	path := fmt.Sprintf("/api/card/%d/query", f.small)
	hotPost(t, h, f.customerCookies, path, "")
	f.cs.take()
	hotPost(t, h, f.customerCookies, path, "")
	if got := splitSessions(f.cs.take()); total(got.calls) != 0 {
		t.Errorf("second run of the question: %d app-database calls %v, want none", total(got.calls), got.calls)
	}
	ctx := context.Background()
	c, err := f.e.app.Card(ctx, f.admin, f.small)
	if err != nil {
		t.Fatal(err)
	}
	c.Archived = true
	if _, err := f.e.app.UpdateCard(ctx, f.admin, c); err != nil {
		t.Fatal(err)
	}
	rec := serveRequest(h, cookieJSONRequest("POST", path, f.customerCookies))
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "archived") {
		t.Errorf("POST %s after archiving = %d %.200s, want 400 saying it is archived", path, rec.Code, rec.Body.String())
	}
}

func cookieJSONRequest(method, path string, cookies []*http.Cookie) *http.Request {
	req := cookieRequest(method, path, cookies)
	req.Header.Set("Content-Type", "application/json")
	return req
}

// TestWarmDashboardLoadWithAppDBClosed loads a 16-card dashboard once as
// a sandboxed customer and once as an administrator, then closes the app
// database and loads it again as both: every request still answers, the
// page still names its collection, and each card gives the same rows as
// before. Any statement sent to the app database would fail now, so none
// is, whatever store method it would come from.
func TestWarmDashboardLoadWithAppDBClosed(t *testing.T) {
	f := setupDashboardCalls(t, t, dashLoadCards)
	d := f.bySize[dashLoadCards]
	h := f.e.srv.Config.Handler
	type load struct {
		page  string
		cards []string
	}
	run := func(cookies []*http.Cookie) load {
		t.Helper()
		var l load
		rec := serveRequest(h, cookieRequest("GET", "/dashboard/"+itoa(d.ID), cookies))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /dashboard/%d = %d %.300s", d.ID, rec.Code, rec.Body.String())
		}
		l.page = rec.Body.String()
		for _, dc := range d.Cards {
			req := httptest.NewRequest("POST", fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", d.ID, dc.ID, dc.CardID), strings.NewReader(`{"parameters": []}`))
			req.Header.Set("Content-Type", "application/json")
			for _, c := range cookies {
				req.AddCookie(c)
			}
			rec := serveRequest(h, req)
			if rec.Code != http.StatusAccepted {
				t.Fatalf("card %d = %d %.300s", dc.ID, rec.Code, rec.Body.String())
			}
			var answer struct {
				Data struct {
					Rows json.RawMessage `json:"rows"`
				} `json:"data"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
				t.Fatal(err)
			}
			l.cards = append(l.cards, string(answer.Data.Rows))
		}
		return l
	}
	people := []struct {
		name    string
		cookies []*http.Cookie
	}{{"sandboxed", f.customerCookies}, {"admin", f.adminCookies}}
	before := map[string]load{}
	for _, p := range people {
		before[p.name] = run(p.cookies)
	}
	if err := f.e.db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		t.Run(p.name, func(t *testing.T) {
			after := run(p.cookies)
			crumb := `<a href="/collection/` + itoa(d.CollectionID) + `">`
			if !strings.Contains(after.page, crumb) {
				t.Errorf("with the app database closed the page's breadcrumbs lost the dashboard's collection")
			}
			if diff := cmp.Diff(before[p.name].cards, after.cards); diff != "" {
				t.Errorf("cards' rows with the app database closed (-before +after):\n%s", diff)
			}
		})
	}
}
