// Package resources embeds what Till ships inside its binary: the subset
// Chinese font, the translations, the demo catalog and the icon.
package resources

import (
	"embed"
	_ "embed"

	"fyne.io/fyne/v2"
)

// Translations holds Till's translation files, one per language, in the
// go-i18n JSON form that fyne.io/fyne/v2/lang reads.
//
//go:embed translations
var Translations embed.FS

// TranslationsDir is the folder of Translations that holds the files.
const TranslationsDir = "translations"

// TranslationFile is the file in TranslationsDir for a language, "zh" or "en".
func TranslationFile(lang string) string {
	if lang == "en" {
		return "till.en.json"
	}
	return "till.zh_Hans.json"
}

//go:embed fonts/NotoSansSC-Regular-subset.otf
var fontRegular []byte

//go:embed fonts/NotoSansSC-Bold-subset.otf
var fontBold []byte

// FontRegular and FontBold are Noto Sans CJK SC cut down to ASCII, common
// punctuation and the 6,763 hanzi of GB2312 (see fonts/make-subset.sh).
var (
	FontRegular = fyne.NewStaticResource("NotoSansSC-Regular-subset.otf", fontRegular)
	FontBold    = fyne.NewStaticResource("NotoSansSC-Bold-subset.otf", fontBold)
)

// DemoCatalog is the catalog of a Chinese convenience store and café that
// demo mode seeds, in the form models.ParseCatalogFile reads.
//
//go:embed demo/catalog.json
var DemoCatalog []byte

//go:embed icon.png
var icon []byte

// Icon is Till's application icon.
var Icon = fyne.NewStaticResource("icon.png", icon)
