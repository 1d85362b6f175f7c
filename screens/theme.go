package screens

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Theme is Till's touch theme: Fyne's default colours (light or dark as the
// system is set), a bundled Chinese font, larger text for reading at arm's
// length, and padding that makes every button at least 48 dp tall.
type Theme struct {
	Regular, Bold fyne.Resource
}

var _ fyne.Theme = (*Theme)(nil)

// Color follows the default theme, so light and dark follow the system.
func (t *Theme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return theme.DefaultTheme().Color(n, v)
}

// Font returns the bundled CJK font for all text, monospace included.
func (t *Theme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Symbol {
		return theme.DefaultTheme().Font(s)
	}
	if (s.Bold || s.Italic) && t.Bold != nil {
		return t.Bold
	}
	if t.Regular != nil {
		return t.Regular
	}
	return theme.DefaultTheme().Font(s)
}

// Icon follows the default theme.
func (t *Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

// Size enlarges text, padding and scroll bars for fingers.
func (t *Theme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 18
	case theme.SizeNameHeadingText:
		return 26
	case theme.SizeNameSubHeadingText:
		return 21
	case theme.SizeNameCaptionText:
		return 14
	case theme.SizeNameInnerPadding:
		return 12
	case theme.SizeNamePadding:
		return 5
	case theme.SizeNameScrollBar:
		return 18
	case theme.SizeNameScrollBarSmall:
		return 6
	case theme.SizeNameInputRadius, theme.SizeNameSelectionRadius:
		return 8
	case theme.SizeNameInlineIcon:
		return 26
	}
	return theme.DefaultTheme().Size(n)
}
