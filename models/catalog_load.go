package models

import (
	"context"
	"fmt"
)

// LoadCatalogIndex reads every active product with its barcodes into a
// CatalogIndex, streaming rows rather than building gorm models, so even a
// catalog of 100,000 products loads quickly and lean.
func (s *Store) LoadCatalogIndex(ctx context.Context) (*CatalogIndex, []Category, error) {
	cats, err := s.Categories(ctx)
	if err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	catIDs := make([]uint, len(cats))
	for i, c := range cats {
		catIDs[i] = c.ID
	}
	db := s.db.WithContext(ctx)

	codes := map[uint][]string{}
	rows, err := db.Raw("SELECT product_id, code FROM barcodes ORDER BY product_id").Rows()
	if err != nil {
		return nil, nil, fmt.Errorf("store: load barcodes: %w", err)
	}
	for rows.Next() {
		var id uint
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("store: load barcodes: %w", err)
		}
		codes[id] = append(codes[id], code)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: load barcodes: %w", err)
	}

	var n int64
	if err := db.Model(&Product{}).Where("active = ?", true).Count(&n).Error; err != nil {
		return nil, nil, fmt.Errorf("store: count products: %w", err)
	}
	b := NewCatalogIndexBuilder(int(n), catIDs)
	rows, err = db.Raw(`SELECT id, sku, name, name_en, category_id, price, tax_rate_bp, currency, unit, unit_en,
		weighed, pinyin_initials, pinyin_full FROM products WHERE active = ? ORDER BY id`, true).Rows()
	if err != nil {
		return nil, nil, fmt.Errorf("store: load products: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it CatalogItem
		var ini, full string
		if err := rows.Scan(&it.ID, &it.SKU, &it.Name, &it.NameEN, &it.CategoryID, &it.Price, &it.TaxRateBP,
			&it.Currency, &it.Unit, &it.UnitEN, &it.Weighed, &ini, &full); err != nil {
			return nil, nil, fmt.Errorf("store: load products: %w", err)
		}
		b.Add(it, codes[it.ID], ini, full)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: load products: %w", err)
	}
	return b.Build(), cats, nil
}
