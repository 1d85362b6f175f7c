// Package catalog is the product catalog as the sell screen searches it:
// an in-memory index loaded from the store off the UI goroutine.
package catalog

import (
	"context"
	"runtime/debug"
	"sync/atomic"

	"github.com/till-pos/till/models"
)

// Load builds the index from the store and swaps it in. It collects
// garbage eagerly meanwhile, so a large catalog peaks near its final size
// instead of twice it.
func (c *Catalog) Load(ctx context.Context, store *models.Store) error {
	old := debug.SetGCPercent(20)
	defer debug.SetGCPercent(old)
	idx, cats, err := store.LoadCatalogIndex(ctx)
	if err != nil {
		return err
	}
	c.Set(idx, cats)
	return nil
}

// Catalog serves the screens from the in-memory index, which is swapped in
// whole once it has loaded (and again when the catalog changes). Its
// methods are safe from any goroutine.
type Catalog struct {
	idx  atomic.Pointer[models.CatalogIndex]
	cats atomic.Pointer[[]models.Category]
}

// Set swaps in a freshly loaded index and its categories.
func (c *Catalog) Set(idx *models.CatalogIndex, cats []models.Category) {
	c.idx.Store(idx)
	c.cats.Store(&cats)
}

// Categories are the catalog's categories.
func (c *Catalog) Categories() []models.Category {
	if p := c.cats.Load(); p != nil {
		return *p
	}
	return nil
}

// InCategory lists the products of a category.
func (c *Catalog) InCategory(id uint) models.CatalogList {
	if idx := c.idx.Load(); idx != nil {
		return idx.InCategory(id)
	}
	return models.CatalogList{}
}

// All lists every product.
func (c *Catalog) All() models.CatalogList {
	if idx := c.idx.Load(); idx != nil {
		return idx.All()
	}
	return models.CatalogList{}
}

// Search finds up to limit products by name, pinyin, SKU or barcode.
func (c *Catalog) Search(q string, limit int) models.CatalogList {
	if idx := c.idx.Load(); idx != nil {
		return idx.Search(q, limit)
	}
	return models.CatalogList{}
}

// Loaded reports whether the index has loaded: until then the catalog
// lists nothing, though the shop may have products.
func (c *Catalog) Loaded() bool { return c.idx.Load() != nil }

// Lookup finds the product with a barcode.
func (c *Catalog) Lookup(code string) (models.CatalogItem, bool) {
	if idx := c.idx.Load(); idx != nil {
		return idx.Lookup(code)
	}
	return models.CatalogItem{}, false
}
