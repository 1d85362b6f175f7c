// Package emvcard emulates contactless EMV test cards: a Profile describes
// the card (directory, applications, GPO answer, records, faults to inject)
// and a Card answers command APDUs from it. Transport connects a Card to the
// emv kernel in-process, for unit tests and the demo mode's "tap demo card";
// a virtual reader can serve the same Card through its ATR and Respond
// methods. Every ready profile carries a well-known test PAN.
//
// A test PKI (pki.go: fixed CA, issuer and ICC keys) lets the good
// UnionPay and Visa profiles pass contactless fDDA against TestCAKeys, and
// the broken-signature, expired-issuer-cert, revoked-ca, unknown-ca and
// no-oda profiles fail it in one way each. The keys are for tests only.
package emvcard
