package models

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// HistoryEvent is one step in the life of an order, for the transaction
// query: what happened, when, and its details.
type HistoryEvent struct {
	At time.Time
	// "audit:<action>", "outbox:pending", "outbox:sent", "host:<state>",
	// "signature:kept" (Detail: the feature code), "signature:uploaded",
	// "signature:pending" (not sent yet), "signature:refused" (Detail: why,
	// after the last try).
	Kind   string
	Detail string
	// Host is the request to the bank of a "host:" event, else nil.
	Host *HostStep
}

// HostStep is what a history shows of one request to the bank: what was
// asked (message type and processing code), for how much, and the answer.
type HostStep struct {
	MTI, ProcCode string
	STAN          int
	Amount        int64
	Currency      Currency
	Code          string // field 39 of the answer; empty without one
	RRN, AuthCode string
}

// OrderHistory gathers everything recorded about an order, oldest first:
// its audit entries, whether each payment has been reported to the acquirer,
// and the requests to the host made under its number (payment keys start
// with the order number).
func (s *Store) OrderHistory(ctx context.Context, o *Order) ([]HistoryEvent, error) {
	var events []HistoryEvent
	err := s.read(ctx, func(db *gorm.DB) error {
		var audits []AuditEntry
		if err := db.Where("subject = ?", o.Number).Order("id").Find(&audits).Error; err != nil {
			return err
		}
		for _, a := range audits {
			events = append(events, HistoryEvent{At: a.At, Kind: "audit:" + a.Action, Detail: a.Detail})
		}
		var outbox []OutboxEntry
		if err := db.Where("order_id = ?", o.ID).Order("id").Find(&outbox).Error; err != nil {
			return err
		}
		for _, e := range outbox {
			if e.SentAt != nil {
				events = append(events, HistoryEvent{At: *e.SentAt, Kind: "outbox:sent"})
			} else {
				events = append(events, HistoryEvent{At: e.CreatedAt, Kind: "outbox:pending"})
			}
		}
		var reqs []HostRequest
		if err := db.Where("terminal_id = ? AND key LIKE ?", o.TerminalID, o.Number+"%").Order("id").Find(&reqs).Error; err != nil {
			return err
		}
		for _, r := range reqs {
			events = append(events, HistoryEvent{At: r.SentAt, Kind: "host:" + string(r.State),
				Detail: fmt.Sprintf("%s %s STAN %06d %s %s", r.MTI, r.ProcCode, r.STAN, r.Code, r.RRN),
				Host: &HostStep{MTI: r.MTI, ProcCode: r.ProcCode, STAN: r.STAN, Amount: r.Amount, Currency: r.Currency,
					Code: r.Code, RRN: r.RRN, AuthCode: r.AuthCode}})
		}
		var sigs []PaymentSignature
		if err := db.Where("payment_id IN (?)", db.Model(&Payment{}).Select("id").Where("order_id = ?", o.ID)).
			Order("id").Find(&sigs).Error; err != nil {
			return err
		}
		for _, sig := range sigs {
			events = append(events, HistoryEvent{At: sig.CreatedAt, Kind: "signature:kept", Detail: sig.FeatureCode})
			switch {
			case sig.UploadedAt != nil:
				events = append(events, HistoryEvent{At: *sig.UploadedAt, Kind: "signature:uploaded"})
			case sig.UploadTries >= SignatureUploadTries:
				events = append(events, HistoryEvent{At: sig.CreatedAt, Kind: "signature:refused", Detail: sig.UploadError})
			default:
				events = append(events, HistoryEvent{At: sig.CreatedAt, Kind: "signature:pending"})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: history of %s: %w", o.Number, err)
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].At.Before(events[j].At) })
	return events, nil
}
