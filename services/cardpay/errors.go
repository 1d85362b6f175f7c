package cardpay

import (
	"context"
	"errors"
	"fmt"

	"github.com/till-pos/till/devices/nfc"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/emv/emvcard"
)

// Reader errors, in the user's language.
var (
	errReaderService = &models.Error{Code: models.EINVALID, Key: "error.reader.service",
		Fallback: "The card reader service (PC/SC) is not running or cannot be used; start it and try again"}
	errReaderGone = &models.Error{Code: models.EINVALID, Key: "error.reader.gone",
		Fallback: "The card reader was unplugged; plug it in and tap again"}
	errCardRemoved = &models.Error{Code: models.EINVALID, Key: "error.reader.card_removed",
		Fallback: "The card was taken away too soon; tap again and hold it still"}
	errReaderBusy = &models.Error{Code: models.EINVALID, Key: "error.reader.busy",
		Fallback: "Another program is using the card reader; close it and tap again"}
	errCardMute = &models.Error{Code: models.EINVALID, Key: "error.reader.card_mute",
		Fallback: "The card did not answer; tap again"}
	errTapCancelled = &models.Error{Code: models.EINVALID, Key: "error.reader.cancelled",
		Fallback: "Cancelled: nothing was charged"}
)

// ReaderError turns a reader or card error into a message for the
// cashier; card-read errors (already translated) and errors it has turned
// already pass through.
func ReaderError(err error) error {
	for _, done := range []error{errReaderService, errReaderGone, errCardRemoved, errReaderBusy, errCardMute, errTapCancelled} {
		if errors.Is(err, done) {
			return err // told already
		}
	}
	var me *models.Error
	switch {
	case errors.Is(err, nfc.ErrCancelled), errors.Is(err, context.Canceled):
		return fmt.Errorf("%w: %w", errTapCancelled, err)
	case errors.Is(err, nfc.ErrCardRemoved), errors.Is(err, emvcard.ErrCardRemoved):
		return fmt.Errorf("%w: %w", errCardRemoved, err)
	case errors.Is(err, nfc.ErrNoService):
		return fmt.Errorf("%w: %w", errReaderService, err)
	case errors.Is(err, nfc.ErrReaderGone), errors.Is(err, nfc.ErrNoReader):
		return fmt.Errorf("%w: %w", errReaderGone, err)
	case errors.Is(err, nfc.ErrBusy):
		return fmt.Errorf("%w: %w", errReaderBusy, err)
	case errors.Is(err, nfc.ErrCardMute), errors.Is(err, nfc.ErrTimeout):
		return fmt.Errorf("%w: %w", errCardMute, err)
	case errors.As(err, &me):
		return err
	}
	return fmt.Errorf("%w: %w", errCardMute, err)
}
