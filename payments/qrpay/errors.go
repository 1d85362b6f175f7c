package qrpay

import "github.com/till-pos/till/models"

// Translation keys of the errors this package returns for the cashier.
const (
	// KeyCRC: the payload's CRC (object 63) does not match its content.
	KeyCRC = "error.qr.crc"
	// KeyFormat: the text is not a well-formed EMVCo merchant QR payload.
	KeyFormat = "error.qr.format"
	// KeyPaycode: a scanned code is not a WeChat, Alipay or UnionPay payment code.
	KeyPaycode = "error.qr.paycode"
	// KeyBuild: a payload cannot be made from the given merchant data.
	KeyBuild = "error.qr.build"
	// KeyImage: a payload cannot be drawn as a QR symbol of the asked size.
	KeyImage = "error.qr.image"
	// KeyLatinName: the merchant name for object 59 is empty, too long or
	// not in the common character set.
	KeyLatinName = "error.qr.latin_name"
	// KeyLatinCity: the merchant city for object 60 is empty, too long or
	// not in the common character set.
	KeyLatinCity = "error.qr.latin_city"
	// KeyLocalName: the merchant name in Chinese is too long for template 64.
	KeyLocalName = "error.qr.local_name"
	// KeyLocalCity: the merchant city in Chinese is too long for template 64.
	KeyLocalCity = "error.qr.local_city"
)

// fallbacks are the English texts of the keys.
var fallbacks = map[string]string{
	KeyCRC:     "The QR code is damaged (its checksum does not match)",
	KeyFormat:  "This is not a payment QR code",
	KeyPaycode: "This is not a payment code from WeChat, Alipay or UnionPay; scan the code in the customer's payment app",
	KeyBuild:   "The payment QR code cannot be made from the merchant settings",
	KeyImage:   "The payment QR code cannot be drawn at this size",
	KeyLatinName: "The shop name in Latin letters must have 1 to {{.Max}} characters: " +
		"letters A to Z, digits, spaces or ASCII punctuation, no Chinese",
	KeyLatinCity: "The city in Latin letters must have 1 to {{.Max}} characters: " +
		"letters A to Z, digits, spaces or ASCII punctuation, no Chinese",
	KeyLocalName: "The shop name in Chinese can have at most {{.Max}} characters on the payment QR code",
	KeyLocalCity: "The city in Chinese can have at most {{.Max}} characters",
}

// qrError returns the *models.Error for key with cause (which may be nil).
func qrError(key string, cause error) *models.Error {
	return &models.Error{Code: models.EINVALID, Key: key, Fallback: fallbacks[key], Err: cause}
}
