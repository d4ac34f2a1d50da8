package app

import (
	"encoding/json"
	"reflect"
)

// unchanged reports whether a write of after over before would change
// nothing a person can see: their JSON forms are equal once the keys the
// server keeps (ignore: revisions, timestamps, embedded objects) are left
// out at every depth, and a missing value, null, "", false, 0, [] and {}
// are taken as the same. Every update use case asks it after its rights and
// validity checks, so that sending back what a GET answered writes nothing,
// bumps no revision and records nothing in the audit log.
func unchanged(before, after any, ignore ...string) bool {
	a, errA := contentOf(before, ignore)
	b, errB := contentOf(after, ignore)
	return errA == nil && errB == nil && reflect.DeepEqual(a, b)
}

// contentOf is v's JSON form as plain values, without the ignored keys
// and the empty values.
func contentOf(v any, ignore []string) (any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	return prune(out, ignore), nil
}

// prune drops ignored keys and empty values from a decoded JSON value.
func prune(v any, ignore []string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			e = prune(e, ignore)
			if isEmptyJSON(e) || contains(ignore, k) {
				delete(x, k)
				continue
			}
			x[k] = e
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = prune(e, ignore)
		}
		return x
	}
	return v
}

// isEmptyJSON reports whether a decoded JSON value is null or its type's
// zero value.
func isEmptyJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// graphUnchanged reports whether saving the permission graph edit over the
// current graph cur would change nothing: the edit names the current
// revision (a stale one stays a conflict), every group and database (or
// collection) it names already has the level it gives, and it carries
// nothing but its revision and groups.
func graphUnchanged(cur, edit any) bool {
	c, errC := contentOf(cur, nil)
	e, errE := contentOf(edit, nil)
	cm, okC := c.(map[string]any)
	em, okE := e.(map[string]any)
	if errC != nil || errE != nil || !okC || !okE || cm["revision"] != em["revision"] {
		return false
	}
	for k := range em {
		if k != "groups" && k != "revision" {
			return false
		}
	}
	curGroups, _ := cm["groups"].(map[string]any)
	editGroups, _ := em["groups"].(map[string]any)
	named := map[string]any{}
	for g, v := range editGroups {
		items, _ := v.(map[string]any)
		have, _ := curGroups[g].(map[string]any)
		sub := map[string]any{}
		for k := range items {
			if hv, ok := have[k]; ok {
				sub[k] = hv
			}
		}
		named[g] = sub
	}
	return unchanged(named, editGroups)
}
