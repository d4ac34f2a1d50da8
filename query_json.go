package sightline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// The JSON wire format of a query follows Metabase's MBQL, so that API
// clients written for it port over. Objects are decoded in key order because
// the order of custom columns is the order of their result columns.

// jsonMember is one key of a JSON object, in document order.
type jsonMember struct {
	Key   string
	Value any
}

// jsonObject is a JSON object that keeps its key order.
type jsonObject []jsonMember

// MarshalJSON writes the members in order.
func (o jsonObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(m.Key)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(m.Value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// errTooDeep is decodeOrdered's error for JSON nested deeper than
// MaxJSONDepth; callers turn it into a message with tooDeep.
var errTooDeep = errors.New("JSON nested too deeply")

// tooDeep is the error for JSON nested deeper than limit; subject names
// what nests, with its verb ("The query nests").
func tooDeep(subject string, limit int) error {
	return Errorf(EINVALID, "%s arrays and objects more than %d levels deep, over the limit of %d.", subject, limit, limit)
}

// decodeOrdered reads one JSON value: objects become jsonObject, numbers
// json.Number. depth is the number of arrays and objects the value sits in;
// values nested deeper than maxDepth are refused with errTooDeep.
func decodeOrdered(dec *json.Decoder, depth, maxDepth int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if depth >= maxDepth {
			return nil, errTooDeep
		}
		switch t {
		case '{':
			var o jsonObject
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeOrdered(dec, depth+1, maxDepth)
				if err != nil {
					return nil, err
				}
				o = append(o, jsonMember{k, v})
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			if o == nil {
				o = jsonObject{}
			}
			return o, nil
		case '[':
			a := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec, depth+1, maxDepth)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return a, nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return tok, nil
	}
}

// ParseQuery decodes a query from its JSON wire form and validates it.
// Problems are EINVALID errors naming the clause, operator or reference.
// It is the way in for every query a request carries, so it refuses a query
// over the limits of query_limits.go before any work depends on its size.
func ParseQuery(data []byte) (*Query, error) {
	if len(data) > MaxQueryJSONBytes {
		return nil, OverLimit("The query is", int64(len(data)), "bytes of JSON", MaxQueryJSONBytes)
	}
	return parseQueryJSON(data, MaxJSONDepth, true)
}

// storedJSONDepth bounds the nesting of a stored query: encoding/json's own
// bound, which every query saved through the API has already passed.
const storedJSONDepth = 10000

// ParseStoredQuery decodes a query saved in the app database. It checks the
// query's structure but not its size: a question saved before the limits
// of query_limits.go still lists and opens, and Compile, which applies
// them, refuses to run it with a message that names the limit.
func ParseStoredQuery(data []byte) (*Query, error) {
	return parseQueryJSON(data, storedJSONDepth, false)
}

// parseQueryJSON decodes and validates a query, refusing JSON nested
// deeper than maxDepth, and the size limits if limits is set.
func parseQueryJSON(data []byte, maxDepth int, limits bool) (*Query, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeOrdered(dec, 0, maxDepth)
	if errors.Is(err, errTooDeep) {
		return nil, tooDeep("The query nests", maxDepth)
	}
	if err != nil {
		return nil, Errorf(EINVALID, "The query is not valid JSON: %v.", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, Errorf(EINVALID, "The query has trailing data after its JSON object.")
	}
	obj, ok := v.(jsonObject)
	if !ok {
		return nil, Errorf(EINVALID, "A query must be a JSON object.")
	}
	q, err := parseQuery(obj)
	if err != nil {
		return nil, err
	}
	if err := q.validate(limits); err != nil {
		return nil, err
	}
	return q, nil
}

// UnmarshalJSON decodes a query with ParseQuery, so that types embedding a
// Query (saved questions) decode it the same way. JSON null leaves q as it is.
func (q *Query) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	p, err := ParseQuery(data)
	if err != nil {
		return err
	}
	*q = *p
	return nil
}

// canonKey is the kebab-case spelling of a query key: the reference vendor
// reads "source_table" and "source-table", "template_tags" and
// "template-tags" alike, and so does Sightline. Only keys the format defines
// go through it, never names a person chose (expression and tag names).
func canonKey(k string) string {
	return strings.ReplaceAll(k, "_", "-")
}

// parseQuery reads the top level: database, type, the query or native
// clause and parameters. Other top-level keys are execution hints clients
// send ("middleware", "async?", "lib/type", ...) and are ignored, as the
// reference vendor ignores them; unknown keys inside the query and native
// clauses stay errors, because a clause Sightline does not read would
// silently change which rows a question returns.
func parseQuery(obj jsonObject) (*Query, error) {
	q := &Query{Version: QueryVersion}
	for _, m := range obj {
		var err error
		switch canonKey(m.Key) {
		case "version":
			var n int64
			n, err = toInt(m.Value, "version")
			q.Version = int(n)
		case "database":
			if m.Value != nil {
				q.Database, err = toInt(m.Value, "database")
			}
		case "type":
			s, ok := m.Value.(string)
			if !ok {
				return nil, Errorf(EINVALID, "type must be a string.")
			}
			q.Type = s
		case "query":
			o, ok := m.Value.(jsonObject)
			if !ok {
				return nil, Errorf(EINVALID, "query must be an object.")
			}
			q.Structured, err = parseStructured(o)
		case "native":
			o, ok := m.Value.(jsonObject)
			if !ok {
				return nil, Errorf(EINVALID, "native must be an object.")
			}
			q.Native, err = parseNative(o)
		case "parameters":
			q.Parameters, err = parseParameters(m.Value)
		default:
			// Execution hints ("middleware", "constraints", "info", ...);
			// the server decides these.
		}
		if err != nil {
			return nil, err
		}
	}
	return q, nil
}

// parseStructured reads the clauses of a structured query in document order.
func parseStructured(obj jsonObject) (*StructuredQuery, error) {
	s := &StructuredQuery{}
	for _, m := range obj {
		var err error
		at := "query." + m.Key
		switch canonKey(m.Key) {
		case "source-table":
			s.SourceTable, s.SourceCard, err = parseSource(m.Value, at)
		case "joins":
			s.Joins, err = parseJoins(m.Value)
		case "expressions":
			o, ok := m.Value.(jsonObject)
			if !ok {
				return nil, Errorf(EINVALID, "%s must be an object of name: expression.", at)
			}
			for _, em := range o {
				e, err := parseExpr(em.Value, at+"."+em.Key)
				if err != nil {
					return nil, err
				}
				s.Expressions = append(s.Expressions, NamedExpr{Name: em.Key, Expr: e})
			}
		case "filter":
			if m.Value != nil {
				s.Filter, err = parseExpr(m.Value, at)
			}
		case "aggregation":
			var list []any
			if list, err = toList(m.Value, at); err == nil {
				for i, a := range list {
					agg, err := parseAggregation(a, fmt.Sprintf("%s[%d]", at, i))
					if err != nil {
						return nil, err
					}
					s.Aggregations = append(s.Aggregations, agg)
				}
			}
		case "breakout":
			s.Breakouts, err = parseExprList(m.Value, at)
		case "fields":
			s.Fields, err = parseExprList(m.Value, at)
		case "order-by":
			var list []any
			if list, err = toList(m.Value, at); err == nil {
				for i, o := range list {
					ob, err := parseOrderBy(o, fmt.Sprintf("%s[%d]", at, i))
					if err != nil {
						return nil, err
					}
					s.OrderBy = append(s.OrderBy, ob)
				}
			}
		case "limit":
			if m.Value != nil {
				var n int64
				n, err = toInt(m.Value, at)
				if n > math.MaxInt32 {
					n = math.MaxInt32
				}
				s.Limit = int(n)
			}
		default:
			return nil, Errorf(EINVALID, "Unknown clause %q in query.", m.Key)
		}
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// parseSource reads a source-table: a table ID or "card__ID".
func parseSource(v any, at string) (table, card int64, err error) {
	if s, ok := v.(string); ok {
		if id, found := strings.CutPrefix(s, "card__"); found {
			n, err := strconv.ParseInt(id, 10, 64)
			if err != nil || n <= 0 {
				return 0, 0, Errorf(EINVALID, "%s: %q is not a saved question reference.", at, s)
			}
			return 0, n, nil
		}
		return 0, 0, Errorf(EINVALID, "%s: %q is neither a table ID nor \"card__ID\".", at, s)
	}
	n, err := toInt(v, at)
	if err != nil {
		return 0, 0, err
	}
	if n <= 0 {
		return 0, 0, Errorf(EINVALID, "%s: table IDs are positive.", at)
	}
	return n, 0, nil
}

// parseJoins reads the joins clause: a list of join objects.
func parseJoins(v any) ([]Join, error) {
	list, err := toList(v, "query.joins")
	if err != nil {
		return nil, err
	}
	var joins []Join
	for i, item := range list {
		at := fmt.Sprintf("query.joins[%d]", i)
		obj, ok := item.(jsonObject)
		if !ok {
			return nil, Errorf(EINVALID, "%s must be an object.", at)
		}
		var j Join
		for _, m := range obj {
			var err error
			switch canonKey(m.Key) {
			case "source-table":
				j.SourceTable, j.SourceCard, err = parseSource(m.Value, at+".source-table")
			case "alias":
				s, ok := m.Value.(string)
				if !ok {
					return nil, Errorf(EINVALID, "%s.alias must be a string.", at)
				}
				j.Alias = s
			case "condition":
				j.Condition, err = parseExpr(m.Value, at+".condition")
			case "strategy":
				s, ok := m.Value.(string)
				if !ok {
					return nil, Errorf(EINVALID, "%s.strategy must be a string.", at)
				}
				j.Strategy = s
			case "fields":
				if s, ok := m.Value.(string); ok {
					j.FieldsMode = s
				} else {
					j.Fields, err = parseExprList(m.Value, at+".fields")
					if j.Fields == nil {
						j.Fields = []Expr{}
					}
				}
			default:
				return nil, Errorf(EINVALID, "Unknown key %q in %s.", m.Key, at)
			}
			if err != nil {
				return nil, err
			}
		}
		joins = append(joins, j)
	}
	return joins, nil
}

// parseOrderBy reads ["asc" | "desc", reference].
func parseOrderBy(v any, at string) (OrderBy, error) {
	l, ok := v.([]any)
	if !ok || len(l) != 2 {
		return OrderBy{}, Errorf(EINVALID, "%s must be [\"asc\" or \"desc\", reference].", at)
	}
	dir, _ := l[0].(string)
	if dir != "asc" && dir != "desc" {
		return OrderBy{}, Errorf(EINVALID, "%s: unknown direction %v, use \"asc\" or \"desc\".", at, l[0])
	}
	e, err := parseExpr(l[1], at)
	if err != nil {
		return OrderBy{}, err
	}
	return OrderBy{Desc: dir == "desc", Expr: e}, nil
}

// parseAggregation reads one metric, unwrapping aggregation-options.
func parseAggregation(v any, at string) (Aggregation, error) {
	l, ok := v.([]any)
	if !ok || len(l) == 0 {
		return Aggregation{}, Errorf(EINVALID, "%s must be a clause like [\"count\"].", at)
	}
	op, _ := l[0].(string)
	if op == "aggregation-options" {
		if len(l) != 3 {
			return Aggregation{}, Errorf(EINVALID, "%s: aggregation-options takes an aggregation and options.", at)
		}
		a, err := parseAggregation(l[1], at)
		if err != nil {
			return a, err
		}
		opts, _ := l[2].(jsonObject)
		for _, m := range opts {
			s, _ := m.Value.(string)
			switch canonKey(m.Key) {
			case "name":
				a.Name = s
			case "display-name":
				a.DisplayName = s
			default:
				return a, Errorf(EINVALID, "%s: unknown aggregation option %q.", at, m.Key)
			}
		}
		return a, nil
	}
	if isArithmeticOp(op) || IsMetricFunction(op) {
		e, err := parseMetricExpr(v, at)
		return Aggregation{Op: AggExpression, Expr: e}, err
	}
	a := Aggregation{Op: op}
	switch op {
	case AggCount, AggCumCount:
		if len(l) > 2 {
			return a, Errorf(EINVALID, "%s: %s takes at most one argument.", at, op)
		}
	case AggDistinct, AggSum, AggAvg, AggMin, AggMax, AggMedian, AggCumSum, AggStdDev, AggVariance:
		if len(l) != 2 {
			return a, Errorf(EINVALID, "%s: %s takes exactly one argument.", at, op)
		}
	case AggCountWhere, AggShare:
		if len(l) != 2 {
			return a, Errorf(EINVALID, "%s: %s takes one condition, got %d arguments.", at, op, len(l)-1)
		}
		c, err := parseExpr(l[1], at)
		a.Condition = c
		return a, err
	case AggSumWhere, AggDistinctWhere:
		if len(l) != 3 {
			return a, Errorf(EINVALID, "%s: %s takes a column and a condition, got %d arguments.", at, op, len(l)-1)
		}
		x, err := parseExpr(l[1], at)
		if err != nil {
			return a, err
		}
		c, err := parseExpr(l[2], at)
		a.Arg, a.Condition = x, c
		return a, err
	case AggPercentile:
		if len(l) != 3 {
			return a, Errorf(EINVALID, "%s: percentile takes a column and a number between 0 and 1.", at)
		}
		p, err := toFloat(l[2], at)
		if err != nil {
			return a, err
		}
		a.Percentile = p
	default:
		return a, Errorf(EINVALID, "%s: unknown aggregation %v.", at, l[0])
	}
	if len(l) > 1 {
		e, err := parseExpr(l[1], at)
		if err != nil {
			return a, err
		}
		a.Arg = e
	}
	return a, nil
}

// isArithmeticOp reports whether op is + - * or /.
func isArithmeticOp(op string) bool {
	return op == "+" || op == "-" || op == "*" || op == "/"
}

// isAggregationOp reports whether op names a metric, such as sum.
func isAggregationOp(op string) bool {
	switch op {
	case AggCount, AggDistinct, AggSum, AggAvg, AggMin, AggMax, AggMedian, AggPercentile,
		AggCumCount, AggCumSum, AggCountWhere, AggSumWhere, AggDistinctWhere, AggShare,
		AggStdDev, AggVariance:
		return true
	}
	return false
}

// parseMetricExpr reads an expression of metrics, such as ["/", ["sum",
// ...], ["count"]]: metrics become Metric leaves; arithmetic and math
// functions combine them. Anything else is read as an ordinary expression,
// which Validate refuses with a message saying why.
func parseMetricExpr(v any, at string) (Expr, error) {
	l, ok := v.([]any)
	if !ok || len(l) == 0 {
		return parseExpr(v, at)
	}
	op, _ := l[0].(string)
	switch {
	case isAggregationOp(op):
		a, err := parseAggregation(v, at)
		return &Metric{Agg: a}, err
	case isArithmeticOp(op):
		args, err := parseMetricExprs(l[1:], at)
		return &Arithmetic{Op: op, Args: args}, err
	case IsMetricFunction(op):
		args, err := parseMetricExprs(l[1:], at)
		return &Function{Name: op, Args: args}, err
	}
	return parseExpr(v, at)
}

// parseMetricExprs reads the operands of an expression of metrics.
func parseMetricExprs(l []any, at string) ([]Expr, error) {
	out := make([]Expr, 0, len(l))
	for _, x := range l {
		e, err := parseMetricExpr(x, at)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// parseExprList reads a list of expressions (breakout, fields).
func parseExprList(v any, at string) ([]Expr, error) {
	list, err := toList(v, at)
	if err != nil {
		return nil, err
	}
	var out []Expr
	for i, item := range list {
		e, err := parseExpr(item, fmt.Sprintf("%s[%d]", at, i))
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// arity checks the length of a clause (operator included).
func arity(l []any, at string, lo, hi int) error {
	if len(l) < lo || (hi >= 0 && len(l) > hi) {
		op := l[0]
		switch {
		case hi < 0:
			return Errorf(EINVALID, "%s: %v takes at least %d arguments, got %d.", at, op, lo-1, len(l)-1)
		case lo == hi:
			return Errorf(EINVALID, "%s: %v takes %d arguments, got %d.", at, op, lo-1, len(l)-1)
		default:
			return Errorf(EINVALID, "%s: %v takes %d to %d arguments, got %d.", at, op, lo-1, hi-1, len(l)-1)
		}
	}
	return nil
}

// parseExpr reads any expression: a clause (a list starting with its
// operator) or a literal.
func parseExpr(v any, at string) (Expr, error) {
	switch x := v.(type) {
	case nil:
		return &Value{V: nil}, nil
	case string:
		return &Value{V: x}, nil
	case bool:
		return &Value{V: x}, nil
	case json.Number:
		n, err := number(x, at)
		return &Value{V: n}, err
	case jsonObject:
		return nil, Errorf(EINVALID, "%s: expected a clause or a value, got an object.", at)
	}
	l := v.([]any)
	if len(l) == 0 {
		return nil, Errorf(EINVALID, "%s: empty clause.", at)
	}
	op, ok := l[0].(string)
	if !ok {
		return nil, Errorf(EINVALID, "%s: a clause must start with its operator name, got %v.", at, l[0])
	}
	args := func(from int) ([]Expr, error) {
		out := make([]Expr, 0, len(l)-from)
		for i := from; i < len(l); i++ {
			e, err := parseExpr(l[i], at)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	}
	switch op {
	case "field":
		return parseFieldRef(l, at)
	case "expression":
		if err := arity(l, at, 2, 3); err != nil {
			return nil, err
		}
		name, ok := l[1].(string)
		if !ok {
			return nil, Errorf(EINVALID, "%s: expression references take a name.", at)
		}
		return &ExpressionRef{Name: name}, nil
	case "aggregation":
		if err := arity(l, at, 2, 3); err != nil {
			return nil, err
		}
		n, err := toInt(l[1], at)
		return &AggregationRef{Index: int(n)}, err
	case "value":
		if err := arity(l, at, 2, 3); err != nil {
			return nil, err
		}
		e, err := parseExpr(l[1], at)
		if err != nil {
			return nil, err
		}
		if _, ok := e.(*Value); !ok {
			return nil, Errorf(EINVALID, "%s: value takes a literal.", at)
		}
		return e, nil
	case OpEq, OpNe, "in", "not-in":
		if err := arity(l, at, 3, -1); err != nil {
			return nil, err
		}
		a, err := args(1)
		if err != nil {
			return nil, err
		}
		// in and not-in are the vendor's newer names of = and != with
		// several values.
		switch op {
		case "in":
			op = OpEq
		case "not-in":
			op = OpNe
		}
		return &Compare{Op: op, Left: a[0], Values: a[1:]}, nil
	case OpLt, OpLe, OpGt, OpGe:
		if err := arity(l, at, 3, 3); err != nil {
			return nil, err
		}
		a, err := args(1)
		if err != nil {
			return nil, err
		}
		return &Compare{Op: op, Left: a[0], Values: a[1:]}, nil
	case "between":
		if err := arity(l, at, 4, 4); err != nil {
			return nil, err
		}
		a, err := args(1)
		if err != nil {
			return nil, err
		}
		return &Between{Arg: a[0], Min: a[1], Max: a[2]}, nil
	case OpIsNull, OpNotNull, OpIsEmpty, OpNotEmpty:
		if err := arity(l, at, 2, 2); err != nil {
			return nil, err
		}
		a, err := args(1)
		if err != nil {
			return nil, err
		}
		return &NullCheck{Op: op, Arg: a[0]}, nil
	case OpContains, OpDoesNotContain, OpStartsWith, OpEndsWith:
		if err := arity(l, at, 3, 4); err != nil {
			return nil, err
		}
		f := &StringFilter{Op: op, CaseSensitive: true}
		if len(l) == 4 {
			opts, ok := l[3].(jsonObject)
			if !ok && l[3] != nil {
				return nil, Errorf(EINVALID, "%s: the options of %s must be an object.", at, op)
			}
			for _, m := range opts {
				if m.Key != "case-sensitive" {
					return nil, Errorf(EINVALID, "%s: unknown option %q of %s.", at, m.Key, op)
				}
				b, ok := m.Value.(bool)
				if !ok {
					return nil, Errorf(EINVALID, "%s: case-sensitive must be true or false.", at)
				}
				f.CaseSensitive = b
			}
		}
		var err error
		if f.Arg, err = parseExpr(l[1], at); err != nil {
			return nil, err
		}
		if f.Value, err = parseExpr(l[2], at); err != nil {
			return nil, err
		}
		return f, nil
	case "time-interval":
		return parseTimeInterval(l, at)
	case OpAnd, OpOr:
		if err := arity(l, at, 2, -1); err != nil {
			return nil, err
		}
		a, err := args(1)
		if err != nil {
			return nil, err
		}
		return &Logical{Op: op, Args: a}, nil
	case "not":
		if err := arity(l, at, 2, 2); err != nil {
			return nil, err
		}
		a, err := args(1)
		if err != nil {
			return nil, err
		}
		return &Not{Arg: a[0]}, nil
	case "+", "-", "*", "/":
		if err := arity(l, at, 3, -1); err != nil {
			return nil, err
		}
		a, err := args(1)
		if err != nil {
			return nil, err
		}
		return &Arithmetic{Op: op, Args: a}, nil
	case "case", "if":
		// "if" is the reference vendor's other spelling of case.
		return parseCase(l, at)
	}
	if a, ok := functionArity[op]; ok {
		if len(l)-1 < a.min || (a.max >= 0 && len(l)-1 > a.max) {
			return nil, arityError(at, op, a, len(l)-1)
		}
		a, err := args(1)
		if err != nil {
			return nil, err
		}
		return &Function{Name: op, Args: a}, nil
	}
	return nil, Errorf(EINVALID, "%s: unknown operator %q.", at, op)
}

// parseFieldRef reads ["field", id or name, options or null].
func parseFieldRef(l []any, at string) (*FieldRef, error) {
	if len(l) != 3 {
		return nil, Errorf(EINVALID, "%s: malformed field reference: expected [\"field\", id or name, options or null].", at)
	}
	f := &FieldRef{}
	switch id := l[1].(type) {
	case string:
		if id == "" {
			return nil, Errorf(EINVALID, "%s: malformed field reference: empty name.", at)
		}
		f.Name = id
	case json.Number:
		n, err := strconv.ParseInt(id.String(), 10, 64)
		if err != nil || n <= 0 {
			return nil, Errorf(EINVALID, "%s: malformed field reference: %s is not a field ID.", at, id)
		}
		f.ID = n
	default:
		return nil, Errorf(EINVALID, "%s: malformed field reference: the second element must be an ID or a name.", at)
	}
	if l[2] == nil {
		return f, nil
	}
	opts, ok := l[2].(jsonObject)
	if !ok {
		return nil, Errorf(EINVALID, "%s: malformed field reference: options must be an object or null.", at)
	}
	for _, m := range opts {
		var err error
		str := func() string {
			s, ok := m.Value.(string)
			if !ok && m.Value != nil {
				err = Errorf(EINVALID, "%s: field option %q must be a string.", at, m.Key)
			}
			return s
		}
		switch canonKey(m.Key) {
		case "temporal-unit":
			f.TemporalUnit = str()
		case "join-alias":
			f.JoinAlias = str()
		case "base-type":
			f.BaseType = str()
		case "source-field":
			f.SourceField, err = toInt(m.Value, at+".source-field")
		case "binning":
			f.Binning, err = parseBinning(m.Value, at)
		case "effective-type":
			// Derived by clients from base-type; not needed to compile.
		default:
			return nil, Errorf(EINVALID, "%s: unknown field option %q.", at, m.Key)
		}
		if err != nil {
			return nil, err
		}
	}
	return f, nil
}

// parseBinning reads a field's binning options; "default" is 8 bins.
func parseBinning(v any, at string) (*Binning, error) {
	o, ok := v.(jsonObject)
	if !ok {
		return nil, Errorf(EINVALID, "%s: binning must be an object.", at)
	}
	b := &Binning{}
	for _, m := range o {
		var err error
		switch canonKey(m.Key) {
		case "strategy":
			b.Strategy, _ = m.Value.(string)
		case "bin-width":
			b.BinWidth, err = toFloat(m.Value, at+".bin-width")
		case "num-bins":
			var n int64
			n, err = toInt(m.Value, at+".num-bins")
			b.NumBins = int(n)
		default:
			return nil, Errorf(EINVALID, "%s: unknown binning option %q.", at, m.Key)
		}
		if err != nil {
			return nil, err
		}
	}
	if b.Strategy == "default" {
		b.Strategy, b.NumBins = NumBins, 8
	}
	if b.Strategy != BinWidth && b.Strategy != NumBins {
		return nil, Errorf(EINVALID, "%s: unknown binning strategy %q.", at, b.Strategy)
	}
	return b, nil
}

// parseTimeInterval reads ["time-interval", field, n | "current" | "last" |
// "next", unit, options?].
func parseTimeInterval(l []any, at string) (*TimeInterval, error) {
	if err := arity(l, at, 4, 5); err != nil {
		return nil, err
	}
	arg, err := parseExpr(l[1], at)
	if err != nil {
		return nil, err
	}
	t := &TimeInterval{Arg: arg}
	switch n := l[2].(type) {
	case string:
		switch n {
		case "current":
		case "last":
			t.N = -1
		case "next":
			t.N = 1
		default:
			return nil, Errorf(EINVALID, "%s: time-interval takes a number, \"current\", \"last\" or \"next\", not %q.", at, n)
		}
	default:
		i, err := toInt(n, at)
		if err != nil {
			return nil, err
		}
		t.N = int(i)
	}
	unit, ok := l[3].(string)
	if !ok {
		return nil, Errorf(EINVALID, "%s: time-interval needs a unit.", at)
	}
	t.Unit = unit
	if len(l) == 5 && l[4] != nil {
		opts, ok := l[4].(jsonObject)
		if !ok {
			return nil, Errorf(EINVALID, "%s: time-interval options must be an object.", at)
		}
		for _, m := range opts {
			b, ok := m.Value.(bool)
			if m.Key != "include-current" || !ok {
				return nil, Errorf(EINVALID, "%s: unknown time-interval option %q.", at, m.Key)
			}
			t.IncludeCurrent = b
		}
	}
	return t, nil
}

// parseCase reads ["case", [[condition, value], ...], {"default": value}?].
func parseCase(l []any, at string) (*Case, error) {
	if err := arity(l, at, 2, 3); err != nil {
		return nil, err
	}
	branches, ok := l[1].([]any)
	if !ok {
		return nil, Errorf(EINVALID, "%s: case takes a list of [condition, value] pairs.", at)
	}
	c := &Case{}
	for _, b := range branches {
		pair, ok := b.([]any)
		if !ok || len(pair) != 2 {
			return nil, Errorf(EINVALID, "%s: each case branch is a [condition, value] pair.", at)
		}
		cond, err := parseExpr(pair[0], at)
		if err != nil {
			return nil, err
		}
		then, err := parseExpr(pair[1], at)
		if err != nil {
			return nil, err
		}
		c.Whens = append(c.Whens, When{Cond: cond, Then: then})
	}
	if len(l) == 3 && l[2] != nil {
		opts, ok := l[2].(jsonObject)
		if !ok {
			return nil, Errorf(EINVALID, "%s: case options must be an object.", at)
		}
		for _, m := range opts {
			if m.Key != "default" {
				return nil, Errorf(EINVALID, "%s: unknown case option %q.", at, m.Key)
			}
			e, err := parseExpr(m.Value, at)
			if err != nil {
				return nil, err
			}
			c.Else = e
		}
	}
	return c, nil
}

// parseNative reads the native clause: the SQL and its template tags.
func parseNative(obj jsonObject) (*NativeQuery, error) {
	n := &NativeQuery{}
	for _, m := range obj {
		switch canonKey(m.Key) {
		case "query":
			s, ok := m.Value.(string)
			if !ok {
				return nil, Errorf(EINVALID, "native.query must be a string of SQL.")
			}
			n.SQL = s
		case "template-tags":
			tags, ok := m.Value.(jsonObject)
			if !ok {
				return nil, Errorf(EINVALID, "native.template-tags must be an object.")
			}
			for _, tm := range tags {
				t, err := parseTemplateTag(tm)
				if err != nil {
					return nil, err
				}
				n.TemplateTags = append(n.TemplateTags, t)
			}
		case "collection":
		default:
			return nil, Errorf(EINVALID, "Unknown key %q in native.", m.Key)
		}
	}
	return n, nil
}

// parseTemplateTag reads one template tag, whose name must match its key.
func parseTemplateTag(m jsonMember) (TemplateTag, error) {
	at := "native.template-tags." + m.Key
	obj, ok := m.Value.(jsonObject)
	if !ok {
		return TemplateTag{}, Errorf(EINVALID, "%s must be an object.", at)
	}
	t := TemplateTag{Name: m.Key}
	for _, f := range obj {
		s, _ := f.Value.(string)
		switch canonKey(f.Key) {
		case "id":
			t.ID = s
		case "name":
			if s != "" {
				t.Name = s
			}
		case "display-name":
			t.DisplayName = s
		case "type":
			t.Type = s
		case "widget-type":
			t.WidgetType = s
		case "required":
			t.Required, _ = f.Value.(bool)
		case "default":
			t.Default = plain(f.Value)
		case "dimension":
			if f.Value == nil {
				continue
			}
			l, ok := f.Value.([]any)
			if !ok || len(l) == 0 {
				return t, Errorf(EINVALID, "%s.dimension must be a field reference.", at)
			}
			ref, err := parseFieldRef(l, at+".dimension")
			if err != nil {
				return t, err
			}
			t.Dimension = ref
		default:
			return t, Errorf(EINVALID, "Unknown key %q in %s.", f.Key, at)
		}
	}
	if t.Name != m.Key {
		return t, Errorf(EINVALID, "%s is named %q: the name must match its key.", at, t.Name)
	}
	return t, nil
}

// parseParameters reads the parameters list (values for template tags or
// filters on fields).
func parseParameters(v any) ([]Parameter, error) {
	if v == nil {
		return nil, nil
	}
	list, err := toList(v, "parameters")
	if err != nil {
		return nil, err
	}
	var out []Parameter
	for i, item := range list {
		at := fmt.Sprintf("parameters[%d]", i)
		obj, ok := item.(jsonObject)
		if !ok {
			return nil, Errorf(EINVALID, "%s must be an object.", at)
		}
		var p Parameter
		for _, m := range obj {
			s, _ := m.Value.(string)
			switch canonKey(m.Key) {
			case "id":
				p.ID = s
			case "type":
				p.Type = s
			case "value":
				p.Value = plain(m.Value)
			case "target":
				if err := parseTarget(&p, m.Value, at); err != nil {
					return nil, err
				}
			case "slug", "name", "default", "options", "sectionId":
				// Dashboard presentation keys; the value is what counts.
			default:
				return nil, Errorf(EINVALID, "Unknown key %q in %s.", m.Key, at)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// parseTarget reads ["variable", ["template-tag", name]],
// ["dimension", ["template-tag", name]] or ["dimension", ["field", ...]].
func parseTarget(p *Parameter, v any, at string) error {
	l, ok := v.([]any)
	if !ok || len(l) < 2 {
		return Errorf(EINVALID, "%s.target must be [\"variable\" or \"dimension\", reference].", at)
	}
	kind, _ := l[0].(string)
	if kind != TargetVariable && kind != TargetDimension {
		return Errorf(EINVALID, "%s.target: unknown target kind %v.", at, l[0])
	}
	p.TargetKind = kind
	ref, ok := l[1].([]any)
	if !ok || len(ref) < 2 {
		return Errorf(EINVALID, "%s.target: malformed reference.", at)
	}
	switch ref[0] {
	case "template-tag":
		name, ok := ref[1].(string)
		if !ok {
			return Errorf(EINVALID, "%s.target: template-tag takes a name.", at)
		}
		p.Tag = name
	case "field":
		if kind != TargetDimension {
			return Errorf(EINVALID, "%s.target: a variable target must name a template tag.", at)
		}
		f, err := parseFieldRef(ref, at+".target")
		if err != nil {
			return err
		}
		p.Field = f
	default:
		return Errorf(EINVALID, "%s.target: unknown reference %v.", at, ref[0])
	}
	return nil
}

// plain turns decoded JSON into plain Go values: numbers become int64 or
// float64, objects maps.
func plain(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(x.String(), 10, 64); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case jsonObject:
		out := make(map[string]any, len(x))
		for _, m := range x {
			out[m.Key] = plain(m.Value)
		}
		return out
	}
	return v
}

// number turns a JSON number into int64 when it is whole, else float64.
func number(n json.Number, at string) (any, error) {
	if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
		return i, nil
	}
	f, err := n.Float64()
	if err != nil {
		return nil, Errorf(EINVALID, "%s: %s is out of range.", at, n)
	}
	if f == 0 {
		// -0.0 is 0: its wire form "-0" would read back as an integer.
		f = 0
	}
	return f, nil
}

// toInt reads a whole JSON number.
func toInt(v any, at string) (int64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, Errorf(EINVALID, "%s must be a whole number, got %v.", at, v)
	}
	i, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		return 0, Errorf(EINVALID, "%s must be a whole number, got %s.", at, n)
	}
	return i, nil
}

// toFloat reads a JSON number.
func toFloat(v any, at string) (float64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, Errorf(EINVALID, "%s must be a number, got %v.", at, v)
	}
	f, err := n.Float64()
	if err != nil {
		return 0, Errorf(EINVALID, "%s must be a number, got %s.", at, n)
	}
	return f, nil
}

// toList reads a JSON array.
func toList(v any, at string) ([]any, error) {
	l, ok := v.([]any)
	if !ok {
		return nil, Errorf(EINVALID, "%s must be a list.", at)
	}
	return l, nil
}

// MarshalJSON writes the query in its MBQL wire form.
func (q Query) MarshalJSON() ([]byte, error) {
	o := jsonObject{{"version", QueryVersion}, {"database", q.Database}, {"type", q.Type}}
	if q.Structured != nil {
		o = append(o, jsonMember{"query", q.Structured.wire()})
	}
	if q.Native != nil {
		o = append(o, jsonMember{"native", q.Native.wire()})
	}
	if len(q.Parameters) > 0 {
		ps := make([]any, len(q.Parameters))
		for i, p := range q.Parameters {
			ps[i] = p.wire()
		}
		o = append(o, jsonMember{"parameters", ps})
	}
	return json.Marshal(o)
}

// wire returns the structured query's MBQL object, clauses in a fixed order.
func (s *StructuredQuery) wire() jsonObject {
	var o jsonObject
	switch {
	case s.SourceCard != 0:
		o = append(o, jsonMember{"source-table", "card__" + strconv.FormatInt(s.SourceCard, 10)})
	default:
		o = append(o, jsonMember{"source-table", s.SourceTable})
	}
	if len(s.Joins) > 0 {
		js := make([]any, len(s.Joins))
		for i, j := range s.Joins {
			js[i] = j.wire()
		}
		o = append(o, jsonMember{"joins", js})
	}
	if len(s.Expressions) > 0 {
		es := make(jsonObject, len(s.Expressions))
		for i, ne := range s.Expressions {
			es[i] = jsonMember{ne.Name, WireExpr(ne.Expr)}
		}
		o = append(o, jsonMember{"expressions", es})
	}
	if s.Filter != nil {
		o = append(o, jsonMember{"filter", WireExpr(s.Filter)})
	}
	if len(s.Aggregations) > 0 {
		as := make([]any, len(s.Aggregations))
		for i, a := range s.Aggregations {
			as[i] = a.wire()
		}
		o = append(o, jsonMember{"aggregation", as})
	}
	if len(s.Breakouts) > 0 {
		o = append(o, jsonMember{"breakout", wireList(s.Breakouts)})
	}
	if len(s.Fields) > 0 {
		o = append(o, jsonMember{"fields", wireList(s.Fields)})
	}
	if len(s.OrderBy) > 0 {
		obs := make([]any, len(s.OrderBy))
		for i, ob := range s.OrderBy {
			dir := "asc"
			if ob.Desc {
				dir = "desc"
			}
			obs[i] = []any{dir, WireExpr(ob.Expr)}
		}
		o = append(o, jsonMember{"order-by", obs})
	}
	if s.Limit > 0 {
		o = append(o, jsonMember{"limit", s.Limit})
	}
	return o
}

// wire returns the join's MBQL object.
func (j Join) wire() jsonObject {
	o := jsonObject{}
	if j.SourceCard != 0 {
		o = append(o, jsonMember{"source-table", "card__" + strconv.FormatInt(j.SourceCard, 10)})
	} else {
		o = append(o, jsonMember{"source-table", j.SourceTable})
	}
	o = append(o, jsonMember{"alias", j.Alias}, jsonMember{"condition", WireExpr(j.Condition)})
	if j.Strategy != "" {
		o = append(o, jsonMember{"strategy", j.Strategy})
	}
	switch {
	case j.FieldsMode != "":
		o = append(o, jsonMember{"fields", j.FieldsMode})
	case j.Fields != nil:
		o = append(o, jsonMember{"fields", wireList(j.Fields)})
	}
	return o
}

// wire returns the aggregation clause, wrapped in aggregation-options when
// it has a custom name.
func (a Aggregation) wire() any {
	var w any
	switch {
	case a.Op == AggExpression:
		w = WireExpr(a.Expr)
	case a.Condition != nil && a.Arg != nil:
		w = []any{a.Op, WireExpr(a.Arg), WireExpr(a.Condition)}
	case a.Condition != nil:
		w = []any{a.Op, WireExpr(a.Condition)}
	case a.Arg == nil:
		w = []any{a.Op}
	case a.Op == AggPercentile:
		w = []any{a.Op, WireExpr(a.Arg), a.Percentile}
	default:
		w = []any{a.Op, WireExpr(a.Arg)}
	}
	if a.Name == "" && a.DisplayName == "" {
		return w
	}
	opts := jsonObject{}
	if a.Name != "" {
		opts = append(opts, jsonMember{"name", a.Name})
	}
	if a.DisplayName != "" {
		opts = append(opts, jsonMember{"display-name", a.DisplayName})
	}
	return []any{"aggregation-options", w, opts}
}

// wire returns the native clause with its template tags in order.
func (n *NativeQuery) wire() jsonObject {
	o := jsonObject{{"query", n.SQL}}
	if len(n.TemplateTags) > 0 {
		tags := make(jsonObject, len(n.TemplateTags))
		for i, t := range n.TemplateTags {
			to := jsonObject{}
			if t.ID != "" {
				to = append(to, jsonMember{"id", t.ID})
			}
			to = append(to, jsonMember{"name", t.Name}, jsonMember{"display-name", t.DisplayName}, jsonMember{"type", t.Type})
			if t.Dimension != nil {
				to = append(to, jsonMember{"dimension", WireExpr(t.Dimension)})
			}
			if t.WidgetType != "" {
				to = append(to, jsonMember{"widget-type", t.WidgetType})
			}
			if t.Required {
				to = append(to, jsonMember{"required", true})
			}
			if t.Default != nil {
				to = append(to, jsonMember{"default", t.Default})
			}
			tags[i] = jsonMember{t.Name, to}
		}
		o = append(o, jsonMember{"template-tags", tags})
	}
	return o
}

// wire returns the parameter object with its target.
func (p Parameter) wire() jsonObject {
	o := jsonObject{}
	if p.ID != "" {
		o = append(o, jsonMember{"id", p.ID})
	}
	if p.Type != "" {
		o = append(o, jsonMember{"type", p.Type})
	}
	var ref any
	if p.Field != nil {
		ref = WireExpr(p.Field)
	} else {
		ref = []any{"template-tag", p.Tag}
	}
	o = append(o, jsonMember{"target", []any{p.TargetKind, ref}}, jsonMember{"value", p.Value})
	return o
}

// wireList returns the MBQL forms of a list of expressions.
func wireList(es []Expr) []any {
	out := make([]any, len(es))
	for i, e := range es {
		out[i] = WireExpr(e)
	}
	return out
}

// WireExpr returns the MBQL form of an expression, ready for encoding/json.
func WireExpr(e Expr) any {
	switch e := e.(type) {
	case *FieldRef:
		var id any = e.ID
		if e.ID == 0 {
			id = e.Name
		}
		opts := jsonObject{}
		if e.BaseType != "" {
			opts = append(opts, jsonMember{"base-type", e.BaseType})
		}
		if e.JoinAlias != "" {
			opts = append(opts, jsonMember{"join-alias", e.JoinAlias})
		}
		if e.SourceField != 0 {
			opts = append(opts, jsonMember{"source-field", e.SourceField})
		}
		if e.TemporalUnit != "" {
			opts = append(opts, jsonMember{"temporal-unit", e.TemporalUnit})
		}
		if b := e.Binning; b != nil {
			bo := jsonObject{{"strategy", b.Strategy}}
			if b.Strategy == BinWidth {
				bo = append(bo, jsonMember{"bin-width", b.BinWidth})
			} else {
				bo = append(bo, jsonMember{"num-bins", b.NumBins})
			}
			opts = append(opts, jsonMember{"binning", bo})
		}
		if len(opts) == 0 {
			return []any{"field", id, nil}
		}
		return []any{"field", id, opts}
	case *ExpressionRef:
		return []any{"expression", e.Name}
	case *AggregationRef:
		return []any{"aggregation", e.Index}
	case *Metric:
		return e.Agg.wire()
	case *Value:
		return e.V
	case *Compare:
		return append([]any{e.Op, WireExpr(e.Left)}, wireList(e.Values)...)
	case *Between:
		return []any{"between", WireExpr(e.Arg), WireExpr(e.Min), WireExpr(e.Max)}
	case *NullCheck:
		return []any{e.Op, WireExpr(e.Arg)}
	case *StringFilter:
		return []any{e.Op, WireExpr(e.Arg), WireExpr(e.Value), jsonObject{{"case-sensitive", e.CaseSensitive}}}
	case *TimeInterval:
		var n any = e.N
		if e.N == 0 {
			n = "current"
		}
		w := []any{"time-interval", WireExpr(e.Arg), n, e.Unit}
		if e.IncludeCurrent {
			w = append(w, jsonObject{{"include-current", true}})
		}
		return w
	case *Logical:
		return append([]any{e.Op}, wireList(e.Args)...)
	case *Not:
		return []any{"not", WireExpr(e.Arg)}
	case *Arithmetic:
		return append([]any{e.Op}, wireList(e.Args)...)
	case *Function:
		return append([]any{e.Name}, wireList(e.Args)...)
	case *Case:
		bs := make([]any, len(e.Whens))
		for i, w := range e.Whens {
			bs[i] = []any{WireExpr(w.Cond), WireExpr(w.Then)}
		}
		if e.Else == nil {
			return []any{"case", bs}
		}
		return []any{"case", bs, jsonObject{{"default", WireExpr(e.Else)}}}
	}
	return nil
}
