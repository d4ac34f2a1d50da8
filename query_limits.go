package sightline

import (
	"strconv"
)

// Limits on the work one question may ask for. A question is data sent by
// the person asking it, so its size is bounded before anything expensive
// happens: ParseQuery and Validate refuse a question over a structural
// limit, and the compiler (package query) refuses one whose SQL, with
// custom columns and saved questions expanded, grows past the terms and
// bytes below. The values are far above what the notebook editor, the
// X-ray and hand-written API clients produce for real questions.
const (
	// MaxQueryJSONBytes bounds the JSON text of one query.
	MaxQueryJSONBytes = 1 << 20

	// MaxJSONDepth bounds how deeply arrays and objects nest in the JSON of
	// a query. A JSON request body may nest a few levels more, to carry
	// queries inside other objects (a dashboard's cards).
	MaxJSONDepth = 128

	// MaxExpressionDepth bounds how deeply an expression nests, counted
	// after each reference to a custom column is replaced by its
	// definition, as the compiler does.
	MaxExpressionDepth = 100

	// MaxExpressionTerms bounds the number of terms (fields, values,
	// operators, conditions) of a question's expressions, counted after
	// each reference to a custom column is replaced by its definition. A
	// custom column that uses another twice doubles it, which is why this
	// is counted rather than the size of the JSON. The compiler applies the
	// same limit to the whole SQL statement, saved questions used as
	// sources and row-level sandboxes included.
	MaxExpressionTerms = 10_000

	// MaxCustomColumns bounds the custom columns (expressions) of a question.
	MaxCustomColumns = 100

	// MaxJoins bounds the explicit joins of a question.
	MaxJoins = 20

	// MaxBreakouts bounds the columns a question groups by.
	MaxBreakouts = 20

	// MaxAggregations bounds the metrics of a question.
	MaxAggregations = 50

	// MaxFilterConditions bounds the conditions (comparisons, and, or, not)
	// in a question's filter.
	MaxFilterConditions = 200

	// MaxFields bounds the columns a question lists in its fields clause
	// and in each join's fields.
	MaxFields = 1000

	// MaxOrderBy bounds the sort keys of a question.
	MaxOrderBy = 50

	// MaxParameters bounds the parameters (filter values) sent with a
	// question and the template tags of a SQL question.
	MaxParameters = 100

	// MaxQuestionNesting bounds how deeply saved questions build on saved
	// questions (as a source or a joined question).
	MaxQuestionNesting = 16

	// MaxCompiledSQLBytes bounds the length of the SQL one question
	// compiles to.
	MaxCompiledSQLBytes = 2 << 20
)

// OverLimit returns the EINVALID error for a question over one of the
// limits above: before, the count, after, and the limit, as in
// OverLimit("This question has", 21, "joins", MaxJoins), which says "This
// question has 21 joins, over the limit of 20."
func OverLimit(before string, n int64, after string, limit int64) *Error {
	return &Error{Code: EINVALID, Message: before + " " + groupDigits(n) + " " + after + ", over the limit of " + groupDigits(limit) + "."}
}

// groupDigits writes n with a comma between groups of three digits.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return sign + string(out)
}

// termsCap is where a count of terms stops growing: far above every limit,
// so that counting an expression that doubles at each custom column cannot
// overflow.
const termsCap = 1 << 62

// addTerms adds two term counts, saturating at termsCap.
func addTerms(a, b int64) int64 {
	if a >= termsCap-b {
		return termsCap
	}
	return a + b
}

// size is what an expression costs once every reference to a custom column
// is replaced by its definition: its terms and its depth (1 for a leaf).
type size struct {
	terms int64
	depth int
}

// sizer measures the expressions of one structured query.
type sizer struct {
	// exprs holds the size of each custom column measured so far; a
	// reference costs what its definition costs.
	exprs map[string]size
	// conds counts the conditions met, for the filter's limit.
	conds int
}

// measure returns the size of e, which sits at depth in its clause (1 for
// the clause's root); at names the clause in messages. It refuses an
// expression nested deeper than MaxExpressionDepth without walking further.
func (z *sizer) measure(e Expr, depth int, at string) (size, error) {
	if depth > MaxExpressionDepth {
		return size{}, Errorf(EINVALID, "%s: the expression nests more than %d levels deep, over the limit of %d.", at, MaxExpressionDepth, MaxExpressionDepth)
	}
	var kids []Expr
	switch e := e.(type) {
	case nil:
		return size{}, nil
	case *ExpressionRef:
		s, ok := z.exprs[e.Name]
		if !ok {
			// Unknown or not yet defined: Validate refuses it.
			return size{terms: 1, depth: 1}, nil
		}
		if depth-1+s.depth > MaxExpressionDepth {
			return size{}, Errorf(EINVALID, "%s: the expression nests %d levels deep once its custom columns are expanded, over the limit of %d.", at, depth-1+s.depth, MaxExpressionDepth)
		}
		return s, nil
	case *Compare:
		kids = append([]Expr{e.Left}, e.Values...)
	case *Between:
		kids = []Expr{e.Arg, e.Min, e.Max}
	case *NullCheck:
		kids = []Expr{e.Arg}
	case *StringFilter:
		kids = []Expr{e.Arg, e.Value}
	case *TimeInterval:
		kids = []Expr{e.Arg}
	case *Logical:
		kids = e.Args
	case *Not:
		kids = []Expr{e.Arg}
	case *Arithmetic:
		kids = e.Args
	case *Function:
		kids = e.Args
	case *Metric:
		kids = []Expr{e.Agg.Arg, e.Agg.Condition}
	case *Case:
		for _, w := range e.Whens {
			kids = append(kids, w.Cond, w.Then)
		}
		kids = append(kids, e.Else)
	}
	if IsFilter(e) {
		z.conds++
	}
	s := size{terms: 1, depth: 1}
	for _, k := range kids {
		ks, err := z.measure(k, depth+1, at)
		if err != nil {
			return size{}, err
		}
		s.terms = addTerms(s.terms, ks.terms)
		s.depth = max(s.depth, ks.depth+1)
	}
	return s, nil
}

// checkLimits refuses a structured query over the limits above: the counts
// of its clauses, then the size of its expressions with custom columns
// expanded, which it measures without expanding them.
func (s *StructuredQuery) checkLimits() error {
	counts := []struct {
		n      int
		limit  int
		before string
		after  string
	}{
		{len(s.Joins), MaxJoins, "This question has", "joins"},
		{len(s.Expressions), MaxCustomColumns, "This question has", "custom columns"},
		{len(s.Breakouts), MaxBreakouts, "This question groups by", "columns"},
		{len(s.Aggregations), MaxAggregations, "This question has", "metrics"},
		{len(s.Fields), MaxFields, "This question lists", "columns"},
		{len(s.OrderBy), MaxOrderBy, "This question sorts by", "columns"},
	}
	for _, c := range counts {
		if c.n > c.limit {
			return OverLimit(c.before, int64(c.n), c.after, int64(c.limit))
		}
	}
	for _, j := range s.Joins {
		if len(j.Fields) > MaxFields {
			return OverLimit("The join "+strconv.Quote(j.Alias)+" lists", int64(len(j.Fields)), "columns", MaxFields)
		}
	}
	z := &sizer{exprs: make(map[string]size, len(s.Expressions))}
	var total int64
	add := func(e Expr, at string) error {
		sz, err := z.measure(e, 1, at)
		if err != nil {
			return err
		}
		total = addTerms(total, sz.terms)
		return nil
	}
	for _, ne := range s.Expressions {
		sz, err := z.measure(ne.Expr, 1, "expressions."+ne.Name)
		if err != nil {
			return err
		}
		z.exprs[ne.Name] = sz
		total = addTerms(total, sz.terms)
	}
	for i, j := range s.Joins {
		if err := add(j.Condition, "joins["+strconv.Itoa(i)+"].condition"); err != nil {
			return err
		}
		for k, f := range j.Fields {
			if err := add(f, "joins["+strconv.Itoa(i)+"].fields["+strconv.Itoa(k)+"]"); err != nil {
				return err
			}
		}
	}
	z.conds = 0
	if err := add(s.Filter, "filter"); err != nil {
		return err
	}
	if z.conds > MaxFilterConditions {
		return OverLimit("This question's filter has", int64(z.conds), "conditions", MaxFilterConditions)
	}
	for i, a := range s.Aggregations {
		total = addTerms(total, 1)
		if err := add(a.Arg, "aggregation["+strconv.Itoa(i)+"]"); err != nil {
			return err
		}
		if err := add(a.Condition, "aggregation["+strconv.Itoa(i)+"]"); err != nil {
			return err
		}
		if err := add(a.Expr, "aggregation["+strconv.Itoa(i)+"]"); err != nil {
			return err
		}
	}
	for i, b := range s.Breakouts {
		if err := add(b, "breakout["+strconv.Itoa(i)+"]"); err != nil {
			return err
		}
	}
	for i, f := range s.Fields {
		if err := add(f, "fields["+strconv.Itoa(i)+"]"); err != nil {
			return err
		}
	}
	for i, o := range s.OrderBy {
		if err := add(o.Expr, "order-by["+strconv.Itoa(i)+"]"); err != nil {
			return err
		}
	}
	switch {
	case total >= termsCap:
		return OverLimit("This question's expressions expand to more than", termsCap, "terms", MaxExpressionTerms)
	case total > MaxExpressionTerms:
		return OverLimit("This question's expressions expand to", total, "terms", MaxExpressionTerms)
	}
	return nil
}

// checkParameterLimits refuses too many parameters, or parameter values.
func checkParameterLimits(params []Parameter) error {
	if len(params) > MaxParameters {
		return OverLimit("This question has", int64(len(params)), "parameters", MaxParameters)
	}
	var values int64
	for _, p := range params {
		if l, ok := p.Value.([]any); ok {
			values += int64(len(l))
		} else {
			values++
		}
	}
	if values > MaxExpressionTerms {
		return OverLimit("This question's parameters have", values, "values", MaxExpressionTerms)
	}
	return nil
}
