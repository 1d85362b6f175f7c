// Package emv reads a contactless EMV payment card (UnionPay qUICS, Visa
// qVSDC, Mastercard M/Chip) through a card reader that exchanges APDUs: PPSE
// and application selection, GET PROCESSING OPTIONS, the records the card's
// AFL lists and, when the card has not yet produced one, a GENERATE AC for an
// online cryptogram. The result is a Card holding the PAN, track 2 and the
// ICC data for ISO 8583 field 55, after local checks (expiry, contactless
// limit, accepted applications, offline decline) that fail with a
// *models.Error a cashier can read.
//
// The package speaks APDUs only; a PC/SC reader, a virtual reader or the
// emulator in package emvcard provides the Transport.
package emv
