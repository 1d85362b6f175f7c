package payments

import (
	"fmt"
	"strconv"
)

// RiskRules are the thresholds of the risk alerts, as the owner tunes
// them. A rule set to zero is off.
type RiskRules struct {
	// Undos is how many voids and refunds one person may authorize in a
	// shift (in the day, while no shift is open) before each further one
	// raises an alert.
	Undos int
	// Declines is how many times one card may be declined within an hour
	// before each further decline raises an alert.
	Declines int
	// OfflinePercent is how full, in percent, the offline approvals may
	// make the offline policy's count or total before an alert.
	OfflinePercent int
	// LargeSale is how many times the shop's usual ticket a sale may be
	// before an alert.
	LargeSale int
	// DrawerOpens is how many times the drawer may be opened without a
	// sale in a shift (in the day, while no shift is open) before each
	// further opening raises an alert.
	DrawerOpens int
}

// DefaultRiskRules: five voids or refunds, three declines of a card in an
// hour, offline approvals at 80% of their cap, a sale ten times the usual
// ticket, three no-sale openings of the drawer.
var DefaultRiskRules = RiskRules{Undos: 5, Declines: 3, OfflinePercent: 80, LargeSale: 10, DrawerOpens: 3}

// UsualTicketMinOrders is how many orders the usual ticket must be drawn
// from before a sale is compared with it: a new shop has no usual yet.
const UsualTicketMinOrders = 50

// The settings that hold the rules.
const (
	SettingRiskUndos          = "risk_undos"
	SettingRiskDeclines       = "risk_declines"
	SettingRiskOfflinePercent = "risk_offline_percent"
	SettingRiskLargeSale      = "risk_large_sale"
	SettingRiskDrawerOpens    = "risk_drawer_opens"
)

// fields pairs each rule with its setting, its largest sensible value,
// and its place in r.
func (r *RiskRules) fields() []struct {
	key string
	max int
	v   *int
} {
	return []struct {
		key string
		max int
		v   *int
	}{
		{SettingRiskUndos, 1000, &r.Undos}, {SettingRiskDeclines, 100, &r.Declines},
		{SettingRiskOfflinePercent, 100, &r.OfflinePercent}, {SettingRiskLargeSale, 1000, &r.LargeSale},
		{SettingRiskDrawerOpens, 1000, &r.DrawerOpens},
	}
}

// Settings are r as settings to store.
func (r RiskRules) Settings() map[string]string {
	out := map[string]string{}
	for _, f := range r.fields() {
		out[f.key] = strconv.Itoa(*f.v)
	}
	return out
}

// RiskRulesFrom reads the rules from stored settings (get returns "" for
// one not set); a rule not set, or unreadable, keeps its default.
func RiskRulesFrom(get func(key string) string) RiskRules {
	r := DefaultRiskRules
	for _, f := range r.fields() {
		if n, err := strconv.Atoi(get(f.key)); err == nil && n >= 0 && n <= f.max {
			*f.v = n
		}
	}
	return r
}

// Check says why r cannot be kept: a rule below zero or beyond sense.
func (r RiskRules) Check() error {
	for _, f := range r.fields() {
		if *f.v < 0 || *f.v > f.max {
			return fmt.Errorf("%s: %d is not between 0 and %d", f.key, *f.v, f.max)
		}
	}
	return nil
}

// RiskRule names a rule, as the audit trail and the alert's message do.
type RiskRule string

// The rules.
const (
	RiskUndos       RiskRule = "undos"
	RiskDeclines    RiskRule = "declines"
	RiskOffline     RiskRule = "offline"
	RiskLargeSale   RiskRule = "large_sale"
	RiskDrawerOpens RiskRule = "drawer_opens"
)

// RiskFacts are what happened, as the checks after an event gather them;
// a fact not gathered is zero and its rule is not checked.
type RiskFacts struct {
	// Undos is how many voids and refunds the person just authorizing one
	// has authorized in the shift, this one included.
	Undos int
	// Declines is how many times the card just declined was declined in
	// the last hour, this one included.
	Declines int
	// OfflineCount and OfflineTotal are the offline approvals awaiting
	// their advices, against Offline's caps.
	OfflineCount int
	OfflineTotal int64
	Offline      OfflinePolicy
	// Sale is the total of the sale just made; Usual the shop's usual
	// ticket and UsualOrders how many orders it was drawn from.
	Sale        int64
	Usual       int64
	UsualOrders int
	// DrawerOpens is how many times the drawer was opened without a sale
	// in the shift, this one included.
	DrawerOpens int
}

// RiskAlert is a rule that facts broke: which, how far (Count, Amount) and
// against what (Limit).
type RiskAlert struct {
	Rule   RiskRule
	Count  int
	Amount int64
	Limit  int64
}

// Detail is the alert for the audit trail.
func (a RiskAlert) Detail() string {
	return fmt.Sprintf("rule=%s count=%d amount=%d limit=%d", a.Rule, a.Count, a.Amount, a.Limit)
}

// CheckRisk is every rule of r that facts break: the one place the risk
// rules are decided.
func CheckRisk(f RiskFacts, r RiskRules) []RiskAlert {
	var out []RiskAlert
	if r.Undos > 0 && f.Undos > r.Undos {
		out = append(out, RiskAlert{Rule: RiskUndos, Count: f.Undos, Limit: int64(r.Undos)})
	}
	if r.Declines > 0 && f.Declines > r.Declines {
		out = append(out, RiskAlert{Rule: RiskDeclines, Count: f.Declines, Limit: int64(r.Declines)})
	}
	if r.OfflinePercent > 0 && (f.OfflineCount > 0 || f.OfflineTotal > 0) {
		pct := int64(r.OfflinePercent)
		if (f.Offline.MaxCount > 0 && int64(f.OfflineCount)*100 >= pct*int64(f.Offline.MaxCount)) ||
			(f.Offline.MaxTotal > 0 && f.OfflineTotal*100 >= pct*f.Offline.MaxTotal) {
			out = append(out, RiskAlert{Rule: RiskOffline, Count: f.OfflineCount, Amount: f.OfflineTotal, Limit: f.Offline.MaxTotal})
		}
	}
	if r.LargeSale > 0 && f.UsualOrders >= UsualTicketMinOrders && f.Usual > 0 && f.Sale > int64(r.LargeSale)*f.Usual {
		out = append(out, RiskAlert{Rule: RiskLargeSale, Amount: f.Sale, Limit: int64(r.LargeSale) * f.Usual})
	}
	if r.DrawerOpens > 0 && f.DrawerOpens > r.DrawerOpens {
		out = append(out, RiskAlert{Rule: RiskDrawerOpens, Count: f.DrawerOpens, Limit: int64(r.DrawerOpens)})
	}
	return out
}
