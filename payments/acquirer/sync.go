package acquirer

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/till-pos/till/models"
)

// Outbox is the queue of payments to report to the host; *models.Store is one.
type Outbox interface {
	PendingOutbox(ctx context.Context, limit int) ([]models.OutboxEntry, error)
	// QuarantineOutbox sets an entry aside that cannot be reported, with why.
	QuarantineOutbox(ctx context.Context, id uint, problem string) error
	MarkOutboxSent(ctx context.Context, ids []uint, at time.Time) error
	ReserveSTANs(ctx context.Context, terminalID string, n int) (int64, error)
}

// Syncer drains the outbox to the host as administrative advices (0620):
// every payment, whatever its tender, reported for the record; they move no
// money and are not in settlement totals. It works in order, a page
// at a time with several requests in flight. Each advice carries the entry's
// terminal-unique key (field 62), so an advice resent after a lost answer is
// recognised by the host and not counted twice; an entry is marked sent only
// after the host acknowledged it.
type Syncer struct {
	Link       *Link
	Outbox     Outbox
	Terminal   Terminal
	TerminalID string
	// PageSize is how many entries are read and marked per transaction
	// (default 256); InFlight how many advices await answers at once (default 16).
	PageSize, InFlight int
}

// saleRecord is the outbox payload of a sale, as models writes it.
type saleRecord struct {
	OrderNumber string          `json:"order_number"`
	Tender      models.Tender   `json:"tender"`
	Amount      int64           `json:"amount"`
	Currency    models.Currency `json:"currency"`
	At          string          `json:"at"`
}

// entryMode is field 22 for a tender.
func entryMode(t models.Tender) string {
	switch t {
	case models.TenderCard:
		return EntryContactless
	case models.TenderQR:
		return EntryQR
	}
	return EntryManual
}

// outboxProcCode is field 3 of the advice of an outbox entry of kind: a
// sale, a void or a refund (amounts are always positive).
func outboxProcCode(kind string) string {
	switch kind {
	case "void":
		return ProcVoid
	case "refund":
		return ProcRefund
	}
	return ProcPurchase
}

// OutboxKey is the terminal-unique key of an outbox entry.
func OutboxKey(terminalID string, id uint) string { return fmt.Sprintf("%s-OB%d", terminalID, id) }

// Drain sends every pending entry and returns how many the host
// acknowledged. Each page holds the link as background work: it gives way
// to a payment (ErrYield) and goes on at the next round. It stops at the
// first failure (the caller retries later with backoff) or when ctx is
// cancelled; an entry that cannot be read is set aside (quarantined) and
// the rest go on; progress, if set, is told how many are done after each
// page.
func (s *Syncer) Drain(ctx context.Context, progress func(done int)) (int, error) {
	page, inFlight := s.PageSize, s.InFlight
	if page <= 0 {
		page = 256
	}
	if inFlight <= 0 {
		inFlight = 16
	}
	done := 0
	for {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		entries, err := s.Outbox.PendingOutbox(ctx, page)
		if err != nil || len(entries) == 0 {
			return done, err
		}
		entries, err = s.setAside(ctx, entries)
		if err != nil {
			return done, err
		}
		if len(entries) == 0 {
			continue
		}
		first, err := s.Outbox.ReserveSTANs(ctx, s.TerminalID, len(entries))
		if err != nil {
			return done, err
		}
		var acked []uint
		sendErr := s.Link.Hold(ctx, false, func() (err error) {
			acked, err = s.sendPage(ctx, entries, first, inFlight)
			return err
		})
		if err := s.Outbox.MarkOutboxSent(ctx, acked, time.Now()); err != nil {
			return done, err
		}
		done += len(acked)
		if progress != nil {
			progress(done)
		}
		if sendErr != nil {
			return done, sendErr
		}
	}
}

// setAside quarantines the entries that cannot be read, and returns the rest.
func (s *Syncer) setAside(ctx context.Context, entries []models.OutboxEntry) ([]models.OutboxEntry, error) {
	keep := entries[:0:0]
	for _, e := range entries {
		if _, err := readRecord(e); err != nil {
			if qerr := s.Outbox.QuarantineOutbox(ctx, e.ID, err.Error()); qerr != nil {
				return nil, qerr
			}
			continue
		}
		keep = append(keep, e)
	}
	return keep, nil
}

// readRecord reads an outbox entry's payload.
func readRecord(e models.OutboxEntry) (saleRecord, error) {
	var rec saleRecord
	if err := json.Unmarshal([]byte(e.Payload), &rec); err != nil {
		return rec, fmt.Errorf("outbox entry %d cannot be read: %w", e.ID, err)
	}
	if rec.Amount < 0 || numericCurrency(rec.Currency) == "" {
		return rec, fmt.Errorf("outbox entry %d has amount %d in %q", e.ID, rec.Amount, rec.Currency)
	}
	return rec, nil
}

// sendPage sends a page of advices with up to inFlight awaiting answers and
// returns the IDs the host acknowledged. It stops starting new ones when a
// payment waits for the link.
func (s *Syncer) sendPage(ctx context.Context, entries []models.OutboxEntry, firstSeq int64, inFlight int) ([]uint, error) {
	var (
		mu    sync.Mutex
		acked []uint
		first error
		wg    sync.WaitGroup
		slots = make(chan struct{}, inFlight)
	)
	for i, e := range entries {
		slots <- struct{}{}
		if s.Link.PaymentWaiting() {
			<-slots
			mu.Lock()
			if first == nil {
				first = ErrYield
			}
			mu.Unlock()
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			err := s.advise(ctx, e, models.STANOf(firstSeq+int64(i)))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if first == nil {
					first = err
				}
				return
			}
			acked = append(acked, e.ID)
		}()
	}
	wg.Wait()
	return acked, first
}

// advise reports one entry; duplicates (94) count as acknowledged.
func (s *Syncer) advise(ctx context.Context, e models.OutboxEntry, stan int) error {
	rec, err := readRecord(e)
	if err != nil {
		return err
	}
	at, err := time.Parse(time.RFC3339, rec.At)
	if err != nil {
		at = e.CreatedAt
	}
	r, err := s.Link.Authorize(ctx, Request{MTI: MTIAdminAdvice, ProcCode: outboxProcCode(e.Kind), Amount: rec.Amount,
		Currency: numericCurrency(rec.Currency), STAN: stan, Time: at, EntryMode: entryMode(rec.Tender),
		Reference: OutboxKey(s.TerminalID, e.ID)})
	if err != nil {
		return err
	}
	if r.Code != Approved && r.Code != "94" {
		return fmt.Errorf("acquirer: advice of %s refused: %w", rec.OrderNumber, r.Err())
	}
	return nil
}
