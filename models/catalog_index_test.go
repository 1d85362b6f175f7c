package models_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/till-pos/till/internal/catalogtest"
	"github.com/till-pos/till/models"
)

func demoIndex() *models.CatalogIndex {
	b := models.NewCatalogIndexBuilder(4, []uint{2, 1})
	add := func(id, cat uint, sku, name, en, code string) {
		ini, full := models.PinyinKeys(name)
		var codes []string
		if code != "" {
			codes = []string{code}
		}
		b.Add(models.CatalogItem{ID: id, SKU: sku, Name: name, NameEN: en, CategoryID: cat, Price: 350, Currency: models.CNY}, codes, ini, full)
	}
	add(1, 1, "D1", "可口可乐 330ml", "Coca-Cola 330ml", "6901234567892")
	add(2, 1, "D2", "百事可乐 330ml", "Pepsi Cola 330ml", "6901234567908")
	add(3, 2, "S1", "乐事薯片", "Lay's chips", "6924743915619")
	add(4, 1, "K9", "口香糖", "Chewing gum", "")
	return b.Build()
}

func names(list models.CatalogList) string {
	var out []string
	for _, it := range list.Items() {
		out = append(out, it.Name)
	}
	return strings.Join(out, ",")
}

func TestPinyinKeys(t *testing.T) {
	for in, want := range map[string][2]string{
		"可口可乐 330ml":  {"kkkl330ml", "kekoukele330ml"},
		"农夫山泉":        {"nfsq", "nongfushanquan"},
		"Red Bull 红牛": {"redbullhn", "redbullhongniu"},
		"（）!":         {"", ""},
	} {
		ini, full := models.PinyinKeys(in)
		if ini != want[0] || full != want[1] {
			t.Errorf("PinyinKeys(%q) = %q, %q; want %q, %q", in, ini, full, want[0], want[1])
		}
	}
}

func TestPinyinSyllable(t *testing.T) {
	for r, want := range map[rune]string{'上': "shang", '海': "hai", '店': "dian", 'A': "", '1': "", '★': "", '（': ""} {
		if got := models.PinyinSyllable(r); got != want {
			t.Errorf("PinyinSyllable(%q) = %q, want %q", r, got, want)
		}
	}
}

func TestCatalogSearch(t *testing.T) {
	idx := demoIndex()
	cases := map[string]string{
		"kkkl":          "可口可乐 330ml",
		"kekou":         "可口可乐 330ml",
		"Ke Kou":        "可口可乐 330ml",
		"可口":            "可口可乐 330ml",
		"COCA":          "可口可乐 330ml",
		"6901234567892": "可口可乐 330ml",
		"d1":            "可口可乐 330ml",
		"690123":        "可口可乐 330ml,百事可乐 330ml",
		"kl":            "可口可乐 330ml,百事可乐 330ml",
		"shupian":       "乐事薯片",
		"nothing":       "",
		"":              "",
		"   ":           "",
	}
	for q, want := range cases {
		if got := names(idx.Search(q, 10)); got != want {
			t.Errorf("Search(%q) = %q, want %q", q, got, want)
		}
	}
}

func TestCatalogSearchRanking(t *testing.T) {
	idx := demoIndex()
	// "k": 可口可乐 (kkkl) and 口香糖 (kxt) have keys starting with k;
	// 百事可乐 (bskl) only contains it; 乐事薯片 has no k at all.
	if got := names(idx.Search("k", 10)); got != "可口可乐 330ml,口香糖,百事可乐 330ml" {
		t.Errorf("ranking for k = %q", got)
	}
	if got := names(idx.Search("k9", 10)); got != "口香糖" {
		t.Errorf("exact SKU = %q", got)
	}
	if got := idx.Search("k", 2); got.Len() != 2 {
		t.Errorf("limit 2 gave %d", got.Len())
	}
}

func TestCatalogLookupAndCategories(t *testing.T) {
	idx := demoIndex()
	if it, ok := idx.Lookup(" 6901234567892 "); !ok || it.ID != 1 {
		t.Errorf("lookup = %+v, %v", it, ok)
	}
	for _, code := range []string{"6900000000000", "", "abc", "0690123456789"} {
		if _, ok := idx.Lookup(code); ok {
			t.Errorf("Lookup(%q) found something", code)
		}
	}
	// Category 2 comes first in display order.
	if got := names(idx.All()); got != "乐事薯片,可口可乐 330ml,百事可乐 330ml,口香糖" {
		t.Errorf("All = %q", got)
	}
	if got := names(idx.InCategory(1)); got != "可口可乐 330ml,百事可乐 330ml,口香糖" {
		t.Errorf("InCategory(1) = %q", got)
	}
	if got := idx.InCategory(99); got.Len() != 0 {
		t.Errorf("unknown category has %d", got.Len())
	}
}

// TestCatalogIndexIsLean guards the memory the sell screen's index takes.
func TestCatalogIndexIsLean(t *testing.T) {
	const n = 100_000
	products := catalogtest.Products(n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b := models.NewCatalogIndexBuilder(n, nil)
	disp, keys := 0, 0
	for _, p := range products {
		d := len(p.Name) + len(p.NameEN) + len(p.SKU)
		disp += d
		keys += d + len(p.PinyinInitials) + len(p.PinyinFull) + len(p.Barcodes[0].Code) + 1
	}
	b.Reserve(disp, keys) // as Store.LoadCatalogIndex does
	for i, p := range products {
		b.Add(models.CatalogItem{ID: uint(i + 1), SKU: p.SKU, Name: p.Name, NameEN: p.NameEN, Price: p.Price,
			Currency: p.Currency, Unit: p.Unit, UnitEN: p.UnitEN}, []string{p.Barcodes[0].Code}, p.PinyinInitials, p.PinyinFull)
	}
	idx := b.Build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("index of %d products: %.0f bytes per product on top of the product strings", idx.Len(), per)
	if per > 200 {
		t.Fatalf("index takes %.0f bytes per product", per)
	}
	runtime.KeepAlive(products)
}

func FuzzCatalogSearch(f *testing.F) {
	idx := demoIndex()
	for _, s := range []string{"k", "kekou", "可口", "6901", "\x00", "\x01k", "  "} {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, q string, limit int) {
		limit = limit % 20
		got := idx.Search(q, limit)
		if got.Len() > max(limit, 0) {
			t.Fatalf("Search(%q, %d) gave %d", q, limit, got.Len())
		}
		for i := 0; i < got.Len(); i++ {
			got.At(i)
		}
		idx.Lookup(q)
	})
}
