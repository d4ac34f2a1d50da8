package appdb

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/sandbox"
)

// permFixture adds a database with INVOICES and ACCOUNTS and a group.
func permFixture(t *testing.T, db *DB) (dbID, invoices, accounts, accountID, group int64) {
	t.Helper()
	ctx := context.Background()
	d := &sightline.Database{Name: "Sample", Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: "/tmp/x.db"}}
	if err := db.CreateDatabase(ctx, d); err != nil {
		t.Fatal(err)
	}
	err := db.SaveSync(ctx, d.ID, []sightline.Table{
		{Name: "INVOICES", DisplayName: "Invoices", Fields: []sightline.Field{{Name: "ACCOUNT_ID", BaseType: sightline.BaseInteger}}},
		{Name: "ACCOUNTS", DisplayName: "Accounts", Fields: []sightline.Field{{Name: "ID", BaseType: sightline.BaseInteger}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tables, err := db.Tables(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		switch tb.Name {
		case "INVOICES":
			invoices, accountID = tb.ID, tb.Fields[0].ID
		case "ACCOUNTS":
			accounts = tb.ID
		}
	}
	g := &sightline.Group{Name: "Customer Acme"}
	if err := db.CreateGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	return d.ID, invoices, accounts, accountID, g.ID
}

func TestDataPermissionsRevision(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		dbID, invoices, accounts, _, group := permFixture(t, db)
		g, err := db.PermissionGraph(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if g.DataRevision != 0 || len(g.Data) != 0 {
			t.Fatalf("fresh graph = %+v, want revision 0 and no grants (the defaults)", g)
		}
		nss := access.DBPerms{View: access.ViewNoSelfService, CreateQueries: access.QueryNone, Download: access.DownloadNone}
		granular := access.DBPerms{View: access.ViewGranular, Tables: map[int64]string{invoices: access.ViewUnrestricted, accounts: access.ViewBlocked},
			CreateQueries: access.QueryBuilder, Download: access.DownloadLimited}
		rev, err := db.SaveDataPermissions(ctx, 0, map[int64]map[int64]access.DBPerms{sightline.AllUsersGroupID: {dbID: nss}, group: {dbID: granular}})
		if err != nil || rev != 1 {
			t.Fatalf("SaveDataPermissions = %d, %v; want revision 1", rev, err)
		}
		// A save from the old revision is refused and changes nothing.
		_, err = db.SaveDataPermissions(ctx, 0, map[int64]map[int64]access.DBPerms{sightline.AllUsersGroupID: {dbID: access.DefaultDBPerms(1)}})
		if sightline.ErrorCode(err) != sightline.ECONFLICT {
			t.Errorf("stale save error = %v, want conflict", err)
		}
		g, err = db.PermissionGraph(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]map[int64]access.DBPerms{sightline.AllUsersGroupID: {dbID: nss}, group: {dbID: granular}}
		if g.DataRevision != 1 || !cmp.Equal(want, g.Data) {
			t.Errorf("graph after the stale save: revision %d, %s", g.DataRevision, cmp.Diff(want, g.Data))
		}
		bad := []map[int64]map[int64]access.DBPerms{
			{sightline.AdminGroupID: {dbID: nss}},
			{group: {dbID: {View: "everything", CreateQueries: access.QueryNone, Download: access.DownloadNone}}},
			{group: {dbID: {View: access.ViewGranular, Tables: map[int64]string{999: access.ViewUnrestricted}, CreateQueries: access.QueryNone, Download: access.DownloadNone}}},
			{group: {999: nss}},
		}
		for _, changes := range bad {
			if _, err := db.SaveDataPermissions(ctx, 1, changes); sightline.ErrorCode(err) != sightline.EINVALID {
				t.Errorf("SaveDataPermissions(%v) = %v, want invalid", changes, err)
			}
		}
		if g, _ := db.PermissionGraph(ctx); g.DataRevision != 1 {
			t.Errorf("revision after refused saves = %d, want 1", g.DataRevision)
		}
	})
}

func TestSandboxStore(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		dbID, invoices, accounts, accountID, group := permFixture(t, db)
		perms := access.DBPerms{View: access.ViewUnrestricted, CreateQueries: access.QueryNative, Download: access.DownloadFull}.
			WithTable(invoices, access.ViewSandboxed, []int64{invoices, accounts})
		p := &sandbox.Policy{GroupID: group, TableID: invoices, Remappings: map[string]sandbox.Target{"account_id": {Kind: sandbox.TargetDimension, FieldID: accountID}}}
		rev, err := db.SaveSandbox(ctx, 0, p, dbID, perms)
		if err != nil || rev != 1 || p.ID == 0 {
			t.Fatalf("SaveSandbox = %d, %v (id %d); want revision 1 and an id", rev, err, p.ID)
		}
		// Saving again replaces the group's one sandbox of the table.
		again := *p
		again.ID = 0
		if _, err := db.SaveSandbox(ctx, 1, &again, dbID, perms); err != nil {
			t.Fatal(err)
		}
		all, err := db.Sandboxes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 || !cmp.Equal(all[0].Remappings, p.Remappings) || all[0].GroupID != group {
			t.Fatalf("Sandboxes() = %+v, want the one policy", all)
		}
		g, _ := db.PermissionGraph(ctx)
		if got := g.DB(group, dbID); got.Table(invoices) != access.ViewSandboxed || got.CreateQueries != access.QueryBuilder {
			t.Errorf("grant after sandboxing = %+v, want INVOICES sandboxed and no native SQL", got)
		}
		// Making the table unrestricted again drops the sandbox with it.
		open := perms.WithTable(invoices, access.ViewUnrestricted, []int64{invoices, accounts})
		if _, err := db.SaveDataPermissions(ctx, 2, map[int64]map[int64]access.DBPerms{group: {dbID: open}}); err != nil {
			t.Fatal(err)
		}
		if all, _ := db.Sandboxes(ctx); len(all) != 0 {
			t.Errorf("Sandboxes() after unsandboxing = %+v, want none", all)
		}
		if _, err := db.SaveSandbox(ctx, 3, p, dbID, perms); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DeleteSandbox(ctx, 4, p.ID, dbID, perms.WithTable(invoices, access.ViewBlocked, nil)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Sandbox(ctx, p.ID); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("Sandbox(deleted) = %v, want not found", err)
		}
		if _, err := db.DeleteSandbox(ctx, 5, p.ID, dbID, perms); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("DeleteSandbox(deleted) = %v, want not found", err)
		}
	})
}

func TestCollectionPermissionsStore(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		_, _, _, _, group := permFixture(t, db)
		changes := map[int64]map[int64]string{sightline.AllUsersGroupID: {0: access.CollectionNone, 5: access.CollectionRead}, group: {5: access.CollectionWrite}}
		if rev, err := db.SaveCollectionPermissions(ctx, 0, changes); err != nil || rev != 1 {
			t.Fatalf("SaveCollectionPermissions = %d, %v", rev, err)
		}
		if _, err := db.SaveCollectionPermissions(ctx, 0, changes); sightline.ErrorCode(err) != sightline.ECONFLICT {
			t.Errorf("stale collection save = %v, want conflict", err)
		}
		g, err := db.PermissionGraph(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(changes, g.Collections); diff != "" || g.CollectionRevision != 1 {
			t.Errorf("collection graph revision %d (-want +got):\n%s", g.CollectionRevision, diff)
		}
	})
}

func TestGroupManagement(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		_, _, _, _, group := permFixture(t, db)
		u := &sightline.User{Email: "ann@example.com"}
		if err := db.CreateUser(ctx, u, "", false); err != nil {
			t.Fatal(err)
		}
		admin := &sightline.User{Email: "root@example.com"}
		if err := db.CreateUser(ctx, admin, "", true); err != nil {
			t.Fatal(err)
		}
		if err := db.RenameGroup(ctx, group, "Customer Globex"); err != nil {
			t.Fatal(err)
		}
		other := &sightline.Group{Name: "Other"}
		if err := db.CreateGroup(ctx, other); err != nil {
			t.Fatal(err)
		}
		if err := db.RenameGroup(ctx, other.ID, "Customer Globex"); sightline.ErrorCode(err) != sightline.ECONFLICT {
			t.Errorf("rename to a taken name = %v, want conflict", err)
		}
		for _, id := range []int64{sightline.AllUsersGroupID, sightline.AdminGroupID} {
			if err := db.RenameGroup(ctx, id, "x"); sightline.ErrorCode(err) != sightline.EINVALID {
				t.Errorf("RenameGroup(%d) = %v, want invalid", id, err)
			}
			if err := db.DeleteGroup(ctx, id); sightline.ErrorCode(err) != sightline.EINVALID {
				t.Errorf("DeleteGroup(%d) = %v, want invalid", id, err)
			}
		}
		if err := db.AddMember(ctx, group, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if got, err := db.ManagedGroups(ctx, u.ID); err != nil || !cmp.Equal(got, []int64{group}) {
			t.Errorf("ManagedGroups = %v, %v; want [%d]", got, err, group)
		}
		if err := db.AddMember(ctx, 999, u.ID, false); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("AddMember(unknown group) = %v, want not found", err)
		}
		if err := db.RemoveMember(ctx, sightline.AdminGroupID, admin.ID); sightline.ErrorCode(err) != sightline.EINVALID {
			t.Errorf("removing the last admin = %v, want invalid", err)
		}
		if err := db.RemoveMember(ctx, sightline.AllUsersGroupID, u.ID); sightline.ErrorCode(err) != sightline.EINVALID {
			t.Errorf("leaving All Users = %v, want invalid", err)
		}
		ms, err := db.Memberships(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !cmp.Equal(ms[len(ms)-1], access.Membership{GroupID: group, UserID: u.ID, Manager: true}) {
			t.Errorf("Memberships() = %+v, want Ann managing the group last", ms)
		}
		if err := db.RemoveMember(ctx, group, u.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.RemoveMember(ctx, group, u.ID); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("removing twice = %v, want not found", err)
		}
		if err := db.DeleteGroup(ctx, group); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Group(ctx, group); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("Group(deleted) = %v, want not found", err)
		}
		if g, _ := db.PermissionGraph(ctx); g.DataRevision != 1 || g.CollectionRevision != 1 {
			t.Errorf("revisions after deleting a group = %d, %d; want both moved on", g.DataRevision, g.CollectionRevision)
		}
	})
}
