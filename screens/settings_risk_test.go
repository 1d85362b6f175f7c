package screens

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
)

// fakeRisk keeps the rules set, and who set them.
type fakeRisk struct {
	rules payments.RiskRules
	by    []string
}

func (f *fakeRisk) Rules() payments.RiskRules { return f.rules }
func (f *fakeRisk) SetRules(_ context.Context, r payments.RiskRules, by models.Operator) error {
	f.rules = r
	f.by = append(f.by, by.Name)
	return nil
}

func TestSettingsRiskRulesTunedByTheManager(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	rules := &fakeRisk{rules: payments.DefaultRiskRules}
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Risk: rules})
	showOn(ui, s.Content())
	for _, text := range []string{"Risk alerts", "Voids and refunds by one person in a shift, at most", "5 times", "80%", "×10"} {
		mustShow(t, w, text)
	}
	// The first rule's Change: 5 → 0, off.
	s.AskRiskRule(riskRuleList()[0])
	mustShow(t, w, "0 turns the rule off")
	tap(t, w, "C", "0", "OK")
	if rules.rules.Undos != 0 || rules.rules.Declines != 3 || len(rules.by) != 1 || rules.by[0] != manager.Name {
		t.Fatalf("rules %+v set by %v", rules.rules, rules.by)
	}
	mustShow(t, w, "Off")
}

func TestShellShowsARiskAlertOverTheScreen(t *testing.T) {
	s, ui, _ := newTestShell(t, nil)
	s.RiskAlert(payments.RiskAlert{Rule: payments.RiskLargeSale, Amount: 88800, Limit: 35000}, "T01-00000042")
	if got := s.Alert(); got != "Risk alert: Sale T01-00000042 of ¥888.00 is far above the usual ticket" {
		t.Fatalf("alert %q", got)
	}
	mustShow(t, ui.Window, s.Alert())
	test.Tap(s.alert)
	if s.Alert() != "" {
		t.Fatal("a tap does not dismiss the alert")
	}
}
