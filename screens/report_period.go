package screens

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
)

// maxRangeDays is the longest date range a report is asked for: a year.
const maxRangeDays = 366

// reportMode is how the period shown was chosen.
type reportMode int

const (
	daysMode  reportMode = iota // one of reportPeriods
	rangeMode                   // a range of whole days
	shiftMode                   // the open shift so far
)

// periodPicker is the period a report screen shows and the buttons that
// choose it: back and on by the period's length, Today, a day, 7 or 30
// days, a range of dates, and the open shift so far; the button of the
// period shown is marked. The reports and the members' report have one.
type periodPicker struct {
	ui *UI
	// ShiftStart, when set, is when the terminal's open shift opened
	// (models.ErrNoShift when none is): the Shift button shows the shift
	// so far.
	ShiftStart func(ctx context.Context) (time.Time, error)

	days   int       // the period's length in days (for a range too)
	last   time.Time // midnight starting the period's last day
	mode   reportMode
	shift  time.Time // the shift's start, in shiftMode
	reload func()    // the screen's: loads the period chosen

	period   *widget.Label
	status   *widget.Label // "Loading…", and a screen's own news
	prev     *widget.Button
	next     *widget.Button
	choices  []*widget.Button // reportPeriods'
	rangeBtn *widget.Button
	shiftBtn *widget.Button
}

// newPeriodPicker shows days days ending with the day of last (today when
// zero); reload loads the period whenever another is chosen.
func newPeriodPicker(ui *UI, days int, last time.Time, reload func()) *periodPicker {
	if days <= 0 {
		days = 1
	}
	if last.IsZero() {
		last = ui.now()
	}
	p := &periodPicker{ui: ui, days: days, last: midnight(last), reload: reload}
	p.period = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.status = widget.NewLabel("")
	p.status.Truncation = fyne.TextTruncateEllipsis
	p.prev = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { p.move(-1) })
	p.next = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { p.move(1) })
	names := map[int]string{1: lang.X("report.day", "Day"), 7: lang.X("report.week", "7 days"), 30: lang.X("report.month", "30 days")}
	for _, d := range reportPeriods {
		p.choices = append(p.choices, widget.NewButton(names[d], func() { p.Choose(d, p.last) }))
	}
	p.rangeBtn = widget.NewButtonWithIcon(lang.X("report.range", "Dates…"), theme.HistoryIcon(), p.askRange)
	p.shiftBtn = widget.NewButton(lang.X("report.shift", "Shift"), p.showShift)
	return p
}

// pickerCell sizes a button of the bars.
func pickerCell(w float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(w, 52), o)
}

// steps are the back, Today and on buttons.
func (p *periodPicker) steps() fyne.CanvasObject {
	today := widget.NewButton(lang.X("report.today", "Today"), func() {
		if p.mode == shiftMode {
			p.mode, p.days = daysMode, 1
		}
		p.last = midnight(p.ui.now())
		p.reload()
	})
	return container.NewHBox(pickerCell(52, p.prev), pickerCell(110, today), pickerCell(52, p.next))
}

// periods are the buttons that choose a period's kind, on a row of their
// own so that a portrait tablet holds them.
func (p *periodPicker) periods() fyne.CanvasObject {
	var row []fyne.CanvasObject
	for _, b := range append(append([]*widget.Button(nil), p.choices...), p.rangeBtn, p.shiftBtn) {
		row = append(row, pickerCell(110, b))
	}
	return container.NewHBox(row...)
}

// move steps the period back (-1) or on (+1) by its length; never past
// today.
func (p *periodPicker) move(step int) {
	if p.mode == shiftMode {
		return
	}
	last := p.last.AddDate(0, 0, step*p.days)
	if today := midnight(p.ui.now()); last.After(today) {
		last = today
	}
	p.last = last
	p.reload()
}

// Choose shows the period of days days ending with the day of last, for
// tests and the buttons.
func (p *periodPicker) Choose(days int, last time.Time) {
	p.mode, p.days, p.last = daysMode, days, midnight(last)
	p.reload()
}

// ChooseRange shows the whole days from the day of first to the day of
// last; it refuses a range that runs backwards, ends after today or is
// longer than a year, with a message in the user's language.
func (p *periodPicker) ChooseRange(first, last time.Time) error {
	first, last = midnight(first), midnight(last)
	days := int(last.Sub(first).Round(time.Hour).Hours()/24) + 1
	switch {
	case last.Before(first):
		return &models.Error{Code: models.EINVALID, Key: "report.range_backwards", Fallback: "The first day comes after the last"}
	case last.After(midnight(p.ui.now())):
		return &models.Error{Code: models.EINVALID, Key: "report.range_future", Fallback: "The last day is after today"}
	case days > maxRangeDays:
		return &models.Error{Code: models.EINVALID, Key: "report.range_long",
			Fallback: "A report covers at most {{.Days}} days", Args: map[string]any{"Days": maxRangeDays}}
	}
	p.mode, p.days, p.last = rangeMode, days, last
	p.reload()
	return nil
}

// askRange asks for the first and last days of a range.
func (p *periodPicker) askRange() {
	first, last := widget.NewDateEntry(), widget.NewDateEntry()
	from, to := p.span()
	f, l := midnight(from), midnight(to.Add(-time.Nanosecond))
	first.SetDate(&f)
	last.SetDate(&l)
	// Always there, empty until a range is refused: the dialog keeps its
	// size when a message shows.
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	form := widget.NewForm(widget.NewFormItem(lang.X("report.range_first", "From"), first),
		widget.NewFormItem(lang.X("report.range_last", "To"), last))
	var d dialog.Dialog
	show := widget.NewButtonWithIcon(lang.X("report.range_show", "Show"), theme.ConfirmIcon(), func() {
		if first.Date == nil || last.Date == nil {
			msg.SetText(lang.X("report.range_missing", "Choose both days"))
			return
		}
		if err := p.ChooseRange(*first.Date, *last.Date); err != nil {
			msg.SetText(Message(err))
			return
		}
		d.Hide()
	})
	show.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), func() { d.Hide() })
	body := container.NewVBox(form, container.NewStack(strut(360, 0), msg),
		container.NewGridWithColumns(2, pickerCell(160, cancel), pickerCell(160, show)))
	d = dialog.NewCustomWithoutButtons(lang.X("report.range_title", "Report of a range of days"), body, p.ui.Window)
	fitDialog(p.ui, d)
	d.Show()
}

// showShift shows the open shift so far; a message says when none is
// open.
func (p *periodPicker) showShift() {
	if p.ShiftStart == nil {
		return
	}
	var start time.Time
	var err error
	p.ui.Async(func() {
		start, err = p.ShiftStart(context.Background())
	}, func() {
		if err != nil {
			ShowError(p.ui.Window, err)
			return
		}
		p.mode, p.shift, p.days, p.last = shiftMode, start, 1, midnight(p.ui.now())
		p.reload()
	})
}

// span is the period shown: [from, to).
func (p *periodPicker) span() (from, to time.Time) {
	if p.mode == shiftMode {
		return p.shift, p.ui.now()
	}
	to = p.last.AddDate(0, 0, 1)
	return to.AddDate(0, 0, -p.days), to
}

// refresh marks the button of the period shown, enables the steps that
// lead somewhere and names the period; it returns the period.
func (p *periodPicker) refresh() (from, to time.Time) {
	from, to = p.span()
	mark := func(b *widget.Button, on bool) {
		b.Importance = widget.MediumImportance
		if on {
			b.Importance = widget.HighImportance
		}
		b.Refresh()
	}
	for i, b := range p.choices {
		mark(b, p.mode == daysMode && reportPeriods[i] == p.days)
	}
	mark(p.rangeBtn, p.mode == rangeMode)
	mark(p.shiftBtn, p.mode == shiftMode)
	showIf(p.shiftBtn, p.ShiftStart != nil)
	enable(p.next, p.mode != shiftMode && p.last.Before(midnight(p.ui.now())))
	enable(p.prev, p.mode != shiftMode)
	p.period.SetText(receipt.PeriodText(from, to))
	return from, to
}

// load shows the period chosen, then reads its report off Fyne's
// goroutine with "Loading…" shown, and calls done; a read that fails shows
// its error instead.
func (p *periodPicker) load(read func(ctx context.Context, from, to time.Time) error, done func()) {
	p.ui.Touch()
	from, to := p.refresh()
	p.status.SetText(lang.X("report.loading", "Loading…"))
	var err error
	p.ui.Async(func() {
		err = read(context.Background(), from, to)
	}, func() {
		p.status.SetText("")
		if err != nil {
			ShowError(p.ui.Window, err)
			return
		}
		done()
	})
}

// showIf shows o, or hides it.
func showIf(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// enable enables b, or disables it.
func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}
