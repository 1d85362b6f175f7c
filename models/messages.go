package models

// Messages that more than one rule of this package gives, each defined
// once. A message with arguments is made by a function.

// errQtyZero: a quantity of nothing.
func errQtyZero() error {
	return invalid("error.qty.zero", "The quantity must be more than zero", nil)
}

// errQtyWhole: name is sold in whole units only.
func errQtyWhole(name string) error {
	return invalid("error.qty.whole", "{{.Name}} is sold in whole units", map[string]any{"Name": name})
}

// errQtyTooLarge: input is above the largest quantity.
func errQtyTooLarge(args map[string]any) error {
	return invalid("error.qty.too_large", "{{.Input}} is too large a quantity", args)
}

// errQtyFormat: input does not read as a quantity.
func errQtyFormat(args map[string]any) error {
	return invalid("error.qty.format", "{{.Input}} is not a quantity", args)
}

// errNotAmount: input does not read as an amount, or is out of range.
func errNotAmount(args map[string]any) error {
	return invalid("error.amount.format", "{{.Input}} is not an amount", args)
}

// input is the argument map of a message about what was typed.
func input(s string) map[string]any { return map[string]any{"Input": s} }

// errPaidMismatch: the payments do not add up to what is due.
func errPaidMismatch(paid, total int64) error {
	return invalid("error.sale.paid_mismatch", "Payments of {{.Paid}} do not match the total {{.Total}}",
		map[string]any{"Paid": AmountText(paid), "Total": AmountText(total)})
}

// errNoTerminal: the sale has no terminal to number it.
func errNoTerminal() error {
	return invalid("error.sale.no_terminal", "This terminal has no terminal ID", nil)
}

// errBadPayment: a payment that is not approved in a sale.
func errBadPayment() error {
	return invalid("error.sale.bad_payment", "A payment is not approved", nil)
}

// errSaleEmpty: an order with no lines.
func errSaleEmpty() error { return invalid("error.sale.empty", "The order has no items", nil) }

// errSaleStale: the order's total is not what its lines make.
func errSaleStale() error {
	return invalid("error.sale.stale", "The order changed; check the total and pay again", nil)
}

// errPaymentUnderWay: a payment of the order still awaits the bank.
func errPaymentUnderWay() error {
	return &Error{Code: ECONFLICT, Key: "error.payment.under_way",
		Fallback: "A payment of this order is still waiting for the bank's answer"}
}

// ErrNoLine says the line asked for is no longer on the order.
func ErrNoLine() error {
	return &Error{Code: ENOTFOUND, Key: "error.order.no_line", Fallback: "That line is no longer on the order"}
}

// Things looked for and not found.
var (
	msgMemberNotFound = Error{Code: ENOTFOUND, Key: "error.member.not_found", Fallback: "Member not found"}
	msgNoOperator     = Error{Code: ENOTFOUND, Key: "error.operator.unknown", Fallback: "No such operator"}
	msgNoOrder        = Error{Code: ENOTFOUND, Key: "error.order.not_found", Fallback: "Order not found"}
	msgNoProduct      = Error{Code: ENOTFOUND, Key: "error.product.not_found", Fallback: "Product not found"}
)

// notFoundAs is msg when err says the record is not there (or err is nil),
// else err wrapped.
func notFoundAs(err error, msg Error) error {
	if err != nil {
		return notFound(err, msg.Key, msg.Fallback, nil)
	}
	return &msg
}

// errMemberNotFound: no such member (err, when not nil, is the store's
// error that may say so).
func errMemberNotFound(err error) error { return notFoundAs(err, msgMemberNotFound) }
