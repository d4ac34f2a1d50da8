package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"sightline"
)

// TestXRaySaveAndRun generates the INVOICES X-ray, saves it, and runs every
// card of the saved dashboard through the dashcard API.
func TestXRaySaveAndRun(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	inv, _ := invoicesMeta(t, e)

	r := e.do(admin, "GET", fmt.Sprintf("/api/automagic-dashboards/table/%d", inv), "", "")
	if r.status != 200 || !strings.Contains(r.body, "A look at your Invoices table") {
		t.Fatalf("GET X-ray = %d %.300s", r.status, r.body)
	}
	r = e.postJSON(admin, "/api/dashboard/save", r.body)
	var d sightline.Dashboard
	if err := json.Unmarshal([]byte(r.body), &d); err != nil || r.status != 200 || d.ID == 0 {
		t.Fatalf("POST /api/dashboard/save = %d %.300s", r.status, r.body)
	}
	r = e.do(admin, "GET", fmt.Sprintf("/api/collection/%d", d.CollectionID), "", "")
	if !strings.Contains(r.body, sightline.AutoDashboardsCollectionName) {
		t.Errorf("saved X-ray sits in %s, want %q", r.body, sightline.AutoDashboardsCollectionName)
	}
	r = e.do(admin, "GET", fmt.Sprintf("/api/dashboard/%d", d.ID), "", "")
	json.Unmarshal([]byte(r.body), &d)
	charts := 0
	for _, dc := range d.Cards {
		if dc.CardID == 0 {
			continue
		}
		r := e.postJSON(admin, fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", d.ID, dc.ID, dc.CardID), `{"parameters": []}`)
		var ds dataset
		if err := json.Unmarshal([]byte(r.body), &ds); err != nil || r.status != http.StatusAccepted {
			t.Errorf("card %q = %d %.200s", dc.Card.Name, r.status, r.body)
			continue
		}
		if len(ds.Data.Rows) > 0 {
			charts++
		}
	}
	if charts < 8 {
		t.Errorf("%d cards with data, want at least 8", charts)
	}
	// A second X-ray saved goes into the same collection.
	r = e.do(admin, "GET", fmt.Sprintf("/api/automagic-dashboards/table/%d", inv), "", "")
	r = e.postJSON(admin, "/api/dashboard/save", r.body)
	var d2 sightline.Dashboard
	json.Unmarshal([]byte(r.body), &d2)
	if d2.CollectionID != d.CollectionID {
		t.Errorf("second X-ray saved into collection %d, want %d", d2.CollectionID, d.CollectionID)
	}

	// Turned off in Admin: refused with a message.
	if r := e.do(admin, "PUT", "/api/setting/enable-xrays", "application/json", `{"value": false}`); r.status != 204 {
		t.Fatalf("turn X-rays off = %d", r.status)
	}
	r = e.do(admin, "GET", fmt.Sprintf("/api/automagic-dashboards/table/%d", inv), "", "")
	if r.status != 403 || !strings.Contains(r.body, "X-rays are turned off") {
		t.Errorf("X-ray while off = %d %s, want 403", r.status, r.body)
	}
}
