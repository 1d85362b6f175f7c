package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/till-pos/till/services/update"
)

// TestGenkeySignAndCheck: a key pair is made with the private key readable
// by its owner only; a package signed with it is served and a till of an
// older version, holding the public key, is offered it and downloads it
// whole.
func TestGenkeySignAndCheck(t *testing.T) {
	dir := t.TempDir()
	key, pubFile := filepath.Join(dir, "update.key"), filepath.Join(dir, "update.pub")
	var out, errb bytes.Buffer
	if code := run([]string{"-genkey", "-key", key, "-pub", pubFile}, &out, &errb); code != 0 {
		t.Fatalf("genkey: %d %s", code, errb.String())
	}
	info, err := os.Stat(key)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("private key mode %v, want 0600", info.Mode().Perm())
	}
	pubText, err := os.ReadFile(pubFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), strings.TrimSpace(string(pubText))) {
		t.Errorf("the public key is not shown: %s", out.String())
	}
	if code := run([]string{"-genkey", "-key", key, "-pub", filepath.Join(dir, "other.pub")}, &out, &errb); code == 0 {
		t.Error("genkey overwrote a key")
	}

	site := filepath.Join(dir, "site")
	if err := os.Mkdir(site, 0o755); err != nil {
		t.Fatal(err)
	}
	pkg := filepath.Join(site, "till-0.2.0")
	body := bytes.Repeat([]byte("binary "), 1000)
	if err := os.WriteFile(pkg, body, 0o644); err != nil {
		t.Fatal(err)
	}
	errb.Reset()
	if code := run([]string{"-key", key, "-version", "0.2.0", "-build", "7", "-notes-en", "Faster receipts",
		"-notes-zh", "小票打印更快", pkg}, &out, &errb); code != 0 {
		t.Fatalf("sign: %d %s", code, errb.String())
	}

	srv := httptest.NewServer(http.FileServer(http.Dir(site)))
	defer srv.Close()
	pub, err := update.ParsePublicKey(string(pubText))
	if err != nil {
		t.Fatal(err)
	}
	ck := &update.Checker{URL: srv.URL + "/manifest.json", PublicKey: pub, Current: "0.1.0-dev", Client: srv.Client()}
	o, err := ck.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if o.Build != 7 || o.Note("zh-CN") != "小票打印更快" || o.PackageURL != srv.URL+"/till-0.2.0" {
		t.Errorf("offer %+v", o)
	}
	got, err := ck.Download(context.Background(), o, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(got); !bytes.Equal(b, body) {
		t.Error("downloaded another package")
	}

	// A till on 0.2.0 is not offered it again.
	ck.Current = "0.2.0"
	if _, err := ck.Check(context.Background()); !errors.Is(err, update.ErrNoUpdate) {
		t.Errorf("same version: %v", err)
	}
}

// TestSignRefusesBadInput: a key others can read, a bad version, no notes
// and no package are each refused, and no manifest is written.
func TestSignRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "update.key")
	var out, errb bytes.Buffer
	if code := run([]string{"-genkey", "-key", key, "-pub", filepath.Join(dir, "update.pub")}, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	pkg := filepath.Join(dir, "pkg")
	if err := os.WriteFile(pkg, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-key", key, "-version", "0.2", "-notes-en", "x", pkg},
		{"-key", key, "-version", "0.2.0", pkg},
		{"-key", key, "-version", "0.2.0", "-notes-en", "x", filepath.Join(dir, "none")},
		{"-key", key, "-version", "0.2.0", "-notes-en", "x", "-os", "Windows 11", pkg},
		{"-key", key, "-notes-en", "x"},
	} {
		if code := run(args, &out, &errb); code == 0 {
			t.Errorf("%v: signed", args)
		}
	}
	if runtime.GOOS != "windows" {
		if err := os.Chmod(key, 0o644); err != nil {
			t.Fatal(err)
		}
		errb.Reset()
		if code := run([]string{"-key", key, "-version", "0.2.0", "-notes-en", "x", pkg}, &out, &errb); code == 0 ||
			!strings.Contains(errb.String(), "readable by others") {
			t.Errorf("a key others can read was used: %d %s", code, errb.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, update.ManifestFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a manifest was written: %v", err)
	}
}
