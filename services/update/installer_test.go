package update_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/update"
)

// closeDay takes terminal T01's Z report, by owner, through a shift.
func closeDay(t *testing.T, s *models.Store, owner models.Operator) {
	t.Helper()
	ctx, now := context.Background(), time.Now()
	if _, err := s.OpenShift(ctx, "T01", owner, 0, nil, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseShift(ctx, models.ShiftClose{TerminalID: "T01", Operator: owner, Now: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseDay(ctx, "T01", owner, now); err != nil {
		t.Fatal(err)
	}
}

// TestInstallerAtCloseOfDay: the owner's channel offers a version, which
// is remembered; installing it is refused to a manager, before the day is
// closed and during a sale; once the day is closed it replaces the target
// (a copy, never the test binary), keeps the old one, is audited, and the
// offer is gone.
func TestInstallerAtCloseOfDay(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	owner, err := s.EnsureOperator(ctx, models.Operator{Name: "王老板", Role: models.RoleOwner, Active: true}, "582931")
	if err != nil {
		t.Fatal(err)
	}
	mgr, err := s.EnsureOperator(ctx, models.Operator{Name: "店长", Role: models.RoleManager, Active: true}, "8888")
	if err != nil {
		t.Fatal(err)
	}
	c := newChannel(t)
	pub, priv := newKey(t)
	pkg := bytes.Repeat([]byte("new till binary "), 10000)
	c.files["/channel/pkg"] = pkg
	c.publish(t, priv, manifestFor("0.2.0", pkg))
	target := filepath.Join(t.TempDir(), "till")
	if err := os.WriteFile(target, []byte("old till binary"), 0o755); err != nil {
		t.Fatal(err)
	}
	selling := false
	in := &update.Installer{Store: s, TerminalID: "T01", Current: "0.1.0", Target: target, Client: c.srv.Client(),
		SaleInProgress: func() bool { return selling }}

	if _, _, ok := in.Offered("en"); ok {
		t.Fatal("offered before any check")
	}
	if _, err := in.Check(ctx); !errors.Is(err, update.ErrConfig) {
		t.Fatalf("no channel: %v", err)
	}
	key := base64.StdEncoding.EncodeToString(pub)
	if err := in.SetChannel(ctx, c.srv.URL+"/channel/manifest.json", key, mgr); !models.IsDenied(err) {
		t.Fatalf("a manager set the channel: %v", err)
	}
	if err := in.SetChannel(ctx, c.srv.URL+"/channel/manifest.json", key, owner); err != nil {
		t.Fatal(err)
	}
	u, fp, err := in.Channel(ctx)
	if err != nil || u != c.srv.URL+"/channel/manifest.json" || fp != models.KeyFingerprint(pub) {
		t.Fatalf("channel %q %q %v", u, fp, err)
	}
	v, notes, err := in.CheckNow(ctx, "zh")
	if err != nil || v != "0.2.0" || notes != "小票打印更快" {
		t.Fatalf("check: %q %q %v", v, notes, err)
	}
	if v, notes, ok := in.Offered("en"); !ok || v != "0.2.0" || notes != "Faster receipts" {
		t.Fatalf("offered %q %q %v", v, notes, ok)
	}

	refused := func(by models.Operator, want error) {
		t.Helper()
		var steps int
		err := in.Install(ctx, "0.2.0", by, func(done, total int64) { steps++ })
		if !errors.Is(err, want) && !(want == nil && models.IsDenied(err)) {
			t.Fatalf("install: %v, want %v", err, want)
		}
		var m *models.Error
		if !errors.As(err, &m) || m.Key == "" {
			t.Errorf("no message for a person: %v", err)
		}
		if b, _ := os.ReadFile(target); string(b) != "old till binary" || steps != 0 {
			t.Fatalf("refused, yet %d bytes downloaded or the target changed", steps)
		}
	}
	refused(mgr, nil)
	refused(owner, update.ErrDayOpen)
	closeDay(t, s, owner)
	selling = true
	refused(owner, update.ErrSaleInProgress)
	selling = false

	// Cancelled during the download: nothing is left or changed.
	cctx, cancel := context.WithCancel(ctx)
	err = in.Install(cctx, "0.2.0", owner, func(done, total int64) { cancel() })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "old till binary" {
		t.Fatal("a cancelled install changed the target")
	}

	var last int64
	if err := in.Install(ctx, "0.2.0", owner, func(done, total int64) { last = done }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); !bytes.Equal(b, pkg) || last != int64(len(pkg)) {
		t.Fatalf("target not replaced (%d bytes), progress %d", len(b), last)
	}
	if b, _ := os.ReadFile(target + ".old"); string(b) != "old till binary" {
		t.Fatal("the old binary was not kept")
	}
	es, _ := s.AuditEntries(ctx, models.ActionUpdateInstall)
	if len(es) != 1 || es[0].Detail != "from=0.1.0 to=0.2.0" || es[0].OperatorID != owner.ID {
		t.Fatalf("audit %+v", es)
	}
	if _, _, ok := in.Offered("en"); ok || in.Installed() != "0.2.0" {
		t.Fatal("still offered after the install")
	}
	if _, err := in.Check(ctx); !errors.Is(err, update.ErrNoUpdate) {
		t.Fatalf("checked again after installing: %v", err)
	}
	es2, _ := os.ReadDir(filepath.Dir(target))
	if len(es2) != 2 {
		t.Errorf("left beside the target: %v", es2)
	}
}
