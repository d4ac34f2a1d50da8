package app

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

func TestKeyUser(t *testing.T) {
	all := sightline.Group{ID: sightline.AllUsersGroupID, Name: "All Users"}
	tests := []struct {
		name   string
		key    sightline.APIKey
		admin  bool
		groups []sightline.Group
	}{
		{"administrators", sightline.APIKey{ID: 1, Name: "ops", GroupID: sightline.AdminGroupID, GroupName: "Administrators"},
			true, []sightline.Group{all, {ID: sightline.AdminGroupID, Name: "Administrators"}}},
		{"tenant group", sightline.APIKey{ID: 2, Name: "acme", GroupID: 7, GroupName: "Customer Acme"},
			false, []sightline.Group{all, {ID: 7, Name: "Customer Acme"}}},
		{"all users", sightline.APIKey{ID: 3, Name: "read", GroupID: sightline.AllUsersGroupID, GroupName: "All Users"},
			false, []sightline.Group{all}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := keyUser(&tt.key)
			if u.IsAdmin != tt.admin {
				t.Errorf("keyUser(%s).IsAdmin = %v, want %v", tt.key.Name, u.IsAdmin, tt.admin)
			}
			if diff := cmp.Diff(tt.groups, u.Groups); diff != "" {
				t.Errorf("keyUser(%s).Groups (-want +got):\n%s", tt.key.Name, diff)
			}
			if u.ID != 0 || u.APIKeyID != tt.key.ID || !u.IsAPIKey() || !u.Active {
				t.Errorf("keyUser(%s) = id %d, key %d, active %v; want id 0 standing for key %d, active", tt.key.Name, u.ID, u.APIKeyID, u.Active, tt.key.ID)
			}
			if len(u.EffectiveAttributes()) != 0 {
				t.Errorf("keyUser(%s) has attributes %v, want none", tt.key.Name, u.EffectiveAttributes())
			}
		})
	}
}
