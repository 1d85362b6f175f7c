package models

import (
	"context"
	"fmt"
	"sort"

	"gorm.io/gorm"
)

// BatchContents is what a terminal's open batch holds, as the settlement's
// confirmation shows it and CanSettleBatch judges it.
type BatchContents struct {
	Batch    int         // the open batch's number
	Payments int         // payments that took money on the batch's orders, any tender
	Requests int         // card and QR requests the host approved (or approved offline)
	Totals   BatchTotals // what a settlement sends the host
}

// SchemeTotals are a batch's totals for one card scheme or QR wallet.
type SchemeTotals struct {
	Tender Tender
	// Scheme is the card scheme ("unionpay", "visa") or the QR wallet
	// ("wechat", "alipay"); empty when not known (a QR the customer scanned).
	Scheme string
	BatchTotals
}

// OpenBatch is what the terminal's open batch holds: its number, the
// payments taken on its orders and the card and QR requests the host
// approved, with the totals a settlement would send.
func (s *Store) OpenBatch(ctx context.Context, terminalID string) (BatchContents, error) {
	var b BatchContents
	err := s.read(ctx, func(db *gorm.DB) error {
		var err error
		if b.Batch, err = openBatch(db, terminalID); err != nil {
			return err
		}
		var n int64
		if err := db.Model(&Payment{}).Joins("JOIN orders ON orders.id = payments.order_id").
			Where("orders.terminal_id = ? AND orders.batch = ? AND payments.status IN ?", terminalID, b.Batch, batchStatuses).
			Count(&n).Error; err != nil {
			return fmt.Errorf("payments: %w", err)
		}
		b.Payments = int(n)
		approved, err := batchApproved(db, terminalID, b.Batch)
		if err != nil {
			return err
		}
		b.Requests, b.Totals = len(approved), TotalsOf(approved)
		return nil
	})
	if err != nil {
		return BatchContents{}, fmt.Errorf("store: open batch of %s: %w", terminalID, err)
	}
	return b, nil
}

// batchStatuses are the statuses of payments that took money, whether or
// not it was given back since.
var batchStatuses = []PaymentStatus{PaymentApproved, PaymentOfflineApproved, PaymentAdvised, PaymentRefunded, PaymentVoided}

// BatchSchemeTotals are batch's totals by card scheme and QR wallet, as
// TotalsByScheme sums them.
func (s *Store) BatchSchemeTotals(ctx context.Context, terminalID string, batch int) ([]SchemeTotals, error) {
	var approved []HostRequest
	var pays []Payment
	err := s.read(ctx, func(db *gorm.DB) error {
		var err error
		if approved, err = batchApproved(db, terminalID, batch); err != nil || len(approved) == 0 {
			return err
		}
		keys := make([]string, 0, len(approved))
		for _, r := range approved {
			keys = append(keys, paymentKey(r))
		}
		return db.Where("key IN ?", keys).Find(&pays).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: batch %d by scheme: %w", batch, err)
	}
	return TotalsByScheme(approved, pays), nil
}

// paymentKey is the key of the payment a request is about: its own for a
// purchase, the original's for a void or a refund.
func paymentKey(r HostRequest) string {
	if r.Original != "" {
		return r.Original
	}
	return r.Key
}

// TotalsByScheme sums approved requests (as TotalsOf does) by the card
// scheme or QR wallet of the payment each is about, found among pays by
// key; a request whose payment is not there counts under no tender. Groups
// with nothing to settle are left out; cards come first, then QR, each by
// scheme.
func TotalsByScheme(reqs []HostRequest, pays []Payment) []SchemeTotals {
	byKey := make(map[string]Payment, len(pays))
	for _, p := range pays {
		byKey[p.Key] = p
	}
	type group struct {
		tender Tender
		scheme string
	}
	groups := map[group][]HostRequest{}
	for _, r := range reqs {
		p := byKey[paymentKey(r)]
		g := group{p.Tender, p.Scheme}
		groups[g] = append(groups[g], r)
	}
	var out []SchemeTotals
	for g, rs := range groups {
		t := TotalsOf(rs)
		if t != (BatchTotals{}) {
			out = append(out, SchemeTotals{Tender: g.tender, Scheme: g.scheme, BatchTotals: t})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if a, b := tenderRank(out[i].Tender), tenderRank(out[j].Tender); a != b {
			return a < b
		}
		return out[i].Scheme < out[j].Scheme
	})
	return out
}

// tenderRank orders tenders on a settlement: cards, then QR, then the rest.
func tenderRank(t Tender) int {
	switch t {
	case TenderCard:
		return 0
	case TenderQR:
		return 1
	}
	return 2
}
