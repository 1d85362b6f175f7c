package screens

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments/esign"
	"github.com/till-pos/till/screens/widgets"
)

// Signatures keeps cardholders' electronic signatures; *signing.Signing is
// one.
type Signatures interface {
	// Slip is what the pad shows beside it for payment paymentID.
	Slip(ctx context.Context, paymentID uint) (esign.Slip, error)
	// Sign keeps sig as payment paymentID's signature, once.
	Sign(ctx context.Context, paymentID uint, sig esign.Signature) error
}

// Sign is the cardholder's signature screen (电子签名) after a card
// payment approved above the no-PIN limit: the amount, the card and the
// transaction feature code, a pad filling the screen to sign with a finger
// or a mouse, and Clear and Done; or signing on the paper merchant copy
// instead.
type Sign struct {
	ui        *UI
	sigs      Signatures
	order     *models.Order
	paymentID uint
	// OnDone is called with the order once it is signed, or the cardholder
	// signs on paper.
	OnDone func(o *models.Order)

	Pad     *widgets.SignaturePad
	card    *widget.Label
	feature *widget.Label
	msg     *canvas.Text
	done    *widget.Button
	clear   *widget.Button
	paper   *widget.Button
	busy    bool
	content fyne.CanvasObject
}

// NewSign builds the signature screen for payment paymentID of o and loads
// what it shows.
func NewSign(ui *UI, sigs Signatures, o *models.Order, paymentID uint) *Sign {
	s := &Sign{ui: ui, sigs: sigs, order: o, paymentID: paymentID}
	s.content = s.build()
	s.load()
	return s
}

// Content is the screen's root object.
func (s *Sign) Content() fyne.CanvasObject { return s.content }

// Message is the error or advice shown, for tests.
func (s *Sign) Message() string { return s.msg.Text }

// FeatureCode is the feature code line shown, for tests.
func (s *Sign) FeatureCode() string { return s.feature.Text }

func (s *Sign) build() fyne.CanvasObject {
	var amount int64
	for _, p := range s.order.Payments {
		if p.ID == s.paymentID {
			amount = p.Amount
		}
	}
	due := bigText(models.Money{Minor: amount, Currency: s.order.Currency}.String(), 48, theme.ColorNameForeground)
	title := widget.NewLabelWithStyle(lang.X("sign.title", "Cardholder: please sign to confirm the payment"),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.card = widget.NewLabel("")
	s.feature = widget.NewLabel("")
	s.msg = canvas.NewText("", theme.Color(theme.ColorNameError))
	s.msg.TextSize = theme.TextSize() * 1.2
	s.Pad = widgets.NewSignaturePad()
	s.Pad.OnChanged = func() {
		s.ui.Touch()
		if s.msg.Text != "" {
			s.msg.Text = ""
			s.msg.Refresh()
		}
	}
	s.clear = widget.NewButtonWithIcon(lang.X("sign.clear", "Clear"), theme.ContentClearIcon(), func() {
		s.Pad.Clear()
	})
	s.done = widget.NewButtonWithIcon(lang.X("sign.done", "Done"), theme.ConfirmIcon(), s.Done)
	s.done.Importance = widget.HighImportance
	s.paper = widget.NewButtonWithIcon(lang.X("sign.paper", "Sign on paper"), theme.DocumentPrintIcon(), s.OnPaper)
	s.paper.Importance = widget.LowImportance
	top := container.NewVBox(title, container.NewHBox(due, container.NewVBox(s.card, s.feature)), s.msg)
	bottom := container.NewVBox(
		widget.NewLabelWithStyle(lang.X("sign.agree", "I agree to pay the amount above as the card's issuer agreed with me"),
			fyne.TextAlignCenter, fyne.TextStyle{Italic: true}),
		widgets.NewActions(72, s.paper, s.clear, s.done))
	return container.NewBorder(top, bottom, nil, nil, container.NewPadded(s.Pad))
}

// load fetches the card and the feature code to show.
func (s *Sign) load() {
	var slip esign.Slip
	var err error
	s.ui.Async(func() {
		slip, err = s.sigs.Slip(context.Background(), s.paymentID)
	}, func() {
		if err != nil {
			s.showError(err)
			return
		}
		card := slip.MaskedPAN
		if slip.Scheme != "" {
			card = receipt.SchemeName(slip.Scheme, lang.X) + " " + card
		}
		s.card.SetText(card)
		if slip.FeatureCode != "" {
			s.feature.SetText(lang.X("sign.feature_code", "Feature code {{.Code}}", map[string]any{"Code": slip.FeatureCode}))
		}
	})
}

// Done keeps the signature drawn and goes on to the receipt; a signature
// that cannot be kept says why and stays to be signed again.
func (s *Sign) Done() {
	if s.busy {
		return
	}
	s.ui.Touch()
	sig := s.Pad.Signature()
	if err := sig.Valid(); err != nil {
		s.showError(err)
		return
	}
	s.setBusy(true)
	var err error
	s.ui.Async(func() {
		err = s.sigs.Sign(context.Background(), s.paymentID, sig)
	}, func() {
		s.setBusy(false)
		if err != nil {
			s.showError(err)
			return
		}
		if s.OnDone != nil {
			s.OnDone(s.order)
		}
	})
}

// OnPaper goes on to the receipt unsigned: the merchant copy has a line to
// sign on.
func (s *Sign) OnPaper() {
	if s.busy {
		return
	}
	s.ui.Touch()
	if s.OnDone != nil {
		s.OnDone(s.order)
	}
}

func (s *Sign) setBusy(busy bool) {
	s.busy = busy
	for _, b := range []*widget.Button{s.done, s.clear, s.paper} {
		if busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

func (s *Sign) showError(err error) {
	s.msg.Text = Message(err)
	s.msg.Refresh()
}
