package web

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// update rewrites golden files with what the code produces now:
// go test ./internal/web -run TestAPIContract -update
var update = flag.Bool("update", false, "rewrite golden files under testdata")

// volatileKeys are JSON keys whose values change from run to run: times and
// temporary paths. Golden files hold a placeholder instead.
var volatileKeys = map[string]bool{
	"created_at": true, "updated_at": true, "last_sync_at": true, "last_login": true,
	"date_joined": true, "path": true,
}

// normaliseJSON returns body re-encoded with sorted keys, indented, and the
// values of volatile keys replaced by a placeholder.
func normaliseJSON(t *testing.T, body string) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("response is not JSON: %v: %.300s", err, body)
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if volatileKeys[k] && c != nil {
					x[k] = "<" + k + ">"
					continue
				}
				x[k] = walk(c)
			}
		case []any:
			for i, c := range x {
				x[i] = walk(c)
			}
		}
		return v
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(walk(v)); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// checkGolden compares a response with testdata/api/<name>.json, the
// status code with want, and rewrites the file under -update.
func checkGolden(t *testing.T, name string, want int, r resp) {
	t.Helper()
	if r.status != want {
		t.Errorf("%s: status = %d, want %d; body %.300s", name, r.status, want, r.body)
	}
	got := normaliseJSON(t, r.body)
	path := filepath.Join("testdata", "api", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	wantBody, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, wantBody) {
		t.Errorf("%s: response differs from %s (-want +got):\n%s", name, path, cmp.Diff(string(wantBody), string(got)))
	}
}
