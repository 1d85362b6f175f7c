// Package qrpay makes and reads the QR payments used at a Chinese till.
//
// Merchant-presented mode (MPM): the till shows an EMVCo QR code
// (EMV QRCPS-MPM v1.1) that the customer scans with a wallet app. Build and
// Parse encode and decode such payloads: data objects of a two-digit ID, a
// two-digit length counted in characters (runes, not UTF-8 bytes) and the
// value, closed by object 63, a CRC-16/CCITT-FALSE over the UTF-8 bytes of
// everything before the CRC value. DynamicOrder builds the one-time code for
// a single sale, and Image and PNG render a payload as a QR symbol.
//
// The merchant's name (object 59) and city (60) are "ans" values: the common
// character set only, printable ASCII (IsCommon, CheckLatin). The name and
// city in Chinese go in the Merchant Information—Language Template (64,
// MerchantLanguage) with language "ZH". When the merchant has set no Latin
// form, Latin writes the Chinese in pinyin (MerchantNames.Filled).
//
// Customer-presented codes: the cashier scans the payment code shown in the
// customer's WeChat, Alipay or UnionPay app; Classify tells which wallet it
// belongs to and Mask shortens it for logs.
//
// Amounts are int64 minor units (fen). Errors meant for the cashier are
// *models.Error values with a translation key and an English fallback.
package qrpay
