package models

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"
)

func TestFingerprintsAreSealedAtRest(t *testing.T) {
	s := newTestStore(t)
	key := bytes.Repeat([]byte{7}, 32)
	tpl := bytes.Repeat([]byte("MINUTIAE"), 64) // 512 bytes
	sealed, err := SealTemplate(key, tpl, 3)
	if err != nil {
		t.Fatal(err)
	}
	fp := &Fingerprint{OwnerKind: "operator", OwnerID: 1, PageID: 3, Sealed: sealed, ConsentAt: time.Now(),
		ConsentBy: "王小明", Purpose: "staff login and approvals", EnrolledBy: 2}
	if err := s.SaveFingerprint(bg, fp, "T01"); err != nil {
		t.Fatal(err)
	}
	got, err := s.FingerprintByPage(bg, 3)
	if err != nil {
		t.Fatal(err)
	}
	open, err := OpenTemplate(key, got.Sealed, 3)
	if err != nil || !bytes.Equal(open, tpl) {
		t.Fatalf("open: %v", err)
	}
	if _, err := OpenTemplate(bytes.Repeat([]byte{8}, 32), got.Sealed, 3); !errors.Is(err, ErrSealed) {
		t.Fatalf("another key opened it: %v", err)
	}
	if _, err := OpenTemplate(key, got.Sealed, 4); !errors.Is(err, ErrSealed) {
		t.Fatalf("moved to another slot and still opened: %v", err)
	}
	if next, _ := s.NextFingerprintPage(bg); next != 0 {
		t.Fatalf("next page %d", next)
	}
	s.Close()
	for _, f := range []string{s.path, s.path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if bytes.Contains(b, []byte("MINUTIAE")) {
			t.Fatalf("%s holds the template in the clear", f)
		}
	}
}
