package setup_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/services/hostlink"
	"github.com/till-pos/till/services/setup"
)

// The two custodians' components of the tests' master key, and the key
// they make (their XOR).
const (
	component1 = "1111 2222 3333 4444 5555 6666 7777 8888"
	component2 = "0123456789abcdef0123456789abcdef"
	masterKey  = "1032 6745 BA98 89ab 5476 2301 fedc 4567"
)

// deviceKey is the tests' terminal device key.
var deviceKey = bytes.Repeat([]byte{0x5a}, 32)

// check is the check value of a key written in hex.
func check(t *testing.T, hexKey string) string {
	t.Helper()
	kcv, ok := acquirer.ComponentCheck(hexKey)
	if !ok {
		t.Fatalf("%q is not a key", hexKey)
	}
	return kcv
}

// link is an acquirer on loopback with the two components and their check
// values.
func link(t *testing.T) setup.Acquirer {
	return setup.Acquirer{Addr: "127.0.0.1:8583", TID: "12345678", MID: "898310012345678",
		Key1: component1, Check1: check(t, component1), Key2: component2, Check2: strings.ToLower(check(t, component2))}
}

func TestTheMasterKeyTheCustodiansTypeIsStoredSealed(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	su := setup.New(s, deviceKey)
	if err := su.SaveAcquirer(ctx, link(t), models.Operator{}); err != nil {
		t.Fatal(err)
	}
	want, _ := hex.DecodeString(strings.ReplaceAll(masterKey, " ", ""))
	if got, err := s.MasterKey(ctx, deviceKey); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("master key %x, %v; want the components' XOR %x", got, err, want)
	}
	if a, _ := su.Acquirer(ctx); a.KeyCheck != check(t, masterKey) || a.TID != "12345678" {
		t.Fatalf("read back: %+v", a)
	}
	// What the settings keep: neither the key nor a component, in either
	// case; another terminal's key does not open it.
	for _, k := range []string{models.SettingMasterKey, models.SettingMasterKeyCheck, hostlink.SettingTID, hostlink.SettingMID} {
		v, err := s.Setting(ctx, k, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{masterKey, component1, component2} {
			h := strings.ReplaceAll(secret, " ", "")
			if strings.Contains(strings.ToUpper(v), strings.ToUpper(h)) {
				t.Errorf("setting %s holds %s in clear: %q", k, h, v)
			}
		}
	}
	if sealed, _ := s.Setting(ctx, models.SettingMasterKey, ""); sealed == "" {
		t.Fatal("no sealed master key stored")
	}
	if _, err := s.MasterKey(ctx, bytes.Repeat([]byte{0xa5}, 32)); !errors.Is(err, models.ErrSecretSealed) {
		t.Fatalf("opened with another device key: %v", err)
	}
}

func TestAComponentTypedWrongIsNamedAndNothingIsStored(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	su := setup.New(s, deviceKey)
	for _, c := range []struct {
		name   string
		change func(a *setup.Acquirer)
		key    string
		n      int
		cause  error
	}{
		{"component 2's check value", func(a *setup.Acquirer) { a.Check2 = a.Check1 }, "error.setup.component_check", 2, acquirer.ErrKeyCheck},
		{"a digit of component 1", func(a *setup.Acquirer) { a.Key1 = "2" + a.Key1[1:] }, "error.setup.component_check", 1, acquirer.ErrKeyCheck},
		{"component 1 short", func(a *setup.Acquirer) { a.Key1 = a.Key1[:20] }, "error.setup.component_format", 1, acquirer.ErrKeyFormat},
		{"check value 2 short", func(a *setup.Acquirer) { a.Check2 = a.Check2[:5] }, "error.setup.check_format", 2, acquirer.ErrCheckFormat},
		{"check value 1 alone", func(a *setup.Acquirer) { a.Key1 = "" }, "error.setup.component_format", 1, acquirer.ErrKeyFormat},
	} {
		a := link(t)
		c.change(&a)
		err := su.SaveAcquirer(ctx, a, models.Operator{})
		var me *models.Error
		if !errors.As(err, &me) || me.Key != c.key || me.Args["N"] != c.n || !errors.Is(err, c.cause) {
			t.Errorf("%s: %v, want %s naming component %d", c.name, err, c.key, c.n)
		}
	}
	// The same component twice makes no key.
	a := link(t)
	a.Key2, a.Check2 = a.Key1, a.Check1
	if err := su.SaveAcquirer(ctx, a, models.Operator{}); !errors.Is(err, acquirer.ErrSameComponents) {
		t.Errorf("the same component twice: %v", err)
	}
	if tid, _ := s.Setting(ctx, hostlink.SettingTID, ""); tid != "" {
		t.Fatalf("a refused acquirer stored its TID %q", tid)
	}
	if kcv, _ := s.MasterKeyCheck(ctx); kcv != "" {
		t.Fatalf("a refused master key stored its check value %q", kcv)
	}
}

func TestBothCustodiansEnterTheirComponent(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	su := setup.New(s, deviceKey)
	// None typed, none loaded: the key is asked for.
	a := link(t)
	a.Key1, a.Check1, a.Key2, a.Check2 = "", "", "", ""
	var me *models.Error
	if err := su.SaveAcquirer(ctx, a, models.Operator{}); !errors.As(err, &me) || me.Key != "error.setup.master_key_needed" {
		t.Fatalf("no master key at all: %v", err)
	}
	// One custodian alone.
	for _, one := range []func(a *setup.Acquirer){
		func(a *setup.Acquirer) { a.Key2, a.Check2 = "", "" },
		func(a *setup.Acquirer) { a.Key1, a.Check1 = "", "" },
	} {
		a := link(t)
		one(&a)
		if err := su.SaveAcquirer(ctx, a, models.Operator{}); !errors.As(err, &me) || me.Key != "error.setup.both_components" {
			t.Errorf("one component alone: %v", err)
		}
	}
	if tid, _ := s.Setting(ctx, hostlink.SettingTID, ""); tid != "" {
		t.Fatalf("a refused acquirer stored its TID %q", tid)
	}
	// Loaded, then the link changed with no component typed: the key stays.
	if err := su.SaveAcquirer(ctx, link(t), models.Operator{}); err != nil {
		t.Fatal(err)
	}
	sealed, _ := s.Setting(ctx, models.SettingMasterKey, "")
	a.TID = "87654321"
	if err := su.SaveAcquirer(ctx, a, models.Operator{}); err != nil {
		t.Fatal(err)
	}
	if now, _ := s.Setting(ctx, models.SettingMasterKey, ""); now != sealed {
		t.Fatal("the master key changed with no component typed")
	}
	if got, _ := su.Acquirer(ctx); got.TID != "87654321" || got.KeyCheck != check(t, masterKey) {
		t.Fatalf("after the link changed: %+v", got)
	}
	// A component alone still refused while a key is loaded.
	b := link(t)
	b.Key2, b.Check2 = "", ""
	if err := su.SaveAcquirer(ctx, b, models.Operator{}); !errors.As(err, &me) || me.Key != "error.setup.both_components" {
		t.Errorf("one component alone with a key loaded: %v", err)
	}
}

func TestACashierMayNotLoadTheMasterKey(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	su := setup.New(s, deviceKey)
	if err := su.SaveShop(ctx, setup.Shop{Name: "街角便利店"}, models.Operator{}); err != nil {
		t.Fatal(err)
	}
	if err := su.SaveOwner(ctx, "王芳", "582931", "582931"); err != nil {
		t.Fatal(err)
	}
	if err := su.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	owner, err := s.OperatorByCode(ctx, "582931")
	if err != nil {
		t.Fatal(err)
	}
	cashier, err := s.AddOperator(ctx, models.Operator{Name: "李娜", Role: models.RoleCashier}, "730415", owner, models.DefaultTerminalID)
	if err != nil {
		t.Fatal(err)
	}
	// Once the setup has ended nobody is not enough either.
	for _, by := range []models.Operator{cashier, {}} {
		if err := su.SaveAcquirer(ctx, link(t), by); !models.IsDenied(err) {
			t.Errorf("the master key loaded by %q: %v", by.Name, err)
		}
	}
	if kcv, _ := s.MasterKeyCheck(ctx); kcv != "" {
		t.Fatalf("a refused master key stored its check value %q", kcv)
	}
	if tid, _ := s.Setting(ctx, hostlink.SettingTID, ""); tid != "" {
		t.Fatalf("a refused acquirer stored its TID %q", tid)
	}
	// The owner may.
	if err := su.SaveAcquirer(ctx, link(t), owner); err != nil {
		t.Fatal(err)
	}
	if kcv, _ := s.MasterKeyCheck(ctx); kcv != check(t, masterKey) {
		t.Fatalf("the owner's master key: check value %q", kcv)
	}
}
