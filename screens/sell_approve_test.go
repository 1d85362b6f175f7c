package screens

import "testing"

func TestPercentText(t *testing.T) {
	for bp, want := range map[int64]string{0: "0%", 1000: "10%", 1250: "12.5%", 1234: "12.34%", 10000: "100%", 5: "0.05%"} {
		if got := percentText(bp); got != want {
			t.Errorf("percentText(%d) = %q, want %q", bp, got, want)
		}
	}
}
