package receipt

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/models"
)

// zhTr translates by Till's Chinese translation file, as the printer does
// in a Chinese shop.
func zhTr(t *testing.T) Translate {
	t.Helper()
	data, err := os.ReadFile("../../resources/translations/till.zh_Hans.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			texts[k] = s
		}
	}
	return func(key, fallback string, _ ...any) string {
		if s, ok := texts[key]; ok {
			return s
		}
		t.Errorf("%s is not translated", key)
		return fallback
	}
}

func TestPayoutSlip(t *testing.T) {
	p := models.MemberPayout{MemberID: 7, Member: "王* 139****5678", Amount: 12345, EntryID: 42, CashMoveID: 9,
		At: time.Date(2026, 12, 2, 16, 5, 0, 0, time.Local), OperatorName: "店长", TerminalID: "T01"}
	for _, c := range []struct {
		lang string
		tr   Translate
		want []string
	}{
		{"en", en, []string{"Member balance paid out", "Member", "王* 139****5678", "Paid out in cash", "¥123.45",
			"2026-12-02 16:05:00", "Paid out by", "店长", "Terminal", "T01", "Payout no.", "42", "Customer signature:"}},
		{"zh", zhTr(t), []string{"会员余额退还", "会员", "王* 139****5678", "退还现金", "¥123.45",
			"2026-12-02 16:05:00", "经办人", "店长", "终端号", "T01", "42", "顾客签名："}},
	} {
		rows := BuildPayoutSlip(p, models.CNY, Shop{Name: "便利店", Lang: c.lang}, c.tr)
		for _, cols := range []int{32, 48} { // 58 and 80 mm paper
			text := PlainText(rows, cols)
			for _, want := range c.want {
				if !strings.Contains(text, want) {
					t.Errorf("%s, %d columns: the slip lacks %q:\n%s", c.lang, cols, want, text)
				}
			}
			for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
				if Columns(l) > cols {
					t.Errorf("%s: %q is wider than %d columns", c.lang, l, cols)
				}
			}
			if !strings.Contains(text, "便利店") {
				t.Errorf("%s: no shop name:\n%s", c.lang, text)
			}
		}
	}
	marked := PlainText(BuildPayoutSlip(p, models.CNY, Shop{Name: "便利店", Training: true}, en), 32)
	if strings.Count(marked, "TRAINING") != 2 {
		t.Errorf("a training payout slip is marked top and bottom:\n%s", marked)
	}
}
