package models

// This file holds the open item (无码商品): goods with no barcode and no
// place in the catalog, sold for an amount the cashier keys. A shop with no
// catalog yet sells with it alone.

// StandardVATRateBP is China's standard VAT rate, 13%, in basis points.
// The shop has no setting for a default rate: an open item, which has no
// catalog entry to give its own, is taxed at this one.
const StandardVATRateBP = 1300

// OpenItemSKU is the SKU on the line of every open item.
const OpenItemSKU = "OPEN"

// The names on an open item's line: 其他商品 in Chinese, "Other item" in
// English. They are stored on the line like a product's names, so a receipt
// printed later shows them in its own language.
const (
	OpenItemName   = "其他商品"
	OpenItemNameEN = "Other item"
)

// IsOpenItem reports whether the line is an open item rather than a
// product of the catalog; it has no product, so no stock (Stocked).
func (l OrderLine) IsOpenItem() bool { return l.ProductID == 0 && l.SKU == OpenItemSKU }

// AddOpenItem adds an open item at price (minor units of the order's
// currency), qty whole units of it, on a line of its own: two amounts keyed
// one after the other are two lines, as they are two things sold, each
// shown, discounted, repriced or removed by itself. The line has no product
// (ProductID 0: no stock), the SKU OpenItemSKU, the names OpenItemName and
// OpenItemNameEN, and VAT at StandardVATRateBP. A price of zero or less, or
// above MaxAmount, is refused; so is a quantity that is not whole. It
// returns the index of the new line.
func (o *Order) AddOpenItem(price int64, qty Quantity) (int, error) {
	if price <= 0 {
		return -1, invalid("error.open_item.zero", "Enter an amount more than zero", nil)
	}
	if price > MaxAmount {
		return -1, invalid("error.open_item.too_large", "{{.Amount}} is more than one item may cost ({{.Max}})",
			map[string]any{"Amount": Money{price, o.Currency}.String(), "Max": Money{MaxAmount, o.Currency}.String()})
	}
	return o.addLine(Product{SKU: OpenItemSKU, Name: OpenItemName, NameEN: OpenItemNameEN,
		Price: price, Currency: o.Currency, TaxRateBP: StandardVATRateBP}, qty, false)
}
