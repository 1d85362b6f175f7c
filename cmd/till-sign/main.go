// Command till-sign makes the Ed25519 key pair of a shop's update channel
// and publishes a version of Till on it: it writes manifest.json, which
// gives the package's version, platform, size, SHA-256 and notes, and
// manifest.json.sig, the key's signature of it. It runs on the publisher's
// computer, never on a till: the private key stays there.
//
//	till-sign -genkey -key update.key -pub update.pub
//	till-sign -key update.key -version 0.2.0 -build 2 -os windows -arch amd64 \
//	    -notes-en "Faster receipts" -notes-zh "小票打印更快" -out site/ site/till-0.2.0.exe
//
// Serve the -out folder and the package at the same place; put the URL of
// manifest.json and the content of update.pub in the till's settings.
package main

import (
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/till-pos/till/services/update"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is till-sign with the arguments args; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("till-sign", flag.ContinueOnError)
	fs.SetOutput(stderr)
	genkey := fs.Bool("genkey", false, "make a new key pair: -key gets the private key (0600), -pub the public one")
	keyPath := fs.String("key", "update.key", "the private signing key `file`")
	pubPath := fs.String("pub", "update.pub", "with -genkey: the public key `file`, for the tills' settings")
	version := fs.String("version", "", "the package's semantic `version` (0.2.0)")
	build := fs.Int64("build", 0, "the build `number`")
	goos := fs.String("os", runtime.GOOS, "the package's system (a GOOS)")
	goarch := fs.String("arch", runtime.GOARCH, "the package's processor (a GOARCH)")
	notesEN := fs.String("notes-en", "", "what changed, in English")
	notesZH := fs.String("notes-zh", "", "what changed, in Simplified Chinese")
	pkgURL := fs.String("url", "", "the package's `URL`, relative to manifest.json (default: the package's file name)")
	out := fs.String("out", "", "the `folder` for manifest.json and its signature (default: the package's)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *genkey {
		if fs.NArg() != 0 {
			fmt.Fprintln(stderr, "till-sign: -genkey takes no package")
			return 2
		}
		pub, err := update.GenerateKey(*keyPath, *pubPath)
		if err != nil {
			fmt.Fprintln(stderr, "till-sign:", err)
			return 1
		}
		fmt.Fprintf(stdout, "private key: %s (keep it off the tills, backed up offline)\npublic key:  %s, for the tills' settings:\n%s\n",
			*keyPath, *pubPath, base64.StdEncoding.EncodeToString(pub))
		return 0
	}
	if fs.NArg() != 1 || *version == "" {
		fmt.Fprintln(stderr, "till-sign: give -version and one package file; or -genkey")
		fs.Usage()
		return 2
	}
	notes := map[string]string{}
	if *notesEN != "" {
		notes["en"] = *notesEN
	}
	if *notesZH != "" {
		notes["zh-CN"] = *notesZH
	}
	if len(notes) == 0 {
		fmt.Fprintln(stderr, "till-sign: say what changed with -notes-en and -notes-zh")
		return 2
	}
	priv, err := update.LoadPrivateKey(*keyPath)
	if err != nil {
		fmt.Fprintln(stderr, "till-sign:", err)
		return 1
	}
	pkg := fs.Arg(0)
	dir := *out
	if dir == "" {
		dir = filepath.Dir(pkg)
	}
	m, err := update.Publish(priv, update.Release{Version: *version, Build: *build, OS: *goos, Arch: *goarch,
		Package: pkg, URL: *pkgURL, Notes: notes, Published: time.Now()}, dir)
	if err != nil {
		fmt.Fprintln(stderr, "till-sign:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s %s/%s, %d bytes, sha256 %s\n%s\n%s\n", m.Version, m.OS, m.Arch, m.Size, m.SHA256,
		filepath.Join(dir, update.ManifestFile), filepath.Join(dir, update.SignatureFile))
	return 0
}
