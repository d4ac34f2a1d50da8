package sightline

import (
	"fmt"
	"math"
	"slices"
)

// QueryVersion is the version of the query model this build writes. ParseQuery
// accepts queries without a version (older clients) and refuses newer ones.
const QueryVersion = 1

// Query types.
const (
	QueryTypeStructured = "query"  // built with the notebook editor
	QueryTypeNative     = "native" // SQL written by a person
)

// Query is a question asked of one database: a structured query built from
// the model below, or native SQL with template tags. Its JSON form is the
// MBQL wire format (see ParseQuery and MarshalJSON).
type Query struct {
	Version    int
	Database   int64
	Type       string
	Structured *StructuredQuery
	Native     *NativeQuery
	// Parameters are values for native template tags or, for structured
	// queries, extra filters on fields (dashboard filters).
	Parameters []Parameter
}

// StructuredQuery is a query built from a source, joins, filters, custom
// columns, aggregations and breakouts. Exactly one of SourceTable and
// SourceCard is set.
type StructuredQuery struct {
	SourceTable int64
	// SourceCard is a saved question whose results are the source ("card__12").
	SourceCard   int64
	Joins        []Join
	Expressions  []NamedExpr
	Filter       Expr // nil for none
	Aggregations []Aggregation
	Breakouts    []Expr
	// Fields, when set, are the columns of a query without aggregations.
	Fields  []Expr
	OrderBy []OrderBy
	// Limit is the maximum number of rows, 0 for none.
	Limit int
}

// Join strategies.
const (
	JoinLeft  = "left-join"
	JoinInner = "inner-join"
	JoinRight = "right-join"
	JoinFull  = "full-join"
)

// Join modes for the columns a join adds.
const (
	JoinFieldsAll  = "all"
	JoinFieldsNone = "none"
)

// Join is an explicit join of a table or a saved question under an alias.
type Join struct {
	Alias       string
	SourceTable int64
	SourceCard  int64
	Condition   Expr
	Strategy    string // JoinLeft when empty
	// FieldsMode is JoinFieldsAll, JoinFieldsNone or "" when Fields lists
	// the columns to add (an empty list adds none).
	FieldsMode string
	Fields     []Expr
}

// NamedExpr is a custom column: a name and the expression computing it.
type NamedExpr struct {
	Name string
	Expr Expr
}

// OrderBy sorts by a field, an expression or an aggregation.
type OrderBy struct {
	Desc bool
	Expr Expr
}

// Aggregation operators.
const (
	AggCount      = "count"
	AggDistinct   = "distinct"
	AggSum        = "sum"
	AggAvg        = "avg"
	AggMin        = "min"
	AggMax        = "max"
	AggMedian     = "median"
	AggPercentile = "percentile"
	AggCumCount   = "cum-count"
	AggCumSum     = "cum-sum"
	// Metrics over the rows matching a condition.
	AggCountWhere    = "count-where"
	AggSumWhere      = "sum-where"
	AggDistinctWhere = "distinct-where"
	AggShare         = "share"
	// Population standard deviation and variance.
	AggStdDev   = "stddev"
	AggVariance = "var"
	// AggExpression is arithmetic between metrics; its MBQL form is the
	// expression itself ("/", ["sum", ...], ["count"]).
	AggExpression = "expression"
)

// Aggregation is one metric. Arg is nil for count and cum-count of rows,
// count-where and share.
type Aggregation struct {
	Op  string
	Arg Expr
	// Expr is the computation of an AggExpression: Arithmetic, the math
	// functions (see IsMetricFunction) and number literals over Metric
	// leaves, such as Sum([Payment]) / Count.
	Expr Expr
	// Condition selects the rows of count-where, sum-where,
	// distinct-where and share.
	Condition Expr
	// Percentile is between 0 and 1 for AggPercentile.
	Percentile float64
	// Name and DisplayName, when set, override the generated ones.
	Name        string
	DisplayName string
}

// Temporal units: truncating units bucket a date to the start of a period;
// extraction units give a number (day-of-week 1 = Sunday).
const (
	UnitMinute      = "minute"
	UnitHour        = "hour"
	UnitDay         = "day"
	UnitWeek        = "week"
	UnitMonth       = "month"
	UnitQuarter     = "quarter"
	UnitYear        = "year"
	UnitDayOfWeek   = "day-of-week"
	UnitMonthOfYear = "month-of-year"
)

// IsTruncatingUnit reports whether unit buckets dates into periods.
func IsTruncatingUnit(unit string) bool {
	switch unit {
	case UnitMinute, UnitHour, UnitDay, UnitWeek, UnitMonth, UnitQuarter, UnitYear:
		return true
	}
	return false
}

// IsExtractionUnit reports whether unit extracts a number from a date.
func IsExtractionUnit(unit string) bool {
	return unit == UnitDayOfWeek || unit == UnitMonthOfYear
}

// Binning strategies.
const (
	BinWidth = "bin-width"
	NumBins  = "num-bins"
)

// Binning groups a numeric field into bins of a fixed width or a fixed count.
type Binning struct {
	Strategy string
	BinWidth float64
	NumBins  int
}

// Expr is a node of the query model's expression tree: a field or reference,
// a literal, a filter or a computation. The set of node types is closed.
type Expr interface{ exprNode() }

// FieldRef refers to a column: a field by ID, or a column of a saved question
// by Name (with its BaseType).
type FieldRef struct {
	ID       int64
	Name     string
	BaseType string
	// JoinAlias names the explicit join the field comes from.
	JoinAlias string
	// SourceField is the foreign key the field is reached through (an
	// implicit join).
	SourceField  int64
	TemporalUnit string
	Binning      *Binning
}

// Metric is a metric used as an operand of an AggExpression.
type Metric struct{ Agg Aggregation }

// IsMetricFunction reports whether the function name may combine metrics
// in an AggExpression: the math functions of numbers.
func IsMetricFunction(name string) bool {
	switch name {
	case FuncAbs, FuncRound, FuncCeil, FuncFloor, FuncPower, FuncSqrt, FuncExp, FuncLog:
		return true
	}
	return false
}

// ExpressionRef refers to a custom column by name.
type ExpressionRef struct{ Name string }

// AggregationRef refers to an aggregation by index (in order-by).
type AggregationRef struct{ Index int }

// Value is a literal: string, int64, float64, bool or nil.
type Value struct{ V any }

// Comparison operators. OpEq and OpNe take one or more values (one-of).
const (
	OpEq = "="
	OpNe = "!="
	OpLt = "<"
	OpLe = "<="
	OpGt = ">"
	OpGe = ">="
)

// Compare compares Left with Values using Op.
type Compare struct {
	Op     string
	Left   Expr
	Values []Expr
}

// Between is true when Arg lies between Min and Max, both included.
type Between struct {
	Arg, Min, Max Expr
}

// Null and emptiness checks.
const (
	OpIsNull   = "is-null"
	OpNotNull  = "not-null"
	OpIsEmpty  = "is-empty"
	OpNotEmpty = "not-empty"
)

// NullCheck tests Arg for NULL, or for NULL or the empty string.
type NullCheck struct {
	Op  string
	Arg Expr
}

// String matching operators.
const (
	OpContains       = "contains"
	OpDoesNotContain = "does-not-contain"
	OpStartsWith     = "starts-with"
	OpEndsWith       = "ends-with"
)

// StringFilter matches text. Without CaseSensitive, case is ignored.
type StringFilter struct {
	Op            string
	Arg           Expr
	Value         Expr
	CaseSensitive bool
}

// TimeInterval is a relative date filter: N units before (N < 0) or after
// (N > 0) the current one, or the current unit itself (N = 0). "Previous 30
// days" is N = -30, Unit = day; IncludeCurrent adds the current unit.
type TimeInterval struct {
	Arg            Expr
	N              int
	Unit           string
	IncludeCurrent bool
}

// Logical operators.
const (
	OpAnd = "and"
	OpOr  = "or"
)

// Logical combines filters with and/or.
type Logical struct {
	Op   string
	Args []Expr
}

// Not negates a filter.
type Not struct{ Arg Expr }

// Arithmetic is + - * / over two or more operands. Division is always
// floating point and gives NULL when dividing by zero.
type Arithmetic struct {
	Op   string
	Args []Expr
}

// Function applies a function of custom columns (see expression.go) to
// its arguments.
type Function struct {
	Name string
	Args []Expr
}

// Case is a simple case expression: the Then of the first When whose Cond
// holds, else Else (which may be nil).
type Case struct {
	Whens []When
	Else  Expr
}

// When is one branch of a Case.
type When struct {
	Cond Expr
	Then Expr
}

// exprNode marks the node types of Expr.
func (*FieldRef) exprNode()       {}
func (*ExpressionRef) exprNode()  {}
func (*AggregationRef) exprNode() {}
func (*Metric) exprNode()         {}
func (*Value) exprNode()          {}
func (*Compare) exprNode()        {}
func (*Between) exprNode()        {}
func (*NullCheck) exprNode()      {}
func (*StringFilter) exprNode()   {}
func (*TimeInterval) exprNode()   {}
func (*Logical) exprNode()        {}
func (*Not) exprNode()            {}
func (*Arithmetic) exprNode()     {}
func (*Function) exprNode()       {}
func (*Case) exprNode()           {}

// IsFilter reports whether e is a boolean node, usable as a filter.
func IsFilter(e Expr) bool {
	switch e.(type) {
	case *Compare, *Between, *NullCheck, *StringFilter, *TimeInterval, *Logical, *Not:
		return true
	}
	return false
}

// IsBoolean reports whether e may stand where a condition is expected: a
// condition, or an operand that can be true or false by itself (a custom
// column, a field or the literal true or false). Whether a column is
// actually boolean is known only with the table's metadata, so the
// compiler checks that; Validate only refuses operands that never are
// (numbers, text, arithmetic, functions).
func IsBoolean(e Expr) bool {
	switch e := e.(type) {
	case *ExpressionRef, *FieldRef:
		return true
	case *Value:
		_, ok := e.V.(bool)
		return ok
	}
	return IsFilter(e)
}

// NativeQuery is SQL with {{variables}} and optional [[ ... ]] clauses.
type NativeQuery struct {
	SQL          string
	TemplateTags []TemplateTag
}

// Template tag types.
const (
	TagText      = "text"
	TagNumber    = "number"
	TagDate      = "date"
	TagDimension = "dimension" // a field filter: expands to a condition on a field
)

// TemplateTag declares a {{variable}} of a native query.
type TemplateTag struct {
	ID          string
	Name        string
	DisplayName string
	Type        string
	// Dimension is the field a TagDimension filters.
	Dimension *FieldRef
	// WidgetType chooses the operator of a field filter ("category",
	// "string/contains", "number/between", "date/relative", ...).
	WidgetType string
	Required   bool
	// Default is used when no parameter gives a value; nil for none.
	Default any
}

// Parameter target kinds.
const (
	TargetVariable  = "variable"
	TargetDimension = "dimension"
)

// Parameter gives a value to a template tag, or filters a field of a
// structured query.
type Parameter struct {
	ID   string
	Type string // "category", "number/=", "date/relative", ...
	// TargetKind is TargetVariable or TargetDimension; Tag names a template
	// tag, or Field is the field a structured query filters.
	TargetKind string
	Tag        string
	Field      *FieldRef
	// Value is a string, number, bool or a list of them; nil for no value.
	Value any
}

// Validate checks the structure of a query without looking at metadata:
// operators, arity, references to expressions, aggregations and joins; and
// its size against the limits of query_limits.go.
func (q *Query) Validate() error { return q.validate(true) }

// validate is Validate, with or without the size limits.
func (q *Query) validate(limits bool) error {
	if q.Version > QueryVersion {
		return Errorf(EINVALID, "Query version %d is newer than this server understands (%d).", q.Version, QueryVersion)
	}
	switch q.Type {
	case QueryTypeStructured:
		if q.Structured == nil {
			return Errorf(EINVALID, "A query of type %q needs a \"query\" clause.", q.Type)
		}
		if err := q.Structured.validate(limits); err != nil {
			return err
		}
	case QueryTypeNative:
		if q.Native == nil {
			return Errorf(EINVALID, "A query of type %q needs a \"native\" clause.", q.Type)
		}
		if err := q.Native.validate(limits); err != nil {
			return err
		}
	default:
		return Errorf(EINVALID, "Unknown query type %q: use \"query\" or \"native\".", q.Type)
	}
	if limits {
		if err := checkParameterLimits(q.Parameters); err != nil {
			return err
		}
	}
	for i, p := range q.Parameters {
		switch p.TargetKind {
		case TargetVariable:
			if p.Tag == "" {
				return Errorf(EINVALID, "parameters[%d] names no template tag.", i)
			}
		case TargetDimension:
			if p.Tag == "" && p.Field == nil {
				return Errorf(EINVALID, "parameters[%d] targets neither a template tag nor a field.", i)
			}
			if p.Field != nil {
				if err := checkFieldRef(p.Field, fmt.Sprintf("parameters[%d].target", i)); err != nil {
					return err
				}
			}
		default:
			return Errorf(EINVALID, "parameters[%d] has an unknown target %q.", i, p.TargetKind)
		}
	}
	return nil
}

// Validate checks a native query's template tags.
func (n *NativeQuery) Validate() error { return n.validate(true) }

// validate is Validate, with or without the size limits.
func (n *NativeQuery) validate(limits bool) error {
	if limits && len(n.TemplateTags) > MaxParameters {
		return OverLimit("This SQL question has", int64(len(n.TemplateTags)), "variables", MaxParameters)
	}
	seen := make(map[string]bool, len(n.TemplateTags))
	for _, t := range n.TemplateTags {
		if t.Name == "" {
			return Errorf(EINVALID, "A template tag has no name.")
		}
		if seen[t.Name] {
			return Errorf(EINVALID, "Template tag %q is declared twice.", t.Name)
		}
		seen[t.Name] = true
		switch t.Type {
		case TagText, TagNumber, TagDate:
		case TagDimension:
			if t.Dimension == nil {
				return Errorf(EINVALID, "Field filter %q is not mapped to a field.", t.Name)
			}
		default:
			return Errorf(EINVALID, "Template tag %q has an unsupported type %q.", t.Name, t.Type)
		}
	}
	return nil
}

// Validate checks a structured query, its size included.
func (s *StructuredQuery) Validate() error { return s.validate(true) }

// validate is Validate, with or without the size limits.
func (s *StructuredQuery) validate(limits bool) error {
	if (s.SourceTable == 0) == (s.SourceCard == 0) {
		return Errorf(EINVALID, "A query needs exactly one source: a table or a saved question.")
	}
	if s.Limit < 0 {
		return Errorf(EINVALID, "limit must not be negative.")
	}
	if limits {
		if err := s.checkLimits(); err != nil {
			return err
		}
	}
	v := validator{s: s, aliases: map[string]bool{}, exprs: map[string]bool{}}
	for i, j := range s.Joins {
		if j.Alias == "" {
			return Errorf(EINVALID, "joins[%d] needs an alias.", i)
		}
		if v.aliases[j.Alias] {
			return Errorf(EINVALID, "Join alias %q is used twice.", j.Alias)
		}
		if (j.SourceTable == 0) == (j.SourceCard == 0) {
			return Errorf(EINVALID, "Join %q needs exactly one source: a table or a saved question.", j.Alias)
		}
		switch j.Strategy {
		case "", JoinLeft, JoinInner, JoinRight, JoinFull:
		default:
			return Errorf(EINVALID, "Join %q has an unknown strategy %q.", j.Alias, j.Strategy)
		}
		switch j.FieldsMode {
		case "", JoinFieldsAll, JoinFieldsNone:
		default:
			return Errorf(EINVALID, "Join %q has an unknown fields mode %q.", j.Alias, j.FieldsMode)
		}
		v.aliases[j.Alias] = true
	}
	for i, j := range s.Joins {
		if j.Condition == nil || !IsFilter(j.Condition) {
			return Errorf(EINVALID, "Join %q needs a condition.", j.Alias)
		}
		if err := v.expr(j.Condition, fmt.Sprintf("joins[%d].condition", i)); err != nil {
			return err
		}
		for k, f := range j.Fields {
			if err := v.expr(f, fmt.Sprintf("joins[%d].fields[%d]", i, k)); err != nil {
				return err
			}
		}
	}
	for _, ne := range s.Expressions {
		if ne.Name == "" {
			return Errorf(EINVALID, "A custom column has no name.")
		}
		if v.exprs[ne.Name] {
			return Errorf(EINVALID, "Custom column %q is defined twice.", ne.Name)
		}
		if err := v.expr(ne.Expr, "expressions."+ne.Name); err != nil {
			return err
		}
		v.exprs[ne.Name] = true
	}
	if s.Filter != nil {
		if !IsBoolean(s.Filter) {
			return Errorf(EINVALID, "filter is not a condition.")
		}
		if err := v.expr(s.Filter, "filter"); err != nil {
			return err
		}
	}
	for i, a := range s.Aggregations {
		if err := v.aggregation(a, i); err != nil {
			return err
		}
	}
	for i, b := range s.Breakouts {
		switch b.(type) {
		case *FieldRef, *ExpressionRef:
		default:
			return Errorf(EINVALID, "breakout[%d] must be a field or a custom column.", i)
		}
		if err := v.expr(b, fmt.Sprintf("breakout[%d]", i)); err != nil {
			return err
		}
	}
	for i, f := range s.Fields {
		if err := v.expr(f, fmt.Sprintf("fields[%d]", i)); err != nil {
			return err
		}
	}
	v.orderBy = true
	for i, o := range s.OrderBy {
		if o.Expr == nil {
			return Errorf(EINVALID, "order-by[%d] names nothing to sort by.", i)
		}
		if err := v.expr(o.Expr, fmt.Sprintf("order-by[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

// CheckFieldRef checks a field reference's own options: an ID or a name, a
// known temporal unit (which the compiler writes into SQL), a positive
// binning, not both. The compiler calls it on every field it compiles,
// since a parameter's target and a sandbox's row filter reach it without
// going through the clauses Validate walks.
func CheckFieldRef(f *FieldRef) error {
	return checkFieldRef(f, "field")
}

// checkFieldRef is CheckFieldRef; at names the field's place.
func checkFieldRef(e *FieldRef, at string) error {
	if (e.ID == 0) == (e.Name == "") {
		return Errorf(EINVALID, "%s: a field reference needs an ID or a name.", at)
	}
	if e.TemporalUnit != "" && !IsTruncatingUnit(e.TemporalUnit) && !IsExtractionUnit(e.TemporalUnit) {
		return Errorf(EINVALID, "%s: unknown temporal unit %q.", at, e.TemporalUnit)
	}
	if b := e.Binning; b != nil {
		switch {
		case b.Strategy == BinWidth && b.BinWidth > 0 && !math.IsInf(b.BinWidth, 0):
		case b.Strategy == NumBins && b.NumBins > 0 && b.NumBins <= 10000:
		default:
			return Errorf(EINVALID, "%s: binning needs a positive bin-width or num-bins.", at)
		}
		if e.TemporalUnit != "" {
			return Errorf(EINVALID, "%s: a field cannot have both a temporal unit and binning.", at)
		}
	}
	return nil
}

// validator checks references while walking a structured query's clauses.
type validator struct {
	s       *StructuredQuery
	aliases map[string]bool
	exprs   map[string]bool
	orderBy bool
}

// aggregation checks one aggregation: a metric or an expression of
// metrics.
func (v *validator) aggregation(a Aggregation, i int) error {
	at := fmt.Sprintf("aggregation[%d]", i)
	if a.Op == AggExpression {
		if a.Arg != nil || a.Condition != nil {
			return Errorf(EINVALID, "%s: an expression of metrics takes no column or condition of its own.", at)
		}
		if err := v.metricExpr(a.Expr, at); err != nil {
			return err
		}
		if !hasMetric(a.Expr) {
			return Errorf(EINVALID, "%s: an expression of metrics needs at least one metric, such as count.", at)
		}
		return nil
	}
	if a.Expr != nil {
		return Errorf(EINVALID, "%s: %s takes no expression of metrics.", at, a.Op)
	}
	return v.metric(a, at)
}

// metricExpr checks the computation of an AggExpression: arithmetic and
// math functions over metrics and numbers. Every metric is checked like a
// metric of its own, its columns included.
func (v *validator) metricExpr(e Expr, at string) error {
	switch e := e.(type) {
	case nil:
		return Errorf(EINVALID, "%s: missing expression.", at)
	case *Metric:
		switch e.Agg.Op {
		case AggCumCount, AggCumSum:
			return Errorf(EINVALID, "%s: a cumulative metric (%s) cannot be used in an expression of metrics.", at, e.Agg.Op)
		case AggExpression:
			return Errorf(EINVALID, "%s: unknown aggregation %q.", at, e.Agg.Op)
		}
		if e.Agg.Expr != nil || e.Agg.Name != "" || e.Agg.DisplayName != "" {
			return Errorf(EINVALID, "%s: a metric inside an expression has no expression or name of its own.", at)
		}
		return v.metric(e.Agg, at)
	case *Value:
		switch e.V.(type) {
		case int64, float64:
			return nil
		}
		return Errorf(EINVALID, "%s: an expression of metrics takes only numbers, not %v.", at, e.V)
	case *Arithmetic:
		switch e.Op {
		case "+", "-", "*", "/":
		default:
			return Errorf(EINVALID, "%s: unknown operator %q.", at, e.Op)
		}
		if len(e.Args) < 2 {
			return Errorf(EINVALID, "%s: %s needs at least two operands.", at, e.Op)
		}
		return v.metricExprs(e.Args, at)
	case *Function:
		if !IsMetricFunction(e.Name) {
			return Errorf(EINVALID, "%s: %s cannot combine metrics; use +, -, *, / or abs, round, ceil, floor, power, sqrt, exp, log.", at, e.Name)
		}
		if err := checkFunction(e, at); err != nil {
			return err
		}
		return v.metricExprs(e.Args, at)
	case *FieldRef, *ExpressionRef:
		return Errorf(EINVALID, "%s: a column must be inside a metric, such as sum.", at)
	}
	return Errorf(EINVALID, "%s: an expression of metrics takes only metrics, numbers, + - * / and math functions.", at)
}

// hasMetric reports whether an expression of metrics holds a metric.
func hasMetric(e Expr) bool {
	switch e := e.(type) {
	case *Metric:
		return true
	case *Arithmetic:
		return slices.ContainsFunc(e.Args, hasMetric)
	case *Function:
		return slices.ContainsFunc(e.Args, hasMetric)
	}
	return false
}

// metricExprs checks the operands of an expression of metrics.
func (v *validator) metricExprs(es []Expr, at string) error {
	for _, e := range es {
		if err := v.metricExpr(e, at); err != nil {
			return err
		}
	}
	return nil
}

// metric checks one metric that is not an expression: its operator and
// argument.
func (v *validator) metric(a Aggregation, at string) error {
	switch a.Op {
	case AggCount, AggCumCount:
		if a.Arg == nil {
			return nil
		}
	case AggDistinct, AggSum, AggAvg, AggMin, AggMax, AggMedian, AggCumSum, AggStdDev, AggVariance:
		if a.Arg == nil {
			return Errorf(EINVALID, "%s: %s needs a column.", at, a.Op)
		}
	case AggCountWhere, AggShare, AggSumWhere, AggDistinctWhere:
		if a.Condition == nil || !IsBoolean(a.Condition) {
			return Errorf(EINVALID, "%s: %s needs a condition.", at, a.Op)
		}
		if err := v.expr(a.Condition, at); err != nil {
			return err
		}
		if a.Op == AggCountWhere || a.Op == AggShare {
			if a.Arg != nil {
				return Errorf(EINVALID, "%s: %s takes only a condition.", at, a.Op)
			}
			return nil
		}
		if a.Arg == nil {
			return Errorf(EINVALID, "%s: %s needs a column and a condition.", at, a.Op)
		}
	case AggPercentile:
		if a.Arg == nil {
			return Errorf(EINVALID, "%s: percentile needs a column.", at)
		}
		if math.IsNaN(a.Percentile) || a.Percentile < 0 || a.Percentile > 1 {
			return Errorf(EINVALID, "%s: the percentile must be between 0 and 1.", at)
		}
	default:
		return Errorf(EINVALID, "%s: unknown aggregation %q.", at, a.Op)
	}
	if IsFilter(a.Arg) {
		return Errorf(EINVALID, "%s: %s needs a column, not a condition.", at, a.Op)
	}
	return v.expr(a.Arg, at)
}

// expr checks one expression tree; at names its place for error messages.
func (v *validator) expr(e Expr, at string) error {
	switch e := e.(type) {
	case nil:
		return Errorf(EINVALID, "%s: missing expression.", at)
	case *FieldRef:
		if err := checkFieldRef(e, at); err != nil {
			return err
		}
		if e.JoinAlias != "" && !v.aliases[e.JoinAlias] {
			return Errorf(EINVALID, "%s: unknown join alias %q.", at, e.JoinAlias)
		}
	case *ExpressionRef:
		if !v.exprs[e.Name] {
			return Errorf(EINVALID, "%s: unknown custom column %q.", at, e.Name)
		}
	case *Metric:
		return Errorf(EINVALID, "%s: %s is a metric; use it in Summarize, not in a column or a filter.", at, e.Agg.Op)
	case *AggregationRef:
		if !v.orderBy {
			return Errorf(EINVALID, "%s: an aggregation can only be referred to in order-by.", at)
		}
		if e.Index < 0 || e.Index >= len(v.s.Aggregations) {
			return Errorf(EINVALID, "%s: aggregation %d does not exist.", at, e.Index)
		}
	case *Value:
		switch e.V.(type) {
		case nil, string, int64, float64, bool:
		default:
			return Errorf(EINVALID, "%s: unsupported literal of type %T.", at, e.V)
		}
	case *Compare:
		switch e.Op {
		case OpEq, OpNe:
			if len(e.Values) == 0 {
				return Errorf(EINVALID, "%s: %s needs at least one value.", at, e.Op)
			}
		case OpLt, OpLe, OpGt, OpGe:
			if len(e.Values) != 1 {
				return Errorf(EINVALID, "%s: %s needs exactly one value.", at, e.Op)
			}
		default:
			return Errorf(EINVALID, "%s: unknown comparison %q.", at, e.Op)
		}
		return v.values(at, append([]Expr{e.Left}, e.Values...))
	case *Between:
		return v.values(at, []Expr{e.Arg, e.Min, e.Max})
	case *NullCheck:
		switch e.Op {
		case OpIsNull, OpNotNull, OpIsEmpty, OpNotEmpty:
		default:
			return Errorf(EINVALID, "%s: unknown operator %q.", at, e.Op)
		}
		return v.values(at, []Expr{e.Arg})
	case *StringFilter:
		switch e.Op {
		case OpContains, OpDoesNotContain, OpStartsWith, OpEndsWith:
		default:
			return Errorf(EINVALID, "%s: unknown operator %q.", at, e.Op)
		}
		return v.values(at, []Expr{e.Arg, e.Value})
	case *TimeInterval:
		if !IsTruncatingUnit(e.Unit) {
			return Errorf(EINVALID, "%s: unknown time-interval unit %q.", at, e.Unit)
		}
		return v.values(at, []Expr{e.Arg})
	case *Logical:
		if e.Op != OpAnd && e.Op != OpOr {
			return Errorf(EINVALID, "%s: unknown operator %q.", at, e.Op)
		}
		if len(e.Args) == 0 {
			return Errorf(EINVALID, "%s: %s needs at least one condition.", at, e.Op)
		}
		return v.filters(at, e.Args)
	case *Not:
		return v.filters(at, []Expr{e.Arg})
	case *Arithmetic:
		switch e.Op {
		case "+", "-", "*", "/":
		default:
			return Errorf(EINVALID, "%s: unknown operator %q.", at, e.Op)
		}
		if len(e.Args) < 2 {
			return Errorf(EINVALID, "%s: %s needs at least two operands.", at, e.Op)
		}
		return v.values(at, e.Args)
	case *Function:
		return v.function(e, at)
	case *Case:
		if len(e.Whens) == 0 {
			return Errorf(EINVALID, "%s: case needs at least one branch.", at)
		}
		for _, w := range e.Whens {
			if err := v.filters(at, []Expr{w.Cond}); err != nil {
				return err
			}
			if err := v.values(at, []Expr{w.Then}); err != nil {
				return err
			}
		}
		if e.Else != nil {
			return v.values(at, []Expr{e.Else})
		}
	default:
		return Errorf(EINVALID, "%s: unsupported expression %T.", at, e)
	}
	return nil
}

// values checks operands that must be values, not conditions.
func (v *validator) values(at string, es []Expr) error {
	for _, e := range es {
		if IsFilter(e) {
			return Errorf(EINVALID, "%s: a condition cannot be used as a value.", at)
		}
		if err := v.expr(e, at); err != nil {
			return err
		}
	}
	return nil
}

// filters checks operands that must be conditions (or boolean columns).
func (v *validator) filters(at string, es []Expr) error {
	for _, e := range es {
		if !IsBoolean(e) {
			return Errorf(EINVALID, "%s: expected a condition.", at)
		}
		if err := v.expr(e, at); err != nil {
			return err
		}
	}
	return nil
}
