package app

import (
	"bytes"
	"context"
	"image/png"
	"math/bits"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/devices/printer/escposdecode"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/esign"
	"github.com/till-pos/till/screens/widgets"
)

// scribble draws a name on pad: two strokes of pointer drags, as a finger
// or a mouse would.
func scribble(pad *widgets.SignaturePad) {
	size := pad.Size()
	at := func(fx, fy float32) fyne.Position { return fyne.NewPos(fx*size.Width, fy*size.Height) }
	for _, stroke := range [][]fyne.Position{
		{at(0.15, 0.3), at(0.22, 0.7), at(0.3, 0.4), at(0.38, 0.7), at(0.45, 0.3)},
		{at(0.5, 0.6), at(0.6, 0.5), at(0.7, 0.6), at(0.85, 0.45)},
	} {
		for i := 1; i < len(stroke); i++ {
			pad.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: stroke[i]},
				Dragged: fyne.NewDelta(stroke[i].X-stroke[i-1].X, stroke[i].Y-stroke[i-1].Y)})
		}
		pad.DragEnd()
	}
}

// signOnScreen has the cardholder sign the payment just approved and taps
// Done; the receipt follows.
func signOnScreen(t *testing.T, till *Till) {
	t.Helper()
	sg := till.Shell().Sign
	if sg == nil {
		t.Fatalf("no signature screen: screen %s", till.Shell().Current())
	}
	scribble(sg.Pad)
	test.Tap(button(t, till.Window(), "Done"))
	if till.Shell().Current() != "receipt" {
		t.Fatalf("after signing: screen %s, message %q", till.Shell().Current(), sg.Message())
	}
}

// TestCardholderSignsOnTheScreenAndTheBankHasIt: a card payment approved
// above the no-PIN limit brings up the signature screen with the feature
// code of the approval; Done on an empty pad asks for a signature; the
// signature drawn is kept with the payment, printed on the merchant copy
// (the raster decoded from the printer's bytes is the kept image, dot for
// dot), uploaded to the host by the background sync, and shown in the
// transaction query.
func TestCardholderSignsOnTheScreenAndTheBankHasIt(t *testing.T) {
	till := startDemoWithHost(t)
	printed := filePrinter(t, till)
	sell := till.Shell().Sell
	item, ok := till.catalog.Lookup(colaCode)
	if !ok || !sell.AddItem(item, models.Units(300)) { // ¥1,050: above the ¥1,000 no-PIN limit
		t.Fatal("cannot fill the cart")
	}
	till.Shell().ShowPayCard(sell.Order())
	tapKeys(t, till, "Tap demo card: Visa")
	sg := till.Shell().Sign
	if till.Shell().Current() != "pay" || sg == nil {
		t.Fatalf("after the approval: screen %s, message %q", till.Shell().Current(), till.Shell().Card.Message())
	}
	o := todaysOrders(t, till)[0]
	p := o.Payments[len(o.Payments)-1]
	req, err := till.Store().RequestByKey(context.Background(), "T01", p.Key)
	if err != nil {
		t.Fatal(err)
	}
	code := esign.FeatureCode("", req.RRN)
	if sg.FeatureCode() != "Feature code "+code {
		t.Fatalf("feature code shown %q, want %s", sg.FeatureCode(), code)
	}
	test.Tap(button(t, till.Window(), "Done"))
	if sg.Message() != "Please sign in the box" || till.Shell().Current() != "pay" {
		t.Fatalf("Done on an empty pad: %q, screen %s", sg.Message(), till.Shell().Current())
	}
	if !till.Shell().Busy() {
		t.Fatal("the signature screen lets the till lock or navigate away")
	}
	signOnScreen(t, till)

	sig, err := till.Store().SignatureOf(context.Background(), p.ID)
	if err != nil || sig == nil {
		t.Fatalf("signature kept: %v %v", sig, err)
	}
	drawn, err := esign.Decode(sig.Strokes)
	if err != nil || len(drawn.Strokes) != 2 || sig.FeatureCode != code {
		t.Fatalf("kept: %v, %d strokes, feature code %q", err, len(drawn.Strokes), sig.FeatureCode)
	}

	// The merchant copy prints the kept image.
	img, err := png.Decode(bytes.NewReader(sig.Image))
	if err != nil {
		t.Fatal(err)
	}
	ink := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
				ink++
			}
		}
	}
	var rasters []escposdecode.Op
	for deadline := time.Now().Add(10 * time.Second); len(rasters) == 0 && time.Now().Before(deadline); {
		data, _ := os.ReadFile(printed)
		if ops, err := escposdecode.DecodeOptions(data, escposdecode.Options{ChineseAtStart: true}); err == nil &&
			strings.Contains(strings.Join(escposdecode.Lines(ops), "\n"), "Customer copy") {
			for _, op := range ops {
				if op.Kind == escposdecode.KindRaster {
					rasters = append(rasters, op)
				}
			}
			if lines := strings.Join(escposdecode.Lines(ops), "\n"); !strings.Contains(lines, "Cardholder e-signature") ||
				!strings.Contains(lines, code) {
				t.Fatalf("merchant copy:\n%s", lines)
			}
		} else {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if len(rasters) != 1 {
		t.Fatalf("%d raster images printed, want the signature once (merchant copy only)", len(rasters))
	}
	dots := 0
	for _, b := range rasters[0].Data {
		dots += bits.OnesCount8(b)
	}
	if ink == 0 || dots != ink {
		t.Fatalf("the printed signature has %d dots, the kept image %d", dots, ink)
	}

	// The sync uploads it; the host has the image; the query says so.
	if err := till.host.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	var tid string
	for _, e := range till.host.Simulator().Ledger() {
		if e.RRN == req.RRN {
			tid = e.TID
		}
	}
	if got, ok := till.host.Simulator().Signature(tid, req.RRN); !ok || !bytes.Equal(got, sig.Image) {
		t.Fatalf("the host holds %d bytes (%v) for RRN %s, want the %d kept", len(got), ok, req.RRN, len(sig.Image))
	}
	events, err := till.Store().OrderHistory(context.Background(), &o)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		if strings.HasPrefix(e.Kind, "signature:") {
			kinds = append(kinds, e.Kind)
		}
	}
	if strings.Join(kinds, " ") != "signature:kept signature:uploaded" {
		t.Fatalf("history: %v", kinds)
	}
	if _, err := till.signing.Slip(context.Background(), p.ID); err != nil {
		t.Fatal(err)
	}
	if err := till.signing.Sign(context.Background(), p.ID, drawn); models.ErrorCode(err) != models.ECONFLICT {
		t.Fatalf("signing twice: %v", err)
	}
}
