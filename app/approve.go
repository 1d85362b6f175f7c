package app

import (
	"context"
	"fmt"
	"strconv"

	"github.com/till-pos/till/models"
)

// loadDiscountLimit reads the cashier discount limit; a value that is not a
// number of basis points from 0 to 10000 is taken as the default.
func (s *sales) loadDiscountLimit(ctx context.Context) error {
	v, err := s.store.Setting(ctx, models.SettingDiscountLimit, strconv.Itoa(models.DefaultDiscountLimit))
	if err != nil {
		return err
	}
	bp, err := strconv.ParseInt(v, 10, 64)
	if err != nil || bp < 0 || bp > 10000 {
		bp = models.DefaultDiscountLimit
	}
	s.discountLimit.Store(bp)
	return nil
}

// DiscountLimit is the largest discount a cashier may give without a
// manager, in basis points.
func (s *sales) DiscountLimit() int64 { return s.discountLimit.Load() }

// errDiscountLimit refuses a limit outside 0–100%.
var errDiscountLimit = &models.Error{Code: models.EINVALID, Key: "error.discount_limit",
	Fallback: "The discount limit must be between 0% and 100%"}

// SetDiscountLimit stores the cashier discount limit, authorized by
// manager, and audits the change.
func (s *sales) SetDiscountLimit(ctx context.Context, bp int64, manager models.Operator) error {
	if bp < 0 || bp > 10000 {
		return errDiscountLimit
	}
	if !manager.IsManager() {
		return models.ErrManagerNeeded
	}
	if err := s.store.SetSetting(ctx, models.SettingDiscountLimit, strconv.FormatInt(bp, 10)); err != nil {
		return err
	}
	s.discountLimit.Store(bp)
	if err := s.store.AuditOverride(ctx, s.terminalID, manager, "setting", models.SettingDiscountLimit,
		fmt.Sprintf("value=%d operator=%d:%s", bp, s.operator.ID, s.operator.Name)); err != nil {
		return fmt.Errorf("app: discount limit: %w", err)
	}
	return nil
}

// AuditApproval records that manager authorized action for the operator
// outside any order (opening the drawer without a sale).
func (s *sales) AuditApproval(ctx context.Context, action, detail string, manager models.Operator) error {
	return s.store.AuditApproval(ctx, s.terminalID, action, manager, s.operator, detail)
}
