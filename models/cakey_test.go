package models

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// TestCAKeysReplacedWholeByWhoMay: the table a shop loads replaces the one
// before, keys and revocations together, only for a person with the
// payment settings permission once the setup has ended, and the change is
// audited with the keys' names.
func TestCAKeysReplacedWholeByWhoMay(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	first := CAKeyTable{Keys: []CAPublicKey{
		{RID: "A000000333", Index: 0x08, Modulus: bytes.Repeat([]byte{0xC1}, 144), Exponent: []byte{3}, Checksum: "EE23", Expiry: time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC)},
		{RID: "A000000003", Index: 0x92, Modulus: bytes.Repeat([]byte{0xC2}, 176), Exponent: []byte{3}, Checksum: "429C", Revoked: true},
	}, Revoked: []RevokedIssuer{{RID: "A000000333", Index: 0x08, Serial: "000123"}}}
	if err := s.ReplaceCAKeys(ctx, first, Operator{}, "T01"); err != nil {
		t.Fatalf("the setup loads the table: %v", err)
	}
	if err := s.SetSetting(ctx, SettingSetupDone, "1"); err != nil {
		t.Fatal(err)
	}
	owner := Operator{ID: 3, Name: "老板", Role: RoleOwner}
	onStaff(t, s, cashier, manager, owner)
	second := CAKeyTable{Keys: []CAPublicKey{{RID: "A000000333", Index: 0x09, Modulus: []byte{0xC3, 0x01}, Exponent: []byte{1, 0, 1}, Checksum: "A075"}}}
	for _, by := range []Operator{{}, cashier, manager} {
		if err := s.ReplaceCAKeys(ctx, second, by, "T01"); !IsDenied(err) {
			t.Fatalf("%s (%q) replaced the CA keys: %v", by.Name, by.Role, err)
		}
	}
	got, err := s.CAKeys(ctx)
	if err != nil || len(got.Keys) != 2 || len(got.Revoked) != 1 || got.Summary() != "A000000003 92 (revoked), A000000333 08" {
		t.Fatalf("after refused changes: %+v %v", got.Summary(), err)
	}
	if !bytes.Equal(got.Keys[1].Modulus, first.Keys[0].Modulus) || !got.Keys[1].Expiry.Equal(first.Keys[0].Expiry) || got.Revoked[0].Serial != "000123" {
		t.Fatalf("stored key: %+v", got.Keys[1])
	}
	if err := s.ReplaceCAKeys(ctx, second, owner, "T01"); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.CAKeys(ctx); got.Summary() != "A000000333 09" || len(got.Revoked) != 0 {
		t.Fatalf("after the owner's load: %q, %d revoked", got.Summary(), len(got.Revoked))
	}
	var audit []AuditEntry
	if err := s.db.Where("action = ?", "ca_keys").Order("id").Find(&audit).Error; err != nil {
		t.Fatal(err)
	}
	if len(audit) != 2 || audit[1].OperatorID != owner.ID || audit[1].Detail != "A000000333 09" {
		t.Fatalf("audit: %+v", audit)
	}
	// A test key never reaches a shop's database; a demo's takes it.
	test := CAKeyTable{Keys: []CAPublicKey{{RID: "A000000333", Index: 0xF1, Modulus: []byte{0xC4}, Exponent: []byte{3}, Checksum: "00", Test: true}}}
	if err := s.ClaimDatabase(ctx, DatabaseShop); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceCAKeys(ctx, test, owner, "T01"); errorKey(err) != "error.card.test_ca_key" {
		t.Fatalf("a test key in a shop's database: %v", err)
	}
	if got, _ = s.CAKeys(ctx); got.Summary() != "A000000333 09" {
		t.Fatalf("after a refused test key: %q", got.Summary())
	}
	demo := newTestStore(t)
	if err := demo.ClaimDatabase(ctx, DatabaseDemo); err != nil {
		t.Fatal(err)
	}
	if err := demo.ReplaceCAKeys(ctx, test, Operator{}, "T01"); err != nil {
		t.Fatalf("a test key in a demo's database: %v", err)
	}
}
