package web

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestChartLogicNode runs the front end's unit tests (jstest/*.test.js,
// for the pure chart and table-formatting logic in static/js/charts) with node's own test
// runner. Without node the test is skipped, except under CI=true, where a
// missing node fails the run.
func TestChartLogicNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node is not installed: the front end's unit tests cannot run (%v)", err)
		}
		t.Skipf("node is not installed: %v", err)
	}
	files, err := filepath.Glob(filepath.Join("jstest", "*.test.js"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no front-end unit tests found in jstest/")
	}
	cmd := exec.Command(node, append([]string{"--test", "--test-reporter=spec"}, files...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test %v failed: %v\n%s", files, err, out)
	}
	t.Logf("node --test %v:\n%s", files, out)
}
