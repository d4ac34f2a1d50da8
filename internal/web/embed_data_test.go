package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sightline"
	"sightline/internal/app"
)

// TestStaticEmbedValues checks the filter values of static embeds: an
// editable filter's values are those of the locked account only, and
// locked, disabled and unknown filters offer none.
func TestStaticEmbedValues(t *testing.T) {
	e := newEnv(t, nil)
	lf := setupLeakFixture(t, e)
	lf.addEmbed(t, e)
	f := lf.embed
	dash := map[string]any{"dashboard": f.dash}
	values := func(tok, param, qs string) string {
		return fmt.Sprintf("/api/embed/dashboard/%s/params/%s/values%s", tok, param, qs)
	}
	locked := func(v any) string { return f.sign(t, dash, map[string]any{"account_id": v}) }
	question := f.sign(t, map[string]any{"question": f.card}, map[string]any{"account_id": 28})
	manyAccounts := []any{}
	for i := 1; i <= 60; i++ {
		manyAccounts = append(manyAccounts, i)
	}
	for _, c := range []struct {
		name, path string
		status     int
		want       string
	}{
		{"editable filter lists the locked account's values", values(locked(28), "plan", ""), 200, `{"has_more_values":false,"values":[["Basic"]]}`},
		{"a list of locked accounts lists theirs", values(locked(manyAccounts), "plan", ""), 200, `"values":[["Basic"],["Business"],["Premium"]]`},
		{"editable values from the query string are accepted", values(locked(28), "plan", "?plan=Premium"), 200, `[["Basic"]]`},
		{"locked filter offers none", values(locked(28), "acct", ""), 403, "The filter Account is locked: its value comes from the token, so it offers no values."},
		{"disabled filter offers none", values(locked(28), "int", ""), 400, "The filter Internal is disabled for embedding, so it offers no values."},
		{"unknown filter", values(locked(28), "nope", ""), 404, "not found"},
		{"query string cannot set the locked value", values(locked(28), "plan", "?account_id=29"), 400, "You can't specify a value for :account_id in the URL"},
		{"expired or bad token", values("x.y.z", "plan", ""), 400, "could not be verified"},
		{"question: locked variable offers none", fmt.Sprintf("/api/embed/card/%s/params/account_id/values", question), 403, "is locked"},
		{"question: unknown variable", fmt.Sprintf("/api/embed/card/%s/params/nope/values", question), 404, `The question has no variable \"nope\".`},
	} {
		t.Run(c.name, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.do(e.client(), "GET", c.path, "", "")
			if r.status != c.status || !strings.Contains(r.body, c.want) {
				t.Errorf("GET %s = %d %.300s, want %d %q", c.path, r.status, r.body, c.status, c.want)
			}
		})
	}
}

// TestStaticEmbedDownloads downloads a published question and dashboard
// card as files, filtered by the token's locked values as the run routes
// are, with the same refusals.
func TestStaticEmbedDownloads(t *testing.T) {
	e := newEnv(t, nil)
	lf := setupLeakFixture(t, e)
	lf.addEmbed(t, e)
	f := lf.embed
	dash := map[string]any{"dashboard": f.dash}
	tok := f.sign(t, dash, map[string]any{"account_id": 28})
	question := f.sign(t, map[string]any{"question": f.card}, map[string]any{"account_id": 28})
	dashcard := func(dc, card int64, format, qs string) string {
		return fmt.Sprintf("/api/embed/dashboard/%s/dashcard/%d/card/%d/%s%s", tok, dc, card, format, qs)
	}
	for _, c := range []struct {
		name, path string
		status     int
		want       string // the count of a CSV, or a part of the body
		file       string
	}{
		{"question as CSV", fmt.Sprintf("/api/embed/card/%s/query/csv", question), 200, "count=22", "Invoices of an account"},
		{"question as JSON", fmt.Sprintf("/api/embed/card/%s/query/json", question), 200, `":22}]`, "Invoices of an account"},
		{"question as XLSX", fmt.Sprintf("/api/embed/card/%s/query/xlsx", question), 200, "PK", "Invoices of an account"},
		{"question: query string cannot set the locked value", fmt.Sprintf("/api/embed/card/%s/query/csv?account_id=29", question), 400, "in the URL", ""},
		{"question: unknown format", fmt.Sprintf("/api/embed/card/%s/query/pdf", question), 400, "Unknown download format", ""},
		{"dashboard card as CSV", dashcard(f.filtered, lf.countCard, "csv", ""), 200, "count=22", "Invoice count"},
		{"editable value narrows the download", dashcard(f.filtered, lf.countCard, "csv", "?plan=Premium"), 200, "count=0", "Invoice count"},
		{"card the locked filter is not wired to", dashcard(f.unwired, lf.accountsCard, "csv", ""), 403, "This card is not filtered by Account", ""},
		{"card marked safe to show unfiltered, on a sandboxed table", dashcard(f.unfilteredOK, lf.countCard, "csv", ""), 403, "sandboxed for some people", ""},
		{"question token on a dashboard download", fmt.Sprintf("/api/embed/dashboard/%s/dashcard/%d/card/%d/csv", question, f.filtered, lf.countCard), 400, "names a question, not a dashboard", ""},
		{"dashboard token on a question download", fmt.Sprintf("/api/embed/card/%s/query/csv", tok), 400, "names a dashboard, not a question", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.do(e.client(), "GET", c.path, "", "")
			got := r.body
			if r.status == http.StatusOK && strings.HasSuffix(strings.SplitN(c.path, "?", 2)[0], "/csv") {
				got = countOfCSV(t, r.body)
			}
			if r.status != c.status || !strings.Contains(got, c.want) {
				t.Fatalf("GET %s = %d %.300s, want %d %q", c.path, r.status, r.body, c.status, c.want)
			}
			if c.file != "" {
				if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, url.PathEscape(c.file)) && !strings.Contains(cd, c.file) {
					t.Errorf("Content-Disposition = %q, want an attachment named after %q", cd, c.file)
				}
			}
			if len(r.header.Values("Set-Cookie")) > 0 {
				t.Errorf("a token route set a cookie")
			}
		})
	}
}

// TestPublicLinkValuesAndDownloads checks the filter values and downloads
// of public links on the unsandboxed products table, and their refusal on
// the sandboxed invoices.
func TestPublicLinkValuesAndDownloads(t *testing.T) {
	e := newEnv(t, nil)
	f := setupPublicFixture(t, e)
	ctx := context.Background()
	card, err := e.app.CreatePublicLink(ctx, e.adminUser(), sightline.PublicCard, f.products)
	if err != nil {
		t.Fatal(err)
	}
	dash, err := e.app.CreatePublicLink(ctx, e.adminUser(), sightline.PublicDashboard, f.productsDash)
	if err != nil {
		t.Fatal(err)
	}
	admin := f.clients["admin"]
	all := countOfDataset(t, e.do(admin, "POST", fmt.Sprintf("/api/card/%d/query", f.products), "", "").body)
	gizmo := countOfDataset(t, e.postJSON(admin, fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", f.productsDash, f.productsDashcard, f.products),
		`{"parameters": [{"id": "category", "value": ["Gizmo"]}]}`).body)
	download := fmt.Sprintf("/api/public/dashboard/%s/dashcard/%d/card/%d/csv", dash, f.productsDashcard, f.products)
	var category int64
	tables, err := e.app.Tables(ctx, e.adminUser(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		for _, fl := range tb.Fields {
			if tb.Name == "PRODUCTS" && fl.Name == "CATEGORY" {
				category = fl.ID
			}
		}
	}
	gizmoParams := url.QueryEscape(fmt.Sprintf(`[{"type": "category", "target": ["dimension", ["field", %d, null]], "value": ["Gizmo"]}]`, category))
	for _, c := range []struct {
		name, method, path, ct, body string
		status                       int
		want                         string
	}{
		{"dashboard filter values", "GET", "/api/public/dashboard/" + dash + "/params/category/values", "", "", 200,
			`{"has_more_values":false,"values":[["Doohickey"],["Gadget"],["Gizmo"],["Widget"]]}`},
		{"unknown dashboard filter", "GET", "/api/public/dashboard/" + dash + "/params/nope/values", "", "", 404, "not found"},
		{"sandboxed dashboard's filter values", "GET", "/api/public/dashboard/" + f.publicDash + "/params/plan/values", "", "", 403, "sandboxed for some people"},
		{"question without variables", "GET", "/api/public/card/" + card + "/params/category/values", "", "", 404, `no variable`},
		{"question as CSV", "GET", "/api/public/card/" + card + "/query/csv", "", "", 200, all},
		{"question as CSV with a filter on a column", "GET", "/api/public/card/" + card + "/query/csv?parameters=" + gizmoParams, "", "", 200, gizmo},
		{"sandboxed question as CSV", "GET", "/api/public/card/" + f.publicCard + "/query/csv", "", "", 403, "sandboxed for some people"},
		{"dashboard card as CSV, JSON filter", "POST", download, "application/json", `{"parameters": [{"id": "category", "value": ["Gizmo"]}]}`, 200, gizmo},
		{"dashboard card as CSV, form filter", "POST", download, "application/x-www-form-urlencoded",
			"parameters=" + url.QueryEscape(`[{"id": "category", "value": ["Gizmo"]}]`), 200, gizmo},
		{"dashboard card as CSV, no filter", "POST", download, "", "", 200, all},
		{"dashboard card with a bad filter", "POST", download, "application/x-www-form-urlencoded", "parameters=nope", 400, "must be a JSON list"},
		{"revoked or unknown link", "GET", "/api/public/card/00000000-0000-4000-8000-000000000000/query/csv", "", "", 404, "does not exist or was revoked"},
	} {
		t.Run(c.name, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.do(e.client(), c.method, c.path, c.ct, c.body)
			got := r.body
			csv := strings.HasSuffix(strings.SplitN(c.path, "?", 2)[0], "/csv")
			if r.status == http.StatusOK && csv {
				got = countOfCSV(t, r.body)
			}
			if r.status != c.status || !strings.Contains(got, c.want) {
				t.Fatalf("%s %s = %d %.300s, want %d %q", c.method, c.path, r.status, r.body, c.status, c.want)
			}
			if r.status == http.StatusOK && csv && !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") {
				t.Errorf("Content-Disposition = %q, want an attachment", r.header.Get("Content-Disposition"))
			}
		})
	}
}

// TestUnfilteredMarkAdminsOnly checks that only administrators set, move
// or swap the question under a dashcard's mark that it is safe to show
// unfiltered in embeds, on every path that saves dashcards.
func TestUnfilteredMarkAdminsOnly(t *testing.T) {
	e := newEnv(t, nil)
	lf := setupLeakFixture(t, e)
	lf.addEmbed(t, e)
	f := lf.embed
	user, admin := lf.clients["unrestricted"], lf.clients["admin"]
	dashPath := fmt.Sprintf("/api/dashboard/%d", f.dash)
	mark := `"visualization_settings": {"embed.unfiltered_ok": true}`
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"person swaps the question under a mark", "PUT", dashPath, fmt.Sprintf(`{"dashcards": [{"id": %d, "card_id": %d, "size_x": 4, "size_y": 4, %s}]}`,
			f.unfilteredOK, lf.accountsCard, mark), 403, "Only administrators may mark a card as safe to show unfiltered in embeds."},
		{"person moves a mark to another dashcard", "PUT", dashPath, fmt.Sprintf(`{"dashcards": [{"id": %d, "card_id": %d, "size_x": 4, "size_y": 4, %s}]}`,
			f.unwired, lf.accountsCard, mark), 403, "safe to show unfiltered"},
		{"person creates a dashboard with a mark", "POST", "/api/dashboard", fmt.Sprintf(`{"name": "Mine", "dashcards": [{"id": -1, "card_id": %d, "size_x": 4, "size_y": 4, %s}]}`,
			lf.countCard, mark), 403, "safe to show unfiltered"},
		{"person keeps an administrator's mark while editing", "PUT", dashPath, fmt.Sprintf(`{"dashcards": [{"id": %d, "card_id": %d, "size_x": 6, "size_y": 4, %s}]}`,
			f.unfilteredOK, lf.countCard, mark), 200, `"embed.unfiltered_ok":true`},
	} {
		t.Run(c.name, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.do(user, c.method, c.path, "application/json", c.body)
			if r.status != c.status || !strings.Contains(r.body, c.want) {
				t.Errorf("%s %s %s = %d %.300s, want %d %q", c.method, c.path, c.body, r.status, r.body, c.status, c.want)
			}
		})
	}
	// A copy made by a person drops the mark; an administrator's keeps it.
	for _, c := range []struct {
		who  *http.Client
		name string
		kept bool
	}{{user, "person", false}, {admin, "administrator", true}} {
		r := e.do(c.who, "POST", dashPath+"/copy", "", "")
		if r.status != http.StatusOK {
			t.Fatalf("copy as %s = %d %.300s", c.name, r.status, r.body)
		}
		if got := strings.Contains(r.body, "embed.unfiltered_ok"); got != c.kept {
			t.Errorf("copy as %s keeps the mark = %v, want %v: %.500s", c.name, got, c.kept, r.body)
		}
	}
	if r := e.do(admin, "POST", "/api/dashboard", "application/json", fmt.Sprintf(`{"name": "Admin's", "dashcards": [{"id": -1, "card_id": %d, "size_x": 4, "size_y": 4, %s}]}`,
		lf.countCard, mark)); r.status != http.StatusOK {
		t.Errorf("an administrator creating a dashboard with a mark = %d %.300s, want 200", r.status, r.body)
	}
}

// TestStaticEmbedContract checks the vendor's token payloads that the
// other embed tests leave out: unsigned tokens, editable values that mean
// "no filter", multi-value editable values, tokens naming the wrong kind
// of item, and unpublished or archived items.
func TestStaticEmbedContract(t *testing.T) {
	e := newEnv(t, nil)
	lf := setupLeakFixture(t, e)
	lf.addEmbed(t, e)
	f := lf.embed
	dash := map[string]any{"dashboard": f.dash}
	question := map[string]any{"question": f.card}
	claims := func(resource, params map[string]any) jwt.MapClaims {
		return jwt.MapClaims{"resource": resource, "params": params, "exp": time.Now().Add(time.Minute).Unix()}
	}
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims(dash, map[string]any{"account_id": 28})).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	// A token whose header says "none" but carries an HS256 signature.
	parts := strings.Split(f.sign(t, dash, map[string]any{"account_id": 28}), ".")
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "." + parts[2]
	dashcard := func(tok string, qs string) string {
		return fmt.Sprintf("/api/embed/dashboard/%s/dashcard/%d/card/%d%s", tok, f.filtered, lf.countCard, qs)
	}
	unpublishedCard := f.sign(t, map[string]any{"question": lf.countCard}, nil)
	for _, c := range []struct {
		name, path string
		status     int
		want       string
	}{
		{"alg none", dashcard(none, ""), 400, "sign it with HS256"},
		{"alg none header on a signed token", dashcard(noneHeader, ""), 400, "sign it with HS256"},
		{"editable null means no filter", dashcard(f.sign(t, dash, map[string]any{"account_id": 28, "plan": nil}), ""), 202, "count=22"},
		{"editable list from the token", dashcard(f.sign(t, dash, map[string]any{"account_id": 28, "plan": []any{"Premium", "Business"}}), ""), 202, "count=0"},
		{"editable empty value from the query string means no filter", dashcard(f.sign(t, dash, map[string]any{"account_id": 28}), "?plan="), 202, "count=22"},
		{"locked list from the token", dashcard(f.sign(t, dash, map[string]any{"account_id": []any{28}}), ""), 202, "count=22"},
		{"dashboard token on the question route", "/api/embed/card/" + f.sign(t, dash, map[string]any{"account_id": 28}) + "/query", 400, "This token names a dashboard, not a question."},
		{"dashboard token on the question definition", "/api/embed/card/" + f.sign(t, dash, map[string]any{"account_id": 28}), 400, "names a dashboard, not a question"},
		{"question token on the dashboard definition", "/api/embed/dashboard/" + f.sign(t, question, map[string]any{"account_id": 28}), 400, "names a question, not a dashboard"},
		{"unpublished question", "/api/embed/card/" + unpublishedCard + "/query", 400, "Embedding is not enabled for this object."},
		{"unknown dashboard", dashcard(f.sign(t, map[string]any{"dashboard": 9999}, nil), ""), 404, "not found"},
		{"resource naming nothing", dashcard(f.sign(t, map[string]any{"collection": 1}, nil), ""), 400, "must name a dashboard or a question"},
		{"resource id that is not a number", dashcard(f.sign(t, map[string]any{"dashboard": "two"}, nil), ""), 400, "must be a whole number"},
		{"question: locked value as a list", "/api/embed/card/" + f.sign(t, question, map[string]any{"account_id": []any{28}}) + "/query", 202, "count=22"},
	} {
		t.Run(c.name, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.do(e.client(), "GET", c.path, "", "")
			got := r.body
			if r.status == http.StatusAccepted {
				got = countOfDataset(t, r.body)
			}
			if r.status != c.status || !strings.Contains(got, c.want) {
				t.Errorf("GET %s = %d %.300s, want %d %q", c.path, r.status, r.body, c.status, c.want)
			}
		})
	}
	t.Run("archived items", func(t *testing.T) {
		se := *e
		se.t = t
		admin := lf.clients["admin"]
		tok := f.sign(t, question, map[string]any{"account_id": 28})
		dtok := f.sign(t, dash, map[string]any{"account_id": 28})
		for _, p := range []string{fmt.Sprintf("/api/card/%d", f.card), fmt.Sprintf("/api/dashboard/%d", f.dash)} {
			if r := se.do(admin, "PUT", p, "application/json", `{"archived": true}`); r.status != http.StatusOK {
				t.Fatalf("archive %s = %d %.300s", p, r.status, r.body)
			}
		}
		for _, p := range []string{"/api/embed/card/" + tok + "/query", "/api/embed/dashboard/" + dtok, dashcard(dtok, "")} {
			if r := se.do(e.client(), "GET", p, "", ""); r.status != http.StatusNotFound || !strings.Contains(r.body, "not found") {
				t.Errorf("GET %s of an archived item = %d %.300s, want 404", p, r.status, r.body)
			}
		}
	})
}

// TestStaticEmbedQuestionValues checks the values of a published SQL
// question's field filter: offered while the token locks nothing, but
// never from a table sandboxed for anyone, since no locked value filters
// it.
func TestStaticEmbedQuestionValues(t *testing.T) {
	e := newEnv(t, nil)
	f := setupPublicFixture(t, e)
	f.addEmbed(t, e)
	ctx := context.Background()
	a, admin := e.app, e.adminUser()
	tables, err := a.Tables(ctx, admin, f.db)
	if err != nil {
		t.Fatal(err)
	}
	var category int64
	for _, tb := range tables {
		for _, fl := range tb.Fields {
			if tb.Name == "PRODUCTS" && fl.Name == "CATEGORY" {
				category = fl.ID
			}
		}
	}
	publish := func(name, sql string, field int64) int64 {
		c, err := a.CreateCard(ctx, admin, &sightline.Card{Name: name, Display: "number",
			Query: &sightline.Query{Database: f.db, Type: sightline.QueryTypeNative, Native: &sightline.NativeQuery{SQL: sql,
				TemplateTags: []sightline.TemplateTag{{ID: "f1", Name: "filter", DisplayName: "Filter", Type: sightline.TagDimension,
					Dimension: &sightline.FieldRef{ID: field}, WidgetType: "category"}}}},
			EnableEmbedding: true, EmbeddingParams: map[string]string{"filter": sightline.EmbedEnabled}})
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	products := publish("Products by category", "SELECT COUNT(*) FROM PRODUCTS WHERE {{filter}}", category)
	invoices := publish("Invoices by plan", "SELECT COUNT(*) FROM INVOICES WHERE {{filter}}", f.plan)
	for _, c := range []struct {
		name   string
		card   int64
		status int
		want   string
	}{
		{"field of an unsandboxed table", products, 200, `{"has_more_values":false,"values":[["Doohickey"],["Gadget"],["Gizmo"],["Widget"]]}`},
		{"field of a sandboxed table", invoices, 403, "sandboxed for some people"},
	} {
		t.Run(c.name, func(t *testing.T) {
			se := *e
			se.t = t
			path := fmt.Sprintf("/api/embed/card/%s/params/filter/values", f.embed.sign(t, map[string]any{"question": c.card}, nil))
			r := se.do(e.client(), "GET", path, "", "")
			if r.status != c.status || !strings.Contains(r.body, c.want) {
				t.Errorf("GET %s = %d %.300s, want %d %q", path, r.status, r.body, c.status, c.want)
			}
		})
	}
}

// TestLockedValueHoldsOnEveryColumn wires the locked account filter to two
// columns of one card (the invoice's account and the invoice's own id). A
// signed-in dashboard keeps the rows where either column matches; a token's
// locked value must hold on both, so it never reaches another account's
// invoice through the second column.
func TestLockedValueHoldsOnEveryColumn(t *testing.T) {
	e := newEnv(t, nil)
	lf := setupLeakFixture(t, e)
	lf.addEmbed(t, e)
	ctx := context.Background()
	a, admin := e.app, e.adminUser()
	tables, err := a.Tables(ctx, admin, lf.db)
	if err != nil {
		t.Fatal(err)
	}
	var acct, id int64
	for _, tb := range tables {
		if tb.ID != lf.inv {
			continue
		}
		for _, fl := range tb.Fields {
			switch fl.Name {
			case "ACCOUNT_ID":
				acct = fl.ID
			case "ID":
				id = fl.ID
			}
		}
	}
	if acct == 0 || id == 0 {
		t.Fatal("INVOICES has no ACCOUNT_ID or ID")
	}
	target := func(field int64) json.RawMessage {
		return json.RawMessage(fmt.Sprintf(`["dimension", ["field", %d, null]]`, field))
	}
	d, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Two columns",
		Parameters: []sightline.DashboardParameter{{ID: "acct", Name: "Account", Slug: "account_id", Type: "id"}},
		Cards: []sightline.DashboardCard{{CardID: lf.countCard, SizeX: 4, SizeY: 4, Mappings: []sightline.ParameterMapping{
			{ParameterID: "acct", CardID: lf.countCard, Target: target(acct)},
			{ParameterID: "acct", CardID: lf.countCard, Target: target(id)}}}},
		EnableEmbedding: true, EmbeddingParams: map[string]string{"account_id": sightline.EmbedLocked}})
	if err != nil {
		t.Fatal(err)
	}
	if d, err = a.Dashboard(ctx, admin, d.ID); err != nil {
		t.Fatal(err)
	}
	count := func(op string) int64 {
		q := &sightline.Query{Database: lf.db, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
			SourceTable: lf.inv, Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}},
			Filter: &sightline.Logical{Op: op, Args: []sightline.Expr{
				&sightline.Compare{Op: sightline.OpEq, Left: &sightline.FieldRef{ID: acct}, Values: []sightline.Expr{&sightline.Value{V: int64(28)}}},
				&sightline.Compare{Op: sightline.OpEq, Left: &sightline.FieldRef{ID: id}, Values: []sightline.Expr{&sightline.Value{V: int64(28)}}}}}}}
		res, err := a.RunQuery(ctx, admin, q, app.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		n, _ := res.Rows[0][0].(int64)
		return n
	}
	both, either := count(sightline.OpAnd), count(sightline.OpOr)
	if both == either {
		t.Fatalf("the fixture cannot tell the rules apart: %d rows either way", both)
	}
	tok := lf.embed.sign(t, map[string]any{"dashboard": d.ID}, map[string]any{"account_id": 28})
	path := fmt.Sprintf("/api/embed/dashboard/%s/dashcard/%d/card/%d", tok, d.Cards[0].ID, lf.countCard)
	r := e.do(e.client(), "GET", path, "", "")
	if want := fmt.Sprintf(`"rows":[[%d]]`, both); r.status != 202 || !strings.Contains(r.body, want) {
		t.Errorf("GET %s = %d %.300s, want 202 with %s (both columns 28; either column would give %d)", path, r.status, r.body, want, either)
	}
}
