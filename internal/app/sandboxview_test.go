package app

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/sandbox"
)

// viewChecks sets up the two kinds of custom views of INVOICES on the
// walkthrough's database and checks what sandboxed people see through them.
func viewChecks(t *testing.T, w *walkthrough) {
	t.Helper()
	ctx := context.Background()
	a, admin, db := w.a, w.admin, w.db
	payment := fieldByName(t, w.inv, "PAYMENT")
	acctID := fieldByName(t, w.inv, "ACCOUNT_ID")
	selectPayment := &sightline.Query{Database: db.ID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
		SourceTable: w.inv.ID, Fields: []sightline.Expr{&sightline.FieldRef{ID: payment.ID}}}}
	sumPayment := &sightline.Query{Database: db.ID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
		SourceTable: w.inv.ID, Aggregations: []sightline.Aggregation{{Op: sightline.AggSum, Arg: &sightline.FieldRef{ID: payment.ID}}}}}
	group := func(name string) int64 {
		t.Helper()
		g, err := a.CreateGroup(ctx, admin, name+" "+db.Engine)
		if err != nil {
			t.Fatal(err)
		}
		return g.ID
	}
	columnNames := func(t *testing.T, res *Result) []string {
		var out []string
		for _, c := range res.Columns {
			out = append(out, c.Name)
		}
		return out
	}

	t.Run("query-builder view hides PAYMENT", func(t *testing.T) {
		var fields []sightline.Expr
		for _, f := range w.inv.Fields {
			if f.ID != payment.ID {
				fields = append(fields, &sightline.FieldRef{ID: f.ID})
			}
		}
		card, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Invoices without payment", CollectionID: w.shared.ID,
			Query: &sightline.Query{Database: db.ID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: w.inv.ID, Fields: fields}}})
		if err != nil {
			t.Fatal(err)
		}
		g := group("No payments")
		if _, err := a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: g, TableID: w.inv.ID, CardID: card.ID,
			Remappings: map[string]sandbox.Target{"account_id": {Kind: sandbox.TargetDimension, FieldID: acctID.ID}}}); err != nil {
			t.Fatal(err)
		}
		bea := w.user(t, "bea-"+db.Engine+"@acme.example", map[string]string{"account_id": "28"}, g)
		wantCount(t, a, bea, "count through the view", w.count(w.inv.ID), 22)
		wantRefused(t, a, bea, "selecting PAYMENT", selectPayment, sightline.EFORBIDDEN, "Payment")
		wantRefused(t, a, bea, "summing PAYMENT", sumPayment, sightline.EFORBIDDEN, "hidden by your sandbox")
		res, err := a.BrowseTable(ctx, bea, w.inv.ID, BrowseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if cols := columnNames(t, res.Result); slices.Contains(cols, "PAYMENT") || len(cols) != len(fields) {
			t.Errorf("browsing INVOICES shows columns %v, want every column but PAYMENT", cols)
		}
		if res.Total != 22 {
			t.Errorf("browsing INVOICES total = %d, want 22", res.Total)
		}
		tb, err := a.Table(ctx, bea, w.inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(tb.Fields, func(f sightline.Field) bool { return f.ID == payment.ID }) {
			t.Errorf("Table(INVOICES) for a sandboxed person lists PAYMENT")
		}
		all, err := a.Tables(ctx, bea, w.db.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range all {
			if slices.ContainsFunc(tb.Fields, func(f sightline.Field) bool { return f.ID == payment.ID }) {
				t.Errorf("Tables for a sandboxed person list PAYMENT")
			}
		}
		if vals, err := a.FieldValues(ctx, bea, payment.ID); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
			t.Errorf("FieldValues(PAYMENT) = %d values, %v; want EFORBIDDEN", len(vals), err)
		}
		if vals, err := a.FieldValues(ctx, bea, fieldByName(t, w.inv, "PLAN").ID); err != nil || len(vals) == 0 {
			t.Errorf("FieldValues(PLAN) = %v, %v; want values", vals, err)
		}
		wantCount(t, a, admin, "administrator, all invoices", w.count(w.inv.ID), 13856)
	})

	t.Run("SQL view bound to an attribute", func(t *testing.T) {
		sql := "SELECT ID, ACCOUNT_ID, PLAN, DATE_RECEIVED FROM INVOICES WHERE ACCOUNT_ID = {{account_id}}"
		if db.Engine == sightline.EnginePostgres {
			sql = `SELECT "ID", "ACCOUNT_ID", "PLAN", "DATE_RECEIVED" FROM "INVOICES" WHERE "ACCOUNT_ID" = {{account_id}}`
		}
		native := func(sql string) *sightline.Query {
			return &sightline.Query{Database: db.ID, Type: sightline.QueryTypeNative, Native: &sightline.NativeQuery{SQL: sql,
				TemplateTags: []sightline.TemplateTag{{ID: "t1", Name: "account_id", DisplayName: "Account ID", Type: sightline.TagNumber, Default: "1"}}}}
		}
		card, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Account invoices", CollectionID: w.shared.ID, Query: native(sql)})
		if err != nil {
			t.Fatal(err)
		}
		g := group("SQL view")
		bind := map[string]sandbox.Target{"account_id": {Kind: sandbox.TargetVariable, Tag: "account_id"}}
		extra, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Invoices plus", CollectionID: w.shared.ID,
			Query: native(strings.Replace(sql, " FROM", ", 1 AS EXTRA FROM", 1))})
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: g, TableID: w.inv.ID, CardID: extra.ID, Remappings: bind})
		if err == nil || !strings.Contains(sightline.ErrorMessage(err), "which is not a column of") {
			t.Errorf("saving a SQL view that returns a column the table lacks = %v, want it refused", err)
		}
		if _, err := a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: g, TableID: w.inv.ID, CardID: card.ID, Remappings: bind}); err != nil {
			t.Fatal(err)
		}
		cara := w.user(t, "cara-"+db.Engine+"@acme.example", map[string]string{"account_id": "28"}, g)
		dan := w.user(t, "dan-"+db.Engine+"@acme.example", map[string]string{"account_id": "28 OR 1=1"}, g)
		eve := w.user(t, "eve-"+db.Engine+"@acme.example", nil, g)

		rows := &sightline.Query{Database: db.ID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: w.inv.ID}}
		res, err := a.RunQuery(ctx, cara, rows, RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != 22 {
			t.Errorf("rows of INVOICES through the SQL view = %d, want 22", len(res.Rows))
		}
		if diff := cmp.Diff([]string{"ID", "ACCOUNT_ID", "PLAN", "DATE_RECEIVED"}, columnNames(t, res)); diff != "" {
			t.Errorf("columns through the SQL view (-want +got):\n%s", diff)
		}
		for _, row := range res.Rows {
			if v := row[1]; v != int64(28) {
				t.Errorf("row %v has ACCOUNT_ID %v, want 28", row, v)
				break
			}
		}
		wantCount(t, a, cara, "count through the SQL view", w.count(w.inv.ID), 22)
		wantRefused(t, a, cara, "selecting PAYMENT", selectPayment, sightline.EFORBIDDEN, "Payment")
		wantCount(t, a, dan, "injection-shaped attribute", w.count(w.inv.ID), 0)
		wantRefused(t, a, eve, "missing attribute", w.count(w.inv.ID), sightline.EFORBIDDEN, "requires the user attribute account_id")
		tb, err := a.Table(ctx, cara, w.inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(tb.Fields) != 4 {
			t.Errorf("Table(INVOICES) through the SQL view has %d fields, want 4", len(tb.Fields))
		}

		// An archived view refuses the table.
		card.Archived = true
		if _, err := a.UpdateCard(ctx, admin, card); err != nil {
			t.Fatal(err)
		}
		wantRefused(t, a, cara, "archived view", w.count(w.inv.ID), sightline.EFORBIDDEN, "no longer exists or is archived")
	})

	t.Run("deleted view", func(t *testing.T) {
		g := group("Deleted view")
		if _, err := a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: g, TableID: w.inv.ID, CardID: w.countCard,
			Remappings: map[string]sandbox.Target{"account_id": {Kind: sandbox.TargetDimension, FieldID: acctID.ID}}}); err == nil {
			t.Errorf("saving a summary as a view = nil error, want it refused")
		}
		// A policy naming a question that does not exist (deleted since).
		p := sandbox.Policy{GroupID: g, TableID: w.inv.ID, CardID: 1 << 40}
		_, err := a.SaveSandbox(ctx, admin, p)
		if err == nil || !strings.Contains(sightline.ErrorMessage(err), "no longer exists") {
			t.Errorf("saving a view of a missing question = %v, want it refused", err)
		}
	})
}

// TestSandboxViews runs the custom-view checks on the Sample Database in
// SQLite.
func TestSandboxViews(t *testing.T) {
	a, _, admin, sample := sampleApp(t)
	viewChecks(t, setupWalkthrough(t, a, admin, sample))
}

// TestSandboxViewsOnEngines runs them on PostgreSQL and MariaDB.
func TestSandboxViewsOnEngines(t *testing.T) {
	for _, engine := range []string{sightline.EnginePostgres, sightline.EngineMySQL} {
		t.Run(engine, func(t *testing.T) {
			a, _, admin := newTestApp(t)
			d := addEngineSample(t, a, admin, engine)
			viewChecks(t, setupWalkthrough(t, a, admin, d))
		})
	}
}
