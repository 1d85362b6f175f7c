package payments

import (
	"fmt"
	"testing"
)

func TestCheckRisk(t *testing.T) {
	r := DefaultRiskRules
	cap := OfflinePolicy{FloorLimit: 30000, MaxCount: 20, MaxTotal: 200000}
	for _, c := range []struct {
		name  string
		facts RiskFacts
		rules RiskRules
		want  string
	}{
		{"nothing", RiskFacts{}, r, "[]"},
		{"five undos are allowed", RiskFacts{Undos: 5}, r, "[]"},
		{"the sixth is not", RiskFacts{Undos: 6}, r, "[{undos 6 0 5}]"},
		{"a rule at zero is off", RiskFacts{Undos: 60}, RiskRules{}, "[]"},
		{"a fourth decline in the hour", RiskFacts{Declines: 4}, r, "[{declines 4 0 3}]"},
		{"offline count at 80%", RiskFacts{OfflineCount: 16, OfflineTotal: 1000, Offline: cap}, r, "[{offline 16 1000 200000}]"},
		{"offline total at 80%", RiskFacts{OfflineCount: 1, OfflineTotal: 160000, Offline: cap}, r, "[{offline 1 160000 200000}]"},
		{"offline below", RiskFacts{OfflineCount: 15, OfflineTotal: 159999, Offline: cap}, r, "[]"},
		{"ten times the usual is allowed", RiskFacts{Sale: 35000, Usual: 3500, UsualOrders: 50}, r, "[]"},
		{"above it is not", RiskFacts{Sale: 35001, Usual: 3500, UsualOrders: 50}, r, "[{large_sale 0 35001 35000}]"},
		{"no usual ticket yet", RiskFacts{Sale: 350000, Usual: 3500, UsualOrders: 49}, r, "[]"},
		{"a fourth no-sale opening", RiskFacts{DrawerOpens: 4}, r, "[{drawer_opens 4 0 3}]"},
	} {
		if got := fmt.Sprint(CheckRisk(c.facts, c.rules)); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestRiskRulesSettingsRoundTrip(t *testing.T) {
	r := RiskRules{Undos: 7, Declines: 0, OfflinePercent: 90, LargeSale: 20, DrawerOpens: 5}
	s := r.Settings()
	if got := RiskRulesFrom(func(k string) string { return s[k] }); got != r {
		t.Fatalf("round trip: %+v", got)
	}
	// Unset, unreadable or out of range: the default.
	odd := map[string]string{SettingRiskUndos: "x", SettingRiskOfflinePercent: "101", SettingRiskLargeSale: "-1"}
	if got := RiskRulesFrom(func(k string) string { return odd[k] }); got != DefaultRiskRules {
		t.Fatalf("odd settings: %+v", got)
	}
	if err := (RiskRules{OfflinePercent: 101}).Check(); err == nil {
		t.Fatal("101% accepted")
	}
}
