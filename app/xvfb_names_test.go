package app

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestXvfbTestsAreNamedToRun: `make test` runs the real-window tests (the
// xvfb build tag) by the prefix TestRealWindow; a test of an
// *_xvfb_test.go file named otherwise would never run.
func TestXvfbTestsAreNamedToRun(t *testing.T) {
	files, err := filepath.Glob("*_xvfb_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no real-window test files: %v", err)
	}
	test := regexp.MustCompile(`(?m)^func (Test\w+)\(`)
	n := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range test.FindAllStringSubmatch(string(src), -1) {
			n++
			if !strings.HasPrefix(m[1], "TestRealWindow") {
				t.Errorf("%s: %s is not named TestRealWindow…: make test would not run it", f, m[1])
			}
		}
	}
	if n < 5 {
		t.Fatalf("found only %d real-window tests", n)
	}
}
