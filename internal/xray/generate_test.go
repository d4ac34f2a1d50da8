package xray

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/query"
)

// col makes a visible field of table 1; opts adjust it.
func col(id int64, name, base string, opts ...func(*sightline.Field)) sightline.Field {
	f := sightline.Field{ID: id, TableID: 1, Name: name, DisplayName: sightline.HumanizeName(name), BaseType: base,
		Visibility: sightline.VisibilityNormal}
	for _, o := range opts {
		o(&f)
	}
	return f
}

func sem(s string) func(*sightline.Field) { return func(f *sightline.Field) { f.SemanticType = s } }

func hide(f *sightline.Field) { f.Visibility = sightline.VisibilityHidden }

func values(n int64) func(*sightline.Field) {
	return func(f *sightline.Field) { f.SemanticType, f.DistinctCount = sightline.SemanticCategory, n }
}

func fk(target int64) func(*sightline.Field) {
	return func(f *sightline.Field) { f.SemanticType, f.FKTargetFieldID = sightline.SemanticFK, target }
}

// tableOf makes table 1 of database 1 named name with fields.
func tableOf(name string, fields ...sightline.Field) *sightline.Table {
	return &sightline.Table{ID: 1, DatabaseID: 1, Name: name, DisplayName: sightline.HumanizeName(name), Fields: fields}
}

// questionNames lists the names of the questions of d.
func questionNames(d *sightline.Dashboard) []string {
	var out []string
	for _, dc := range d.Cards {
		if dc.Card != nil {
			out = append(out, dc.Card.Name)
		}
	}
	return out
}

// usesField reports whether a question's query refers to field id.
func usesField(t *testing.T, c *sightline.Card, id int64) bool {
	t.Helper()
	b, err := json.Marshal(c.Query)
	if err != nil {
		t.Fatalf("marshal query of %q: %v", c.Name, err)
	}
	return strings.Contains(string(b), fmt.Sprintf(`"field",%d,`, id))
}

func TestGenerateInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   *sightline.Table
	}{
		{"nil table", nil},
		{"no fields", tableOf("EMPTY")},
		{"not synced", &sightline.Table{Name: "T", Fields: []sightline.Field{col(1, "ID", sightline.BaseInteger)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Generate(tt.in, nil, Options{})
			if got := sightline.ErrorCode(err); got != sightline.EINVALID || d != nil {
				t.Errorf("Generate(%s) = %v, %v, want nil, an %s error", tt.name, d, err, sightline.EINVALID)
			}
		})
	}
}

func TestMainDate(t *testing.T) {
	tests := []struct {
		name   string
		fields []sightline.Field
		want   string
	}{
		{"creation timestamp first", []sightline.Field{
			col(1, "SHIPPED_AT", sightline.BaseDateTime),
			col(2, "CREATED", sightline.BaseDateTime, sem(sightline.SemanticCreationTime)),
		}, "CREATED"},
		{"creation-like name before a neutral one", []sightline.Field{
			col(1, "SHIPPED_AT", sightline.BaseDateTime),
			col(2, "SIGNUP_DATE", sightline.BaseDate),
		}, "SIGNUP_DATE"},
		{"first neutral date", []sightline.Field{
			col(1, "DATE_RECEIVED", sightline.BaseDate),
			col(2, "PAID_ON", sightline.BaseDate),
		}, "DATE_RECEIVED"},
		{"birth dates never", []sightline.Field{
			col(1, "BIRTH_DATE", sightline.BaseDate),
			col(2, "DOB", sightline.BaseDate),
			col(3, "UPDATED_AT", sightline.BaseDateTimeTZ),
		}, "UPDATED_AT"},
		{"later events last", []sightline.Field{
			col(1, "CANCELED_AT", sightline.BaseDateTime),
			col(2, "TRIAL_ENDS_AT", sightline.BaseDateTime),
			col(3, "ORDERED", sightline.BaseDateTime),
		}, "ORDERED"},
		{"hidden and times of day skipped", []sightline.Field{
			col(1, "CREATED_AT", sightline.BaseDateTime, sem(sightline.SemanticCreationTime), hide),
			col(2, "OPENS_AT", sightline.BaseTime),
			col(3, "VISITED", sightline.BaseDate),
		}, "VISITED"},
		{"no date", []sightline.Field{
			col(1, "BIRTHDAY", sightline.BaseDate),
			col(2, "NAME", sightline.BaseText),
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := mainDate(tableOf("T", tt.fields...))
			got := ""
			if f != nil {
				got = f.Name
			}
			if got != tt.want {
				t.Errorf("mainDate(%s) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

// TestRoles checks which questions a small table gets and which columns
// they leave alone: hidden columns, keys, coordinates and unlinked IDs are
// never summed.
func TestRoles(t *testing.T) {
	tbl := tableOf("SHIPMENTS",
		col(1, "ID", sightline.BaseInteger, sem(sightline.SemanticPK)),
		col(2, "CARRIER_ID", sightline.BaseInteger),
		col(3, "WEIGHT", sightline.BaseFloat),
		col(4, "COST", sightline.BaseDecimal, sem(sightline.SemanticCurrency), hide),
		col(5, "LATITUDE", sightline.BaseFloat, sem(sightline.SemanticLatitude)),
		col(6, "LONGITUDE", sightline.BaseFloat, sem(sightline.SemanticLongitude)),
		col(7, "STATUS", sightline.BaseText, values(4)),
		col(8, "PORT", sightline.BaseText, values(25)),
		col(9, "FRAGILE", sightline.BaseBoolean),
		col(10, "SCORE", sightline.BaseInteger, sem(sightline.SemanticScore)),
	)
	d, err := Generate(tbl, nil, Options{})
	if err != nil {
		t.Fatalf("Generate = %v", err)
	}
	want := []string{
		"Total Shipments",
		"Shipments by location",
		"Shipments per Status", "Shipments per Fragile", "Shipments per Port (top 10)",
		"Distribution of Weight", "Distribution of Score",
	}
	if diff := cmp.Diff(want, questionNames(d)); diff != "" {
		t.Errorf("questions (-want +got):\n%s", diff)
	}
	for _, dc := range d.Cards {
		if dc.Card == nil {
			continue
		}
		for _, id := range []int64{2, 4} {
			if usesField(t, dc.Card, id) {
				t.Errorf("question %q uses field %d, which it should leave alone", dc.Card.Name, id)
			}
		}
	}
	var params []string
	for _, p := range d.Parameters {
		params = append(params, p.ID+" "+p.Type)
	}
	if diff := cmp.Diff([]string{"status category", "port category"}, params); diff != "" {
		t.Errorf("filters (-want +got):\n%s", diff)
	}
}

// TestRelated checks what foreign keys bring: named distinct counts, the
// linked table's geography when the table has none, and its categories;
// without metadata the X-ray still works, with fewer questions.
func TestRelated(t *testing.T) {
	accounts := sightline.Table{ID: 2, DatabaseID: 1, Name: "ACCOUNTS", DisplayName: "Accounts", Fields: []sightline.Field{
		{ID: 20, TableID: 2, Name: "ID", DisplayName: "ID", BaseType: sightline.BaseInteger, SemanticType: sightline.SemanticPK},
		{ID: 21, TableID: 2, Name: "PLAN", DisplayName: "Plan", BaseType: sightline.BaseText, SemanticType: sightline.SemanticCategory, DistinctCount: 3},
		{ID: 22, TableID: 2, Name: "STATE", DisplayName: "State", BaseType: sightline.BaseText, SemanticType: sightline.SemanticState, DistinctCount: 50},
	}}
	invoices := tableOf("INVOICES",
		col(1, "ID", sightline.BaseInteger, sem(sightline.SemanticPK)),
		col(2, "ACCOUNT_ID", sightline.BaseInteger, fk(20)),
		col(3, "PAID_AT", sightline.BaseDateTime),
	)
	md := query.NewStaticMetadata([]sightline.Table{*invoices, accounts}, nil)
	tests := []struct {
		name string
		md   Metadata
		want []string
	}{
		{"with metadata", md, []string{
			"Total Invoices", "Invoices with Paid At in the last 30 days", "Distinct Accounts in Invoices",
			"Invoices per month", "Invoices per day of the week", "Invoices per month of the year",
			"Map of Invoices per Account State", "Invoices per Account State (top 10)",
			"Invoices per Account Plan",
		}},
		{"without metadata", nil, []string{
			"Total Invoices", "Invoices with Paid At in the last 30 days", "Distinct Account ID values in Invoices",
			"Invoices per month", "Invoices per day of the week", "Invoices per month of the year",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Generate(invoices, tt.md, Options{})
			if err != nil {
				t.Fatalf("Generate = %v", err)
			}
			if diff := cmp.Diff(tt.want, questionNames(d)); diff != "" {
				t.Errorf("questions (-want +got):\n%s", diff)
			}
			var params []string
			for _, p := range d.Parameters {
				params = append(params, p.ID)
			}
			if diff := cmp.Diff([]string{"paid_at"}, params); diff != "" {
				t.Errorf("filters (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRegionMaps checks the "where" section's region maps: a map per
// country or state column, of the table or of a linked table, counting rows
// per value on the right region map, next to a top-ten row chart when the
// column has more values than a row chart holds.
func TestRegionMaps(t *testing.T) {
	accounts := sightline.Table{ID: 2, DatabaseID: 1, Name: "ACCOUNTS", DisplayName: "Accounts", Fields: []sightline.Field{
		{ID: 20, TableID: 2, Name: "ID", DisplayName: "ID", BaseType: sightline.BaseInteger, SemanticType: sightline.SemanticPK},
		{ID: 21, TableID: 2, Name: "COUNTRY", DisplayName: "Country", BaseType: sightline.BaseText, SemanticType: sightline.SemanticCountry, DistinctCount: 120},
	}}
	invoices := tableOf("INVOICES",
		col(1, "ID", sightline.BaseInteger, sem(sightline.SemanticPK)),
		col(2, "ACCOUNT_ID", sightline.BaseInteger, fk(20)),
	)
	tests := []struct {
		name  string
		table *sightline.Table
		md    Metadata
		want  []string
	}{
		{
			name: "own country and state",
			table: tableOf("OFFICES",
				col(1, "ID", sightline.BaseInteger, sem(sightline.SemanticPK)),
				col(2, "COUNTRY", sightline.BaseText, values(8), sem(sightline.SemanticCountry)),
				col(3, "STATE", sightline.BaseText, values(50), sem(sightline.SemanticState)),
			),
			want: []string{
				`map "Map of Offices per Country" by [field 2 via 0] {"graph.dimensions":["COUNTRY"],"graph.metrics":["count"],"map.region":"world_countries"}`,
				`map "Map of Offices per State" by [field 3 via 0] {"graph.dimensions":["STATE"],"graph.metrics":["count"],"map.region":"us_states"}`,
				`row "Offices per State (top 10)" by [field 3 via 0] {"graph.dimensions":["STATE"],"graph.metrics":["count"]}`,
			},
		},
		{
			name:  "country of the linked account",
			table: invoices,
			md:    query.NewStaticMetadata([]sightline.Table{*invoices, accounts}, nil),
			want: []string{
				`map "Map of Invoices per Account Country" by [field 21 via 2] {"graph.dimensions":["COUNTRY"],"graph.metrics":["count"],"map.region":"world_countries"}`,
				`row "Invoices per Account Country (top 10)" by [field 21 via 2] {"graph.dimensions":["COUNTRY"],"graph.metrics":["count"]}`,
			},
		},
		{name: "no areas", table: tableOf("NOTES", col(1, "ID", sightline.BaseInteger, sem(sightline.SemanticPK)))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Generate(tt.table, tt.md, Options{})
			if err != nil {
				t.Fatalf("Generate = %v", err)
			}
			var got []string
			for _, dc := range d.Cards {
				c := dc.Card
				if c == nil || (c.Display != "map" && c.Display != "row") || !strings.Contains(c.Name, "Country") && !strings.Contains(c.Name, "State") {
					continue
				}
				var by []string
				for _, e := range c.Query.Structured.Breakouts {
					r, ok := e.(*sightline.FieldRef)
					if !ok {
						t.Fatalf("breakout of %q is %T, want a field", c.Name, e)
					}
					by = append(by, fmt.Sprintf("field %d via %d", r.ID, r.SourceField))
				}
				got = append(got, fmt.Sprintf("%s %q by %s %s", c.Display, c.Name, by, c.VizSettings))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("area cards (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMaxCards checks the cap: the most telling questions stay, in
// dashboard order.
func TestMaxCards(t *testing.T) {
	fields := []sightline.Field{
		col(1, "ID", sightline.BaseInteger, sem(sightline.SemanticPK)),
		col(2, "CREATED_AT", sightline.BaseDateTime, sem(sightline.SemanticCreationTime)),
	}
	for i := range 20 {
		fields = append(fields, col(int64(10+i), fmt.Sprintf("AMOUNT_%d", i+1), sightline.BaseFloat))
	}
	tbl := tableOf("LEDGER", fields...)
	tests := []struct {
		max  int
		want int
	}{
		{0, DefaultMaxCards},
		{5, 5},
		{100, 2 + 3 + 20*3},
	}
	for _, tt := range tests {
		d, err := Generate(tbl, nil, Options{MaxCards: tt.max})
		if err != nil {
			t.Fatalf("Generate(MaxCards %d) = %v", tt.max, err)
		}
		names := questionNames(d)
		if len(names) != tt.want {
			t.Errorf("Generate(MaxCards %d) has %d questions, want %d", tt.max, len(names), tt.want)
		}
		if tt.max == 5 {
			want := []string{"Total Ledger", "Ledger added in the last 30 days", "Ledger per month",
				"Sum of Amount 1 per month", "Average Amount 1 per month"}
			if diff := cmp.Diff(want, names); diff != "" {
				t.Errorf("Generate(MaxCards 5) questions (-want +got):\n%s", diff)
			}
		}
	}
}

// TestFilterIDs checks that filter IDs are unique slugs of column names.
func TestFilterIDs(t *testing.T) {
	tbl := tableOf("T",
		col(1, "Kind", sightline.BaseText, values(3)),
		col(2, "kind", sightline.BaseText, values(2)),
		col(3, "Created On", sightline.BaseDate),
	)
	d, err := Generate(tbl, nil, Options{})
	if err != nil {
		t.Fatalf("Generate = %v", err)
	}
	var got []string
	for _, p := range d.Parameters {
		got = append(got, p.ID+"/"+p.Slug+"/"+p.Type)
	}
	want := []string{"created_on/created_on/date/all-options", "kind/kind/category", "kind_2/kind_2/category"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("filters (-want +got):\n%s", diff)
	}
}
