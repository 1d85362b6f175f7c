// Command till is Till (收银台), a touchscreen point-of-sale terminal.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/till-pos/till/app"
	"github.com/till-pos/till/app/auditcli"
	"github.com/till-pos/till/app/backupcli"
	"github.com/till-pos/till/app/diag"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "diag" {
		os.Exit(diag.Run(os.Args[2:], os.Stdout))
	}
	if len(os.Args) > 1 && os.Args[1] == "audit" {
		os.Exit(auditcli.Run(os.Args[2:], os.Stdout))
	}
	if len(os.Args) > 1 && (os.Args[1] == "backup" || os.Args[1] == "restore") {
		os.Exit(backupcli.Run(os.Args[1] == "restore", os.Args[2:], os.Stdin, os.Stdout))
	}
	db := flag.String("db", "", "SQLite database `path` (default: till.db in the user's config directory)")
	keys := flag.String("keys", "", "owner-only `folder` of the device keys, outside the database's folder (default: till-keys in the user's config directory)")
	newKey := flag.Bool("new-key", false, "make a new device key when this database's key is lost (fingers must then be enrolled and cards linked again)")
	lng := flag.String("lang", "", "interface language: zh or en (default: the stored choice, else zh)")
	demo := flag.Bool("demo", false, "demo mode: seeded catalog, demo operator, simulated devices and acquirer")
	acq := flag.String("acquirer", "", "acquirer host `HOST:PORT` (default in demo mode: a simulated host in-process)")
	scan := flag.String("scanner", "", "serial barcode scanner `PORT` (/dev/ttyUSB0, COM3; default: the one set in Settings)")
	size := flag.String("size", "", "window `WIDTHxHEIGHT` (default 1280x800)")
	full := flag.Bool("fullscreen", false, "fill the screen, as on a tablet")
	training := flag.Bool("training", false, "training mode: the first person allowed who signs in practises on a training database; nothing is counted")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println("till", version)
		return
	}
	if *lng != "" && *lng != "zh" && *lng != "en" {
		fmt.Fprintf(os.Stderr, "till: -lang must be zh or en, not %q\n", *lng)
		os.Exit(2)
	}
	if *training && *demo {
		fmt.Fprintln(os.Stderr, "till: -training is for a shop's till; the demo is practice already")
		os.Exit(2)
	}
	opts := app.Options{DBPath: *db, KeysDir: *keys, NewKey: *newKey, Lang: *lng, Demo: *demo, Acquirer: *acq, Scanner: *scan, Version: version,
		FullScreen: *full, Training: *training}
	if *size != "" {
		s, err := app.ParseWindowSize(*size)
		if err != nil {
			fmt.Fprintln(os.Stderr, "till: -size:", err)
			os.Exit(2)
		}
		opts.WindowSize = s
	}
	if err := app.Run(opts); err != nil {
		fmt.Fprintln(os.Stderr, "till:", err)
		os.Exit(1)
	}
}
