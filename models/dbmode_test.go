package models

import (
	"context"
	"path/filepath"
	"testing"
)

func TestADatabaseIsAShopsOrADemosForGood(t *testing.T) {
	ctx := context.Background()
	open := func(path string) *Store {
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	dir := t.TempDir()

	// A new database is claimed by whoever starts first, and kept.
	shop := open(filepath.Join(dir, "shop.db"))
	if err := shop.ClaimDatabase(ctx, DatabaseShop); err != nil {
		t.Fatal(err)
	}
	if err := shop.ClaimDatabase(ctx, DatabaseDemo); ErrorCode(err) != ECONFLICT {
		t.Fatalf("the demo on a shop's database: %v", err)
	}
	if err := shop.ClaimDatabase(ctx, DatabaseShop); err != nil {
		t.Fatalf("the shop again: %v", err)
	}
	demo := open(filepath.Join(dir, "demo.db"))
	if err := demo.ClaimDatabase(ctx, DatabaseDemo); err != nil {
		t.Fatal(err)
	}
	if err := demo.ClaimDatabase(ctx, DatabaseShop); ErrorCode(err) != ECONFLICT {
		t.Fatalf("a shop on a demo's database: %v", err)
	}

	// From before the mode was recorded: the demo's store name makes it a
	// demo's; staff or sales make it a shop's.
	old := open(filepath.Join(dir, "old-demo.db"))
	if err := old.SetSetting(ctx, SettingStoreName, demoStoreName); err != nil {
		t.Fatal(err)
	}
	if err := old.ClaimDatabase(ctx, DatabaseShop); ErrorCode(err) != ECONFLICT {
		t.Fatalf("a shop on an old demo database: %v", err)
	}
	oldShop := open(filepath.Join(dir, "old-shop.db"))
	if _, err := oldShop.EnsureOperator(ctx, Operator{Name: "王芳", Role: RoleManager}, "583920"); err != nil {
		t.Fatal(err)
	}
	if err := oldShop.ClaimDatabase(ctx, DatabaseDemo); ErrorCode(err) != ECONFLICT {
		t.Fatalf("the demo on an old shop database: %v", err)
	}
	if v, _ := oldShop.Setting(ctx, SettingDatabaseMode, ""); v != "" {
		t.Fatalf("a refused claim wrote %q", v)
	}
}
