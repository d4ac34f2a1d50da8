package sightline

import (
	"strings"
	"testing"
)

func TestDashboardValidateTabs(t *testing.T) {
	card := func(tab int64) DashboardCard { return DashboardCard{TabID: tab, SizeX: 4, SizeY: 4} }
	tests := []struct {
		name string
		d    Dashboard
		want string // "" for valid
	}{
		{"no tabs", Dashboard{Name: "D", Cards: []DashboardCard{card(0)}}, ""},
		{"cards on tabs", Dashboard{Name: "D", Tabs: []DashboardTab{{ID: 1, Name: "A"}, {ID: 2, Name: "B"}}, Cards: []DashboardCard{card(1), card(2)}}, ""},
		{"a card on a tab that is gone shows on the first", Dashboard{Name: "D", Tabs: []DashboardTab{{ID: 1, Name: "A"}}, Cards: []DashboardCard{card(7)}}, ""},
		{"a tab id of 0", Dashboard{Name: "D", Tabs: []DashboardTab{{ID: 0, Name: "A"}}}, "unique id"},
		{"duplicate tab ids", Dashboard{Name: "D", Tabs: []DashboardTab{{ID: 1, Name: "A"}, {ID: 1, Name: "B"}}}, "unique id"},
		{"a tab without a name", Dashboard{Name: "D", Tabs: []DashboardTab{{ID: 1, Name: " "}}}, "needs a name"},
	}
	for _, tt := range tests {
		err := tt.d.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: Validate = %v, want valid", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(ErrorMessage(err), tt.want) || ErrorCode(err) != EINVALID):
			t.Errorf("%s: Validate = %v, want an invalid error containing %q", tt.name, err, tt.want)
		}
	}
}
