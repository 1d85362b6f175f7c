package nfc_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/till-pos/till/devices/nfc"
)

func Example() {
	s, err := nfc.Open()
	if errors.Is(err, nfc.ErrNoService) {
		fmt.Println("start pcscd")
		return
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	card, err := s.WaitForCard(ctx, "Virtual PCD 00 00")
	switch {
	case errors.Is(err, nfc.ErrTimeout):
		fmt.Println("no card presented")
		return
	case err != nil:
		fmt.Println(err)
		return
	}
	defer card.Close()

	rsp, err := card.Transmit(ctx, []byte{0x00, 0xA4, 0x04, 0x00, 0x0E,
		'2', 'P', 'A', 'Y', '.', 'S', 'Y', 'S', '.', 'D', 'D', 'F', '0', '1', 0x00})
	if errors.Is(err, nfc.ErrCardRemoved) {
		fmt.Println("card removed too early, tap again")
		return
	}
	fmt.Printf("% X %v\n", rsp, err)
}
