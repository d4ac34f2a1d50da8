package query

import (
	"strconv"

	"sightline"
)

// structured compiles a structured query:
//
//	SELECT breakouts, aggregations | fields
//	FROM source JOIN ... WHERE ... GROUP BY ordinals ORDER BY ... LIMIT ?
//
// GROUP BY and ORDER BY use select-list ordinals, because PostgreSQL does
// not see two expressions with different parameter numbers as equal.
// Cumulative aggregations wrap that in a window over the breakouts.
func (c *compiler) structured(q *sightline.StructuredQuery, params []sightline.Parameter) (frag, []Column, error) {
	d := c.d
	l := &level{c: c, q: q, prefix: d.Quote(sourceAlias) + ".", joins: map[string]*joinSource{}, exprs: map[string]sightline.Expr{}}
	var from frag
	if q.SourceTable != 0 {
		t, err := c.table(q.SourceTable)
		if err != nil {
			return frag{}, nil, err
		}
		ref, err := c.tableRef(t)
		if err != nil {
			return frag{}, nil, err
		}
		l.table = t
		from = cat(ref, " AS ", d.Quote(sourceAlias))
	} else {
		sub, cols, err := c.card(q.SourceCard)
		if err != nil {
			return frag{}, nil, err
		}
		l.cols = cols
		from = cat("(", sub, ") AS ", d.Quote(sourceAlias))
	}
	for i := range q.Joins {
		j := &q.Joins[i]
		if j.Alias == sourceAlias {
			return frag{}, nil, sightline.Errorf(sightline.EINVALID, "The join alias %q is reserved.", sourceAlias)
		}
		if _, err := d.quoteIdent(j.Alias); err != nil {
			return frag{}, nil, err
		}
		js := &joinSource{join: j}
		if j.SourceTable != 0 {
			t, err := c.table(j.SourceTable)
			if err != nil {
				return frag{}, nil, err
			}
			if js.from, err = c.tableRef(t); err != nil {
				return frag{}, nil, err
			}
			js.table = t
		} else {
			sub, cols, err := c.card(j.SourceCard)
			if err != nil {
				return frag{}, nil, err
			}
			js.from, js.cols = cat("(", sub, ")"), cols
		}
		l.joins[j.Alias] = js
	}
	for _, ne := range q.Expressions {
		l.exprs[ne.Name] = ne.Expr
	}

	var sel []frag
	var cols []Column
	names := map[string]bool{}
	add := func(f frag, col Column) error {
		base := col.Name
		for n := 2; names[col.Name]; n++ {
			col.Name = base + "_" + strconv.Itoa(n)
		}
		names[col.Name] = true
		alias, err := d.quoteIdent(col.Name)
		if err != nil {
			return err
		}
		sel = append(sel, cat(f, " AS ", alias))
		cols = append(cols, col)
		return nil
	}
	aggregated := len(q.Aggregations) > 0 || len(q.Breakouts) > 0
	cumulative := false
	var breakouts []frag
	if aggregated {
		for _, b := range q.Breakouts {
			f, r, err := l.value(b)
			if err != nil {
				return frag{}, nil, err
			}
			breakouts = append(breakouts, f)
			if err := add(f, r.column(SourceBreakout)); err != nil {
				return frag{}, nil, err
			}
		}
		for _, a := range q.Aggregations {
			f, col, err := l.aggregation(a)
			if err != nil {
				return frag{}, nil, err
			}
			if n := len(l.windowed); n > 0 && l.windowed[n-1].col < 0 {
				l.windowed[n-1].col = len(cols)
			}
			cumulative = cumulative || a.Op == sightline.AggCumCount || a.Op == sightline.AggCumSum
			if err := add(f, col); err != nil {
				return frag{}, nil, err
			}
		}
	} else {
		fields := append([]sightline.Expr(nil), q.Fields...)
		if len(fields) == 0 {
			fields = l.defaultFields()
		}
		for _, j := range q.Joins {
			fields = append(fields, l.joinFields(&j)...)
		}
		for _, e := range fields {
			f, r, err := l.value(e)
			if err != nil {
				return frag{}, nil, err
			}
			src := SourceFields
			if _, ok := e.(*sightline.ExpressionRef); ok {
				src = SourceExpression
			}
			if err := add(f, r.column(src)); err != nil {
				return frag{}, nil, err
			}
		}
	}
	if len(sel) == 0 {
		return frag{}, nil, sightline.Errorf(sightline.EINVALID, "The query selects no columns.")
	}

	var where []frag
	if q.Filter != nil {
		f, err := l.filter(q.Filter)
		if err != nil {
			return frag{}, nil, err
		}
		where = append(where, f)
	}
	pfs, err := parameterFilters(params)
	if err != nil {
		return frag{}, nil, err
	}
	for _, e := range pfs {
		f, err := l.filter(e)
		if err != nil {
			return frag{}, nil, err
		}
		where = append(where, f)
	}

	order, err := l.orderBy(aggregated)
	if err != nil {
		return frag{}, nil, err
	}

	var joins []frag
	for i := range q.Joins {
		j := &q.Joins[i]
		kw := " LEFT JOIN "
		switch j.Strategy {
		case sightline.JoinInner:
			kw = " INNER JOIN "
		case sightline.JoinRight:
			kw = " RIGHT JOIN "
		case sightline.JoinFull:
			if d == MySQL {
				return frag{}, nil, sightline.Errorf(sightline.EINVALID, "MySQL has no full outer join: use a left or right join.")
			}
			kw = " FULL JOIN "
		}
		on, err := l.filter(j.Condition)
		if err != nil {
			return frag{}, nil, err
		}
		joins = append(joins, cat(kw, l.joins[j.Alias].from, " AS ", d.Quote(j.Alias), " ON ", on))
	}
	// Implicit joins are collected while compiling everything else, join
	// conditions included, so they are emitted last.
	for _, ij := range l.implicit {
		if ij.cross {
			joins = append(joins, cat(" CROSS JOIN ", ij.from, " AS ", ij.alias))
			continue
		}
		joins = append(joins, cat(" LEFT JOIN ", ij.from, " AS ", ij.alias, " ON ", ij.on))
	}

	body := []any{"SELECT ", join(sel, ", "), " FROM ", from}
	for _, j := range joins {
		body = append(body, j)
	}
	if len(where) > 0 {
		body = append(body, " WHERE ", join(where, " AND "))
	}
	if len(q.Breakouts) > 0 {
		body = append(body, " GROUP BY ", ordinals(1, len(q.Breakouts)))
	}
	if len(l.windowed) > 0 {
		var rows []any
		rows = append(rows, " FROM ", from)
		for _, j := range joins {
			rows = append(rows, j)
		}
		if len(where) > 0 {
			rows = append(rows, " WHERE ", join(where, " AND "))
		}
		body = []any{l.windowedPercentiles(cat(body...), cat(rows...), breakouts, cols)}
	}
	if cumulative {
		inner := cat(body...)
		body = []any{l.cumulative(inner, cols)}
	}
	if len(order) > 0 {
		body = append(body, " ORDER BY ", join(order, ", "))
	}
	limit := q.Limit
	if c.depth == 0 && c.opts.MaxRows > 0 && (limit == 0 || limit > c.opts.MaxRows) {
		limit = c.opts.MaxRows
	}
	if limit > 0 {
		body = append(body, " LIMIT ", bind(int64(limit)))
	}
	return cat(body...), cols, nil
}

// ordinals is "from, from+1, ..." for n columns.
func ordinals(from, n int) string {
	b := make([]byte, 0, 4*n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendInt(b, int64(from+i), 10)
	}
	return string(b)
}

// defaultFields are the columns of a query without aggregations or a fields
// clause: the source's visible fields, then the custom columns.
func (l *level) defaultFields() []sightline.Expr {
	var out []sightline.Expr
	if l.table != nil {
		for _, f := range l.table.Fields {
			if f.Visibility != sightline.VisibilityHidden && l.c.visible(l.table.ID, f.ID) {
				out = append(out, &sightline.FieldRef{ID: f.ID})
			}
		}
	} else {
		for _, c := range l.cols {
			out = append(out, &sightline.FieldRef{Name: c.Name, BaseType: c.BaseType})
		}
	}
	for _, ne := range l.q.Expressions {
		out = append(out, &sightline.ExpressionRef{Name: ne.Name})
	}
	return out
}

// visible reports whether a field of a table may be used under the
// table's view.
func (c *compiler) visible(table, field int64) bool {
	v, ok := c.opts.Views[table]
	return !ok || v.visible(field)
}

// joinFields are the columns a join adds to a query without aggregations.
func (l *level) joinFields(j *sightline.Join) []sightline.Expr {
	if j.FieldsMode != sightline.JoinFieldsAll {
		return j.Fields
	}
	var out []sightline.Expr
	js := l.joins[j.Alias]
	if js.table != nil {
		for _, f := range js.table.Fields {
			if f.Visibility != sightline.VisibilityHidden && l.c.visible(js.table.ID, f.ID) {
				out = append(out, &sightline.FieldRef{ID: f.ID, JoinAlias: j.Alias})
			}
		}
		return out
	}
	for _, c := range js.cols {
		out = append(out, &sightline.FieldRef{Name: c.Name, BaseType: c.BaseType, JoinAlias: j.Alias})
	}
	return out
}

// sameColumn reports whether an order-by reference names a breakout,
// ignoring the breakout's unit or binning.
func sameColumn(a, b sightline.Expr) bool {
	switch a := a.(type) {
	case *sightline.FieldRef:
		b, ok := b.(*sightline.FieldRef)
		return ok && a.ID == b.ID && a.Name == b.Name && a.JoinAlias == b.JoinAlias && a.SourceField == b.SourceField &&
			(a.TemporalUnit == "" || a.TemporalUnit == b.TemporalUnit)
	case *sightline.ExpressionRef:
		b, ok := b.(*sightline.ExpressionRef)
		return ok && a.Name == b.Name
	}
	return false
}

// orderBy compiles the sort. Aggregated queries sort by select-list
// ordinals and, after any explicit sort, by every breakout.
func (l *level) orderBy(aggregated bool) ([]frag, error) {
	q, d := l.q, l.c.d
	var out []frag
	sorted := make([]bool, len(q.Breakouts))
	for i, o := range q.OrderBy {
		dir := " ASC"
		if o.Desc {
			dir = " DESC"
		}
		dir += d.nulls(o.Desc)
		if !aggregated {
			f, _, err := l.value(o.Expr)
			if err != nil {
				return nil, err
			}
			out = append(out, cat(f, dir))
			continue
		}
		pos := -1
		if a, ok := o.Expr.(*sightline.AggregationRef); ok {
			pos = len(q.Breakouts) + a.Index
		} else {
			for k, b := range q.Breakouts {
				if sameColumn(o.Expr, b) {
					pos, sorted[k] = k, true
					break
				}
			}
		}
		if pos < 0 {
			return nil, sightline.Errorf(sightline.EINVALID, "order-by[%d] must be a breakout or an aggregation of the query.", i)
		}
		out = append(out, frag{sql: strconv.Itoa(pos+1) + dir})
	}
	if aggregated {
		for k := range q.Breakouts {
			if !sorted[k] {
				out = append(out, frag{sql: strconv.Itoa(k+1) + " ASC" + d.nulls(false)})
			}
		}
	}
	return out, nil
}

// cumulative wraps a grouped query: cumulative aggregations become running
// sums ordered by the first breakout, within each value of the others.
func (l *level) cumulative(inner frag, cols []Column) frag {
	q, d := l.q, l.c.d
	nb := len(q.Breakouts)
	var window string
	if nb > 0 {
		var part, ord []string
		for i := 0; i < nb; i++ {
			if i == 0 {
				ord = append(ord, d.Quote(cols[i].Name)+" ASC"+d.nulls(false))
			} else {
				part = append(part, d.Quote(cols[i].Name))
			}
		}
		window = " OVER ("
		if len(part) > 0 {
			window += "PARTITION BY " + joinStrings(part) + " "
		}
		window += "ORDER BY " + joinStrings(ord) + " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
	}
	sel := make([]string, len(cols))
	for i, col := range cols {
		name := d.Quote(col.Name)
		sel[i] = name
		if i >= nb && window != "" {
			op := q.Aggregations[i-nb].Op
			if op == sightline.AggCumCount || op == sightline.AggCumSum {
				sel[i] = "SUM(" + name + ")" + window + " AS " + name
			}
		}
	}
	return cat("SELECT ", joinStrings(sel), " FROM (", inner, ") AS ", d.Quote(sourceAlias))
}

// windowedPercentiles computes the percentiles of a grouped query on
// MySQL/MariaDB, whose PERCENTILE_CONT is a window function only. The
// grouped query (with MAX(NULL), an aggregate, in each percentile's place)
// is joined, group by group, to one derived table per percentile: the same
// rows (rows is their FROM, joins and WHERE, sandbox views included), each
// with its group's percentile computed over the partition of its breakout
// values, one row per group. Groups match with the null-safe <=>, so an
// empty breakout value is a group too. Column positions and names stay
// those of the grouped query, so ORDER BY ordinals and cumulative metrics
// apply on top unchanged.
func (l *level) windowedPercentiles(grouped, rows frag, breakouts []frag, cols []Column) frag {
	d := l.c.d
	g := d.Quote("grouped")
	byCol := map[int]int{}
	var joins []any
	for k, w := range l.windowed {
		byCol[w.col] = k
		alias := d.Quote("percentile_" + strconv.Itoa(k))
		sel := []any{"SELECT DISTINCT "}
		var on []frag
		for i, b := range breakouts {
			key := d.Quote("b" + strconv.Itoa(i))
			sel = append(sel, b, " AS ", key, ", ")
			on = append(on, frag{sql: g + "." + d.Quote(cols[i].Name) + " <=> " + alias + "." + key})
		}
		// The percentile is written as a number: MariaDB takes only a
		// constant there, not a bound parameter. It is a float64 that
		// Validate keeps between 0 and 1, so it can hold no SQL.
		sel = append(sel, "PERCENTILE_CONT(", strconv.FormatFloat(w.p, 'f', -1, 64), ") WITHIN GROUP (ORDER BY ", w.x, ") OVER (")
		if len(breakouts) > 0 {
			sel = append(sel, "PARTITION BY ", join(breakouts, ", "))
		}
		sel = append(sel, ") AS ", d.Quote("v"), rows)
		cond := frag{sql: "1 = 1"}
		if len(on) > 0 {
			cond = join(on, " AND ")
		}
		joins = append(joins, " LEFT JOIN (", cat(sel...), ") AS ", alias, " ON ", cond)
	}
	out := make([]frag, len(cols))
	for i, col := range cols {
		name := d.Quote(col.Name)
		if k, ok := byCol[i]; ok {
			out[i] = frag{sql: "CAST(" + d.Quote("percentile_"+strconv.Itoa(k)) + "." + d.Quote("v") + " AS DOUBLE) AS " + name}
			continue
		}
		out[i] = frag{sql: g + "." + name}
	}
	return cat(append([]any{"SELECT ", join(out, ", "), " FROM (", grouped, ") AS ", g}, joins...)...)
}

// joinStrings joins SQL snippets with commas.
func joinStrings(s []string) string {
	return join(stringFrags(s), ", ").sql
}

// stringFrags wraps SQL snippets without arguments as fragments.
func stringFrags(s []string) []frag {
	out := make([]frag, len(s))
	for i, x := range s {
		out[i] = frag{sql: x}
	}
	return out
}

// aggregation compiles one metric and names it ("sum", "Sum of Payment").
func (l *level) aggregation(a sightline.Aggregation) (frag, Column, error) {
	d := l.c.d
	col := Column{Source: SourceAggregation}
	if a.Op == sightline.AggExpression {
		return l.metricExpression(a)
	}
	var x frag
	var r colRef
	if a.Arg != nil {
		var err error
		if x, r, err = l.value(a.Arg); err != nil {
			return frag{}, col, err
		}
	}
	var f frag
	switch a.Op {
	case sightline.AggCount, sightline.AggCumCount:
		col.Name, col.DisplayName, col.BaseType = "count", "Count", sightline.BaseBigInt
		f = frag{sql: "COUNT(*)"}
		if a.Arg != nil {
			f = cat("COUNT(", x, ")")
			col.DisplayName = "Count of " + r.display
		}
		if a.Op == sightline.AggCumCount {
			col.DisplayName = "Cumulative c" + col.DisplayName[1:]
		}
	case sightline.AggDistinct:
		col.Name, col.DisplayName, col.BaseType = "count", "Distinct values of "+r.display, sightline.BaseBigInt
		f = cat("COUNT(DISTINCT ", x, ")")
	case sightline.AggSum, sightline.AggCumSum:
		col.Name, col.DisplayName, col.BaseType = "sum", "Sum of "+r.display, r.base
		if a.Op == sightline.AggCumSum {
			col.DisplayName = "Cumulative sum of " + r.display
		}
		f = cat("SUM(", x, ")")
	case sightline.AggAvg:
		col.Name, col.DisplayName, col.BaseType = "avg", "Average of "+r.display, sightline.BaseFloat
		// Averages are computed in floating point everywhere: MySQL's
		// AVG of integers is a DECIMAL with only four decimals.
		f = cat("AVG(", d.toFloat(x), ")")
	case sightline.AggMin:
		col.Name, col.DisplayName, col.BaseType = "min", "Min of "+r.display, r.base
		f = cat("MIN(", x, ")")
	case sightline.AggMax:
		col.Name, col.DisplayName, col.BaseType = "max", "Max of "+r.display, r.base
		f = cat("MAX(", x, ")")
	case sightline.AggCountWhere, sightline.AggShare, sightline.AggSumWhere, sightline.AggDistinctWhere:
		cond, err := l.filter(a.Condition)
		if err != nil {
			return frag{}, col, err
		}
		switch a.Op {
		case sightline.AggCountWhere:
			col.Name, col.DisplayName, col.BaseType = "count_where", "Count where", sightline.BaseBigInt
			f = cat("COUNT(CASE WHEN ", cond, " THEN 1 END)")
		case sightline.AggShare:
			col.Name, col.DisplayName, col.BaseType = "share", "Share", sightline.BaseFloat
			f = cat("(", d.toFloat(cat("COUNT(CASE WHEN ", cond, " THEN 1 END)")), " / NULLIF(COUNT(*), 0))")
		case sightline.AggSumWhere:
			col.Name, col.DisplayName, col.BaseType = "sum_where", "Sum of "+r.display+" where", r.base
			f = cat("SUM(CASE WHEN ", cond, " THEN ", x, " ELSE 0 END)")
		default:
			col.Name, col.DisplayName, col.BaseType = "distinct_where", "Distinct values of "+r.display+" where", sightline.BaseBigInt
			f = cat("COUNT(DISTINCT CASE WHEN ", cond, " THEN ", x, " END)")
		}
	case sightline.AggStdDev, sightline.AggVariance:
		if k := kind(r.base); k != "" && k != "number" {
			return frag{}, col, sightline.Errorf(sightline.EINVALID, "%s expects a number, got %s (%s).", a.Op, article(k), r.display)
		}
		col.Name, col.DisplayName, col.BaseType = "stddev", "Standard deviation of "+r.display, sightline.BaseFloat
		if a.Op == sightline.AggVariance {
			col.Name, col.DisplayName = "var", "Variance of "+r.display
		}
		f = d.spread(x, a.Op == sightline.AggStdDev)
	case sightline.AggMedian, sightline.AggPercentile:
		p := a.Percentile
		col.Name, col.DisplayName, col.BaseType = "percentile", strconv.FormatFloat(p*100, 'g', -1, 64)+"th percentile of "+r.display, sightline.BaseFloat
		if a.Op == sightline.AggMedian {
			p = 0.5
			col.Name, col.DisplayName = "median", "Median of "+r.display
		}
		if d == MySQL {
			// A placeholder in the grouped query, replaced by the window
			// function's value (see windowedPercentiles).
			l.windowed = append(l.windowed, windowedPercentile{x: d.toFloat(x), p: p, col: -1})
			f = frag{sql: "MAX(NULL)"}
			break
		}
		f = d.percentile(x, p)
	default:
		return frag{}, col, sightline.Errorf(sightline.EINVALID, "Unknown aggregation %q.", a.Op)
	}
	if a.Name != "" {
		col.Name = a.Name
	}
	if a.DisplayName != "" {
		col.DisplayName = a.DisplayName
	}
	return f, col, nil
}

// metricExpression compiles arithmetic between metrics, such as Sum / Count:
// each metric compiles as it does alone and they combine like the
// arithmetic of custom columns, so division is in floating point and NULL
// when the divisor is zero. The result is a float.
func (l *level) metricExpression(a sightline.Aggregation) (frag, Column, error) {
	col := Column{Source: SourceAggregation, Name: "expression", DisplayName: "Expression", BaseType: sightline.BaseFloat}
	if a.Expr == nil {
		return frag{}, col, sightline.Errorf(sightline.EINVALID, "The expression of metrics is missing.")
	}
	l.metrics = true
	f, _, err := l.value(a.Expr)
	l.metrics = false
	if err != nil {
		return frag{}, col, err
	}
	// A quotient is a float already; sums of decimals are not.
	if ar, ok := a.Expr.(*sightline.Arithmetic); !ok || ar.Op != "/" {
		f = l.c.d.toFloat(f)
	}
	if a.Name != "" {
		col.Name, col.DisplayName = a.Name, a.Name
	}
	if a.DisplayName != "" {
		col.DisplayName = a.DisplayName
	}
	return f, col, nil
}

// metricOperand refuses what cannot be an operand of an expression of
// metrics: columns outside a metric, text, conditions, other functions.
func metricOperand(e sightline.Expr) error {
	switch e := e.(type) {
	case *sightline.Metric, *sightline.Arithmetic:
		return nil
	case *sightline.Value:
		switch e.V.(type) {
		case int64, float64:
			return nil
		}
		return sightline.Errorf(sightline.EINVALID, "An expression of metrics takes only numbers, not %v.", e.V)
	case *sightline.Function:
		if sightline.IsMetricFunction(e.Name) {
			return nil
		}
		return sightline.Errorf(sightline.EINVALID, "%s cannot combine metrics; use +, -, *, / or abs, round, ceil, floor, power, sqrt, exp, log.", e.Name)
	case *sightline.FieldRef, *sightline.ExpressionRef:
		return sightline.Errorf(sightline.EINVALID, "A column in an expression of metrics must be inside a metric, such as Sum.")
	}
	return sightline.Errorf(sightline.EINVALID, "An expression of metrics takes only metrics, numbers, + - * / and math functions.")
}

// metric compiles a metric that is an operand of an expression of
// metrics. It must compute in the one grouped query and give a number.
func (l *level) metric(m *sightline.Metric) (frag, colRef, error) {
	op := m.Agg.Op
	switch {
	case !l.metrics:
		return frag{}, colRef{}, sightline.Errorf(sightline.EINVALID, "%s is a metric; use it in Summarize, not in a column or a filter.", op)
	case op == sightline.AggCumCount || op == sightline.AggCumSum:
		return frag{}, colRef{}, sightline.Errorf(sightline.EINVALID, "A cumulative metric (%s) cannot be used in an expression of metrics.", op)
	case op == sightline.AggExpression:
		return frag{}, colRef{}, sightline.Errorf(sightline.EINVALID, "An expression of metrics cannot hold another one.")
	case (op == sightline.AggMedian || op == sightline.AggPercentile) && l.c.d == MySQL:
		return frag{}, colRef{}, sightline.Errorf(sightline.EINVALID, "MySQL and MariaDB cannot use %s in an expression of metrics: make it a metric of its own.", op)
	}
	l.metrics = false
	f, col, err := l.aggregation(m.Agg)
	l.metrics = true
	if err != nil {
		return frag{}, colRef{}, err
	}
	if k := kind(col.BaseType); k != "" && k != "number" {
		return frag{}, colRef{}, sightline.Errorf(sightline.EINVALID, "%s gives %s, not a number, so it cannot be used in an expression of metrics.", col.DisplayName, article(k))
	}
	return f, colRef{name: col.Name, display: col.DisplayName, base: col.BaseType}, nil
}
