package nfctest

import "testing"

func TestEnsurePCSCD(t *testing.T) {
	EnsurePCSCD(t)
	if err := readersReady(); err != nil {
		t.Fatal(err)
	}
}
