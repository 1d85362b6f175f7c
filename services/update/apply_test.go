package update_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/till-pos/till/services/update"
)

// tinyMain is a program that prints its version, as till -version does.
const tinyMain = `package main

import (
	"flag"
	"fmt"
)

var version = "0.0.0"

func main() {
	v := flag.Bool("version", false, "print the version")
	flag.Parse()
	if *v {
		fmt.Println("till", version)
	}
}
`

// buildTiny builds tinyMain as version into the file out.
func buildTiny(t *testing.T, version, out string) {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "go.mod"), []byte("module tiny\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "main.go"), []byte(tinyMain), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goCmd, "build", "-o", out, "-ldflags", "-X main.version="+version, ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
}

// runVersion runs the binary at path with -version.
func runVersion(t *testing.T, path string) string {
	t.Helper()
	b, err := exec.Command(path, "-version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s -version: %v\n%s", path, err, b)
	}
	return strings.TrimSpace(string(b))
}

// TestGoodUpdateAppliedToABinary: a till binary of 0.1.0 finds 0.2.0 on
// its channel, downloads it and puts it in its place; the binary then runs
// as 0.2.0, the old one is kept beside it and can be put back. Both ways
// of replacing (renaming over the binary, and renaming it away first as on
// Windows) are run.
func TestGoodUpdateAppliedToABinary(t *testing.T) {
	build := t.TempDir()
	oldBin, newBin := filepath.Join(build, "old"), filepath.Join(build, "new")
	if runtime.GOOS == "windows" {
		oldBin, newBin = oldBin+".exe", newBin+".exe"
	}
	buildTiny(t, "0.1.0", oldBin)
	buildTiny(t, "0.2.0", newBin)
	pkg, err := os.ReadFile(newBin)
	if err != nil {
		t.Fatal(err)
	}
	oldBytes, err := os.ReadFile(oldBin)
	if err != nil {
		t.Fatal(err)
	}

	for _, way := range []struct {
		name  string
		apply func(downloaded, target string) error
		back  func(target string) error
	}{
		{"this system's", update.Apply, update.Rollback},
		{"rename away first", update.ApplyByRenaming, update.RollbackByRenaming},
	} {
		t.Run(way.name, func(t *testing.T) {
			c := newChannel(t)
			c.files["/channel/pkg"] = pkg
			pub, priv := newKey(t)
			c.publish(t, priv, manifestFor("0.2.0", pkg))

			install := t.TempDir()
			target := filepath.Join(install, filepath.Base(oldBin))
			if err := os.WriteFile(target, oldBytes, 0o750); err != nil {
				t.Fatal(err)
			}
			if got := runVersion(t, target); got != "till 0.1.0" {
				t.Fatalf("before: %q", got)
			}
			ck := c.checker(pub, strings.TrimPrefix(runVersion(t, target), "till "))
			o, err := ck.Check(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			path, err := ck.Download(context.Background(), o, t.TempDir(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := update.ReadyToInstall(false, true); err != nil {
				t.Fatal(err)
			}
			if err := way.apply(path, target); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(target)
			if err != nil || !bytes.Equal(got, pkg) {
				t.Fatalf("the binary is not the package (%d bytes, %v)", len(got), err)
			}
			if v := runVersion(t, target); v != "till 0.2.0" {
				t.Errorf("after: %q", v)
			}
			if v := runVersion(t, target+".old"); v != "till 0.1.0" {
				t.Errorf("kept: %q", v)
			}
			if info, err := os.Stat(target); err != nil || (runtime.GOOS != "windows" && info.Mode().Perm() != 0o750) {
				t.Errorf("mode %v, %v; want the old one's 0750", info.Mode(), err)
			}
			es, _ := os.ReadDir(install)
			if len(es) != 2 {
				t.Errorf("%d files beside the binary, want it and .old", len(es))
			}

			if err := way.back(target); err != nil {
				t.Fatal(err)
			}
			if v := runVersion(t, target); v != "till 0.1.0" {
				t.Errorf("rolled back: %q", v)
			}
		})
	}
}

// TestApplyRefusesAMissingTargetOrPackage: nothing is written when the
// binary or the package is missing.
func TestApplyRefusesAMissingTargetOrPackage(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "pkg")
	if err := os.WriteFile(pkg, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := update.Apply(pkg, filepath.Join(dir, "none")); !errors.Is(err, update.ErrApply) {
		t.Errorf("missing target: %v", err)
	}
	target := filepath.Join(dir, "till")
	if err := os.WriteFile(target, []byte("old"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := update.Apply(filepath.Join(dir, "nopkg"), target); !errors.Is(err, update.ErrApply) {
		t.Errorf("missing package: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "old" {
		t.Errorf("target now %q", b)
	}
	es, _ := os.ReadDir(dir)
	if len(es) != 2 {
		t.Errorf("%d files, want pkg and till only", len(es))
	}
	if err := update.Rollback(target); !errors.Is(err, update.ErrApply) {
		t.Errorf("rollback with nothing kept: %v", err)
	}
}

// TestReadyToInstallOnlyAtCloseOfDay: never during a sale, not before the
// day is closed.
func TestReadyToInstallOnlyAtCloseOfDay(t *testing.T) {
	for _, c := range []struct {
		sale, closed bool
		want         error
	}{
		{true, false, update.ErrSaleInProgress},
		{true, true, update.ErrSaleInProgress},
		{false, false, update.ErrDayOpen},
		{false, true, nil},
	} {
		err := update.ReadyToInstall(c.sale, c.closed)
		if !errors.Is(err, c.want) || (c.want != nil && message(err) == nil) {
			t.Errorf("sale %v, day closed %v: %v, want %v", c.sale, c.closed, err, c.want)
		}
	}
}
