package appdb

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/sandbox"
)

// TestSetMembershipsAndClearGroup changes a person's groups in one go and
// empties a group, on every app database dialect.
func TestSetMembershipsAndClearGroup(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		_, _, _, _, group := permFixture(t, db)
		admin := &sightline.User{Email: "root@example.com"}
		ann := &sightline.User{Email: "ann@example.com"}
		for i, u := range []*sightline.User{admin, ann} {
			if err := db.CreateUser(ctx, u, "", i == 0); err != nil {
				t.Fatal(err)
			}
		}
		groupsOf := func(id int64) map[int64]bool {
			t.Helper()
			ms, err := db.Memberships(ctx)
			if err != nil {
				t.Fatal(err)
			}
			out := map[int64]bool{}
			for _, m := range ms {
				if m.UserID == id {
					out[m.GroupID] = m.Manager
				}
			}
			return out
		}
		set := []access.Membership{{GroupID: group, UserID: ann.ID, Manager: true}, {GroupID: sightline.AdminGroupID, UserID: ann.ID}}
		if err := db.SetMemberships(ctx, ann.ID, set, nil); err != nil {
			t.Fatal(err)
		}
		want := map[int64]bool{sightline.AllUsersGroupID: false, sightline.AdminGroupID: false, group: true}
		if got := groupsOf(ann.ID); !cmp.Equal(got, want) {
			t.Errorf("Ann's groups = %v, want %v", got, want)
		}
		// With two administrators, one may stop being one; then the last
		// may not, and a refused change changes nothing, not even its
		// other parts.
		if err := db.SetMemberships(ctx, admin.ID, nil, []int64{sightline.AdminGroupID}); err != nil {
			t.Fatal(err)
		}
		err := db.SetMemberships(ctx, ann.ID, []access.Membership{{GroupID: group, UserID: ann.ID}}, []int64{sightline.AdminGroupID})
		if sightline.ErrorCode(err) != sightline.EINVALID {
			t.Errorf("demoting the last administrator = %v, want invalid", err)
		}
		if got := groupsOf(ann.ID); !cmp.Equal(got, want) {
			t.Errorf("Ann's groups after a refused change = %v, want %v", got, want)
		}
		if err := db.SetMemberships(ctx, ann.ID, nil, []int64{sightline.AllUsersGroupID}); sightline.ErrorCode(err) != sightline.EINVALID {
			t.Errorf("leaving All Users = %v, want invalid", err)
		}
		if err := db.SetMemberships(ctx, ann.ID, []access.Membership{{GroupID: 999, UserID: ann.ID}}, nil); sightline.ErrorCode(err) != sightline.ENOTFOUND {
			t.Errorf("joining an unknown group = %v, want not found", err)
		}
		if err := db.AddMember(ctx, group, admin.ID, false); err != nil {
			t.Fatal(err)
		}
		removed, err := db.ClearGroup(ctx, group)
		if err != nil || !cmp.Equal(removed, []int64{admin.ID, ann.ID}) {
			t.Errorf("ClearGroup = %v, %v; want both people removed", removed, err)
		}
		if g, err := db.Group(ctx, group); err != nil || g.MemberCount != 0 {
			t.Errorf("group after ClearGroup = %+v, %v; want no members", g, err)
		}
		for _, id := range []int64{sightline.AllUsersGroupID, sightline.AdminGroupID} {
			if _, err := db.ClearGroup(ctx, id); sightline.ErrorCode(err) != sightline.EINVALID {
				t.Errorf("ClearGroup(%d) = %v, want invalid", id, err)
			}
		}
	})
}

// TestSaveDataPermissionsAndSandboxes saves a grant and a sandbox together,
// and refuses both when one fails or the revision is stale.
func TestSaveDataPermissionsAndSandboxes(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		dbID, invoices, accounts, accountID, group := permFixture(t, db)
		perms := access.DBPerms{View: access.ViewUnrestricted, CreateQueries: access.QueryBuilder, Download: access.DownloadFull}.
			WithTable(invoices, access.ViewSandboxed, []int64{invoices, accounts})
		changes := map[int64]map[int64]access.DBPerms{group: {dbID: perms}}
		good := &sandbox.Policy{GroupID: group, TableID: invoices, Remappings: map[string]sandbox.Target{"account_id": {Kind: sandbox.TargetDimension, FieldID: accountID}}}
		bad := &sandbox.Policy{GroupID: group, TableID: 999999}
		if _, err := db.SaveDataPermissionsAndSandboxes(ctx, 0, changes, []*sandbox.Policy{good, bad}); sightline.ErrorCode(err) != sightline.EINVALID {
			t.Errorf("saving with a sandbox of an unknown table = %v, want invalid", err)
		}
		if _, err := db.SaveDataPermissionsAndSandboxes(ctx, 5, changes, []*sandbox.Policy{good}); sightline.ErrorCode(err) != sightline.ECONFLICT {
			t.Errorf("saving at a stale revision = %v, want conflict", err)
		}
		if all, _ := db.Sandboxes(ctx); len(all) != 0 {
			t.Fatalf("sandboxes after refused saves = %+v, want none", all)
		}
		if g, _ := db.PermissionGraph(ctx); g.DataRevision != 0 || g.DB(group, dbID).Table(invoices) == access.ViewSandboxed {
			t.Fatalf("graph after refused saves = revision %d, %+v; want it untouched", g.DataRevision, g.DB(group, dbID))
		}
		rev, err := db.SaveDataPermissionsAndSandboxes(ctx, 0, changes, []*sandbox.Policy{good})
		if err != nil || rev != 1 || good.ID == 0 {
			t.Fatalf("SaveDataPermissionsAndSandboxes = %d, %v (id %d); want revision 1 and an id", rev, err, good.ID)
		}
		if g, _ := db.PermissionGraph(ctx); g.DB(group, dbID).Table(invoices) != access.ViewSandboxed {
			t.Errorf("grant after the save = %+v, want INVOICES sandboxed", g.DB(group, dbID))
		}
	})
}
