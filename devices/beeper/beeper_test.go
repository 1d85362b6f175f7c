package beeper

import (
	"errors"
	"strings"
	"testing"
)

func TestBellWritesTheBellCharacter(t *testing.T) {
	var b strings.Builder
	if err := Bell(&b); err != nil || b.String() != "\a" {
		t.Fatalf("wrote %q, %v", b.String(), err)
	}
}

func TestBeepSoundsOrSaysItCannot(t *testing.T) {
	// Under CI there is no terminal: ErrNoSound, never a panic or a hang.
	if err := Beep(); err != nil && !errors.Is(err, ErrNoSound) {
		t.Logf("beep: %v", err) // a terminal that refuses the write
	}
}
