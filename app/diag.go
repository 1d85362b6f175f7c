package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"time"

	"github.com/till-pos/till/devices/nfc"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/emv"
)

// Diag runs `till diag DEVICE [flags]`: a check of a device for installers,
// with no window. It returns the process's exit code.
func Diag(args []string, out io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(out, "usage: till diag nfc [-reader NAME] [-timeout 30s]")
		return 2
	}
	switch args[0] {
	case "nfc":
		return diagNFC(args[1:], out)
	}
	fmt.Fprintf(out, "till diag: unknown device %q (known: nfc)\n", args[0])
	return 2
}

// diagNFC lists the PC/SC readers, waits for a tap on one and reads the
// card as a payment would, printing what it found: never the full number.
func diagNFC(args []string, out io.Writer) int {
	fs := flag.NewFlagSet("till diag nfc", flag.ContinueOnError)
	fs.SetOutput(out)
	reader := fs.String("reader", "", "reader `NAME` (default: the first one)")
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait for a tap")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	svc, err := nfc.Open()
	if err != nil {
		fmt.Fprintln(out, "PC/SC:", err)
		return 1
	}
	defer svc.Close()
	names, err := svc.Readers()
	if err != nil && !errors.Is(err, nfc.ErrNoReader) {
		fmt.Fprintln(out, "readers:", err)
		return 1
	}
	fmt.Fprintf(out, "readers (%d):\n", len(names))
	for _, n := range names {
		fmt.Fprintln(out, "  "+n)
	}
	if *reader == "" {
		if len(names) == 0 {
			fmt.Fprintln(out, "no reader connected")
			return 1
		}
		*reader = names[0]
	}
	fmt.Fprintf(out, "tap a card on %q (waiting up to %s)...\n", *reader, *timeout)
	card, err := svc.WaitForCard(ctx, *reader)
	if err != nil {
		fmt.Fprintln(out, "wait for card:", err)
		return 1
	}
	defer card.Close()
	start := time.Now()
	cfg := emv.DefaultConfig()
	cfg.ContactlessLimit = 0
	read, err := emv.Read(ctx, card, cfg, emv.Transaction{Amount: 1, Currency: "156", Date: time.Now()})
	took := time.Since(start)
	if err != nil {
		var me *models.Error
		if errors.As(err, &me) {
			fmt.Fprintf(out, "read failed: %s (%s)\n", me.Fallback, err)
		} else {
			fmt.Fprintln(out, "read failed:", err)
		}
		return 1
	}
	defer read.Wipe()
	fmt.Fprintf(out, "scheme:  %s\naid:     %s\nlabel:   %s\ncard:    %s\nexpiry:  %s\napdus:   %d\ntime:    %s\n",
		read.Scheme, read.AID, read.Label, read.Masked(), read.Expiry, read.APDUs, took.Round(time.Millisecond))
	return 0
}
