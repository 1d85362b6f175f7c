package uitest

import (
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestFindsWhatTheTopDialogShows(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("t")
	hidden := widget.NewButton("Hidden", nil)
	hidden.Hide()
	w.SetContent(container.NewVBox(widget.NewLabel("Total ¥3.50"), widget.NewButton("Pay ¥3.50", nil), hidden, widget.NewEntry()))
	if FindButton(w, "Pay", false) != nil || FindButton(w, "Pay", true) == nil || FindButton(w, "Hidden", false) != nil {
		t.Fatal("buttons found by text wrongly")
	}
	if !Shown(w, "Total ¥3.50") || Shown(w, "Refund") || len(Entries(w)) != 1 {
		t.Fatalf("texts %q, entries %d", Texts(w), len(Entries(w)))
	}
	d := dialog.NewCustomWithoutButtons("Code", container.NewVBox(widget.NewEntry(), widget.NewEntry(), widget.NewButton("OK", nil)), w)
	d.Show()
	if Button(t, w, "OK") == nil || FindButton(w, "Pay ¥3.50", false) != nil || len(Entries(w)) != 2 {
		t.Fatal("the dialog on top is not what is searched")
	}
}
