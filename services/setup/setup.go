// Package setup is a shop's first-run setup and the settings it makes: who
// the shop is, how its till reaches its acquirer, and its QR merchant
// account. Each part is checked whole by the rules of models and stored in
// one transaction, or not at all.
package setup

import (
	"context"
	"fmt"
	"strings"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/services/hostlink"
)

// Shop, Acquirer and QRMerchant are the parts of a setup.
type (
	Shop       = models.ShopDetails
	Acquirer   = models.AcquirerLink
	QRMerchant = models.QRAccount
)

// Setup reads and makes a shop's setup.
type Setup struct {
	store *models.Store
}

// New is the setup of the shop whose database store is.
func New(store *models.Store) *Setup { return &Setup{store: store} }

// Needed reports whether the first-run setup has not ended yet.
func (s *Setup) Needed(ctx context.Context) (bool, error) {
	v, err := s.store.Setting(ctx, models.SettingSetupDone, "")
	return v == "", err
}

func (s *Setup) get(ctx context.Context, keys ...string) ([]string, error) {
	out := make([]string, len(keys))
	for i, k := range keys {
		v, err := s.store.Setting(ctx, k, "")
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// Shop is the shop as set up so far.
func (s *Setup) Shop(ctx context.Context) (Shop, error) {
	v, err := s.get(ctx, models.SettingStoreName, models.SettingShopAddress, models.SettingTaxNumber)
	if err != nil {
		return Shop{}, err
	}
	return Shop{Name: v[0], Address: v[1], TaxNumber: v[2]}, nil
}

// SaveShop checks and stores who the shop is, changed by by (nobody while
// the first-run setup runs).
func (s *Setup) SaveShop(ctx context.Context, sh Shop, by models.Operator) error {
	sh = Shop{Name: strings.TrimSpace(sh.Name), Address: strings.TrimSpace(sh.Address), TaxNumber: strings.ToUpper(strings.TrimSpace(sh.TaxNumber))}
	for _, err := range []error{models.CheckShopName(sh.Name), models.CheckShopAddress(sh.Address), models.CheckTaxNumber(sh.TaxNumber)} {
		if err != nil {
			return err
		}
	}
	return s.store.ChangeSettings(ctx, models.PermSettingsShop, map[string]string{
		models.SettingStoreName: sh.Name, models.SettingShopAddress: sh.Address, models.SettingTaxNumber: sh.TaxNumber,
	}, by)
}

// Acquirer is the link to the acquirer as set up so far, without its key.
func (s *Setup) Acquirer(ctx context.Context) (Acquirer, error) {
	v, err := s.get(ctx, models.SettingAcquirerAddr, models.SettingAcquirerCA, hostlink.SettingTID, hostlink.SettingMID)
	if err != nil {
		return Acquirer{}, err
	}
	return Acquirer{Addr: v[0], CA: []byte(v[1]), TID: v[2], MID: v[3]}, nil
}

// SaveAcquirer checks and stores the link to the acquirer. The key is
// kept as set when a.MACKey is empty and one is stored already. by makes
// the change (nobody while the first-run setup runs).
func (s *Setup) SaveAcquirer(ctx context.Context, a Acquirer, by models.Operator) error {
	a.Addr, a.TID, a.MID = strings.TrimSpace(a.Addr), strings.TrimSpace(a.TID), strings.TrimSpace(a.MID)
	a.MACKey = strings.ReplaceAll(strings.TrimSpace(a.MACKey), " ", "")
	for _, err := range []error{models.CheckHostAddress(a.Addr), models.CheckAcquirerTLS(a.Addr, a.CA),
		models.CheckTerminalID(a.TID), models.CheckMerchantID(a.MID)} {
		if err != nil {
			return err
		}
	}
	values := map[string]string{models.SettingAcquirerAddr: a.Addr, models.SettingAcquirerCA: string(a.CA),
		hostlink.SettingTID: a.TID, hostlink.SettingMID: a.MID}
	if a.MACKey == "" {
		old, err := s.store.Setting(ctx, "acquirer_mac_key", "")
		if err != nil {
			return err
		}
		if old == "" {
			return errNoKey
		}
	} else {
		if _, err := acquirer.ParseMACKey(a.MACKey); err != nil {
			return errBadKey
		}
		values["acquirer_mac_key"] = a.MACKey
	}
	if err := s.store.ChangeSettings(ctx, models.PermSettingsPayments, values, by); err != nil {
		return fmt.Errorf("setup: acquirer: %w", err)
	}
	return nil
}

var (
	errNoKey = &models.Error{Code: models.EINVALID, Key: "error.setup.mac_key_needed",
		Fallback: "Enter the MAC key the acquirer gave the shop"}
	errBadKey = &models.Error{Code: models.EINVALID, Key: "error.setup.mac_key",
		Fallback: "The MAC key is 32, 48 or 64 hexadecimal digits (0–9, A–F), as the acquirer gave it"}
)

// QRMerchant is the QR merchant account as set up so far.
func (s *Setup) QRMerchant(ctx context.Context) (QRMerchant, error) {
	v, err := s.get(ctx, models.SettingQRGUID, models.SettingQRMerchantID, models.SettingQRMCC)
	if err != nil {
		return QRMerchant{}, err
	}
	return QRMerchant{GUID: v[0], MerchantID: v[1], MCC: v[2]}, nil
}

// SaveQRMerchant checks and stores the QR merchant account, changed by by
// (nobody while the first-run setup runs).
func (s *Setup) SaveQRMerchant(ctx context.Context, q QRMerchant, by models.Operator) error {
	q = QRMerchant{GUID: strings.TrimSpace(q.GUID), MerchantID: strings.TrimSpace(q.MerchantID), MCC: strings.TrimSpace(q.MCC)}
	for _, err := range []error{models.CheckQRGUID(q.GUID), models.CheckQRMerchantID(q.MerchantID), models.CheckMCC(q.MCC)} {
		if err != nil {
			return err
		}
	}
	return s.store.ChangeSettings(ctx, models.PermSettingsPayments, map[string]string{
		models.SettingQRGUID: q.GUID, models.SettingQRMerchantID: q.MerchantID, models.SettingQRMCC: q.MCC,
	}, by)
}

// Owner is the name of the shop's owner, "" before there is one.
func (s *Setup) Owner(ctx context.Context) (string, error) {
	ops, err := s.store.Operators(ctx)
	if err != nil {
		return "", err
	}
	for _, op := range ops {
		if op.Role == models.RoleOwner && op.Active {
			return op.Name, nil
		}
	}
	return "", nil
}

// SaveOwner makes the shop's first owner, who signs in with code (typed
// twice, the same); the code keeps to models.CheckStaffCode.
func (s *Setup) SaveOwner(ctx context.Context, name, code, again string) error {
	if err := models.CheckStaffCode(code); err != nil {
		return err
	}
	if err := models.CheckCodeTwice(code, again); err != nil {
		return err
	}
	tid, err := s.store.Setting(ctx, models.SettingTerminalID, models.DefaultTerminalID)
	if err != nil {
		return err
	}
	_, err = s.store.FirstOwner(ctx, name, code, tid)
	return err
}

// errNoShop: setup cannot end before the shop is named.
var errNoShop = &models.Error{Code: models.EINVALID, Key: "error.setup.no_shop",
	Fallback: "Name the shop before ending the setup"}

var errNoOwner = &models.Error{Code: models.EINVALID, Key: "error.setup.no_owner",
	Fallback: "Make the owner's account before ending the setup"}

// Finish ends the first-run setup, once the shop has a name and an owner: from then on
// the till sells, cash at once, card and QR once their parts are set.
func (s *Setup) Finish(ctx context.Context) error {
	sh, err := s.Shop(ctx)
	if err != nil {
		return err
	}
	if sh.Name == "" {
		return errNoShop
	}
	if owner, err := s.Owner(ctx); err != nil {
		return err
	} else if owner == "" {
		return errNoOwner
	}
	return s.store.SetSetting(ctx, models.SettingSetupDone, "1")
}
