package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/sandbox"
)

// walkthrough is the reference walkthrough's permission setup on one
// database: All Users restricted to no self-service, a "Shared" collection
// they may view (and nothing else), a group "Customer Acme" whose INVOICES
// are sandboxed by ACCOUNT_ID = account_id and whose ACCOUNTS are
// unrestricted, with the saved question "Invoice count" in Shared.
type walkthrough struct {
	a             *App
	admin         *sightline.User
	db            *sightline.Database
	inv, acc, fb  *sightline.Table
	acme          int64
	shared        *sightline.Collection
	countCard     int64
	sandboxPolicy *sandbox.Policy
}

func setupWalkthrough(t *testing.T, a *App, admin *sightline.User, db *sightline.Database) *walkthrough {
	t.Helper()
	ctx := context.Background()
	tables, err := a.Tables(ctx, admin, db.ID)
	if err != nil {
		t.Fatal(err)
	}
	w := &walkthrough{a: a, admin: admin, db: db,
		inv: tableByName(t, tables, "INVOICES"), acc: tableByName(t, tables, "ACCOUNTS"), fb: tableByName(t, tables, "FEEDBACK")}
	w.shared, err = a.CreateCollection(ctx, admin, "Shared", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	card, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Invoice count", CollectionID: w.shared.ID, Query: w.count(w.inv.ID)})
	if err != nil {
		t.Fatal(err)
	}
	w.countCard = card.ID
	g, err := a.CreateGroup(ctx, admin, "Customer Acme")
	if err != nil {
		t.Fatal(err)
	}
	w.acme = g.ID

	// Restrict All Users, then give Customer Acme the query builder on
	// ACCOUNTS.
	w.putData(t, map[int64]access.WireDBPerms{
		sightline.AllUsersGroupID: {ViewData: access.ViewNoSelfService, CreateQueries: access.QueryNone},
		w.acme: {ViewData: map[string]any{w.acc.Schema: map[string]any{strconv.FormatInt(w.acc.ID, 10): access.ViewUnrestricted}},
			CreateQueries: access.QueryBuilder},
	})
	cg, err := a.CollectionPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.SaveCollectionPermissionGraph(ctx, admin, access.WireCollectionGraph{Revision: cg.Revision,
		Groups: map[string]map[string]string{"1": {"root": access.CollectionNone, strconv.FormatInt(w.shared.ID, 10): access.CollectionRead}}}, true)
	if err != nil {
		t.Fatal(err)
	}
	w.sandboxPolicy, err = a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: w.acme, TableID: w.inv.ID,
		Remappings: map[string]sandbox.Target{"account_id": {Kind: sandbox.TargetDimension, FieldID: fieldByName(t, w.inv, "ACCOUNT_ID").ID}}})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// putData saves data grants on the walkthrough's database at the current
// revision.
func (w *walkthrough) putData(t *testing.T, groups map[int64]access.WireDBPerms) {
	t.Helper()
	ctx := context.Background()
	cur, err := w.a.DataPermissionGraph(ctx, w.admin)
	if err != nil {
		t.Fatal(err)
	}
	wire := access.WireGraph{Revision: cur.Revision, Groups: map[string]map[string]access.WireDBPerms{}}
	for g, p := range groups {
		wire.Groups[strconv.FormatInt(g, 10)] = map[string]access.WireDBPerms{strconv.FormatInt(w.db.ID, 10): p}
	}
	if _, err := w.a.SaveDataPermissionGraph(ctx, w.admin, wire); err != nil {
		t.Fatal(err)
	}
}

// user creates a user in groups with attributes.
func (w *walkthrough) user(t *testing.T, email string, attrs map[string]string, groups ...int64) *sightline.User {
	t.Helper()
	u, err := w.a.CreateUser(context.Background(), w.admin, NewUserInput{Email: email, Password: "a password", GroupIDs: groups, Attributes: attrs})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (w *walkthrough) count(table int64, joins ...sightline.Join) *sightline.Query {
	return &sightline.Query{Database: w.db.ID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
		SourceTable: table, Joins: joins, Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}}}}
}

// join is an inner join of table under alias on left = alias.right.
func join(alias string, table, left, right int64) sightline.Join {
	return sightline.Join{Alias: alias, SourceTable: table, Strategy: sightline.JoinInner, FieldsMode: sightline.JoinFieldsNone,
		Condition: &sightline.Compare{Op: sightline.OpEq, Left: &sightline.FieldRef{ID: left}, Values: []sightline.Expr{&sightline.FieldRef{ID: right, JoinAlias: alias}}}}
}

// countOf runs a count query and returns its number.
func countOf(ctx context.Context, a *App, u *sightline.User, q *sightline.Query) (int64, error) {
	res, err := a.RunQuery(ctx, u, q, RunOptions{})
	if err != nil {
		return 0, err
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		return 0, fmt.Errorf("count returned %v", res.Rows)
	}
	return strconv.ParseInt(fmt.Sprint(res.Rows[0][0]), 10, 64)
}

// wantCount checks that q counts want rows for u.
func wantCount(t *testing.T, a *App, u *sightline.User, name string, q *sightline.Query, want int64) {
	t.Helper()
	got, err := countOf(context.Background(), a, u, q)
	if err != nil || got != want {
		t.Errorf("%s: count for %s = %d, %v; want %d", name, u.Email, got, err, want)
	}
}

// wantRefused checks that q fails for u with code and a message containing
// msg, and returns no rows.
func wantRefused(t *testing.T, a *App, u *sightline.User, name string, q *sightline.Query, code, msg string) {
	t.Helper()
	res, err := a.RunQuery(context.Background(), u, q, RunOptions{})
	if err == nil || sightline.ErrorCode(err) != code || !strings.Contains(sightline.ErrorMessage(err), msg) {
		t.Errorf("%s for %s = %v rows, %v; want a %s error containing %q", name, u.Email, res, err, code, msg)
	}
}

// coreChecks are the walkthrough's checks that must hold on every engine.
func coreChecks(t *testing.T, w *walkthrough) {
	t.Helper()
	ctx := context.Background()
	a := w.a
	ann := w.user(t, "ann-"+w.db.Engine+"@acme.example", map[string]string{"account_id": "28"}, w.acme)
	acctID := fieldByName(t, w.inv, "ACCOUNT_ID").ID
	accID := fieldByName(t, w.acc, "ID").ID

	wantCount(t, a, w.admin, "admin, all invoices", w.count(w.inv.ID), 13856)
	wantCount(t, a, ann, "ad-hoc count of INVOICES", w.count(w.inv.ID), 22)
	wantCount(t, a, ann, "INVOICES joined to ACCOUNTS", w.count(w.inv.ID, join("A", w.acc.ID, acctID, accID)), 22)
	wantCount(t, a, ann, "ACCOUNTS joined to sandboxed INVOICES", w.count(w.acc.ID, join("I", w.inv.ID, accID, acctID)), 22)

	browse, err := a.BrowseTable(ctx, ann, w.inv.ID, BrowseOptions{})
	if err != nil || browse.Total != 22 || browse.RowCount != 22 {
		t.Errorf("Browse INVOICES as Ann = %v, %v; want 22 rows", browse, err)
	} else {
		col := -1
		for i, c := range browse.Columns {
			if c.Name == "ACCOUNT_ID" {
				col = i
			}
		}
		for _, row := range browse.Rows {
			if fmt.Sprint(row[col]) != "28" {
				t.Errorf("Browse INVOICES as Ann shows account %v, want only 28", row[col])
			}
		}
	}
	vals, err := a.FieldValues(ctx, ann, fieldByName(t, w.inv, "PLAN").ID)
	if err != nil || len(vals) != 1 || vals[0] != "Basic" {
		t.Errorf("PLAN values for Ann = %v, %v; want only Basic", vals, err)
	}
	_, res, err := a.RunCard(ctx, ann, w.countCard, nil, RunOptions{})
	if err != nil || len(res.Rows) != 1 || fmt.Sprint(res.Rows[0][0]) != "22" {
		t.Errorf("saved Invoice count for Ann = %v, %v; want 22", res, err)
	}
	native := &sightline.Query{Database: w.db.ID, Type: sightline.QueryTypeNative, Native: &sightline.NativeQuery{SQL: "SELECT COUNT(*) FROM INVOICES"}}
	wantRefused(t, a, ann, "native SQL", native, sightline.EFORBIDDEN, "Native SQL cannot be run on sandboxed data")

	nobody := w.user(t, "no-attribute-"+w.db.Engine+"@acme.example", nil, w.acme)
	wantRefused(t, a, nobody, "INVOICES without account_id", w.count(w.inv.ID), sightline.EFORBIDDEN, "requires the user attribute account_id")
	wantRefused(t, a, nobody, "ACCOUNTS joined to INVOICES without account_id", w.count(w.acc.ID, join("I", w.inv.ID, accID, acctID)), sightline.EFORBIDDEN, "requires the user attribute account_id")
	wantCount(t, a, nobody, "ACCOUNTS alone without account_id", w.count(w.acc.ID), 2495)

	for i, bad := range []string{"28 OR 1=1", "28' OR '1'='1", `28" OR "1"="1`, "28; DROP TABLE INVOICES", strings.Repeat("28", 50_000)} {
		u := w.user(t, fmt.Sprintf("bad-%d-%s@acme.example", i, w.db.Engine), map[string]string{"account_id": bad}, w.acme)
		wantCount(t, a, u, fmt.Sprintf("attribute %.20q", bad), w.count(w.inv.ID), 0)
	}
}

// TestWalkthroughPermissions reproduces the walkthrough's "Set permissions"
// steps on the Sample Database and checks every path a customer has to the
// sandboxed INVOICES table.
func TestWalkthroughPermissions(t *testing.T) {
	a, _, admin, sample := sampleApp(t)
	ctx := context.Background()
	w := setupWalkthrough(t, a, admin, sample)
	coreChecks(t, w)

	ann := w.user(t, "ann@acme.example", map[string]string{"account_id": "28"}, w.acme)
	carl := w.user(t, "carl@example.com", nil)
	accID := fieldByName(t, w.acc, "ID").ID

	t.Run("blocked through a join", func(t *testing.T) {
		wantRefused(t, a, ann, "ACCOUNTS joined to FEEDBACK", w.count(w.acc.ID, join("F", w.fb.ID, accID, fieldByName(t, w.fb, "ACCOUNT_ID").ID)), sightline.EFORBIDDEN, "permission")
		wantRefused(t, a, ann, "FEEDBACK", w.count(w.fb.ID), sightline.EFORBIDDEN, "permission")
		if _, err := a.Table(ctx, ann, w.fb.ID); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("Table(FEEDBACK) for Ann = %v, want not found", err)
		}
		tables, err := a.Tables(ctx, ann, sample.ID)
		if err != nil || len(tables) != 2 {
			t.Errorf("Tables for Ann = %d tables, %v; want INVOICES and ACCOUNTS", len(tables), err)
		}
	})

	t.Run("saved question used as a source", func(t *testing.T) {
		q := &sightline.Query{Database: sample.ID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
			SourceCard: w.countCard}}
		res, err := a.RunQuery(ctx, ann, q, RunOptions{})
		if err != nil || len(res.Rows) != 1 || fmt.Sprint(res.Rows[0][0]) != "22" {
			t.Errorf("card__%d for Ann = %v, %v; want 22", w.countCard, res, err)
		}
	})

	t.Run("source questions", func(t *testing.T) {
		// A question in a collection Ann may not read is no source for her.
		hidden, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Hidden accounts", Query: w.count(w.acc.ID)})
		if err != nil {
			t.Fatal(err)
		}
		src := func(id int64) *sightline.Query {
			return &sightline.Query{Database: sample.ID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceCard: id}}
		}
		wantRefused(t, a, ann, "hidden question as a source", src(hidden.ID), sightline.EINVALID, "does not exist")
		// A SQL question in a readable collection is no way around the
		// native-SQL rights: Ann may not write SQL, so she may not build on
		// someone else's.
		native, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "All invoices in SQL", CollectionID: w.shared.ID,
			Query: &sightline.Query{Database: sample.ID, Type: sightline.QueryTypeNative, Native: &sightline.NativeQuery{SQL: "SELECT * FROM INVOICES"}}})
		if err != nil {
			t.Fatal(err)
		}
		wantRefused(t, a, ann, "SQL question as a source", src(native.ID), sightline.EFORBIDDEN, "written in SQL")
		if _, _, err := a.RunCard(ctx, ann, native.ID, nil, RunOptions{}); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
			t.Errorf("running the SQL question as Ann = %v, want forbidden", err)
		}
		// Saving a question checks the same rights as running it.
		mine, err := a.PersonalCollection(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.CreateCard(ctx, ann, &sightline.Card{Name: "Mine", CollectionID: mine.ID, Query: src(native.ID)}); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
			t.Errorf("Ann saving a question built on a SQL question = %v, want forbidden", err)
		}
		if _, err := a.CreateCard(ctx, ann, &sightline.Card{Name: "Mine", CollectionID: mine.ID, Query: src(w.countCard)}); err != nil {
			t.Errorf("Ann saving a question built on Invoice count = %v, want saved", err)
		}
	})

	t.Run("no self-service", func(t *testing.T) {
		// Carl may run the saved question (all invoices) but not build one.
		if _, res, err := a.RunCard(ctx, carl, w.countCard, nil, RunOptions{}); err != nil || fmt.Sprint(res.Rows[0][0]) != "13856" {
			t.Errorf("saved Invoice count for Carl = %v, %v; want 13856", res, err)
		}
		wantRefused(t, a, carl, "ad-hoc INVOICES", w.count(w.inv.ID), sightline.EFORBIDDEN, "not create new queries")
		if _, err := a.BrowseTable(ctx, carl, w.inv.ID, BrowseOptions{}); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("Browse INVOICES as Carl = %v, want not found", err)
		}
		// A saved question from a collection Carl may read runs unfiltered
		// for him and through the sandbox for Ann.
		saved := asSavedQuestion(ctx)
		if n, err := countOf(saved, a, carl, w.count(w.inv.ID)); err != nil || n != 13856 {
			t.Errorf("saved question for Carl = %d, %v; want 13856", n, err)
		}
		if n, err := countOf(saved, a, ann, w.count(w.inv.ID)); err != nil || n != 22 {
			t.Errorf("saved question for Ann = %d, %v; want 22", n, err)
		}
	})

	t.Run("unrestricted group wins over the sandbox", func(t *testing.T) {
		analysts, err := a.CreateGroup(ctx, admin, "Analysts")
		if err != nil {
			t.Fatal(err)
		}
		w.putData(t, map[int64]access.WireDBPerms{analysts.ID: {ViewData: access.ViewUnrestricted, CreateQueries: access.QueryNative}})
		both := w.user(t, "both@acme.example", map[string]string{"account_id": "28"}, w.acme, analysts.ID)
		wantCount(t, a, both, "INVOICES for an analyst in Customer Acme", w.count(w.inv.ID), 13856)
	})

	t.Run("conflicting sandboxes", func(t *testing.T) {
		globex, err := a.CreateGroup(ctx, admin, "Customer Globex")
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: globex.ID, TableID: w.inv.ID,
			Remappings: map[string]sandbox.Target{"plan": {Kind: sandbox.TargetDimension, FieldID: fieldByName(t, w.inv, "PLAN").ID}}})
		if err != nil {
			t.Fatal(err)
		}
		gina := w.user(t, "gina@globex.example", map[string]string{"plan": "Premium"}, globex.ID)
		if n, err := countOf(ctx, a, gina, w.count(w.inv.ID)); err != nil || n == 0 || n == 13856 {
			t.Errorf("Globex count = %d, %v; want only Premium invoices", n, err)
		}
		// Group sync at sign-in cannot be refused, so such a person can
		// exist; their queries of the table are refused.
		both := w.user(t, "both@globex.example", map[string]string{"plan": "Premium", "account_id": "28"}, w.acme)
		if err := a.store.SetUserGroups(ctx, both.ID, []int64{globex.ID}, nil); err != nil {
			t.Fatal(err)
		}
		if both, err = a.User(ctx, admin, both.ID); err != nil {
			t.Fatal(err)
		}
		wantRefused(t, a, both, "INVOICES in two different sandboxes", w.count(w.inv.ID), sightline.EFORBIDDEN, "Conflicting sandboxes")
		// The configuration is refused when it is saved, too.
		err = a.AddMembership(ctx, admin, access.Membership{GroupID: globex.ID, UserID: ann.ID})
		if sightline.ErrorCode(err) != sightline.ECONFLICT || !strings.Contains(sightline.ErrorMessage(err), "Conflicting sandboxes") {
			t.Errorf("adding Ann to Globex = %v, want a conflicting-sandboxes conflict", err)
		}
		_, err = a.CreateUser(ctx, admin, NewUserInput{Email: "twice@example.com", Password: "a password", GroupIDs: []int64{w.acme, globex.ID}})
		if sightline.ErrorCode(err) != sightline.ECONFLICT || !strings.Contains(sightline.ErrorMessage(err), "this person would be in") {
			t.Errorf("creating someone in Acme and Globex = %v, want a conflicting-sandboxes conflict", err)
		}
		if users, err := a.ListUsers(ctx, admin, "twice@example.com", "all"); err != nil || len(users) != 0 {
			t.Errorf("the refused person was created anyway: %v, %v", users, err)
		}
		_, err = a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: globex.ID, TableID: w.inv.ID,
			Remappings: map[string]sandbox.Target{"region": {Kind: sandbox.TargetDimension, FieldID: fieldByName(t, w.inv, "PLAN").ID}}})
		if sightline.ErrorCode(err) != sightline.ECONFLICT {
			t.Errorf("changing Globex's sandbox while someone is in both groups = %v, want a conflict", err)
		}
		// The same sandbox in both groups is no conflict.
		_, err = a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: globex.ID, TableID: w.inv.ID, Remappings: w.sandboxPolicy.Remappings})
		if err != nil {
			t.Errorf("giving Globex Acme's sandbox = %v, want it saved", err)
		}
		wantCount(t, a, both, "INVOICES in two equal sandboxes", w.count(w.inv.ID), 22)
	})

	t.Run("collections", func(t *testing.T) {
		if _, err := a.Card(ctx, carl, w.countCard); err != nil {
			t.Errorf("Card in Shared for Carl = %v, want it readable", err)
		}
		if _, err := a.CreateCard(ctx, carl, &sightline.Card{Name: "Mine", CollectionID: w.shared.ID, Query: w.count(w.acc.ID)}); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
			t.Errorf("saving into a view-only collection = %v, want forbidden", err)
		}
		root, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Root card", Query: w.count(w.acc.ID)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Card(ctx, carl, root.ID); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("Card in the root for Carl = %v, want not found", err)
		}
		sub, err := a.CreateCollection(ctx, admin, "Shared sub", "", w.shared.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !a.canReadCollection(ctx, carl, sub.ID) {
			t.Errorf("a new sub-collection of Shared is hidden from Carl, want it inherited")
		}
		personal, err := a.PersonalCollection(ctx, carl)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.checkCollectionWrite(ctx, carl, personal.ID); err != nil {
			t.Errorf("Carl writing into his personal collection = %v", err)
		}
		if a.canReadCollection(ctx, ann, personal.ID) {
			t.Errorf("Ann can read Carl's personal collection")
		}
		inner, err := a.CreateCollection(ctx, carl, "Drafts", "", personal.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, coll := range []int64{personal.ID, inner.ID} {
			d, err := a.CreateDashboard(ctx, carl, &sightline.Dashboard{Name: "Carl's own", CollectionID: coll})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Dashboard(ctx, ann, d.ID); sightline.ErrorCode(err) != sightline.ENOTFOUND {
				t.Errorf("Dashboard in Carl's personal collection %d for Ann = %v, want not found", coll, err)
			}
			if _, err := a.Dashboard(ctx, admin, d.ID); err != nil {
				t.Errorf("Dashboard in Carl's personal collection %d for the admin = %v", coll, err)
			}
		}
	})

	t.Run("downloads", func(t *testing.T) {
		var sink countingWriter
		if _, err := a.Download(ctx, ann, w.count(w.inv.ID), &sink); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
			t.Errorf("Download for Ann (no downloads) = %v, want forbidden", err)
		}
		if _, err := a.Download(ctx, admin, w.count(w.inv.ID), &sink); err != nil {
			t.Errorf("Download for the admin = %v", err)
		}
		limited, err := a.CreateGroup(ctx, admin, "Limited downloads")
		if err != nil {
			t.Fatal(err)
		}
		w.putData(t, map[int64]access.WireDBPerms{limited.ID: {ViewData: access.ViewUnrestricted, CreateQueries: access.QueryBuilder,
			Download: &access.WireDownload{Schemas: access.DownloadLimited}}})
		lena := w.user(t, "lena@example.com", nil, limited.ID)
		rows := &sightline.Query{Database: sample.ID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: w.inv.ID}}
		sink = countingWriter{}
		if n, err := a.Download(ctx, lena, rows, &sink); err != nil || n != access.LimitedDownloadRows || sink.rows != n {
			t.Errorf("limited Download = %d rows (%d written), %v; want %d", n, sink.rows, err, access.LimitedDownloadRows)
		}
	})

	t.Run("blocked everywhere", func(t *testing.T) {
		w.putData(t, map[int64]access.WireDBPerms{sightline.AllUsersGroupID: {ViewData: access.ViewBlocked, CreateQueries: access.QueryNone}})
		wantRefused(t, a, carl, "INVOICES", w.count(w.inv.ID), sightline.ENOTFOUND, "not found")
		if _, err := a.Database(ctx, carl, sample.ID); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("Database for a blocked user = %v, want not found", err)
		}
		if dbs, err := a.Databases(ctx, carl); err != nil || len(dbs) != 0 {
			t.Errorf("Databases for a blocked user = %v, %v; want none", dbs, err)
		}
		if _, err := a.FieldValues(ctx, carl, fieldByName(t, w.inv, "PLAN").ID); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("FieldValues for a blocked user = %v, want not found", err)
		}
		if n, err := countOf(asSavedQuestion(ctx), a, carl, w.count(w.inv.ID)); err == nil {
			t.Errorf("saved question for a blocked user = %d rows, want refused", n)
		}
		// Customer Acme's own grant is untouched.
		wantCount(t, a, ann, "INVOICES for Ann", w.count(w.inv.ID), 22)
	})
}

// countingWriter is a RowWriter that counts rows.
type countingWriter struct{ rows int }

func (w *countingWriter) Begin([]Column) error { return nil }
func (w *countingWriter) Row([]any) error      { w.rows++; return nil }

// TestWalkthroughPermissionsOnEngines runs the core checks on the Sample
// Database loaded into PostgreSQL and MariaDB.
func TestWalkthroughPermissionsOnEngines(t *testing.T) {
	for _, engine := range []string{sightline.EnginePostgres, sightline.EngineMySQL} {
		t.Run(engine, func(t *testing.T) {
			a, _, admin := newTestApp(t)
			d := addEngineSample(t, a, admin, engine)
			coreChecks(t, setupWalkthrough(t, a, admin, d))
		})
	}
}

func TestPermissionGraphRevisionConflict(t *testing.T) {
	a, _, admin, sample := sampleApp(t)
	ctx := context.Background()
	g, err := a.DataPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	db := strconv.FormatInt(sample.ID, 10)
	if got := g.Groups["1"][db].ViewData; got != access.ViewUnrestricted {
		t.Errorf("fresh install: All Users view-data = %v, want unrestricted", got)
	}
	edit := access.WireGraph{Revision: g.Revision, Groups: map[string]map[string]access.WireDBPerms{"1": {db: {ViewData: access.ViewBlocked}}}}
	if _, err := a.SaveDataPermissionGraph(ctx, admin, edit); err != nil {
		t.Fatal(err)
	}
	edit.Groups["1"][db] = access.WireDBPerms{ViewData: access.ViewUnrestricted, CreateQueries: access.QueryNative}
	if _, err := a.SaveDataPermissionGraph(ctx, admin, edit); sightline.ErrorCode(err) != sightline.ECONFLICT {
		t.Fatalf("stale save = %v, want conflict", err)
	}
	g, err = a.DataPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Groups["1"][db].ViewData; got != access.ViewBlocked || g.Revision != edit.Revision+1 {
		t.Errorf("after the stale save: revision %d, All Users %v; want %d, blocked", g.Revision, got, edit.Revision+1)
	}
	bob, err := a.CreateUser(ctx, admin, NewUserInput{Email: "bob@example.com", Password: "bob password"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DataPermissionGraph(ctx, bob); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("graph for a non-admin = %v, want forbidden", err)
	}
}

func TestGroupAdministration(t *testing.T) {
	a, _, admin := newTestApp(t)
	ctx := context.Background()
	g, err := a.CreateGroup(ctx, admin, "  Customer Acme ")
	if err != nil || g.Name != "Customer Acme" {
		t.Fatalf("CreateGroup = %+v, %v", g, err)
	}
	mia, err := a.CreateUser(ctx, admin, NewUserInput{Email: "mia@example.com", Password: "mia password"})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := a.CreateUser(ctx, admin, NewUserInput{Email: "bob@example.com", Password: "bob password"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.AddMembership(ctx, bob, access.Membership{GroupID: g.ID, UserID: bob.ID}); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("a non-manager adding members = %v, want forbidden", err)
	}
	if err := a.AddMembership(ctx, admin, access.Membership{GroupID: g.ID, UserID: mia.ID, Manager: true}); err != nil {
		t.Fatal(err)
	}
	// Mia manages the group: she may add and remove members, not managers.
	if err := a.AddMembership(ctx, mia, access.Membership{GroupID: g.ID, UserID: bob.ID}); err != nil {
		t.Errorf("a manager adding a member = %v", err)
	}
	if err := a.AddMembership(ctx, mia, access.Membership{GroupID: g.ID, UserID: bob.ID, Manager: true}); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("a manager making a manager = %v, want forbidden", err)
	}
	if err := a.AddMembership(ctx, mia, access.Membership{GroupID: sightline.AdminGroupID, UserID: mia.ID}); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("a manager joining Administrators = %v, want forbidden", err)
	}
	ms, err := a.Memberships(ctx, mia)
	if err != nil || len(ms) != 2 {
		t.Errorf("Memberships for the manager = %+v, %v; want her group's two", ms, err)
	}
	if _, err := a.Memberships(ctx, bob); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("Memberships for a member = %v, want forbidden", err)
	}
	if err := a.RemoveMembership(ctx, mia, g.ID, bob.ID); err != nil {
		t.Errorf("a manager removing a member = %v", err)
	}
	if _, err := a.RenameGroup(ctx, admin, sightline.AllUsersGroupID, "Everyone"); sightline.ErrorCode(err) != sightline.EINVALID {
		t.Errorf("renaming All Users = %v, want invalid", err)
	}
	if err := a.DeleteGroup(ctx, admin, sightline.AdminGroupID); sightline.ErrorCode(err) != sightline.EINVALID {
		t.Errorf("deleting Administrators = %v, want invalid", err)
	}
	if r, err := a.RenameGroup(ctx, admin, g.ID, "Customer Globex"); err != nil || r.Name != "Customer Globex" {
		t.Errorf("RenameGroup = %+v, %v", r, err)
	}
	if err := a.DeleteGroup(ctx, mia, g.ID); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("a manager deleting the group = %v, want forbidden", err)
	}
	if err := a.DeleteGroup(ctx, admin, g.ID); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkDoorSandboxed measures the same INVOICES aggregation (count by
// plan) through the data door for an administrator and for a user whose
// INVOICES are sandboxed: the difference is the cost of permission and
// sandbox evaluation plus the filtered scan.
func BenchmarkDoorSandboxed(b *testing.B) {
	a, _, admin, sample := sampleApp(b)
	ctx := context.Background()
	tables, err := a.Tables(ctx, admin, sample.ID)
	if err != nil {
		b.Fatal(err)
	}
	inv := tableByName(b, tables, "INVOICES")
	g, err := a.CreateGroup(ctx, admin, "Customer Acme")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: g.ID, TableID: inv.ID,
		Remappings: map[string]sandbox.Target{"account_id": {Kind: sandbox.TargetDimension, FieldID: fieldByName(b, inv, "ACCOUNT_ID").ID}}}); err != nil {
		b.Fatal(err)
	}
	ann, err := a.CreateUser(ctx, admin, NewUserInput{Email: "ann@acme.example", Password: "a password", GroupIDs: []int64{g.ID}, Attributes: map[string]string{"account_id": "28"}})
	if err != nil {
		b.Fatal(err)
	}
	plan := &sightline.FieldRef{ID: fieldByName(b, inv, "PLAN").ID}
	q := &sightline.Query{Database: sample.ID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
		SourceTable: inv.ID, Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}}, Breakouts: []sightline.Expr{plan}}}
	for _, u := range []*sightline.User{admin, ann} {
		name := "admin"
		if !u.IsAdmin {
			name = "sandboxed"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := a.RunQuery(ctx, u, q, RunOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("guard-only/sandboxed", func(b *testing.B) {
		md, err := a.metadata(ctx, sample.ID)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := a.guard(ctx, ann, q, cardMetadata{md, ctx, a.content}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
