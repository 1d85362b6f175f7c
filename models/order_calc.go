package models

import "math/bits"

// This file holds the order arithmetic: line amounts, discounts, VAT and
// rounding to the fen. Every mutation recomputes the order and is undone if
// the result breaks a rule, so an order is never left half-changed.

// MaxLines is the most lines one order may hold.
const MaxLines = 500

// AddProduct adds qty of p to the order. A counted product already on an
// undiscounted line at its catalog price is added to that line; a weighed
// product, and one with no catalog id, always gets a line of its own. It
// returns the index of the line that changed.
func (o *Order) AddProduct(p Product, qty Quantity) (int, error) {
	return o.addLine(p, qty, p.ID != 0)
}

// addLine adds qty of p to the order; merge lets a counted product join a
// line of the same product at the same price with no discount of its own.
func (o *Order) addLine(p Product, qty Quantity, merge bool) (int, error) {
	if qty <= 0 {
		return -1, errQtyZero()
	}
	if !p.Weighed && !qty.IsWhole() {
		return -1, errQtyWhole(p.Name)
	}
	if p.Currency != "" && o.Currency != "" && p.Currency != o.Currency {
		return -1, invalid("error.currency.mismatch", "{{.Name}} is priced in another currency", map[string]any{"Name": p.Name})
	}
	if merge && !p.Weighed {
		for i := range o.Lines {
			l := &o.Lines[i]
			if l.ProductID == p.ID && !l.Weighed && l.Discount.IsZero() && l.UnitPrice == p.Price {
				return i, o.SetQty(i, l.Qty+qty)
			}
		}
	}
	if len(o.Lines) >= MaxLines {
		return -1, invalid("error.order.too_many_lines", "An order can hold at most {{.Max}} lines", map[string]any{"Max": MaxLines})
	}
	o.Lines = append(o.Lines, OrderLine{
		ProductID: p.ID, SKU: p.SKU, Name: p.Name, NameEN: p.NameEN,
		Unit: p.Unit, UnitEN: p.UnitEN, Weighed: p.Weighed,
		UnitPrice: p.Price, Qty: qty, TaxRateBP: p.TaxRateBP,
	})
	if err := o.Recalc(); err != nil {
		o.Lines = o.Lines[:len(o.Lines)-1]
		o.mustRecalc()
		return -1, err
	}
	return len(o.Lines) - 1, nil
}

// SetQty sets line i's quantity.
func (o *Order) SetQty(i int, q Quantity) error {
	if err := o.checkLine(i); err != nil {
		return err
	}
	if q <= 0 {
		return errQtyZero()
	}
	if q > MaxQuantity {
		return errQtyTooLarge(input(q.String()))
	}
	if !o.Lines[i].Weighed && !q.IsWhole() {
		return errQtyWhole(o.Lines[i].Name)
	}
	old := o.Lines[i].Qty
	o.Lines[i].Qty = q
	if err := o.Recalc(); err != nil {
		o.Lines[i].Qty = old
		o.mustRecalc()
		return err
	}
	return nil
}

// RemoveLine takes line i off the order.
func (o *Order) RemoveLine(i int) error {
	if err := o.checkLine(i); err != nil {
		return err
	}
	o.Lines = append(o.Lines[:i], o.Lines[i+1:]...)
	if err := o.Recalc(); err != nil {
		// Removing a line can make an amount discount exceed the order:
		// drop the order discount rather than refuse to remove the line.
		o.Discount = Discount{}
		o.mustRecalc()
	}
	return nil
}

// SetLineDiscount sets line i's own discount.
func (o *Order) SetLineDiscount(i int, d Discount) error {
	if err := o.checkLine(i); err != nil {
		return err
	}
	old := o.Lines[i].Discount
	o.Lines[i].Discount = d
	if err := o.Recalc(); err != nil {
		o.Lines[i].Discount = old
		o.mustRecalc()
		return err
	}
	return nil
}

// SetUnitPrice sets line i's unit price (a price override), in minor units.
func (o *Order) SetUnitPrice(i int, price int64) error {
	if err := o.checkLine(i); err != nil {
		return err
	}
	if price < 0 || price > MaxAmount {
		return errNotAmount(input(FormatMinor(price)))
	}
	old := o.Lines[i].UnitPrice
	o.Lines[i].UnitPrice = price
	if err := o.Recalc(); err != nil {
		o.Lines[i].UnitPrice = old
		o.mustRecalc()
		return err
	}
	return nil
}

// SetDiscount sets the whole-order discount, taken after line discounts.
func (o *Order) SetDiscount(d Discount) error {
	old := o.Discount
	o.Discount = d
	if err := o.Recalc(); err != nil {
		o.Discount = old
		o.mustRecalc()
		return err
	}
	return nil
}

// Clear empties the order.
func (o *Order) Clear() {
	o.Lines = nil
	o.Discount = Discount{}
	o.mustRecalc()
}

// IsEmpty reports whether the order has no lines.
func (o *Order) IsEmpty() bool { return len(o.Lines) == 0 }

// TotalMoney is the amount due as Money.
func (o *Order) TotalMoney() Money { return Money{o.Total, o.Currency} }

func (o *Order) checkLine(i int) error {
	if i < 0 || i >= len(o.Lines) {
		return ErrNoLine()
	}
	return nil
}

// mustRecalc recomputes after an undo; the state it returns to was valid.
func (o *Order) mustRecalc() { _ = o.Recalc() }

// Recalc computes every line's gross, discounts, net and tax and the order's
// totals. Line gross = unit price × quantity rounded half up to the fen; the
// line discount comes off first, then the order discount is shared across
// lines in proportion to what they still cost (largest remainder, so the
// shares add up to the fen); VAT is computed per line on its net amount,
// contained in it (inclusive) or added to it (exclusive).
func (o *Order) Recalc() error {
	var subtotal, lineDisc, afterLines int64
	for i := range o.Lines {
		l := &o.Lines[i]
		if l.Qty <= 0 || l.Qty > MaxQuantity {
			return errQtyFormat(input(l.Qty.String()))
		}
		if l.UnitPrice < 0 || l.UnitPrice > MaxAmount {
			return errNotAmount(input(FormatMinor(l.UnitPrice)))
		}
		l.Gross = mulDivRound(l.UnitPrice, int64(l.Qty), 1000)
		d, err := l.Discount.of(l.Gross)
		if err != nil {
			return err
		}
		l.LineDiscount = d
		subtotal += l.Gross
		lineDisc += d
		afterLines += l.Gross - d
	}
	if subtotal > MaxAmount {
		return invalid("error.order.too_large", "The order total is too large", nil)
	}
	orderDisc, err := o.Discount.of(afterLines)
	if err != nil {
		return err
	}
	o.shareOrderDiscount(orderDisc, afterLines)

	var tax, net int64
	for i := range o.Lines {
		l := &o.Lines[i]
		l.Net = l.Gross - l.LineDiscount - l.OrderDiscount
		switch o.TaxMode {
		case TaxExclusive:
			l.Tax = mulDivRound(l.Net, l.TaxRateBP, 10000)
		default:
			l.Tax = mulDivRound(l.Net, l.TaxRateBP, 10000+l.TaxRateBP)
		}
		l.LineNo = i + 1
		tax += l.Tax
		net += l.Net
	}
	o.Subtotal = subtotal
	o.DiscountTotal = lineDisc + orderDisc
	o.TaxTotal = tax
	o.Total = net
	if o.TaxMode == TaxExclusive {
		o.Total = net + tax
	}
	o.LineCount = len(o.Lines)
	return nil
}

// shareOrderDiscount splits disc over the lines in proportion to each line's
// amount after its own discount, by the largest-remainder method.
func (o *Order) shareOrderDiscount(disc, base int64) {
	for i := range o.Lines {
		o.Lines[i].OrderDiscount = 0
	}
	if disc == 0 || base == 0 {
		return
	}
	type rem struct {
		i int
		r int64
	}
	rems := make([]rem, 0, len(o.Lines))
	var given int64
	for i := range o.Lines {
		l := &o.Lines[i]
		amt := l.Gross - l.LineDiscount
		share, r := mulDivRem(amt, disc, base)
		l.OrderDiscount = share
		given += share
		rems = append(rems, rem{i, r})
	}
	// Hand out the fen left over, largest remainder first (earlier line on ties).
	for left := disc - given; left > 0; left-- {
		best := -1
		for j, r := range rems {
			if best < 0 || r.r > rems[best].r {
				best = j
			}
		}
		o.Lines[rems[best].i].OrderDiscount++
		rems[best].r = -1
	}
}

// mulDivRem returns a*b/c and a*b%c for non-negative a, b and positive c,
// with a 128-bit product so that large amounts cannot overflow.
func mulDivRem(a, b, c int64) (q, r int64) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	uq, ur := bits.Div64(hi, lo, uint64(c))
	return int64(uq), int64(ur)
}
