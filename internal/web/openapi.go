package web

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"
)

// openAPIPathParam matches one wildcard of a Go route pattern: {name},
// {name...} or {$}.
var openAPIPathParam = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)?(\.\.\.)?(\$)?\}`)

// openAPIPath turns the path of a Go route pattern into an OpenAPI path and
// the names of its path parameters: {name...} becomes {name}, and {$}, which
// only marks an exact match of a path ending in a slash, is dropped.
func openAPIPath(path string) (string, []string) {
	var params []string
	out := openAPIPathParam.ReplaceAllStringFunc(path, func(m string) string {
		sub := openAPIPathParam.FindStringSubmatch(m)
		if sub[3] == "$" {
			return ""
		}
		params = append(params, sub[1])
		return "{" + sub[1] + "}"
	})
	return out, params
}

// splitPattern splits a route pattern "METHOD /path" into its method and
// path; a pattern without a method has method "".
func splitPattern(pattern string) (method, path string) {
	if m, p, ok := strings.Cut(pattern, " "); ok {
		return m, strings.TrimSpace(p)
	}
	return "", pattern
}

// isAPIRoute reports whether a route pattern belongs to the JSON API.
func isAPIRoute(pattern string) bool {
	_, p := splitPattern(pattern)
	return strings.HasPrefix(p, "/api/")
}

// openAPIDocument builds the OpenAPI 3.1 description of every /api/ route
// in routes: its method, path and path parameters, its summary (the route's
// doc), who may call it, the schema of its JSON request body derived from
// the route's body type, and the common error shape. A route without a doc
// is described with an empty summary (TestAPIRoutesHaveSummaries refuses
// it); a route described twice or a body type JSON cannot carry is an error.
func openAPIDocument(routes []route, version string) (map[string]any, error) {
	schemas := newSchemaSet()
	paths := map[string]any{}
	opIDs := map[string]string{}
	for _, rt := range routes {
		if !isAPIRoute(rt.pattern) {
			continue
		}
		method, goPath := splitPattern(rt.pattern)
		if method == "" {
			return nil, fmt.Errorf("openapi: route %q has no method", rt.pattern)
		}
		path, params := openAPIPath(goPath)
		item, _ := paths[path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[path] = item
		}
		m := strings.ToLower(method)
		if _, dup := item[m]; dup {
			return nil, fmt.Errorf("openapi: %s %s is described twice", method, path)
		}
		opID := operationID(m, path)
		if other, dup := opIDs[opID]; dup {
			return nil, fmt.Errorf("openapi: routes %q and %q share the operation id %q", other, rt.pattern, opID)
		}
		opIDs[opID] = rt.pattern
		op := map[string]any{
			"operationId": opID,
			"summary":     rt.doc,
			"tags":        []string{tagOf(path)},
			"responses": map[string]any{
				"2XX":     map[string]any{"description": "Success. The response shapes are described in docs/api.md."},
				"default": map[string]any{"$ref": "#/components/responses/Error"},
			},
		}
		if rt.public {
			op["security"] = []any{}
		}
		if len(params) > 0 {
			ps := make([]any, 0, len(params))
			for _, name := range params {
				ps = append(ps, map[string]any{
					"name": name, "in": "path", "required": true,
					"schema": map[string]any{"type": "string"},
				})
			}
			op["parameters"] = ps
		}
		if rt.body != nil {
			t := reflect.TypeOf(rt.body)
			schema, err := schemas.of(t)
			if err != nil {
				return nil, fmt.Errorf("openapi: body of %q: %w", rt.pattern, err)
			}
			op["requestBody"] = map[string]any{
				"required": t.Kind() != reflect.Pointer,
				"content":  map[string]any{"application/json": map[string]any{"schema": schema}},
			}
		}
		item[m] = op
	}
	schemas.defs["Error"] = map[string]any{
		"type":     "object",
		"required": []string{"status", "code", "message"},
		"properties": map[string]any{
			"status":  map[string]any{"type": "integer", "description": "The HTTP status code."},
			"code":    map[string]any{"type": "string", "description": "A stable error code: invalid, unauthorized, forbidden, not_found, conflict, ..."},
			"message": map[string]any{"type": "string", "description": "A sentence for people saying what was refused and why."},
		},
	}
	if version == "" {
		version = "dev"
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "Sightline API",
			"version":     version,
			"description": "The REST API of Sightline. It follows the reference vendor's paths and shapes; differences are listed in docs/api.md.",
		},
		"paths": paths,
		"components": map[string]any{
			"schemas": schemas.defs,
			"responses": map[string]any{
				"Error": map[string]any{
					"description": "An error: 400 bad input, 401 not signed in, 403 not allowed, 404 not found or not visible, 409 conflict.",
					"content": map[string]any{"application/json": map[string]any{
						"schema": map[string]any{"$ref": "#/components/schemas/Error"},
					}},
				},
			},
			"securitySchemes": map[string]any{
				"sessionCookie": map[string]any{
					"type": "apiKey", "in": "cookie", "name": sessionCookie,
					"description": "The session cookie set by signing in with a browser.",
				},
				"sessionHeader": map[string]any{
					"type": "apiKey", "in": "header", "name": "X-Metabase-Session",
					"description": "A session id from POST /api/session.",
				},
				"apiKey": map[string]any{
					"type": "apiKey", "in": "header", "name": "X-API-Key",
					"description": "An API key made by an administrator; it acts as a member of the key's group.",
				},
			},
		},
		"security": []any{
			map[string]any{"sessionCookie": []string{}},
			map[string]any{"sessionHeader": []string{}},
			map[string]any{"apiKey": []string{}},
		},
	}, nil
}

// operationID names an operation after its method and path, e.g.
// get_api_card_id for GET /api/card/{id}.
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(method)
	for _, part := range strings.Split(path, "/") {
		part = strings.Trim(part, "{}")
		if part == "" {
			continue
		}
		b.WriteByte('_')
		b.WriteString(strings.NewReplacer("-", "_", ".", "_").Replace(part))
	}
	if strings.HasSuffix(path, "/") {
		b.WriteString("_slash")
	}
	return b.String()
}

// tagOf groups an operation by the first segment after /api/, and for
// /api/mt/ and /api/permissions/ the second as well.
func tagOf(path string) string {
	parts := strings.Split(strings.TrimPrefix(path, "/api/"), "/")
	if (parts[0] == "mt" || parts[0] == "permissions") && len(parts) > 1 {
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}

// schemaSet derives JSON Schemas from Go types; named struct types are
// described once under components/schemas and referred to by $ref.
type schemaSet struct {
	defs  map[string]any
	names map[reflect.Type]string
}

// newSchemaSet returns an empty schemaSet.
func newSchemaSet() *schemaSet {
	return &schemaSet{defs: map[string]any{}, names: map[reflect.Type]string{}}
}

// The types the schema derivation treats specially; they are never changed.
var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
	timeType            = reflect.TypeFor[time.Time]()
)

// of returns the JSON Schema of values of type t as encoding/json decodes
// them. A type that decodes itself (json.Unmarshaler) accepts any JSON.
func (s *schemaSet) of(t reflect.Type) (map[string]any, error) {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}, nil
	case t == rawMessageType:
		return map[string]any{}, nil
	case t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(jsonUnmarshalerType):
		return map[string]any{}, nil
	case t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(textUnmarshalerType):
		return map[string]any{"type": "string"}, nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return s.of(t.Elem())
	case reflect.Bool:
		return map[string]any{"type": "boolean"}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}, nil
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}, nil
	case reflect.String:
		return map[string]any{"type": "string"}, nil
	case reflect.Interface:
		return map[string]any{}, nil
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "contentEncoding": "base64"}, nil
		}
		items, err := s.of(t.Elem())
		if err != nil {
			return nil, err
		}
		return map[string]any{"type": "array", "items": items}, nil
	case reflect.Map:
		values, err := s.of(t.Elem())
		if err != nil {
			return nil, err
		}
		return map[string]any{"type": "object", "additionalProperties": values}, nil
	case reflect.Struct:
		if t.Name() == "" {
			return s.object(t)
		}
		name, ok := s.names[t]
		if !ok {
			name = s.nameFor(t)
			s.names[t] = name
			s.defs[name] = map[string]any{} // placeholder while recursing
			obj, err := s.object(t)
			if err != nil {
				return nil, err
			}
			s.defs[name] = obj
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}, nil
	}
	return nil, fmt.Errorf("cannot describe values of type %s in JSON", t)
}

// nameFor picks a components/schemas name for a named type: its Go name
// with a capital first letter, qualified by its package if taken.
func (s *schemaSet) nameFor(t reflect.Type) string {
	name := strings.ToUpper(t.Name()[:1]) + t.Name()[1:]
	if _, taken := s.defs[name]; taken {
		pkg := t.PkgPath()
		name = pkg[strings.LastIndex(pkg, "/")+1:] + "." + name
	}
	return name
}

// object describes a struct as encoding/json reads it: exported fields
// under their json tag names, "-" left out, embedded structs inlined.
func (s *schemaSet) object(t reflect.Type) (map[string]any, error) {
	props := map[string]any{}
	if err := s.fields(t, props); err != nil {
		return nil, err
	}
	return map[string]any{"type": "object", "properties": props}, nil
}

// fields adds the properties of struct type t to props, inlining the
// fields of embedded structs as encoding/json does.
func (s *schemaSet) fields(t reflect.Type, props map[string]any) error {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if err := s.fields(ft, props); err != nil {
					return err
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		var schema map[string]any
		if strings.Contains(","+opts+",", ",string,") {
			schema = map[string]any{"type": "string"}
		} else {
			var err error
			if schema, err = s.of(ft); err != nil {
				return fmt.Errorf("field %s: %w", f.Name, err)
			}
		}
		props[name] = schema
	}
	return nil
}

// apiOpenAPI serves GET /api/docs/openapi.json: the description built from
// the route table when the server started. It needs no sign-in.
func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(s.openapi)
}
