package query

import (
	"strconv"
	"strings"
	"time"

	"sightline"
)

// Options are the settings a compilation depends on besides the query.
type Options struct {
	// Now anchors relative dates ("previous 30 days"); zero means time.Now().
	Now time.Time
	// Location is the report time zone for bucketing and relative dates;
	// nil means UTC. Use a named zone (time.LoadLocation), not time.Local.
	Location *time.Location
	// Views restrict tables: every occurrence of a table ID in the query
	// (source, explicit or implicit join, inside saved questions used as
	// sources) is replaced by the view's rows, and the view's hidden fields
	// cannot be referred to. This is the row-level sandbox hook; with any
	// view set, native SQL is refused (except a view's own SQL).
	Views map[int64]View
	// MaxRows caps the outermost LIMIT; 0 for no cap.
	MaxRows int
	// TimeZoneTables says that a MySQL/MariaDB server has its time zone
	// tables loaded, so that CONVERT_TZ knows zone names (see
	// datasource.Source.NamedTimeZones). Without them convert-timezone is
	// refused on MySQL with an error wrapping ErrNoTimeZoneTables, since
	// CONVERT_TZ would give NULL for every row. PostgreSQL and SQLite know
	// zone names either way.
	TimeZoneTables bool
}

// View is what a person may see of one table.
type View struct {
	// Filter keeps the rows it matches: a condition on the table's own
	// fields, nil for every row.
	Filter sightline.Expr
	// Native, when set, is SQL written by an administrator that stands in
	// for the table (as a subquery), its variables bound to Params as bind
	// arguments. It must return columns of the table, by name.
	Native *sightline.NativeQuery
	Params []sightline.Parameter
	// Visible is the fields a query may refer to; nil for all of them.
	// Referring to any other field of the table is EFORBIDDEN, and queries
	// without a column choice select only these.
	Visible map[int64]bool
	// Empty makes the view have no rows at all (for a value that cannot
	// be bound to its variable's type).
	Empty bool
}

// visible reports whether field id of the view's table may be used.
func (v View) visible(id int64) bool {
	return v.Visible == nil || v.Visible[id]
}

// Column describes one result column.
type Column struct {
	Name         string // unique within the result; the SQL column alias
	DisplayName  string // "Sum of Payment", "Date Received: Month"
	BaseType     string
	SemanticType string
	// FieldID is the field the column comes from, 0 for computed columns.
	FieldID int64
	// Source is "fields", "breakout", "aggregation" or "expression".
	Source    string
	Unit      string // temporal unit of a bucketed breakout
	JoinAlias string
}

// Column sources.
const (
	SourceFields      = "fields"
	SourceBreakout    = "breakout"
	SourceAggregation = "aggregation"
	SourceExpression  = "expression"
)

// Compiled is a query ready to run: SQL with placeholders, the values bound
// to them, and the result columns (nil for native SQL, whose columns only
// the driver knows).
type Compiled struct {
	SQL     string
	Args    []any
	Columns []Column
	// Native is true when the SQL carries text a person wrote (a SQL
	// question, at any depth, or a sandbox's SQL view), which the data
	// source then runs inside a read-only transaction.
	Native bool
}

// sourceAlias is the alias of the source table or saved question.
const sourceAlias = "source"

// Compile turns a query into SQL for dialect d. Every value is a bind
// argument and every identifier is quoted. Unknown tables, fields and saved
// questions, and features the engine lacks, are EINVALID errors.
func Compile(q *sightline.Query, md Metadata, d Dialect, opts Options) (*Compiled, error) {
	if q == nil {
		return nil, sightline.Errorf(sightline.EINVALID, "No query to run.")
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	c := &compiler{md: md, d: d, opts: opts, database: q.Database, loc: opts.Location, now: opts.Now, active: map[int64]bool{}, cards: map[int64]*sightline.Query{}}
	if c.loc == nil {
		c.loc = time.UTC
	}
	c.tz = c.loc.String()
	if c.tz == "Local" {
		c.tz = "UTC"
	}
	if c.now.IsZero() {
		c.now = time.Now()
	}
	c.now = c.now.In(c.loc)
	f, cols, err := c.query(q)
	if err != nil {
		return nil, err
	}
	if err := checkSQLLength(len(f.sql)); err != nil {
		return nil, err
	}
	sql, args := finish(f, d)
	if err := checkSQLLength(len(sql)); err != nil {
		return nil, err
	}
	return &Compiled{SQL: sql, Args: args, Columns: cols, Native: c.written}, nil
}

// checkSQLLength refuses SQL longer than sightline.MaxCompiledSQLBytes.
func checkSQLLength(n int) error {
	if n > sightline.MaxCompiledSQLBytes {
		return sightline.OverLimit("This question compiles to", int64(n), "bytes of SQL", sightline.MaxCompiledSQLBytes)
	}
	return nil
}

// spend counts n terms of SQL being produced, across nested saved
// questions, sandbox views and parameters, and refuses the question once
// the count passes sightline.MaxExpressionTerms. Validate bounds each
// query on its own; this bounds what they add up to once saved questions
// used several times are written out, before the SQL is built.
func (c *compiler) spend(n int) error {
	c.terms += n
	if c.terms > sightline.MaxExpressionTerms {
		return sightline.OverLimit("This question compiles to more than", sightline.MaxExpressionTerms,
			"terms once its saved questions, custom columns and sandboxes are written out", sightline.MaxExpressionTerms)
	}
	return nil
}

// compiler holds what one compilation shares across nested queries.
type compiler struct {
	md       Metadata
	d        Dialect
	opts     Options
	database int64
	loc      *time.Location
	tz       string
	now      time.Time
	depth    int
	active   map[int64]bool             // saved questions being compiled, against cycles
	cards    map[int64]*sightline.Query // saved questions looked up so far
	terms    int                        // terms compiled so far, see spend
	written  bool                       // SQL text written by a person was inlined
}

// query compiles a structured or native query at any nesting depth.
func (c *compiler) query(q *sightline.Query) (frag, []Column, error) {
	if q.Type == sightline.QueryTypeNative {
		if len(c.opts.Views) > 0 {
			return frag{}, nil, sightline.Errorf(sightline.EFORBIDDEN, "Native SQL cannot be run on sandboxed data.")
		}
		f, err := c.native(q.Native, q.Parameters)
		return f, nil, err
	}
	return c.structured(q.Structured, q.Parameters)
}

// metaErr turns "not found" from Metadata into an error about the query.
func metaErr(err error) error {
	if sightline.ErrorCode(err) == sightline.ENOTFOUND {
		return sightline.Errorf(sightline.EINVALID, "%s", sightline.ErrorMessage(err))
	}
	return err
}

// table looks up a table and checks it belongs to the query's database.
func (c *compiler) table(id int64) (*sightline.Table, error) {
	t, err := c.md.Table(id)
	if err != nil {
		return nil, metaErr(err)
	}
	if c.database != 0 && t.DatabaseID != 0 && t.DatabaseID != c.database {
		return nil, sightline.Errorf(sightline.EINVALID, "Table %d is not in database %d.", id, c.database)
	}
	return t, nil
}

// field looks up a field.
func (c *compiler) field(id int64) (*sightline.Field, error) {
	f, err := c.md.Field(id)
	if err != nil {
		return nil, metaErr(err)
	}
	return f, nil
}

// card compiles a saved question used as a source.
func (c *compiler) card(id int64) (frag, []Column, error) {
	if c.active[id] {
		return frag{}, nil, sightline.Errorf(sightline.EINVALID, "Saved question %d is used as its own source.", id)
	}
	if c.depth >= sightline.MaxQuestionNesting {
		return frag{}, nil, sightline.OverLimit("This question builds on saved questions nested", int64(c.depth+1), "levels deep", sightline.MaxQuestionNesting)
	}
	if err := c.spend(1); err != nil {
		return frag{}, nil, err
	}
	// A saved question used several times is looked up and checked once:
	// Metadata may read it from the app database each time.
	q, ok := c.cards[id]
	if !ok {
		var err error
		if q, err = c.md.Card(id); err != nil {
			return frag{}, nil, metaErr(err)
		}
		if err := q.Validate(); err != nil {
			return frag{}, nil, err
		}
		if c.database != 0 && q.Database != 0 && q.Database != c.database {
			return frag{}, nil, sightline.Errorf(sightline.EINVALID, "Saved question %d is on another database.", id)
		}
		c.cards[id] = q
	}
	c.active[id] = true
	c.depth++
	defer func() { delete(c.active, id); c.depth-- }()
	f, cols, err := c.query(q)
	if err == nil {
		err = checkSQLLength(len(f.sql))
	}
	return f, cols, err
}

// tableRef is a table's qualified name, or the sandbox subquery standing in
// for it.
func (c *compiler) tableRef(t *sightline.Table) (frag, error) {
	if err := c.spend(1); err != nil {
		return frag{}, err
	}
	name, err := c.d.quoteIdent(t.Name)
	if err != nil {
		return frag{}, err
	}
	if t.Schema != "" {
		s, err := c.d.quoteIdent(t.Schema)
		if err != nil {
			return frag{}, err
		}
		name = s + "." + name
	}
	v, ok := c.opts.Views[t.ID]
	if !ok {
		return frag{sql: name}, nil
	}
	src := frag{sql: name}
	if v.Native != nil && !v.Empty {
		n := *v.Native
		n.SQL = strings.TrimRight(n.SQL, "; \t\r\n")
		f, err := c.native(&n, v.Params)
		if err != nil {
			return frag{}, err
		}
		src = cat("(", f, ") AS ", c.d.Quote(viewAlias))
	}
	var conds []frag
	if v.Empty {
		conds = append(conds, frag{sql: "1 = 0"})
	}
	if v.Filter != nil {
		if !sightline.IsFilter(v.Filter) {
			return frag{}, sightline.Errorf(sightline.EINVALID, "The row filter of table %d is not a condition.", t.ID)
		}
		l := &level{c: c, table: t, ownOnly: true, view: true}
		cond, err := l.filter(v.Filter)
		if err != nil {
			return frag{}, err
		}
		conds = append(conds, cond)
	}
	switch {
	case len(conds) > 0:
		return cat("(SELECT * FROM ", src, " WHERE ", join(conds, " AND "), ")"), nil
	case v.Native != nil:
		return cat("(SELECT * FROM ", src, ")"), nil
	}
	return src, nil
}

// viewAlias names a view's SQL inside the subquery standing in for its
// table.
const viewAlias = "view"

// DescribeView compiles a statement that returns no rows but the columns
// of table t as view v shows it, to learn what a SQL view returns.
func DescribeView(t *sightline.Table, v View, md Metadata, d Dialect) (*Compiled, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	v.Visible, v.Empty = nil, false
	c := &compiler{md: md, d: d, opts: Options{Views: map[int64]View{t.ID: v}}, loc: time.UTC, tz: "UTC", now: time.Now(), active: map[int64]bool{}, cards: map[int64]*sightline.Query{}}
	ref, err := c.tableRef(t)
	if err != nil {
		return nil, err
	}
	sql, args := finish(cat("SELECT * FROM ", ref, " AS ", d.Quote(sourceAlias), " WHERE 1 = 0"), d)
	return &Compiled{SQL: sql, Args: args, Native: c.written}, nil
}

// level is one structured query being compiled: its source, joins and
// custom columns.
type level struct {
	c        *compiler
	q        *sightline.StructuredQuery
	prefix   string           // qualifier of source columns
	table    *sightline.Table // the source table, nil for a saved question
	cols     []Column         // the columns of a saved-question source
	joins    map[string]*joinSource
	implicit []*implicitJoin
	exprs    map[string]sightline.Expr
	ownOnly  bool // a sandbox or field filter: the table's own columns only
	// view is a sandbox view's own filter or SQL, which may use the
	// columns it hides.
	view bool
	// windowed are the percentiles of a grouped query on MySQL/MariaDB,
	// computed by window functions beside the grouped query (see
	// windowedPercentiles).
	windowed []windowedPercentile
	// metrics is set while compiling an expression of metrics, outside
	// its metrics: operands must be metrics, numbers or math over them.
	metrics bool
}

// windowedPercentile is one percentile metric computed by a window
// function: of x, at p, for result column col.
type windowedPercentile struct {
	x   frag
	p   float64
	col int
}

// joinSource is an explicit join's table or saved question.
type joinSource struct {
	join  *sightline.Join
	table *sightline.Table
	cols  []Column
	from  frag
}

// implicitJoin is a join the query implies: a LEFT JOIN for fields reached
// through a foreign key, or a CROSS JOIN of a column's range for binning.
type implicitJoin struct {
	key   string
	alias string
	from  frag
	on    frag
	cross bool
}

// colRef is a resolved column reference and what is known about it.
type colRef struct {
	sql       frag
	name      string
	display   string
	base      string
	semantic  string
	fieldID   int64
	unit      string
	joinAlias string
	// table and column locate a table column (nil for computed columns and
	// columns of saved questions); num-bins binning needs them.
	table   *sightline.Table
	colName string
}

// column is the result column a resolved reference produces.
func (r colRef) column(source string) Column {
	return Column{Name: r.name, DisplayName: r.display, BaseType: r.base, SemanticType: r.semantic,
		FieldID: r.fieldID, Source: source, Unit: r.unit, JoinAlias: r.joinAlias}
}

// resolve finds the column a field reference means, without its temporal
// unit or binning. Every field reference passes here, so here its options
// are checked, the temporal unit that bucketing writes into SQL included:
// a parameter's target or a sandbox's filter has not been through Validate.
func (l *level) resolve(f *sightline.FieldRef) (colRef, error) {
	if err := sightline.CheckFieldRef(f); err != nil {
		return colRef{}, err
	}
	if f.SourceField != 0 {
		return l.resolveImplicit(f)
	}
	if f.JoinAlias != "" {
		js, ok := l.joins[f.JoinAlias]
		if !ok {
			return colRef{}, sightline.Errorf(sightline.EINVALID, "Unknown join alias %q.", f.JoinAlias)
		}
		qual := l.c.d.Quote(f.JoinAlias) + "."
		var r colRef
		var err error
		if js.table != nil {
			r, err = l.fieldIn(js.table, f, qual)
		} else {
			r, err = cardColumn(js.cols, f, qual, l.c.d)
		}
		if err != nil {
			return r, err
		}
		r.joinAlias = f.JoinAlias
		r.name = f.JoinAlias + "__" + r.name
		r.display = f.JoinAlias + " → " + r.display
		return r, nil
	}
	if l.table != nil {
		return l.fieldIn(l.table, f, l.prefix)
	}
	return cardColumn(l.cols, f, l.prefix, l.c.d)
}

// fieldIn resolves f as a column of table t.
func (l *level) fieldIn(t *sightline.Table, f *sightline.FieldRef, qual string) (colRef, error) {
	var fld *sightline.Field
	if f.ID != 0 {
		var err error
		if fld, err = l.c.field(f.ID); err != nil {
			return colRef{}, err
		}
		if fld.TableID != t.ID {
			return colRef{}, sightline.Errorf(sightline.EINVALID, "Field %d (%s) is not a column of table %s: reach it through a join or a foreign key.", f.ID, fld.Name, t.Name)
		}
	} else {
		for i := range t.Fields {
			if t.Fields[i].Name == f.Name {
				fld = &t.Fields[i]
				break
			}
		}
		if fld == nil {
			return colRef{}, sightline.Errorf(sightline.EINVALID, "Table %s has no column %q.", t.Name, f.Name)
		}
	}
	if v, ok := l.c.opts.Views[t.ID]; ok && !l.view && !v.visible(fld.ID) {
		return colRef{}, sightline.Errorf(sightline.EFORBIDDEN, "The column %s of %s is hidden by your sandbox, so a query cannot use it.", fieldName(fld), tableName(t))
	}
	q, err := l.c.d.quoteIdent(fld.Name)
	if err != nil {
		return colRef{}, err
	}
	display := fld.DisplayName
	if display == "" {
		display = sightline.HumanizeName(fld.Name)
	}
	return colRef{sql: frag{sql: qual + q}, name: fld.Name, display: display, base: fld.BaseType,
		semantic: fld.SemanticType, fieldID: fld.ID, table: t, colName: q}, nil
}

// fieldName is a field's name as people see it.
func fieldName(f *sightline.Field) string {
	if f.DisplayName != "" {
		return f.DisplayName
	}
	return f.Name
}

// tableName is a table's name as people see it.
func tableName(t *sightline.Table) string {
	if t.DisplayName != "" {
		return t.DisplayName
	}
	return t.Name
}

// cardColumn resolves f among the result columns of a saved question: by
// name, or by the field a column comes from.
func cardColumn(cols []Column, f *sightline.FieldRef, qual string, d Dialect) (colRef, error) {
	var col *Column
	for i := range cols {
		c := &cols[i]
		if (f.ID != 0 && c.FieldID == f.ID && c.Source != SourceAggregation) || (f.ID == 0 && c.Name == f.Name) {
			col = c
			break
		}
	}
	if col == nil {
		if f.ID != 0 || cols != nil {
			return colRef{}, sightline.Errorf(sightline.EINVALID, "The saved question has no column %s.", fieldLabel(f))
		}
		// A native saved question: its columns are known by name only.
		col = &Column{Name: f.Name, DisplayName: sightline.HumanizeName(f.Name), BaseType: f.BaseType}
	}
	q, err := d.quoteIdent(col.Name)
	if err != nil {
		return colRef{}, err
	}
	base := col.BaseType
	if base == "" {
		base = f.BaseType
	}
	return colRef{sql: frag{sql: qual + q}, name: col.Name, display: col.DisplayName, base: base,
		semantic: col.SemanticType, fieldID: col.FieldID}, nil
}

// fieldLabel names a field reference in messages.
func fieldLabel(f *sightline.FieldRef) string {
	if f.ID != 0 {
		return "for field " + strconv.FormatInt(f.ID, 10)
	}
	return strconv.Quote(f.Name)
}

// resolveImplicit resolves a field reached through a foreign key, adding
// one LEFT JOIN per foreign key.
func (l *level) resolveImplicit(f *sightline.FieldRef) (colRef, error) {
	if l.ownOnly {
		return colRef{}, sightline.Errorf(sightline.EINVALID, "A row or field filter may use only its table's own columns.")
	}
	fk, err := l.c.field(f.SourceField)
	if err != nil {
		return colRef{}, err
	}
	if fk.FKTargetFieldID == 0 {
		return colRef{}, sightline.Errorf(sightline.EINVALID, "Field %d (%s) is not a foreign key.", fk.ID, fk.Name)
	}
	pk, err := l.c.field(fk.FKTargetFieldID)
	if err != nil {
		return colRef{}, err
	}
	target, err := l.c.table(pk.TableID)
	if err != nil {
		return colRef{}, err
	}
	key := f.JoinAlias + "\x00" + strconv.FormatInt(fk.ID, 10)
	var ij *implicitJoin
	for _, j := range l.implicit {
		if j.key == key {
			ij = j
		}
	}
	if ij == nil {
		fkRef, err := l.resolve(&sightline.FieldRef{ID: fk.ID, JoinAlias: f.JoinAlias})
		if err != nil {
			return colRef{}, err
		}
		alias := target.Name + "__via__" + fk.Name
		if f.JoinAlias != "" {
			alias += "__" + f.JoinAlias
		}
		aq, err := l.c.d.quoteIdent(alias)
		if err != nil {
			return colRef{}, err
		}
		pkq, err := l.c.d.quoteIdent(pk.Name)
		if err != nil {
			return colRef{}, err
		}
		from, err := l.c.tableRef(target)
		if err != nil {
			return colRef{}, err
		}
		ij = &implicitJoin{key: key, alias: aq, from: from, on: cat(fkRef.sql, " = ", aq+"."+pkq)}
		l.implicit = append(l.implicit, ij)
	}
	r, err := l.fieldIn(target, &sightline.FieldRef{ID: f.ID, Name: f.Name}, ij.alias+".")
	if err != nil {
		return r, err
	}
	fkName := fk.DisplayName
	if fkName == "" {
		fkName = sightline.HumanizeName(fk.Name)
	}
	fkName = strings.TrimSuffix(fkName, " ID")
	r.display = fkName + " → " + r.display
	return r, nil
}

// unitTitle is a temporal unit as shown to people: "day-of-week" -> "Day of week".
func unitTitle(unit string) string {
	s := strings.ReplaceAll(unit, "-", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// value compiles an expression used as a value (select list, operands).
func (l *level) value(e sightline.Expr) (frag, colRef, error) {
	if err := l.c.spend(1); err != nil {
		return frag{}, colRef{}, err
	}
	d := l.c.d
	if l.metrics {
		if err := metricOperand(e); err != nil {
			return frag{}, colRef{}, err
		}
	}
	switch e := e.(type) {
	case *sightline.Metric:
		return l.metric(e)
	case *sightline.FieldRef:
		r, err := l.resolve(e)
		if err != nil {
			return frag{}, r, err
		}
		switch {
		case e.TemporalUnit != "":
			x := d.localTime(r.sql, r.base, l.c.tz)
			r.sql = d.bucket(x, e.TemporalUnit)
			r.unit = e.TemporalUnit
			r.display += ": " + unitTitle(e.TemporalUnit)
			switch {
			case sightline.IsExtractionUnit(e.TemporalUnit):
				r.base, r.semantic = sightline.BaseInteger, ""
			case e.TemporalUnit == sightline.UnitMinute || e.TemporalUnit == sightline.UnitHour:
				r.base = sightline.BaseDateTime
			default:
				r.base = sightline.BaseDate
			}
		case e.Binning != nil && e.Binning.Strategy == sightline.NumBins:
			f, err := l.numBins(r, e.Binning.NumBins)
			if err != nil {
				return frag{}, r, err
			}
			r.sql, r.base = f, sightline.BaseFloat
			r.display += ": " + strconv.Itoa(e.Binning.NumBins) + " bins"
		case e.Binning != nil:
			w := e.Binning.BinWidth
			r.sql = cat("(FLOOR(", d.toFloat(r.sql), " / ", bind(w), ") * ", bind(w), ")")
			r.base = sightline.BaseFloat
			r.display += ": " + strconv.FormatFloat(w, 'g', -1, 64)
		}
		return r.sql, r, nil
	case *sightline.ExpressionRef:
		x, ok := l.exprs[e.Name]
		if !ok {
			return frag{}, colRef{}, sightline.Errorf(sightline.EINVALID, "Unknown custom column %q.", e.Name)
		}
		f, r, err := l.value(x)
		return f, colRef{sql: f, name: e.Name, display: e.Name, base: r.base}, err
	case *sightline.Value:
		return d.literal(e.V), colRef{name: "value", display: "Value", base: literalType(e.V)}, nil
	case *sightline.Arithmetic:
		args, refs, err := l.values(e.Args)
		if err != nil {
			return frag{}, colRef{}, err
		}
		base := sightline.BaseInteger
		for _, r := range refs {
			if r.base != sightline.BaseInteger && r.base != sightline.BaseBigInt {
				base = sightline.BaseFloat
			}
		}
		var f frag
		switch e.Op {
		case "+", "-", "*", "/":
		default:
			return frag{}, colRef{}, sightline.Errorf(sightline.EINVALID, "Unknown arithmetic operator %q.", e.Op)
		}
		if e.Op == "/" {
			base = sightline.BaseFloat
			f = d.toFloat(args[0])
			for _, a := range args[1:] {
				f = cat("(", f, " / NULLIF(", a, ", 0))")
			}
		} else {
			f = cat("(", join(args, " "+e.Op+" "), ")")
		}
		return f, colRef{name: "expression", display: "Expression", base: base}, nil
	case *sightline.Function:
		return l.function(e)
	case *sightline.Case:
		parts := []any{"CASE"}
		base := ""
		for _, w := range e.Whens {
			cond, err := l.filter(w.Cond)
			if err != nil {
				return frag{}, colRef{}, err
			}
			then, r, err := l.value(w.Then)
			if err != nil {
				return frag{}, colRef{}, err
			}
			if base == "" {
				base = r.base
			}
			parts = append(parts, " WHEN ", cond, " THEN ", then)
		}
		if e.Else != nil {
			el, _, err := l.value(e.Else)
			if err != nil {
				return frag{}, colRef{}, err
			}
			parts = append(parts, " ELSE ", el)
		}
		parts = append(parts, " END")
		return cat(parts...), colRef{name: "case", display: "Case", base: base}, nil
	case *sightline.AggregationRef:
		return frag{}, colRef{}, sightline.Errorf(sightline.EINVALID, "An aggregation can only be referred to in order-by.")
	}
	if sightline.IsFilter(e) {
		// A condition used as a value (a boolean custom column) is true on
		// the rows the same condition keeps as a filter and false on all
		// others, never empty.
		cond, err := l.filter(e)
		if err != nil {
			return frag{}, colRef{}, err
		}
		return cat("(CASE WHEN ", cond, " THEN ", d.truthy(), " ELSE ", d.falsy(), " END)"),
			colRef{name: "condition", display: "Condition", base: sightline.BaseBoolean}, nil
	}
	return frag{}, colRef{}, sightline.Errorf(sightline.EINVALID, "A condition cannot be used as a column value.")
}

// numBins splits the range of a table column into n bins of equal width,
// from its minimum to its maximum (which falls into the last bin); each
// value maps to the lower bound of its bin. The range comes from a one-row
// subquery on the column's table, cross joined and sandboxed like every
// other occurrence of that table.
func (l *level) numBins(r colRef, n int) (frag, error) {
	if r.table == nil {
		return frag{}, sightline.Errorf(sightline.EINVALID, "Binning by number of bins needs a column of a table.")
	}
	d := l.c.d
	key := "bins\x00" + strconv.FormatInt(r.table.ID, 10) + "\x00" + r.colName
	var ij *implicitJoin
	for _, j := range l.implicit {
		if j.key == key {
			ij = j
		}
	}
	if ij == nil {
		ref, err := l.c.tableRef(r.table)
		if err != nil {
			return frag{}, err
		}
		alias, err := d.quoteIdent(r.table.Name + "__" + r.name + "__range")
		if err != nil {
			return frag{}, err
		}
		from := cat("(SELECT ", d.toFloat(frag{sql: "MIN(" + r.colName + ")"}), " AS ", d.Quote("min"),
			", ", d.toFloat(frag{sql: "MAX(" + r.colName + ")"}), " AS ", d.Quote("max"), " FROM ", ref, " AS ", d.Quote("bins"), ")")
		ij = &implicitJoin{key: key, alias: alias, from: from, cross: true}
		l.implicit = append(l.implicit, ij)
	}
	mn := frag{sql: ij.alias + "." + d.Quote("min")}
	mx := frag{sql: ij.alias + "." + d.Quote("max")}
	w := cat("((", mx, " - ", mn, ") / ", bind(float64(n)), ")")
	x := d.toFloat(r.sql)
	return cat("(CASE WHEN ", mx, " = ", mn, " THEN ", mn,
		" WHEN ", x, " >= ", mx, " THEN ", mn, " + ", bind(float64(n-1)), " * ", w,
		" ELSE ", mn, " + FLOOR((", x, " - ", mn, ") / ", w, ") * ", w, " END)"), nil
}

// values compiles a list of operands.
func (l *level) values(es []sightline.Expr) ([]frag, []colRef, error) {
	fs := make([]frag, len(es))
	rs := make([]colRef, len(es))
	for i, e := range es {
		f, r, err := l.value(e)
		if err != nil {
			return nil, nil, err
		}
		fs[i], rs[i] = f, r
	}
	return fs, rs, nil
}

// literalType is the base type of a literal value.
func literalType(v any) string {
	switch v.(type) {
	case int64:
		return sightline.BaseInteger
	case float64:
		return sightline.BaseFloat
	case bool:
		return sightline.BaseBoolean
	case string:
		return sightline.BaseText
	}
	return sightline.BaseUnknown
}
