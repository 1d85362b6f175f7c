package emv

import (
	"context"
	"encoding/hex"
	"errors"
)

// FDDAVerifier reads the card on t like Read and returns a function that
// runs the fDDA checks (RSA recoveries and hashes) again on the data that
// read collected, without any APDU: for benchmarks.
func FDDAVerifier(t Transport, cfg Config, tx Transaction) (func() ODAResult, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if tx, err = tx.withDefaults(cfg); err != nil {
		return nil, err
	}
	k := &kernel{ch: NewChannel(t), cfg: cfg, tx: tx}
	if k.term, err = terminalData(cfg, tx); err != nil {
		return nil, err
	}
	cands, err := k.candidates(context.Background())
	if err != nil {
		return nil, err
	}
	if len(cands) == 0 {
		return nil, errors.New("no candidate")
	}
	card, err := k.tryApp(context.Background(), cands[0])
	if err != nil {
		return nil, err
	}
	aid, _ := hex.DecodeString(card.AID)
	pan := []byte(card.PAN())
	card.Wipe()
	return func() ODAResult {
		r, _ := k.fdda(aid, pan)
		return r
	}, nil
}
