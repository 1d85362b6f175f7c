package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// HostRequestState is where a request to the acquirer is.
type HostRequestState string

// Host request states.
const (
	RequestSent     HostRequestState = "sent"      // written, then put on the wire; no answer yet
	RequestAnswered HostRequestState = "answered"  // the host's answer is stored
	RequestTimedOut HostRequestState = "timed_out" // no answer in time: a reversal is owed
	RequestReversed HostRequestState = "reversed"  // the host acknowledged the reversal
	RequestNotSent  HostRequestState = "not_sent"  // the host could not be reached; nothing went out
	RequestOffline  HostRequestState = "offline"   // approved offline under the floor limit; an advice is owed
	RequestAdvised  HostRequestState = "advised"   // the offline approval's advice was acknowledged
	// RequestAwaiting: the host answered 09, the customer has not finished
	// paying on their phone (a QR payment); queries settle it, or it is
	// revoked (reversed).
	RequestAwaiting HostRequestState = "awaiting"
)

// codeInProgress is field 39's "request in progress" (09).
const codeInProgress = "09"

// HostRequest is the journal entry of one request to the acquirer. It is
// written with its STAN before the request goes on the wire, so that after a
// crash Till knows what it may owe a reversal for. It holds no card data in
// clear: only an offline approval keeps the card's data, sealed
// (SealedCard), until its advice is acknowledged.
type HostRequest struct {
	ID         uint     `gorm:"primaryKey"`
	TerminalID string   `gorm:"size:16;not null;index"`
	Key        string   `gorm:"size:64;not null;index"` // the payment's terminal-unique key
	Original   string   `gorm:"size:64;index"`          // for a void or refund: the key of the payment it undoes
	MTI        string   `gorm:"size:4;not null"`
	ProcCode   string   `gorm:"size:6;not null"`
	STAN       int      `gorm:"not null"`
	Batch      int      `gorm:"not null"`
	Amount     int64    `gorm:"not null"`
	Currency   Currency `gorm:"size:3;not null"`
	EntryMode  string   `gorm:"size:3"`
	// GiveUpAfter is, for a QR payment awaiting the customer, how many
	// seconds after SentAt it is revoked (0: not such a payment).
	GiveUpAfter int              `gorm:"not null;default:0"`
	State       HostRequestState `gorm:"size:12;not null;index"`
	Code        string           `gorm:"size:2"` // field 39 of the answer
	RRN         string           `gorm:"size:12"`
	AuthCode    string           `gorm:"size:6"`
	// Wallet is, for a QR payment, the wallet the host says the customer
	// paid with ("wechat", "alipay", "unionpay"); empty when not said.
	Wallet string `gorm:"size:16"`
	// SealedCard is, for a purchase approved offline, the card data its
	// advice needs, sealed; NULL otherwise, and again once the advice is
	// acknowledged (or the request reversed or not sent). The store's
	// connections zero what is overwritten (secure_delete), so erased
	// ciphertext does not stay in the file's free space.
	SealedCard []byte
	SentAt     time.Time `gorm:"not null"`
	AnsweredAt *time.Time
	UpdatedAt  time.Time
}

// RecordRequest journals a request before it is sent, giving it the
// terminal's next STAN and the open batch; r carries both afterwards.
func (s *Store) RecordRequest(ctx context.Context, r *HostRequest) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		n, err := nextSeq(tx, "stan:"+r.TerminalID)
		if err != nil {
			return err
		}
		r.STAN = int((n-1)%MaxSTAN + 1)
		if r.Batch, err = openBatch(tx, r.TerminalID); err != nil {
			return err
		}
		r.ID = 0
		r.State = RequestSent
		r.SentAt = time.Now()
		return tx.Create(r).Error
	})
	if err != nil {
		return dbError(s.path, fmt.Errorf("store: record request: %w", err))
	}
	return nil
}

// moveRequest changes a journalled request's state, only from one of the
// states given, so an answer that arrives after a reversal changes nothing;
// the payment the request is about moves in the same transaction.
func (s *Store) moveRequest(ctx context.Context, id uint, from []HostRequestState, set map[string]any) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&HostRequest{}).Where("id = ? AND state IN ?", id, from).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return &Error{Code: ECONFLICT, Key: "error.request.state", Fallback: "The request to the host has moved on already"}
		}
		return applyHostOutcome(tx, id)
	})
	if err != nil && ErrorCode(err) != ECONFLICT {
		return dbError(s.path, fmt.Errorf("store: request %d: %w", id, err))
	}
	return err
}

// HostAnswer is what the host answered to a request, as the journal keeps
// it: the response code (field 39), its reference (37), the authorization
// code (38) and, for a QR payment, the wallet the customer paid with (63).
type HostAnswer struct {
	Code, RRN, AuthCode, Wallet string
}

// RecordAnswer stores the host's answer to a sent request, or the final
// answer to one awaiting the customer. An answer of 09 (in progress) leaves
// the request awaiting the customer.
func (s *Store) RecordAnswer(ctx context.Context, id uint, a HostAnswer) error {
	now := time.Now()
	if a.Code == codeInProgress {
		return s.moveRequest(ctx, id, []HostRequestState{RequestSent},
			map[string]any{"state": RequestAwaiting, "code": a.Code, "rrn": a.RRN})
	}
	set := map[string]any{"state": RequestAnswered, "code": a.Code, "rrn": a.RRN, "auth_code": a.AuthCode, "answered_at": &now}
	if a.Wallet != "" {
		set["wallet"] = a.Wallet
	}
	return s.moveRequest(ctx, id, []HostRequestState{RequestSent, RequestAwaiting}, set)
}

// RecordTimeout marks a sent request, or one awaiting the customer that is
// to be revoked, as owing a reversal.
func (s *Store) RecordTimeout(ctx context.Context, id uint) error {
	return s.moveRequest(ctx, id, []HostRequestState{RequestSent, RequestAwaiting}, map[string]any{"state": RequestTimedOut})
}

// RecordReversed marks a request's reversal as acknowledged by the host;
// any sealed card data of the request is erased in the same update.
func (s *Store) RecordReversed(ctx context.Context, id uint) error {
	return s.moveRequest(ctx, id, []HostRequestState{RequestSent, RequestTimedOut, RequestAwaiting},
		map[string]any{"state": RequestReversed, "sealed_card": nil})
}

// AwaitingRequests lists the terminal's QR payments still awaiting the
// customer, oldest first: after a restart their loop resumes.
func (s *Store) AwaitingRequests(ctx context.Context, terminalID string) ([]HostRequest, error) {
	var out []HostRequest
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("terminal_id = ? AND state = ?", terminalID, RequestAwaiting).Order("id").Find(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: awaiting requests: %w", err)
	}
	return out, nil
}

// RecordNotSent marks a request that never reached the host; any sealed
// card data of the request is erased in the same update.
func (s *Store) RecordNotSent(ctx context.Context, id uint) error {
	return s.moveRequest(ctx, id, []HostRequestState{RequestSent},
		map[string]any{"state": RequestNotSent, "sealed_card": nil})
}

// RecordOffline marks a request approved offline (code Y1), owing an
// advice, and keeps sealedCard, the card data the advice needs, sealed by
// the caller (nil or empty: none), in the same update.
func (s *Store) RecordOffline(ctx context.Context, id uint, sealedCard []byte) error {
	set := map[string]any{"state": RequestOffline, "code": "Y1", "sealed_card": nil}
	if len(sealedCard) > 0 {
		set["sealed_card"] = sealedCard
	}
	return s.moveRequest(ctx, id, []HostRequestState{RequestSent}, set)
}

// RecordAdvised marks an offline approval's advice as acknowledged by the
// host, and erases its sealed card data in the same update.
func (s *Store) RecordAdvised(ctx context.Context, id uint, rrn string) error {
	return s.moveRequest(ctx, id, []HostRequestState{RequestOffline},
		map[string]any{"state": RequestAdvised, "rrn": rrn, "sealed_card": nil})
}

// SealedCard is the sealed card data kept with request id (RecordOffline),
// nil when it has none (never had, or erased once advised).
func (s *Store) SealedCard(ctx context.Context, id uint) ([]byte, error) {
	var rows []struct{ SealedCard []byte }
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Model(&HostRequest{}).Select("sealed_card").Where("id = ?", id).Limit(1).Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: sealed card of request %d: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, &Error{Code: ENOTFOUND, Key: "error.request.no_such",
			Fallback: "There is no request {{.ID}} in the journal", Args: map[string]any{"ID": id}}
	}
	return rows[0].SealedCard, nil
}

// HeldOffline lists the offline approvals whose advice is still owed, oldest first.
func (s *Store) HeldOffline(ctx context.Context, terminalID string) ([]HostRequest, error) {
	var out []HostRequest
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("terminal_id = ? AND state = ?", terminalID, RequestOffline).Order("id").Find(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: held offline: %w", err)
	}
	return out, nil
}

// OwedReversals lists the terminal's requests that were sent and never
// answered (in flight at a crash, or timed out), oldest first.
func (s *Store) OwedReversals(ctx context.Context, terminalID string) ([]HostRequest, error) {
	var out []HostRequest
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("terminal_id = ? AND state IN ?", terminalID, []HostRequestState{RequestSent, RequestTimedOut}).
			Order("id").Find(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: owed reversals: %w", err)
	}
	return out, nil
}

// ApprovedTotals counts the terminal's purchases the host approved (and that
// were not reversed since), and sums them: the terminal's side of a
// reconciliation.
func (s *Store) ApprovedTotals(ctx context.Context, terminalID string) (count int, sum int64, err error) {
	var row struct {
		N int
		S int64
	}
	err = s.read(ctx, func(db *gorm.DB) error {
		return db.Model(&HostRequest{}).Select("count(*) AS n, COALESCE(sum(amount), 0) AS s").
			Where("terminal_id = ? AND mti = ? AND proc_code = ? AND ((state = ? AND code = ?) OR state IN ?)",
				terminalID, "0200", "000000", RequestAnswered, "00", []HostRequestState{RequestOffline, RequestAdvised}).
			Scan(&row).Error
	})
	if err != nil {
		return 0, 0, fmt.Errorf("store: approved totals: %w", err)
	}
	return row.N, row.S, nil
}

// BatchTotals are a batch's counts and amounts, as settlement compares them.
type BatchTotals struct {
	DebitCount   int   // purchases approved and not reversed
	DebitAmount  int64 // their sum, minor units
	CreditCount  int   // refunds
	CreditAmount int64
}

// BatchApproved lists the financial requests of a batch (purchases, voids,
// refunds) that the host approved, or that were approved offline, and that
// were not reversed, for settlement and batch upload.
func (s *Store) BatchApproved(ctx context.Context, terminalID string, batch int) ([]HostRequest, error) {
	var out []HostRequest
	err := s.read(ctx, func(db *gorm.DB) error {
		var err error
		out, err = batchApproved(db, terminalID, batch)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: batch %d: %w", batch, err)
	}
	return out, nil
}

// batchApproved is BatchApproved inside a read or a transaction.
func batchApproved(db *gorm.DB, terminalID string, batch int) ([]HostRequest, error) {
	var out []HostRequest
	err := db.Where("terminal_id = ? AND batch = ? AND mti = ? AND ((state = ? AND code = ?) OR state IN ?)",
		terminalID, batch, "0200", RequestAnswered, "00", []HostRequestState{RequestOffline, RequestAdvised}).
		Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("approved requests: %w", err)
	}
	return out, nil
}

// TotalsOf sums approved requests by kind: purchases not voided are debits,
// refunds credits.
func TotalsOf(reqs []HostRequest) BatchTotals {
	voided := map[string]bool{}
	for _, r := range reqs {
		if r.ProcCode == "020000" {
			voided[r.Original] = true
		}
	}
	var t BatchTotals
	for _, r := range reqs {
		switch {
		case r.ProcCode == "000000" && !voided[r.Key]:
			t.DebitCount++
			t.DebitAmount += r.Amount
		case r.ProcCode == "200000":
			t.CreditCount++
			t.CreditAmount += r.Amount
		}
	}
	return t
}

// RequestByKey returns the journalled request of a payment key.
func (s *Store) RequestByKey(ctx context.Context, terminalID, key string) (*HostRequest, error) {
	var r HostRequest
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("terminal_id = ? AND key = ?", terminalID, key).Order("id DESC").First(&r).Error
	})
	if err != nil {
		return nil, notFound(err, "error.request.not_found", "No payment {{.Key}} was sent to the bank", map[string]any{"Key": key})
	}
	return &r, nil
}
