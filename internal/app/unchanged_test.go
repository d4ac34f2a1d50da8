package app

import "testing"

func TestUnchanged(t *testing.T) {
	type card struct {
		Name     string            `json:"name"`
		Tags     []string          `json:"tags"`
		Attrs    map[string]string `json:"attrs"`
		Revision int               `json:"revision"`
		Archived bool              `json:"archived"`
	}
	tests := []struct {
		name          string
		before, after any
		ignore        []string
		want          bool
	}{
		{"same", card{Name: "a", Tags: []string{"x"}}, card{Name: "a", Tags: []string{"x"}}, nil, true},
		{"nil and empty list", card{Name: "a"}, card{Name: "a", Tags: []string{}, Attrs: map[string]string{}}, nil, true},
		{"ignored revision", card{Name: "a", Revision: 1}, card{Name: "a", Revision: 2}, []string{"revision"}, true},
		{"revision not ignored", card{Name: "a", Revision: 1}, card{Name: "a", Revision: 2}, nil, false},
		{"name cleared", card{Name: "a"}, card{}, nil, false},
		{"archived", card{Name: "a"}, card{Name: "a", Archived: true}, nil, false},
		{"list changed", card{Tags: []string{"x"}}, card{Tags: []string{"x", "y"}}, nil, false},
		{"attribute removed", card{Attrs: map[string]string{"k": "v"}}, card{Attrs: map[string]string{}}, nil, false},
		{"attribute emptied", card{Attrs: map[string]string{"k": "v"}}, card{Attrs: map[string]string{"k": ""}}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unchanged(tt.before, tt.after, tt.ignore...); got != tt.want {
				t.Errorf("unchanged(%+v, %+v, %v) = %v, want %v", tt.before, tt.after, tt.ignore, got, tt.want)
			}
		})
	}
}

func TestGraphUnchanged(t *testing.T) {
	cur := map[string]any{"revision": 3, "groups": map[string]any{
		"1": map[string]any{"1": map[string]any{"view-data": "unrestricted", "create-queries": "no"}},
		"2": map[string]any{"1": map[string]any{"view-data": "blocked"}, "2": map[string]any{"view-data": "unrestricted"}}}}
	tests := []struct {
		name string
		edit any
		want bool
	}{
		{"whole graph back", cur, true},
		{"one group as it is", map[string]any{"revision": 3, "groups": map[string]any{"2": map[string]any{"2": map[string]any{"view-data": "unrestricted"}}}}, true},
		{"stale revision", map[string]any{"revision": 2, "groups": map[string]any{}}, false},
		{"a level changes", map[string]any{"revision": 3, "groups": map[string]any{"2": map[string]any{"1": map[string]any{"view-data": "unrestricted"}}}}, false},
		{"a new database", map[string]any{"revision": 3, "groups": map[string]any{"1": map[string]any{"9": map[string]any{"view-data": "blocked"}}}}, false},
		{"a key besides groups", map[string]any{"revision": 3, "groups": map[string]any{}, "sandboxes": []any{map[string]any{"group_id": 2}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := graphUnchanged(cur, tt.edit); got != tt.want {
				t.Errorf("graphUnchanged(%v) = %v, want %v", tt.edit, got, tt.want)
			}
		})
	}
}
