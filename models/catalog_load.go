package models

import (
	"context"
	"fmt"
	"strings"
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
	var size struct{ N, Disp, Keys int }
	err = db.Raw(`SELECT count(*) AS n,
		COALESCE(sum(length(CAST(name AS BLOB)) + length(CAST(name_en AS BLOB)) + length(CAST(sku AS BLOB))), 0) AS disp,
		COALESCE(sum(length(CAST(name AS BLOB)) + length(CAST(name_en AS BLOB)) + length(CAST(sku AS BLOB)) +
			length(pinyin_initials) + length(pinyin_full)), 0) +
		(SELECT COALESCE(sum(length(code) + 1), 0) FROM barcodes) AS keys
		FROM products WHERE active = ?`, true).Scan(&size).Error
	if err != nil {
		return nil, nil, fmt.Errorf("store: size the catalog: %w", err)
	}
	b := NewCatalogIndexBuilder(size.N, catIDs)
	b.Reserve(size.Disp, size.Keys)
	// Products arrive in display order (category, then as imported) with their
	// barcodes joined by spaces, so the builder appends without reordering.
	rows, err := db.Raw(`SELECT p.id, p.sku, p.name, p.name_en, p.category_id, p.price, p.tax_rate_bp, p.currency,
		p.unit, p.unit_en, p.weighed, p.pinyin_initials, p.pinyin_full,
		COALESCE((SELECT group_concat(code, ' ') FROM barcodes WHERE product_id = p.id), '')
		FROM products p LEFT JOIN categories c ON c.id = p.category_id
		WHERE p.active = ? ORDER BY c.sort, c.id, p.id`, true).Rows()
	if err != nil {
		return nil, nil, fmt.Errorf("store: load products: %w", err)
	}
	defer rows.Close()
	var codes []string
	for rows.Next() {
		var it CatalogItem
		var ini, full, joined string
		if err := rows.Scan(&it.ID, &it.SKU, &it.Name, &it.NameEN, &it.CategoryID, &it.Price, &it.TaxRateBP,
			&it.Currency, &it.Unit, &it.UnitEN, &it.Weighed, &ini, &full, &joined); err != nil {
			return nil, nil, fmt.Errorf("store: load products: %w", err)
		}
		codes = appendFields(codes[:0], joined)
		b.Add(it, codes, ini, full)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: load products: %w", err)
	}
	return b.Build(), cats, nil
}

// appendFields appends the space-separated fields of s to dst.
func appendFields(dst []string, s string) []string {
	for s != "" {
		var f string
		f, s, _ = strings.Cut(s, " ")
		if f != "" {
			dst = append(dst, f)
		}
	}
	return dst
}
