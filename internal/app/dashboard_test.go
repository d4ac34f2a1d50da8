package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"sightline"
	"sightline/internal/testdb"
)

// TestDashboardCardOfDroppedTable drops the table behind one card of a
// dashboard: that card reports a clear error, before and after the next
// metadata sync, while the other card still loads.
func TestDashboardCardOfDroppedTable(t *testing.T) {
	a, _, admin := newTestApp(t)
	ctx := context.Background()
	pg := testdb.Postgres(t)
	raw, err := sql.Open("pgx", pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{
		`CREATE TABLE kept (id INTEGER PRIMARY KEY, amount NUMERIC(10,2))`,
		`CREATE TABLE doomed (id INTEGER PRIMARY KEY, label TEXT)`,
		`INSERT INTO kept VALUES (1, 10), (2, 20)`,
		`INSERT INTO doomed VALUES (1, 'a')`,
	} {
		if _, err := raw.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	u, _ := url.Parse(pg.URL)
	d, err := a.AddDatabase(ctx, admin, DatabaseInput{Name: "Shop", Engine: sightline.EnginePostgres,
		Details: sightline.DatabaseDetails{Host: u.Hostname(), Port: 5432, DBName: pg.Name, User: "postgres", SSLMode: "disable"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SyncDatabase(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	tables, _ := a.Tables(ctx, admin, d.ID)
	count := func(name string) *sightline.Card {
		tb := tableByName(t, tables, name)
		return &sightline.Card{Name: "Count of " + name, Display: "number", Query: &sightline.Query{Database: d.ID, Type: sightline.QueryTypeStructured,
			Structured: &sightline.StructuredQuery{SourceTable: tb.ID, Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}}}}}
	}
	dash, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Shop", Cards: []sightline.DashboardCard{
		{Row: 0, Col: 0, SizeX: 12, SizeY: 4, Card: count("kept")},
		{Row: 0, Col: 12, SizeX: 12, SizeY: 4, Card: count("doomed")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `DROP TABLE doomed`); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		d, err := a.Dashboard(ctx, admin, dash.ID)
		if err != nil {
			t.Fatal(err)
		}
		res, err := a.RunDashboardCard(ctx, admin, d.ID, d.Cards[0].ID, nil, RunOptions{})
		if err != nil || len(res.Rows) != 1 {
			t.Errorf("%s: the other card = %v, %v; want it to load", when, res, err)
		}
		_, err = a.RunDashboardCard(ctx, admin, d.ID, d.Cards[1].ID, nil, RunOptions{})
		msg := sightline.ErrorMessage(err)
		if err == nil || sightline.ErrorCode(err) == sightline.EINTERNAL || !strings.Contains(msg, "doomed") && !strings.Contains(msg, "does not exist") && !strings.Contains(msg, "no longer in the database") {
			t.Errorf("%s: the dropped table's card = %v (%q), want a clear error", when, err, msg)
		}
		t.Logf("%s: %s", when, msg)
	}
	check("before the next sync")
	if err := a.SyncDatabase(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	check("after the next sync")
}

// TestDashboardParamValues checks the values of dashboard filters in the
// walkthrough's setup: Carl, whose only group has no self-service, gets
// the values of a dashboard shared with him, though the field values a
// query builder uses stay refused to him; Ann of Customer Acme gets only
// the values of her own invoices.
func TestDashboardParamValues(t *testing.T) {
	a, _, admin, sample := sampleApp(t)
	ctx := context.Background()
	w := setupWalkthrough(t, a, admin, sample)
	carl := w.user(t, "carl@example.com", nil)
	ann := w.user(t, "ann@acme.example", map[string]string{"account_id": "28"}, w.acme)
	plan, invAcct := fieldByName(t, w.inv, "PLAN").ID, fieldByName(t, w.inv, "ACCOUNT_ID").ID
	accPlan := fieldByName(t, w.acc, "PLAN").ID

	native := func(name, sql string, tag sightline.TemplateTag) int64 {
		t.Helper()
		c, err := a.CreateCard(ctx, admin, &sightline.Card{Name: name, CollectionID: w.shared.ID, Query: &sightline.Query{
			Database: sample.ID, Type: sightline.QueryTypeNative,
			Native: &sightline.NativeQuery{SQL: sql, TemplateTags: []sightline.TemplateTag{tag}}}})
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	fieldFilter := native("Invoices by plan in SQL", "SELECT COUNT(*) FROM INVOICES WHERE {{plan}}",
		sightline.TemplateTag{Name: "plan", Type: sightline.TagDimension, Dimension: &sightline.FieldRef{ID: plan}, WidgetType: "category"})
	textVariable := native("Invoices of a plan in SQL", "SELECT COUNT(*) FROM INVOICES [[WHERE PLAN = {{plan}}]]",
		sightline.TemplateTag{Name: "plan", Type: sightline.TagText})
	mapping := func(param string, card int64, target string) sightline.ParameterMapping {
		return sightline.ParameterMapping{ParameterID: param, CardID: card, Target: json.RawMessage(target)}
	}
	column := fmt.Sprintf(`["dimension", ["field", %d, null]]`, plan)
	dash := func(collection int64) int64 {
		t.Helper()
		d, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Invoices", CollectionID: collection,
			Parameters: []sightline.DashboardParameter{
				{ID: "plan", Name: "Plan", Slug: "plan", Type: "category", FilteringParameters: []string{"account", "account_plan"}},
				{ID: "sql_plan", Name: "SQL plan", Slug: "sql_plan", Type: "category"},
				{ID: "account", Name: "Account", Slug: "account", Type: "id"},
				{ID: "account_plan", Name: "Account plan", Slug: "account_plan", Type: "category"},
				{ID: "text", Name: "Text", Slug: "text", Type: "string/="},
				{ID: "unwired", Name: "Unwired", Slug: "unwired", Type: "category"},
			},
			Cards: []sightline.DashboardCard{
				{CardID: w.countCard, SizeX: 4, SizeY: 4, Mappings: []sightline.ParameterMapping{mapping("plan", w.countCard, column),
					mapping("account", w.countCard, fmt.Sprintf(`["dimension", ["field", %d, null]]`, invAcct)),
					mapping("account_plan", w.countCard, fmt.Sprintf(`["dimension", ["field", %d, {"source-field": %d}]]`, accPlan, invAcct))}},
				{CardID: fieldFilter, Col: 4, SizeX: 4, SizeY: 4, Mappings: []sightline.ParameterMapping{
					mapping("plan", fieldFilter, `["dimension", ["template-tag", "plan"]]`),
					mapping("sql_plan", fieldFilter, `["dimension", ["template-tag", "plan"]]`)}},
				{CardID: textVariable, Col: 8, SizeX: 4, SizeY: 4, Mappings: []sightline.ParameterMapping{
					mapping("text", textVariable, `["variable", ["template-tag", "plan"]]`)}},
			}})
		if err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	shared, root := dash(w.shared.ID), dash(0)

	tests := []struct {
		name  string
		who   *sightline.User
		dash  int64
		param string
		want  string // the values, or the error code
		// linked are other filters' values (?<filter id>=value).
		linked map[string][]string
	}{
		{"no self-service, column and field filter", carl, shared, "plan", "[Basic Business Premium]", nil},
		{"no self-service, field filter only", carl, shared, "sql_plan", "[Basic Business Premium]", nil},
		{"plain SQL variable", carl, shared, "text", "[]", nil},
		{"filter wired to nothing", carl, shared, "unwired", "[]", nil},
		{"sandboxed", ann, shared, "plan", "[Basic]", nil},
		{"sandboxed, field filter", ann, shared, "sql_plan", "[Basic]", nil},
		{"administrator", admin, shared, "plan", "[Basic Business Premium]", nil},
		{"limited by an account", carl, shared, "plan", "[Basic]", map[string][]string{"account": {"28"}}},
		{"limited through a foreign key", admin, shared, "plan", "[Basic Premium]", map[string][]string{"account_plan": {"Premium"}}},
		{"limited through a foreign key to a table Carl may not query", carl, shared, "plan", "[Basic Business Premium]", map[string][]string{"account_plan": {"Premium"}}},
		{"empty linked value", carl, shared, "plan", "[Basic Business Premium]", map[string][]string{"account": {""}}},
		{"not limited by that filter", carl, shared, "sql_plan", "[Basic Business Premium]", map[string][]string{"account": {"28"}}},
		{"sandboxed, limited by her account", ann, shared, "plan", "[Basic]", map[string][]string{"account": {"28"}}},
		{"sandboxed, limited by another account", ann, shared, "plan", "[]", map[string][]string{"account": {"1"}}},
		{"unknown filter", carl, shared, "nope", sightline.ENOTFOUND, nil},
		{"unknown dashboard", carl, 999999, "plan", sightline.ENOTFOUND, nil},
		{"dashboard in a collection Carl may not read", carl, root, "plan", sightline.ENOTFOUND, nil},
		{"signed out", nil, shared, "plan", sightline.EUNAUTHORIZED, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pv, err := a.DashboardParamValues(ctx, tt.who, tt.dash, tt.param, tt.linked)
			got := sightline.ErrorCode(err)
			if err == nil {
				got = fmt.Sprint(pv.Values)
				if pv.HasMore {
					got += " and more"
				}
			}
			if got != tt.want {
				t.Errorf("DashboardParamValues(%d, %q) = %q (%v), want %q", tt.dash, tt.param, got, err, tt.want)
			}
		})
	}

	// The query builder's field values stay closed to Carl.
	if vals, err := a.FieldValues(ctx, carl, plan); err == nil {
		t.Errorf("FieldValues(PLAN) for Carl = %v, want refused", vals)
	}
}

// TestFilterTarget resolves dashboard filter targets on questions of the
// Sample Database: a target must be a column the question reads (directly,
// through a join or through a foreign key) or one of its SQL variables.
func TestFilterTarget(t *testing.T) {
	a, _, admin, db := sampleApp(t)
	ctx := context.Background()
	tables, err := a.Tables(ctx, admin, db.ID)
	if err != nil {
		t.Fatal(err)
	}
	inv, acc, fb := tableByName(t, tables, "INVOICES"), tableByName(t, tables, "ACCOUNTS"), tableByName(t, tables, "FEEDBACK")
	plan, invAcct := fieldByName(t, inv, "PLAN").ID, fieldByName(t, inv, "ACCOUNT_ID").ID
	email, fbEmail := fieldByName(t, acc, "EMAIL").ID, fieldByName(t, fb, "EMAIL").ID
	native := &sightline.Query{Database: db.ID, Type: sightline.QueryTypeNative, Native: &sightline.NativeQuery{SQL: "SELECT 1", TemplateTags: []sightline.TemplateTag{
		{Name: "plan", Type: sightline.TagDimension, Dimension: &sightline.FieldRef{ID: plan}},
		{Name: "acct", Type: sightline.TagNumber},
	}}}
	structured := &sightline.Query{Database: db.ID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: inv.ID}}
	joined := &sightline.Query{Database: db.ID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: inv.ID,
		Joins: []sightline.Join{{Alias: "F", SourceTable: fb.ID}}}}
	tests := []struct {
		name   string
		q      *sightline.Query
		target string
		want   int64
		err    string
	}{
		{"column", structured, fmt.Sprintf(`["dimension", ["field", %d, null]]`, plan), plan, ""},
		{"column through a foreign key", structured, fmt.Sprintf(`["dimension", ["field", %d, {"source-field": %d}]]`, email, invAcct), email, ""},
		{"column of a joined table", joined, fmt.Sprintf(`["dimension", ["field", %d, {"join-alias": "F"}]]`, fbEmail), fbEmail, ""},
		{"column by name", structured, `["dimension", ["field", "PLAN", {"base-type": "type/Text"}]]`, 0, ""},
		{"field filter", native, `["dimension", ["template-tag", "plan"]]`, plan, ""},
		{"number variable", native, `["variable", ["template-tag", "acct"]]`, 0, ""},
		{"column of a table the question does not read", structured, fmt.Sprintf(`["dimension", ["field", %d, null]]`, email), 0, "not one"},
		{"foreign key of another table", structured, fmt.Sprintf(`["dimension", ["field", %d, {"source-field": %d}]]`, fbEmail, invAcct), 0, "not one"},
		{"field that does not exist", structured, `["dimension", ["field", 999999, null]]`, 0, "not one"},
		{"unknown variable", native, `["dimension", ["template-tag", "nope"]]`, 0, "does not have"},
		{"column on a SQL question", native, fmt.Sprintf(`["dimension", ["field", %d, null]]`, plan), 0, "variables"},
		{"template tag of a structured question", structured, `["dimension", ["template-tag", "plan"]]`, 0, "does not have"},
		{"not a target", structured, `"PLAN"`, 0, "target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := a.filterTarget(ctx, tt.q, json.RawMessage(tt.target))
			msg := sightline.ErrorMessage(err)
			if got != tt.want || (tt.err == "") != (err == nil) || !strings.Contains(msg, tt.err) {
				t.Errorf("filterTarget(%s) = %d, %q; want %d and an error containing %q", tt.target, got, msg, tt.want, tt.err)
			}
		})
	}
}

func TestCompareValues(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	in := []any{"b", int64(3), true, day(2), 2.5, "a", false, day(1), int64(-1), "b", int64(3)}
	slices.SortFunc(in, compareValues)
	got := fmt.Sprint(slices.CompactFunc(in, func(x, y any) bool { return compareValues(x, y) == 0 }))
	want := fmt.Sprint([]any{int64(-1), 2.5, int64(3), "a", "b", day(1), day(2), false, true})
	if got != want {
		t.Errorf("sorted values = %s, want %s", got, want)
	}
}

// TestStoredTargetsResolvedOnRead stores, past the checks of
// CreateDashboard (as a dashboard saved before they existed would be), a
// filter wired to a column its question does not read: listing the
// filter's values offers none of that column's, and running the card with
// a value is refused.
func TestStoredTargetsResolvedOnRead(t *testing.T) {
	a, db, admin, sample := sampleApp(t)
	ctx := context.Background()
	tables, err := a.Tables(ctx, admin, sample.ID)
	if err != nil {
		t.Fatal(err)
	}
	inv, acc := tableByName(t, tables, "INVOICES"), tableByName(t, tables, "ACCOUNTS")
	email := fieldByName(t, acc, "EMAIL").ID
	card, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Invoices", Query: &sightline.Query{Database: sample.ID, Type: sightline.QueryTypeStructured,
		Structured: &sightline.StructuredQuery{SourceTable: inv.ID, Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}}}}})
	if err != nil {
		t.Fatal(err)
	}
	d := &sightline.Dashboard{Name: "Old", CreatorID: admin.ID,
		Parameters: []sightline.DashboardParameter{{ID: "who", Name: "Who", Slug: "who", Type: "category"}},
		Cards: []sightline.DashboardCard{{CardID: card.ID, SizeX: 4, SizeY: 4, Mappings: []sightline.ParameterMapping{
			{ParameterID: "who", CardID: card.ID, Target: json.RawMessage(fmt.Sprintf(`["dimension", ["field", %d, null]]`, email))}}}}}
	if err := db.CreateDashboard(ctx, d); err != nil {
		t.Fatal(err)
	}
	if _, err := a.UpdateDashboard(ctx, admin, d); err == nil || !strings.Contains(sightline.ErrorMessage(err), "not one") {
		t.Errorf("saving the dashboard again = %v, want the target refused", err)
	}
	vals, err := a.DashboardParamValues(ctx, admin, d.ID, "who", nil)
	if err != nil || len(vals.Values) != 0 {
		t.Errorf("DashboardParamValues = %v, %v; want no values", vals, err)
	}
	full, err := a.Dashboard(ctx, admin, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.RunDashboardCard(ctx, admin, d.ID, full.Cards[0].ID, []FilterValue{{ID: "who", Value: "someone@example.com"}}, RunOptions{})
	if sightline.ErrorCode(err) != sightline.EINVALID || !strings.Contains(sightline.ErrorMessage(err), "not one") {
		t.Errorf("RunDashboardCard with a value = %v, want the target refused", err)
	}
}
