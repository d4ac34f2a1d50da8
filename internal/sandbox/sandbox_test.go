package sandbox

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/query"
)

// meta is an in-memory Metadata: INVOICES (1) with ACCOUNT_ID (10, integer),
// PLAN (11, text), PAYMENT (12, float), CREATED (13, date), EXTERNAL_ID (14, big integer) and ACCOUNTS (2)
// with ID (20); saved questions by ID, and the columns SQL views return by
// their SQL.
type meta struct {
	cards   map[int64]*sightline.Query
	columns map[string][]string
}

func fields() map[int64]*sightline.Field {
	return map[int64]*sightline.Field{
		10: {ID: 10, TableID: 1, Name: "ACCOUNT_ID", BaseType: sightline.BaseInteger},
		11: {ID: 11, TableID: 1, Name: "PLAN", BaseType: sightline.BaseText},
		12: {ID: 12, TableID: 1, Name: "PAYMENT", BaseType: sightline.BaseFloat},
		13: {ID: 13, TableID: 1, Name: "CREATED", BaseType: sightline.BaseDate},
		14: {ID: 14, TableID: 1, Name: "EXTERNAL_ID", BaseType: sightline.BaseBigInt},
		20: {ID: 20, TableID: 2, Name: "ID", BaseType: sightline.BaseBigInt},
	}
}

func (meta) Table(id int64) (*sightline.Table, error) {
	var t *sightline.Table
	switch id {
	case 1:
		t = &sightline.Table{ID: 1, Name: "INVOICES", DisplayName: "Invoices"}
	case 2:
		t = &sightline.Table{ID: 2, Name: "ACCOUNTS", DisplayName: "Accounts"}
	default:
		return nil, sightline.Errorf(sightline.ENOTFOUND, "no table %d", id)
	}
	for fid := int64(10); fid <= 20; fid++ {
		if f, ok := fields()[fid]; ok && f.TableID == id {
			t.Fields = append(t.Fields, *f)
		}
	}
	return t, nil
}

func (m meta) ViewColumns(t *sightline.Table, v query.View) ([]string, error) {
	if cols, ok := m.columns[v.Native.SQL]; ok {
		return cols, nil
	}
	return nil, sightline.Errorf(sightline.EINVALID, "no such table: NOPE")
}

func (meta) Field(id int64) (*sightline.Field, error) {
	if f, ok := fields()[id]; ok {
		return f, nil
	}
	return nil, sightline.Errorf(sightline.ENOTFOUND, "no field %d", id)
}

func (m meta) Card(id int64) (*sightline.Query, error) {
	if q, ok := m.cards[id]; ok {
		return q, nil
	}
	return nil, sightline.Errorf(sightline.ENOTFOUND, "no card %d", id)
}

func byColumn(group, table, field int64, attr string) Policy {
	return Policy{GroupID: group, TableID: table, Remappings: map[string]Target{attr: {Kind: TargetDimension, FieldID: field}}}
}

func eq(field int64, v any) sightline.Expr {
	return &sightline.Compare{Op: sightline.OpEq, Left: &sightline.FieldRef{ID: field}, Values: []sightline.Expr{&sightline.Value{V: v}}}
}

func none(field int64) sightline.Expr {
	return nothing(&sightline.FieldRef{ID: field})
}

func TestViewConvertsTheAttribute(t *testing.T) {
	long := strings.Repeat("x", 100_000)
	tests := []struct {
		name  string
		field int64
		value string
		want  sightline.Expr
	}{
		{"integer", 10, "28", eq(10, int64(28))},
		{"integer with spaces", 10, " 28 ", eq(10, int64(28))},
		{"injection into an integer matches nothing", 10, "28 OR 1=1", none(10)},
		{"quotes into an integer match nothing", 10, "28' OR '1'='1", none(10)},
		{"very long value into an integer matches nothing", 10, long, none(10)},
		{"big integer column", 14, "9007199254740993", eq(14, int64(9007199254740993))},
		{"text compares as text", 11, "Basic", eq(11, "Basic")},
		{"quotes into text stay a bound value", 11, "' OR '1'='1", eq(11, "' OR '1'='1")},
		{"float", 12, "295.5", eq(12, 295.5)},
		{"float NaN matches nothing", 12, "NaN", none(12)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := View(map[string]string{"a": tt.value}, byColumn(3, 1, tt.field, "a"), meta{})
			if err != nil {
				t.Fatalf("View(%.20q) error = %v", tt.value, err)
			}
			if diff := cmp.Diff(query.View{Filter: tt.want}, got); diff != "" {
				t.Errorf("Filter(%.20q) (-want +got):\n%s", tt.value, diff)
			}
		})
	}
}

func TestViewFailsClosed(t *testing.T) {
	broken := &sightline.Query{Type: sightline.QueryTypeNative, Native: &sightline.NativeQuery{SQL: "SELECT * FROM NOPE"}}
	summary := &sightline.Query{Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: 1, Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}}}}
	other := &sightline.Query{Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: 2}}
	joinedColumn := &sightline.Query{Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: 1, Fields: []sightline.Expr{&sightline.FieldRef{ID: 20, SourceField: 10}}}}
	foreign := nativeQuestion("SELECT ID FROM ACCOUNTS", "")
	lower := nativeQuestion("SELECT account_id FROM INVOICES", "")
	fieldFilter := nativeQuestion("SELECT ACCOUNT_ID FROM INVOICES WHERE {{f}}", "f")
	fieldFilter.Native.TemplateTags[0].Type = sightline.TagDimension
	md := meta{
		cards:   map[int64]*sightline.Query{1: broken, 2: summary, 3: other, 6: joinedColumn, 7: foreign, 8: lower, 9: fieldFilter, 10: accountSQL()},
		columns: map[string][]string{"SELECT ID FROM ACCOUNTS": {"ID"}, "SELECT account_id FROM INVOICES": {"account_id"}, "SELECT ACCOUNT_ID FROM INVOICES WHERE {{f}}": {"ACCOUNT_ID"}, accountSQL().Native.SQL: {"ACCOUNT_ID", "PLAN"}},
	}
	bound := func(card int64, tag string) Policy {
		return Policy{GroupID: 3, TableID: 1, CardID: card, Remappings: map[string]Target{"account_id": {Kind: TargetVariable, Tag: tag}}}
	}
	tests := []struct {
		name  string
		p     Policy
		attrs map[string]string
		want  string
	}{
		{"missing attribute", byColumn(3, 1, 10, "account_id"), nil, "requires the user attribute account_id"},
		{"empty attribute", byColumn(3, 1, 10, "account_id"), map[string]string{"account_id": " "}, "requires the user attribute account_id"},
		{"dropped column", byColumn(3, 1, 99, "account_id"), map[string]string{"account_id": "28"}, "column that no longer exists"},
		{"column of another table", byColumn(3, 1, 20, "account_id"), map[string]string{"account_id": "28"}, "column that no longer exists"},
		{"dropped table", byColumn(3, 9, 10, "account_id"), map[string]string{"account_id": "28"}, "no longer exists"},
		{"unsupported column type", byColumn(3, 1, 13, "d"), map[string]string{"d": "2024-01-01"}, "cannot be compared"},
		{"SQL question that fails", Policy{GroupID: 3, TableID: 1, CardID: 1}, nil, "no such table"},
		{"summarized question", Policy{GroupID: 3, TableID: 1, CardID: 2}, nil, "may only filter"},
		{"question on another table", Policy{GroupID: 3, TableID: 1, CardID: 3}, nil, "must start from that table"},
		{"deleted question", Policy{GroupID: 3, TableID: 1, CardID: 4}, nil, "no longer exists"},
		{"column through a foreign key", Policy{GroupID: 3, TableID: 1, CardID: 6}, nil, "plain columns"},
		{"variable without a SQL question", Policy{GroupID: 3, TableID: 1, Remappings: map[string]Target{"a": {Kind: TargetVariable, Tag: "a"}}}, map[string]string{"a": "1"}, "SQL variable"},
		{"SQL returning another table's column", Policy{GroupID: 3, TableID: 1, CardID: 7}, nil, "not a column of Invoices"},
		{"SQL column named in another case", Policy{GroupID: 3, TableID: 1, CardID: 8}, nil, "name it ACCOUNT_ID"},
		{"attribute of a SQL variable missing", bound(10, "account_id"), nil, "requires the user attribute account_id"},
		{"unknown variable", bound(10, "acct"), map[string]string{"account_id": "28"}, "does not have"},
		{"attribute into a field filter", bound(9, "f"), map[string]string{"account_id": "28"}, "only text, number and date"},
		{"column the SQL does not return", Policy{GroupID: 3, TableID: 1, CardID: 10, Remappings: map[string]Target{"account_id": {Kind: TargetVariable, Tag: "account_id"}, "p": {Kind: TargetDimension, FieldID: 12}}}, map[string]string{"account_id": "28", "p": "1"}, "does not return"},
		{"filters nothing", Policy{GroupID: 3, TableID: 1}, nil, "filters nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := View(tt.attrs, tt.p, md)
			if err == nil || sightline.ErrorCode(err) != sightline.EFORBIDDEN || !strings.Contains(sightline.ErrorMessage(err), tt.want) {
				t.Errorf("View(%+v) = %v, %v; want a forbidden error containing %q", tt.p, got, err, tt.want)
			}
		})
	}
}

func TestViewWithQuestion(t *testing.T) {
	view := &sightline.Query{Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: 1, Filter: eq(11, "Basic")}}
	p := byColumn(3, 1, 10, "account_id")
	p.CardID = 5
	got, err := View(map[string]string{"account_id": "28"}, p, meta{cards: map[int64]*sightline.Query{5: view}})
	if err != nil {
		t.Fatal(err)
	}
	want := query.View{Filter: &sightline.Logical{Op: sightline.OpAnd, Args: []sightline.Expr{eq(11, "Basic"), eq(10, int64(28))}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("View(question and column) (-want +got):\n%s", diff)
	}
}

func TestViewWithColumnChoice(t *testing.T) {
	view := &sightline.Query{Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: 1,
		Fields: []sightline.Expr{&sightline.FieldRef{ID: 10}, &sightline.FieldRef{ID: 11}}}}
	md := meta{cards: map[int64]*sightline.Query{5: view}}
	got, err := View(nil, Policy{GroupID: 3, TableID: 1, CardID: 5}, md)
	if err != nil {
		t.Fatal(err)
	}
	want := query.View{Visible: map[int64]bool{10: true, 11: true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("View(column choice) (-want +got):\n%s", diff)
	}
	p := byColumn(3, 1, 10, "account_id")
	p.CardID = 5
	got, err = View(map[string]string{"account_id": "28"}, p, md)
	if err != nil {
		t.Fatal(err)
	}
	want = query.View{Filter: eq(10, int64(28)), Visible: map[int64]bool{10: true, 11: true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("View(column choice and column) (-want +got):\n%s", diff)
	}
}

// nativeQuestion is a SQL question with one number variable (if tag is
// not empty).
func nativeQuestion(sql, tag string) *sightline.Query {
	n := &sightline.NativeQuery{SQL: sql}
	if tag != "" {
		n.TemplateTags = []sightline.TemplateTag{{Name: tag, Type: sightline.TagNumber}}
	}
	return &sightline.Query{Type: sightline.QueryTypeNative, Native: n}
}

// accountSQL is a SQL view of INVOICES bound to an account.
func accountSQL() *sightline.Query {
	return nativeQuestion("SELECT ACCOUNT_ID, PLAN FROM INVOICES WHERE ACCOUNT_ID = {{account_id}}", "account_id")
}

func TestViewWithSQLQuestion(t *testing.T) {
	sql := accountSQL()
	md := meta{cards: map[int64]*sightline.Query{5: sql}, columns: map[string][]string{sql.Native.SQL: {"ACCOUNT_ID", "PLAN"}}}
	p := Policy{GroupID: 3, TableID: 1, CardID: 5, Remappings: map[string]Target{"account_id": {Kind: TargetVariable, Tag: "account_id"}}}
	param := func(v any) []sightline.Parameter {
		return []sightline.Parameter{{TargetKind: sightline.TargetVariable, Tag: "account_id", Type: sightline.TagNumber, Value: v}}
	}
	visible := map[int64]bool{10: true, 11: true}
	tests := []struct {
		name  string
		value string
		want  query.View
	}{
		{"number", "28", query.View{Native: sql.Native, Params: param(int64(28)), Visible: visible}},
		{"injection has no rows", "28 OR 1=1", query.View{Native: sql.Native, Params: param(int64(0)), Visible: visible, Empty: true}},
		{"quotes have no rows", "28'; DROP TABLE INVOICES; --", query.View{Native: sql.Native, Params: param(int64(0)), Visible: visible, Empty: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := View(map[string]string{"account_id": tt.value}, p, md)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("View(%q) (-want +got):\n%s", tt.value, diff)
			}
		})
	}
	t.Run("text variable stays a bound value", func(t *testing.T) {
		text := nativeQuestion("SELECT PLAN FROM INVOICES WHERE PLAN = {{plan}}", "plan")
		text.Native.TemplateTags[0].Type = sightline.TagText
		md := meta{cards: map[int64]*sightline.Query{6: text}, columns: map[string][]string{text.Native.SQL: {"PLAN"}}}
		p := Policy{GroupID: 3, TableID: 1, CardID: 6, Remappings: map[string]Target{"plan": {Kind: TargetVariable, Tag: "plan"}}}
		got, err := View(map[string]string{"plan": "' OR '1'='1"}, p, md)
		if err != nil {
			t.Fatal(err)
		}
		want := []sightline.Parameter{{TargetKind: sightline.TargetVariable, Tag: "plan", Type: sightline.TagText, Value: "' OR '1'='1"}}
		if diff := cmp.Diff(want, got.Params); diff != "" || got.Empty {
			t.Errorf("View(text) params (-want +got):\n%s, empty %v", diff, got.Empty)
		}
	})
	t.Run("column filter on top", func(t *testing.T) {
		p := Policy{GroupID: 3, TableID: 1, CardID: 5, Remappings: map[string]Target{"account_id": {Kind: TargetVariable, Tag: "account_id"}, "plan": {Kind: TargetDimension, FieldID: 11}}}
		got, err := View(map[string]string{"account_id": "28", "plan": "Basic"}, p, md)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(eq(11, "Basic"), got.Filter); diff != "" {
			t.Errorf("View filter (-want +got):\n%s", diff)
		}
	})
}

func TestTableViews(t *testing.T) {
	acme := byColumn(3, 1, 10, "account_id")
	globex := byColumn(4, 1, 11, "plan")
	sameAsAcme := byColumn(5, 1, 10, "account_id")
	policies := []Policy{acme, globex, sameAsAcme, byColumn(3, 2, 20, "account_id")}
	attrs := map[string]string{"account_id": "28", "plan": "Basic"}
	tests := []struct {
		name      string
		sandboxed map[int64][]int64
		views     map[int64]query.View
		errs      map[int64]string
	}{
		{"one group", map[int64][]int64{1: {3}, 2: {3}}, map[int64]query.View{1: {Filter: eq(10, int64(28))}, 2: {Filter: eq(20, int64(28))}}, nil},
		{"two groups, same policy", map[int64][]int64{1: {3, 5}}, map[int64]query.View{1: {Filter: eq(10, int64(28))}}, nil},
		{"two groups, different policies", map[int64][]int64{1: {3, 4}, 2: {3}}, map[int64]query.View{2: {Filter: eq(20, int64(28))}}, map[int64]string{1: "Conflicting sandboxes"}},
		{"sandboxed without a policy", map[int64][]int64{2: {4}}, map[int64]query.View{}, map[int64]string{2: "without a sandbox policy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			views, errs := TableViews(attrs, tt.sandboxed, policies, meta{})
			if diff := cmp.Diff(tt.views, views); diff != "" {
				t.Errorf("views (-want +got):\n%s", diff)
			}
			if len(errs) != len(tt.errs) {
				t.Fatalf("errors = %v, want %v", errs, tt.errs)
			}
			for table, want := range tt.errs {
				if !strings.Contains(sightline.ErrorMessage(errs[table]), want) {
					t.Errorf("error of table %d = %v, want %q", table, errs[table], want)
				}
			}
		})
	}
	if _, err := Views(map[string]string{}, []Policy{acme}, meta{}); err == nil {
		t.Errorf("Views without the attribute = nil error, want one")
	}
}

func TestTargetJSON(t *testing.T) {
	tests := []struct {
		in   string
		want Target
		ok   bool
	}{
		{`["dimension", ["field", 12, null]]`, Target{Kind: TargetDimension, FieldID: 12}, true},
		{`["dimension", ["field", 12, {"base-type": "type/Integer"}]]`, Target{Kind: TargetDimension, FieldID: 12}, true},
		{`["variable", ["template-tag", "account_id"]]`, Target{Kind: TargetVariable, Tag: "account_id"}, true},
		{`["variable", ["field", 12, null]]`, Target{}, false},
		{`["dimension", ["field", "12", null]]`, Target{}, false},
		{`["dimension"]`, Target{}, false},
		{`"ACCOUNT_ID"`, Target{}, false},
	}
	for _, tt := range tests {
		var got Target
		err := json.Unmarshal([]byte(tt.in), &got)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("Unmarshal(%s) = %+v, %v; want %+v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok {
			b, _ := json.Marshal(got)
			var again Target
			if err := json.Unmarshal(b, &again); err != nil || again != got {
				t.Errorf("round trip of %s = %s, %+v, %v", tt.in, b, again, err)
			}
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		p    Policy
		ok   bool
	}{
		{"column", byColumn(3, 1, 10, "account_id"), true},
		{"administrators", byColumn(sightline.AdminGroupID, 1, 10, "account_id"), false},
		{"no filter", Policy{GroupID: 3, TableID: 1}, false},
		{"dropped column", byColumn(3, 1, 99, "account_id"), false},
		{"blank attribute", byColumn(3, 1, 10, " "), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.p.Validate(meta{}); (err == nil) != tt.ok {
				t.Errorf("Validate(%+v) = %v, want ok %v", tt.p, err, tt.ok)
			}
		})
	}
}

func TestConflicts(t *testing.T) {
	acme := byColumn(3, 1, 10, "account_id")
	globex := byColumn(4, 1, 11, "plan")
	sameAsAcme := byColumn(5, 1, 10, "account_id")
	policies := []Policy{acme, globex, sameAsAcme}
	tests := []struct {
		name     string
		groupsOf map[int64][]int64
		want     []Conflict
	}{
		{"one group each", map[int64][]int64{7: {1, 3}, 8: {1, 4}}, nil},
		{"same policy twice", map[int64][]int64{7: {1, 3, 5}}, nil},
		{"two different sandboxes", map[int64][]int64{7: {4, 3, 1}}, []Conflict{{UserID: 7, TableID: 1, Groups: [2]int64{3, 4}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Conflicts(policies, tt.groupsOf)); diff != "" {
				t.Errorf("Conflicts (-want +got):\n%s", diff)
			}
		})
	}
}
