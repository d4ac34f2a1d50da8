package query

import (
	"fmt"
	"strings"

	"sightline"
)

// Native SQL templates: {{name}} is a variable, [[ ... ]] an optional clause
// kept only when every variable inside it has a value. Values are bound as
// arguments; a field filter ({{name}} of type dimension) becomes a condition
// compiled like a structured filter on the mapped column.

// segment is literal SQL, a variable, or an optional clause of segments.
type segment struct {
	text     string
	variable string
	optional []segment
}

// parseTemplate splits native SQL into segments.
func parseTemplate(sql string) ([]segment, error) {
	var out []segment
	for sql != "" {
		open := strings.Index(sql, "[[")
		if open < 0 {
			vs, err := parseVariables(sql)
			return append(out, vs...), err
		}
		vs, err := parseVariables(sql[:open])
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
		rest := sql[open+2:]
		end := strings.Index(rest, "]]")
		if end < 0 {
			return nil, sightline.Errorf(sightline.EINVALID, "An optional clause opened with [[ is never closed with ]].")
		}
		if strings.Contains(rest[:end], "[[") {
			return nil, sightline.Errorf(sightline.EINVALID, "Optional clauses [[ ... ]] cannot be nested.")
		}
		inner, err := parseVariables(rest[:end])
		if err != nil {
			return nil, err
		}
		out = append(out, segment{optional: inner})
		sql = rest[end+2:]
	}
	return out, nil
}

// parseVariables splits SQL without optional clauses into text and
// {{variables}}.
func parseVariables(sql string) ([]segment, error) {
	var out []segment
	for {
		open := strings.Index(sql, "{{")
		if open < 0 {
			if strings.Contains(sql, "]]") {
				return nil, sightline.Errorf(sightline.EINVALID, "The SQL closes an optional clause with ]] that was never opened.")
			}
			if sql != "" {
				out = append(out, segment{text: sql})
			}
			return out, nil
		}
		end := strings.Index(sql[open:], "}}")
		if end < 0 {
			return nil, sightline.Errorf(sightline.EINVALID, "A variable opened with {{ is never closed with }}.")
		}
		name := strings.TrimSpace(sql[open+2 : open+end])
		if name == "" {
			return nil, sightline.Errorf(sightline.EINVALID, "The SQL has an empty variable {{}}.")
		}
		if open > 0 {
			out = append(out, segment{text: sql[:open]})
		}
		out = append(out, segment{variable: name})
		sql = sql[open+end+2:]
	}
}

// native compiles a native query with its parameters.
func (c *compiler) native(n *sightline.NativeQuery, params []sightline.Parameter) (frag, error) {
	if strings.IndexByte(n.SQL, 0) >= 0 {
		return frag{}, sightline.Errorf(sightline.EINVALID, "The SQL contains a NUL character.")
	}
	if strings.TrimSpace(n.SQL) == "" {
		return frag{}, sightline.Errorf(sightline.EINVALID, "The SQL query is empty.")
	}
	c.written = true
	segs, err := parseTemplate(n.SQL)
	if err != nil {
		return frag{}, err
	}
	tags := make(map[string]*sightline.TemplateTag, len(n.TemplateTags))
	for i := range n.TemplateTags {
		tags[n.TemplateTags[i].Name] = &n.TemplateTags[i]
	}
	values := map[string]sightline.Parameter{}
	for _, p := range params {
		if p.Tag == "" {
			continue
		}
		if _, ok := tags[p.Tag]; !ok {
			return frag{}, sightline.Errorf(sightline.EINVALID, "A parameter targets {{%s}}, which the SQL does not declare.", p.Tag)
		}
		if len(paramValues(p.Value)) > 0 {
			values[p.Tag] = p
		}
	}
	for name, t := range tags {
		if _, ok := values[name]; !ok && t.Default != nil && len(paramValues(t.Default)) > 0 {
			values[name] = sightline.Parameter{Tag: name, Type: t.WidgetType, Value: t.Default}
		}
	}
	has := func(name string) bool { _, ok := values[name]; return ok }
	var parts []frag
	render := func(s segment) error {
		if s.variable == "" {
			parts = append(parts, frag{sql: s.text})
			return nil
		}
		t, ok := tags[s.variable]
		if !ok {
			return sightline.Errorf(sightline.EINVALID, "The SQL uses {{%s}}, which is not a declared variable.", s.variable)
		}
		p, ok := values[s.variable]
		if !ok && t.Type != sightline.TagDimension {
			return sightline.Errorf(sightline.EINVALID, "The variable %q needs a value.", s.variable)
		}
		f, err := c.variable(t, p)
		if err != nil {
			return err
		}
		parts = append(parts, f)
		return nil
	}
	for _, s := range segs {
		if s.optional == nil {
			if err := render(s); err != nil {
				return frag{}, err
			}
			continue
		}
		keep := true
		for _, in := range s.optional {
			if in.variable != "" && !has(in.variable) {
				keep = false
			}
		}
		if !keep {
			continue
		}
		for _, in := range s.optional {
			if err := render(in); err != nil {
				return frag{}, err
			}
		}
	}
	return join(parts, ""), nil
}

// variable renders one template tag with its parameter.
func (c *compiler) variable(t *sightline.TemplateTag, p sightline.Parameter) (frag, error) {
	vals := paramValues(p.Value)
	switch t.Type {
	case sightline.TagDimension:
		return c.fieldFilter(t, p)
	case sightline.TagNumber:
		out := make([]frag, len(vals))
		for i, v := range vals {
			n, err := toNumber(v)
			if err != nil {
				return frag{}, sightline.Errorf(sightline.EINVALID, "The variable %q needs a number, not %q.", t.Name, fmt.Sprint(v))
			}
			out[i] = bind(n)
		}
		return join(out, ", "), nil
	case sightline.TagDate:
		out := make([]frag, len(vals))
		for i, v := range vals {
			s, _ := v.(string)
			tm, precision, ok := parseTemporal(s, c.loc)
			if !ok {
				return frag{}, sightline.Errorf(sightline.EINVALID, "The variable %q needs a date, not %q.", t.Name, fmt.Sprint(v))
			}
			if precision == sightline.UnitDay {
				out[i] = bind(tm.Format("2006-01-02"))
			} else {
				out[i] = bind(tm.Format("2006-01-02 15:04:05"))
			}
		}
		return join(out, ", "), nil
	}
	out := make([]frag, len(vals))
	for i, v := range vals {
		out[i] = bind(fmt.Sprint(v))
	}
	return join(out, ", "), nil
}

// fieldFilter expands a field filter into a condition on the mapped column,
// qualified by its table's name; without a value it is always true.
func (c *compiler) fieldFilter(t *sightline.TemplateTag, p sightline.Parameter) (frag, error) {
	ptype := p.Type
	if ptype == "" {
		ptype = t.WidgetType
	}
	ref := *t.Dimension
	if ref.ID == 0 {
		return frag{}, sightline.Errorf(sightline.EINVALID, "Field filter %q must map to a field ID.", t.Name)
	}
	e, err := parameterFilter(ptype, &ref, p.Value)
	if err != nil {
		return frag{}, err
	}
	if e == nil {
		return frag{sql: "1 = 1"}, nil
	}
	fld, err := c.field(ref.ID)
	if err != nil {
		return frag{}, err
	}
	tbl, err := c.table(fld.TableID)
	if err != nil {
		return frag{}, err
	}
	prefix, err := c.d.quoteIdent(tbl.Name)
	if err != nil {
		return frag{}, err
	}
	if tbl.Schema != "" {
		schema, err := c.d.quoteIdent(tbl.Schema)
		if err != nil {
			return frag{}, err
		}
		prefix = schema + "." + prefix
	}
	l := &level{c: c, table: tbl, prefix: prefix + ".", ownOnly: true, view: true}
	return l.filter(e)
}
