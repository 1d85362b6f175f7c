package app

import (
	"context"
	"errors"
	"strconv"

	"fyne.io/fyne/v2"

	"github.com/till-pos/till/devices/scanner"
	"github.com/till-pos/till/services/ports"
)

// startScanner opens the serial barcode scanner named by -scanner or in the
// settings, and hands each code it reads to the screen shown: a product's
// barcode while selling, a customer's payment code on the QR screen. A
// scanner that cannot be opened, or is unplugged, is logged and left off;
// the keyboard still works.
func (t *Till) startScanner(ctx context.Context) {
	port := t.opts.Scanner
	if port == "" {
		var err error
		if port, err = t.store.Setting(ctx, ports.SettingScanner, ""); err != nil || port == "" {
			return
		}
	}
	baudText, _ := t.store.Setting(ctx, ports.SettingScannerBaud, "9600")
	baud, err := strconv.Atoi(baudText)
	if err != nil {
		baud = scanner.DefaultBaud
	}
	do := t.ui.Do
	if err := t.openScanner(scanner.Config{Port: port, Baud: baud}, func(code string) {
		do(func() { t.scanned(code) })
	}); err != nil {
		fyne.LogError("app: barcode scanner "+port, err)
	}
}

// scanned gives a scanned code to the screen shown, unless no one is
// signed in or the till is locked.
func (t *Till) scanned(code string) {
	if t.shell != nil && t.login == nil && t.lock.screen == nil {
		t.shell.Scanned(code)
	}
}

// openScanner opens the scanner on cfg and calls deliver, from its own
// goroutine, with each code until it is closed or unplugged.
func (t *Till) openScanner(cfg scanner.Config, deliver func(code string)) error {
	sc, err := scanner.Open(cfg)
	if err != nil {
		return err
	}
	t.scanner = sc
	go func() {
		for code := range sc.Codes() {
			deliver(code)
		}
		if err := sc.Err(); err != nil && !errors.Is(err, scanner.ErrClosed) {
			fyne.LogError("app: barcode scanner "+cfg.Port, err)
		}
	}()
	return nil
}
