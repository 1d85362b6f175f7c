package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/till-pos/till/devices/nfc"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/emv"
	"github.com/till-pos/till/payments/emv/emvcard"
	"github.com/till-pos/till/screens"
)

// Card settings.
const (
	settingReader           = "nfc_reader"             // the PC/SC reader's name
	settingNoCVMLimit       = "card_no_cvm_limit"      // minor units
	settingContactlessLimit = "card_contactless_limit" // minor units
	settingFloorLimit       = "card_floor_limit"       // minor units
)

// demoCards are the cards a demo-mode tap plays, through the same EMV read
// as a real card on a reader.
var demoCards = []struct {
	name    string
	profile func() emvcard.Profile
}{
	{"UnionPay", emvcard.UnionPayDebit},
	{"Visa", emvcard.VisaCredit},
	{"Mastercard", emvcard.MastercardDebit},
	{"Expired", emvcard.Expired},
}

// cards takes contactless card payments for the screens: it reads the card
// on the chosen PC/SC reader (or plays a demo card), applies the
// verification policy, and has the acquirer authorize the payment.
type cards struct {
	store *models.Store
	sales *sales
	key   []byte // keys the card tokens
	demo  bool
	// onLimits is told new limits (the offline floor goes to the authorizer).
	onLimits func(screens.CardLimits)
	// verify, when set, verifies by finger the holder of the card with a
	// token, above the no-PIN limit; nil: no fingerprint reader.
	verify func(ctx context.Context, token string, limit int64) (models.Member, error)

	mu     sync.Mutex
	svc    *nfc.Service // opened on first use
	limits screens.CardLimits
}

// newCards loads the card limits from the settings.
func newCards(ctx context.Context, s *models.Store, sl *sales, key []byte, demo bool) (*cards, error) {
	c := &cards{store: s, sales: sl, key: key, demo: demo}
	def := screens.CardLimits{NoCVM: payments.DefaultVerificationPolicy.NoCVMLimit,
		Contactless: payments.DefaultVerificationPolicy.ContactlessLimit, Floor: payments.DefaultOfflinePolicy.FloorLimit}
	for _, l := range []struct {
		key string
		v   *int64
		def int64
	}{{settingNoCVMLimit, &c.limits.NoCVM, def.NoCVM}, {settingContactlessLimit, &c.limits.Contactless, def.Contactless},
		{settingFloorLimit, &c.limits.Floor, def.Floor}} {
		text, err := s.Setting(ctx, l.key, strconv.FormatInt(l.def, 10))
		if err != nil {
			return nil, err
		}
		if *l.v, err = strconv.ParseInt(text, 10, 64); err != nil || *l.v < 0 {
			*l.v = l.def
		}
	}
	return c, nil
}

// close releases the PC/SC context.
func (c *cards) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.svc != nil {
		c.svc.Close()
		c.svc = nil
	}
}

func (c *cards) service() (*nfc.Service, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.svc != nil {
		return c.svc, nil
	}
	svc, err := nfc.Open()
	if err != nil {
		return nil, readerError(err)
	}
	c.svc = svc
	return svc, nil
}

// Readers lists the PC/SC readers connected now.
func (c *cards) Readers(ctx context.Context) ([]string, error) {
	svc, err := c.service()
	if err != nil {
		return nil, err
	}
	names, err := svc.Readers()
	if errors.Is(err, nfc.ErrNoReader) {
		return nil, nil
	}
	if err != nil {
		c.close() // the service may have restarted: open afresh next time
		return nil, readerError(err)
	}
	return names, nil
}

// Reader is the reader chosen in Settings if it is connected, else the
// first one connected, else "".
func (c *cards) Reader(ctx context.Context) (string, error) {
	names, err := c.Readers(ctx)
	if err != nil {
		return "", err
	}
	chosen, err := c.store.Setting(ctx, settingReader, "")
	if err != nil {
		return "", err
	}
	if slices.Contains(names, chosen) {
		return chosen, nil
	}
	if len(names) > 0 {
		return names[0], nil
	}
	return "", nil
}

// ChooseReader remembers the reader to use.
func (c *cards) ChooseReader(ctx context.Context, name string) error {
	return c.store.SetSetting(ctx, settingReader, name)
}

// Limits are the card limits in force.
func (c *cards) Limits() screens.CardLimits {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.limits
}

// errLimits refuses limits that contradict each other.
var errLimits = &models.Error{Code: models.EINVALID, Key: "error.card.limits",
	Fallback: "The no-PIN limit must be under the contactless limit, and no limit can be negative"}

// SetLimits checks and stores new card limits.
func (c *cards) SetLimits(ctx context.Context, l screens.CardLimits) error {
	if l.NoCVM < 0 || l.Contactless < 0 || l.Floor < 0 || (l.Contactless > 0 && l.NoCVM >= l.Contactless) {
		return errLimits
	}
	for key, v := range map[string]int64{settingNoCVMLimit: l.NoCVM, settingContactlessLimit: l.Contactless, settingFloorLimit: l.Floor} {
		if err := c.store.SetSetting(ctx, key, strconv.FormatInt(v, 10)); err != nil {
			return err
		}
	}
	c.mu.Lock()
	c.limits = l
	c.mu.Unlock()
	if c.onLimits != nil {
		c.onLimits(l)
	}
	return nil
}

// DemoCards names the demo cards, in demo mode only.
func (c *cards) DemoCards() []string {
	if !c.demo {
		return nil
	}
	names := make([]string, len(demoCards))
	for i, d := range demoCards {
		names[i] = d.name
	}
	return names
}

// Pay waits for a tap (or plays a demo card), reads the card, decides how
// the cardholder is verified, and has the acquirer authorize o's total. The
// card number, track 2 and ICC data stay in memory only, and are wiped once
// the request is out; the payment keeps the masked number, scheme, expiry
// and a keyed token.
func (c *cards) Pay(ctx context.Context, o *models.Order, demo string, step func(screens.CardStep)) (screens.CardResult, error) {
	step(screens.StepWaiting)
	tr, done, err := c.tap(ctx, demo, step)
	if err != nil {
		if ctx.Err() != nil {
			return screens.CardResult{}, readerError(context.Canceled)
		}
		return screens.CardResult{}, err
	}
	defer done()
	step(screens.StepReading)
	limits := c.Limits()
	cfg := emv.DefaultConfig()
	cfg.ContactlessLimit = limits.Contactless
	card, err := emv.Read(ctx, tr, cfg, emv.Transaction{Amount: o.Due(), Currency: "156", Date: time.Now()})
	if err != nil {
		return screens.CardResult{}, readerError(err)
	}
	defer card.Wipe()
	res := screens.CardResult{MaskedPAN: card.Masked()}
	policy := payments.VerificationPolicy{NoCVMLimit: limits.NoCVM, ContactlessLimit: limits.Contactless, Fingerprint: c.verify != nil}
	v, err := policy.Decide(o.Due(), deviceVerified(card.CTQ))
	if err != nil {
		return res, err
	}
	token := payments.CardToken(c.key, card.PAN())
	if v.CVM == payments.CVMFingerprint {
		// Above the no-PIN limit: the member who linked this card places
		// their finger.
		step(screens.StepFinger)
		if _, err := c.verify(ctx, token, limits.NoCVM); err != nil {
			return res, err
		}
	}
	res.CVM = string(v.CVM)
	step(screens.StepAuthorizing)
	pay := models.Payment{Tender: models.TenderCard, Amount: o.Due(), MaskedPAN: card.Masked(), Scheme: card.Scheme,
		CardExpiry: card.Expiry, CardToken: token, CVM: string(v.CVM), CVMReason: v.Reason}
	resp, err := c.sales.payOnline(ctx, o, pay, acquirer.EntryContactless, card.Track2(), card.ICCDataHex())
	res.Code, res.AuthCode = resp.Code, resp.AuthCode
	if err != nil {
		return res, err
	}
	res.Approved = resp.Approved()
	return res, resp.Err()
}

// tap gives the card to read: a demo card, or the next card tapped on the
// reader; done releases it.
func (c *cards) tap(ctx context.Context, demo string, step func(screens.CardStep)) (emv.Transport, func(), error) {
	if demo != "" {
		for _, d := range demoCards {
			if d.name == demo && c.demo {
				return emvcard.Transport(emvcard.New(d.profile())), func() {}, nil
			}
		}
		return nil, nil, fmt.Errorf("app: no demo card %q", demo)
	}
	reader, err := c.Reader(ctx)
	if err != nil {
		return nil, nil, err
	}
	svc, err := c.service()
	if err != nil {
		return nil, nil, err
	}
	if reader == "" {
		// Wait for one to be plugged in, as long as the cashier lets us.
		step(screens.StepNoReader)
		if reader, err = c.awaitReader(ctx, svc); err != nil {
			return nil, nil, err
		}
		step(screens.StepWaiting)
	}
	card, err := svc.WaitForCard(ctx, reader)
	if err != nil {
		return nil, nil, readerError(err)
	}
	return card, func() { card.Close() }, nil
}

// awaitReader waits until a reader is connected and returns it; cancelling
// ctx gives up.
func (c *cards) awaitReader(ctx context.Context, svc *nfc.Service) (string, error) {
	wctx, found := context.WithCancel(ctx)
	defer found()
	var reader string
	err := svc.WatchReaders(wctx, func(names []string) {
		if len(names) > 0 && reader == "" {
			reader = names[0]
			found()
		}
	})
	if reader != "" {
		return reader, nil
	}
	if ctx.Err() != nil || errors.Is(err, nfc.ErrCancelled) {
		return "", readerError(context.Canceled)
	}
	return "", readerError(err)
}

// deviceVerified reports whether the card says its holder was verified on
// the device (CTQ byte 2, bit 8: consumer device CVM performed).
func deviceVerified(ctq []byte) bool { return len(ctq) >= 2 && ctq[1]&0x80 != 0 }

// Reader errors, in the user's language.
var (
	errReaderService = &models.Error{Code: models.EINVALID, Key: "error.reader.service",
		Fallback: "The card reader service (PC/SC) is not running or cannot be used; start it and try again"}
	errReaderGone = &models.Error{Code: models.EINVALID, Key: "error.reader.gone",
		Fallback: "The card reader was unplugged; plug it in and tap again"}
	errCardRemoved = &models.Error{Code: models.EINVALID, Key: "error.reader.card_removed",
		Fallback: "The card was taken away too soon; tap again and hold it still"}
	errReaderBusy = &models.Error{Code: models.EINVALID, Key: "error.reader.busy",
		Fallback: "Another program is using the card reader; close it and tap again"}
	errCardMute = &models.Error{Code: models.EINVALID, Key: "error.reader.card_mute",
		Fallback: "The card did not answer; tap again"}
	errTapCancelled = &models.Error{Code: models.EINVALID, Key: "error.reader.cancelled",
		Fallback: "Cancelled: nothing was charged"}
)

// readerError turns a reader or card error into a message for the cashier;
// card-read errors (already translated) pass through.
func readerError(err error) error {
	var me *models.Error
	switch {
	case errors.Is(err, nfc.ErrCancelled), errors.Is(err, context.Canceled):
		return fmt.Errorf("%w: %w", errTapCancelled, err)
	case errors.Is(err, nfc.ErrCardRemoved), errors.Is(err, emvcard.ErrCardRemoved):
		return fmt.Errorf("%w: %w", errCardRemoved, err)
	case errors.Is(err, nfc.ErrNoService):
		return fmt.Errorf("%w: %w", errReaderService, err)
	case errors.Is(err, nfc.ErrReaderGone), errors.Is(err, nfc.ErrNoReader):
		return fmt.Errorf("%w: %w", errReaderGone, err)
	case errors.Is(err, nfc.ErrBusy):
		return fmt.Errorf("%w: %w", errReaderBusy, err)
	case errors.Is(err, nfc.ErrCardMute), errors.Is(err, nfc.ErrTimeout):
		return fmt.Errorf("%w: %w", errCardMute, err)
	case errors.As(err, &me):
		return err
	}
	return fmt.Errorf("%w: %w", errCardMute, err)
}
