package models

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CatalogFile is the JSON form of a catalog to import: the demo catalog, or
// a shop's own.
type CatalogFile struct {
	Categories []struct {
		Code   string `json:"code"`
		Name   string `json:"name"`
		NameEN string `json:"name_en"`
	} `json:"categories"`
	Products []struct {
		SKU       string `json:"sku"`
		Name      string `json:"name"`
		NameEN    string `json:"name_en"`
		Category  string `json:"category"`
		Price     string `json:"price"`
		Barcode   string `json:"barcode"`
		TaxRateBP int64  `json:"tax_rate_bp"`
		Weighed   bool   `json:"weighed"`
		Unit      string `json:"unit"`
		UnitEN    string `json:"unit_en"`
		// Stock is how much is on the shelf; empty for a product whose
		// stock is not tracked (made to order).
		Stock string `json:"stock"`
	} `json:"products"`
}

// ParseCatalogFile reads and checks a catalog file. Every product must name a
// known category and have a valid price (at most two decimals); problems are
// reported by product SKU and nothing is imported from a bad file.
func ParseCatalogFile(data []byte, c Currency) ([]Category, []Product, error) {
	var f CatalogFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, nil, invalid("error.catalog.format", "The catalog file is not valid JSON: {{.Err}}", map[string]any{"Err": err.Error()})
	}
	cats, index, err := catalogCategories(&f)
	if err != nil {
		return nil, nil, err
	}
	prods := make([]Product, 0, len(f.Products))
	seen := map[string]bool{}
	for _, fp := range f.Products {
		args := map[string]any{"SKU": fp.SKU}
		if fp.SKU == "" || fp.Name == "" || seen[fp.SKU] {
			return nil, nil, invalid("error.catalog.product", "Product {{.SKU}} has no name, or its SKU is missing or repeated", args)
		}
		seen[fp.SKU] = true
		if _, ok := index[fp.Category]; !ok {
			return nil, nil, invalid("error.catalog.no_category", "Product {{.SKU}} names an unknown category", args)
		}
		price, err := ParseMinor(fp.Price)
		if err != nil {
			return nil, nil, fmt.Errorf("product %s: %w", fp.SKU, err)
		}
		stock := Quantity(0)
		if fp.Stock != "" {
			if stock, err = ParseQuantity(fp.Stock); err != nil {
				return nil, nil, fmt.Errorf("product %s stock: %w", fp.SKU, err)
			}
		}
		if fp.TaxRateBP < 0 || fp.TaxRateBP > 10000 {
			return nil, nil, invalid("error.catalog.tax", "Product {{.SKU}} has an impossible tax rate", args)
		}
		p := Product{SKU: fp.SKU, Name: fp.Name, NameEN: fp.NameEN, Price: price, Currency: c,
			TaxRateBP: fp.TaxRateBP, Weighed: fp.Weighed, Unit: fp.Unit, UnitEN: fp.UnitEN, Stock: stock, Untracked: fp.Stock == "", Active: true,
			Category: &cats[index[fp.Category]]}
		if fp.Barcode != "" {
			p.Barcodes = []Barcode{{Code: fp.Barcode}}
		}
		prods = append(prods, p)
	}
	return cats, prods, nil
}

// catalogCategories checks and reads f's categories, sorted in file order,
// and indexes them by code. Every category must have a code and a name.
func catalogCategories(f *CatalogFile) ([]Category, map[string]int, error) {
	cats := make([]Category, 0, len(f.Categories))
	index := map[string]int{}
	for i, fc := range f.Categories {
		if fc.Code == "" || fc.Name == "" {
			return nil, nil, invalid("error.catalog.category", "Category {{.N}} has no code or name", map[string]any{"N": i + 1})
		}
		index[fc.Code] = i
		cats = append(cats, Category{Code: fc.Code, Name: fc.Name, NameEN: fc.NameEN, Sort: i})
	}
	return cats, index, nil
}

// ImportCatalog stores categories and products in one transaction, computing
// each product's pinyin keys once. Existing SKUs and category codes are updated.
func (s *Store) ImportCatalog(ctx context.Context, cats []Category, prods []Product) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		ids := map[string]uint{}
		for i := range cats {
			c := cats[i]
			if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "code"}},
				DoUpdates: clause.AssignmentColumns([]string{"name", "name_en", "sort"})}).Create(&c).Error; err != nil {
				return fmt.Errorf("category %s: %w", c.Code, err)
			}
			if err := tx.Where("code = ?", c.Code).First(&c).Error; err != nil {
				return fmt.Errorf("category %s: %w", c.Code, err)
			}
			ids[c.Code] = c.ID
		}
		for i := range prods {
			p := prods[i]
			if p.Category != nil {
				p.CategoryID = ids[p.Category.Code]
				p.Category = nil
			}
			if p.PinyinInitials == "" && p.PinyinFull == "" {
				p.PinyinInitials, p.PinyinFull = PinyinKeys(p.Name)
			}
			codes := p.Barcodes
			p.Barcodes = nil
			if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "sku"}}, UpdateAll: true}).
				Create(&p).Error; err != nil {
				return fmt.Errorf("product %s: %w", p.SKU, err)
			}
			if err := tx.Where("sku = ?", p.SKU).First(&p).Error; err != nil {
				return fmt.Errorf("product %s: %w", p.SKU, err)
			}
			for _, b := range codes {
				b.ProductID = p.ID
				if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&b).Error; err != nil {
					return fmt.Errorf("barcode %s: %w", b.Code, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return dbError(s.path, fmt.Errorf("store: import catalog: %w", err))
	}
	return nil
}

// ProductCount is the number of products stored.
func (s *Store) ProductCount(ctx context.Context) (int64, error) {
	var n int64
	if err := s.read(ctx, func(db *gorm.DB) error { return db.Model(&Product{}).Count(&n).Error }); err != nil {
		return 0, fmt.Errorf("store: count products: %w", err)
	}
	return n, nil
}

// Categories lists the categories in display order.
func (s *Store) Categories(ctx context.Context) ([]Category, error) {
	var cs []Category
	if err := s.read(ctx, func(db *gorm.DB) error { return db.Order("sort, id").Find(&cs).Error }); err != nil {
		return nil, fmt.Errorf("store: categories: %w", err)
	}
	return cs, nil
}

// ProductByBarcode finds the active product that carries code.
func (s *Store) ProductByBarcode(ctx context.Context, code string) (*Product, error) {
	var p Product
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Joins("JOIN barcodes ON barcodes.product_id = products.id").
			Where("barcodes.code = ? AND products.active = ?", code, true).First(&p).Error
	})
	if err != nil {
		return nil, notFound(err, "error.barcode.unknown", "No product has the barcode {{.Code}}", map[string]any{"Code": code})
	}
	return &p, nil
}

// ProductByID returns a product.
func (s *Store) ProductByID(ctx context.Context, id uint) (*Product, error) {
	var p Product
	if err := s.read(ctx, func(db *gorm.DB) error { return db.First(&p, id).Error }); err != nil {
		return nil, notFoundAs(err, msgNoProduct)
	}
	return &p, nil
}
