package payments

import "testing"

func TestCardTokenAndMask(t *testing.T) {
	a, b := CardToken([]byte("k1"), "6212345678901234"), CardToken([]byte("k2"), "6212345678901234")
	if len(a) != 64 || a == b || a != CardToken([]byte("k1"), "6212345678901234") {
		t.Fatalf("tokens %s %s", a, b)
	}
	for pan, want := range map[string]string{
		"6212345678901234":    "**** **** **** 1234",
		"4111111111111111111": "**** **** **** 1111",
		"12345":               "*****",
		"123":                 "***",
	} {
		if got := MaskPAN(pan); got != want {
			t.Errorf("MaskPAN(%s) = %s, want %s", pan, got, want)
		}
	}
}
