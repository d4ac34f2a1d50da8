package appdb

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

func TestAuditLog(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		ada := &sightline.User{Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace"}
		if err := db.CreateFirstAdmin(ctx, ada, "h"); err != nil {
			t.Fatal(err)
		}
		// Every entry gets the same second, so order must come from the id.
		at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return at }
		for _, e := range []struct {
			user          int64
			topic, detail string
		}{
			{ada.ID, "group-create", `{"group_id":3,"name":"Acme"}`},
			{ada.ID, "settings", `{"site-name":"Acme BI"}`},
			{0, "user_create", ""},
			{ada.ID, "group-member-add", `{"group_id":3,"user_id":1}`},
			{999, "sandbox-save", `{"table_id":7}`},
		} {
			if err := db.Audit(ctx, e.user, e.topic, e.detail); err != nil {
				t.Fatal(err)
			}
		}
		// short is what a test compares: topic, actor email and detail.
		short := func(es []sightline.AuditEntry) []string {
			var out []string
			for _, e := range es {
				if !e.At.Equal(at) {
					t.Errorf("entry %d At = %v, want %v", e.ID, e.At, at)
				}
				out = append(out, e.Topic+" "+e.Who()+" "+e.Detail)
			}
			return out
		}
		tests := []struct {
			name          string
			prefix        string
			offset, limit int
			want          []string
		}{
			{"all newest first", "", 0, 10, []string{
				`sandbox-save a deleted user {"table_id":7}`,
				`group-member-add Ada Lovelace {"group_id":3,"user_id":1}`,
				`user_create the system {}`,
				`settings Ada Lovelace {"site-name":"Acme BI"}`,
				`group-create Ada Lovelace {"group_id":3,"name":"Acme"}`,
			}},
			{"first page", "", 0, 2, []string{
				`sandbox-save a deleted user {"table_id":7}`,
				`group-member-add Ada Lovelace {"group_id":3,"user_id":1}`,
			}},
			{"second page", "", 2, 2, []string{
				`user_create the system {}`,
				`settings Ada Lovelace {"site-name":"Acme BI"}`,
			}},
			{"past the end", "", 5, 2, nil},
			{"topic prefix", "group", 0, 10, []string{
				`group-member-add Ada Lovelace {"group_id":3,"user_id":1}`,
				`group-create Ada Lovelace {"group_id":3,"name":"Acme"}`,
			}},
			{"prefix with paging", "group", 1, 10, []string{
				`group-create Ada Lovelace {"group_id":3,"name":"Acme"}`,
			}},
			{"underscore is literal", "user_", 0, 10, []string{`user_create the system {}`}},
			{"percent is literal", "%", 0, 10, nil},
			{"no such topic", "dashboard", 0, 10, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.AuditLog(ctx, tt.prefix, tt.offset, tt.limit)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, short(got)); diff != "" {
					t.Errorf("AuditLog(%q, %d, %d) mismatch (-want +got):\n%s", tt.prefix, tt.offset, tt.limit, diff)
				}
			})
		}
		got, err := db.AuditLog(ctx, "settings", 0, 1)
		if err != nil || len(got) != 1 {
			t.Fatalf("AuditLog(settings) = %v, %v", got, err)
		}
		if got[0].UserID != ada.ID || got[0].Email != "ada@example.com" || got[0].FirstName != "Ada" || got[0].LastName != "Lovelace" {
			t.Errorf("the settings entry's actor = %+v, want Ada", got[0])
		}
	})
}
