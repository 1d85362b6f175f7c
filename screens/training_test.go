package screens

import (
	"testing"

	"github.com/till-pos/till/models"
)

// fakeTraining records who entered and left training.
type fakeTraining struct {
	in             bool
	started, ended []models.Operator
}

func (f *fakeTraining) InTraining() bool { return f.in }
func (f *fakeTraining) StartTraining(by models.Operator) error {
	f.started = append(f.started, by)
	return nil
}
func (f *fakeTraining) EndTraining(by models.Operator) error {
	f.ended = append(f.ended, by)
	return nil
}

func TestSettingsStartsAndLeavesTraining(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	tr := &fakeTraining{}
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Training: tr})
	showOn(ui, s.Content())
	mustShow(t, w, "Nothing is counted")
	if findButton(w, "Leave training") != nil {
		t.Fatal("Leave training outside training")
	}
	tap(t, w, "Start training")
	if len(tr.started) != 1 || tr.started[0].ID != manager.ID {
		t.Fatalf("started by %+v", tr.started)
	}

	tr.in = true
	s = NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Training: tr})
	showOn(ui, s.Content())
	if findButton(w, "Start training") != nil {
		t.Fatal("Start training in training")
	}
	tap(t, w, "Leave training")
	if len(tr.ended) != 1 || tr.ended[0].ID != manager.ID {
		t.Fatalf("ended by %+v", tr.ended)
	}
}

func TestShellShowsTheTrainingBannerOnEveryScreen(t *testing.T) {
	s, ui, _ := newTestShell(t, nil)
	if shown(ui.Window, "TRAINING") {
		t.Fatal("the training banner outside training")
	}
	s, ui, _ = newTestShell(t, func(d *Deps, _ *shellFakes) {})
	ui.Shop.Training = true
	s = NewShell(ui, s.deps)
	showOn(ui, s.Content())
	for _, show := range []func(){s.ShowSell, s.ShowOrders, s.ShowDayEnd, s.ShowSettings} {
		show()
		mustShow(t, ui.Window, "TRAINING — nothing is counted")
	}
}
