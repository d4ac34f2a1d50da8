package web

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// update rewrites golden files with what the code produces now:
// go test ./internal/web -run TestAPIContract -update
var update = flag.Bool("update", false, "rewrite golden files under testdata")

// volatileKeys are JSON keys whose values change from run to run (times,
// durations, temporary paths); golden files hold "<volatile>" instead. Keys
// ending in "_at" are volatile too.
var volatileKeys = map[string]bool{
	"date_joined": true, "last_login": true, "timestamp": true, "running_time": true, "path": true,
}

// normalizeJSON replaces, at any depth of a decoded JSON document, the
// values that change from run to run: volatile keys, connection details
// (kept when empty, to show that they were withheld), API key secrets and
// prefixes.
func normalizeJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			s, isString := val.(string)
			switch {
			case val == nil:
			case volatileKeys[k] || strings.HasSuffix(k, "_at"):
				x[k] = "<volatile>"
			case k == "details":
				if m, ok := val.(map[string]any); !ok || len(m) > 0 {
					x[k] = "<volatile>"
				}
			case isString && k == "unmasked_key" && strings.HasPrefix(s, "mb_"):
				x[k] = "mb_<secret>"
			case isString && k == "masked_key" && len(s) > 7:
				x[k] = "mb_<prefix>" + s[7:]
			default:
				x[k] = normalizeJSON(val)
			}
		}
	case []any:
		for i := range x {
			x[i] = normalizeJSON(x[i])
		}
	}
	return v
}

// checkAPIGolden compares a response's status and normalized body (JSON,
// or the text of a body that is not JSON) with testdata/api/name.json, and
// rewrites the file under -update.
func checkAPIGolden(t *testing.T, name string, r resp) {
	t.Helper()
	var body any
	if strings.TrimSpace(r.body) != "" {
		if err := json.Unmarshal([]byte(r.body), &body); err != nil {
			body = r.body
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"status": r.status, "body": normalizeJSON(body)}); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	path := filepath.Join("testdata", "api", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s: response differs from %s (-want +got):\n%s", name, path, diff)
	}
}

// checkGolden checks that a response's status is want, then compares it
// with its golden file like checkAPIGolden.
func checkGolden(t *testing.T, name string, want int, r resp) {
	t.Helper()
	if r.status != want {
		t.Errorf("%s: status = %d, want %d; body %.300s", name, r.status, want, r.body)
	}
	checkAPIGolden(t, name, r)
}
