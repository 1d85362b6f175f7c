package models

import "time"

// Category groups products on the sell screen's tabs.
type Category struct {
	ID     uint   `gorm:"primaryKey"`
	Code   string `gorm:"size:32;not null;uniqueIndex"`
	Name   string `gorm:"size:64;not null"`
	NameEN string `gorm:"size:64"`
	Sort   int    `gorm:"not null;default:0"`
}

// DisplayName is the category's name in the language lang ("en" or "zh").
func (c Category) DisplayName(lang string) string {
	if lang == "en" && c.NameEN != "" {
		return c.NameEN
	}
	return c.Name
}

// Product is something the shop sells, counted or weighed.
type Product struct {
	ID         uint   `gorm:"primaryKey"`
	SKU        string `gorm:"size:64;not null;uniqueIndex"`
	Name       string `gorm:"size:128;not null"`
	NameEN     string `gorm:"size:128"`
	CategoryID uint   `gorm:"not null;index"`
	Category   *Category
	// PinyinInitials ("kkkl") and PinyinFull ("kekoukele") are computed once,
	// when the product is saved, so search never converts per keystroke.
	PinyinInitials string   `gorm:"size:128"`
	PinyinFull     string   `gorm:"size:512"`
	Price          int64    `gorm:"not null"` // minor units per unit (per kg when weighed)
	Currency       Currency `gorm:"size:3;not null"`
	TaxRateBP      int64    `gorm:"not null"` // VAT in basis points: 1300 = 13%
	Weighed        bool     `gorm:"not null;default:false"`
	Unit           string   `gorm:"size:16"`
	UnitEN         string   `gorm:"size:16"`
	Stock          Quantity `gorm:"not null;default:0"`
	// Untracked products (made to order: a coffee) have no stock counted
	// that selling them could go beyond.
	Untracked bool `gorm:"not null;default:false"`
	Active    bool `gorm:"not null;default:true"`
	Barcodes  []Barcode
	UpdatedAt time.Time
}

// DisplayName is the product's name in the language lang ("en" or "zh").
func (p Product) DisplayName(lang string) string {
	if lang == "en" && p.NameEN != "" {
		return p.NameEN
	}
	return p.Name
}

// UnitPrice is the product's price as Money.
func (p Product) UnitPrice() Money { return Money{p.Price, p.Currency} }

// Barcode is one of the codes printed on a product (EAN-13, EAN-8, UPC-A or
// the shop's own); a product may have several.
type Barcode struct {
	Code      string `gorm:"primaryKey;size:32"`
	ProductID uint   `gorm:"not null;index;constraint:OnDelete:CASCADE"`
}

// ValidEAN13 reports whether code is 13 digits with a correct check digit.
func ValidEAN13(code string) bool {
	if len(code) != 13 || !allDigits(code) {
		return false
	}
	sum := 0
	for i := 0; i < 12; i++ {
		d := int(code[i] - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return (10-sum%10)%10 == int(code[12]-'0')
}
