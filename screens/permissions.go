package screens

import (
	"context"

	"fyne.io/fyne/v2/lang"

	"github.com/till-pos/till/models"
)

// permissionName is a permission as the owner reads it in the matrix and
// in a refusal.
func permissionName(p models.Permission) string {
	switch p {
	case models.PermVoid:
		return lang.X("perm.void", "void a sale")
	case models.PermRefund:
		return lang.X("perm.refund", "refund")
	case models.PermDiscountOverride:
		return lang.X("perm.discount_override", "discount above the limit")
	case models.PermPriceOverride:
		return lang.X("perm.price_override", "change a price")
	case models.PermDrawerOpen:
		return lang.X("perm.drawer_open", "open the drawer without a sale")
	case models.PermReports:
		return lang.X("perm.reports", "read the reports")
	case models.PermDayClose:
		return lang.X("perm.day_close", "settle and close the day")
	case models.PermSettingsShop:
		return lang.X("perm.settings_shop", "settings: the shop")
	case models.PermSettingsPayments:
		return lang.X("perm.settings_payments", "settings: acquirer, QR and card limits")
	case models.PermSettingsDevices:
		return lang.X("perm.settings_devices", "settings: printer and readers")
	case models.PermSettingsSelling:
		return lang.X("perm.settings_selling", "settings: discount limit, stock, auto-lock")
	case models.PermStaff:
		return lang.X("perm.staff", "staff and their fingers")
	case models.PermMemberEnrol:
		return lang.X("perm.member_enrol", "enrol a member")
	case models.PermMemberLinkCard:
		return lang.X("perm.member_link_card", "link a member's card")
	case models.PermMemberRemove:
		return lang.X("perm.member_remove", "remove a member")
	case models.PermMemberPayout:
		return lang.X("perm.member_payout", "pay out a member's balance")
	case models.PermTraining:
		return lang.X("perm.training", "training mode")
	}
	return string(p)
}

// asAllowed does something that needs p: as the one signed in when their
// role may, else as whoever approves with their code (title says what is
// asked) when theirs may. The store checks again when it stores the
// change; this spares a refusal after the new value is typed.
func asAllowed(ui *UI, staff Staff, p models.Permission, title string, do func(by models.Operator)) {
	if staff == nil { // nobody to ask: the store alone decides
		do(ui.Operator())
		return
	}
	// may runs do as op if op may, says why not if not.
	may := func(op models.Operator, otherwise func()) {
		var err error
		ui.Async(func() {
			err = staff.Allowed(context.Background(), op, p)
		}, func() {
			switch {
			case err == nil:
				do(op)
			case models.IsDenied(err) && otherwise != nil:
				otherwise()
			default:
				ShowError(ui.Window, err)
			}
		})
	}
	may(ui.Operator(), func() {
		askManager(ui, staff, title, func(m models.Operator) { may(m, nil) })
	})
}
