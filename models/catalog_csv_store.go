package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// PermCatalog is the permission that changes the catalog: the selling
// settings' (prices, stock).
const PermCatalog = PermSettingsSelling

// CatalogImportBatch is how many rows of a catalog file one transaction
// stores.
const CatalogImportBatch = 1000

// CatalogImportSummary counts what an import did.
type CatalogImportSummary struct {
	Imported  int // new products
	Updated   int // products changed
	Unchanged int // products already as the file has them
	Rejected  int // rows of the file not imported
	// Complete is false when the import was stopped (cancelled or failed)
	// after some batches were stored.
	Complete bool
}

// CatalogImportResult is what an import of a file did, with the rows it
// rejected.
type CatalogImportResult struct {
	CatalogImportSummary
	Rejects []CatalogReject
	Total   int // the file's rows
}

// Done is the number of good rows stored or found unchanged.
func (s CatalogImportSummary) Done() int { return s.Imported + s.Updated + s.Unchanged }

// ImportCatalogRows stores the good rows of a catalog file for by (who
// must hold PermCatalog, checked in every batch's transaction), in batches
// of CatalogImportBatch rows, each its own transaction with its audit
// entry: a product is found by its SKU, else by one of its barcodes, and
// updated, else inserted. A row's barcodes replace the product's. done is
// told the rows stored so far after each batch. Stopped (ctx cancelled)
// between batches, the batches stored stay stored and the summary says so
// (Complete false); a failed batch leaves nothing of itself. rejected (the
// file's rejected rows) is only counted and audited.
func (s *Store) ImportCatalogRows(ctx context.Context, rows []CatalogRow, rejected int, c Currency, by Operator,
	terminalID, source string, done func(rows int)) (CatalogImportSummary, error) {
	sum := CatalogImportSummary{Rejected: rejected}
	var err error
	for start := 0; start < len(rows); start += CatalogImportBatch {
		if err = ctx.Err(); err != nil {
			break
		}
		batch := rows[start:min(start+CatalogImportBatch, len(rows))]
		var b CatalogImportSummary
		err = s.write(ctx, func(tx *gorm.DB) error {
			if _, err := allowedIn(tx, by, PermCatalog); err != nil {
				return err
			}
			var err error
			if b, err = importCatalogBatch(tx, batch, c); err != nil {
				return err
			}
			if b.Imported+b.Updated == 0 {
				return nil
			}
			return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: by.ID, Action: "catalog_import_batch",
				Subject: source, Detail: fmt.Sprintf("rows=%d-%d imported=%d updated=%d unchanged=%d",
					batch[0].Line, batch[len(batch)-1].Line, b.Imported, b.Updated, b.Unchanged)}).Error
		})
		if err != nil {
			break
		}
		sum.Imported += b.Imported
		sum.Updated += b.Updated
		sum.Unchanged += b.Unchanged
		if done != nil {
			done(sum.Done())
		}
	}
	sum.Complete = err == nil
	if IsDenied(err) && sum.Done() == 0 {
		return sum, err
	}
	// The import as a whole: who, and what it did, complete or not.
	aerr := s.write(context.WithoutCancel(ctx), func(tx *gorm.DB) error {
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: by.ID, Action: "catalog_import",
			Subject: source, Detail: fmt.Sprintf("imported=%d updated=%d unchanged=%d rejected=%d complete=%t",
				sum.Imported, sum.Updated, sum.Unchanged, sum.Rejected, sum.Complete)}).Error
	})
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return sum, cerr // cancelled, perhaps in the middle of a batch
		}
		if IsDenied(err) || ErrorCode(err) == EINVALID {
			return sum, err
		}
		return sum, dbError(s.path, fmt.Errorf("store: import catalog: %w", err))
	}
	if aerr != nil {
		return sum, dbError(s.path, fmt.Errorf("store: import catalog: %w", aerr))
	}
	return sum, nil
}

// importCatalogBatch stores rows inside tx.
func importCatalogBatch(tx *gorm.DB, rows []CatalogRow, c Currency) (CatalogImportSummary, error) {
	var sum CatalogImportSummary
	cats, err := catalogCategoriesFor(tx, rows)
	if err != nil {
		return sum, err
	}
	skus := make([]string, 0, len(rows))
	inBatch := make(map[string]bool, len(rows))
	var codes []string
	for _, r := range rows {
		skus = append(skus, r.SKU)
		inBatch[r.SKU] = true
		codes = append(codes, r.Barcodes...)
	}
	var existing []Product
	if err := tx.Where("sku IN ?", skus).Find(&existing).Error; err != nil {
		return sum, fmt.Errorf("products: %w", err)
	}
	bySKU := map[string]*Product{}
	byID := map[uint]*Product{}
	for i := range existing {
		bySKU[existing[i].SKU] = &existing[i]
		byID[existing[i].ID] = &existing[i]
	}
	var held []Barcode
	if len(codes) > 0 {
		if err := tx.Where("code IN ?", codes).Find(&held).Error; err != nil {
			return sum, fmt.Errorf("barcodes: %w", err)
		}
	}
	owner := map[string]uint{}
	for _, b := range held {
		owner[b.Code] = b.ProductID
	}
	// Products found by a barcode rather than their SKU.
	var more []uint
	for _, r := range rows {
		if bySKU[r.SKU] != nil {
			continue
		}
		for _, code := range r.Barcodes {
			if id := owner[code]; id != 0 && byID[id] == nil {
				more = append(more, id)
			}
		}
	}
	if len(more) > 0 {
		var found []Product
		if err := tx.Where("id IN ?", more).Find(&found).Error; err != nil {
			return sum, fmt.Errorf("products: %w", err)
		}
		for i := range found {
			byID[found[i].ID] = &found[i]
		}
	}
	ids := make([]uint, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	carries := map[uint][]string{}
	if len(ids) > 0 {
		var bs []Barcode
		if err := tx.Where("product_id IN ?", ids).Order("code").Find(&bs).Error; err != nil {
			return sum, fmt.Errorf("barcodes: %w", err)
		}
		for _, b := range bs {
			carries[b.ProductID] = append(carries[b.ProductID], b.Code)
		}
	}
	var inserts []Product
	var insertCodes [][]string
	var recoded []uint // products whose barcodes the file replaces
	var newCodes []Barcode
	claimed := map[uint]bool{} // a product matched by an earlier row of the batch
	for _, r := range rows {
		old := bySKU[r.SKU]
		if old == nil {
			for _, code := range r.Barcodes {
				if p := byID[owner[code]]; p != nil && !claimed[p.ID] && inBatch[p.SKU] {
					continue // that product is its own row's, by SKU
				} else if p != nil && !claimed[p.ID] {
					old = p
					break
				}
			}
		}
		p := Product{SKU: r.SKU, Name: r.Name, NameEN: r.NameEN, CategoryID: cats[r.Category.Code], Price: r.Price,
			Currency: c, TaxRateBP: r.TaxRate, Weighed: r.Weighed, Unit: r.Unit, UnitEN: r.UnitEN,
			Untracked: r.Stock == nil, Active: true}
		if r.Stock != nil {
			p.Stock = *r.Stock
		}
		if old == nil {
			p.PinyinInitials, p.PinyinFull = PinyinKeys(p.Name)
			inserts = append(inserts, p)
			insertCodes = append(insertCodes, r.Barcodes)
			continue
		}
		claimed[old.ID] = true
		p.ID = old.ID
		p.PinyinInitials, p.PinyinFull = old.PinyinInitials, old.PinyinFull
		if p.Name != old.Name || p.PinyinInitials == "" && p.PinyinFull == "" {
			p.PinyinInitials, p.PinyinFull = PinyinKeys(p.Name)
		}
		want := slices.Clone(r.Barcodes)
		slices.Sort(want)
		sameCodes := len(r.Barcodes) == 0 || slices.Equal(want, carries[old.ID])
		p.UpdatedAt = old.UpdatedAt
		if sameCodes && sameProduct(p, *old) {
			sum.Unchanged++
			continue
		}
		p.UpdatedAt = time.Time{}
		if err := tx.Select("*").Omit("Category", "Barcodes").Save(&p).Error; err != nil {
			return sum, fmt.Errorf("product %s: %w", p.SKU, err)
		}
		sum.Updated++
		if !sameCodes {
			recoded = append(recoded, p.ID)
			for _, code := range r.Barcodes {
				newCodes = append(newCodes, Barcode{Code: code, ProductID: p.ID})
			}
		}
	}
	if len(inserts) > 0 {
		if err := tx.Omit("Category", "Barcodes").Create(&inserts).Error; err != nil {
			return sum, fmt.Errorf("products: %w", err)
		}
		sum.Imported = len(inserts)
		for i := range inserts {
			for _, code := range insertCodes[i] {
				newCodes = append(newCodes, Barcode{Code: code, ProductID: inserts[i].ID})
			}
		}
	}
	if len(recoded) > 0 {
		if err := tx.Where("product_id IN ?", recoded).Delete(&Barcode{}).Error; err != nil {
			return sum, fmt.Errorf("barcodes: %w", err)
		}
	}
	if len(newCodes) > 0 {
		// A code another product carried moves to the row's product.
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "code"}},
			DoUpdates: clause.AssignmentColumns([]string{"product_id"})}).CreateInBatches(&newCodes, 500).Error; err != nil {
			return sum, fmt.Errorf("barcodes: %w", err)
		}
	}
	return sum, nil
}

// sameProduct reports whether a and b are the same product as a catalog
// file says it.
func sameProduct(a, b Product) bool {
	return a.SKU == b.SKU && a.Name == b.Name && a.NameEN == b.NameEN && a.CategoryID == b.CategoryID &&
		a.Price == b.Price && a.Currency == b.Currency && a.TaxRateBP == b.TaxRateBP && a.Weighed == b.Weighed &&
		a.Unit == b.Unit && a.UnitEN == b.UnitEN && a.Untracked == b.Untracked && a.Active == b.Active &&
		(a.Untracked || a.Stock == b.Stock)
}

// catalogCategoriesFor are the IDs of the categories rows name, by code:
// a category not yet stored is made (named by its code when the row gives
// no name), and one whose names the rows give differently is renamed.
func catalogCategoriesFor(tx *gorm.DB, rows []CatalogRow) (map[string]uint, error) {
	var all []Category
	if err := tx.Order("sort, id").Find(&all).Error; err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	byCode := map[string]*Category{}
	next := 0
	for i := range all {
		byCode[all[i].Code] = &all[i]
		next = max(next, all[i].Sort+1)
	}
	ids := map[string]uint{}
	for _, r := range rows {
		want := r.Category
		c := byCode[want.Code]
		if c == nil {
			c = &Category{Code: want.Code, Name: want.Name, NameEN: want.NameEN, Sort: next}
			if c.Name == "" {
				c.Name = c.Code
			}
			next++
			if err := tx.Create(c).Error; err != nil {
				return nil, fmt.Errorf("category %s: %w", c.Code, err)
			}
			byCode[c.Code] = c
		} else if want.Name != "" && (want.Name != c.Name || want.NameEN != c.NameEN) {
			c.Name, c.NameEN = want.Name, want.NameEN
			if err := tx.Model(c).Select("name", "name_en").Updates(c).Error; err != nil {
				return nil, fmt.Errorf("category %s: %w", c.Code, err)
			}
		}
		ids[want.Code] = c.ID
	}
	return ids, nil
}

// EachCatalogRow calls fn with every active product as a row of a catalog
// file, page by page (the store is not held between pages), and returns
// how many it gave.
func (s *Store) EachCatalogRow(ctx context.Context, fn func(CatalogRow) error) (int, error) {
	cats, err := s.Categories(ctx)
	if err != nil {
		return 0, err
	}
	byID := map[uint]Category{}
	for _, c := range cats {
		byID[c.ID] = c
	}
	n := 0
	var after uint
	for {
		var page []Product
		codes := map[uint][]string{}
		err := s.read(ctx, func(db *gorm.DB) error {
			if err := db.Where("active = ? AND id > ?", true, after).Order("id").Limit(1000).Find(&page).Error; err != nil {
				return err
			}
			if len(page) == 0 {
				return nil
			}
			var bs []Barcode
			if err := db.Where("product_id >= ? AND product_id <= ?", page[0].ID, page[len(page)-1].ID).
				Order("code").Find(&bs).Error; err != nil {
				return err
			}
			for _, b := range bs {
				codes[b.ProductID] = append(codes[b.ProductID], b.Code)
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("store: catalog rows: %w", err)
		}
		if len(page) == 0 {
			return n, nil
		}
		for _, p := range page {
			r := CatalogRow{SKU: p.SKU, Barcodes: codes[p.ID], Name: p.Name, NameEN: p.NameEN, Category: byID[p.CategoryID],
				Price: p.Price, Unit: p.Unit, UnitEN: p.UnitEN, Weighed: p.Weighed, TaxRate: p.TaxRateBP}
			if !p.Untracked {
				q := p.Stock
				r.Stock = &q
			}
			n++
			if err := fn(r); err != nil {
				return n, err
			}
		}
		after = page[len(page)-1].ID
	}
}
