package demo

import (
	"context"
	"testing"

	"github.com/till-pos/till/models"
)

// TestPrepareTrainingOnlyOnATrainingDatabase: the demo's QR merchant and
// test CA keys go into a training database, never a shop's.
func TestPrepareTrainingOnlyOnATrainingDatabase(t *testing.T) {
	ctx := context.Background()
	shop := newStore(t)
	if _, err := shop.FirstOwner(ctx, "王芳", "582931", "T01"); err != nil {
		t.Fatal(err)
	}
	if err := shop.ClaimDatabase(ctx, models.DatabaseShop); err != nil {
		t.Fatal(err)
	}
	if err := PrepareTraining(ctx, shop, "T01"); models.ErrorCode(err) != models.ECONFLICT {
		t.Fatalf("prepared a shop's database for training: %v", err)
	}
	if v, _ := shop.Setting(ctx, models.SettingQRMerchantID, ""); v != "" {
		t.Fatalf("the demo QR merchant reached the shop: %q", v)
	}
	owner, err := shop.OperatorByCode(ctx, "582931")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := shop.StartTraining(ctx, owner, "T01", models.TrainingPath(shop.Path()))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if err := PrepareTraining(ctx, tr, "T01"); err != nil {
		t.Fatal(err)
	}
	if v, _ := tr.Setting(ctx, models.SettingQRMerchantID, ""); v == "" {
		t.Fatal("no QR merchant in training")
	}
	if keys, err := tr.CAKeys(ctx); err != nil || len(keys.Keys) == 0 {
		t.Fatalf("no test CA keys in training: %v", err)
	}
	if keys, err := shop.CAKeys(ctx); err != nil || len(keys.Keys) != 0 {
		t.Fatalf("CA keys in the shop's database: %d, %v", len(keys.Keys), err)
	}
}
