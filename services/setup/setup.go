// Package setup is a shop's first-run setup and the settings it makes: who
// the shop is, how its till reaches its acquirer, and its QR merchant
// account. Each part is checked whole by the rules of models and stored in
// one transaction, or not at all.
package setup

import (
	"context"
	"errors"
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
	store     *models.Store
	deviceKey []byte
}

// New is the setup of the shop whose database store is; deviceKey (the
// terminal's, kept outside the data folder) seals the acquirer's master
// key. Saving a master key fails without it.
func New(store *models.Store, deviceKey []byte) *Setup {
	return &Setup{store: store, deviceKey: deviceKey}
}

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

// Acquirer is the link to the acquirer as set up so far: never the master
// key's components, only the check value of the master key loaded.
func (s *Setup) Acquirer(ctx context.Context) (Acquirer, error) {
	v, err := s.get(ctx, models.SettingAcquirerAddr, models.SettingAcquirerCA, hostlink.SettingTID, hostlink.SettingMID)
	if err != nil {
		return Acquirer{}, err
	}
	kcv, err := s.store.MasterKeyCheck(ctx)
	if err != nil {
		return Acquirer{}, err
	}
	return Acquirer{Addr: v[0], CA: []byte(v[1]), TID: v[2], MID: v[3], KeyCheck: kcv}, nil
}

// SaveAcquirer checks and stores the link to the acquirer and, when its
// custodians typed its components, the terminal master key: each component
// checked against its check value, the two combined and the key sealed
// with the device key, all stored in one transaction or none. With no
// component typed the master key loaded stays; with one alone nothing is
// stored. by makes the change (nobody while the first-run setup runs).
func (s *Setup) SaveAcquirer(ctx context.Context, a Acquirer, by models.Operator) error {
	a.Addr, a.TID, a.MID = strings.TrimSpace(a.Addr), strings.TrimSpace(a.TID), strings.TrimSpace(a.MID)
	for _, err := range []error{models.CheckHostAddress(a.Addr), models.CheckAcquirerTLS(a.Addr, a.CA),
		models.CheckTerminalID(a.TID), models.CheckMerchantID(a.MID)} {
		if err != nil {
			return err
		}
	}
	values := map[string]string{models.SettingAcquirerAddr: a.Addr, models.SettingAcquirerCA: string(a.CA),
		hostlink.SettingTID: a.TID, hostlink.SettingMID: a.MID}
	typed := func(key, check string) bool { return strings.TrimSpace(key+check) != "" }
	switch one, two := typed(a.Key1, a.Check1), typed(a.Key2, a.Check2); {
	case !one && !two:
		kcv, err := s.store.MasterKeyCheck(ctx)
		if err != nil {
			return err
		}
		if kcv == "" {
			return errNoMasterKey
		}
	case one != two:
		return errOneComponent
	default:
		keyValues, err := s.masterKey(a)
		if err != nil {
			return err
		}
		for k, v := range keyValues {
			values[k] = v
		}
	}
	if err := s.store.ChangeSettings(ctx, models.PermSettingsPayments, values, by); err != nil {
		return fmt.Errorf("setup: acquirer: %w", err)
	}
	return nil
}

// masterKey is the master key a's components make, as the settings that
// keep it sealed; an error names the component typed wrong.
func (s *Setup) masterKey(a Acquirer) (map[string]string, error) {
	var parts [2][]byte
	for i, c := range [2][2]string{{a.Key1, a.Check1}, {a.Key2, a.Check2}} {
		p, err := acquirer.ParseKeyComponent(c[0], c[1])
		if err != nil {
			return nil, componentError(i+1, err)
		}
		parts[i] = p
	}
	tmk, err := acquirer.CombineComponents(parts[0], parts[1])
	if err != nil {
		return nil, err
	}
	kcv, err := acquirer.KeyCheckValue(tmk)
	if err != nil {
		return nil, err
	}
	values, err := models.MasterKeySettings(s.deviceKey, tmk, kcv)
	if err != nil {
		return nil, fmt.Errorf("setup: master key: %w", err)
	}
	return values, nil
}

var (
	errNoMasterKey = &models.Error{Code: models.EINVALID, Key: "error.setup.master_key_needed",
		Fallback: "Load the master key: each custodian types their component and its check value"}
	errOneComponent = &models.Error{Code: models.EINVALID, Key: "error.setup.both_components",
		Fallback: "Both custodians enter their component, each with its check value"}
)

// componentError says which component (1 or 2) err, one of
// ParseKeyComponent's, is about; it wraps err.
func componentError(n int, err error) error {
	args := map[string]any{"N": n}
	switch {
	case errors.Is(err, acquirer.ErrKeyFormat):
		return &models.Error{Code: models.EINVALID, Key: "error.setup.component_format", Args: args, Err: err,
			Fallback: "Master key component {{.N}} is 32 hexadecimal digits (0–9, A–F)"}
	case errors.Is(err, acquirer.ErrCheckFormat):
		return &models.Error{Code: models.EINVALID, Key: "error.setup.check_format", Args: args, Err: err,
			Fallback: "Check value {{.N}} is 6 hexadecimal digits (0–9, A–F)"}
	case errors.Is(err, acquirer.ErrKeyCheck):
		return &models.Error{Code: models.EINVALID, Key: "error.setup.component_check", Args: args, Err: err,
			Fallback: "Master key component {{.N}} does not match check value {{.N}}: type both again"}
	}
	return err
}

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
