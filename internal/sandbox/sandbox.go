// Package sandbox turns row-level sandbox policies into the per-table row
// filters the query compiler applies (query.Options.RowFilters). It is pure:
// policies, the user's attributes and the metadata come in, filters or
// errors go out.
//
// A policy sandboxes one table for one group: a column of the table must
// equal a user attribute (converted to the column's type), and optionally a
// saved question is the table's custom view for that group. Every failure
// is closed: a missing attribute, a column or question that no longer
// exists, or two different sandboxes of the same table for one person give
// an error for that table, never its unfiltered rows. An attribute value
// that does not convert to the column's type (say "28 OR 1=1" for an
// integer column) gives a filter that matches no row.
package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"sightline"
)

// Target kinds of an attribute remapping.
const (
	TargetDimension = "dimension" // a column of the sandboxed table
	TargetVariable  = "variable"  // a variable of a native saved question
)

// Target is where an attribute's value goes: a column (FieldID) or a
// template tag of a native saved question (Tag). Its JSON form is the
// reference vendor's: ["dimension", ["field", 12, null]] or
// ["variable", ["template-tag", "account_id"]].
type Target struct {
	Kind    string
	FieldID int64
	Tag     string
}

// MarshalJSON writes the wire form.
func (t Target) MarshalJSON() ([]byte, error) {
	if t.Tag != "" {
		return json.Marshal([]any{t.Kind, []any{"template-tag", t.Tag}})
	}
	return json.Marshal([]any{t.Kind, []any{"field", t.FieldID, nil}})
}

// UnmarshalJSON reads the wire form.
func (t *Target) UnmarshalJSON(data []byte) error {
	bad := sightline.Errorf(sightline.EINVALID, `An attribute remapping must look like ["dimension", ["field", 12, null]] or ["variable", ["template-tag", "name"]].`)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var outer []any
	if err := dec.Decode(&outer); err != nil || len(outer) != 2 {
		return bad
	}
	kind, _ := outer[0].(string)
	inner, _ := outer[1].([]any)
	if (kind != TargetDimension && kind != TargetVariable) || len(inner) < 2 {
		return bad
	}
	switch inner[0] {
	case "field":
		n, ok := inner[1].(json.Number)
		if !ok {
			return bad
		}
		id, err := n.Int64()
		if err != nil || id <= 0 || kind != TargetDimension {
			return bad
		}
		*t = Target{Kind: kind, FieldID: id}
	case "template-tag":
		name, ok := inner[1].(string)
		if !ok || name == "" {
			return bad
		}
		*t = Target{Kind: kind, Tag: name}
	default:
		return bad
	}
	return nil
}

// Policy sandboxes one table for one group. Its JSON form is the reference
// vendor's GTAP: {id, group_id, table_id, card_id, attribute_remappings}.
type Policy struct {
	ID      int64 `json:"id"`
	GroupID int64 `json:"group_id"`
	TableID int64 `json:"table_id"`
	// CardID is the saved question used as the table's custom view, 0 for
	// none.
	CardID int64 `json:"card_id"`
	// Remappings map a user attribute to the column (or variable) that
	// must equal it.
	Remappings map[string]Target `json:"attribute_remappings"`
}

// Metadata is what evaluating a policy needs to look up.
type Metadata interface {
	Table(id int64) (*sightline.Table, error)
	Field(id int64) (*sightline.Field, error)
	// Card returns a saved question's query.
	Card(id int64) (*sightline.Query, error)
}

// Validate checks a policy against the metadata before it is saved, the
// same way Filter would use it, but without attribute values.
func (p *Policy) Validate(md Metadata) error {
	if p.GroupID <= 0 || p.TableID <= 0 {
		return sightline.Errorf(sightline.EINVALID, "A sandbox needs a group and a table.")
	}
	if p.GroupID == sightline.AdminGroupID {
		return sightline.Errorf(sightline.EINVALID, "Administrators cannot be sandboxed.")
	}
	if p.CardID == 0 && len(p.Remappings) == 0 {
		return sightline.Errorf(sightline.EINVALID, "A sandbox needs a column to filter by (an attribute remapping) or a saved question.")
	}
	for attr := range p.Remappings {
		if strings.TrimSpace(attr) == "" {
			return sightline.Errorf(sightline.EINVALID, "An attribute remapping needs an attribute name.")
		}
	}
	attrs := make(map[string]string, len(p.Remappings))
	for attr := range p.Remappings {
		attrs[attr] = "0"
	}
	_, err := Filter(attrs, *p, md)
	return err
}

// same reports whether two policies filter the same way.
func same(a, b Policy) bool {
	return a.TableID == b.TableID && a.CardID == b.CardID && maps.Equal(a.Remappings, b.Remappings)
}

// TableFilters computes the row filter of every sandboxed table for one
// person: sandboxed maps each table whose rows are filtered to the groups
// whose sandboxes apply, and policies are every stored policy. A table
// whose filter cannot be computed is in errs instead: the caller must
// refuse any query that touches it.
//
// The rule for several groups: their policies for a table must be the same;
// two different ones are "conflicting sandboxes" and refused, never merged
// into the union of their rows. A group without a policy for a table it
// sandboxes is refused too.
func TableFilters(attrs map[string]string, sandboxed map[int64][]int64, policies []Policy, md Metadata) (filters map[int64]sightline.Expr, errs map[int64]error) {
	filters, errs = map[int64]sightline.Expr{}, map[int64]error{}
	for table, groups := range sandboxed {
		var found []Policy
		missing := false
		for _, g := range groups {
			i := slices.IndexFunc(policies, func(p Policy) bool { return p.GroupID == g && p.TableID == table })
			if i < 0 {
				missing = true
				continue
			}
			found = append(found, policies[i])
		}
		name := tableName(md, table)
		switch {
		case missing || len(found) == 0:
			errs[table] = sightline.Errorf(sightline.EFORBIDDEN, "%s is sandboxed for one of your groups without a sandbox policy, so no rows are shown. Ask an administrator to finish setting it up.", name)
			continue
		case slices.ContainsFunc(found[1:], func(p Policy) bool { return !same(p, found[0]) }):
			errs[table] = sightline.Errorf(sightline.EFORBIDDEN, "Conflicting sandboxes: your groups filter %s in different ways, so no rows are shown. Ask an administrator to give you one sandbox for this table.", name)
			continue
		}
		f, err := Filter(attrs, found[0], md)
		if err != nil {
			errs[table] = err
			continue
		}
		filters[table] = f
	}
	return filters, errs
}

// RowFilters is TableFilters for policies that all apply to one person:
// each policy's table is sandboxed for its group. It fails on the first
// table (by ID) whose filter cannot be computed.
func RowFilters(attrs map[string]string, policies []Policy, md Metadata) (map[int64]sightline.Expr, error) {
	sandboxed := map[int64][]int64{}
	for _, p := range policies {
		sandboxed[p.TableID] = append(sandboxed[p.TableID], p.GroupID)
	}
	filters, errs := TableFilters(attrs, sandboxed, policies, md)
	for _, t := range slices.Sorted(maps.Keys(errs)) {
		return nil, errs[t]
	}
	return filters, nil
}

// tableName is a table's display name for messages.
func tableName(md Metadata, id int64) string {
	if t, err := md.Table(id); err == nil {
		if t.DisplayName != "" {
			return t.DisplayName
		}
		return t.Name
	}
	return fmt.Sprintf("Table %d", id)
}

// Filter computes one policy's row filter for a person's attributes.
func Filter(attrs map[string]string, p Policy, md Metadata) (sightline.Expr, error) {
	t, err := md.Table(p.TableID)
	if err != nil {
		return nil, sightline.Errorf(sightline.EFORBIDDEN, "A sandboxed table (%d) no longer exists, so no rows are shown.", p.TableID)
	}
	name := tableName(md, t.ID)
	var parts []sightline.Expr
	if p.CardID != 0 {
		f, err := cardFilter(t, p.CardID, md)
		if err != nil {
			return nil, err
		}
		if f != nil {
			parts = append(parts, f)
		}
	}
	for _, attr := range slices.Sorted(maps.Keys(p.Remappings)) {
		target := p.Remappings[attr]
		if target.Kind != TargetDimension || target.FieldID == 0 {
			return nil, sightline.Errorf(sightline.EFORBIDDEN, "The sandbox of %s binds %s to a SQL variable; only sandboxes that filter a column are supported.", name, attr)
		}
		f, err := md.Field(target.FieldID)
		if err != nil || f.TableID != t.ID {
			return nil, sightline.Errorf(sightline.EFORBIDDEN, "The sandbox of %s filters by a column that no longer exists, so no rows are shown. Ask an administrator to fix the sandbox.", name)
		}
		v, ok := attrs[attr]
		if !ok || strings.TrimSpace(v) == "" {
			return nil, sightline.Errorf(sightline.EFORBIDDEN, "%s is sandboxed and requires the user attribute %s, which your account does not have.", name, attr)
		}
		cond, err := equals(f, v)
		if err != nil {
			return nil, sightline.Errorf(sightline.EFORBIDDEN, "The sandbox of %s: %s", name, sightline.ErrorMessage(err))
		}
		parts = append(parts, cond)
	}
	switch len(parts) {
	case 0:
		return nil, sightline.Errorf(sightline.EFORBIDDEN, "The sandbox of %s filters nothing, so no rows are shown. Ask an administrator to fix the sandbox.", name)
	case 1:
		return parts[0], nil
	}
	return &sightline.Logical{Op: sightline.OpAnd, Args: parts}, nil
}

// cardFilter reads the filter of a saved question used as a table's custom
// view. Only a plain structured question on the table itself (a filter, no
// joins, custom columns, summaries, column choices or limits) can become a
// row filter; anything else is refused rather than half applied.
func cardFilter(t *sightline.Table, cardID int64, md Metadata) (sightline.Expr, error) {
	q, err := md.Card(cardID)
	if err != nil {
		return nil, sightline.Errorf(sightline.EFORBIDDEN, "The saved question behind the sandbox of %s no longer exists, so no rows are shown.", t.DisplayName)
	}
	if q.Type == sightline.QueryTypeNative {
		return nil, sightline.Errorf(sightline.EFORBIDDEN, "The sandbox of %s uses a SQL question as its view; Sightline supports only query-builder questions there.", t.DisplayName)
	}
	s := q.Structured
	if s == nil || s.SourceTable != t.ID {
		return nil, sightline.Errorf(sightline.EFORBIDDEN, "The saved question behind the sandbox of %s must start from that table.", t.DisplayName)
	}
	if len(s.Joins) > 0 || len(s.Expressions) > 0 || len(s.Aggregations) > 0 || len(s.Breakouts) > 0 || len(s.Fields) > 0 || s.Limit > 0 || len(q.Parameters) > 0 {
		return nil, sightline.Errorf(sightline.EFORBIDDEN, "The saved question behind the sandbox of %s may only filter the table's rows (no joins, custom columns, summaries, column choices or limits).", t.DisplayName)
	}
	return s.Filter, nil
}

// equals is "column = value", with value converted to the column's type.
// A value that does not convert matches no row.
func equals(f *sightline.Field, v string) (sightline.Expr, error) {
	ref := &sightline.FieldRef{ID: f.ID}
	eq := func(x any) sightline.Expr {
		return &sightline.Compare{Op: sightline.OpEq, Left: ref, Values: []sightline.Expr{&sightline.Value{V: x}}}
	}
	switch f.BaseType {
	case sightline.BaseInteger, sightline.BaseBigInt:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return nothing(ref), nil
		}
		return eq(n), nil
	case sightline.BaseFloat, sightline.BaseDecimal:
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nothing(ref), nil
		}
		return eq(x), nil
	case sightline.BaseBoolean:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return nothing(ref), nil
		}
		return eq(b), nil
	case sightline.BaseText, sightline.BaseUUID:
		return eq(v), nil
	}
	return nil, sightline.Errorf(sightline.EINVALID, "a column of type %s cannot be compared with a user attribute.", f.BaseType)
}

// nothing is a condition no row meets.
func nothing(ref *sightline.FieldRef) sightline.Expr {
	return &sightline.Logical{Op: sightline.OpAnd, Args: []sightline.Expr{
		&sightline.NullCheck{Op: sightline.OpIsNull, Arg: ref},
		&sightline.NullCheck{Op: sightline.OpNotNull, Arg: ref},
	}}
}

// Conflict is a person whom two of their groups sandbox differently on one
// table; queries on that table are refused for them.
type Conflict struct {
	UserID, TableID int64
	Groups          [2]int64
}

// Conflicts finds every person (groupsOf maps a user to their groups) whom
// two groups sandbox differently on the same table, so that a configuration
// can be refused when it is saved rather than when the person runs a query.
func Conflicts(policies []Policy, groupsOf map[int64][]int64) []Conflict {
	byGroupTable := map[[2]int64]Policy{}
	for _, p := range policies {
		byGroupTable[[2]int64{p.GroupID, p.TableID}] = p
	}
	var out []Conflict
	for _, user := range slices.Sorted(maps.Keys(groupsOf)) {
		groups := slices.Sorted(slices.Values(groupsOf[user]))
		for i, g1 := range groups {
			for _, g2 := range groups[i+1:] {
				for key, p1 := range byGroupTable {
					if key[0] != g1 {
						continue
					}
					if p2, ok := byGroupTable[[2]int64{g2, key[1]}]; ok && !same(p1, p2) {
						out = append(out, Conflict{UserID: user, TableID: key[1], Groups: [2]int64{g1, g2}})
					}
				}
			}
		}
	}
	return out
}
