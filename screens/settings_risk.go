package screens

import (
	"context"
	"fmt"
	"strconv"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
)

// RiskRules are the risk alerts' rules as the owner tunes them;
// *risk.Monitor is one.
type RiskRules interface {
	Rules() payments.RiskRules
	// SetRules stores them, changed by by (the store checks the
	// permission and audits the change).
	SetRules(ctx context.Context, r payments.RiskRules, by models.Operator) error
}

// riskRule is one tunable rule: its name, how its number reads, and its
// place in the rules.
type riskRule struct {
	label string
	unit  func(n int) string
	field func(r *payments.RiskRules) *int
}

func riskRuleList() []riskRule {
	times := func(n int) string {
		return lang.XN("risk.unit_times", "{{.Count}} times", n, map[string]any{"Count": n})
	}
	return []riskRule{
		{lang.X("risk.rule_undos", "Voids and refunds by one person in a shift, at most"), times,
			func(r *payments.RiskRules) *int { return &r.Undos }},
		{lang.X("risk.rule_declines", "Declines of one card in an hour, at most"), times,
			func(r *payments.RiskRules) *int { return &r.Declines }},
		{lang.X("risk.rule_offline", "Offline approvals, alert at this share of their cap"), func(n int) string { return fmt.Sprintf("%d%%", n) },
			func(r *payments.RiskRules) *int { return &r.OfflinePercent }},
		{lang.X("risk.rule_large_sale", "A sale above this many usual tickets"), func(n int) string { return fmt.Sprintf("×%d", n) },
			func(r *payments.RiskRules) *int { return &r.LargeSale }},
		{lang.X("risk.rule_drawer", "No-sale drawer openings in a shift, at most"), times,
			func(r *payments.RiskRules) *int { return &r.DrawerOpens }},
	}
}

// riskItems are the rules, each with its value and a Change button.
func (s *Settings) riskItems() []*widget.FormItem {
	var items []*widget.FormItem
	s.riskValues = nil
	for _, rule := range riskRuleList() {
		value := widget.NewLabel("")
		s.riskValues = append(s.riskValues, value)
		change := widget.NewButton(lang.X("settings.change", "Change"), func() { s.AskRiskRule(rule) })
		items = append(items, widget.NewFormItem(rule.label, withChange(value, change)))
	}
	s.showRiskRules()
	return items
}

// showRiskRules shows the rules in force; a rule at 0 is off.
func (s *Settings) showRiskRules() {
	r := s.deps.Risk.Rules()
	for i, rule := range riskRuleList() {
		n := *rule.field(&r)
		text := rule.unit(n)
		if n == 0 {
			text = lang.X("risk.off", "Off")
		}
		s.riskValues[i].SetText(text)
	}
}

// AskRiskRule changes one rule, typed on the keypad (0 turns it off);
// someone allowed to change the selling settings authorizes it first.
func (s *Settings) AskRiskRule(rule riskRule) {
	s.allowed(models.PermSettingsSelling, rule.label, func(by models.Operator) {
		r := s.deps.Risk.Rules()
		nd := newNumberDialog(s.ui, rule.label, 0, strconv.Itoa(*rule.field(&r)), func(in string) error {
			n, err := strconv.Atoi(in)
			if err != nil {
				return &models.Error{Code: models.EINVALID, Key: "error.risk.rules", Fallback: "Each rule is a whole number from 0 (off) up", Err: err}
			}
			*rule.field(&r) = n
			if err := s.deps.Risk.SetRules(context.Background(), r, by); err != nil {
				return err
			}
			s.showRiskRules()
			return nil
		}, widget.NewLabel(lang.X("risk.zero_off", "0 turns the rule off")))
		nd.Show()
	})
}

// riskSectionTitle names the section.
func riskSectionTitle() string { return lang.X("settings.section_risk", "Risk alerts") }
