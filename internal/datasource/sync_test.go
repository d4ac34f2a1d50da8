package datasource

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

// fieldSummary is the part of a synced field the tests pin down.
type fieldSummary struct {
	Name, Base, Semantic string
	PK                   int
	FK                   string
}

func summarize(t Table) []fieldSummary {
	var out []fieldSummary
	for _, f := range t.Fields {
		fs := fieldSummary{Name: f.Name, Base: f.BaseType, Semantic: f.SemanticType, PK: f.PK}
		if f.FK != nil {
			fs.FK = f.FK.Schema + "|" + f.FK.Table + "|" + f.FK.Column
		}
		out = append(out, fs)
	}
	return out
}

func findTable(t *testing.T, md *Metadata, name string) Table {
	t.Helper()
	for _, tb := range md.Tables {
		if tb.Name == name {
			return tb
		}
	}
	t.Fatalf("Sync: no table %q among %d tables", name, len(md.Tables))
	return Table{}
}

func TestSync(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, e.setup(t, fixtureSchema(e.name)))
			md, err := s.Sync(context.Background())
			if err != nil {
				t.Fatalf("Sync() = %v", err)
			}
			schema := ""
			if e.name == sightline.EnginePostgres {
				schema = "public"
			}

			var names []string
			for _, tb := range md.Tables {
				names = append(names, fmt.Sprintf("%s.%s view=%v", tb.Schema, tb.Name, tb.IsView))
			}
			wantNames := []string{
				schema + ".Active Accounts view=true",
				schema + ".accounts view=false",
				schema + ".extras view=false",
				schema + ".order view=false",
			}
			if e.name == sightline.EnginePostgres {
				wantNames = []string{
					"public.Active Accounts view=true",
					"public.account_counts view=true",
					"public.accounts view=false",
					"public.extras view=false",
					"public.order view=false",
				}
			}
			if diff := cmp.Diff(wantNames, names); diff != "" {
				t.Errorf("Sync() tables mismatch (-want +got):\n%s", diff)
			}

			token := fieldSummary{Name: "token", Base: sightline.BaseUUID}
			if e.name == sightline.EngineMySQL {
				// MySQL has no UUID type; two distinct CHAR(36) values read as a category.
				token = fieldSummary{Name: "token", Base: sightline.BaseText, Semantic: sightline.SemanticCategory}
			}
			wantAccounts := []fieldSummary{
				{Name: "id", Base: sightline.BaseInteger, Semantic: sightline.SemanticPK, PK: 1},
				{Name: "email", Base: sightline.BaseText, Semantic: sightline.SemanticEmail},
				{Name: "plan", Base: sightline.BaseText, Semantic: sightline.SemanticCategory},
				{Name: "seats", Base: sightline.BaseBigInt},
				{Name: "active", Base: sightline.BaseBoolean, Semantic: sightline.SemanticCategory},
				{Name: "latitude", Base: sightline.BaseFloat, Semantic: sightline.SemanticLatitude},
				{Name: "longitude", Base: sightline.BaseFloat, Semantic: sightline.SemanticLongitude},
				{Name: "price", Base: sightline.BaseDecimal, Semantic: sightline.SemanticCurrency},
				{Name: "born", Base: sightline.BaseDate},
				{Name: "created_at", Base: sightline.BaseDateTime, Semantic: sightline.SemanticCreationTime},
				{Name: "opens_at", Base: sightline.BaseTime},
				{Name: "profile", Base: sightline.BaseJSON},
				token,
				{Name: "avatar", Base: sightline.BaseBinary},
				{Name: "body", Base: sightline.BaseText, Semantic: sightline.SemanticDescription},
			}
			accounts := findTable(t, md, "accounts")
			if diff := cmp.Diff(wantAccounts, summarize(accounts)); diff != "" {
				t.Errorf("Sync() accounts mismatch (-want +got):\n%s", diff)
			}

			wantOrder := []fieldSummary{
				{Name: "select", Base: sightline.BaseInteger, Semantic: sightline.SemanticFK, PK: 1, FK: schema + "|accounts|id"},
				{Name: "Line No", Base: sightline.BaseInteger, Semantic: sightline.SemanticPK, PK: 2},
				{Name: "Mixed Case", Base: sightline.BaseText, Semantic: sightline.SemanticCategory},
				{Name: `we"ird`, Base: sightline.BaseText, Semantic: sightline.SemanticCategory},
				{Name: "back`tick", Base: sightline.BaseInteger},
			}
			order := findTable(t, md, "order")
			if diff := cmp.Diff(wantOrder, summarize(order)); diff != "" {
				t.Errorf("Sync() order mismatch (-want +got):\n%s", diff)
			}

			view := findTable(t, md, "Active Accounts")
			wantView := []fieldSummary{
				{Name: "id", Base: sightline.BaseInteger},
				{Name: "email", Base: sightline.BaseText, Semantic: sightline.SemanticEmail},
			}
			if diff := cmp.Diff(wantView, summarize(view)); diff != "" {
				t.Errorf("Sync() view mismatch (-want +got):\n%s", diff)
			}

			byName := map[string]Field{}
			for _, f := range accounts.Fields {
				byName[f.Name] = f
			}
			if byName["email"].Nullable || !byName["plan"].Nullable {
				t.Errorf("Sync() nullable: email %v, plan %v; want false, true", byName["email"].Nullable, byName["plan"].Nullable)
			}
			if got, want := byName["plan"].Values, []any{"Basic", "Premium"}; !cmp.Equal(got, want) {
				t.Errorf("Sync() plan values = %v, want %v", got, want)
			}
			if got, want := byName["active"].Values, []any{false, true}; !cmp.Equal(got, want) {
				t.Errorf("Sync() active values = %v, want %v", got, want)
			}
			if accounts.RowCount != 3 {
				t.Errorf("Sync() accounts rows = %d, want 3", accounts.RowCount)
			}
			for i, f := range accounts.Fields {
				if f.Position != i {
					t.Errorf("Sync() %s position = %d, want %d", f.Name, f.Position, i)
				}
			}
			if e.name != sightline.EngineSQLite {
				if got, want := accounts.Description, "One row per customer account"; got != want {
					t.Errorf("Sync() accounts description = %q, want %q", got, want)
				}
				if got, want := byName["plan"].Description, "Subscription plan"; got != want {
					t.Errorf("Sync() plan description = %q, want %q", got, want)
				}
			}

			st := order.Sightline(7)
			if st.DatabaseID != 7 || st.DisplayName != "Order" || st.Fields[1].DisplayName != "Line No" || st.Fields[1].SemanticType != sightline.SemanticPK {
				t.Errorf("Sightline(7) = %+v, want display names and semantic types carried over", st)
			}

			extras := map[string]string{}
			for _, f := range findTable(t, md, "extras").Fields {
				extras[f.Name] = f.BaseType
			}
			wantExtras := map[string]map[string]string{
				sightline.EngineSQLite: {
					"id": sightline.BaseInteger, "stamp_tz": sightline.BaseDateTimeTZ, "free": sightline.BaseUnknown,
					"numberish": sightline.BaseDecimal, "ratio": sightline.BaseFloat,
				},
				sightline.EnginePostgres: {
					"id": sightline.BaseBigInt, "stamp_tz": sightline.BaseDateTimeTZ, "clock_tz": sightline.BaseTime,
					"doc": sightline.BaseJSON, "tags": sightline.BaseArray, "feeling": sightline.BaseText,
					"code": sightline.BaseText, "amount": sightline.BaseDecimal, "ratio": sightline.BaseFloat,
				},
				sightline.EngineMySQL: {
					"id": sightline.BaseBigInt, "small": sightline.BaseInteger, "flag": sightline.BaseBoolean,
					"feeling": sightline.BaseText, "yr": sightline.BaseInteger, "stamp": sightline.BaseDateTime,
					"blobby": sightline.BaseBinary, "ratio": sightline.BaseFloat,
				},
			}[e.name]
			if diff := cmp.Diff(wantExtras, extras); diff != "" {
				t.Errorf("Sync() extras base types mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSyncWith checks the steps a sync reports: the catalog, each table in
// order, then each field whose values it reads; that a skipped table is
// neither probed nor returned; and that neither changes what is synced of
// the other tables.
func TestSyncWith(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, e.setup(t, fixtureSchema(e.name)))
			plain, err := s.Sync(context.Background())
			if err != nil {
				t.Fatalf("Sync() = %v", err)
			}
			var got []string
			md, err := s.SyncWith(context.Background(), SyncOptions{
				Report: func(p Progress) { got = append(got, p.String()) },
				Skip:   func(schema, table string) bool { return table == "extras" },
			})
			if err != nil {
				t.Fatalf("SyncWith() = %v", err)
			}
			kept := slices.DeleteFunc(slices.Clone(plain.Tables), func(t Table) bool { return t.Name == "extras" })
			if len(kept) != len(plain.Tables)-1 {
				t.Fatalf("the fixture has no table extras among %d tables", len(plain.Tables))
			}
			if diff := cmp.Diff(kept, md.Tables); diff != "" {
				t.Errorf("SyncWith() tables differ from Sync()'s without extras (-Sync +SyncWith):\n%s", diff)
			}
			want := []string{"reading tables"}
			values := 0
			for i, tb := range md.Tables {
				want = append(want, fmt.Sprintf("table %d of %d: %s", i+1, len(md.Tables), tb.Name))
				for _, f := range tb.Fields {
					// Some of these have no values: their table is empty.
					if wantsValues(f) {
						values++
					}
				}
			}
			if values == 0 {
				t.Fatal("the fixture has no field with values; the test needs some")
			}
			for k := 1; k <= values; k++ {
				want = append(want, fmt.Sprintf("reading field values %d of %d", k, values))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("SyncWith() reported (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFieldValues(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, e.setup(t, fixtureSchema(e.name)))
			schema := ""
			if e.name == sightline.EnginePostgres {
				schema = "public"
			}
			tests := []struct {
				table, field string
				limit        int
				want         []any
			}{
				{"accounts", "plan", 1000, []any{"Basic", "Premium"}},
				{"accounts", "active", 1000, []any{false, true}},
				{"accounts", "email", 2, []any{"a@example.com", "b@example.com"}},
				{"order", `we"ird`, 0, []any{"y", "z"}},
				{"order", "back`tick", 10, []any{int64(7), int64(8), int64(9)}},
			}
			for _, tt := range tests {
				got, err := s.FieldValues(context.Background(), schema, tt.table, tt.field, tt.limit)
				if err != nil {
					t.Errorf("FieldValues(%s, %s, %d) = %v", tt.table, tt.field, tt.limit, err)
					continue
				}
				if !cmp.Equal(got, tt.want) {
					t.Errorf("FieldValues(%s, %s, %d) = %v, want %v", tt.table, tt.field, tt.limit, got, tt.want)
				}
			}
		})
	}
}
