package qrpay

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/till-pos/till/models"
)

// Character limits of the merchant's name and city (objects 59 and 60, and
// sub-objects 01 and 02 of the language template 64).
const (
	// MaxNameLen is the longest merchant name, in characters.
	MaxNameLen = 25
	// MaxCityLen is the longest merchant city, in characters.
	MaxCityLen = 15
)

// IsCommon reports whether r is in the common character set of EMV (EMV
// Book 4, Annex B), the alphabet of the "ans" values of a merchant QR code
// such as the merchant name and city: printable ASCII, from the space
// (0x20) to the tilde (0x7E).
func IsCommon(r rune) bool { return r >= 0x20 && r <= 0x7E }

// CheckLatin is the rule for the merchant's name (id "59") and city (id
// "60") as a QR code carries them: 1 to MaxNameLen or MaxCityLen
// characters of the common character set (Latin letters, digits, spaces and
// ASCII punctuation; no Chinese). Build applies it, and so do the services
// and screens that take these names. The error is a *models.Error with
// KeyLatinName or KeyLatinCity whose cause names the first character
// refused.
func CheckLatin(id, s string) error {
	key, what, max := KeyLatinName, "merchant name (59)", MaxNameLen
	switch id {
	case "59":
	case "60":
		key, what, max = KeyLatinCity, "merchant city (60)", MaxCityLen
	default:
		return fmt.Errorf("qrpay: check text: object %q is neither 59 nor 60", id)
	}
	if err := checkCommon(what, s, max); err != nil {
		e := qrError(key, fmt.Errorf("qrpay: %w", err))
		e.Args = map[string]any{"Max": max}
		return e
	}
	return nil
}

// checkCommon fails unless s is 1 to max characters of the common
// character set, the alphabet of "ans" values.
func checkCommon(what, s string, max int) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", what)
	}
	n := utf8.RuneCountInString(s)
	if n == 0 || n > max {
		return fmt.Errorf("%s %q has %d characters, allowed 1 to %d", what, s, n, max)
	}
	for _, r := range s {
		if !IsCommon(r) {
			return fmt.Errorf("%s %q: %q is not in the EMVCo common character set (printable ASCII)", what, s, r)
		}
	}
	return nil
}

// checkLocal fails unless s, the merchant's name or city in the language
// of template 64, has at most max characters of valid UTF-8.
func checkLocal(key, what, s string, max int) error {
	n := utf8.RuneCountInString(s)
	if utf8.ValidString(s) && n <= max {
		return nil
	}
	e := qrError(key, fmt.Errorf("qrpay: %s %q has %d characters, at most %d fit", what, s, n, max))
	e.Args = map[string]any{"Max": max}
	return e
}

// Latin writes a Chinese name or city in the common character set, for
// objects 59 and 60 when the merchant has set no Latin form: each Chinese
// character as its pinyin syllable in capitals, one word per run of Chinese
// ("上海" → "SHANGHAI", "老王 Noodles" → "LAOWANG Noodles"), full-width
// letters, digits and punctuation as their ASCII forms, a space between
// Chinese and Latin letters or digits, anything else dropped. A result
// longer than max characters is cut between two syllables or words (inside
// a word only when the first is longer than max). It returns "" when
// nothing of s can be written so.
func Latin(s string, max int) string {
	const (
		none = iota // start, or after a space
		han
		alnum
		punct
	)
	var pieces []string // the places a long result may be cut
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			pieces = append(pieces, word.String())
			word.Reset()
		}
	}
	space := func() {
		flush()
		if n := len(pieces); n > 0 && pieces[n-1] != " " {
			pieces = append(pieces, " ")
		}
	}
	last := none
	text := []rune(width.Fold.String(s))
	for i := 0; i < len(text); i++ {
		r := text[i]
		py, used := phrasePinyin(text[i:])
		if py == "" {
			py, used = strings.ToUpper(models.PinyinSyllable(r)), 1
		}
		switch {
		case py != "":
			if last == alnum {
				space()
			}
			flush()
			pieces = append(pieces, py)
			i += used - 1
			last = han
		case unicode.IsSpace(r):
			space()
			last = none
		case IsCommon(r):
			kind := punct
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				kind = alnum
			}
			if last == han && kind == alnum {
				space()
			}
			word.WriteRune(r)
			last = kind
		default:
			flush() // dropped, as if it were not there
		}
	}
	flush()
	var out strings.Builder
	for _, p := range pieces {
		if out.Len()+len(p) > max {
			if out.Len() == 0 {
				out.WriteString(p[:max])
			}
			break
		}
		out.WriteString(p)
	}
	return strings.TrimSpace(out.String())
}

// phrases are names whose characters, read one by one, give the wrong
// pinyin (成都 is CHENGDU, not CHENGDOU): mostly cities, where the Latin
// fallback is used most.
var phrases = map[string]string{
	"重庆": "CHONGQING", "长沙": "CHANGSHA", "长春": "CHANGCHUN", "长治": "CHANGZHI",
	"长安": "CHANGAN", "厦门": "XIAMEN", "蚌埠": "BENGBU", "成都": "CHENGDU",
	"番禺": "PANYU", "六安": "LUAN", "铅山": "YANSHAN", "单县": "SHANXIAN",
	"乐清": "YUEQING", "都江堰": "DUJIANGYAN", "首都": "SHOUDU", "银行": "YINHANG",
	"商行": "SHANGHANG", "车行": "CHEHANG", "琴行": "QINHANG",
}

// phrasePinyin returns the pinyin of the phrase text starts with and its
// length in characters, or "" when it starts with none.
func phrasePinyin(text []rune) (string, int) {
	for n := 3; n >= 2; n-- {
		if len(text) >= n {
			if py, ok := phrases[string(text[:n])]; ok {
				return py, n
			}
		}
	}
	return "", 0
}
