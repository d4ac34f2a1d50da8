package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sightline"
)

// embedSecret is the embedding secret key of the tests (64 hex characters).
const embedSecret = "4f1c0a7e9b2d3c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6"

// embedFixture is a dashboard and a SQL question published for static
// embedding on the leak fixture's Sample Database. The dashboard's filter
// account_id (named Account) is locked, plan is editable and internal is
// disabled; it shows the invoice count wired to both (filtered), the
// invoice accounts wired to neither (unwired), and the invoice count
// unwired but marked safe to show unfiltered (unfilteredOK).
type embedFixture struct {
	dash, card                      int64
	filtered, unwired, unfilteredOK int64
}

// sign returns a token for resource with params, signed with embedSecret
// and expiring in ten minutes.
func (f embedFixture) sign(t *testing.T, resource, params map[string]any) string {
	t.Helper()
	return signEmbed(t, jwt.SigningMethodHS256, []byte(embedSecret),
		jwt.MapClaims{"resource": resource, "params": params, "exp": time.Now().Add(10 * time.Minute).Unix()})
}

// preview returns a preview token for resource with params, whose
// _embedding_params lock account_id and leave plan editable (the item's
// saved modes do not apply to previews).
func (f embedFixture) preview(t *testing.T, resource, params map[string]any) string {
	t.Helper()
	return signEmbed(t, jwt.SigningMethodHS256, []byte(embedSecret),
		jwt.MapClaims{"resource": resource, "params": params, "exp": time.Now().Add(10 * time.Minute).Unix(),
			"_embedding_params": map[string]any{"account_id": sightline.EmbedLocked, "plan": sightline.EmbedEnabled}})
}

func signEmbed(t *testing.T, m jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// addEmbed publishes the embedding fixture on the leak fixture's database
// and turns static embedding on. It is kept out of setupLeakFixture so that
// the ids of the objects other tests create stay as their golden files say.
func (lf *leakFixture) addEmbed(t *testing.T, e *testEnv) {
	t.Helper()
	lf.embed = setupEmbedFixture(t, e, lf.db, lf.inv, lf.acct, lf.plan, lf.countCard, lf.accountsCard)
}

// setupEmbedFixture publishes the embedding fixture on database db and
// turns static embedding on.
func setupEmbedFixture(t *testing.T, e *testEnv, db, inv, acct, plan, countCard, accountsCard int64) embedFixture {
	t.Helper()
	ctx := context.Background()
	a, admin := e.app, e.adminUser()
	target := func(field int64) json.RawMessage {
		return json.RawMessage(fmt.Sprintf(`["dimension", ["field", %d, null]]`, field))
	}
	d, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Embedded invoices",
		Parameters: []sightline.DashboardParameter{{ID: "acct", Name: "Account", Slug: "account_id", Type: "id"},
			{ID: "plan", Name: "Plan", Slug: "plan", Type: "category"}, {ID: "int", Name: "Internal", Slug: "internal", Type: "category"}},
		Cards: []sightline.DashboardCard{
			{CardID: countCard, SizeX: 4, SizeY: 4, Mappings: []sightline.ParameterMapping{
				{ParameterID: "acct", CardID: countCard, Target: target(acct)}, {ParameterID: "plan", CardID: countCard, Target: target(plan)}}},
			{CardID: accountsCard, Row: 4, SizeX: 4, SizeY: 4},
			{CardID: countCard, Row: 8, SizeX: 4, SizeY: 4, VizSettings: json.RawMessage(`{"embed.unfiltered_ok": true}`)},
		},
		EnableEmbedding: true,
		EmbeddingParams: map[string]string{"account_id": sightline.EmbedLocked, "plan": sightline.EmbedEnabled, "internal": sightline.EmbedDisabled},
	})
	if err != nil {
		t.Fatal(err)
	}
	if d, err = a.Dashboard(ctx, admin, d.ID); err != nil {
		t.Fatal(err)
	}
	f := embedFixture{dash: d.ID}
	for _, dc := range d.Cards {
		switch {
		case len(dc.Mappings) > 0:
			f.filtered = dc.ID
		case dc.CardID == accountsCard:
			f.unwired = dc.ID
		default:
			f.unfilteredOK = dc.ID
		}
	}
	database, err := a.Database(ctx, admin, db)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := a.Tables(ctx, admin, db)
	if err != nil {
		t.Fatal(err)
	}
	quote := `"`
	if database.Engine == sightline.EngineMySQL {
		quote = "`"
	}
	from := quote + "INVOICES" + quote
	for _, tb := range tables {
		if tb.ID == inv && tb.Schema != "" {
			from = quote + tb.Schema + quote + "." + from
		}
	}
	sql := fmt.Sprintf("SELECT COUNT(*) AS n FROM %s WHERE 1 = 1 [[AND %sACCOUNT_ID%s = {{account_id}}]]", from, quote, quote)
	c, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Invoices of an account", Display: "number",
		Query: &sightline.Query{Database: db, Type: sightline.QueryTypeNative, Native: &sightline.NativeQuery{SQL: sql,
			TemplateTags: []sightline.TemplateTag{{ID: "a1", Name: "account_id", DisplayName: "Account", Type: sightline.TagNumber}}}},
		EnableEmbedding: true, EmbeddingParams: map[string]string{"account_id": sightline.EmbedLocked}})
	if err != nil {
		t.Fatal(err)
	}
	f.card = c.ID
	e.settings(map[string]string{sightline.SettingEmbeddingStatic: "true", sightline.SettingEmbeddingSecretKey: embedSecret})
	return f
}

// TestStaticEmbed checks the refusals of static embedding tokens and what
// locked, editable and disabled parameters do, on the Sample Database.
func TestStaticEmbed(t *testing.T) {
	e := newEnv(t, nil)
	lf := setupLeakFixture(t, e)
	lf.addEmbed(t, e)
	f := lf.embed
	anon := e.client()
	dash := map[string]any{"dashboard": f.dash}
	card := func(tok string, dc, c int64, qs string) string {
		return fmt.Sprintf("/api/embed/dashboard/%s/dashcard/%d/card/%d%s", tok, dc, c, qs)
	}
	locked := func(v any) string { return f.sign(t, dash, map[string]any{"account_id": v}) }
	count29 := func() string {
		r := e.do(anon, "GET", card(locked(29), f.filtered, lf.countCard, ""), "", "")
		if r.status != http.StatusAccepted {
			t.Fatalf("account 29 = %d %s", r.status, r.body)
		}
		return countOfDataset(t, r.body)
	}()
	n29 := 0
	fmt.Sscanf(count29, "count=%d", &n29)
	wrongKey := signEmbed(t, jwt.SigningMethodHS256, []byte(strings.Repeat("0", 64)),
		jwt.MapClaims{"resource": dash, "params": map[string]any{"account_id": 28}})
	expired := signEmbed(t, jwt.SigningMethodHS256, []byte(embedSecret),
		jwt.MapClaims{"resource": dash, "params": map[string]any{"account_id": 28}, "exp": time.Now().Add(-time.Minute).Unix()})
	hs512 := signEmbed(t, jwt.SigningMethodHS512, []byte(embedSecret), jwt.MapClaims{"resource": dash, "params": map[string]any{"account_id": 28}})
	noExp := signEmbed(t, jwt.SigningMethodHS256, []byte(embedSecret), jwt.MapClaims{"resource": dash, "params": map[string]any{"account_id": 28}})
	for _, c := range []struct {
		name, path string
		status     int
		want       string // the count, or a part of the error message
	}{
		{"locked value filters the card", card(locked(28), f.filtered, lf.countCard, ""), 202, "count=22"},
		{"locked list of values", card(locked([]any{28, 29}), f.filtered, lf.countCard, ""), 202, fmt.Sprintf("count=%d", 22+n29)},
		{"token without exp is accepted", card(noExp, f.filtered, lf.countCard, ""), 202, "count=22"},
		{"editable value from the query string narrows", card(locked(28), f.filtered, lf.countCard, "?plan=Premium"), 202, "count=0"},
		{"editable value that matches", card(locked(28), f.filtered, lf.countCard, "?plan=Basic"), 202, "count=22"},
		{"editable list from the query string", card(locked(28), f.filtered, lf.countCard, "?plan=Basic&plan=Premium"), 202, "count=22"},
		{"editable value from the token", card(f.sign(t, dash, map[string]any{"account_id": 28, "plan": "Premium"}), f.filtered, lf.countCard, ""), 202, "count=0"},
		{"query string cannot set a locked value", card(locked(28), f.filtered, lf.countCard, "?account_id=29"), 400, "You can't specify a value for :account_id in the URL"},
		{"query string cannot set a disabled value", card(locked(28), f.filtered, lf.countCard, "?internal=x"), 400, "You can't specify a value for :internal if it's disabled."},
		{"query string cannot set an unknown value", card(locked(28), f.filtered, lf.countCard, "?nope=x"), 400, "You can't specify a value for :nope if it's disabled."},
		{"token cannot set a disabled value", card(f.sign(t, dash, map[string]any{"account_id": 28, "internal": "x"}), f.filtered, lf.countCard, ""), 400, "You can't specify a value for :internal if it's disabled."},
		{"locked value missing", card(f.sign(t, dash, map[string]any{}), f.filtered, lf.countCard, ""), 400, "You must specify a value for :account_id in the JWT."},
		{"locked value empty list", card(locked([]any{}), f.filtered, lf.countCard, ""), 400, "a locked parameter needs at least one value"},
		{"locked value empty text", card(locked(""), f.filtered, lf.countCard, ""), 400, "a locked parameter needs at least one value"},
		{"editable empty list means no filter", card(f.sign(t, dash, map[string]any{"account_id": 28, "plan": []any{}}), f.filtered, lf.countCard, ""), 202, "count=22"},
		{"token cannot set a parameter the dashboard lacks", card(f.sign(t, dash, map[string]any{"account_id": 28, "region": "EU"}), f.filtered, lf.countCard, ""), 400, "You can't specify a value for :region"},
		{"locked value null", card(locked(nil), f.filtered, lf.countCard, ""), 400, "You must specify a value for :account_id in the JWT."},
		{"card the locked filter is not wired to", card(locked(28), f.unwired, lf.accountsCard, ""), 403, "This card is not filtered by Account"},
		{"card marked safe to show unfiltered still refuses a sandboxed table", card(locked(28), f.unfilteredOK, lf.countCard, ""), 403,
			"This embedded card reads the table Invoices, which is sandboxed for some people, and none of the token's locked values filters it"},
		{"card of another dashcard", card(locked(28), f.filtered, lf.accountsCard, ""), 404, "not found"},
		{"dashboard not published", card(f.sign(t, map[string]any{"dashboard": lf.dash}, nil), lf.dashcard, lf.countCard, ""), 400, "Embedding is not enabled for this object."},
		{"wrong key", card(wrongKey, f.filtered, lf.countCard, ""), 400, "signature is invalid"},
		{"expired", card(expired, f.filtered, lf.countCard, ""), 400, "The embedding token has expired."},
		{"HS512 refused", card(hs512, f.filtered, lf.countCard, ""), 400, "sign it with HS256"},
		{"garbage token", card("not-a-token", f.filtered, lf.countCard, ""), 400, "could not be verified"},
		{"question locked to 28", fmt.Sprintf("/api/embed/card/%s/query", f.sign(t, map[string]any{"question": f.card}, map[string]any{"account_id": 28})), 202, "count=22"},
		{"question: query string cannot set a locked value", fmt.Sprintf("/api/embed/card/%s/query?account_id=29", f.sign(t, map[string]any{"question": f.card}, map[string]any{"account_id": 28})), 400, "in the URL"},
		{"question token used for a dashboard", card(f.sign(t, map[string]any{"question": f.card}, map[string]any{"account_id": 28}), f.filtered, lf.countCard, ""), 400, "names a question, not a dashboard"},
	} {
		t.Run(c.name, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.do(anon, "GET", c.path, "", "")
			got := r.body
			if r.status == http.StatusAccepted {
				got = countOfDataset(t, r.body)
			}
			if r.status != c.status || !strings.Contains(got, c.want) {
				t.Errorf("GET %s = %d %.300s, want %d %q", c.path, r.status, r.body, c.status, c.want)
			}
			if len(r.header.Values("Set-Cookie")) > 0 {
				t.Errorf("a token route set a cookie: %v", r.header.Values("Set-Cookie"))
			}
		})
	}

	t.Run("static embedding off", func(t *testing.T) {
		se := *e
		se.t = t
		se.settings(map[string]string{sightline.SettingEmbeddingStatic: "false"})
		defer se.settings(map[string]string{sightline.SettingEmbeddingStatic: "true"})
		r := se.do(anon, "GET", card(locked(28), f.filtered, lf.countCard, ""), "", "")
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Static embedding is not enabled.") {
			t.Errorf("with static embedding off = %d %.300s, want 400", r.status, r.body)
		}
	})
}

// TestStaticEmbedDefinitions checks what the definition routes show of a
// published item: no query, no locked or disabled filter.
func TestStaticEmbedDefinitions(t *testing.T) {
	e := newEnv(t, nil)
	lf := setupLeakFixture(t, e)
	lf.addEmbed(t, e)
	f := lf.embed
	anon := e.client()
	r := e.do(anon, "GET", "/api/embed/dashboard/"+f.sign(t, map[string]any{"dashboard": f.dash}, map[string]any{"account_id": 28}), "", "")
	checkGolden(t, "embed_dashboard", http.StatusOK, r)
	for _, secret := range []string{"ACCOUNT_ID", "source-table", "dataset_query\": {", "Internal", "\"acct\""} {
		if strings.Contains(r.body, secret) {
			t.Errorf("the embedded dashboard shows %q: %.500s", secret, r.body)
		}
	}
	r = e.do(anon, "GET", "/api/embed/card/"+f.sign(t, map[string]any{"question": f.card}, map[string]any{"account_id": 28}), "", "")
	checkGolden(t, "embed_card", http.StatusOK, r)
	if strings.Contains(r.body, "SELECT") {
		t.Errorf("the embedded question shows its SQL: %.500s", r.body)
	}
	r = e.do(anon, "GET", "/api/embed/card/"+f.sign(t, map[string]any{"question": f.card}, nil), "", "")
	checkGolden(t, "embed_card_missing_locked", http.StatusBadRequest, r)
	r = e.do(anon, "GET", "/api/embed/dashboard/x.y.z", "", "")
	checkGolden(t, "embed_dashboard_bad_token", http.StatusBadRequest, r)
}

// TestStaticEmbedPublishing checks that only administrators publish items
// and set their embedding parameters, through PUT /api/card/{id} and
// PUT /api/dashboard/{id}, and that the secret key setting is checked and
// masked.
func TestStaticEmbedPublishing(t *testing.T) {
	e := newEnv(t, nil)
	lf := setupLeakFixture(t, e)
	lf.addEmbed(t, e)
	f := lf.embed
	cardPath, dashPath := fmt.Sprintf("/api/card/%d", lf.countCard), fmt.Sprintf("/api/dashboard/%d", f.dash)
	for _, c := range []struct {
		name, who, path, body string
		status                int
		want                  string
	}{
		{"person publishes a question", "unrestricted", cardPath, `{"enable_embedding": true}`, 403, "Only administrators may publish items for embedding"},
		{"person unlocks a parameter", "unrestricted", dashPath, `{"embedding_params": {"account_id": "enabled", "plan": "enabled", "internal": "disabled"}}`, 403, "Only administrators may publish"},
		{"person unpublishes a dashboard", "unrestricted", dashPath, `{"enable_embedding": false}`, 403, "Only administrators may publish"},
		{"person renames a published dashboard", "unrestricted", dashPath, `{"name": "Embedded invoices, renamed"}`, 200, `"enable_embedding":true`},
		{"person marks a card safe to show unfiltered", "unrestricted", dashPath, fmt.Sprintf(
			`{"dashcards": [{"id": -1, "card_id": %d, "size_x": 4, "size_y": 4, "visualization_settings": {"embed.unfiltered_ok": true}}]}`, lf.accountsCard), 403, "safe to show unfiltered"},
		{"bad parameter mode", "admin", cardPath, `{"embedding_params": {"account_id": "open"}}`, 400, "must be disabled, enabled or locked"},
		{"admin publishes a question", "admin", cardPath, `{"enable_embedding": true, "embedding_params": {"plan": "enabled"}}`, 200, `"embedding_params":{"plan":"enabled"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.do(lf.clients[c.who], "PUT", c.path, "application/json", c.body)
			if r.status != c.status || !strings.Contains(r.body, c.want) {
				t.Errorf("PUT %s %s as %s = %d %.300s, want %d %q", c.path, c.body, c.who, r.status, r.body, c.status, c.want)
			}
		})
	}
	// Every route that creates a question: on its own, or carried by a
	// card of a dashboard being created or saved.
	for _, published := range []string{`"enable_embedding": true`, `"embedding_params": {"account_id": "enabled"}`} {
		create := fmt.Sprintf(`{"name": "Mine", "display": "table", %s,
			"dataset_query": {"database": %d, "type": "query", "query": {"source-table": %d}}}`, published, lf.db, lf.inv)
		carried := `{"name": "Carrier", "dashcards": [{"size_x": 4, "size_y": 4, "card": ` + create + `}]}`
		for _, c := range []struct{ method, path, body string }{
			{"POST", "/api/card", create},
			{"POST", "/api/dashboard", carried},
			{"PUT", dashPath, carried},
			{"POST", "/api/dashboard/save", carried},
		} {
			r := e.do(lf.clients["unrestricted"], c.method, c.path, "application/json", c.body)
			if r.status != http.StatusForbidden || !strings.Contains(r.body, "Only administrators may publish") {
				t.Errorf("%s %s creating a question with %s = %d %.300s, want 403", c.method, c.path, published, r.status, r.body)
			}
		}
	}
	admin := lf.clients["admin"]
	if r := e.do(admin, "PUT", "/api/setting/"+sightline.SettingEmbeddingSecretKey, "application/json", `{"value": "abc"}`); r.status != http.StatusBadRequest ||
		!strings.Contains(r.body, "must be 64 hexadecimal characters") {
		t.Errorf("a short secret key = %d %.300s, want 400", r.status, r.body)
	}
	r := e.do(admin, "GET", "/api/setting/"+sightline.SettingEmbeddingSecretKey, "", "")
	if r.status != http.StatusOK || strings.Contains(r.body, embedSecret) || !strings.Contains(r.body, sightline.SecretMask) {
		t.Errorf("GET the secret key = %d %.300s, want it masked", r.status, r.body)
	}
	r = e.do(admin, "GET", "/api/setting", "", "")
	if strings.Contains(r.body, embedSecret) {
		t.Errorf("GET /api/setting shows the embedding secret key")
	}
}
