package auth

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"sightline"
)

func TestPlanGroupSync(t *testing.T) {
	const (
		all   = sightline.AllUsersGroupID
		admin = sightline.AdminGroupID
		acme  = 3
		glob  = 4
		staff = 5
		other = 6
	)
	groups := map[string]int64{
		"All Users": all, "Administrators": admin, "Customer Acme": acme,
		"Customer Globex": glob, "Staff": staff, "Other": other,
	}
	mappings := map[string][]int64{
		"Customer-Acme":   {acme},
		"Customer-Globex": {glob},
		"Admins":          {admin},
		"Ghost":           {99}, // a deleted group
	}
	tests := []struct {
		name       string
		current    []int64
		token      []string
		mappings   map[string][]int64
		isAdmin    bool
		adminCount int
		add, rm    []int64
	}{
		{name: "mapped: add the named group", current: []int64{all}, token: []string{"Customer-Acme"},
			mappings: mappings, add: []int64{acme}},
		{name: "mapped: names are case-insensitive", current: []int64{all}, token: []string{"customer-acme"},
			mappings: mappings, add: []int64{acme}},
		{name: "mapped: remove a mapped group the token no longer names", current: []int64{all, glob}, token: []string{"Customer-Acme"},
			mappings: mappings, add: []int64{acme}, rm: []int64{glob}},
		{name: "mapped: unmapped groups are left alone", current: []int64{all, staff, other}, token: []string{"Customer-Acme", "Staff"},
			mappings: mappings, add: []int64{acme}},
		{name: "mapped: already a member", current: []int64{all, acme}, token: []string{"Customer-Acme"}, mappings: mappings},
		{name: "mapped: empty list removes every mapped group", current: []int64{all, acme, glob, staff}, token: []string{},
			mappings: mappings, rm: []int64{acme, glob}},
		{name: "mapped: unknown token names do nothing", current: []int64{all}, token: []string{"Nope"}, mappings: mappings},
		{name: "mapped: deleted group ids are ignored", current: []int64{all}, token: []string{"Ghost"}, mappings: mappings},
		{name: "mapped: All Users is never touched",
			current: []int64{all}, token: []string{}, mappings: map[string][]int64{"X": {all}}},
		{name: "mapped: All Users is never added",
			current: []int64{}, token: []string{"X"}, mappings: map[string][]int64{"X": {all}}},
		{name: "mapped: admin removed when another admin exists", current: []int64{all, admin}, token: []string{"Customer-Acme"},
			mappings: mappings, isAdmin: true, adminCount: 2, add: []int64{acme}, rm: []int64{admin}},
		{name: "mapped: last admin keeps Administrators", current: []int64{all, admin}, token: []string{"Customer-Acme"},
			mappings: mappings, isAdmin: true, adminCount: 1, add: []int64{acme}},
		{name: "mapped: admin added by token", current: []int64{all}, token: []string{"Admins"},
			mappings: mappings, adminCount: 1, add: []int64{admin}},
		{name: "mapped: one name to several groups", current: []int64{all}, token: []string{"Team"},
			mappings: map[string][]int64{"Team": {acme, staff}}, add: []int64{acme, staff}},
		{name: "by name: add matching groups", current: []int64{all}, token: []string{"Customer Acme", "Staff"},
			add: []int64{acme, staff}},
		{name: "by name: case-insensitive", current: []int64{all}, token: []string{"customer acme"},
			add: []int64{acme}},
		{name: "by name: remove groups not named", current: []int64{all, glob, other}, token: []string{"Customer Acme"},
			add: []int64{acme}, rm: []int64{glob, other}},
		{name: "by name: All Users never removed or added", current: []int64{all}, token: []string{"All Users"}},
		{name: "by name: last admin keeps Administrators", current: []int64{all, admin}, token: []string{},
			isAdmin: true, adminCount: 1},
		{name: "by name: admin removed when others remain", current: []int64{all, admin}, token: []string{},
			isAdmin: true, adminCount: 3, rm: []int64{admin}},
		{name: "by name: membership counts as admin even if flag unset", current: []int64{all, admin}, token: []string{},
			adminCount: 1},
		{name: "by name: duplicate names", current: []int64{all}, token: []string{"Staff", "staff", "STAFF"},
			add: []int64{staff}},
		{name: "by name: Administrators is never added", current: []int64{all}, token: []string{"Administrators"}},
		{name: "by name: Administrators is never added, in any case", current: []int64{all}, token: []string{"administrators", "Staff"},
			add: []int64{staff}},
		{name: "by name: an administrator named by the token keeps it", current: []int64{all, admin}, token: []string{"Administrators"},
			isAdmin: true, adminCount: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			add, rm := PlanGroupSync(tt.current, tt.token, tt.mappings, groups, tt.isAdmin, tt.adminCount)
			if diff := cmp.Diff(tt.add, add, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("PlanGroupSync(%v, %q) add mismatch (-want +got):\n%s", tt.current, tt.token, diff)
			}
			if diff := cmp.Diff(tt.rm, rm, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("PlanGroupSync(%v, %q) remove mismatch (-want +got):\n%s", tt.current, tt.token, diff)
			}
		})
	}
}

func TestPlanGroupSyncNilGroupList(t *testing.T) {
	add, rm := PlanGroupSync([]int64{1, 7}, []string{"A"}, map[string][]int64{"A": {3}, "B": {7}}, nil, false, 1)
	if diff := cmp.Diff([]int64{3}, add); diff != "" {
		t.Errorf("add mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{7}, rm); diff != "" {
		t.Errorf("remove mismatch (-want +got):\n%s", diff)
	}
}

func TestGrantsAdmin(t *testing.T) {
	mappings := map[string][]int64{"Admins": {sightline.AdminGroupID}, "Customer-Acme": {3}, "Both": {3, sightline.AdminGroupID}}
	tests := []struct {
		token    []string
		mappings map[string][]int64
		want     bool
	}{
		{[]string{"Admins"}, mappings, true},
		{[]string{"admins"}, mappings, true},
		{[]string{"Both"}, mappings, true},
		{[]string{"Customer-Acme"}, mappings, false},
		{[]string{"Administrators"}, mappings, false},
		{[]string{"Administrators"}, nil, false},
		{nil, mappings, false},
	}
	for _, tt := range tests {
		if got := GrantsAdmin(tt.token, tt.mappings); got != tt.want {
			t.Errorf("GrantsAdmin(%q, %v) = %v, want %v", tt.token, tt.mappings, got, tt.want)
		}
	}
}

func TestNamesAGroup(t *testing.T) {
	groups := map[string]int64{"All Users": sightline.AllUsersGroupID, "Administrators": sightline.AdminGroupID, "Customer Acme": 3}
	mappings := map[string][]int64{"Customer-Acme": {3}, "Everyone": {sightline.AllUsersGroupID}, "Ghost": {99}}
	tests := []struct {
		name     string
		token    []string
		mappings map[string][]int64
		want     bool
	}{
		{"mapped name", []string{"customer-acme"}, mappings, true},
		{"unmapped name", []string{"Customer-Nobody"}, mappings, false},
		{"empty list", []string{}, mappings, false},
		{"mapped only to All Users", []string{"Everyone"}, mappings, false},
		{"mapped to a deleted group", []string{"Ghost"}, mappings, false},
		{"by name", []string{"CUSTOMER ACME"}, nil, true},
		{"by name: All Users does not count", []string{"All Users"}, nil, false},
		{"by name: Administrators does not count", []string{"Administrators"}, nil, false},
	}
	for _, tt := range tests {
		if got := NamesAGroup(tt.token, tt.mappings, groups); got != tt.want {
			t.Errorf("NamesAGroup(%s: %q) = %v, want %v", tt.name, tt.token, got, tt.want)
		}
	}
}

func TestParseGroupMappings(t *testing.T) {
	tests := []struct {
		in      string
		want    map[string][]int64
		wantErr bool
	}{
		{in: "", want: map[string][]int64{}},
		{in: "{}", want: map[string][]int64{}},
		{in: `{"Customer-Acme": [3], "Staff": [4, 5, 4]}`, want: map[string][]int64{"Customer-Acme": {3}, "Staff": {4, 5}}},
		{in: `{"Empty": []}`, want: map[string][]int64{"Empty": {}}},
		{in: `[]`, wantErr: true},
		{in: `null`, wantErr: true},
		{in: `{"A": 3}`, wantErr: true},
		{in: `{"A": ["3"]}`, wantErr: true},
		{in: `{"A": [1.5]}`, wantErr: true},
		{in: `{"A": [0]}`, wantErr: true},
		{in: `{"A": [-2]}`, wantErr: true},
		{in: `{"": [3]}`, wantErr: true},
		{in: `{"A": [3]} {}`, wantErr: true},
		{in: `{"A": [3]`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseGroupMappings(tt.in)
			if tt.wantErr {
				if sightline.ErrorCode(err) != sightline.EINVALID {
					t.Errorf("ParseGroupMappings(%s) = %v, %v, want an EINVALID error", tt.in, got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseGroupMappings(%s) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseGroupMappings(%s) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}
