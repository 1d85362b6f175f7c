package app

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/emv/emvcard"
	"github.com/till-pos/till/screens"
	"github.com/till-pos/till/services/secrets"
)

// copyFile copies the file from to to.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// packBCD packs digits two to a byte, as a card's PAN (tag 5A) is.
func packBCD(digits string) []byte {
	b, _ := hex.DecodeString(digits[:len(digits)&^1])
	return b
}

// searchMiddle tries every middle digit in [from, to] between the first six
// and the last four of a 16-digit card number, keyed with key, for one
// whose token is token; it returns the number found or "".
func searchMiddle(key []byte, first6, last4, token string, from, to int) string {
	for m := from; m <= to; m++ {
		pan := fmt.Sprintf("%s%06d%s", first6, m, last4)
		if payments.CardToken(key, pan) == token {
			return pan
		}
	}
	return ""
}

// TestACopiedDataFolderGivesUpNoCardNumberNorFingerprint takes a card
// payment with the demo UnionPay card, on a demo Till whose members and
// staff have fingers enrolled and whose member has that card linked, then
// copies its data folder as a thief or a careless backup would: the
// database with its -wal and -shm while Till runs, and a backup of the
// database after it closes. No copied file holds the card number (as text
// or packed), its first six digits, the templates or the device key; the
// copy opened without the key store shows the last four digits and tokens
// only, and no key found in it reproduces a token or opens a template.
func TestACopiedDataFolderGivesUpNoCardNumberNorFingerprint(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	data, keys, stolen := filepath.Join(root, "data"), filepath.Join(root, "keys"), filepath.Join(root, "stolen")
	till, err := Start(test.NewTempApp(t), Options{DBPath: filepath.Join(data, "till.db"), KeysDir: keys, Lang: "en", Demo: true, inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { till.Close() })
	till.Window().Resize(WindowSize)
	if err := till.host.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	w := till.Window()
	scan(w, colaCode)
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥7.00", "Card", "Tap demo card: UnionPay")
	if !shownText(w, "**** **** **** 1232") {
		t.Fatal("the receipt does not show the card's last four digits")
	}
	pay := todaysOrders(t, till)[0].Payments[0]
	pan := emvcard.UnionPayDebit().PAN
	first6, middle, last4 := pan[:6], pan[6:12], pan[12:]
	if len(pan) != 16 || pay.MaskedPAN != "**** **** **** "+last4 || pay.Scheme != "unionpay" {
		t.Fatalf("card payment kept: %+v", pay)
	}
	// With the key (which the key store has, and the copy will not) the
	// token is the card number's, the member's linked card is found by
	// it, and the templates open.
	key, err := till.keys.DeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	if payments.CardToken(key, pan) != pay.CardToken {
		t.Fatal("the token is not the keyed hash of the card number")
	}
	if m, err := till.Store().MemberByCardToken(ctx, pay.CardToken); err != nil || m.Name != "张伟" {
		t.Fatalf("the member who linked the card: %+v %v", m, err)
	}
	fps, err := till.Store().Fingerprints(ctx)
	if err != nil || len(fps) < 3 {
		t.Fatalf("enrolled fingers: %d %v", len(fps), err)
	}
	var templates [][]byte
	for _, fp := range fps {
		tpl, err := models.OpenTemplate(key, fp.Sealed, fp.PageID)
		if err != nil {
			t.Fatal(err)
		}
		templates = append(templates, tpl)
	}

	// The copy: the live folder, then a backup of the closed database.
	if err := os.Mkdir(stolen, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(data)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		copyFile(t, filepath.Join(data, e.Name()), filepath.Join(stolen, e.Name()))
		names = append(names, e.Name())
	}
	if !strings.Contains(strings.Join(names, " "), "till.db-wal") {
		t.Fatalf("copied %v: no WAL while Till runs", names)
	}
	till.Close()
	copyFile(t, filepath.Join(data, "till.db"), filepath.Join(stolen, "till-backup.db"))

	// No copied file holds the card number, its first six, a template or
	// the key; none is a key file.
	patterns := map[string][]byte{
		"the card number": []byte(pan), "the card number packed": packBCD(pan),
		"the first six and last four": []byte(first6 + last4), "the first six masked": []byte(first6 + "******" + last4),
		"the first six digits": []byte(first6), "the first six packed": packBCD(first6),
		"the device key": key, "the device key in hex": []byte(hex.EncodeToString(key)),
		"the device key in HEX": []byte(strings.ToUpper(hex.EncodeToString(key))),
	}
	for i, tpl := range templates {
		patterns[fmt.Sprintf("template %d", i)] = tpl
		patterns[fmt.Sprintf("template %d's first 16 bytes", i)] = tpl[:16]
	}
	copied, err := os.ReadDir(stolen)
	if err != nil {
		t.Fatal(err)
	}
	var candidates [][]byte // every key the copy could hold
	for _, e := range copied {
		b, err := os.ReadFile(filepath.Join(stolen, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for what, p := range patterns {
			if bytes.Contains(b, p) {
				t.Errorf("%s holds %s", e.Name(), what)
			}
		}
		if len(b) == 32 || strings.HasSuffix(e.Name(), ".key") {
			t.Errorf("%s (%d bytes) looks like a key file", e.Name(), len(b))
		}
		candidates = append(candidates, b)
	}
	if len(copied) < 4 {
		t.Fatalf("looked at %d files", len(copied))
	}

	// The copy opened without the key store.
	s, err := models.Open(filepath.Join(stolen, "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	from := time.Now().Add(-24 * time.Hour)
	orders, err := s.OrdersBetween(ctx, "T01", from, from.Add(48*time.Hour))
	if err != nil || len(orders) != 1 {
		t.Fatalf("orders in the copy: %d %v", len(orders), err)
	}
	token := orders[0].Payments[0].CardToken
	if orders[0].Payments[0].MaskedPAN != "**** **** **** "+last4 || token != pay.CardToken {
		t.Fatalf("the copy's payment: %+v", orders[0].Payments[0])
	}
	if found, err := s.FindOrders(ctx, "T01", from, from.Add(48*time.Hour), last4, 10); err != nil || len(found) != 1 {
		t.Fatalf("found by the last four: %d %v", len(found), err)
	}
	sealed, err := s.Fingerprints(ctx)
	if err != nil || len(sealed) != len(fps) {
		t.Fatalf("sealed fingers in the copy: %d %v", len(sealed), err)
	}
	id, err := s.Setting(ctx, "device_key_id", "")
	if err != nil || id == "" {
		t.Fatalf("key ID %q %v", id, err)
	}
	idBytes, _ := hex.DecodeString(id)
	candidates = append(candidates, []byte(id), idBytes)

	// No key found in the copy gives the token of the card number, opens
	// a template, or finds the card among its neighbours; the device key
	// does (the search works when the key is there), so only the key,
	// kept apart, stands between a copy and the card number. (Without
	// the first six, the real search is 10^6 issuers × 10^6 middles, and
	// every try needs the key.)
	mid, _ := strconv.Atoi(middle)
	lo, hi := max(0, mid-50), min(999999, mid+50)
	if got := searchMiddle(key, first6, last4, token, lo, hi); got != pan {
		t.Fatalf("with the device key the search finds %q", got)
	}
	for i, c := range candidates {
		if payments.CardToken(c, pan) == token || searchMiddle(c, first6, last4, token, lo, hi) != "" {
			t.Errorf("candidate %d (%d bytes) reproduces the token", i, len(c))
		}
		for _, fp := range sealed {
			if _, err := models.OpenTemplate(c, fp.Sealed, fp.PageID); err == nil {
				t.Errorf("candidate %d (%d bytes) opens template %d", i, len(c), fp.PageID)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(stolen, secrets.LegacyKeyFile)); !os.IsNotExist(err) {
		t.Errorf("the copy has a %s", secrets.LegacyKeyFile)
	}
}

// TestAnOlderTillsDeviceKeyMovesOutOfTheDataFolder starts Till on a data
// folder as an older Till left it, with device.key beside the database, a
// fingerprint sealed and a member's card token keyed with it: the key
// moves to the key folder, the old file goes, and what it sealed and keyed
// still opens and matches, at this start and the next.
func TestAnOlderTillsDeviceKeyMovesOutOfTheDataFolder(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	data, keys := filepath.Join(root, "data"), filepath.Join(root, "keys")
	os.Mkdir(data, 0o700)
	db := filepath.Join(data, "till.db")
	old := bytes.Repeat([]byte("old key!"), 4)
	if err := os.WriteFile(filepath.Join(data, secrets.LegacyKeyFile), old, 0o600); err != nil {
		t.Fatal(err)
	}
	pan := emvcard.UnionPayDebit().PAN
	tpl := bytes.Repeat([]byte{1, 2, 3, 4}, 128)
	s, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	op, err := s.EnsureOperator(ctx, models.Operator{Name: "王经理", Role: models.RoleManager, Active: true}, "583920")
	if err != nil {
		t.Fatal(err)
	}
	mem, err := s.AddMember(ctx, "王芳", "13912345678", op, "T01")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LinkCard(ctx, mem.ID, payments.CardToken(old, pan), op, "T01"); err != nil {
		t.Fatal(err)
	}
	sealed, err := models.SealTemplate(old, tpl, 7)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveFingerprint(ctx, &models.Fingerprint{OwnerKind: "member", OwnerID: mem.ID, PageID: 7, Sealed: sealed,
		ConsentAt: time.Now(), ConsentBy: mem.Name, Purpose: "pay"}, "T01"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	setUpShop(t, db, "测试店")

	for start := 1; start <= 2; start++ {
		till, err := Start(test.NewTempApp(t), Options{DBPath: db, KeysDir: keys, Lang: "en", inlineUI: true})
		if err != nil {
			t.Fatalf("start %d: %v", start, err)
		}
		key, err := till.keys.DeviceKey()
		if err != nil || !bytes.Equal(key, old) || !strings.HasPrefix(till.keys.Where(), keys) {
			t.Fatalf("start %d: key %q from %s: %v", start, key, till.keys.Where(), err)
		}
		if _, err := os.Stat(filepath.Join(data, secrets.LegacyKeyFile)); !os.IsNotExist(err) {
			t.Fatalf("start %d: device.key is still in the data folder", start)
		}
		if m, err := till.Store().MemberByCardToken(ctx, payments.CardToken(key, pan)); err != nil || m.ID != mem.ID {
			t.Fatalf("start %d: the linked card: %+v %v", start, m, err)
		}
		fp, err := till.Store().FingerprintByPage(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := models.OpenTemplate(key, fp.Sealed, fp.PageID); err != nil || !bytes.Equal(got, tpl) {
			t.Fatalf("start %d: the template: %v", start, err)
		}
		till.Close()
	}
}

// TestStartRefusesKeysInTheDataFolder: a key folder inside the data
// folder, or a key that the database had and that is missing, stops the
// start with a message in the shop's language.
func TestStartRefusesKeysInTheDataFolder(t *testing.T) {
	root := t.TempDir()
	db := filepath.Join(root, "data", "till.db")
	a := test.NewTempApp(t)
	_, err := Start(a, Options{DBPath: db, KeysDir: filepath.Join(root, "data", "keys"), Lang: "zh", inlineUI: true})
	if msg := screens.Message(err); !strings.Contains(msg, "密钥文件夹") || !strings.Contains(msg, "-keys") {
		t.Fatalf("keys in the data folder: %q (%v)", msg, err)
	}
	till, err := Start(a, Options{DBPath: db, KeysDir: filepath.Join(root, "keys"), Lang: "en", inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	till.Close()
	_, err = Start(a, Options{DBPath: db, KeysDir: filepath.Join(root, "other-keys"), Lang: "en", inlineUI: true})
	if msg := screens.Message(err); !strings.Contains(msg, "device key is not in") || !strings.Contains(msg, "-new-key") {
		t.Fatalf("a missing key: %q (%v)", msg, err)
	}
}
