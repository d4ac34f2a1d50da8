package sightline

import "strings"

// IDs of the two built-in groups, created by the first migration.
const (
	AllUsersGroupID = 1
	AdminGroupID    = 2
)

// Group is a set of users; permissions are granted to groups.
type Group struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	MemberCount int    `json:"member_count"`
	// Manager is set in a user's list of groups when they manage the group.
	Manager bool `json:"is_manager,omitempty"`
}

// BuiltIn reports whether the group is one of the two that cannot be renamed
// or deleted.
func (g *Group) BuiltIn() bool { return g.ID == AllUsersGroupID || g.ID == AdminGroupID }

// Validate checks a group's name.
func (g *Group) Validate() error {
	n := strings.TrimSpace(g.Name)
	if n == "" {
		return Errorf(EINVALID, "A group needs a name.")
	}
	if len(n) > 255 {
		return Errorf(EINVALID, "Group names must be at most 255 characters.")
	}
	return nil
}
