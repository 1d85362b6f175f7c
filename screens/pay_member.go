package screens

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
)

// BalancePayments pays from a member's balance, found by their finger;
// *members.Members is one.
type BalancePayments interface {
	// Identify waits (until ctx is done) for a finger and returns whose it is.
	Identify(ctx context.Context) (models.Member, error)
	// Pay pays amount of o from m's balance; o comes back as stored: paid,
	// or awaiting the rest by another tender.
	Pay(ctx context.Context, o *models.Order, m models.Member, amount int64) error
}

// payByMember is the "fingerprint" tender: the customer places a finger,
// the member it belongs to is found, and what is due is paid from their
// balance. A balance short of it pays part, if the cashier agrees, and the
// rest is taken by another tender. paid gets the order once it is paid,
// partly the order awaiting the rest.
func payByMember(ui *UI, bal BalancePayments, o *models.Order, paid, partly func(*models.Order)) {
	var names []string
	if ui.Demo != nil {
		names = ui.Demo.MemberFingers()
	}
	msg := canvas.NewText("", theme.Color(theme.ColorNameError))
	var d *dialog.CustomDialog
	var m models.Member
	panel := fingerPanel(ui, names, func(ctx context.Context) (err error) {
		m, err = bal.Identify(ctx)
		return err
	}, func(err error) {
		if err != nil {
			msg.Text = customerMessage(err)
			msg.Refresh()
			return
		}
		d.Hide()
		chargeMember(ui, bal, o, m, paid, partly)
	})
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), nil)
	due := models.Money{Minor: o.Due(), Currency: o.Currency}.String()
	body := container.NewVBox(
		widget.NewLabel(lang.X("member.pay_prompt", "Customer: place your finger on the reader to pay {{.Amount}} from your balance",
			map[string]any{"Amount": due})),
		panel, msg, container.NewGridWrap(fyne.NewSize(200, 52), cancel))
	d = dialog.NewCustomWithoutButtons(lang.X("member.pay_title", "Pay by fingerprint"), body, ui.Window)
	cancel.OnTapped = d.Hide
	d.Show()
}

// chargeMember takes what is due on o from m's balance, or as much as it
// holds after asking.
func chargeMember(ui *UI, bal BalancePayments, o *models.Order, m models.Member, paid, partly func(*models.Order)) {
	due := o.Due()
	money := func(v int64) string { return models.Money{Minor: v, Currency: o.Currency}.String() }
	ui.Touch()
	charge := func(amount int64) {
		stored := o.Clone()
		var err error
		ui.Async(func() {
			err = bal.Pay(context.Background(), stored, m, amount)
		}, func() {
			switch {
			case err != nil:
				ShowError(ui.Window, err)
			case stored.Status == models.OrderPaid:
				paid(stored)
			default:
				partly(stored)
			}
		})
	}
	switch {
	case m.Balance >= due:
		charge(due)
	case m.Balance <= 0:
		ShowError(ui.Window, &models.Error{Code: models.EINVALID, Key: "error.member.empty",
			Fallback: "{{.Name}} has no balance left; take another tender", Args: map[string]any{"Name": m.Name}})
	default:
		text := lang.X("member.short", "{{.Name}}'s balance is {{.Balance}}, short of {{.Due}}. Take {{.Balance}} from the balance and the remaining {{.Rest}} by another tender?",
			map[string]any{"Name": m.Name, "Balance": money(m.Balance), "Due": money(due), "Rest": money(due - m.Balance)})
		ui.confirm(lang.X("member.short_title", "Balance too low"), text, func(ok bool) {
			if ok {
				charge(m.Balance)
			}
		})
	}
}

// customerMessage is err told to the customer at the fingerprint tender,
// who has no code to type and may pay another way: the reader's errors in
// their words, anything else as the cashier reads it.
func customerMessage(err error) string {
	var e *models.Error
	if !errors.As(err, &e) {
		return Message(err)
	}
	switch e.Key {
	case "error.fingerprint.no_match":
		return lang.X("member.finger_no_match", "Your finger was not recognised. Please place the same finger again, flat on the reader.")
	case "error.fingerprint.locked":
		return lang.X("member.finger_locked", "Fingerprint payment is paused after several tries. Please pay another way, or try again in {{.Wait}}.", messageArgs(e))
	case "error.fingerprint.device":
		return lang.X("member.finger_device", "The fingerprint reader is not working just now. Please pay another way.")
	case "error.fingerprint.no_finger":
		return lang.X("member.finger_none", "No finger was felt on the reader. Please place your finger flat on it.")
	}
	return Message(err)
}
