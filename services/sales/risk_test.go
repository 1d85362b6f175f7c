package sales

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/services/risk"
)

// watch sets a risk monitor with rules on r's sales and returns the alerts
// it tells of, as "rule count amount".
func (r *rig) watch(t *testing.T, rules payments.RiskRules, offline payments.OfflinePolicy) *[]string {
	return r.watchWith(t, rules, func() payments.OfflinePolicy { return offline })
}

func (r *rig) watchWith(t *testing.T, rules payments.RiskRules, offline func() payments.OfflinePolicy) *[]string {
	t.Helper()
	ctx := context.Background()
	m, err := risk.New(ctx, r.store, "T01", offline)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetRules(ctx, rules, r.cashier); !models.IsDenied(err) {
		t.Fatalf("a cashier tuned the risk rules: %v", err)
	}
	if err := m.SetRules(ctx, rules, r.manager); err != nil {
		t.Fatal(err)
	}
	var got []string
	m.OnAlert(func(a risk.Alert) { got = append(got, fmt.Sprintf("%s %d %d", a.Rule, a.Count, a.Amount)) })
	r.sales.SetRisk(m)
	return &got
}

// riskAudited is the risk alerts' details in the audit trail, oldest first.
func (r *rig) riskAudited(t *testing.T) []string {
	t.Helper()
	entries, err := r.store.AuditEntries(context.Background(), models.ActionRiskAlert)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Detail)
	}
	return out
}

func TestRiskAlertsAfterVoidsDeclinesDrawerAndALargeSale(t *testing.T) {
	r := newRig(t, "", nil)
	ctx := context.Background()
	// Fifty sales of ¥3.50 yesterday make the usual ticket.
	var ids []uint
	for range 50 {
		ids = append(ids, r.cashOrder(t, 1).ID)
	}
	yesterday := time.Now().AddDate(0, 0, -1)
	if err := r.rawDB(t).Model(&models.Order{}).Where("id IN ?", ids).Update("created_at", yesterday).Error; err != nil {
		t.Fatal(err)
	}
	got := r.watch(t, payments.RiskRules{Undos: 2, Declines: 1, LargeSale: 3, DrawerOpens: 1}, payments.DefaultOfflinePolicy)

	// Three voids by one manager: the third is one too many.
	for i := range 3 {
		o := r.cashOrder(t, 1)
		if _, err := r.sales.Void(ctx, o.ID, r.manager); err != nil {
			t.Fatal(err)
		}
		if want := map[int]int{0: 0, 1: 0, 2: 1}[i]; len(*got) != want {
			t.Fatalf("after void %d: alerts %v", i+1, *got)
		}
	}
	// ¥10.50 is three times the usual ¥3.50, not above it; ¥14.00 is.
	r.cashOrder(t, 3)
	if len(*got) != 1 {
		t.Fatalf("a sale of three times the usual raised %v", *got)
	}
	large := r.cashOrder(t, 4)
	// The same card declined twice within the hour (amounts ending in 51
	// are declined by the simulated host).
	for range 2 {
		o := r.order(t, 2, 49) // ¥6.51
		if res, err := r.cards.Pay(ctx, o, "UnionPay", func(payments.CardStep) {}); err == nil || res.Approved {
			t.Fatalf("¥6.51 approved: %+v", res)
		}
	}
	// The drawer opened twice without a sale.
	if err := r.printing.Configure(ctx, receipt.PrinterSettings{URL: "file://" + filepath.Join(t.TempDir(), "p.bin"), Paper: "58",
		QR: "native", Cut: "partial", Chinese: true}, r.manager); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := r.sales.OpenDrawer(ctx, r.manager); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"undos 3 0", "large_sale 0 1400", "declines 2 0", "drawer_opens 2 0"}
	if fmt.Sprint(*got) != fmt.Sprint(want) {
		t.Fatalf("alerts %v, want %v", *got, want)
	}
	audited := r.riskAudited(t)
	if len(audited) != 4 || !strings.HasPrefix(audited[1], "rule=large_sale count=0 amount=1400 limit=1050") {
		t.Fatalf("audited %q", audited)
	}
	entries, _ := r.store.AuditEntries(ctx, models.ActionRiskAlert)
	if entries[1].Subject != large.Number || entries[2].Subject != "**** **** **** 1232" {
		t.Fatalf("subjects %q, %q", entries[1].Subject, entries[2].Subject)
	}
}

func TestRiskAlertWhenOfflineApprovalsNearTheirCap(t *testing.T) {
	policy := payments.OfflinePolicy{FloorLimit: 1000, MaxCount: 4, MaxTotal: 10000}
	r := newRig(t, closedPort(t), func() payments.OfflinePolicy { return policy })
	got := r.watch(t, payments.RiskRules{OfflinePercent: 50}, policy)
	ctx := context.Background()
	for i := range 2 {
		o := r.order(t, 1, 0)
		resp, err := r.sales.PayOnline(ctx, o, models.Payment{Tender: models.TenderCard, Amount: o.Total, MaskedPAN: "**** **** **** 1232"},
			acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: testTrack2, ICC: testICC, OfflineAuthenticated: true})
		if err != nil || !resp.Approved() {
			t.Fatalf("offline approval %d: %+v %v", i+1, resp, err)
		}
		// One of four held is 25%; two, 50%: the alert.
		if want := i; len(*got) != want {
			t.Fatalf("after %d offline approvals: alerts %v", i+1, *got)
		}
	}
	if (*got)[0] != "offline 2 700" {
		t.Fatalf("alert %v", *got)
	}
}

// TestRiskCountsInTheOpenShift: voids before a shift opened do not count
// toward the rule in it; the shift's own do.
func TestRiskCountsInTheOpenShift(t *testing.T) {
	r := newRig(t, "", nil)
	ctx := context.Background()
	got := r.watch(t, payments.RiskRules{Undos: 1}, payments.DefaultOfflinePolicy)
	void := func() {
		t.Helper()
		o := r.cashOrder(t, 1)
		if _, err := r.sales.Void(ctx, o.ID, r.manager); err != nil {
			t.Fatal(err)
		}
	}
	void()
	void() // two today, no shift: one too many
	if len(*got) != 1 {
		t.Fatalf("without a shift: %v", *got)
	}
	if _, err := r.store.OpenShift(ctx, "T01", r.manager, 0, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	void() // the shift's first
	if len(*got) != 1 {
		t.Fatalf("the shift's first void raised %v", *got)
	}
	void()
	if len(*got) != 2 || (*got)[1] != "undos 2 0" {
		t.Fatalf("the shift's second void: %v", *got)
	}
}
