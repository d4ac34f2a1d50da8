package web

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
)

// decodedBodies reads the package's source and returns, for each function
// and method, the types of the request bodies it decodes with decodeJSON or
// decodeJSONLoose, directly or through the package's functions it calls.
func decodedBodies(t *testing.T) map[string][]string {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	direct := map[string][]string{}
	calls := map[string][]string{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			vars := map[string]string{}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.ValueSpec:
					if n.Type != nil {
						for _, id := range n.Names {
							vars[id.Name] = typeString(n.Type)
						}
					}
				case *ast.CallExpr:
					callee := ""
					switch f := n.Fun.(type) {
					case *ast.Ident:
						callee = f.Name
					case *ast.SelectorExpr:
						if x, ok := f.X.(*ast.Ident); ok && x.Name == "s" {
							callee = f.Sel.Name
						}
					}
					if (callee == "decodeJSON" || callee == "decodeJSONLoose") && len(n.Args) == 2 {
						if u, ok := n.Args[1].(*ast.UnaryExpr); ok && u.Op == token.AND {
							if id, ok := u.X.(*ast.Ident); ok {
								direct[fn.Name.Name] = append(direct[fn.Name.Name], vars[id.Name])
							}
						}
					} else if callee != "" {
						calls[fn.Name.Name] = append(calls[fn.Name.Name], callee)
					}
				}
				return true
			})
		}
	}
	out := map[string][]string{}
	var walk func(fn string, seen map[string]bool) []string
	walk = func(fn string, seen map[string]bool) []string {
		if seen[fn] {
			return nil
		}
		seen[fn] = true
		types := slices.Clone(direct[fn])
		for _, c := range calls[fn] {
			types = append(types, walk(c, seen)...)
		}
		return types
	}
	for fn := range direct {
		out[fn] = nil
	}
	for fn := range calls {
		out[fn] = nil
	}
	for fn := range out {
		types := walk(fn, map[string]bool{})
		sort.Strings(types)
		out[fn] = slices.Compact(types)
	}
	return out
}

// typeString prints a type expression as written, with anonymous structs
// shortened to "struct{...}".
func typeString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return typeString(e.X) + "." + e.Sel.Name
	case *ast.StarExpr:
		return "*" + typeString(e.X)
	case *ast.ArrayType:
		return "[]" + typeString(e.Elt)
	case *ast.MapType:
		return "map[" + typeString(e.Key) + "]" + typeString(e.Value)
	case *ast.StructType:
		return "struct{...}"
	case *ast.InterfaceType:
		return "any"
	}
	return "?"
}

// routeHandlers reads routes.go and returns, for each route pattern, the
// name of its handler method.
func routeHandlers(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "routes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		var pattern, handler string
		for _, el := range lit.Elts {
			kv, ok := el.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			switch key := kv.Key.(*ast.Ident); {
			case key == nil:
			case key.Name == "pattern":
				if b, ok := kv.Value.(*ast.BasicLit); ok {
					pattern = strings.Trim(b.Value, `"`)
				}
			case key.Name == "handler":
				if c, ok := kv.Value.(*ast.CallExpr); ok && len(c.Args) == 1 {
					if sel, ok := c.Args[0].(*ast.SelectorExpr); ok {
						handler = sel.Sel.Name
					}
				}
			}
		}
		if pattern != "" && handler != "" {
			out[pattern] = handler
		}
		return true
	})
	return out
}

// TestRouteBodiesMatchHandlers keeps the request bodies of the OpenAPI
// description from drifting: each /api/ route that takes a body (POST, PUT)
// must declare the type its handler decodes, and handlers decode named
// types, never anonymous structs the description cannot point at.
func TestRouteBodiesMatchHandlers(t *testing.T) {
	decoded := decodedBodies(t)
	handlers := routeHandlers(t)
	if len(handlers) < 100 {
		t.Fatalf("only %d route handlers read from routes.go", len(handlers))
	}
	checked := 0
	for _, rt := range apiRoutes() {
		method, _ := splitPattern(rt.pattern)
		handler, ok := handlers[rt.pattern]
		if !ok {
			continue
		}
		declared := ""
		if rt.body != nil {
			declared = strings.TrimPrefix(typeNameOf(rt.body), "*")
		}
		var named []string
		for _, ty := range decoded[handler] {
			switch {
			case ty == "struct{...}":
				t.Errorf("%s: %s decodes an anonymous struct; give it a named type and set body on the route", rt.pattern, handler)
			case ty == "json.RawMessage" || strings.HasPrefix(ty, "map[") || ty == "any" || ty == "?":
				// Free-form bodies: any JSON is described.
			default:
				named = append(named, strings.TrimPrefix(ty, "*"))
			}
		}
		if declared != "" && !slices.Contains(named, declared) && len(named) > 0 {
			t.Errorf("%s: route declares body %s, but %s decodes %v", rt.pattern, declared, handler, named)
		}
		if declared == "" && len(named) > 0 && method != "GET" && method != "DELETE" {
			t.Errorf("%s: %s decodes %v; set body on the route so the API description shows it", rt.pattern, handler, named)
		}
		checked++
	}
	if checked < 50 {
		t.Errorf("only %d /api/ routes were checked", checked)
	}
}

// typeNameOf returns a value's type as this package's source writes it,
// e.g. "cardBody", "*parametersBody" or "app.NewUserInput".
func typeNameOf(v any) string {
	name := fmt.Sprintf("%T", v)
	if rest, ok := strings.CutPrefix(strings.TrimPrefix(name, "*"), "web."); ok {
		return strings.Repeat("*", len(name)-len(strings.TrimLeft(name, "*"))) + rest
	}
	return name
}
