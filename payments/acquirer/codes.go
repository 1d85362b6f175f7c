package acquirer

import "github.com/till-pos/till/models"

// Response codes with a meaning of their own to Till.
const (
	Approved        = "00" // approved by the host
	OfflineApproved = "Y1" // approved by the terminal under the floor limit, the host unreachable
	// InProgress (09, "request in progress") answers a QR payment the
	// customer has not finished on their phone: a scanned merchant QR not
	// yet paid, a payment code awaiting the customer's confirmation.
	InProgress = "09"
)

// responses maps field 39 to what the cashier is told.
var responses = map[string]models.Error{
	"00": {Key: "acquirer.rc.00", Fallback: "Approved"},
	"01": {Key: "acquirer.rc.01", Fallback: "Refer to the card issuer"},
	"03": {Key: "acquirer.rc.03", Fallback: "Invalid merchant"},
	"04": {Key: "acquirer.rc.04", Fallback: "Pick up the card"},
	"05": {Key: "acquirer.rc.05", Fallback: "Do not honour"},
	"09": {Key: "acquirer.rc.09", Fallback: "Waiting for the customer to pay on their phone"},
	"12": {Key: "acquirer.rc.12", Fallback: "Invalid transaction"},
	"13": {Key: "acquirer.rc.13", Fallback: "Invalid amount"},
	"14": {Key: "acquirer.rc.14", Fallback: "Invalid card number"},
	"25": {Key: "acquirer.rc.25", Fallback: "Original transaction not found"},
	"30": {Key: "acquirer.rc.30", Fallback: "Message format error"},
	"41": {Key: "acquirer.rc.41", Fallback: "Lost card"},
	"43": {Key: "acquirer.rc.43", Fallback: "Stolen card"},
	"51": {Key: "acquirer.rc.51", Fallback: "Insufficient funds"},
	"54": {Key: "acquirer.rc.54", Fallback: "Expired card"},
	"55": {Key: "acquirer.rc.55", Fallback: "Wrong PIN"},
	"57": {Key: "acquirer.rc.57", Fallback: "Transaction not permitted for this card"},
	"58": {Key: "acquirer.rc.58", Fallback: "Transaction not permitted at this terminal"},
	"61": {Key: "acquirer.rc.61", Fallback: "Over the amount limit"},
	"65": {Key: "acquirer.rc.65", Fallback: "Over the frequency limit"},
	"75": {Key: "acquirer.rc.75", Fallback: "Too many PIN tries"},
	"91": {Key: "acquirer.rc.91", Fallback: "Issuer unavailable"},
	"94": {Key: "acquirer.rc.94", Fallback: "Duplicate transaction"},
	"96": {Key: "acquirer.rc.96", Fallback: "System error at the host"},
	"A0": {Key: "acquirer.rc.A0", Fallback: "MAC check failed"},
}

// ResponseError is the cashier's message for a response code other than
// approved (nil for approved), as a *models.Error.
func ResponseError(code string) error {
	if code == Approved || code == OfflineApproved {
		return nil
	}
	e, ok := responses[code]
	if !ok {
		e = models.Error{Key: "acquirer.rc.unknown", Fallback: "Declined by the host (code {{.Code}})"}
	}
	e.Code = models.EINVALID
	e.Args = map[string]any{"Code": code}
	return &e
}

// ResponseCodes lists the codes with a message of their own.
func ResponseCodes() []string {
	out := make([]string, 0, len(responses))
	for c := range responses {
		out = append(out, c)
	}
	return out
}
