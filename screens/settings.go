package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// Settings shows the terminal's configuration and lets the owner choose the
// language. Light and dark follow the system.
type Settings struct {
	env     *Env
	langs   map[string]*widget.Button
	content fyne.CanvasObject
}

// NewSettings builds the settings screen.
func NewSettings(env *Env) *Settings {
	s := &Settings{env: env, langs: map[string]*widget.Button{}}
	s.content = s.build()
	return s
}

// Content is the screen's root object.
func (s *Settings) Content() fyne.CanvasObject { return s.content }

// ChooseLanguage switches the UI to "zh" or "en".
func (s *Settings) ChooseLanguage(l string) {
	if l == s.env.Shop.Lang || s.env.SetLanguage == nil {
		return
	}
	s.env.SetLanguage(l)
}

func (s *Settings) build() fyne.CanvasObject {
	langRow := container.NewHBox()
	for _, c := range []struct{ code, name string }{{"zh", "简体中文"}, {"en", "English"}} {
		b := widget.NewButton(c.name, func() { s.ChooseLanguage(c.code) })
		if c.code == s.env.Shop.Lang {
			b.Importance = widget.HighImportance
		}
		s.langs[c.code] = b
		langRow.Add(container.NewGridWrap(fyne.NewSize(200, 64), b))
	}
	taxMode := lang.X("settings.tax_inclusive", "Prices include VAT")
	if s.env.Shop.TaxMode == "exclusive" {
		taxMode = lang.X("settings.tax_exclusive", "VAT is added to prices")
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.X("settings.language", "Language"), langRow),
		widget.NewFormItem(lang.X("settings.store", "Store"), widget.NewLabel(s.env.Shop.Name)),
		widget.NewFormItem(lang.X("settings.terminal", "Terminal"), widget.NewLabel(s.env.Shop.TerminalID)),
		widget.NewFormItem(lang.X("settings.operator", "Operator"), widget.NewLabel(s.env.Shop.Operator.Name)),
		widget.NewFormItem(lang.X("settings.currency", "Currency"), widget.NewLabel(string(s.env.Shop.Currency))),
		widget.NewFormItem(lang.X("settings.tax", "Tax"), widget.NewLabel(taxMode)),
		widget.NewFormItem(lang.X("settings.theme", "Theme"), widget.NewLabel(lang.X("settings.theme_system", "Light or dark, as the system is set"))),
		widget.NewFormItem(lang.X("settings.database", "Database"), widget.NewLabel(s.env.Shop.DBPath)),
		widget.NewFormItem(lang.X("settings.version", "Version"), widget.NewLabel(s.env.Shop.Version)),
	)
	return container.NewVScroll(container.NewPadded(form))
}
