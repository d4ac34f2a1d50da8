package web

import (
	"os/exec"
	"testing"
)

// TestJavaScriptUnits runs the unit tests of the front end's pure modules
// (testdata/js/*.test.js: the expression language, ...) with node's own
// test runner. They are not served: only static/ is embedded. A machine
// without node fails the test rather than skipping it, so CI cannot pass
// without running them.
func TestJavaScriptUnits(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is needed to run the front end's unit tests: %v", err)
	}
	out, err := exec.Command(node, "--test", "--test-reporter=dot", "testdata/js/").CombinedOutput()
	if err != nil {
		t.Fatalf("node --test testdata/js/ = %v\n%s", err, out)
	}
}
