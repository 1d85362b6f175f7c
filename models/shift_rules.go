package models

import (
	"strconv"
	"strings"
)

// Denomination is a note or coin of the drawer, in minor units.
type Denomination struct {
	Value int64
	Coin  bool
}

// Label is how a denomination is shown: "¥100", "¥0.5".
func (d Denomination) Label() string {
	s := FormatMinor(d.Value)
	s = strings.TrimSuffix(s, ".00")
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(s, "0")
	}
	return "¥" + s
}

// Denominations are the drawer's notes (¥100, ¥50, ¥20, ¥10, ¥5, ¥1) then
// coins (¥1, ¥0.5, ¥0.1): the one list every count of cash uses.
var Denominations = []Denomination{
	{10000, false}, {5000, false}, {2000, false}, {1000, false}, {500, false}, {100, false},
	{100, true}, {50, true}, {10, true},
}

// CashCount is a count of the drawer: how many of each of Denominations,
// in that order.
type CashCount [9]int

// Total is what the count is worth, in minor units.
func (c CashCount) Total() int64 {
	var t int64
	for i, n := range c {
		t += int64(n) * Denominations[i].Value
	}
	return t
}

// String is the count as stored: each denomination's count, comma separated.
func (c CashCount) String() string {
	parts := make([]string, len(c))
	for i, n := range c {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

// ParseCashCount reads a count as String writes it; "" is no count.
func ParseCashCount(s string) (CashCount, error) {
	var c CashCount
	if s == "" {
		return c, nil
	}
	parts := strings.Split(s, ",")
	if len(parts) != len(c) {
		return c, errBadCount()
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return c, errBadCount()
		}
		c[i] = n
	}
	return c, nil
}

// MaxDenominationCount is the most of one note or coin a count may hold.
const MaxDenominationCount = 100_000

// CheckCashCount refuses a count with a negative or absurd number.
func CheckCashCount(c CashCount) error {
	for _, n := range c {
		if n < 0 || n > MaxDenominationCount {
			return errBadCount()
		}
	}
	return nil
}

func errBadCount() error {
	return invalid("error.shift.bad_count", "That cash count is not valid", nil)
}

// SettingVarianceLimit is the cash variance, in minor units, above which
// closing a shift needs a manager; DefaultVarianceLimit unless set.
const SettingVarianceLimit = "shift_variance_limit"

// DefaultVarianceLimit is ¥10.00.
const DefaultVarianceLimit = 1000

// ParseVarianceLimit reads the setting; a bad value is the default.
func ParseVarianceLimit(s string) int64 {
	v, err := ParseMinor(s)
	if err != nil {
		return DefaultVarianceLimit
	}
	return v
}

// Figures are running totals of a shift or a business day: counts and sums
// by tender, sales and top-ups apart, member balance spent, voids, refunds
// and cash moved in and out of the drawer. Counts follow TakingRow: a
// payment that took money counts once, a refund adds to the amount only.
type Figures struct {
	Sales         int64 `gorm:"column:sales;not null;default:0"` // orders completed
	CashCount     int64 `gorm:"column:cash_count;not null;default:0"`
	CashAmount    int64 `gorm:"column:cash_amount;not null;default:0"`
	CardCount     int64 `gorm:"column:card_count;not null;default:0"`
	CardAmount    int64 `gorm:"column:card_amount;not null;default:0"`
	QRCount       int64 `gorm:"column:qr_count;not null;default:0"`
	QRAmount      int64 `gorm:"column:qr_amount;not null;default:0"`
	TopUpCashN    int64 `gorm:"column:top_up_cash_count;not null;default:0"`
	TopUpCash     int64 `gorm:"column:top_up_cash_amount;not null;default:0"`
	TopUpCardN    int64 `gorm:"column:top_up_card_count;not null;default:0"`
	TopUpCard     int64 `gorm:"column:top_up_card_amount;not null;default:0"`
	TopUpQRN      int64 `gorm:"column:top_up_qr_count;not null;default:0"`
	TopUpQR       int64 `gorm:"column:top_up_qr_amount;not null;default:0"`
	BalanceCount  int64 `gorm:"column:balance_count;not null;default:0"`
	BalanceAmount int64 `gorm:"column:balance_amount;not null;default:0"`
	VoidCount     int64 `gorm:"column:void_count;not null;default:0"`
	VoidAmount    int64 `gorm:"column:void_amount;not null;default:0"`
	RefundCount   int64 `gorm:"column:refund_count;not null;default:0"`
	RefundAmount  int64 `gorm:"column:refund_amount;not null;default:0"`
	CashInCount   int64 `gorm:"column:cash_in_count;not null;default:0"`
	CashInAmount  int64 `gorm:"column:cash_in_amount;not null;default:0"`
	CashOutCount  int64 `gorm:"column:cash_out_count;not null;default:0"`
	CashOutAmount int64 `gorm:"column:cash_out_amount;not null;default:0"`
}

// cells are the figures' columns and pointers to their values, in one order.
func (f *Figures) cells() ([]string, []*int64) {
	return []string{"sales", "cash_count", "cash_amount", "card_count", "card_amount", "qr_count", "qr_amount",
			"top_up_cash_count", "top_up_cash_amount", "top_up_card_count", "top_up_card_amount",
			"top_up_qr_count", "top_up_qr_amount", "balance_count", "balance_amount", "void_count", "void_amount",
			"refund_count", "refund_amount", "cash_in_count", "cash_in_amount", "cash_out_count", "cash_out_amount"},
		[]*int64{&f.Sales, &f.CashCount, &f.CashAmount, &f.CardCount, &f.CardAmount, &f.QRCount, &f.QRAmount,
			&f.TopUpCashN, &f.TopUpCash, &f.TopUpCardN, &f.TopUpCard, &f.TopUpQRN, &f.TopUpQR,
			&f.BalanceCount, &f.BalanceAmount, &f.VoidCount, &f.VoidAmount, &f.RefundCount, &f.RefundAmount,
			&f.CashInCount, &f.CashInAmount, &f.CashOutCount, &f.CashOutAmount}
}

// Add is f plus g, figure by figure.
func (f Figures) Add(g Figures) Figures {
	_, a := f.cells()
	_, b := g.cells()
	for i := range a {
		*a[i] += *b[i]
	}
	return f
}

// IsZero reports whether no figure moved.
func (f Figures) IsZero() bool { return f == Figures{} }

// take adds count payments of amount, by tender t, for a top-up or not.
func (f *Figures) take(t Tender, topUp bool, count, amount int64) {
	var n, a *int64
	switch {
	case t == TenderFingerprint:
		n, a = &f.BalanceCount, &f.BalanceAmount
	case t == TenderCash && topUp:
		n, a = &f.TopUpCashN, &f.TopUpCash
	case t == TenderCash:
		n, a = &f.CashCount, &f.CashAmount
	case t == TenderCard && topUp:
		n, a = &f.TopUpCardN, &f.TopUpCard
	case t == TenderCard:
		n, a = &f.CardCount, &f.CardAmount
	case t == TenderQR && topUp:
		n, a = &f.TopUpQRN, &f.TopUpQR
	case t == TenderQR:
		n, a = &f.QRCount, &f.QRAmount
	default:
		return
	}
	*n += count
	*a += amount
}

// Takings are the figures as takings, through SumTakings: the one rule of
// what is takings, top-ups apart, balance spent not taken twice.
func (f Figures) Takings() Takings {
	var rows []TakingRow
	add := func(t Tender, topUp bool, n, a int64) {
		if n != 0 || a != 0 {
			rows = append(rows, TakingRow{Tender: t, TopUp: topUp, Count: int(n), Amount: a})
		}
	}
	add(TenderCash, false, f.CashCount, f.CashAmount)
	add(TenderCard, false, f.CardCount, f.CardAmount)
	add(TenderQR, false, f.QRCount, f.QRAmount)
	add(TenderCash, true, f.TopUpCashN, f.TopUpCash)
	add(TenderCard, true, f.TopUpCardN, f.TopUpCard)
	add(TenderQR, true, f.TopUpQRN, f.TopUpQR)
	add(TenderFingerprint, false, f.BalanceCount, f.BalanceAmount)
	return SumTakings(rows)
}

// CashTaken is the cash the tills took (sales and top-ups, net of cash
// refunds and voids).
func (f Figures) CashTaken() int64 { return f.CashAmount + f.TopUpCash }

// ExpectedCash is what the drawer should hold: the float counted in, the
// cash taken, cash put in, less cash paid out.
func ExpectedCash(float int64, f Figures) int64 {
	return float + f.CashTaken() + f.CashInAmount - f.CashOutAmount
}

// Variance is counted less expected: negative is cash short.
func Variance(counted, expected int64) int64 { return counted - expected }

// VarianceNeedsManager reports whether a variance is above limit either way,
// so that the close needs a manager.
func VarianceNeedsManager(variance, limit int64) bool {
	if variance < 0 {
		variance = -variance
	}
	return variance > limit
}

// Kinds of cash moved without a sale.
const (
	CashIn  = "in"
	CashOut = "out"
)

// CheckCashMove checks a cash in or out: a kind, an amount and a reason.
func CheckCashMove(kind string, amount int64, reason string) error {
	if kind != CashIn && kind != CashOut {
		return invalid("error.shift.bad_move", "Choose cash in or cash out", nil)
	}
	if amount <= 0 || amount > MaxAmount {
		return errNotAmount(input(FormatMinor(amount)))
	}
	if strings.TrimSpace(reason) == "" {
		return invalid("error.shift.reason", "Give a reason for the cash in or out", nil)
	}
	return nil
}

// Errors of shifts and the close of day.
var (
	ErrShiftOpen = &Error{Code: ECONFLICT, Key: "error.shift.open",
		Fallback: "A shift is already open on this till"}
	ErrNoShift = &Error{Code: ECONFLICT, Key: "error.shift.none",
		Fallback: "No shift is open on this till"}
	ErrVarianceManager = &Error{Code: EINVALID, Key: "error.shift.variance_manager",
		Fallback: "The cash is out by more than the limit: a manager must approve the close"}
	ErrShiftStillOpen = &Error{Code: ECONFLICT, Key: "error.day.shift_open",
		Fallback: "Close the open shift before the close of day"}
)
