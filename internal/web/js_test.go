package web

import (
	"os/exec"
	"testing"
)

// TestExpressionLanguageNode runs the unit tests of the expression
// language (jstest/expr.test.js, for static/js/expr/parser.js) with node's own test
// runner. The tests sit outside static/, so the binary never serves them.
// A machine without node fails the test rather than skipping it, so CI
// cannot pass without running them.
func TestExpressionLanguageNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is needed to run the expression language's unit tests: %v", err)
	}
	out, err := exec.Command(node, "--test", "--test-reporter=dot", "jstest/expr.test.js").CombinedOutput()
	if err != nil {
		t.Fatalf("node --test jstest/expr.test.js = %v\n%s", err, out)
	}
}
