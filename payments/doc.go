// Package payments is Till's payment domain: the tenders a sale can be paid
// with and the rules each one follows. Cash lives here; card, QR and
// fingerprint tenders join it in their own sub-packages.
package payments
