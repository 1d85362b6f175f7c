package screens

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/qrpay"
)

// otpQRPixels is the side of the authenticator's QR code on screen.
const otpQRPixels = 240

// askOwnerOTP asks for the 6 digits an owner's authenticator app shows
// now (an owner away from the shop reads them out), and on success runs
// then with that owner, as their approval.
func askOwnerOTP(ui *UI, staff Staff, title string, then func(models.Operator)) {
	hint := widget.NewLabel(lang.X("otp.owner_hint", "The 6 digits the owner's authenticator app shows now"))
	hint.Wrapping = fyne.TextWrapWord
	nd := newNumberDialog(ui, title, 0, "", nil, container.NewStack(strut(360, 0), hint))
	nd.onOK = checkInBackground(ui, nd, staff.ApproveByOTP, then)
	nd.keypad.Secret = true // keeps a leading zero
	nd.keypad.MaxLen = models.OTPDigits
	nd.Show()
}

// AskSetUpOTP sets up owner op's authenticator: op (signed in, or giving
// their code) scans the QR code or types the key shown in groups of four,
// then types the first code it shows, which confirms it.
func (s *Settings) AskSetUpOTP(op models.Operator) {
	title := lang.X("otp.setup_title", "Authenticator for {{.Name}}", map[string]any{"Name": op.Name})
	start := func(by models.Operator) {
		var e models.OTPEnrolment
		var err error
		s.ui.Async(func() {
			e, err = s.deps.StaffAdmin.EnrolOTP(context.Background(), op, by)
		}, func() {
			if err != nil {
				ShowError(s.ui.Window, err)
				return
			}
			s.showOTPEnrolment(title, e, by)
		})
	}
	if s.ui.Operator().ID == op.ID {
		start(op)
		return
	}
	// Its secret is the owner's alone to see: they show who they are.
	askManager(s.ui, s.deps.Staff, title, start)
}

// showOTPEnrolment shows e's QR code and key, and asks for the first code.
func (s *Settings) showOTPEnrolment(title string, e models.OTPEnrolment, by models.Operator) {
	top := []fyne.CanvasObject{}
	scan := widget.NewLabel(lang.X("otp.scan", "Scan this code with an authenticator app, or type the key into it:"))
	scan.Wrapping = fyne.TextWrapWord
	top = append(top, container.NewStack(strut(420, 0), scan))
	if img, err := qrpay.Image(e.URL, otpQRPixels); err == nil {
		qr := canvas.NewImageFromImage(img)
		qr.FillMode = canvas.ImageFillContain
		qr.ScaleMode = canvas.ImageScalePixels
		qr.SetMinSize(fyne.NewSquareSize(otpQRPixels))
		top = append(top, container.NewCenter(qr))
	}
	key := widget.NewLabelWithStyle(e.SecretGroups(), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	then := widget.NewLabel(lang.X("otp.first_code", "Then type the 6 digits it shows:"))
	top = append(top, key, then)
	nd := newNumberDialog(s.ui, title, 0, "", nil, top...)
	checking := false
	nd.onOK = func(code string) error {
		if checking {
			return errChecking
		}
		checking = true
		var err error
		s.ui.Async(func() {
			err = s.deps.StaffAdmin.ConfirmOTP(context.Background(), e, code, by)
		}, func() {
			checking = false
			if nd.closed {
				return
			}
			if err != nil {
				nd.showError(err)
				return
			}
			nd.close(func() {
				dialog.ShowInformation(title, lang.X("otp.ready", "{{.Name}} can now approve with the authenticator's one-time codes", map[string]any{"Name": e.Name}), s.ui.Window)
				s.RefreshStaff()
			})
		})
		return errChecking
	}
	nd.keypad.Secret = true
	nd.keypad.MaxLen = models.OTPDigits
	nd.Show()
	fitDialog(s.ui, nd.d)
}

// AskRemoveOTP deletes owner op's authenticator (a phone lost or
// replaced), once confirmed: by the one signed in when they may, else by
// someone who may, with their code.
func (s *Settings) AskRemoveOTP(op models.Operator) {
	title := lang.X("otp.remove_title", "Remove {{.Name}}'s authenticator", map[string]any{"Name": op.Name})
	text := lang.X("otp.remove_confirm", "{{.Name}}'s one-time codes will no longer approve anything here.", map[string]any{"Name": op.Name})
	var removeAs func(by models.Operator, asked bool)
	removeAs = func(by models.Operator, asked bool) {
		var err error
		s.ui.Async(func() {
			err = s.deps.StaffAdmin.RemoveOTP(context.Background(), op, by)
		}, func() {
			switch {
			case err == nil:
				s.RefreshStaff()
			case models.IsDenied(err) && !asked:
				askManager(s.ui, s.deps.Staff, title, func(m models.Operator) { removeAs(m, true) })
			default:
				ShowError(s.ui.Window, err)
			}
		})
	}
	s.ui.confirm(title, text, func(ok bool) {
		if ok {
			removeAs(s.ui.Operator(), false)
		}
	})
}
