package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/catalog"
	"github.com/till-pos/till/services/demo"
)

func TestEmptyUntilLoaded(t *testing.T) {
	var c catalog.Catalog
	if c.All().Len() != 0 || c.Search("可乐", 10).Len() != 0 || c.InCategory(1).Len() != 0 || c.Categories() != nil {
		t.Fatal("a catalog not loaded lists products")
	}
	if _, ok := c.Lookup("6901234567892"); ok {
		t.Fatal("a catalog not loaded finds a barcode")
	}
}

func TestLoadSearchAndLookupTheDemoCatalog(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	if _, err := demo.Seed(ctx, s); err != nil {
		t.Fatal(err)
	}
	var c catalog.Catalog
	if err := c.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	n, err := s.ProductCount(ctx)
	if err != nil || n == 0 || int64(c.All().Len()) != n {
		t.Fatalf("loaded %d of %d products (%v)", c.All().Len(), n, err)
	}
	cats := c.Categories()
	if len(cats) != 6 {
		t.Fatalf("%d categories", len(cats))
	}
	inCats := 0
	for _, cat := range cats {
		for _, it := range c.InCategory(cat.ID).Items() {
			if it.CategoryID != cat.ID {
				t.Fatalf("%s listed under category %d", it.Name, cat.ID)
			}
			inCats++
		}
	}
	if int64(inCats) != n {
		t.Fatalf("%d products in the categories, %d in all", inCats, n)
	}

	cola, ok := c.Lookup("6901234567892")
	if !ok || cola.Name != "可口可乐 330ml" || cola.Price != 350 || cola.Currency != models.CNY {
		t.Fatalf("lookup: %+v %v", cola, ok)
	}
	if _, ok := c.Lookup("0000000000000"); ok {
		t.Fatal("an unknown barcode was found")
	}
	for _, q := range []string{"可乐", "kl", "kele", "cola", "SKU-D001", "6901234567892"} {
		found := c.Search(q, 10).Items()
		hit := false
		for _, it := range found {
			hit = hit || it.ID == cola.ID
		}
		if !hit {
			t.Errorf("search %q did not find the cola: %v", q, found)
		}
	}
	if got := c.Search("可乐", 2).Len(); got != 2 {
		t.Fatalf("search limited to 2 gave %d", got)
	}
	if found := c.Search("6901234567892", 10).Items(); len(found) == 0 || found[0].ID != cola.ID {
		t.Fatalf("a scanned barcode's product does not come first: %v", found)
	}
	if got := c.Search("没有这种商品", 10).Len(); got != 0 {
		t.Fatalf("a search for nothing found %d", got)
	}
	for _, it := range c.Search("可乐", 10).Items() {
		if !strings.Contains(it.Name, "可乐") {
			t.Fatalf("search for 可乐 found %s", it.Name)
		}
	}

	// A reload swaps the new catalog in whole.
	if err := s.ImportCatalog(ctx, nil, []models.Product{{SKU: "SKU-NEW", Name: "新品", Price: 100, Currency: models.CNY,
		CategoryID: cats[0].ID, Active: true, Barcodes: []models.Barcode{{Code: "6900000000014"}}}}); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Lookup("6900000000014"); ok {
		t.Fatal("a product appeared before the reload")
	}
	if err := c.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	if it, ok := c.Lookup("6900000000014"); !ok || it.Name != "新品" || int64(c.All().Len()) != n+1 {
		t.Fatalf("after the reload: %+v %v, %d products", it, ok, c.All().Len())
	}
}
