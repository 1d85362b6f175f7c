package models

import (
	"os"
	"path/filepath"
	"testing"
)

// trainingShop is a shop's database with staff, a catalog, a sale, a
// member, enrolled fingers, the acquirer's secrets and a matrix in which
// cashiers may not train.
func trainingShop(t *testing.T) staffRoom {
	t.Helper()
	r := newStaffRoom(t)
	s := r.s
	if err := s.ClaimDatabase(bg, DatabaseShop); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{SettingStoreName: "好邻居便利店", SettingTerminalID: "T01",
		SettingMasterKey: "sealed-tmk", SettingMasterKeyCheck: "ABCDEF", SettingAcquirerAddr: "acq.example:5000",
		SettingAcquirerCA: "-----BEGIN CERTIFICATE-----", "acquirer_tid": "T9990001", "acquirer_mid": "898310099999999",
		SettingQRMerchantID: "MERCH-1", "device_key_id": "key-1", "printer_url": "file:///tmp/receipts"} {
		if err := s.SetSetting(bg, k, v); err != nil {
			t.Fatal(err)
		}
	}
	m := DefaultPermissions()
	m[RoleCashier][PermTraining] = false
	if err := s.SetPermissions(bg, m, r.owner, "T01"); err != nil {
		t.Fatal(err)
	}
	sellCola(t, s, "T01", 2)
	if _, err := s.AddMember(bg, "张伟", "138 0013 5678", r.owner, "T01"); err != nil {
		t.Fatal(err)
	}
	for i, fp := range []Fingerprint{{OwnerKind: "operator", OwnerID: r.manager.ID}, {OwnerKind: "member", OwnerID: 1}} {
		fp.PageID, fp.Sealed, fp.ConsentBy, fp.Purpose = i, []byte{1, 2, 3, byte(i)}, "someone", "test"
		if err := s.SaveFingerprint(bg, &fp, "T01"); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// TestTrainingDatabase runs its parts on one shop: its staff's codes are
// slow to hash, by design.
func TestTrainingDatabase(t *testing.T) {
	r := trainingShop(t)
	for _, part := range []struct {
		name string
		run  func(*testing.T, staffRoom)
	}{
		{"GetsCatalogAndStaffOnly", trainingGetsCatalogAndStaffOnly},
		{"IsMadeAfreshEachTime", trainingIsMadeAfreshEachTime},
		{"AndShopDatabasesNeverMix", trainingAndShopDatabasesNeverMix},
	} {
		if !t.Run(part.name, func(t *testing.T) { part.run(t, r) }) {
			return
		}
	}
}

func trainingGetsCatalogAndStaffOnly(t *testing.T, r staffRoom) {
	s := r.s
	path := TrainingPath(s.Path())
	if filepath.Base(filepath.Dir(path)) != "training" || filepath.Dir(filepath.Dir(path)) != filepath.Dir(s.Path()) {
		t.Fatalf("training path %s beside %s", path, s.Path())
	}

	// The matrix decides who may: here not a cashier.
	if _, err := s.StartTraining(bg, r.cashier, "T01", path); !IsDenied(err) {
		t.Fatalf("a cashier the matrix refuses started training: %v", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a refused start made a training database")
	}
	tr, err := s.StartTraining(bg, r.manager, "T01", path)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()

	if mode, err := tr.DatabaseMode(bg); err != nil || mode != DatabaseTraining {
		t.Fatalf("training database's mode %q, %v", mode, err)
	}
	for _, m := range []any{&Category{}, &Product{}, &Barcode{}, &Operator{}, &StaffCode{}} {
		if got, want := count(t, tr, m), count(t, s, m); got != want || want == 0 {
			t.Errorf("%T: %d in training, %d in the shop", m, got, want)
		}
	}
	if got, want := stockOf(t, tr, "6901234567892"), stockOf(t, s, "6901234567892"); got != want {
		t.Errorf("stock in training %v, in the shop %v", got, want)
	}
	// Staff sign in with their own codes, and their fingers are there; a
	// member's finger is not.
	if op, err := tr.OperatorByCode(bg, roomManagerCode); err != nil || op.ID != r.manager.ID {
		t.Errorf("the manager's code in training: %+v, %v", op, err)
	}
	fps, err := tr.Fingerprints(bg)
	if err != nil || len(fps) != 1 || fps[0].OwnerKind != "operator" || fps[0].OwnerID != r.manager.ID {
		t.Errorf("fingers in training: %+v, %v", fps, err)
	}
	for _, m := range []any{&Order{}, &OrderLine{}, &Payment{}, &OutboxEntry{}, &HostRequest{}, &Member{}, &MemberEntry{},
		&AuditEntry{}, &HeldOrder{}} {
		if n := count(t, tr, m); n != 0 {
			t.Errorf("%T: %d in training", m, n)
		}
	}
	for _, k := range []string{SettingMasterKey, SettingMasterKeyCheck, SettingAcquirerAddr, SettingAcquirerCA, "acquirer_tid",
		"acquirer_mid", SettingQRMerchantID, "device_key_id"} {
		if v, _ := tr.Setting(bg, k, ""); v != "" {
			t.Errorf("training has %s = %q", k, v)
		}
	}
	for k, want := range map[string]string{SettingStoreName: "好邻居便利店", "printer_url": "file:///tmp/receipts"} {
		if v, _ := tr.Setting(bg, k, ""); v != want {
			t.Errorf("training's %s = %q, want %q", k, v, want)
		}
	}
	if m, err := tr.Permissions(bg); err != nil || m[RoleCashier][PermTraining] || !m[RoleManager][PermTraining] {
		t.Errorf("training's matrix: %v, %v", m, err)
	}

	// The start is in the shop's trail, by the manager; the end too, by
	// someone the shop's matrix allows.
	if err := s.EndTraining(bg, r.cashier, "T01"); !IsDenied(err) {
		t.Fatalf("a cashier the matrix refuses ended training: %v", err)
	}
	if err := s.EndTraining(bg, r.manager, "T01"); err != nil {
		t.Fatal(err)
	}
	var trail []AuditEntry
	if err := s.db.Where("action IN ?", []string{AuditTrainingStart, AuditTrainingEnd}).Order("seq").Find(&trail).Error; err != nil {
		t.Fatal(err)
	}
	if len(trail) != 2 || trail[0].Action != AuditTrainingStart || trail[1].Action != AuditTrainingEnd ||
		trail[0].OperatorID != r.manager.ID || trail[1].OperatorID != r.manager.ID {
		t.Fatalf("shop's trail: %+v", trail)
	}
	if c, err := s.VerifyAudit(bg, nil); err != nil || c.Break != nil {
		t.Fatalf("shop's trail after training: %+v, %v", c, err)
	}
}

func trainingIsMadeAfreshEachTime(t *testing.T, r staffRoom) {
	s := r.s
	path := TrainingPath(s.Path())
	tr, err := s.StartTraining(bg, r.manager, "T01", path)
	if err != nil {
		t.Fatal(err)
	}
	sellCola(t, tr, "T01", 1)
	tr.Close()
	shopOrders := count(t, s, &Order{})
	tr, err = s.StartTraining(bg, r.manager, "T01", path)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if n := count(t, tr, &Order{}); n != 0 {
		t.Errorf("the last training's %d orders are still there", n)
	}
	if n := count(t, s, &Order{}); n != shopOrders {
		t.Errorf("the shop has %d orders, had %d", n, shopOrders)
	}
}

func trainingAndShopDatabasesNeverMix(t *testing.T, r staffRoom) {
	s := r.s
	path := TrainingPath(s.Path())
	tr, err := s.StartTraining(bg, r.manager, "T01", path)
	if err != nil {
		t.Fatal(err)
	}
	// The training database is never the shop's, nor a demo's.
	for _, mode := range []string{DatabaseShop, DatabaseDemo} {
		if err := tr.ClaimDatabase(bg, mode); ErrorCode(err) != ECONFLICT {
			t.Errorf("training database claimed as %s: %v", mode, err)
		}
	}
	// Training is not started from a training database.
	if _, err := tr.StartTraining(bg, r.manager, "T01", filepath.Join(t.TempDir(), "t.db")); ErrorCode(err) != ECONFLICT {
		t.Errorf("training started from a training database: %v", err)
	}
	tr.Close()
	// Opened again as the shop's, it is refused.
	again, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.ClaimDatabase(bg, DatabaseShop); ErrorCode(err) != ECONFLICT {
		t.Errorf("training file opened as the shop's: %v", err)
	}
	again.Close()

	// The shop's database is never a training one, nor made one.
	if err := s.ClaimDatabase(bg, DatabaseTraining); ErrorCode(err) != ECONFLICT {
		t.Errorf("shop's database claimed for training: %v", err)
	}
	if _, err := s.StartTraining(bg, r.manager, "T01", s.Path()); ErrorCode(err) != ECONFLICT {
		t.Errorf("training over the shop's own file: %v", err)
	}
	// A shop's database where the training one goes is refused, and kept.
	other := filepath.Join(t.TempDir(), "till.db")
	shop2, err := Open(other)
	if err != nil {
		t.Fatal(err)
	}
	if err := shop2.ClaimDatabase(bg, DatabaseShop); err != nil {
		t.Fatal(err)
	}
	shop2.Close()
	if _, err := s.StartTraining(bg, r.manager, "T01", other); ErrorCode(err) != ECONFLICT {
		t.Errorf("training over another shop's database: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("a shop's database was removed: %v", err)
	}
	// The demo rule holds as before.
	if err := CheckDatabaseMode(DatabaseDemo, DatabaseShop); ErrorCode(err) != ECONFLICT {
		t.Error("the demo's database taken for a shop's")
	}
	if err := CheckDatabaseMode(DatabaseTraining, DatabaseDemo); ErrorCode(err) != ECONFLICT {
		t.Error("a training database taken for the demo's")
	}
}
