package payments

// OfflinePolicy says when a card payment may be approved without the host,
// while it cannot be reached: at or under the floor limit, and while the
// approvals held offline (their advices not yet acknowledged) stay under a
// count and a total.
type OfflinePolicy struct {
	FloorLimit int64 // per payment, minor units
	MaxCount   int   // approvals held offline at once
	MaxTotal   int64 // their sum, minor units
}

// DefaultOfflinePolicy is ¥300 a payment, at most 20 payments and ¥2,000 held.
var DefaultOfflinePolicy = OfflinePolicy{FloorLimit: 30000, MaxCount: 20, MaxTotal: 200000}

// Allows reports whether a payment of amount may be approved offline while
// heldCount approvals summing heldTotal await their advices.
func (p OfflinePolicy) Allows(amount int64, heldCount int, heldTotal int64) bool {
	return amount > 0 && amount <= p.FloorLimit && heldCount+1 <= p.MaxCount && heldTotal+amount <= p.MaxTotal
}
