package export

import "testing"

// TestTextCellsAreNeverFormulas: free text a spreadsheet would run as a
// formula is quoted; everything else is kept as it is.
func TestTextCellsAreNeverFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "可口可乐": "可口可乐", "Cola =1": "Cola =1", "": "",
	} {
		if got := text(in); got != want {
			t.Errorf("text(%q) = %q, want %q", in, got, want)
		}
	}
}
