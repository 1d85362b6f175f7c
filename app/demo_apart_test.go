package app

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer/simhost"
	"github.com/till-pos/till/services/hostlink"
	"github.com/till-pos/till/services/qrpayment"
	"github.com/till-pos/till/services/setup"
)

func TestTheDemoNeverMeetsAShopsDatabase(t *testing.T) {
	dir := t.TempDir()
	shopDB := filepath.Join(dir, "shop", "till.db")
	demoDB := filepath.Join(dir, "demo", "till.db")

	// The shop's till, then the demo on its database: refused, with
	// nothing of the demo written.
	shop, err := Start(test.NewTempApp(t), Options{DBPath: shopDB, Lang: "en", inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	shop.Close()
	_, err = Start(test.NewTempApp(t), Options{DBPath: shopDB, Lang: "en", Demo: true, inlineUI: true})
	var me *models.Error
	if !errors.As(err, &me) || me.Key != "error.db.is_shop" {
		t.Fatalf("the demo on a shop's database: %v", err)
	}
	s, err := models.Open(shopDB)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := s.ProductCount(context.Background())
	staff, _ := s.Operators(context.Background())
	s.Close()
	if n != 0 {
		t.Fatalf("the demo catalog reached the shop's database: %d products", n)
	}
	for _, op := range staff {
		if op.Name == "演示店长" || op.Name == "演示收银员" {
			t.Fatalf("a demo operator reached the shop's database: %+v", op)
		}
	}

	// The demo's database, then the shop's till on it: refused.
	d, err := Start(test.NewTempApp(t), Options{DBPath: demoDB, Lang: "en", Demo: true, inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	_, err = Start(test.NewTempApp(t), Options{DBPath: demoDB, Lang: "en", inlineUI: true})
	if !errors.As(err, &me) || me.Key != "error.db.is_demo" {
		t.Fatalf("a shop's till on the demo's database: %v", err)
	}
}

func TestAShopsTillNeverFallsBackToDemoValues(t *testing.T) {
	tmk := []byte("the shop's TMK..") // the shop's, from its acquirer
	h, err := simhost.Start(simhost.Options{MasterKey: tmk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	db := filepath.Join(t.TempDir(), "till.db")
	setUpShop(t, db, "街角便利店")
	till, err := Start(test.NewTempApp(t), Options{DBPath: db, Lang: "en", Acquirer: h.Addr(), inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { till.Close() })
	ctx := context.Background()
	// The acquirer's IDs and key are not set: the host is not dialled with
	// the demo's.
	if err := till.host.Connect(ctx); !errors.Is(err, hostlink.ErrNotSetUp) {
		t.Fatalf("connecting before the acquirer is set up: %v", err)
	}
	if n := len(h.Ledger()); n != 0 {
		t.Fatalf("the host got %d messages", n)
	}
	// Set up: the link works; the QR merchant account is not set, so no
	// QR is shown for the demo's, and nothing is stored.
	sealed, err := models.SealSecret(till.deviceKey, tmk, models.SettingMasterKey)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{hostlink.SettingTID: "12345678", hostlink.SettingMID: "123456789012345",
		models.SettingMasterKey: hex.EncodeToString(sealed)} {
		if err := till.store.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := till.host.Connect(ctx); err != nil {
		t.Fatalf("connecting once set up: %v", err)
	}
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	if _, err := o.AddProduct(models.Product{ID: 1, Name: "测试", Price: 100, Currency: models.CNY}, models.Units(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := till.qr.Show(ctx, o); !errors.Is(err, qrpayment.ErrMerchantNotSetUp) {
		t.Fatalf("a QR without the shop's merchant account: %v", err)
	}
	if o.ID != 0 {
		t.Fatal("an order was stored for a QR never shown")
	}
	till.Close()
	for _, f := range []string{db, db + "-wal"} {
		data, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, demo := range []string{"cn.till.demo", "898310012345678", "T0000001", "收银台示范店", "演示"} {
			if bytes.Contains(data, []byte(demo)) {
				t.Errorf("%s holds the demo's %q", filepath.Base(f), demo)
			}
		}
	}
}

// ownerCode is the code of the owner setUpShop makes.
const ownerCode = "582931"

// setUpShop makes db a shop's database named name, its owner 王芳 (code
// ownerCode), its first-run setup done.
func setUpShop(t *testing.T, db, name string) {
	t.Helper()
	ctx := context.Background()
	if err := os.MkdirAll(filepath.Dir(db), 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	su := setup.New(s, nil) // the shop and its owner: nothing to seal
	if err := s.ClaimDatabase(ctx, models.DatabaseShop); err != nil {
		t.Fatal(err)
	}
	if err := su.SaveShop(ctx, models.ShopDetails{Name: name}, models.Operator{}); err != nil {
		t.Fatal(err)
	}
	if err := su.SaveOwner(ctx, "王芳", ownerCode, ownerCode); err != nil {
		t.Fatal(err)
	}
	if err := su.Finish(ctx); err != nil {
		t.Fatal(err)
	}
}
