package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// hostileMarkup is text that becomes an element if a page ever draws it as
// HTML. The page's CSP would stop its handler from running, so the test
// looks for the element itself, not only for the handler's effect.
const hostileMarkup = `<img src=x onerror=window.__xss=1>`

// injected counts what hostile text would have added to the page: elements
// with an inline handler, images of the planted address, and the flag the
// handler sets.
const injectedJS = `(() => {
	const tip = [...document.querySelectorAll("div")].filter((d) => d.style && d.style.zIndex === "9999999");
	return document.querySelectorAll("[onerror], img[src='x']").length + (window.__xss ? 100 : 0) +
		tip.reduce((n, d) => n + d.querySelectorAll("img").length, 0);
})()`

// TestStoredTextStaysText plants markup in everything a curator names (a
// question, its SQL column aliases and values, a dashboard, its
// description and filter) and Markdown in a filter's value, then opens the
// dashboard and the question: each shows the text as typed, and a filter's
// value in a text card is text, never a link, heading or emphasis of its own.
func TestStoredTextStaysText(t *testing.T) {
	s, api := startWithSample(t)
	db, _, _ := invoicesFields(t, s, api)
	sql := fmt.Sprintf(`SELECT PLAN || '%s' AS "%s", COUNT(*) AS "n %s" FROM INVOICES GROUP BY PLAN`, hostileMarkup, hostileMarkup, hostileMarkup)
	card, err := json.Marshal(map[string]any{"name": hostileMarkup, "description": hostileMarkup, "display": "bar",
		"dataset_query": map[string]any{"database": db, "type": "native", "native": map[string]any{"query": sql}}})
	if err != nil {
		t.Fatal(err)
	}
	st, body := apiCall(t, api, "POST", s.URL+"/api/card", string(card))
	var c struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(body, &c); st != 200 || c.ID == 0 {
		t.Fatalf("create the question = %d %s", st, body)
	}
	dash, err := json.Marshal(map[string]any{"name": hostileMarkup, "description": hostileMarkup,
		"parameters": []any{map[string]any{"id": "plan", "name": hostileMarkup, "slug": "plan", "type": "category"}},
		"dashcards": []any{
			map[string]any{"card_id": c.ID, "row": 0, "col": 0, "size_x": 12, "size_y": 6},
			map[string]any{"row": 6, "col": 0, "size_x": 12, "size_y": 3, "visualization_settings": map[string]any{
				"virtual_card": map[string]any{"display": "text"}, "text": "# Plan {{plan}}\nChosen: **{{plan}}**"}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	st, body = apiCall(t, api, "POST", s.URL+"/api/dashboard", string(dash))
	var d struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(body, &d); st != 200 || d.ID == 0 {
		t.Fatalf("create the dashboard = %d %s", st, body)
	}

	ctx := browser(t)
	signIn(t, ctx, s.URL)

	t.Run("dashboard", func(t *testing.T) {
		// A link someone is sent: Markdown and a new line in the filter's
		// values, which the text card must show as typed.
		link := "[Sign in again](https://evil.example/login)"
		heading := "Basic\n# Your session expired"
		q := url.Values{"plan": {link, heading, hostileMarkup}}
		do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/dashboard/%d?%s", s.URL, d.ID, q.Encode())))
		if st := waitCards(t, ctx, "#dashboard"); len(st.Failed) > 0 {
			t.Fatalf("dashboard cards: %+v", st)
		}
		// Show the chart's tooltip, which ECharts draws as HTML.
		eval[bool](t, ctx, `(() => { const box = document.querySelector(".viz-chart");
			const chart = box && window.echarts.getInstanceByDom(box);
			if (chart) chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 0});
			return !!chart; })()`)
		if n := eval[int](t, ctx, injectedJS); n != 0 {
			t.Errorf("the dashboard drew %d elements or effects from stored text, want none", n)
		}
		got := eval[[]string](t, ctx, `(() => { const b = document.querySelector(".dash-text .dash-text-body");
			return [[...b.querySelectorAll("h3, h4, h5")].map((h) => h.textContent).join(" | "),
				String(b.querySelectorAll("a").length),
				[...b.querySelectorAll("strong")].map((s) => s.textContent).join(" | "),
				document.getElementById("dashboard-name").textContent,
				document.querySelector('.dash-filter[data-slug="plan"] label').firstChild.textContent]; })()`)
		values := link + ", " + heading + ", " + hostileMarkup
		want := []string{"Plan " + values, "0", values, hostileMarkup, hostileMarkup}
		if strings.Join(got, " / ") != strings.Join(want, " / ") {
			t.Errorf("the dashboard shows %q,\nwant %q", got, want)
		}
	})

	t.Run("names on other pages", func(t *testing.T) {
		// A person as a host app's token would name them, in a group and a
		// collection with planted names.
		group := createdID(t, api, s.URL+"/api/permissions/group", map[string]any{"name": hostileMarkup})
		person := createdID(t, api, s.URL+"/api/user", map[string]any{"first_name": hostileMarkup, "last_name": hostileMarkup,
			"email": "planted@example.com", "password": "a long enough secret", "group_ids": []int64{group},
			"login_attributes": map[string]string{"plan": hostileMarkup}})
		createdID(t, api, s.URL+"/api/collection", map[string]any{"name": hostileMarkup, "description": hostileMarkup})
		pages := []string{"/", "/collection/root", "/search?q=" + url.QueryEscape("img"), "/admin/people",
			fmt.Sprintf("/admin/people/%d", person), "/admin/groups", fmt.Sprintf("/admin/groups/%d", group),
			"/admin/permissions?tab=data", "/admin/audit"}
		for _, p := range pages {
			do(t, ctx, chromedp.Navigate(s.URL+p))
			waitTrue(t, ctx, `document.readyState === "complete"`)
			if n := eval[int](t, ctx, injectedJS); n != 0 {
				t.Errorf("%s drew %d elements or effects from stored text, want none", p, n)
			}
			if !eval[bool](t, ctx, fmt.Sprintf(`document.body.textContent.includes(%q)`, hostileMarkup)) {
				t.Errorf("%s does not show %q as typed", p, hostileMarkup)
			}
		}
	})

	t.Run("question", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/question/%d", s.URL, c.ID)))
		waitTrue(t, ctx, `!!document.querySelector("#viz canvas, #viz svg")`)
		eval[bool](t, ctx, `(() => { const box = document.querySelector("#viz .viz-chart");
			const chart = box && window.echarts.getInstanceByDom(box);
			if (chart) chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 0});
			return !!chart; })()`)
		if n := eval[int](t, ctx, injectedJS); n != 0 {
			t.Errorf("the question drew %d elements or effects from stored text, want none", n)
		}
		if got := eval[string](t, ctx, `document.title`); !strings.Contains(got, hostileMarkup) {
			t.Errorf("the question's title = %q, want it to hold %q as typed", got, hostileMarkup)
		}
	})
}

// createdID posts body to url as JSON and returns the id of what it created.
func createdID(t *testing.T, api *http.Client, url string, body any) int64 {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	st, resp := apiCall(t, api, "POST", url, string(b))
	var c struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(resp, &c); st != 200 || c.ID == 0 {
		t.Fatalf("POST %s = %d %s", url, st, resp)
	}
	return c.ID
}
