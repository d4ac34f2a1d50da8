package auth

import (
	"encoding/json"
	"io"
	"slices"
	"strings"

	"sightline"
)

// PlanGroupSync decides which group memberships a JWT sign-in changes; the
// caller applies add and remove (both sorted, without duplicates) in one
// transaction. It is called only when group sync is on and the token has a
// groups claim.
//
// With mappings (JWT group name -> Sightline group ids), only mapped groups
// are touched: the user is added to the groups mapped from the names in the
// token and removed from the mapped groups it does not name; unmapped groups
// are left alone.
//
// Without mappings, token names are matched to Sightline group names and
// every group is managed by the token: the user is added to the named ones
// and removed from the others. Administrators is never added by a name (an
// administrator the token names stays one): a token can make an
// administrator only through a mapping an administrator made on purpose.
//
// Names are compared case-insensitively in both cases ("customer-acme"
// matches a mapping or group named "Customer-Acme"), like emails, because
// host applications rarely agree with Sightline on capitalisation; when two
// Sightline groups differ only by case, a name matches both.
//
// The All Users group is never added or removed, and the Administrators
// group is never removed from the last administrator (userIsAdmin with
// adminCount <= 1). groupIDsByName lists every Sightline group; when it is
// not nil, mapped ids that are not among its values (deleted groups) are
// ignored.
func PlanGroupSync(current []int64, tokenGroups []string, mappings map[string][]int64,
	groupIDsByName map[string]int64, userIsAdmin bool, adminCount int) (add, remove []int64) {
	// managed: the groups the token may change; wanted: those it names.
	managed := map[int64]bool{}
	wanted := map[int64]bool{}
	has := map[int64]bool{}
	for _, id := range current {
		has[id] = true
	}
	named := map[string]bool{}
	for _, g := range tokenGroups {
		named[strings.ToLower(g)] = true
	}
	if len(mappings) > 0 {
		exists := map[int64]bool{}
		for _, id := range groupIDsByName {
			exists[id] = true
		}
		for name, ids := range mappings {
			for _, id := range ids {
				if groupIDsByName != nil && !exists[id] {
					continue
				}
				managed[id] = true
				if named[strings.ToLower(name)] {
					wanted[id] = true
				}
			}
		}
	} else {
		for name, id := range groupIDsByName {
			managed[id] = true
			// By name, Administrators may be kept but never gained.
			if named[strings.ToLower(name)] && (id != sightline.AdminGroupID || has[id]) {
				wanted[id] = true
			}
		}
	}
	delete(managed, sightline.AllUsersGroupID)
	delete(wanted, sightline.AllUsersGroupID)

	for id := range wanted {
		if !has[id] {
			add = append(add, id)
		}
	}
	lastAdmin := (userIsAdmin || has[sightline.AdminGroupID]) && adminCount <= 1
	for id := range has {
		if !managed[id] || wanted[id] {
			continue
		}
		if id == sightline.AdminGroupID && lastAdmin {
			continue
		}
		remove = append(remove, id)
	}
	slices.Sort(add)
	slices.Sort(remove)
	return add, remove
}

// ParseGroupMappings reads the jwt-group-mappings setting: a JSON object from
// JWT group name to a list of Sightline group ids, such as
// {"Customer-Acme": [3], "Staff": [4, 5]}. An empty string means no mappings.
// Errors are EINVALID with a message for the admin form.
func ParseGroupMappings(s string) (map[string][]int64, error) {
	if strings.TrimSpace(s) == "" {
		return map[string][]int64{}, nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return nil, sightline.Errorf(sightline.EINVALID,
			`Group mappings must be a JSON object from a JWT group name to a list of group ids, like {"Customer-Acme": [3]}.`)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, sightline.Errorf(sightline.EINVALID, "Group mappings must be a single JSON object.")
	}
	out := make(map[string][]int64, len(raw))
	for name, v := range raw {
		if strings.TrimSpace(name) == "" {
			return nil, sightline.Errorf(sightline.EINVALID, "A group mapping needs a JWT group name.")
		}
		list, ok := v.([]any)
		if !ok {
			return nil, sightline.Errorf(sightline.EINVALID, "The mapping for %q must be a list of group ids.", name)
		}
		ids := make([]int64, 0, len(list))
		for _, x := range list {
			n, ok := x.(json.Number)
			id, err := n.Int64()
			if !ok || err != nil || id < 1 {
				shown, _ := json.Marshal(x)
				return nil, sightline.Errorf(sightline.EINVALID, "The mapping for %q has %s, which is not a group id.", name, shown)
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		out[name] = ids
	}
	return out, nil
}

// GrantsAdmin reports whether a token naming tokenGroups is made an
// administrator by mappings: one of its names (compared case-insensitively,
// as PlanGroupSync does) is mapped to the Administrators group.
func GrantsAdmin(tokenGroups []string, mappings map[string][]int64) bool {
	for name, ids := range mappings {
		if !slices.Contains(ids, sightline.AdminGroupID) {
			continue
		}
		for _, g := range tokenGroups {
			if strings.EqualFold(g, name) {
				return true
			}
		}
	}
	return false
}

// NamesAGroup reports whether tokenGroups name a group that group sync
// would put the person in: with mappings, a mapped name (compared
// case-insensitively) whose ids include an existing group other than All
// Users; without mappings, the name of a group other than All Users and
// Administrators, which name matching never grants.
func NamesAGroup(tokenGroups []string, mappings map[string][]int64, groupIDsByName map[string]int64) bool {
	exists := map[int64]bool{}
	for _, id := range groupIDsByName {
		exists[id] = true
	}
	for _, g := range tokenGroups {
		if len(mappings) > 0 {
			for name, ids := range mappings {
				if !strings.EqualFold(g, name) {
					continue
				}
				for _, id := range ids {
					if id != sightline.AllUsersGroupID && exists[id] {
						return true
					}
				}
			}
			continue
		}
		for name, id := range groupIDsByName {
			if strings.EqualFold(g, name) && id != sightline.AllUsersGroupID && id != sightline.AdminGroupID {
				return true
			}
		}
	}
	return false
}
