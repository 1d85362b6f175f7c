package update_test

import (
	"testing"

	"github.com/till-pos/till/services/update"
)

// TestCompareVersions orders versions as semantic versioning does: numbers
// numerically, a pre-release before its release, build metadata ignored.
func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"0.1.0", "0.1.0", 0},
		{"0.1.0-dev", "0.1.0", -1},
		{"0.1.0", "0.1.0-dev", 1},
		{"0.2.0", "0.1.0-dev", 1},
		{"0.1.1", "0.1.0", 1},
		{"0.10.0", "0.9.0", 1},
		{"1.0.0", "0.99.99", 1},
		{"2.0.0", "10.0.0", -1},
		{"1.0.0-alpha", "1.0.0-alpha.1", -1},
		{"1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
		{"1.0.0-alpha.beta", "1.0.0-beta", -1},
		{"1.0.0-beta.2", "1.0.0-beta.11", -1},
		{"1.0.0-beta.11", "1.0.0-rc.1", -1},
		{"1.0.0-rc.1", "1.0.0", -1},
		{"v1.2.3", "1.2.3", 0},
		{"1.2.3+build.7", "1.2.3+build.9", 0},
	} {
		a, err := update.ParseVersion(c.a)
		if err != nil {
			t.Fatalf("ParseVersion(%q): %v", c.a, err)
		}
		b, err := update.ParseVersion(c.b)
		if err != nil {
			t.Fatalf("ParseVersion(%q): %v", c.b, err)
		}
		if got := update.Compare(a, b); got != c.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := update.Compare(b, a); got != -c.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", c.b, c.a, got, -c.want)
		}
	}
}

// TestParseVersionRefusesMalformed: each of these is not a semantic version.
func TestParseVersionRefusesMalformed(t *testing.T) {
	for _, s := range []string{"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.-3", "1.2.3-", "1.2.3-01",
		"1.2.3-a..b", "1.2.3+", "1.2.3-a b", "a.b.c", "1.2.3 ", "99999999999999999999.0.0", "１.2.3"} {
		if v, err := update.ParseVersion(s); err == nil {
			t.Errorf("ParseVersion(%q) = %v, want an error", s, v)
		}
	}
	v, err := update.ParseVersion("0.1.0-dev")
	if err != nil || v.String() != "0.1.0-dev" || v.Minor != 1 || v.Pre != "dev" {
		t.Errorf("ParseVersion(0.1.0-dev) = %+v, %v", v, err)
	}
}
