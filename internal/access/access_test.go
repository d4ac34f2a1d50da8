package access

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

const (
	allUsers = sightline.AllUsersGroupID
	admins   = sightline.AdminGroupID
	acme     = 3
	globex   = 4
	analysts = 5

	sampleDB  = 1
	otherDB   = 2
	invoices  = 10
	accounts  = 11
	products  = 12
	someTable = 13
)

// walkthrough is the reference walkthrough's setup: All Users has no
// self-service on the Sample Database, Customer Acme and Globex sandbox
// INVOICES, analysts may do anything on the Sample Database, and All Users
// may view collection 7.
func walkthrough() *Graph {
	sandboxed := DBPerms{View: ViewGranular, Tables: map[int64]string{invoices: ViewSandboxed, accounts: ViewBlocked, products: ViewNoSelfService},
		CreateQueries: QueryBuilder, Download: DownloadLimited}
	return &Graph{
		Data: map[int64]map[int64]DBPerms{
			allUsers: {sampleDB: {View: ViewNoSelfService, CreateQueries: QueryNone, Download: DownloadNone}},
			acme:     {sampleDB: sandboxed},
			globex:   {sampleDB: sandboxed},
			analysts: {sampleDB: {View: ViewUnrestricted, CreateQueries: QueryNative, Download: DownloadFull}},
		},
		Collections: map[int64]map[int64]string{
			allUsers: {RootCollection: CollectionNone, 7: CollectionRead},
			acme:     {8: CollectionWrite},
		},
	}
}

func TestTableLevels(t *testing.T) {
	g := walkthrough()
	tests := []struct {
		name        string
		groups      []int64
		db, table   int64
		adHoc, save string
	}{
		{"fresh install: All Users on a database added later", nil, otherDB, someTable, ViewUnrestricted, ViewUnrestricted},
		{"no self-service: saved questions only", nil, sampleDB, invoices, ViewBlocked, ViewNoSelfService},
		{"sandboxed group wins over no self-service", []int64{acme}, sampleDB, invoices, ViewSandboxed, ViewSandboxed},
		{"granular: blocked table stays blocked for ad hoc", []int64{acme}, sampleDB, accounts, ViewBlocked, ViewNoSelfService},
		{"granular: unlisted table is blocked", []int64{acme}, sampleDB, someTable, ViewBlocked, ViewNoSelfService},
		{"unrestricted group wins over a sandbox", []int64{acme, analysts}, sampleDB, invoices, ViewUnrestricted, ViewUnrestricted},
		{"new group alone adds nothing", []int64{globex}, otherDB, someTable, ViewUnrestricted, ViewUnrestricted},
		{"administrators see everything", []int64{admins}, sampleDB, accounts, ViewUnrestricted, ViewUnrestricted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := Effective(tt.groups, g)
			if got := u.AdHoc(tt.db, tt.table); got != tt.adHoc {
				t.Errorf("AdHoc(%d, %d) = %s, want %s", tt.db, tt.table, got, tt.adHoc)
			}
			if got := u.Saved(tt.db, tt.table); got != tt.save {
				t.Errorf("Saved(%d, %d) = %s, want %s", tt.db, tt.table, got, tt.save)
			}
		})
	}
}

// TestFailClosed checks the fail-closed rule on the walkthrough's setup and
// on a fresh install's All Users: a table some group sandboxes is never
// read unfiltered through All Users alone.
func TestFailClosed(t *testing.T) {
	open := walkthrough()
	open.Data[allUsers] = map[int64]DBPerms{sampleDB: {View: ViewUnrestricted, CreateQueries: QueryNative, Download: DownloadFull}}
	ownSandbox := walkthrough()
	ownSandbox.Data[allUsers] = map[int64]DBPerms{sampleDB: {View: ViewGranular, Tables: map[int64]string{invoices: ViewSandboxed, products: ViewUnrestricted},
		CreateQueries: QueryBuilder}}
	tests := []struct {
		name           string
		graph          *Graph
		groups         []int64
		table          int64
		adHoc, saved   string
		native, saved2 bool // CanNative, CanRunNativeSaved
		withheld       bool
	}{
		{"no group, no self-service: sandboxed table refused", walkthrough(), nil, invoices, ViewBlocked, ViewBlocked, false, false, true},
		{"no group, no self-service: other tables unchanged", walkthrough(), nil, products, ViewBlocked, ViewNoSelfService, false, false, false},
		{"no group, All Users unrestricted: sandboxed table refused", open, nil, invoices, ViewBlocked, ViewBlocked, false, false, true},
		{"no group, All Users unrestricted: other tables unchanged", open, nil, accounts, ViewUnrestricted, ViewUnrestricted, false, false, false},
		{"customer: sandboxed", walkthrough(), []int64{acme}, invoices, ViewSandboxed, ViewSandboxed, false, false, true},
		{"customer with All Users unrestricted: sandboxed, no longer all rows", open, []int64{acme}, invoices, ViewSandboxed, ViewSandboxed, false, false, true},
		{"explicit unrestricted group: all rows", walkthrough(), []int64{analysts}, invoices, ViewUnrestricted, ViewUnrestricted, true, true, true},
		{"All Users' own sandbox still counts", ownSandbox, nil, invoices, ViewSandboxed, ViewSandboxed, false, false, true},
		{"administrators: everything", walkthrough(), []int64{admins}, invoices, ViewUnrestricted, ViewUnrestricted, true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := Effective(tt.groups, tt.graph).FailClosed()
			if got := u.AdHoc(sampleDB, tt.table); got != tt.adHoc {
				t.Errorf("AdHoc(%d) = %s, want %s", tt.table, got, tt.adHoc)
			}
			if got := u.Saved(sampleDB, tt.table); got != tt.saved {
				t.Errorf("Saved(%d) = %s, want %s", tt.table, got, tt.saved)
			}
			if got := u.CanNative(sampleDB); got != tt.native {
				t.Errorf("CanNative = %v, want %v", got, tt.native)
			}
			if got := u.CanRunNativeSaved(sampleDB); got != tt.saved2 {
				t.Errorf("CanRunNativeSaved = %v, want %v", got, tt.saved2)
			}
			if got := u.Withheld(sampleDB, tt.table); got != tt.withheld {
				t.Errorf("Withheld(%d) = %v, want %v", tt.table, got, tt.withheld)
			}
		})
	}
	// Without the rule, All Users' grants count as before.
	if got := Effective(nil, walkthrough()).Saved(sampleDB, invoices); got != ViewNoSelfService {
		t.Errorf("without FailClosed: Saved(invoices) = %s, want %s", got, ViewNoSelfService)
	}
}

func TestNewGroupStartsWithNothing(t *testing.T) {
	g := &Graph{Data: map[int64]map[int64]DBPerms{allUsers: {sampleDB: {View: ViewBlocked}}}}
	u := Effective([]int64{globex}, g)
	if u.CanSeeDatabase(sampleDB) || u.CanBrowse(sampleDB) || u.CanNative(sampleDB) || u.DownloadLimit(sampleDB) != 0 {
		t.Errorf("a new group on a blocked database: see %v, browse %v, native %v, download %d; want nothing",
			u.CanSeeDatabase(sampleDB), u.CanBrowse(sampleDB), u.CanNative(sampleDB), u.DownloadLimit(sampleDB))
	}
	if got := u.Collection(9, nil); got != CollectionWrite {
		t.Errorf("Collection(9) with All Users' default = %s, want write", got)
	}
	g.Collections = map[int64]map[int64]string{allUsers: {RootCollection: CollectionNone}}
	if got := Effective([]int64{globex}, g).Collection(9, nil); got != CollectionNone {
		t.Errorf("Collection(9) of a new group = %s, want none", got)
	}
	if got := DefaultDBPerms(globex); got.View != ViewBlocked || got.CreateQueries != QueryNone || got.Download != DownloadNone {
		t.Errorf("DefaultDBPerms(new group) = %+v, want blocked, no, none", got)
	}
}

func TestDatabaseAbilities(t *testing.T) {
	g := walkthrough()
	tests := []struct {
		name                    string
		groups                  []int64
		db                      int64
		see, browse, native, ns bool
		download                int
	}{
		{"All Users, restricted", nil, sampleDB, true, false, false, true, 0},
		{"Customer Acme", []int64{acme}, sampleDB, true, true, false, false, LimitedDownloadRows},
		{"analyst", []int64{analysts, acme}, sampleDB, true, true, true, true, FullDownloadRows},
		{"admin", []int64{admins}, sampleDB, true, true, true, true, FullDownloadRows},
		{"other database keeps the defaults", []int64{acme}, otherDB, true, true, true, true, FullDownloadRows},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := Effective(tt.groups, g)
			got := []any{u.CanSeeDatabase(tt.db), u.CanBrowse(tt.db), u.CanNative(tt.db), u.CanRunNativeSaved(tt.db), u.DownloadLimit(tt.db)}
			want := []any{tt.see, tt.browse, tt.native, tt.ns, tt.download}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("see, browse, native, native saved, download (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSandboxedTables(t *testing.T) {
	g := walkthrough()
	tests := []struct {
		name   string
		groups []int64
		adHoc  bool
		want   map[int64][]int64
	}{
		{"one customer", []int64{acme}, true, map[int64][]int64{invoices: {acme}}},
		{"two customers: both policies apply", []int64{acme, globex}, false, map[int64][]int64{invoices: {acme, globex}}},
		{"unrestricted elsewhere: no sandbox", []int64{acme, analysts}, true, nil},
		{"no sandbox group", nil, false, nil},
		{"admin", []int64{admins, acme}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Effective(tt.groups, g).Sandboxed(sampleDB, tt.adHoc)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Sandboxed(%v) (-want +got):\n%s", tt.groups, diff)
			}
		})
	}
}

func TestCollections(t *testing.T) {
	g := walkthrough()
	parents := map[int64]int64{7: 0, 8: 0, 9: 7, 10: 9}
	tests := []struct {
		name   string
		groups []int64
		id     int64
		want   string
	}{
		{"root restricted", nil, RootCollection, CollectionNone},
		{"granted", nil, 7, CollectionRead},
		{"inherited from the nearest ancestor", nil, 10, CollectionRead},
		{"most permissive group", []int64{acme}, 8, CollectionWrite},
		{"no grant anywhere", []int64{acme}, 7, CollectionRead},
		{"admin", []int64{admins}, 10, CollectionWrite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Effective(tt.groups, g).Collection(tt.id, Ancestors(tt.id, parents)); got != tt.want {
				t.Errorf("Collection(%d) = %s, want %s", tt.id, got, tt.want)
			}
		})
	}
}

func TestApplyToChildren(t *testing.T) {
	parents := map[int64]int64{7: 0, 9: 7, 10: 9, 11: 0}
	got := ApplyToChildren(map[int64]string{7: CollectionRead, 10: CollectionWrite}, parents)
	want := map[int64]string{7: CollectionRead, 9: CollectionRead, 10: CollectionWrite}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ApplyToChildren (-want +got):\n%s", diff)
	}
}

func TestWithTable(t *testing.T) {
	tables := []int64{invoices, accounts}
	got := DBPerms{View: ViewNoSelfService, CreateQueries: QueryNone, Download: DownloadFull}.WithTable(invoices, ViewSandboxed, tables)
	want := DBPerms{View: ViewGranular, Tables: map[int64]string{invoices: ViewSandboxed, accounts: ViewNoSelfService}, CreateQueries: QueryNone, Download: DownloadFull}
	if !got.Equal(want) {
		t.Errorf("WithTable(no self-service) = %+v, want %+v", got, want)
	}
	got = DBPerms{View: ViewUnrestricted, CreateQueries: QueryNative, Download: DownloadFull}.WithTable(invoices, ViewSandboxed, tables)
	if got.CreateQueries != QueryBuilder || got.Tables[accounts] != ViewUnrestricted {
		t.Errorf("WithTable(unrestricted, native) = %+v, want native taken away and other tables unrestricted", got)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		p    DBPerms
		ok   bool
	}{
		{"full", DBPerms{View: ViewUnrestricted, CreateQueries: QueryNative, Download: DownloadFull}, true},
		{"sandboxed database", DBPerms{View: ViewSandboxed, CreateQueries: QueryBuilder, Download: DownloadFull}, false},
		{"native on granular", DBPerms{View: ViewGranular, CreateQueries: QueryNative, Download: DownloadFull}, false},
		{"unknown level", DBPerms{View: "all", CreateQueries: QueryNone, Download: DownloadNone}, false},
		{"unknown table level", DBPerms{View: ViewGranular, Tables: map[int64]string{1: "yes"}, CreateQueries: QueryNone, Download: DownloadNone}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.p.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate(%+v) = %v, want ok %v", tt.p, err, tt.ok)
			}
		})
	}
}

// schemas is a fake Schemas: tables 10-12 in PUBLIC of database 1.
type schemas struct{}

func (schemas) SchemaOf(int64) string { return "PUBLIC" }
func (schemas) TablesOf(db int64, schema string) []int64 {
	if db == sampleDB && schema == "PUBLIC" {
		return []int64{invoices, accounts, products}
	}
	return nil
}
func (s schemas) Tables(db int64) []int64 { return s.TablesOf(db, "PUBLIC") }

func TestWireRoundTrip(t *testing.T) {
	g := walkthrough()
	g.DataRevision = 4
	w := g.WireData([]int64{allUsers, admins, acme}, []int64{sampleDB}, schemas{})
	if w.Revision != 4 || w.Groups["1"]["1"].ViewData != ViewNoSelfService || w.Groups["2"]["1"].CreateQueries != QueryNative {
		t.Fatalf("WireData = %+v, want All Users no self-service and admins native", w)
	}
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	var decoded WireGraph
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	back, err := ParseWireData(decoded, schemas{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := back[admins]; ok {
		t.Errorf("ParseWireData kept the Administrators' entry, want it skipped")
	}
	if diff := cmp.Diff(g.Data[acme][sampleDB], back[acme][sampleDB]); diff != "" {
		t.Errorf("Customer Acme round trip (-want +got):\n%s", diff)
	}
}

func TestParseWireData(t *testing.T) {
	tests := []struct {
		name string
		in   WireDBPerms
		want DBPerms
		ok   bool
	}{
		{"schema level", WireDBPerms{ViewData: map[string]any{"PUBLIC": "unrestricted"}, CreateQueries: "query-builder"},
			DBPerms{View: ViewGranular, Tables: map[int64]string{invoices: ViewUnrestricted, accounts: ViewUnrestricted, products: ViewUnrestricted}, CreateQueries: QueryBuilder, Download: DownloadNone}, true},
		{"per-table create-queries folds into no self-service",
			WireDBPerms{ViewData: "unrestricted", CreateQueries: map[string]any{"PUBLIC": map[string]any{"10": "query-builder", "11": "no"}}, Download: &WireDownload{Schemas: "limited"}},
			DBPerms{View: ViewGranular, Tables: map[int64]string{invoices: ViewUnrestricted, accounts: ViewNoSelfService, products: ViewUnrestricted}, CreateQueries: QueryBuilder, Download: DownloadLimited}, true},
		{"foreign table", WireDBPerms{ViewData: map[string]any{"PUBLIC": map[string]any{"99": "unrestricted"}}}, DBPerms{}, false},
		{"bad level", WireDBPerms{ViewData: "everything"}, DBPerms{}, false},
		{"bad shape", WireDBPerms{ViewData: 3.0}, DBPerms{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseWireData(WireGraph{Groups: map[string]map[string]WireDBPerms{"3": {"1": tt.in}}}, schemas{})
			if (err == nil) != tt.ok {
				t.Fatalf("ParseWireData(%+v) error = %v, want ok %v", tt.in, err, tt.ok)
			}
			if tt.ok && !got[acme][sampleDB].Equal(tt.want) {
				t.Errorf("ParseWireData(%+v) = %+v, want %+v", tt.in, got[acme][sampleDB], tt.want)
			}
		})
	}
}

func TestWireCollections(t *testing.T) {
	g := walkthrough()
	w := g.WireCollections([]int64{allUsers, admins}, map[int64]int64{7: 0, 9: 7})
	want := map[string]map[string]string{"1": {"root": "none", "7": "read", "9": "read"}, "2": {"root": "write", "7": "write", "9": "write"}}
	if diff := cmp.Diff(want, w.Groups); diff != "" {
		t.Errorf("WireCollections (-want +got):\n%s", diff)
	}
	got, err := ParseWireCollections(WireCollectionGraph{Groups: map[string]map[string]string{"1": {"root": "read", "9": "write"}, "2": {"root": "none"}}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[int64]map[int64]string{1: {0: "read", 9: "write"}}, got); diff != "" {
		t.Errorf("ParseWireCollections (-want +got):\n%s", diff)
	}
	if _, err := ParseWireCollections(WireCollectionGraph{Groups: map[string]map[string]string{"1": {"root": "curate"}}}); err == nil {
		t.Errorf("ParseWireCollections(curate) = nil error, want invalid")
	}
}
