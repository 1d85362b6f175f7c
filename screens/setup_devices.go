package screens

// The setup's Devices step, and the Test buttons it shares with Settings:
// the receipt printer's address and paper, the card reader, the
// fingerprint reader's port, each with a Test that runs `till diag`'s check
// of it in the background and says what it found.

import (
	"context"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models/receipt"
)

// SetupDevices chooses and tests the till's devices: the receipt printer,
// the card reader and the fingerprint reader's port. Each Test runs the
// check `till diag` runs, until ctx ends, and stores nothing; its errors
// say why in the user's words. The app's adapter of its services is the
// one implementation.
type SetupDevices interface {
	// Printer is the receipt printer's address stored ("" for none) and
	// its paper width, "58" or "80".
	Printer() (url, paper string)
	// SetPrinter checks the printer's address by the printer address rule
	// and stores it with the paper width.
	SetPrinter(ctx context.Context, url, paper string) error
	// TestPrinter prints a test page on the printer at url for paper.
	TestPrinter(ctx context.Context, url, paper string) (PrinterTest, error)

	// Readers lists the card readers connected now; Reader is the one
	// chosen if it is connected, else the first one connected, else "".
	Readers(ctx context.Context) ([]string, error)
	Reader(ctx context.Context) (string, error)
	// ChooseReader stores the card reader to use.
	ChooseReader(ctx context.Context, name string) error
	// TestReader waits for a card tapped on reader ("": the one Reader
	// names) and reads it as a payment would.
	TestReader(ctx context.Context, reader string) (CardTest, error)

	// Ports lists the serial ports present now; FingerprintPort is the
	// fingerprint reader's, "" for none.
	Ports() ([]string, error)
	FingerprintPort() string
	// SetFingerprintPort stores the fingerprint reader's port ("" for
	// none).
	SetFingerprintPort(ctx context.Context, port string) error
	// TestFingerprint asks the fingerprint reader on port for its
	// parameters and the fingers enrolled on it.
	TestFingerprint(ctx context.Context, port string) (FingerprintTest, error)
}

// PrinterTest is what a printer's test found once its page printed: the
// printer ready, its paper low, or its status unknown (it does not answer
// status requests).
type PrinterTest struct {
	State receipt.PrinterState
}

// CardTest is the card a reader's test read: its scheme and last four
// digits, never its number.
type CardTest struct {
	Reader string
	Scheme string // "unionpay", "visa"…
	Masked string // "**** **** **** 4444"
}

// FingerprintTest is what a fingerprint reader said of itself: the fingers
// enrolled on it, and how many it holds.
type FingerprintTest struct {
	Templates, Capacity int
}

// How long each test waits at most.
const (
	printerTestTime = 30 * time.Second
	cardTestTime    = 30 * time.Second
	fingerTestTime  = 15 * time.Second
)

// deviceTest is a device's Test button and what the test says: what it
// waits for, with a Cancel button, while it runs in the background, then
// what it found or why it failed.
type deviceTest struct {
	ui      *UI
	button  *widget.Button
	cancel  *widget.Button
	cancels fyne.CanvasObject // the Cancel button and its strut
	status  *widget.Label
	stop    context.CancelFunc // ends the test running; nil when none is
	stopped bool               // the test running was cancelled
	content *fyne.Container
}

// newDeviceTest is a Test button labelled label. Tapping it calls prepare
// on the UI goroutine for what the test says while it runs and the test
// itself, which runs in the background for at most timeout and returns
// what it found.
func newDeviceTest(ui *UI, label string, timeout time.Duration, prepare func() (waiting string, run func(context.Context) (string, error))) *deviceTest {
	d := &deviceTest{ui: ui, status: widget.NewLabel("")}
	d.status.Wrapping = fyne.TextWrapWord
	d.button = widget.NewButtonWithIcon(label, theme.MediaPlayIcon(), func() {
		ui.Touch()
		waiting, run := prepare()
		d.start(waiting, timeout, run)
	})
	d.cancel = widget.NewButtonWithIcon(lang.X("action.cancel", "Cancel"), theme.CancelIcon(), func() {
		ui.Touch()
		d.Stop()
	})
	d.cancels = container.NewStack(strut(120, 52), d.cancel)
	d.cancels.Hide()
	d.content = container.NewBorder(nil, nil, container.NewStack(strut(0, 52), d.button), d.cancels, d.status)
	return d
}

// start runs the test, saying waiting meanwhile.
func (d *deviceTest) start(waiting string, timeout time.Duration, run func(context.Context) (string, error)) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	d.stop, d.stopped = cancel, false
	d.button.Disable()
	d.cancels.Show()
	d.content.Refresh() // lays the Cancel button out
	d.say(waiting, widget.MediumImportance)
	var found string
	var err error
	d.ui.Async(func() {
		found, err = run(ctx)
	}, func() {
		cancel()
		d.stop = nil
		d.button.Enable()
		d.cancels.Hide()
		d.content.Refresh()
		switch {
		case err != nil && d.stopped:
			d.say(Message(err), widget.MediumImportance) // as asked: no failure
			return
		case err != nil:
			d.say(Message(err), widget.DangerImportance)
			return
		}
		d.say(found, widget.SuccessImportance)
	})
}

func (d *deviceTest) say(text string, imp widget.Importance) {
	d.status.Importance = imp
	d.status.SetText(text)
}

// Stop cancels the test running, if one is; it then says it was
// cancelled.
func (d *deviceTest) Stop() {
	if d.stop != nil {
		d.stopped = true
		d.stop()
	}
}

// printerTestText says what a printer's test found.
func printerTestText(r PrinterTest) string {
	switch r.State {
	case receipt.PrinterPaperLow:
		return lang.X("devices.printer_paper_low", "Test page printed; the paper roll is nearly used up")
	case receipt.PrinterStatusUnknown:
		return lang.X("devices.printer_unknown", "Test page sent: this printer does not say how it is, so check that the page came out")
	}
	return lang.X("devices.printer_ok", "Test page printed: the printer is ready")
}

// cardTestText says what a reader's test read.
func cardTestText(r CardTest) string {
	return lang.X("devices.reader_ok", "Read a {{.Scheme}} card, {{.Card}}: the card reader works",
		map[string]any{"Scheme": receipt.SchemeName(r.Scheme, lang.X), "Card": r.Masked})
}

// fingerTestText says what a fingerprint reader's test found.
func fingerTestText(r FingerprintTest) string {
	return lang.XN("devices.finger_ok", "The fingerprint reader answers: {{.N}} fingers enrolled, room for {{.Capacity}}", r.Templates,
		map[string]any{"N": r.Templates, "Capacity": r.Capacity})
}

// printerTest is the Test of the printer whose address and paper get gives.
func printerTest(ui *UI, d SetupDevices, get func() (url, paper string)) *deviceTest {
	return newDeviceTest(ui, lang.X("devices.test_printer", "Print a test page"), printerTestTime, func() (string, func(context.Context) (string, error)) {
		url, paper := get()
		return lang.X("devices.printing", "Printing a test page…"), func(ctx context.Context) (string, error) {
			r, err := d.TestPrinter(ctx, url, paper)
			if err != nil {
				return "", err
			}
			return printerTestText(r), nil
		}
	})
}

// readerTest is the Test of the card reader reader gives.
func readerTest(ui *UI, d SetupDevices, reader func() string) *deviceTest {
	return newDeviceTest(ui, lang.X("devices.test_reader", "Test the card reader"), cardTestTime, func() (string, func(context.Context) (string, error)) {
		name := reader()
		return lang.X("devices.tap", "Tap a card on the reader…"), func(ctx context.Context) (string, error) {
			r, err := d.TestReader(ctx, name)
			if err != nil {
				return "", err
			}
			return cardTestText(r), nil
		}
	})
}

// fingerTest is the Test of the fingerprint reader on the port port gives.
func fingerTest(ui *UI, d SetupDevices, port func() string) *deviceTest {
	return newDeviceTest(ui, lang.X("devices.test_finger", "Test the fingerprint reader"), fingerTestTime, func() (string, func(context.Context) (string, error)) {
		p := port()
		return lang.X("devices.asking_finger", "Asking the fingerprint reader…"), func(ctx context.Context) (string, error) {
			r, err := d.TestFingerprint(ctx, p)
			if err != nil {
				return "", err
			}
			return fingerTestText(r), nil
		}
	})
}

// pick is a row of choices, the one chosen highlighted; tapping one
// chooses it.
type pick struct {
	row    *fyne.Container
	chosen string
}

// show lists options (value and label), and then extra buttons.
func (p *pick) show(options [][2]string, extra ...fyne.CanvasObject) {
	p.row.Objects = nil
	for _, o := range options {
		b := widget.NewButton(o[1], nil)
		b.OnTapped = func() {
			p.chosen = o[0]
			for _, other := range p.row.Objects {
				if ob, ok := other.(*widget.Button); ok && ob.Importance == widget.HighImportance {
					ob.Importance = widget.MediumImportance
					ob.Refresh()
				}
			}
			b.Importance = widget.HighImportance
			b.Refresh()
		}
		if o[0] == p.chosen {
			b.Importance = widget.HighImportance
		}
		p.row.Add(b)
	}
	for _, e := range extra {
		p.row.Add(e)
	}
	p.row.Refresh()
}

// devicesStep chooses the receipt printer (its address on the on-screen
// keyboard, its paper), the card reader and the fingerprint reader's port,
// each with its Test; Next stores them, Later leaves them for Settings.
func (s *Setup) devicesStep() fyne.CanvasObject {
	s.title.SetText(lang.X("setup.devices_title", "Devices"))
	d := s.devices
	hint := widget.NewLabel(lang.X("setup.devices_hint", "Plug in the receipt printer, the card reader and the fingerprint reader, choose each one and test it. Tap Later to set them in Settings another time."))
	hint.Wrapping = fyne.TextWrapWord

	url, stored := d.Printer()
	paper := &pick{row: choices(), chosen: stored}
	if paper.chosen != "80" {
		paper.chosen = "58"
	}
	paper.show([][2]string{{"58", "58 mm"}, {"80", "80 mm"}})
	addrItem, addr := field(lang.X("setup.printer_address", "Printer address"), url, "tcp://192.168.1.50:9100 · serial:///dev/ttyUSB0?baud=9600", s.ui)
	kbd := onScreenKeyboard(s.ui, addr)
	addrItem.Widget = container.NewBorder(nil, nil, nil, kbd.toggle, addr)
	s.first = addr
	pt := printerTest(s.ui, d, func() (string, string) { return strings.TrimSpace(addr.Text), paper.chosen })
	printerBox := widget.NewCard(lang.X("settings.printer", "Receipt printer"), "", container.NewVBox(
		widget.NewForm(addrItem, widget.NewFormItem(lang.X("settings.paper", "Paper"), paper.row)),
		container.NewCenter(kbd.keys), pt.content))

	reader := &pick{row: container.NewGridWrap(fyne.NewSize(240, 56))}
	readersMsg := wrapped("") // why none are listed
	var listReaders func()
	again := widget.NewButtonWithIcon(lang.X("settings.readers_again", "Look again"), theme.ViewRefreshIcon(), func() { listReaders() })
	listReaders = func() {
		var names []string
		var chosen string
		var err error
		s.ui.Async(func() {
			ctx := context.Background()
			if names, err = d.Readers(ctx); err == nil {
				chosen, err = d.Reader(ctx)
			}
		}, func() {
			reader.chosen = chosen
			var options [][2]string
			for _, n := range names {
				options = append(options, [2]string{n, n})
			}
			switch {
			case err != nil:
				readersMsg.SetText(Message(err))
			case len(names) == 0:
				readersMsg.SetText(lang.X("settings.no_reader", "No card reader is connected"))
			default:
				readersMsg.SetText("")
			}
			readersMsg.Hidden = readersMsg.Text == ""
			reader.show(options, again)
		})
	}
	listReaders()
	rt := readerTest(s.ui, d, func() string { return reader.chosen })
	readerBox := widget.NewCard(lang.X("settings.reader", "Card reader"), "", container.NewVBox(readersMsg, reader.row, rt.content))

	port := &pick{row: choices(), chosen: d.FingerprintPort()}
	portsMsg := wrapped("") // why none are listed
	portsMsg.Hide()
	var listPorts func()
	portsAgain := widget.NewButtonWithIcon(lang.X("settings.readers_again", "Look again"), theme.ViewRefreshIcon(), func() { listPorts() })
	listPorts = func() {
		var ports []string
		var err error
		s.ui.Async(func() {
			ports, err = d.Ports()
		}, func() {
			options := [][2]string{{"", lang.X("settings.port_none", "None")}}
			for _, p := range ports {
				options = append(options, [2]string{p, p})
			}
			if port.chosen != "" && !slices.Contains(ports, port.chosen) {
				options = append(options, [2]string{port.chosen, port.chosen}) // chosen but not plugged in now
			}
			portsMsg.SetText("")
			if err != nil {
				portsMsg.SetText(Message(err))
			}
			portsMsg.Hidden = portsMsg.Text == ""
			port.show(options, portsAgain)
		})
	}
	listPorts()
	ft := fingerTest(s.ui, d, func() string { return port.chosen })
	fingerBox := widget.NewCard(lang.X("settings.finger_port", "Fingerprint reader"), "", container.NewVBox(portsMsg, port.row, ft.content))

	s.tests = []*deviceTest{pt, rt, ft}
	s.save = func() error {
		ctx := context.Background()
		if err := d.SetPrinter(ctx, strings.TrimSpace(addr.Text), paper.chosen); err != nil {
			return err
		}
		if reader.chosen != "" {
			if err := d.ChooseReader(ctx, reader.chosen); err != nil {
				return err
			}
		}
		return d.SetFingerprintPort(ctx, port.chosen)
	}
	return container.NewVBox(hint, printerBox, readerBox, fingerBox)
}

// wrapped is a label that wraps its text.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// devicesDone are the done step's lines on the devices: the printer, the
// card reader, the fingerprint reader.
func (s *Setup) devicesDone(line func(ok bool, yes, no string) fyne.CanvasObject) []fyne.CanvasObject {
	d := s.devices
	url, paper := d.Printer()
	reader, _ := d.Reader(context.Background())
	port := d.FingerprintPort()
	return []fyne.CanvasObject{
		line(url != "", lang.X("setup.done_printer", "Receipts print on {{.Printer}}, {{.Paper}} mm paper", map[string]any{"Printer": url, "Paper": paper}),
			lang.X("setup.no_printer", "No receipt printer: receipts show on the screen until one is set in Settings")),
		line(reader != "", lang.X("setup.done_reader", "Cards are read on {{.Reader}}", map[string]any{"Reader": reader}),
			lang.X("setup.no_reader", "No card reader is connected: plug one in before taking cards")),
		line(port != "", lang.X("setup.done_finger", "The fingerprint reader is on {{.Port}}", map[string]any{"Port": port}),
			lang.X("setup.no_finger", "No fingerprint reader: staff sign in with their codes")),
	}
}
