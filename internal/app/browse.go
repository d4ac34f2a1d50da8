package app

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"sightline"
)

// BrowseOptions are the table view's controls.
type BrowseOptions struct {
	SortField int64
	Desc      bool
	// Filters are per-column quick filters by field id, as typed.
	Filters map[int64]string
}

// BrowseResult is one view of a table's rows: at most MaxDisplayRows rows
// and the count of every row matching the filters.
type BrowseResult struct {
	Table *sightline.Table
	*Result
	Total int64
}

// BrowseTable reads a table's rows through the data door, sorted and
// filtered as asked, with the total count of matching rows.
func (a *App) BrowseTable(ctx context.Context, actor *sightline.User, tableID int64, o BrowseOptions) (*BrowseResult, error) {
	t, err := a.Table(ctx, actor, tableID)
	if err != nil {
		return nil, err
	}
	filter, err := quickFilters(t, o.Filters)
	if err != nil {
		return nil, err
	}
	sq := &sightline.StructuredQuery{SourceTable: t.ID, Filter: filter}
	for _, f := range t.Fields {
		if f.Visibility != sightline.VisibilityHidden {
			sq.Fields = append(sq.Fields, &sightline.FieldRef{ID: f.ID})
		}
	}
	if o.SortField != 0 {
		if fieldOf(t, o.SortField) == nil {
			return nil, sightline.Errorf(sightline.EINVALID, "Cannot sort by field %d: it is not a column of %s.", o.SortField, t.DisplayName)
		}
		sq.OrderBy = []sightline.OrderBy{{Desc: o.Desc, Expr: &sightline.FieldRef{ID: o.SortField}}}
	}
	// The primary key orders the rows, or breaks ties in the sorted
	// column: each page is read by a query of its own, and only a total
	// order keeps rows from moving between pages.
	for _, f := range t.Fields {
		if f.SemanticType == sightline.SemanticPK {
			if f.ID != o.SortField {
				sq.OrderBy = append(sq.OrderBy, sightline.OrderBy{Expr: &sightline.FieldRef{ID: f.ID}})
			}
			break
		}
	}
	q := &sightline.Query{Database: t.DatabaseID, Type: sightline.QueryTypeStructured, Structured: sq}
	res, err := a.RunQuery(ctx, actor, q, RunOptions{MaxRows: MaxDisplayRows})
	if err != nil {
		return nil, err
	}
	out := &BrowseResult{Table: t, Result: res, Total: int64(res.RowCount)}
	if res.Truncated {
		count := &sightline.Query{Database: t.DatabaseID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
			SourceTable: t.ID, Filter: filter, Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}},
		}}
		cr, err := a.RunQuery(ctx, actor, count, RunOptions{MaxRows: 1})
		if err != nil {
			return nil, err
		}
		if len(cr.Rows) == 1 && len(cr.Rows[0]) == 1 {
			if n, ok := cr.Rows[0][0].(int64); ok {
				out.Total = n
			}
		}
	}
	return out, nil
}

func fieldOf(t *sightline.Table, id int64) *sightline.Field {
	for i := range t.Fields {
		if t.Fields[i].ID == id {
			return &t.Fields[i]
		}
	}
	return nil
}

// quickFilters turns the table view's per-column inputs into one filter:
// text matches as "contains" ignoring case, numbers and booleans by
// equality, dates by the day typed (YYYY-MM-DD).
func quickFilters(t *sightline.Table, in map[int64]string) (sightline.Expr, error) {
	ids := make([]int64, 0, len(in))
	for id := range in {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var parts []sightline.Expr
	for _, id := range ids {
		v := strings.TrimSpace(in[id])
		if v == "" {
			continue
		}
		f := fieldOf(t, id)
		if f == nil {
			return nil, sightline.Errorf(sightline.EINVALID, "Cannot filter on field %d: it is not a column of %s.", id, t.DisplayName)
		}
		ref := &sightline.FieldRef{ID: f.ID}
		switch {
		case sightline.IsNumeric(f.BaseType):
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, sightline.Errorf(sightline.EINVALID, "%s takes a number, not %q.", f.DisplayName, v)
			}
			var val any = n
			if n == float64(int64(n)) && (f.BaseType == sightline.BaseInteger || f.BaseType == sightline.BaseBigInt) {
				val = int64(n)
			}
			parts = append(parts, &sightline.Compare{Op: sightline.OpEq, Left: ref, Values: []sightline.Expr{&sightline.Value{V: val}}})
		case f.BaseType == sightline.BaseBoolean:
			b, err := strconv.ParseBool(v)
			if err != nil {
				return nil, sightline.Errorf(sightline.EINVALID, "%s takes true or false, not %q.", f.DisplayName, v)
			}
			parts = append(parts, &sightline.Compare{Op: sightline.OpEq, Left: ref, Values: []sightline.Expr{&sightline.Value{V: b}}})
		case sightline.IsTemporal(f.BaseType) && f.BaseType != sightline.BaseTime:
			day, err := time.Parse("2006-01-02", v)
			if err != nil {
				return nil, sightline.Errorf(sightline.EINVALID, "%s takes a date like 2024-01-31, not %q.", f.DisplayName, v)
			}
			ref.TemporalUnit = "day"
			parts = append(parts, &sightline.Compare{Op: sightline.OpEq, Left: ref, Values: []sightline.Expr{&sightline.Value{V: day.Format("2006-01-02")}}})
		default:
			parts = append(parts, &sightline.StringFilter{Op: sightline.OpContains, Arg: ref, Value: &sightline.Value{V: v}})
		}
	}
	switch len(parts) {
	case 0:
		return nil, nil
	case 1:
		return parts[0], nil
	}
	return &sightline.Logical{Op: sightline.OpAnd, Args: parts}, nil
}

// MaxFieldValues caps the values a filter drop-down lists.
const MaxFieldValues = 1000

// FieldValues lists a field's distinct values, sorted, through the data
// door, so that they are computed over the rows the person may see.
func (a *App) FieldValues(ctx context.Context, actor *sightline.User, fieldID int64) ([]any, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	t, err := a.tableOfField(ctx, fieldID)
	if err != nil {
		return nil, err
	}
	if _, err := a.Table(ctx, actor, t.ID); err != nil {
		return nil, err
	}
	return a.distinctValues(ctx, actor, t, fieldID)
}

// distinctValues runs the query behind a filter drop-down: the distinct
// non-null values of field fieldID of t, sorted, at most MaxFieldValues of
// them, through the data door as ctx runs it (ad hoc, or as a saved
// question).
func (a *App) distinctValues(ctx context.Context, actor *sightline.User, t *sightline.Table, fieldID int64) ([]any, error) {
	return a.distinctValuesWhere(ctx, actor, t, fieldID, nil)
}

// distinctValuesWhere is distinctValues among the rows that filters
// (dashboard filter values on columns of t or of tables its foreign keys
// point at) keep.
func (a *App) distinctValuesWhere(ctx context.Context, actor *sightline.User, t *sightline.Table, fieldID int64, filters []sightline.Parameter) ([]any, error) {
	ref := &sightline.FieldRef{ID: fieldID}
	q := &sightline.Query{Database: t.DatabaseID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
		SourceTable: t.ID, Breakouts: []sightline.Expr{ref},
		Filter:  &sightline.NullCheck{Op: sightline.OpNotNull, Arg: ref},
		OrderBy: []sightline.OrderBy{{Expr: ref}}, Limit: MaxFieldValues,
	}, Parameters: filters}
	res, err := a.RunQuery(ctx, actor, q, RunOptions{MaxRows: MaxFieldValues})
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(res.Rows))
	for _, row := range res.Rows {
		out = append(out, row[0])
	}
	return out, nil
}

// tableOfField finds the table a field belongs to, from the metadata cache.
func (a *App) tableOfField(ctx context.Context, fieldID int64) (*sightline.Table, error) {
	dbs, err := a.meta.Databases(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range dbs {
		md, err := a.metadata(ctx, d.ID)
		if err != nil {
			continue
		}
		if f, err := md.Field(fieldID); err == nil {
			return md.Table(f.TableID)
		}
	}
	return nil, notFoundErr("Field")
}
