package setup_test

import (
	"context"
	"testing"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/hostlink"
	"github.com/till-pos/till/services/setup"
)

func TestSetupIsCheckedWholeAndStoredWhole(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	su := setup.New(s, deviceKey)
	if need, err := su.Needed(ctx); err != nil || !need {
		t.Fatalf("a new database needs setting up: %v %v", need, err)
	}
	if err := su.Finish(ctx); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("setup ended before the shop was named: %v", err)
	}
	// A bad tax number: nothing of the shop is stored.
	if err := su.SaveShop(ctx, setup.Shop{Name: "街角便利店", TaxNumber: "91350100M000100Y44"}, models.Operator{}); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("bad tax number: %v", err)
	}
	if sh, _ := su.Shop(ctx); sh.Name != "" {
		t.Fatalf("a refused shop was stored in part: %+v", sh)
	}
	if err := su.SaveShop(ctx, setup.Shop{Name: " 街角便利店 ", Address: "上海市黄浦区南京东路 1 号", TaxNumber: "91350100m000100y43"}, models.Operator{}); err != nil {
		t.Fatal(err)
	}
	if sh, _ := su.Shop(ctx); sh != (setup.Shop{Name: "街角便利店", Address: "上海市黄浦区南京东路 1 号", TaxNumber: "91350100M000100Y43"}) {
		t.Fatalf("shop stored: %+v", sh)
	}

	// The acquirer: off loopback it needs the CA; a component typed wrong
	// refuses all.
	a := setup.Acquirer{Addr: "pos.acquirer.cn:8583", TID: "12345678", MID: "898310012345678",
		Key1: component1, Check1: check(t, component1), Key2: component2, Check2: check(t, component2)}
	if err := su.SaveAcquirer(ctx, a, models.Operator{}); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("no CA off loopback: %v", err)
	}
	a.Addr = "127.0.0.1:8583"
	a.Key2 = "not hex"
	if err := su.SaveAcquirer(ctx, a, models.Operator{}); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("bad key: %v", err)
	}
	if tid, _ := s.Setting(ctx, hostlink.SettingTID, ""); tid != "" {
		t.Fatalf("a refused acquirer was stored in part: TID %q", tid)
	}
	a.Key2 = component2
	if err := su.SaveAcquirer(ctx, a, models.Operator{}); err != nil {
		t.Fatal(err)
	}
	// Saved again without the components: the master key stays.
	a.Key1, a.Check1, a.Key2, a.Check2, a.TID = "", "", "", "", "87654321"
	if err := su.SaveAcquirer(ctx, a, models.Operator{}); err != nil {
		t.Fatal(err)
	}
	got, _ := su.Acquirer(ctx)
	if got.TID != "87654321" || got.Addr != "127.0.0.1:8583" || got.KeyCheck != check(t, masterKey) ||
		got.Key1 != "" || got.Check1 != "" || got.Key2 != "" || got.Check2 != "" {
		t.Fatalf("acquirer read back: %+v", got)
	}

	// The QR merchant account.
	if err := su.SaveQRMerchant(ctx, setup.QRMerchant{GUID: "A000000333010101", MerchantID: "898310012345678", MCC: "54l1"}, models.Operator{}); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("bad MCC: %v", err)
	}
	if err := su.SaveQRMerchant(ctx, setup.QRMerchant{GUID: "A000000333010101", MerchantID: "898310012345678", MCC: "5411"}, models.Operator{}); err != nil {
		t.Fatal(err)
	}
	if err := su.Finish(ctx); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("setup ended without an owner: %v", err)
	}
	// The owner: a weak code, then two codes that differ, are refused.
	if err := su.SaveOwner(ctx, "王芳", "123456", "123456"); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("a weak code: %v", err)
	}
	if err := su.SaveOwner(ctx, "王芳", "582931", "582913"); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("codes that differ: %v", err)
	}
	if err := su.SaveOwner(ctx, "王芳", "582931", "582931"); err != nil {
		t.Fatal(err)
	}
	if name, _ := su.Owner(ctx); name != "王芳" {
		t.Fatalf("owner %q", name)
	}
	// Once: a second first owner is refused.
	if err := su.SaveOwner(ctx, "李四", "730415", "730415"); models.ErrorCode(err) != models.ECONFLICT {
		t.Fatalf("a second first owner: %v", err)
	}
	if op, err := s.OperatorByCode(ctx, "582931"); err != nil || op.Role != models.RoleOwner {
		t.Fatalf("the owner signs in with the code: %+v %v", op, err)
	}
	if err := su.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	if need, _ := su.Needed(ctx); need {
		t.Fatal("still needs setting up after Finish")
	}
}
