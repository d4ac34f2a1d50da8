package sightline

import (
	"fmt"
	"slices"
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

// TestDashboardValidateLimits checks each limit on what a dashboard holds
// at the limit, which is fine, and one past it.
func TestDashboardValidateLimits(t *testing.T) {
	cards := func(n, wires int) []DashboardCard {
		c := make([]DashboardCard, n)
		for i := range c {
			c[i] = DashboardCard{Row: i, SizeX: 4, SizeY: 4, Mappings: make([]ParameterMapping, wires)}
			for j := range c[i].Mappings {
				c[i].Mappings[j].ParameterID = "f0"
			}
		}
		return c
	}
	tabs := func(n int) []DashboardTab {
		t := make([]DashboardTab, n)
		for i := range t {
			t[i] = DashboardTab{ID: int64(i + 1), Name: "T"}
		}
		return t
	}
	filters := func(n int) []DashboardParameter {
		p := make([]DashboardParameter, n)
		for i := range p {
			p[i] = DashboardParameter{ID: fmt.Sprintf("f%d", i), Name: "F", Type: "category"}
		}
		return p
	}
	withDefault := func(n int) []DashboardParameter {
		p := filters(2)
		p[0].Default = make([]any, n-1)
		p[1].Default = "one"
		return p
	}
	narrowed := func(n int) []DashboardParameter {
		p := filters(2)
		p[0].FilteringParameters = slices.Repeat([]string{"f1"}, n)
		return p
	}
	tests := []struct {
		name string
		d    Dashboard
		want string // "" for valid
	}{
		{"1,000 cards", Dashboard{Cards: cards(1000, 0)}, ""},
		{"1,001 cards", Dashboard{Cards: cards(1001, 0)}, "This dashboard has 1,001 cards, over the limit of 1,000."},
		{"100 tabs", Dashboard{Tabs: tabs(100)}, ""},
		{"101 tabs", Dashboard{Tabs: tabs(101)}, "This dashboard has 101 tabs, over the limit of 100."},
		{"100 filters", Dashboard{Parameters: filters(100)}, ""},
		{"101 filters", Dashboard{Parameters: filters(101)}, "This dashboard has 101 filters, over the limit of 100."},
		{"narrowed by 100", Dashboard{Parameters: narrowed(100)}, ""},
		{"narrowed by 101", Dashboard{Parameters: narrowed(101)}, `The filter "F" is narrowed by 101 filters, over the limit of 100.`},
		{"10,000 default values", Dashboard{Parameters: withDefault(10_000)}, ""},
		{"10,001 default values", Dashboard{Parameters: withDefault(10_001)}, "This dashboard's filters have 10,001 default values, over the limit of 10,000."},
		{"10,000 wires", Dashboard{Parameters: filters(1), Cards: cards(100, 100)}, ""},
		{"10,001 wires", Dashboard{Parameters: filters(1), Cards: append(cards(100, 100), cards(1, 1)...)}, "This dashboard has 10,001 wires from filters to cards, over the limit of 10,000."},
	}
	for _, tt := range tests {
		tt.d.Name = "D"
		err := tt.d.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: Validate = %v, want valid", tt.name, err)
		case tt.want != "" && (err == nil || ErrorMessage(err) != tt.want || ErrorCode(err) != EINVALID):
			t.Errorf("%s: Validate = %v, want %q", tt.name, err, tt.want)
		}
	}
}
