package xvfbtest

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BuildBinary builds the main package pkg (an import path such as
// "github.com/till-pos/till/cmd/hellowindow", or a path relative to the
// test's package directory) with the build tags into tb.TempDir() and returns
// the binary's path. It runs `go build` with the test's environment, so the
// usual GOCACHE keeps rebuilds cheap.
func BuildBinary(tb testing.TB, pkg string, tags ...string) string {
	tb.Helper()
	return BuildBinaryTo(tb, pkg, filepath.Join(tb.TempDir(), filepath.Base(pkg)), tags...)
}

// BuildBinaryTo is BuildBinary writing the binary to the path bin, for a
// binary shared by several tests or benchmarks of one process.
func BuildBinaryTo(tb testing.TB, pkg, bin string, tags ...string) string {
	tb.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		tb.Fatalf("xvfbtest: the go command is not on PATH (%v); add /usr/local/go/bin to PATH", err)
	}
	args := []string{"build", "-o", bin}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	out, err := exec.Command(goBin, append(args, pkg)...).CombinedOutput()
	if err != nil {
		tb.Fatalf("xvfbtest: go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}
