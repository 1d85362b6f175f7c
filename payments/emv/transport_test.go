package emv

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// scripted is a Transport answering from a list of responses in order and
// recording the commands it got.
type scripted struct {
	responses [][]byte
	sent      []string
}

func (s *scripted) Transmit(_ context.Context, apdu []byte) ([]byte, error) {
	s.sent = append(s.sent, strings.ToUpper(hex.EncodeToString(apdu)))
	if len(s.responses) == 0 {
		return nil, errors.New("no more responses")
	}
	r := s.responses[0]
	s.responses = s.responses[1:]
	return append([]byte(nil), r...), nil
}

func TestChannelGetResponse(t *testing.T) {
	s := &scripted{responses: [][]byte{
		{0x6F, 0x05, 0x61, 0x04},       // 2 data bytes, 4 more
		{0x84, 0x03, 0x61, 0x02},       // 2 more, 2 more
		{0x41, 0x42, 0x90, 0x00},       // last 2
		{0x01, 0x02, 0x03, 0x90, 0x00}, // not used
	}}
	ch := NewChannel(s)
	resp, err := ch.Transmit(context.Background(), SelectCommand(PPSEName))
	if err != nil {
		t.Fatal(err)
	}
	if got := hexUpper(resp); got != "6F0584034142"+"9000" {
		t.Errorf("response = %s", got)
	}
	if ch.Count() != 3 {
		t.Errorf("count = %d, want 3", ch.Count())
	}
	if s.sent[1] != "00C0000004" || s.sent[2] != "00C0000002" {
		t.Errorf("GET RESPONSE commands = %v", s.sent[1:])
	}
}

func TestChannelWrongLe(t *testing.T) {
	s := &scripted{responses: [][]byte{{0x6C, 0x05}, {1, 2, 3, 4, 5, 0x90, 0x00}}}
	ch := NewChannel(s)
	resp, err := ch.Transmit(context.Background(), ReadRecordCommand(1, 1))
	if err != nil {
		t.Fatal(err)
	}
	if hexUpper(resp) != "01020304059000" || ch.Count() != 2 {
		t.Errorf("response %X after %d APDUs", resp, ch.Count())
	}
	if s.sent[1] != "00B2010C05" {
		t.Errorf("resent command = %s, want 00B2010C05", s.sent[1])
	}
}

func TestChannelWrongLeThenChained(t *testing.T) {
	s := &scripted{responses: [][]byte{{0x6C, 0x04}, {1, 2, 0x61, 0x02}, {3, 4, 0x90, 0x00}}}
	ch := NewChannel(s)
	resp, err := ch.Transmit(context.Background(), SelectCommand(AIDVisa))
	if err != nil {
		t.Fatal(err)
	}
	if hexUpper(resp) != "010203049000" || ch.Count() != 3 {
		t.Errorf("response %X after %d APDUs", resp, ch.Count())
	}
	if want := "00A4040007A000000003101004"; s.sent[1] != want {
		t.Errorf("resent %s, want %s", s.sent[1], want)
	}
}

func TestChannelEndlessChaining(t *testing.T) {
	endless := &endlessTransport{}
	_, err := NewChannel(endless).Transmit(context.Background(), ReadRecordCommand(1, 1))
	if err == nil || endless.n > maxGetResponses+1 {
		t.Errorf("err = %v after %d APDUs", err, endless.n)
	}
}

type endlessTransport struct{ n int }

func (e *endlessTransport) Transmit(context.Context, []byte) ([]byte, error) {
	e.n++
	return []byte{0xAA, 0x61, 0x01}, nil
}

func TestChannelErrors(t *testing.T) {
	if _, err := NewChannel(&scripted{responses: [][]byte{{0x90}}}).Transmit(context.Background(), []byte{0, 0xA4, 4, 0}); !errors.Is(err, ErrShortResponse) {
		t.Errorf("short response: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := &scripted{responses: [][]byte{{0x90, 0x00}}}
	if _, err := NewChannel(s).Transmit(ctx, []byte{0, 0xA4, 4, 0}); !errors.Is(err, context.Canceled) || len(s.sent) != 0 {
		t.Errorf("cancelled: %v, sent %v", err, s.sent)
	}
}

func TestWithLe(t *testing.T) {
	cases := map[string]string{
		"00B2010C":           "00B2010C10",
		"00B2010C00":         "00B2010C10",
		"00A4040002AABB":     "00A4040002AABB10",
		"00A4040002AABB00":   "00A4040002AABB10",
		"00A4040002AABBCCDD": "",
		"00A4":               "",
	}
	for in, want := range cases {
		got, ok := withLe(unhex(t, in), 0x10)
		if (want == "") == ok || hexUpper(got) != want {
			t.Errorf("withLe(%s) = %X, %v; want %s", in, got, ok, want)
		}
	}
}
