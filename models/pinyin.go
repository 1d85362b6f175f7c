package models

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal
	a.Heteronym = false
	return a
}()

// PinyinKeys returns the search keys of a Chinese name: the pinyin initials
// and the full pinyin, lowercase, with other letters and digits kept as they
// are and everything else dropped ("可口可乐 330ml" → "kkkl330ml",
// "kekoukele330ml"). It is computed when a product is saved, never per
// keystroke: the pinyin dictionary lookup is far too slow for that.
func PinyinKeys(name string) (initials, full string) {
	var ini, all strings.Builder
	for _, r := range name {
		switch {
		case unicode.Is(unicode.Han, r):
			py := PinyinSyllable(r)
			if py == "" {
				continue
			}
			ini.WriteByte(py[0])
			all.WriteString(py)
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			c := byte(unicode.ToLower(r))
			ini.WriteByte(c)
			all.WriteByte(c)
		}
	}
	return ini.String(), all.String()
}

// PinyinSyllable returns the pinyin of a Chinese character, lowercase and
// without tone marks ('海' → "hai"), or "" for any other rune. A character
// with several readings gives its most common one.
func PinyinSyllable(r rune) string {
	if !unicode.Is(unicode.Han, r) {
		return ""
	}
	py := pinyin.SinglePinyin(r, pinyinArgs)
	if len(py) == 0 {
		return ""
	}
	return py[0]
}
