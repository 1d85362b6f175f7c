package update

import (
	"errors"

	"github.com/till-pos/till/models"
)

// Why an update is refused. Every error of this package that a person
// should read wraps one of these (test with errors.Is) and a *models.Error
// with its message in the user's language (errors.As).
var (
	// ErrFetch: the update server cannot be reached or does not answer
	// with the manifest, its signature or the package.
	ErrFetch = errors.New("update: fetch failed")
	// ErrManifest: the manifest is signed but malformed or incomplete.
	ErrManifest = errors.New("update: malformed manifest")
	// ErrBadSignature: the manifest's signature is missing, malformed, or
	// not made by the configured key over these exact bytes.
	ErrBadSignature = errors.New("update: bad signature")
	// ErrWrongPlatform: the package is built for another system or processor.
	ErrWrongPlatform = errors.New("update: wrong platform")
	// ErrNoUpdate: the offered version is the one running.
	ErrNoUpdate = errors.New("update: no newer version")
	// ErrDowngrade: the offered version is older than the one running.
	ErrDowngrade = errors.New("update: downgrade refused")
	// ErrTruncated: the package downloaded is shorter than the manifest says.
	ErrTruncated = errors.New("update: package truncated")
	// ErrTooLong: the package downloaded is longer than the manifest says.
	ErrTooLong = errors.New("update: package too long")
	// ErrDigest: the package's SHA-256 is not the manifest's.
	ErrDigest = errors.New("update: package digest mismatch")
	// ErrConfig: no update URL or no valid public key is configured.
	ErrConfig = errors.New("update: not configured")
	// ErrSaleInProgress: an update is never installed during a sale.
	ErrSaleInProgress = errors.New("update: sale in progress")
	// ErrDayOpen: an update is installed only once the day is closed.
	ErrDayOpen = errors.New("update: day not closed")
	// ErrApply: the new binary could not be put in place.
	ErrApply = errors.New("update: apply failed")
)

// refusal is an error of kind (one of the Err* values) with its message
// for a person.
type refusal struct {
	kind error
	msg  *models.Error
}

func (r *refusal) Error() string   { return r.msg.Error() }
func (r *refusal) Unwrap() []error { return []error{r.kind, r.msg} }

// text is a message for a person: a translation key and its English.
type text struct{ Key, Fallback string }

// refuse makes an error of kind with the message t over args; cause, if
// not nil, is kept for errors.Is and shown after the message.
func refuse(kind error, t text, args map[string]any, cause error) error {
	code := models.EINVALID
	if kind == ErrApply {
		code = models.EINTERNAL
	}
	return &refusal{kind: kind, msg: &models.Error{Code: code, Key: t.Key, Fallback: t.Fallback, Args: args, Err: cause}}
}

// Messages said by more than one refusal.
var (
	msgManifest  = text{Key: "error.update.manifest", Fallback: "The update is refused: its description is malformed"}
	msgWrite     = text{Key: "error.update.write", Fallback: "The update cannot be written to {{.Dir}}"}
	msgTooLong   = text{Key: "error.update.too_long", Fallback: "The update is refused: the package has {{.Got}} bytes, not {{.Want}}"}
	msgTruncated = text{Key: "error.update.truncated", Fallback: "The download was cut short: {{.Got}} of {{.Want}} bytes; try again"}
	msgNoURL     = text{Key: "error.update.no_url", Fallback: "No valid update address is set"}
	msgNoKey     = text{Key: "error.update.no_key", Fallback: "No valid update public key is set"}
)
