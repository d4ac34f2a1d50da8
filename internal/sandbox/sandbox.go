// Package sandbox turns row-level sandbox policies into the per-table views
// the query compiler applies (query.Options.Views). It is pure: policies,
// the user's attributes and the metadata come in, views or errors go out.
//
// A policy sandboxes one table for one group: a column of the table must
// equal a user attribute (converted to the column's type), and optionally a
// saved question is the table's custom view for that group. A query-builder
// question on the table filters its rows and, with a column choice, hides
// the other columns; a SQL question stands in for the table, its variables
// bound to user attributes, and hides the columns it does not return.
// Every failure is closed: a missing attribute, a column or question that no
// longer exists, or two different sandboxes of the same table for one
// person give an error for that table, never its unfiltered rows. An
// attribute value that does not convert to the column's or variable's type
// (say "28 OR 1=1" for an integer column) gives a view without rows.
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
	"time"

	"sightline"
	"sightline/internal/query"
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
	// ViewColumns names the columns that SQL view v of table t returns,
	// in order.
	ViewColumns(t *sightline.Table, v query.View) ([]string, error)
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
	_, err := View(attrs, *p, md)
	return err
}

// same reports whether two policies filter the same way.
func same(a, b Policy) bool {
	return a.TableID == b.TableID && a.CardID == b.CardID && maps.Equal(a.Remappings, b.Remappings)
}

// TableViews computes the view of every sandboxed table for one person:
// sandboxed maps each table whose rows are restricted to the groups whose
// sandboxes apply, and policies are every stored policy. A table whose view
// cannot be computed is in errs instead: the caller must refuse any query
// that touches it.
//
// The rule for several groups: their policies for a table must be the same;
// two different ones are "conflicting sandboxes" and refused, never merged
// into the union of their rows. A group without a policy for a table it
// sandboxes is refused too.
func TableViews(attrs map[string]string, sandboxed map[int64][]int64, policies []Policy, md Metadata) (views map[int64]query.View, errs map[int64]error) {
	views, errs = map[int64]query.View{}, map[int64]error{}
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
		v, err := View(attrs, found[0], md)
		if err != nil {
			errs[table] = err
			continue
		}
		views[table] = v
	}
	return views, errs
}

// Views is TableViews for policies that all apply to one person: each
// policy's table is sandboxed for its group. It fails on the first table
// (by ID) whose view cannot be computed.
func Views(attrs map[string]string, policies []Policy, md Metadata) (map[int64]query.View, error) {
	sandboxed := map[int64][]int64{}
	for _, p := range policies {
		sandboxed[p.TableID] = append(sandboxed[p.TableID], p.GroupID)
	}
	views, errs := TableViews(attrs, sandboxed, policies, md)
	for _, t := range slices.Sorted(maps.Keys(errs)) {
		return nil, errs[t]
	}
	return views, nil
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

// View computes one policy's view of its table for a person's attributes.
func View(attrs map[string]string, p Policy, md Metadata) (query.View, error) {
	var v query.View
	t, err := md.Table(p.TableID)
	if err != nil {
		return v, sightline.Errorf(sightline.EFORBIDDEN, "A sandboxed table (%d) no longer exists, so no rows are shown.", p.TableID)
	}
	name := tableName(md, t.ID)
	var parts []sightline.Expr
	if p.CardID != 0 {
		q, err := md.Card(p.CardID)
		if sightline.ErrorCode(err) == sightline.EFORBIDDEN {
			// The metadata refused the question as a view and says why.
			return v, err
		}
		if err != nil {
			return v, sightline.Errorf(sightline.EFORBIDDEN, "The saved question behind the sandbox of %s no longer exists or is archived, so no rows are shown.", name)
		}
		if q.Database != 0 && t.DatabaseID != 0 && q.Database != t.DatabaseID {
			return v, sightline.Errorf(sightline.EFORBIDDEN, "The saved question behind the sandbox of %s is on another database.", name)
		}
		if q.Type == sightline.QueryTypeNative {
			if v, err = nativeView(attrs, p, t, name, q.Native, md); err != nil {
				return v, err
			}
		} else {
			if v, err = structuredView(t, name, q); err != nil {
				return v, err
			}
			if v.Filter != nil {
				parts = append(parts, v.Filter)
			}
		}
	}
	for _, attr := range slices.Sorted(maps.Keys(p.Remappings)) {
		target := p.Remappings[attr]
		if target.Kind == TargetVariable {
			if v.Native == nil {
				return v, sightline.Errorf(sightline.EFORBIDDEN, "The sandbox of %s binds %s to a SQL variable, but its view is not a SQL question.", name, attr)
			}
			continue
		}
		if target.Kind != TargetDimension || target.FieldID == 0 {
			return v, sightline.Errorf(sightline.EFORBIDDEN, "The sandbox of %s has an attribute remapping of an unknown kind.", name)
		}
		f, err := md.Field(target.FieldID)
		if err != nil || f.TableID != t.ID {
			return v, sightline.Errorf(sightline.EFORBIDDEN, "The sandbox of %s filters by a column that no longer exists, so no rows are shown. Ask an administrator to fix the sandbox.", name)
		}
		if v.Native != nil && !v.Visible[f.ID] {
			return v, sightline.Errorf(sightline.EFORBIDDEN, "The sandbox of %s filters by %s, which its SQL question does not return.", name, f.Name)
		}
		val, ok := attrs[attr]
		if !ok || strings.TrimSpace(val) == "" {
			return v, sightline.Errorf(sightline.EFORBIDDEN, "%s is sandboxed and requires the user attribute %s, which your account does not have.", name, attr)
		}
		cond, err := equals(f, val)
		if err != nil {
			return v, sightline.Errorf(sightline.EFORBIDDEN, "The sandbox of %s: %s", name, sightline.ErrorMessage(err))
		}
		parts = append(parts, cond)
	}
	switch len(parts) {
	case 0:
		v.Filter = nil
		if v.Native == nil && v.Visible == nil {
			return v, sightline.Errorf(sightline.EFORBIDDEN, "The sandbox of %s filters nothing, so no rows are shown. Ask an administrator to fix the sandbox.", name)
		}
	case 1:
		v.Filter = parts[0]
	default:
		v.Filter = &sightline.Logical{Op: sightline.OpAnd, Args: parts}
	}
	return v, nil
}

// structuredView reads a query-builder question used as a table's custom
// view: it must start from the table, and may only filter its rows and
// choose its columns (plain columns of the table). Anything else is
// refused rather than half applied.
func structuredView(t *sightline.Table, name string, q *sightline.Query) (query.View, error) {
	var v query.View
	s := q.Structured
	if s == nil || s.SourceTable != t.ID {
		return v, sightline.Errorf(sightline.EFORBIDDEN, "The saved question behind the sandbox of %s must start from that table.", name)
	}
	if len(s.Joins) > 0 || len(s.Expressions) > 0 || len(s.Aggregations) > 0 || len(s.Breakouts) > 0 || s.Limit > 0 || len(q.Parameters) > 0 {
		return v, sightline.Errorf(sightline.EFORBIDDEN, "The saved question behind the sandbox of %s may only filter the table's rows and choose its columns (no joins, custom columns, summaries or limits).", name)
	}
	v.Filter = s.Filter
	if len(s.Fields) > 0 {
		v.Visible = map[int64]bool{}
		for _, e := range s.Fields {
			f, ok := e.(*sightline.FieldRef)
			if !ok || f.ID == 0 || f.JoinAlias != "" || f.SourceField != 0 || f.TemporalUnit != "" || f.Binning != nil || !hasField(t, f.ID) {
				return v, sightline.Errorf(sightline.EFORBIDDEN, "The saved question behind the sandbox of %s may choose only plain columns of that table.", name)
			}
			v.Visible[f.ID] = true
		}
	}
	return v, nil
}

// hasField reports whether field id is a column of t.
func hasField(t *sightline.Table, id int64) bool {
	return slices.ContainsFunc(t.Fields, func(f sightline.Field) bool { return f.ID == id })
}

// nativeView reads a SQL question used as a table's custom view: its
// variables are bound to the attributes the policy maps to them, converted
// to each variable's type, and it must return only columns of the table.
func nativeView(attrs map[string]string, p Policy, t *sightline.Table, name string, n *sightline.NativeQuery, md Metadata) (query.View, error) {
	v := query.View{Native: n}
	if n == nil || strings.TrimSpace(n.SQL) == "" {
		return v, sightline.Errorf(sightline.EFORBIDDEN, "The SQL question behind the sandbox of %s has no SQL.", name)
	}
	for _, attr := range slices.Sorted(maps.Keys(p.Remappings)) {
		target := p.Remappings[attr]
		if target.Kind != TargetVariable {
			continue
		}
		i := slices.IndexFunc(n.TemplateTags, func(tag sightline.TemplateTag) bool { return tag.Name == target.Tag })
		if i < 0 {
			return v, sightline.Errorf(sightline.EFORBIDDEN, "The sandbox of %s binds %s to the variable %s, which its SQL question does not have.", name, attr, target.Tag)
		}
		tag := n.TemplateTags[i]
		val, ok := attrs[attr]
		if !ok || strings.TrimSpace(val) == "" {
			return v, sightline.Errorf(sightline.EFORBIDDEN, "%s is sandboxed and requires the user attribute %s, which your account does not have.", name, attr)
		}
		bound, empty, err := variableValue(tag.Type, val)
		if err != nil {
			return v, sightline.Errorf(sightline.EFORBIDDEN, "The sandbox of %s binds %s to the variable %s: %s", name, attr, tag.Name, sightline.ErrorMessage(err))
		}
		v.Empty = v.Empty || empty
		v.Params = append(v.Params, sightline.Parameter{TargetKind: sightline.TargetVariable, Tag: tag.Name, Type: tag.Type, Value: bound})
	}
	cols, err := md.ViewColumns(t, v)
	if err != nil {
		return v, sightline.Errorf(sightline.EFORBIDDEN, "The SQL question behind the sandbox of %s cannot be used: %s", name, sightline.ErrorMessage(err))
	}
	v.Visible = map[int64]bool{}
	for _, c := range cols {
		i := slices.IndexFunc(t.Fields, func(f sightline.Field) bool { return f.Name == c })
		if i < 0 {
			i = slices.IndexFunc(t.Fields, func(f sightline.Field) bool { return strings.EqualFold(f.Name, c) })
		}
		if i < 0 {
			return v, sightline.Errorf(sightline.EFORBIDDEN, "The SQL question behind the sandbox of %s returns the column %s, which is not a column of %s. Its columns must be columns of the table, by name.", name, c, name)
		}
		if t.Fields[i].Name != c {
			return v, sightline.Errorf(sightline.EFORBIDDEN, "The SQL question behind the sandbox of %s returns the column %s: name it %s, exactly as the table does.", name, c, t.Fields[i].Name)
		}
		v.Visible[t.Fields[i].ID] = true
	}
	if len(v.Visible) == 0 {
		return v, sightline.Errorf(sightline.EFORBIDDEN, "The SQL question behind the sandbox of %s returns no columns.", name)
	}
	return v, nil
}

// variableValue converts an attribute's value for a variable of type
// typ. A value that does not convert leaves the view without rows (empty);
// a zero value of the type is still bound, so that the SQL's columns can be
// described. Field filters cannot take an attribute.
func variableValue(typ, val string) (bound any, empty bool, err error) {
	s := strings.TrimSpace(val)
	switch typ {
	case sightline.TagNumber:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, false, nil
		}
		if x, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(x) && !math.IsInf(x, 0) {
			return x, false, nil
		}
		return int64(0), true, nil
	case sightline.TagDate:
		if _, err := time.Parse("2006-01-02", s); err == nil {
			return s, false, nil
		}
		return "1970-01-01", true, nil
	case sightline.TagText, "":
		return val, false, nil
	}
	return nil, false, sightline.Errorf(sightline.EINVALID, "only text, number and date variables can take a user attribute.")
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
