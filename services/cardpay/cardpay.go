// Package cardpay takes contactless card payments: it reads the card on the
// chosen PC/SC reader (or a demo card), applies the verification policy
// with the card limits in force, has the cardholder verified when the
// policy asks, and has the acquirer authorize the payment.
package cardpay

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
)

// Card settings.
const (
	SettingReader           = "nfc_reader"             // the PC/SC reader's name
	settingNoCVMLimit       = "card_no_cvm_limit"      // minor units
	settingContactlessLimit = "card_contactless_limit" // minor units
	settingFloorLimit       = "card_floor_limit"       // minor units
)

// Sales stores the payment and asks the acquirer; *sales.Sales is one.
type Sales interface {
	PayOnline(ctx context.Context, o *models.Order, pay models.Payment, card acquirer.CardData) (acquirer.Response, error)
}

// Cardholder checks, for a card a member linked, that the member's finger
// is there (the store's own check, beside the signature the bank is told
// of); a card no member linked passes. *members.Members' VerifyCardholder is
// one.
type Cardholder func(ctx context.Context, token string, limit int64) (models.Member, error)

// Cards takes contactless card payments.
type Cards struct {
	store *models.Store
	sales Sales
	key   []byte // keys the card tokens
	// verify, when set, checks the finger of the member who linked a card
	// paying above the no-PIN limit; nil: no fingerprint reader.
	verify Cardholder

	mu     sync.Mutex
	svc    *nfc.Service // opened on first use
	limits payments.CardLimits
}

// New loads the card limits from the settings.
func New(ctx context.Context, s *models.Store, sl Sales, key []byte) (*Cards, error) {
	c := &Cards{store: s, sales: sl, key: key}
	def := payments.DefaultCardLimits
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

// VerifyWith makes verify check, above the no-PIN limit, the finger of the
// member who linked the card (a fingerprint reader is there).
func (c *Cards) VerifyWith(verify Cardholder) { c.verify = verify }

// Close releases the PC/SC context.
func (c *Cards) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.svc != nil {
		c.svc.Close()
		c.svc = nil
	}
}

func (c *Cards) service() (*nfc.Service, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.svc != nil {
		return c.svc, nil
	}
	svc, err := nfc.Open()
	if err != nil {
		return nil, ReaderError(err)
	}
	c.svc = svc
	return svc, nil
}

// Readers lists the PC/SC readers connected now.
func (c *Cards) Readers(ctx context.Context) ([]string, error) {
	svc, err := c.service()
	if err != nil {
		return nil, err
	}
	names, err := svc.Readers()
	if errors.Is(err, nfc.ErrNoReader) {
		return nil, nil
	}
	if err != nil {
		c.Close() // the service may have restarted: open afresh next time
		return nil, ReaderError(err)
	}
	return names, nil
}

// Reader is the reader chosen in Settings if it is connected, else the
// first one connected, else "".
func (c *Cards) Reader(ctx context.Context) (string, error) {
	names, err := c.Readers(ctx)
	if err != nil {
		return "", err
	}
	chosen, err := c.store.Setting(ctx, SettingReader, "")
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

// ChooseReader remembers the reader to use, chosen by by.
func (c *Cards) ChooseReader(ctx context.Context, name string, by models.Operator) error {
	return c.store.ChangeSettings(ctx, models.PermSettingsDevices, map[string]string{SettingReader: name}, by)
}

// Limits are the card limits in force.
func (c *Cards) Limits() payments.CardLimits {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.limits
}

// Offline is the offline policy with the floor limit in force.
func (c *Cards) Offline() payments.OfflinePolicy { return c.Limits().Offline() }

// SetLimits checks and stores new card limits, set by by.
func (c *Cards) SetLimits(ctx context.Context, l payments.CardLimits, by models.Operator) error {
	if err := l.Check(); err != nil {
		return err
	}
	values := map[string]string{}
	for key, v := range map[string]int64{settingNoCVMLimit: l.NoCVM, settingContactlessLimit: l.Contactless, settingFloorLimit: l.Floor} {
		values[key] = strconv.FormatInt(v, 10)
	}
	if err := c.store.ChangeSettings(ctx, models.PermSettingsPayments, values, by); err != nil {
		return err
	}
	c.mu.Lock()
	c.limits = l
	c.mu.Unlock()
	return nil
}

// source gives the card to read and a function that releases it.
type source func(ctx context.Context, step func(payments.CardStep)) (emv.Transport, func(), error)

// Pay waits for a tap on the reader, reads the card, decides how the
// cardholder is verified, and has the acquirer authorize o's total. The
// card number, track 2 and ICC data stay in memory only, and are wiped once
// the request is out; the payment keeps the masked number, scheme, expiry
// and a keyed token.
func (c *Cards) Pay(ctx context.Context, o *models.Order, step func(payments.CardStep)) (payments.CardResult, error) {
	return c.pay(ctx, o, c.tap, step)
}

func (c *Cards) pay(ctx context.Context, o *models.Order, from source, step func(payments.CardStep)) (payments.CardResult, error) {
	limits := c.Limits()
	cfg, err := c.readConfig(ctx, limits.Contactless)
	if err != nil && ctx.Err() != nil {
		return payments.CardResult{}, ReaderError(ctx.Err()) // cancelled before the wait
	}
	if err != nil {
		return payments.CardResult{}, err
	}
	step(payments.StepWaiting)
	card, done, err := readCard(ctx, from, step, cfg, emv.Transaction{Amount: o.Due(), Currency: "156", Date: time.Now()})
	if err != nil {
		return payments.CardResult{}, err
	}
	defer done()
	defer card.Wipe()
	res := payments.CardResult{MaskedPAN: card.Masked(), Scheme: card.Scheme}
	policy := payments.VerificationPolicy{NoCVMLimit: limits.NoCVM, ContactlessLimit: limits.Contactless}
	v, err := policy.Decide(o.Due(), deviceVerified(card.CTQ))
	if err != nil {
		return res, err
	}
	token := payments.CardToken(c.key, card.PAN())
	if v.CVM == payments.CVMSignature && c.verify != nil {
		// Above the no-PIN limit, a card a member linked also needs the
		// member's finger: the shop's own check, not a verification the
		// bank is told of.
		step(payments.StepFinger)
		if _, err := c.verify(ctx, token, limits.NoCVM); err != nil {
			return res, err
		}
	}
	res.CVM = string(v.CVM)
	// The bank is told what was done: the CVM results and the TVR go in
	// field 55 (the TVR's offline data authentication bits were set by the
	// read).
	card.SetCVMResults(v.CVM.Results())
	tvr := card.TVR()
	step(payments.StepAuthorizing)
	pay := models.Payment{Tender: models.TenderCard, Amount: o.Due(), MaskedPAN: card.Masked(), Scheme: card.Scheme,
		CardExpiry: card.Expiry, CardToken: token, CVM: string(v.CVM), CVMReason: v.Reason,
		ODA: odaRecord(card.ODA), TVR: fmt.Sprintf("%X", tvr[:])}
	resp, err := c.sales.PayOnline(ctx, o, pay, acquirer.CardData{EntryMode: acquirer.EntryContactless,
		Track2: card.Track2(), ICC: card.ICCDataHex(), OfflineAuthenticated: card.ODA.Passed()})
	res.Code, res.AuthCode = resp.Code, resp.AuthCode
	for i := len(o.Payments) - 1; i >= 0; i-- {
		if o.Payments[i].Tender == models.TenderCard {
			res.PaymentID = o.Payments[i].ID // this attempt's: the order was reloaded after it
			break
		}
	}
	if err != nil {
		return res, err
	}
	res.Approved = resp.Approved()
	return res, resp.Err()
}

// ReadToken reads a tapped card for its keyed token and masked number,
// without a payment (to link it to a member).
func (c *Cards) ReadToken(ctx context.Context) (token, masked string, err error) {
	return c.readToken(ctx, c.tap)
}

func (c *Cards) readToken(ctx context.Context, from source) (token, masked string, err error) {
	card, done, err := readCard(ctx, from, func(payments.CardStep) {}, emv.DefaultConfig(), emv.Transaction{Amount: 0, Currency: "156"})
	if err != nil {
		return "", "", err
	}
	defer done()
	defer card.Wipe()
	return payments.CardToken(c.key, card.PAN()), card.Masked(), nil
}

// readCard waits for a card from from and reads it (EMV, as tx asks);
// done releases the card once the caller is through with it. A read whose
// exchange stutters while the card stays on the reader starts again from
// the beginning, up to nfc.ReadRetries times, before the cashier hears of
// it (nfc.ReadAgain).
func readCard(ctx context.Context, from source, step func(payments.CardStep), cfg emv.Config, tx emv.Transaction) (*emv.Card, func(), error) {
	type read struct {
		card *emv.Card
		done func()
	}
	r, _, err := nfc.ReadAgain(ctx, func(ctx context.Context) (read, error) {
		tr, done, err := from(ctx, step)
		if err != nil {
			return read{}, err
		}
		step(payments.StepReading)
		card, err := emv.Read(ctx, tr, cfg, tx)
		if err != nil {
			done()
			return read{}, err
		}
		return read{card, done}, nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ReaderError(context.Canceled)
		}
		return nil, nil, ReaderError(err)
	}
	return r.card, r.done, nil
}

// tap gives the next card tapped on the reader; done releases it.
func (c *Cards) tap(ctx context.Context, step func(payments.CardStep)) (emv.Transport, func(), error) {
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
		step(payments.StepNoReader)
		if reader, err = awaitReader(ctx, svc); err != nil {
			return nil, nil, err
		}
		step(payments.StepWaiting)
	}
	card, err := svc.WaitForCard(ctx, reader)
	if err != nil {
		return nil, nil, ReaderError(err)
	}
	return card, func() { card.Close() }, nil
}

// awaitReader waits until a reader is connected and returns it; cancelling
// ctx gives up.
func awaitReader(ctx context.Context, svc *nfc.Service) (string, error) {
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
		return "", ReaderError(context.Canceled)
	}
	return "", ReaderError(err)
}

// deviceVerified reports whether the card says its holder was verified on
// the device (CTQ byte 2, bit 8: consumer device CVM performed).
func deviceVerified(ctq []byte) bool { return len(ctq) >= 2 && ctq[1]&0x80 != 0 }

// Demo plays the demo cards through the same EMV read as a real card
// (demo mode only).
type Demo struct{ c *Cards }

// NewDemo gives c's demo cards.
func NewDemo(c *Cards) *Demo { return &Demo{c} }

// demoCards are the cards a demo tap plays.
var demoCards = []struct {
	name    string
	profile func() emvcard.Profile
}{
	{"UnionPay", emvcard.UnionPayDebit},
	{"Visa", emvcard.VisaCredit},
	{"Mastercard", emvcard.MastercardDebit},
	{"Expired", emvcard.Expired},
	// A card whose signed dynamic data is forged: offline data
	// authentication fails, so it is never approved offline.
	{"Forged", emvcard.BrokenSignature},
}

// Cards names the demo cards.
func (d *Demo) Cards() []string {
	names := make([]string, len(demoCards))
	for i, dc := range demoCards {
		names[i] = dc.name
	}
	return names
}

func (d *Demo) source(name string) source {
	return func(context.Context, func(payments.CardStep)) (emv.Transport, func(), error) {
		for _, dc := range demoCards {
			if dc.name == name {
				return emvcard.Transport(emvcard.New(dc.profile())), func() {}, nil
			}
		}
		return nil, nil, fmt.Errorf("cardpay: no demo card %q", name)
	}
}

// Pay pays o with the demo card named name.
func (d *Demo) Pay(ctx context.Context, o *models.Order, name string, step func(payments.CardStep)) (payments.CardResult, error) {
	return d.c.pay(ctx, o, d.source(name), step)
}

// ReadToken reads the demo card named name for its token.
func (d *Demo) ReadToken(ctx context.Context, name string) (token, masked string, err error) {
	return d.c.readToken(ctx, d.source(name))
}
