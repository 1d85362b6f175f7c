package screens

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens/widgets"
)

// AuditService reads the audit trail; *models.Store is one.
type AuditService interface {
	// FindAudit lists the entries f chooses, newest first, for by (who
	// needs the reports permission, checked by the store).
	FindAudit(ctx context.Context, by models.Operator, f models.AuditFilter) ([]models.AuditRow, error)
	// AuditActions lists the actions the trail holds.
	AuditActions(ctx context.Context) ([]string, error)
	// VerifyAudit walks the hash chain, telling progress how many entries
	// it has read.
	VerifyAudit(ctx context.Context, progress func(read int64)) (models.AuditCheck, error)
	// AuditHeadNow is the chain's head: how many entries it has.
	AuditHeadNow(ctx context.Context) (int64, string, error)
	// Operators lists the staff, for the person filter.
	Operators(ctx context.Context) ([]models.Operator, error)
}

// Audit is the audit trail viewer: the entries filtered by person, action
// and period, newest first, and a check of the hash chain with its
// progress, which can be cancelled.
type Audit struct {
	ui  *UI
	svc AuditService
	by  models.Operator // who is reading: allowed the reports

	person, action, period *widget.Select
	people                 []models.Operator
	actions                []string
	rows                   []models.AuditRow
	list                   *widget.List
	count                  *widget.Label
	chain                  *canvas.Text
	progress               *widget.ProgressBar
	read                   *widget.Label
	verify, cancel         *widget.Button
	stop                   context.CancelFunc
	content                fyne.CanvasObject
}

// Periods the viewer offers, as days back from today (0: today only; -1:
// all).
var auditPeriods = []int{0, 1, 7, 30, -1}

// NewAudit builds the viewer for by and loads it.
func NewAudit(ui *UI, svc AuditService, by models.Operator) *Audit {
	a := &Audit{ui: ui, svc: svc, by: by}
	a.content = a.build()
	a.load()
	return a
}

// Content is the screen's root object.
func (a *Audit) Content() fyne.CanvasObject { return a.content }

// Rows are the entries shown, for tests.
func (a *Audit) Rows() []models.AuditRow { return a.rows }

// ChainText is the chain's state as shown, for tests.
func (a *Audit) ChainText() string { return a.chain.Text }

func periodName(days int) string {
	switch days {
	case 0:
		return lang.X("audit.today", "Today")
	case 1:
		return lang.X("audit.yesterday", "Since yesterday")
	case -1:
		return lang.X("audit.all", "All time")
	}
	return lang.X("audit.days", "Last {{.Days}} days", map[string]any{"Days": days})
}

// ActionName is an audit action as people read it; an action without a
// name of its own shows as stored.
func ActionName(action string) string {
	switch action {
	case "backup":
		return lang.X("audit.action.backup", "Backup made")
	case "authorize":
		return lang.X("audit.action.authorize", "Manager approval")
	case "batch_close":
		return lang.X("audit.action.batch_close", "Batch closed")
	case "ca_keys":
		return lang.X("audit.action.ca_keys", "CA public keys loaded")
	case "cancel":
		return lang.X("audit.action.cancel", "Unpaid order cancelled")
	case "code_set":
		return lang.X("audit.action.code_set", "Staff code set")
	case "consent":
		return lang.X("audit.action.consent", "Customer's consent")
	case "discount_override":
		return lang.X("audit.action.discount_override", "Discount above the limit")
	case "drawer_open":
		return lang.X("audit.action.drawer_open", "Drawer opened")
	case "enrol":
		return lang.X("audit.action.enrol", "Finger enrolled")
	case "hold":
		return lang.X("audit.action.hold", "Order held")
	case "member_add":
		return lang.X("audit.action.member_add", "Member added")
	case "member_card":
		return lang.X("audit.action.member_card", "Card linked to a member")
	case "member_opening":
		return lang.X("audit.action.member_opening", "Member's opening balance")
	case "member_remove":
		return lang.X("audit.action.member_remove", "Member removed")
	case "operator_add":
		return lang.X("audit.action.operator_add", "Staff member added")
	case "operator_edit":
		return lang.X("audit.action.operator_edit", "Staff member changed")
	case "operator_remove":
		return lang.X("audit.action.operator_remove", "Staff member removed")
	case "operator_switch":
		return lang.X("audit.action.operator_switch", "Operator switched")
	case "outbox_quarantine":
		return lang.X("audit.action.outbox_quarantine", "Payment record set aside")
	case "payment":
		return lang.X("audit.action.payment", "Payment started")
	case "permissions":
		return lang.X("audit.action.permissions", "Permissions changed")
	case "price_override":
		return lang.X("audit.action.price_override", "Price changed")
	case "recall":
		return lang.X("audit.action.recall", "Order recalled")
	case "refund":
		return lang.X("audit.action.refund", "Refund")
	case "sale":
		return lang.X("audit.action.sale", "Sale")
	case "setting":
		return lang.X("audit.action.setting", "Setting changed")
	case "settings":
		return lang.X("audit.action.settings", "Settings changed")
	case "settle":
		return lang.X("audit.action.settle", "Settlement")
	case "sign_in":
		return lang.X("audit.action.sign_in", "Signed in")
	case "unenrol":
		return lang.X("audit.action.unenrol", "Finger deleted")
	case "void":
		return lang.X("audit.action.void", "Void")
	case models.ActionUpdateChannel:
		return lang.X("audit.action.update_channel", "Update channel set")
	case models.ActionUpdateInstall:
		return lang.X("audit.action.update_install", "Update installed")
	}
	return action
}

func (a *Audit) build() fyne.CanvasObject {
	everyone := lang.X("audit.everyone", "Everyone")
	allActions := lang.X("audit.every_action", "Every action")
	a.person = widget.NewSelect([]string{everyone}, func(string) { a.Refresh() })
	a.person.SetSelectedIndex(0)
	a.action = widget.NewSelect([]string{allActions}, func(string) { a.Refresh() })
	a.action.SetSelectedIndex(0)
	var periods []string
	for _, d := range auditPeriods {
		periods = append(periods, periodName(d))
	}
	a.period = widget.NewSelect(periods, func(string) { a.Refresh() })
	a.period.SetSelectedIndex(2) // the last 7 days
	a.count = widget.NewLabel("")
	a.list = widget.NewList(func() int { return len(a.rows) }, func() fyne.CanvasObject {
		what := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		detail := widget.NewLabel("")
		detail.Truncation = fyne.TextTruncateEllipsis
		return container.NewVBox(what, detail)
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id >= len(a.rows) {
			return
		}
		r := a.rows[id]
		box := o.(*fyne.Container)
		who := r.OperatorName
		if who == "" {
			who = lang.X("audit.system", "Till")
		}
		box.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s · %s · %s  %s", r.At.Local().Format("01-02 15:04:05"), who,
			ActionName(r.Action), r.Subject))
		box.Objects[1].(*widget.Label).SetText(fmt.Sprintf("#%d · %s", r.Seq, r.Detail))
	})
	a.chain = canvas.NewText(lang.X("audit.chain_unchecked", "Hash chain not checked yet"), theme.Color(theme.ColorNameForeground))
	a.chain.TextStyle.Bold = true
	a.progress = widget.NewProgressBar()
	a.progress.Hide()
	a.read = widget.NewLabel("")
	a.verify = widget.NewButtonWithIcon(lang.X("audit.verify", "Check the chain"), theme.ConfirmIcon(), a.Verify)
	a.cancel = widget.NewButtonWithIcon(lang.X("action.cancel", "Cancel"), theme.CancelIcon(), func() {
		if a.stop != nil {
			a.stop()
		}
	})
	a.cancel.Hide()
	title := widget.NewLabelWithStyle(lang.X("audit.title", "Audit trail"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	filters := container.NewGridWithColumns(3, tall(a.person, 52), tall(a.action, 52), tall(a.period, 52))
	chain := container.NewBorder(nil, nil, nil, widgets.NewActions(56, a.cancel, a.verify),
		container.NewVBox(a.chain, a.read, a.progress))
	top := container.NewVBox(title, chain, widget.NewSeparator(), filters, a.count)
	return container.NewPadded(container.NewBorder(top, nil, nil, nil, a.list))
}

// load fills the filters' choices, then the entries.
func (a *Audit) load() {
	var people []models.Operator
	var actions []string
	var err error
	a.ui.Async(func() {
		ctx := context.Background()
		if people, err = a.svc.Operators(ctx); err == nil {
			actions, err = a.svc.AuditActions(ctx)
		}
	}, func() {
		if err != nil {
			ShowError(a.ui.Window, err)
			return
		}
		a.people, a.actions = people, actions
		names := []string{lang.X("audit.everyone", "Everyone")}
		for _, p := range people {
			names = append(names, p.Name)
		}
		a.person.Options = names
		acts := []string{lang.X("audit.every_action", "Every action")}
		for _, act := range actions {
			acts = append(acts, ActionName(act))
		}
		a.action.Options = acts
		a.Refresh()
	})
}

// Filter is the filter the choices make.
func (a *Audit) Filter() models.AuditFilter {
	var f models.AuditFilter
	if i := a.person.SelectedIndex(); i > 0 && i <= len(a.people) {
		f.OperatorID = a.people[i-1].ID
	}
	if i := a.action.SelectedIndex(); i > 0 && i <= len(a.actions) {
		f.Action = a.actions[i-1]
	}
	if i := a.period.SelectedIndex(); i >= 0 && auditPeriods[i] >= 0 {
		now := a.ui.now()
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
		f.From = today.AddDate(0, 0, -auditPeriods[i])
	}
	return f
}

// SetFilter chooses the person, action and period by their place in the
// lists (0: everyone, every action; periods as auditPeriods), for tests.
func (a *Audit) SetFilter(person, action, period int) {
	a.person.SetSelectedIndex(person)
	a.action.SetSelectedIndex(action)
	a.period.SetSelectedIndex(period)
}

// Refresh loads the entries the filters choose.
func (a *Audit) Refresh() {
	if a.list == nil || a.count == nil {
		return // still building
	}
	f := a.Filter()
	var rows []models.AuditRow
	var err error
	a.ui.Async(func() {
		rows, err = a.svc.FindAudit(context.Background(), a.by, f)
	}, func() {
		if err != nil {
			ShowError(a.ui.Window, err)
			return
		}
		a.rows = rows
		a.list.Refresh()
		text := lang.XN("audit.count", "{{.Count}} entries", len(rows), map[string]any{"Count": len(rows)})
		if len(rows) == models.MaxAuditRows {
			text = lang.X("audit.count_max", "The newest {{.Count}} entries: narrow the filter to see older ones",
				map[string]any{"Count": len(rows)})
		}
		a.count.SetText(text)
	})
}

// Verify walks the hash chain, showing how far it has read; Cancel stops it.
func (a *Audit) Verify() {
	if a.stop != nil {
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	a.stop = stop
	a.verify.Disable()
	a.cancel.Show()
	a.progress.SetValue(0)
	a.progress.Show()
	a.read.SetText("")
	var c models.AuditCheck
	var err error
	a.ui.Async(func() {
		total, _, herr := a.svc.AuditHeadNow(ctx)
		if herr != nil || total < 1 {
			total = 1
		}
		c, err = a.svc.VerifyAudit(ctx, func(read int64) {
			a.ui.Do(func() {
				a.progress.SetValue(min(1, float64(read)/float64(total)))
				a.read.SetText(lang.X("audit.read", "{{.Count}} entries read", map[string]any{"Count": read}))
			})
		})
	}, func() {
		stop()
		a.stop = nil
		a.verify.Enable()
		a.cancel.Hide()
		a.progress.Hide()
		switch {
		case errors.Is(err, context.Canceled):
			a.setChain(lang.X("audit.chain_cancelled", "Check cancelled"), theme.ColorNameForeground)
		case err != nil:
			ShowError(a.ui.Window, err)
		case c.Break != nil:
			a.setChain(lang.X("audit.chain_broken", "Chain BROKEN at entry no. {{.Seq}}: {{.Why}}",
				map[string]any{"Seq": c.Break.Seq, "Why": breakWhy(c.Break)}), theme.ColorNameError)
		default:
			head := c.Hash
			if len(head) > 16 {
				head = head[:16]
			}
			a.setChain(lang.X("audit.chain_intact", "Chain intact: {{.Count}} entries, head no. {{.Seq}} {{.Hash}}",
				map[string]any{"Count": c.Entries, "Seq": c.Head, "Hash": head}), theme.ColorNameSuccess)
		}
	})
}

func (a *Audit) setChain(text string, color fyne.ThemeColorName) {
	a.chain.Text = text
	a.chain.Color = theme.Color(color)
	a.chain.Refresh()
}

// breakWhy says why the chain broke, in the language shown.
func breakWhy(b *models.AuditBreak) string {
	switch b.Why {
	case "edited":
		return lang.X("audit.why_edited", "it was changed after it was written")
	case "gap":
		return lang.X("audit.why_gap", "an entry before it is missing, inserted or moved")
	}
	return lang.X("audit.why_head", "the last entries are missing")
}
