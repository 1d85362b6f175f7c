package models

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"gorm.io/gorm"
)

// This file holds the stock rule: how much of a product is on the shelf,
// whether an order takes more than that, and whether the shop lets it.
// The sell screen asks it as the cashier adds goods, and the store asks it
// again inside the transaction that stores the order, before any money is
// taken.

// DefaultAllowBelowZero is whether the shop sells more than its stock when
// no setting says otherwise: it does, with a warning.
const DefaultAllowBelowZero = true

// StockLevel is how much of a product is on the shelf, as the stock rule
// needs it.
type StockLevel struct {
	ProductID uint
	// Name names the product in messages: the store gives its Chinese
	// name, as its other messages do; a screen puts the name it shows.
	Name  string
	Stock Quantity
	// Untracked products (made to order: a coffee) have no stock counted,
	// and any quantity of them may be sold.
	Untracked bool
}

// Stock rule messages, in the user's language.
var (
	warnStockShort = &Error{Code: EWARNING, Key: "error.stock.short",
		Fallback: "{{.Name}}: only {{.Left}} in stock, {{.Want}} on this order"}
	warnStockOut = &Error{Code: EWARNING, Key: "error.stock.out",
		Fallback: "{{.Name}} is out of stock, {{.Want}} on this order"}
	errStockBelowZero = &Error{Code: EINVALID, Key: "error.stock.below_zero",
		Fallback: "{{.Name}}: only {{.Left}} in stock. Selling below zero stock is not allowed in this shop"}
)

// CheckStock says whether want of the product l (all of it on one order)
// may be sold. Within the stock, or for a product whose stock is not
// tracked, both answers are nil. Beyond it, warning names the product and
// the stock left when the shop sells below zero stock (allowBelowZero), and
// err refuses, saying why, when it does not.
func CheckStock(l StockLevel, want Quantity, allowBelowZero bool) (warning, err error) {
	if l.Untracked || want <= l.Stock {
		return nil, nil
	}
	args := map[string]any{"Name": l.Name, "Left": max(l.Stock, 0).String(), "Want": want.String()}
	if !allowBelowZero {
		return nil, withArgs(errStockBelowZero, args)
	}
	if l.Stock <= 0 {
		return withArgs(warnStockOut, args), nil
	}
	return withArgs(warnStockShort, args), nil
}

// ParseAllowBelowZero reads the stored "allow selling below zero stock"
// setting; anything but a boolean is taken as the default.
func ParseAllowBelowZero(text string) bool {
	v, err := strconv.ParseBool(text)
	if err != nil {
		return DefaultAllowBelowZero
	}
	return v
}

// FormatAllowBelowZero is the setting as stored.
func FormatAllowBelowZero(allow bool) string { return strconv.FormatBool(allow) }

// Stocked reports whether the line takes a product of the catalog off the
// shelf. An open item or a member's top-up sells no product: no stock is
// counted, checked or moved for it.
func (l OrderLine) Stocked() bool { return l.ProductID != 0 }

// QtyOf is how much of product id the order holds, over all its lines.
func (o *Order) QtyOf(id uint) Quantity {
	var q Quantity
	for _, l := range o.Lines {
		if l.ProductID == id {
			q += l.Qty
		}
	}
	return q
}

// StockLevel reads how much of a product is on the shelf now. Product 0,
// which no product of the catalog has (an open item), has no stock counted.
func (s *Store) StockLevel(ctx context.Context, productID uint) (StockLevel, error) {
	if productID == 0 {
		return StockLevel{Name: OpenItemName, Untracked: true}, nil
	}
	var levels []StockLevel
	err := s.read(ctx, func(db *gorm.DB) (err error) {
		levels, err = stockLevels(db, []uint{productID})
		return err
	})
	if err != nil {
		return StockLevel{}, err
	}
	if len(levels) == 0 {
		return StockLevel{}, notFoundAs(nil, msgNoProduct)
	}
	return levels[0], nil
}

// stockLevels reads the stock of products ids.
func stockLevels(db *gorm.DB, ids []uint) ([]StockLevel, error) {
	var rows []struct {
		ID        uint
		Name      string
		Stock     Quantity
		Untracked bool
	}
	if err := db.Model(&Product{}).Select("id, name, stock, untracked").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("stock: %w", err)
	}
	out := make([]StockLevel, len(rows))
	for i, r := range rows {
		out[i] = StockLevel{ProductID: r.ID, Name: r.Name, Stock: r.Stock, Untracked: r.Untracked}
	}
	return out, nil
}

// allowBelowZero reads the shop's setting inside tx.
func allowBelowZero(tx *gorm.DB) (bool, error) {
	var st Setting
	if err := tx.Where("key = ?", SettingAllowBelowZero).Limit(1).Find(&st).Error; err != nil {
		return false, fmt.Errorf("allow below zero stock: %w", err)
	}
	if st.Key == "" {
		return DefaultAllowBelowZero, nil
	}
	return ParseAllowBelowZero(st.Value), nil
}

// checkStock refuses, inside the transaction that stores o or takes a
// payment for it, an order that would take a product's stock below zero
// when the shop does not sell below zero stock.
func checkStock(tx *gorm.DB, o *Order) error {
	allow, err := allowBelowZero(tx)
	if err != nil || allow {
		return err
	}
	want := map[uint]Quantity{}
	var ids []uint
	for _, l := range o.Lines {
		if !l.Stocked() {
			continue
		}
		if _, seen := want[l.ProductID]; !seen {
			ids = append(ids, l.ProductID)
		}
		want[l.ProductID] += l.Qty
	}
	if len(ids) == 0 {
		return nil
	}
	levels, err := stockLevels(tx, ids)
	if err != nil {
		return err
	}
	sort.Slice(levels, func(i, j int) bool { return levels[i].ProductID < levels[j].ProductID })
	for _, l := range levels {
		if _, err := CheckStock(l, want[l.ProductID], false); err != nil {
			return err
		}
	}
	return nil
}
