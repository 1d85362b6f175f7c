package cardpay

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"strings"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/emv"
	"github.com/till-pos/till/payments/emv/emvcard"
)

// errCAKeyFile wraps a CA key file Till cannot read.
var errCAKeyFile = &models.Error{Code: models.EINVALID, Key: "error.card.ca_key_file",
	Fallback: "The CA public key file cannot be used: {{.Why}}"}

// CAKeys is the CA public key table in force, as the store keeps it.
func (c *Cards) CAKeys(ctx context.Context) (models.CAKeyTable, error) {
	return c.store.CAKeys(ctx)
}

// LoadCAKeys reads a CA public key file (one TLV entry a line, as the
// acquirer's terminal management system ships it; emv.ParseCAKeyFile) and
// makes it the table in force, for by (payment settings permission,
// checked by the store, which also refuses the demo cards' test keys in a
// shop's database).
func (c *Cards) LoadCAKeys(ctx context.Context, r io.Reader, by models.Operator, terminalID string) (models.CAKeyTable, error) {
	keys, revoked, err := emv.ParseCAKeyFile(r)
	if err != nil {
		e := *errCAKeyFile
		e.Args = map[string]any{"Why": err.Error()}
		e.Err = err
		return models.CAKeyTable{}, &e
	}
	t := StoredCAKeys(keys, revoked)
	if err := c.store.ReplaceCAKeys(ctx, t, by, terminalID); err != nil {
		return models.CAKeyTable{}, err
	}
	return t, nil
}

// isTestKey reports whether k is one of the demo cards' test CA keys.
func isTestKey(k emv.CAKey) bool {
	for _, t := range emvcard.TestCAKeys() {
		if bytes.Equal(t.Modulus, k.Modulus) {
			return true
		}
	}
	return false
}

// StoredCAKeys is the store's form of a CA public key table.
func StoredCAKeys(keys emv.CAKeys, revoked []emv.Revocation) models.CAKeyTable {
	var t models.CAKeyTable
	for _, k := range keys {
		t.Keys = append(t.Keys, models.CAPublicKey{RID: strings.ToUpper(hex.EncodeToString(k.RID)), Index: int(k.Index),
			Modulus: k.Modulus, Exponent: k.Exponent, Expiry: k.Expiry,
			Checksum: strings.ToUpper(hex.EncodeToString(k.Checksum())), Revoked: k.Revoked, Test: isTestKey(k)})
	}
	for _, r := range revoked {
		t.Revoked = append(t.Revoked, models.RevokedIssuer{RID: strings.ToUpper(hex.EncodeToString(r.RID)), Index: int(r.Index),
			Serial: strings.ToUpper(hex.EncodeToString(r.Serial))})
	}
	return t
}

// kernelCAKeys is the kernel's form of the stored table; entries that do
// not decode are left out (the store only keeps what LoadCAKeys checked).
func kernelCAKeys(t models.CAKeyTable) (emv.CAKeys, []emv.Revocation) {
	var keys emv.CAKeys
	for _, k := range t.Keys {
		rid, err := hex.DecodeString(k.RID)
		if err != nil || len(rid) != 5 || k.Index < 0 || k.Index > 255 {
			continue
		}
		keys = append(keys, emv.CAKey{RID: rid, Index: byte(k.Index), Modulus: k.Modulus, Exponent: k.Exponent,
			Expiry: k.Expiry, Revoked: k.Revoked})
	}
	var revoked []emv.Revocation
	for _, r := range t.Revoked {
		rid, err1 := hex.DecodeString(r.RID)
		serial, err2 := hex.DecodeString(r.Serial)
		if err1 != nil || err2 != nil || len(rid) != 5 || len(serial) != 3 || r.Index < 0 || r.Index > 255 {
			continue
		}
		revoked = append(revoked, emv.Revocation{RID: rid, Index: byte(r.Index), Serial: serial})
	}
	return keys, revoked
}

// readConfig is the kernel configuration of a payment read: the accepted
// applications, the contactless limit and the CA public key table.
func (c *Cards) readConfig(ctx context.Context, contactless int64) (emv.Config, error) {
	cfg := emv.DefaultConfig()
	cfg.ContactlessLimit = contactless
	t, err := c.store.CAKeys(ctx)
	if err != nil {
		return cfg, err
	}
	cfg.CAKeys, cfg.RevokedIssuers = kernelCAKeys(t)
	return cfg, nil
}

// odaRecord is how a payment keeps its card's offline data
// authentication: "passed", or the reason it did not pass.
func odaRecord(r emv.ODAResult) string {
	if r.Passed() {
		return string(emv.ODAPassed)
	}
	if r.Reason == "" {
		return emv.ODAReasonNotOffered
	}
	return r.Reason
}
