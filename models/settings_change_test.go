package models

import (
	"context"
	"strings"
	"testing"
)

// TestSettingsChangeOnlyByWhoMay: while the first-run setup runs nobody is
// signed in and the setup writes; once it has ended every change needs the
// section's permission of whoever asks, all values or none are stored, and
// the audit names the settings changed, never their values.
func TestSettingsChangeOnlyByWhoMay(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	nobody := Operator{}
	if err := s.ChangeSettings(ctx, PermSettingsShop, map[string]string{SettingStoreName: "街角便利店"}, nobody); err != nil {
		t.Fatalf("the setup's own change: %v", err)
	}
	if err := s.SetSetting(ctx, SettingSetupDone, "1"); err != nil {
		t.Fatal(err)
	}
	owner := Operator{ID: 3, Name: "老板", Role: RoleOwner}
	onStaff(t, s, cashier, manager, owner)
	for _, c := range []struct {
		by   Operator
		p    Permission
		want bool
	}{
		{nobody, PermSettingsSelling, false},
		{cashier, PermSettingsSelling, false},
		{cashier, PermSettingsDevices, false},
		{manager, PermSettingsDevices, true},
		{manager, PermSettingsSelling, true},
		{manager, PermSettingsPayments, false},
		{manager, PermSettingsShop, false},
		{owner, PermSettingsPayments, true},
		{owner, PermSettingsShop, true},
	} {
		values := map[string]string{"a_" + string(c.p): "new", "b_" + string(c.p): "secret-value"}
		err := s.ChangeSettings(ctx, c.p, values, c.by)
		if (err == nil) != c.want || (err != nil && !IsDenied(err)) {
			t.Errorf("%s (%s) changing %s: %v, want allowed %v", c.by.Name, c.by.Role, c.p, err, c.want)
		}
		for k, v := range values {
			got, _ := s.Setting(ctx, k, "")
			if (got == v) != c.want {
				t.Errorf("%s after %s's change: %q", k, c.by.Role, got)
			}
		}
	}
	var audit []AuditEntry
	if err := s.db.Where("action = ?", "settings").Order("id").Find(&audit).Error; err != nil {
		t.Fatal(err)
	}
	if len(audit) != 5 { // the setup's, then the four allowed
		t.Fatalf("%d audit entries of settings changes, want 5", len(audit))
	}
	last := audit[len(audit)-1]
	if last.OperatorID != owner.ID || last.Subject != string(PermSettingsShop) ||
		last.Detail != "a_settings_shop,b_settings_shop" || strings.Contains(last.Detail, "secret") {
		t.Fatalf("audit of the owner's change: %+v", last)
	}
}
