package screens

import (
	"bytes"
	"context"
	"image"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
)

// otpNow is the fixed clock of the one-time code tests.
var otpNow = time.Date(2026, 12, 2, 14, 0, 10, 0, time.UTC)

// otpShop is a store with an owner whose authenticator is set up (at
// otpNow minus a minute), and the fake staff approving by one-time code
// through it at otpNow; it returns the authenticator's secret.
func otpShop(t *testing.T) (*fakeStaff, models.Operator, string) {
	t.Helper()
	ctx := context.Background()
	s, err := models.Open(filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	boss, err := s.FirstOwner(ctx, "王芳", "582931", "T01")
	if err != nil {
		t.Fatal(err)
	}
	key := bytes.Repeat([]byte{5}, 32)
	e, err := s.EnrolOTP(ctx, boss.ID, boss)
	if err != nil {
		t.Fatal(err)
	}
	enrolled := otpNow.Add(-time.Minute)
	if err := s.ConfirmOTP(ctx, key, e, otpCodeAt(t, e.Secret, enrolled), boss, "T01", enrolled); err != nil {
		t.Fatal(err)
	}
	staff := &fakeStaff{approveByOTP: func(code string) (models.Operator, error) {
		return s.ApproveByOTP(ctx, key, code, "T01", otpNow)
	}}
	return staff, boss, e.Secret
}

// otpCodeAt is secret's code at t, as the owner's phone shows it.
func otpCodeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := models.OTPCode(secret, models.OTPStep(at))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAnOwnerAwayApprovesWithTheirOneTimeCode(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	staff, boss, secret := otpShop(t)
	var approved []models.Operator
	askManager(ui, staff, "Refund", func(m models.Operator) { approved = append(approved, m) })
	b := findButton(w, "Owner's one-time code")
	if b == nil {
		t.Fatalf("no one-time code button; shown:\n%s", strings.Join(texts(w), "\n"))
	}
	if h := b.Size().Height; h < 48 {
		t.Fatalf("the one-time code button is %v dp tall", h)
	}
	test.Tap(b)
	mustShow(t, w, "The 6 digits the owner's authenticator app shows now")
	// A wrong code: told, and the dialog stays.
	right := otpCodeAt(t, secret, otpNow)
	wrong := "000000"
	if wrong == right {
		wrong = "000001"
	}
	keys(t, w, wrong)
	tap(t, w, "OK")
	mustShow(t, w, "That one-time code is wrong or has expired")
	if len(approved) != 0 || !dialogShown(w) {
		t.Fatalf("approved %v by a wrong code", approved)
	}
	tap(t, w, "C")
	keys(t, w, right)
	tap(t, w, "OK")
	if len(approved) != 1 || approved[0].ID != boss.ID || dialogShown(w) {
		t.Fatalf("approved %+v, dialog shown %v", approved, dialogShown(w))
	}
	if !slices.Equal(staff.otpCodes, []string{wrong, right}) || len(staff.managers) != 0 {
		t.Fatalf("one-time codes asked %q, staff codes %q", staff.otpCodes, staff.managers)
	}
	// The same code at the next approval: refused.
	askManager(ui, staff, "Void", func(m models.Operator) { approved = append(approved, m) })
	tap(t, w, "Owner's one-time code")
	keys(t, w, right)
	tap(t, w, "OK")
	mustShow(t, w, "That one-time code was used already")
	tap(t, w, "Cancel")
	if len(approved) != 1 || dialogShown(w) {
		t.Fatalf("approved %d times, dialog shown %v", len(approved), dialogShown(w))
	}
}

func TestNoOneTimeCodeButtonWithoutAnAuthenticator(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	askManager(ui, &fakeStaff{}, "Refund", func(models.Operator) {})
	mustShow(t, w, "A manager's code is needed")
	if b := findButton(w, "Owner's one-time code"); b != nil && b.Visible() {
		t.Fatal("the one-time code is offered though no owner has an authenticator")
	}
}

// The fake staff admin sets authenticators up with a fixed secret, the
// code checked at otpNow.
const fakeOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

func (f *fakeStaffAdmin) EnrolOTP(_ context.Context, op, by models.Operator) (models.OTPEnrolment, error) {
	if err := models.CanEnrolOTP(op, by); err != nil {
		return models.OTPEnrolment{}, err
	}
	u := "otpauth://totp/Till:" + url.PathEscape(op.Name) + "?issuer=Till&secret=" + fakeOTPSecret
	return models.OTPEnrolment{OperatorID: op.ID, Name: op.Name, Secret: fakeOTPSecret, URL: u}, nil
}

func (f *fakeStaffAdmin) ConfirmOTP(_ context.Context, e models.OTPEnrolment, code string, by models.Operator) error {
	want, err := models.OTPCode(e.Secret, models.OTPStep(otpNow))
	if err != nil {
		return err
	}
	if code != want {
		return &models.Error{Code: models.EINVALID, Key: "error.otp.wrong", Fallback: "That one-time code is wrong or has expired"}
	}
	f.otp = append(f.otp, "confirm:"+e.Name+"/"+by.Name)
	f.setOTP(e.OperatorID, true)
	return nil
}

func (f *fakeStaffAdmin) RemoveOTP(_ context.Context, op, by models.Operator) error {
	if by.ID != op.ID {
		if err := models.DefaultPermissions().Check(by, models.PermStaff); err != nil {
			return err
		}
	}
	f.otp = append(f.otp, "remove:"+op.Name+"/"+by.Name)
	f.setOTP(op.ID, false)
	return nil
}

func (f *fakeStaffAdmin) setOTP(id uint, on bool) {
	for i := range f.staff {
		if f.staff[i].Operator.ID == id {
			f.staff[i].OTP = on
		}
	}
}

// qrImage is the image of the top dialog that holds a QR code.
func qrImage(t *testing.T, w fyne.Window) image.Image {
	t.Helper()
	var img image.Image
	walk(top(w), func(o fyne.CanvasObject) bool {
		if i, ok := o.(*canvas.Image); ok && i.Image != nil {
			img = i.Image
			return true
		}
		return false
	})
	if img == nil {
		t.Fatal("no QR code shown")
	}
	return img
}

func TestSettingsSetsUpAndRemovesAnOwnersAuthenticator(t *testing.T) {
	ui := newTestUI(t, owner)
	w := ui.Window
	admin := &fakeStaffAdmin{staff: []models.StaffMember{{Operator: cashier}, {Operator: manager}, {Operator: owner}}}
	showOn(ui, NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, StaffAdmin: admin}).Content())
	// Offered on the owner's row alone.
	var setups int
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == "Set up authenticator" {
			setups++
			if b.Size().Height < 48 {
				t.Fatalf("the set-up button is %v dp tall", b.Size().Height)
			}
		}
		return false
	})
	if setups != 1 {
		t.Fatalf("%d set-up buttons, want the owner's", setups)
	}
	tap(t, w, "Set up authenticator")
	mustShow(t, w, "Authenticator for Wang Fang")
	mustShow(t, w, "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP")
	// The QR code holds the otpauth:// URL, read as a phone's camera would.
	if got := decodeQR(t, qrImage(t, w)); !strings.HasPrefix(got, "otpauth://totp/") || !strings.Contains(got, "secret="+fakeOTPSecret) {
		t.Fatalf("the QR code reads %q", got)
	}
	keys(t, w, "123456")
	if otpCodeAt(t, fakeOTPSecret, otpNow) != "123456" {
		tap(t, w, "OK")
		mustShow(t, w, "That one-time code is wrong or has expired")
		tap(t, w, "C")
	}
	keys(t, w, otpCodeAt(t, fakeOTPSecret, otpNow))
	tap(t, w, "OK")
	mustShow(t, w, "Wang Fang can now approve with the authenticator's one-time codes")
	tap(t, w, "OK")
	if !slices.Equal(admin.otp, []string{"confirm:Wang Fang/Wang Fang"}) {
		t.Fatalf("authenticators: %q", admin.otp)
	}
	// Shown again: now it can be removed.
	tap(t, w, "Remove authenticator")
	mustShow(t, w, "Wang Fang's one-time codes will no longer approve anything here.")
	tap(t, w, "Yes")
	if !slices.Equal(admin.otp, []string{"confirm:Wang Fang/Wang Fang", "remove:Wang Fang/Wang Fang"}) {
		t.Fatalf("authenticators: %q", admin.otp)
	}
	if findButton(w, "Set up authenticator") == nil {
		t.Fatal("not offered again after removal")
	}
}

func TestAManagerCannotSetUpTheOwnersAuthenticator(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	admin := &fakeStaffAdmin{staff: []models.StaffMember{{Operator: manager}, {Operator: owner}}}
	showOn(ui, NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, StaffAdmin: admin}).Content())
	tap(t, w, "Set up authenticator")
	// The owner must show who they are; the manager's code is refused.
	keys(t, w, "8888")
	tap(t, w, "OK")
	mustShow(t, w, "Only Wang Fang can set up their own authenticator")
	if shown(w, "JBSW") {
		t.Fatal("the owner's secret was shown to a manager")
	}
}
