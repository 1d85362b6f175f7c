package acquirer

import (
	"crypto/aes"
	"encoding/hex"
	"testing"
)

// RFC 4493, section 4: AES-128 CMAC test vectors.
func TestCMACVectors(t *testing.T) {
	key, _ := hex.DecodeString("2b7e151628aed2a6abf7158809cf4f3c")
	msg, _ := hex.DecodeString("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710")
	block, _ := aes.NewCipher(key)
	cases := []struct {
		n    int
		want string
	}{
		{0, "bb1d6929e95937287fa37d129b756746"},
		{16, "070a16b46b4d4144f79bdd9dd04a287c"},
		{40, "dfa66747de9ae63030ca32611497c827"},
		{64, "51f0bebf7e3b9d92fc49741779363cfe"},
	}
	for _, c := range cases {
		got := cmac(block, msg[:c.n])
		if hex.EncodeToString(got[:]) != c.want {
			t.Errorf("CMAC of %d bytes = %x, want %s", c.n, got, c.want)
		}
	}
}

func TestMACKey(t *testing.T) {
	k, err := NewMACKey(make([]byte, 16))
	if err != nil {
		t.Fatal(err)
	}
	mac := k.Sum([]byte("0200..."))
	if !k.Verify([]byte("0200..."), mac[:]) || k.Verify([]byte("0200..!"), mac[:]) || k.Verify([]byte("0200..."), mac[:7]) {
		t.Fatal("Verify accepts a wrong MAC or refuses the right one")
	}
	if _, err := NewMACKey([]byte("short")); err == nil {
		t.Fatal("a 5-byte key was accepted")
	}
}
