// Package esign is the cardholder's electronic signature (电签): the strokes
// signed on screen after an approval above the no-CVM limit, their compact
// binary form for storage, a 1-bit image for the merchant copy and the
// acquirer upload, and the transaction feature code (交易特征码) shown
// beside the pad.
package esign
