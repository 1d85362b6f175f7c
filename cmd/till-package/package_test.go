package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// repoRoot is the module's folder, where FyneApp.toml is.
const repoRoot = "../.."

// fakeBinary writes a stand-in for the built program and returns its path.
func fakeBinary(t *testing.T, name string) (string, []byte) {
	t.Helper()
	content := []byte("\x7fELF not really a program " + name)
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o755); err != nil {
		t.Fatal(err)
	}
	return path, content
}

// TestLinuxPackage: the tar.xz holds the binary (executable), the icon, a
// desktop entry naming Till in English and Chinese, the udev rules, the
// installer's Makefile and the notes, under one folder named by version;
// the same inputs make the same bytes.
func TestLinuxPackage(t *testing.T) {
	bin, content := fakeBinary(t, "till")
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-os", "linux", "-bin", bin, "-src", repoRoot, "-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	meta, err := readAppMetadata(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	path := strings.TrimSpace(stdout.String())
	if filepath.Base(path) != "till-"+meta.Version+"-linux-amd64.tar.xz" {
		t.Fatalf("package %s", path)
	}
	files := untarXz(t, path)
	top := "till-" + meta.Version + "-linux-amd64/"
	var names []string
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	want := []string{top, top + "Makefile", top + "README-INSTALL.md", top + "udev/", top + "udev/60-till.rules", top + "usr/",
		top + "usr/local/", top + "usr/local/bin/", top + "usr/local/bin/till", top + "usr/local/share/",
		top + "usr/local/share/applications/", top + "usr/local/share/applications/pos.till.app.desktop",
		top + "usr/local/share/pixmaps/", top + "usr/local/share/pixmaps/pos.till.app.png"}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Fatalf("files:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	if f := files[top+"usr/local/bin/till"]; !bytes.Equal(f.data, content) || f.mode != 0o755 {
		t.Errorf("binary: mode %o, %d bytes", f.mode, len(f.data))
	}
	icon, _ := os.ReadFile(filepath.Join(repoRoot, "resources", "icon.png"))
	if f := files[top+"usr/local/share/pixmaps/pos.till.app.png"]; !bytes.Equal(f.data, icon) || f.mode != 0o644 {
		t.Errorf("icon: mode %o, %d bytes", f.mode, len(f.data))
	}
	desktop := string(files[top+"usr/local/share/applications/pos.till.app.desktop"].data)
	for _, line := range []string{"[Desktop Entry]", "Name=Till", "Name[zh_CN]=收银台", "Exec=till", "Icon=pos.till.app",
		"Categories=Office;Finance;", "X-Till-Version=" + meta.Version} {
		if !strings.Contains(desktop, line+"\n") {
			t.Errorf("desktop entry lacks %q:\n%s", line, desktop)
		}
	}
	for _, s := range []string{"install-udev:", "user-install:", "ID := pos.till.app"} {
		if !strings.Contains(string(files[top+"Makefile"].data), s) {
			t.Errorf("Makefile lacks %q", s)
		}
	}
	if !strings.Contains(string(files[top+"udev/60-till.rules"].data), `GROUP="dialout"`) {
		t.Error("udev rules give no group the serial devices")
	}
	if !strings.Contains(string(files[top+"README-INSTALL.md"].data), "pcscd") {
		t.Error("the notes do not name pcscd")
	}
	// The installer's Makefile installs what the package holds.
	dir := t.TempDir()
	cmd := exec.Command("tar", "xJf", path, "-C", dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tar: %v %s", err, b)
	}
	dest := t.TempDir()
	cmd = exec.Command("make", "-C", filepath.Join(dir, strings.TrimSuffix(top, "/")), "install", "install-udev", "DESTDIR="+dest, "PREFIX=/usr")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make install: %v %s", err, b)
	}
	for _, f := range []string{"usr/bin/till", "usr/share/applications/pos.till.app.desktop", "usr/share/pixmaps/pos.till.app.png",
		"etc/udev/rules.d/60-till.rules"} {
		if _, err := os.Stat(filepath.Join(dest, f)); err != nil {
			t.Errorf("installed: %v", err)
		}
	}

	// Made again, the package is the same, byte for byte.
	first, _ := os.ReadFile(path)
	again := t.TempDir()
	stdout.Reset()
	if code := run([]string{"-os", "linux", "-bin", bin, "-src", repoRoot, "-out", again}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	second, _ := os.ReadFile(strings.TrimSpace(stdout.String()))
	if !bytes.Equal(first, second) {
		t.Error("the same inputs made different packages")
	}
}

// TestWindowsPackage: the zip holds till.exe and the notes under one
// folder named by version.
func TestWindowsPackage(t *testing.T) {
	bin, content := fakeBinary(t, "till.exe")
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-os", "windows", "-bin", bin, "-src", repoRoot, "-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	meta, _ := readAppMetadata(repoRoot)
	zr, err := zip.OpenReader(strings.TrimSpace(stdout.String()))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	top := "till-" + meta.Version + "-windows-amd64/"
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Name == top+"till.exe" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Equal(b, content) {
				t.Error("till.exe differs from the built one")
			}
		}
	}
	if strings.Join(names, " ") != top+"till.exe "+top+"README-INSTALL.md" {
		t.Fatalf("files %q", names)
	}
}

// TestRefusals: a missing binary, a bad system, and metadata without a
// version are refused with a message, and no package is left.
func TestRefusals(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-os", "linux", "-bin", filepath.Join(out, "none"), "-src", repoRoot, "-out", out}, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "no such file") {
		t.Errorf("missing binary: exit %d %s", code, stderr.String())
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
	stderr.Reset()
	if code := run([]string{"-os", "plan9", "-bin", "x"}, &stdout, &stderr); code != 2 {
		t.Errorf("plan9: exit %d", code)
	}
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "FyneApp.toml"), []byte("[Details]\n  Name = \"Till\"\n  ID = \"a.b\"\n  Icon = \"i.png\"\n  Version = \"1.0\"\n"), 0o644)
	stderr.Reset()
	if code := run([]string{"-bin", "x", "-src", src}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "MAJOR.MINOR.PATCH") {
		t.Errorf("bad version: exit %d %s", code, stderr.String())
	}
}

// tarFile is a file or folder of a tar.
type tarFile struct {
	mode int64
	data []byte
}

// untarXz reads a tar.xz through xz.
func untarXz(t *testing.T, path string) map[string]tarFile {
	t.Helper()
	raw, err := exec.Command("xz", "--decompress", "--stdout", path).Output()
	if err != nil {
		t.Fatalf("xz: %v", err)
	}
	tr := tar.NewReader(bytes.NewReader(raw))
	files := map[string]tarFile{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		files[h.Name] = tarFile{mode: h.Mode, data: b}
	}
}
