// Command till-package lays out a built Till for installers: for Linux a
// tar.xz with the binary, its icon, a desktop entry, udev rules for the
// serial devices and printers, a Makefile that installs them, and the
// installation notes; for Windows a zip with the executable (its icon and
// version information already in it: `fyne package -os windows`) and the
// same notes. The name, application ID and version come from FyneApp.toml.
// Entries carry one fixed time (SOURCE_DATE_EPOCH when set), so the same
// inputs make the same bytes.
//
//	till-package -os linux -bin bin/till -out dist
//	till-package -os windows -bin bin/till.exe -out dist
//
// It prints the package's path.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is till-package with the arguments args; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("till-package", flag.ContinueOnError)
	fs.SetOutput(stderr)
	goos := fs.String("os", "linux", "the package's `system`: linux or windows")
	arch := fs.String("arch", "amd64", "the binary's `architecture`")
	bin := fs.String("bin", "", "the built binary's `path`")
	src := fs.String("src", ".", "the source `folder`: FyneApp.toml, resources/icon.png, docs/install.md, docs/60-till.rules")
	out := fs.String("out", "dist", "the `folder` the package is written to")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *bin == "" || (*goos != "linux" && *goos != "windows") {
		fmt.Fprintln(stderr, "till-package: -bin is required and -os must be linux or windows")
		return 2
	}
	meta, err := readAppMetadata(*src)
	if err != nil {
		fmt.Fprintln(stderr, "till-package:", err)
		return 1
	}
	when := time.Unix(0, 0).UTC()
	if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		var sec int64
		if _, err := fmt.Sscan(epoch, &sec); err != nil {
			fmt.Fprintln(stderr, "till-package: SOURCE_DATE_EPOCH is not a number of seconds:", epoch)
			return 2
		}
		when = time.Unix(sec, 0).UTC()
	}
	p := pkg{meta: meta, os: *goos, arch: *arch, bin: *bin, src: *src, when: when}
	path, err := p.write(*out)
	if err != nil {
		fmt.Fprintln(stderr, "till-package:", err)
		return 1
	}
	fmt.Fprintln(stdout, path)
	return 0
}
