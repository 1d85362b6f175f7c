package models

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

// TestOnlyAnOwnerSetsTheUpdateChannel: the store refuses a cashier and a
// manager (even one the matrix gives the shop's settings), stores and
// audits an owner's channel with the key's fingerprint, and refuses a bad
// address or key with a message for a person, storing nothing.
func TestOnlyAnOwnerSetsTheUpdateChannel(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	owner := Operator{ID: 3, Name: "老板", Role: RoleOwner}
	cash := Operator{ID: 1, Name: "收银员", Role: RoleCashier}
	onStaff(t, s, cash, manager, owner)
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	key := base64.StdEncoding.EncodeToString(pub)
	const u = "https://updates.example.com/till/linux-amd64/manifest.json"

	for _, op := range []Operator{cash, manager} {
		if err := s.SetUpdateChannel(ctx, u, key, op, "T01"); !IsDenied(err) {
			t.Errorf("%s set the channel: %v", op.Name, err)
		}
	}
	// A manager given the shop's settings still may not: only an owner.
	m := DefaultPermissions()
	m[RoleManager][PermSettingsShop] = true
	if err := s.SetPermissions(ctx, m, owner, "T01"); err != nil {
		t.Fatal(err)
	}
	err = s.SetUpdateChannel(ctx, u, key, manager, "T01")
	if e, ok := err.(*Error); !ok || e.Key != "error.update.owner_only" {
		t.Errorf("a manager with the shop's settings: %v", err)
	}
	// Someone who has left may do nothing.
	gone := Operator{ID: 99, Name: "走了", Role: RoleOwner}
	if err := s.SetUpdateChannel(ctx, u, key, gone, "T01"); !IsDenied(err) {
		t.Errorf("an owner not on the staff: %v", err)
	}
	if got, k, _ := s.UpdateChannel(ctx); got != "" || k != "" {
		t.Fatalf("refused changes stored %q %q", got, k)
	}
	if n, _ := s.CountAudit(ctx, ActionUpdateChannel); n != 0 {
		t.Fatalf("%d audit entries of refused changes", n)
	}

	// Bad input, refused with its message, even from an owner.
	for _, c := range []struct{ u, key, want string }{
		{"ftp://updates.example.com/manifest.json", key, "error.update.bad_url"},
		{"file:///etc/passwd", key, "error.update.bad_url"},
		{"updates.example.com/manifest.json", key, "error.update.bad_url"},
		{"https://user:secret@updates.example.com/manifest.json", key, "error.update.bad_url"},
		{u, "not base64!", "error.update.bad_key"},
		{u, base64.StdEncoding.EncodeToString(pub[:16]), "error.update.bad_key"},
		{u, "", "error.update.half_channel"},
		{"", key, "error.update.half_channel"},
	} {
		err := s.SetUpdateChannel(ctx, c.u, c.key, owner, "T01")
		e, ok := err.(*Error)
		if !ok || e.Key != c.want || e.Code != EINVALID || e.Fallback == "" {
			t.Errorf("%q %q: %v, want %s", c.u, c.key, err, c.want)
		}
	}

	// An owner's channel is stored and audited with the URL and the key's
	// fingerprint.
	if err := s.SetUpdateChannel(ctx, " "+u+" ", key+"\n", owner, "T01"); err != nil {
		t.Fatal(err)
	}
	gotURL, gotKey, err := s.UpdateChannel(ctx)
	if err != nil || gotURL != u || gotKey != key {
		t.Fatalf("stored %q %q %v", gotURL, gotKey, err)
	}
	sum := sha256.Sum256(pub)
	fp := hex.EncodeToString(sum[:])[:8]
	if KeyFingerprint(pub) != fp {
		t.Fatalf("fingerprint %s, want %s", KeyFingerprint(pub), fp)
	}
	es, err := s.AuditEntries(ctx, ActionUpdateChannel)
	if err != nil || len(es) != 1 {
		t.Fatalf("audit %+v %v", es, err)
	}
	if es[0].OperatorID != owner.ID || es[0].Subject != "key "+fp || es[0].Detail != u || strings.Contains(es[0].Detail, key) {
		t.Errorf("audit entry %+v", es[0])
	}
	// Cleared by an owner: both empty.
	if err := s.SetUpdateChannel(ctx, "", "", owner, "T01"); err != nil {
		t.Fatal(err)
	}
	if gotURL, gotKey, _ := s.UpdateChannel(ctx); gotURL != "" || gotKey != "" {
		t.Fatalf("cleared: %q %q", gotURL, gotKey)
	}
}

// TestUpdateInstallIsAuditedForTheAllowed: installing is recorded with its
// versions for whoever holds the shop's settings, and refused to others.
func TestUpdateInstallIsAuditedForTheAllowed(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	owner := Operator{ID: 3, Name: "老板", Role: RoleOwner}
	onStaff(t, s, manager, owner)
	if err := s.MayInstallUpdate(ctx, manager); !IsDenied(err) {
		t.Errorf("a manager may install: %v", err)
	}
	if err := s.AuditUpdateInstall(ctx, "0.1.0", "0.2.0", manager, "T01"); !IsDenied(err) {
		t.Errorf("a manager's install audited: %v", err)
	}
	if err := s.MayInstallUpdate(ctx, owner); err != nil {
		t.Fatal(err)
	}
	if err := s.AuditUpdateInstall(ctx, "0.1.0", "0.2.0", owner, "T01"); err != nil {
		t.Fatal(err)
	}
	es, _ := s.AuditEntries(ctx, ActionUpdateInstall)
	if len(es) != 1 || es[0].Detail != "from=0.1.0 to=0.2.0" || es[0].OperatorID != owner.ID {
		t.Fatalf("audit %+v", es)
	}
}

// TestDayClosed: the day is closed once its Z report is taken, until a
// shift opens or anything is sold in the next.
func TestDayClosed(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	owner := Operator{ID: 3, Name: "老板", Role: RoleOwner}
	onStaff(t, s, owner)
	closed := func() bool {
		t.Helper()
		c, err := s.DayClosed(ctx, "T01")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if closed() {
		t.Fatal("closed before any Z report")
	}
	now := time.Now()
	if _, err := s.OpenShift(ctx, "T01", owner, 0, nil, now); err != nil {
		t.Fatal(err)
	}
	if closed() {
		t.Fatal("closed with a shift open")
	}
	if _, err := s.CloseShift(ctx, ShiftClose{TerminalID: "T01", Operator: owner, Count: CashCount{}, Now: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseDay(ctx, "T01", owner, now); err != nil {
		t.Fatal(err)
	}
	if !closed() {
		t.Fatal("not closed after the Z report")
	}
	if _, err := s.OpenShift(ctx, "T01", owner, 0, nil, now); err != nil {
		t.Fatal(err)
	}
	if closed() {
		t.Fatal("closed with the next day's shift open")
	}
}
