package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// pkg is one package to write.
type pkg struct {
	meta     appMetadata
	os, arch string
	bin, src string
	when     time.Time
}

// entry is a file of a package: its path inside the package's folder,
// mode and content (or the file to read it from).
type entry struct {
	name string
	mode int64
	data []byte
	from string
}

// base is the package's name without its extension, also its top folder:
// till-0.1.0-linux-amd64.
func (p pkg) base() string {
	return fmt.Sprintf("till-%s-%s-%s", p.meta.Version, p.os, p.arch)
}

// entries are the package's files.
func (p pkg) entries() []entry {
	notes := entry{name: "README-INSTALL.md", mode: 0o644, from: filepath.Join(p.src, "docs", "install.md")}
	if p.os == "windows" {
		return []entry{{name: "till.exe", mode: 0o755, from: p.bin}, notes}
	}
	icon := p.meta.ID + ".png"
	return []entry{
		{name: "usr/local/bin/till", mode: 0o755, from: p.bin},
		{name: "usr/local/share/applications/" + p.meta.ID + ".desktop", mode: 0o644, data: []byte(p.desktopEntry())},
		{name: "usr/local/share/pixmaps/" + icon, mode: 0o644, from: filepath.Join(p.src, p.meta.Icon)},
		{name: "udev/60-till.rules", mode: 0o644, from: filepath.Join(p.src, "docs", "60-till.rules")},
		{name: "Makefile", mode: 0o644, data: []byte(p.installMakefile())},
		notes,
	}
}

// desktopEntry is the Linux menu's entry for Till, in English and Chinese.
func (p pkg) desktopEntry() string {
	return strings.Join([]string{
		"[Desktop Entry]",
		"Type=Application",
		"Version=1.5",
		"Name=Till",
		"Name[zh_CN]=收银台",
		"GenericName=Point of sale",
		"GenericName[zh_CN]=收银系统",
		"Comment=Take payments by contactless card, QR code, fingerprint and cash",
		"Comment[zh_CN]=非接银行卡、二维码、指纹和现金收款",
		"Exec=till",
		"Icon=" + p.meta.ID,
		"Terminal=false",
		"Categories=Office;Finance;",
		"Keywords=POS;cashier;checkout;till;收银;",
		"StartupWMClass=till",
		"X-Till-Version=" + p.meta.Version,
		"",
	}, "\n")
}

// installMakefile installs the package's files for every user (sudo make
// install) or for one (make user-install), and the udev rules apart.
func (p pkg) installMakefile() string {
	return strings.ReplaceAll(`# Till `+p.meta.Version+`: see README-INSTALL.md.
PREFIX ?= /usr/local
ID := @ID@

default:
	@echo "sudo make install        installs Till for every user under $(PREFIX)"
	@echo "sudo make install-udev   lets the till's user reach serial scanners, fingerprint modules and USB printers"
	@echo "make user-install        installs Till for you alone under ~/.local"
	@echo "sudo make uninstall / make user-uninstall removes it"

install:
	install -Dm0755 usr/local/bin/till $(DESTDIR)$(PREFIX)/bin/till
	install -Dm0644 usr/local/share/applications/$(ID).desktop $(DESTDIR)$(PREFIX)/share/applications/$(ID).desktop
	install -Dm0644 usr/local/share/pixmaps/$(ID).png $(DESTDIR)$(PREFIX)/share/pixmaps/$(ID).png

install-udev:
	install -Dm0644 udev/60-till.rules $(DESTDIR)/etc/udev/rules.d/60-till.rules
	-udevadm control --reload-rules && udevadm trigger

uninstall:
	-rm -f $(DESTDIR)$(PREFIX)/bin/till $(DESTDIR)$(PREFIX)/share/applications/$(ID).desktop $(DESTDIR)$(PREFIX)/share/pixmaps/$(ID).png

user-install:
	install -Dm0755 usr/local/bin/till $(HOME)/.local/bin/till
	install -Dm0644 usr/local/share/pixmaps/$(ID).png $(HOME)/.local/share/icons/$(ID).png
	install -Dm0644 usr/local/share/applications/$(ID).desktop $(HOME)/.local/share/applications/$(ID).desktop
	sed -i -e "s,^Exec=till$$,Exec=$(HOME)/.local/bin/till," $(HOME)/.local/share/applications/$(ID).desktop

user-uninstall:
	-rm -f $(HOME)/.local/bin/till $(HOME)/.local/share/icons/$(ID).png $(HOME)/.local/share/applications/$(ID).desktop

.PHONY: default install install-udev uninstall user-install user-uninstall
`, "@ID@", p.meta.ID)
}

// write writes the package into folder out and returns its path. The
// package appears whole or not at all: it is written beside its name and
// renamed.
func (p pkg) write(out string) (string, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", fmt.Errorf("package folder: %w", err)
	}
	ext := ".tar.xz"
	if p.os == "windows" {
		ext = ".zip"
	}
	final := filepath.Join(out, p.base()+ext)
	tmp, err := os.CreateTemp(out, ".till-package-*")
	if err != nil {
		return "", fmt.Errorf("package: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if p.os == "windows" {
		err = p.writeZip(tmp)
	} else {
		err = p.writeTarXz(tmp)
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = tmp.Close()
	}
	if err == nil {
		err = os.Rename(tmp.Name(), final)
	}
	if err != nil {
		return "", fmt.Errorf("package %s: %w", final, err)
	}
	return final, nil
}

// content is e's bytes.
func (e entry) content() ([]byte, error) {
	if e.from == "" {
		return e.data, nil
	}
	b, err := os.ReadFile(e.from)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.name, err)
	}
	return b, nil
}

// writeTarXz writes the package as a tar compressed by xz (from xz-utils).
func (p pkg) writeTarXz(w io.Writer) error {
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	dirs := map[string]bool{}
	for _, e := range p.entries() {
		for d := path.Dir(path.Join(p.base(), e.name)); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	// Folders first, parents before children (sorted: a parent's name is
	// a prefix of its children's).
	var folders []string
	for d := range dirs {
		folders = append(folders, d)
	}
	sort.Strings(folders)
	for _, d := range folders {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: p.when,
			Uname: "root", Gname: "root", Format: tar.FormatPAX}); err != nil {
			return err
		}
	}
	for _, e := range p.entries() {
		b, err := e.content()
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: path.Join(p.base(), e.name), Mode: e.mode,
			Size: int64(len(b)), ModTime: p.when, Uname: "root", Gname: "root", Format: tar.FormatPAX}); err != nil {
			return err
		}
		if _, err := tw.Write(b); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	xz := exec.Command("xz", "--compress", "--stdout", "-6", "--threads=0")
	xz.Stdin, xz.Stdout = &raw, w
	var msg bytes.Buffer
	xz.Stderr = &msg
	if err := xz.Run(); err != nil {
		return fmt.Errorf("xz (from xz-utils): %w %s", err, strings.TrimSpace(msg.String()))
	}
	return nil
}

// writeZip writes the package as a zip, deflated.
func (p pkg) writeZip(w io.Writer) error {
	zw := zip.NewWriter(w)
	for _, e := range p.entries() {
		b, err := e.content()
		if err != nil {
			return err
		}
		h := &zip.FileHeader{Name: path.Join(p.base(), e.name), Method: zip.Deflate, Modified: p.when}
		h.SetMode(os.FileMode(e.mode))
		f, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := f.Write(b); err != nil {
			return err
		}
	}
	return zw.Close()
}
