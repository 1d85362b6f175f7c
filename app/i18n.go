package app

import (
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/till-pos/till/resources"
)

// normLang maps a language choice to "zh" or "en"; zh-CN is the default.
func normLang(l string) string {
	if l == "en" {
		return "en"
	}
	return "zh"
}

// useLanguage makes Fyne's translations speak l ("zh" or "en") whatever the
// system locale is: Fyne picks its language from the locale environment, so
// that is set for this process before the translations are (re)loaded.
func useLanguage(l string) {
	loc := "zh_CN.UTF-8"
	if l == "en" {
		loc = "en_US.UTF-8"
	}
	os.Setenv("LANGUAGE", loc[:5])
	os.Setenv("LC_ALL", loc)
	os.Setenv("LC_MESSAGES", loc)
	if err := lang.AddTranslationsFS(resources.Translations, resources.TranslationsDir); err != nil {
		fyne.LogError("app: load translations", err)
	}
	// Where the locale does not come from the environment (Windows, Android),
	// Fyne still speaks the system's language: give that language's tag the
	// chosen strings too.
	if sys := lang.SystemLocale(); sys.LanguageString() != "" && !strings.HasPrefix(sys.LanguageString(), l) {
		data, err := resources.Translations.ReadFile(resources.TranslationsDir + "/" + resources.TranslationFile(l))
		if err == nil {
			err = lang.AddTranslationsForLocale(data, sys)
		}
		if err != nil {
			fyne.LogError("app: load translations for the system locale", err)
		}
	}
}
