package acquirer

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/moov-io/iso8583"

	"github.com/till-pos/till/models"
)

// Response codes about keys.
const (
	CodeBadMAC       = "A0" // the host could not verify the MAC: sign on again
	CodeSignOnNeeded = "77" // the terminal has not signed on, or must again
)

// WorkingKeys are the keys one sign-on gave: the MAC key (MAK) that signs
// every message but the echo test and the sign-on, and the data key (TDK)
// that encrypts card data in flight. They live in memory only.
type WorkingKeys struct {
	MAC        *MACKey
	Data       cipher.AEAD
	ValidUntil time.Time
	stale      atomic.Bool
}

// Errors of a sign-on.
var (
	ErrNoMasterKey   = errors.New("acquirer: no terminal master key: the link cannot sign on")
	ErrSignOnAnswer  = errors.New("acquirer: the sign-on answer carries no usable keys")
	ErrWorkingKeyKCV = errors.New("acquirer: a working key does not match its check value")
	// ErrNoSession wraps why a sign-on failed before a request went out:
	// the request was not sent.
	ErrNoSession = errors.New("acquirer: no working keys")
)

// ErrSignOnFailed is the cashier's message when the terminal cannot sign on
// to the host: nothing was sent for the payment.
var ErrSignOnFailed = &models.Error{Code: models.EINVALID, Key: "error.acquirer.sign_on",
	Fallback: "Till could not sign on to the bank; card payments are taken offline within the floor limit until it can"}

// session gives the working keys in force, signing on first when there are
// none, they have expired, or the host refused them.
func (l *Link) session(ctx context.Context) (*WorkingKeys, error) {
	if k := l.keys.Load(); k.usable(l.opts.Now()) {
		return k, nil
	}
	l.signMu.Lock()
	defer l.signMu.Unlock()
	if k := l.keys.Load(); k.usable(l.opts.Now()) {
		return k, nil // another request signed on meanwhile
	}
	k, err := l.signOn(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoSession, err)
	}
	return k, nil
}

func (k *WorkingKeys) usable(now time.Time) bool {
	return k != nil && !k.stale.Load() && now.Before(k.ValidUntil)
}

// expire marks k as refused by the host, so the next send signs on again.
func (l *Link) expire(k *WorkingKeys) { k.stale.Store(true) }

// SignOn signs on (签到) now: a network request (0800, code 001) whose
// answer carries new working keys encrypted under the terminal master key,
// each with its check value, and how long they are valid.
func (l *Link) SignOn(ctx context.Context) error {
	l.signMu.Lock()
	defer l.signMu.Unlock()
	_, err := l.signOn(ctx)
	return err
}

// Keys are the working keys in force, nil before the first sign-on.
func (l *Link) Keys() *WorkingKeys { return l.keys.Load() }

func (l *Link) signOn(ctx context.Context) (*WorkingKeys, error) {
	if len(l.opts.MasterKey) == 0 {
		return nil, ErrNoMasterKey
	}
	stan, err := l.nextSTAN(ctx)
	if err != nil {
		return nil, err
	}
	m, err := SignOnRequest(l.terminal, stan, time.Now())
	if err != nil {
		return nil, err
	}
	resp, err := l.exchange(ctx, m, nil)
	if err != nil {
		return nil, err
	}
	r, err := ParseResponse(resp)
	if err != nil {
		return nil, err
	}
	if r.Code != Approved {
		return nil, fmt.Errorf("acquirer: sign-on refused: %w", r.Err())
	}
	k, err := UnwrapWorkingKeys(l.opts.MasterKey, resp)
	if err != nil {
		return nil, err
	}
	l.keys.Store(k)
	return k, nil
}

// SignOnRequest builds a sign-on (0800, field 70 = 001), which carries no
// MAC: the terminal has no working key yet.
func SignOnRequest(t Terminal, stan int, now time.Time) (*iso8583.Message, error) {
	m, err := Request{MTI: MTINetworkRequest, STAN: stan, Time: now}.Build(t)
	if err != nil {
		return nil, err
	}
	if err := m.Field(70, NetSignOn); err != nil {
		return nil, fmt.Errorf("acquirer: field 70: %w", err)
	}
	return m, nil
}

// keyBlockLen is field 62 of a sign-on answer: the MAC key and the data
// key, each 16 bytes encrypted under the master key (32 hex digits) and
// followed by its check value (6).
const keyBlockLen = 2 * (32 + 6)

// WrapWorkingKeys is field 62 of a sign-on answer carrying mac and data (16
// bytes each) under the master key tmk, as the host builds it.
func WrapWorkingKeys(tmk, mac, data []byte) (string, error) {
	block, err := aes.NewCipher(tmk)
	if err != nil {
		return "", fmt.Errorf("acquirer: master key: %w", err)
	}
	var sb strings.Builder
	for _, k := range [][]byte{mac, data} {
		if len(k) != aes.BlockSize {
			return "", fmt.Errorf("acquirer: a working key is %d bytes", len(k))
		}
		var enc [aes.BlockSize]byte
		block.Encrypt(enc[:], k)
		kcv, err := KeyCheckValue(k)
		if err != nil {
			return "", err
		}
		sb.WriteString(strings.ToUpper(hex.EncodeToString(enc[:])))
		sb.WriteString(kcv)
	}
	return sb.String(), nil
}

// UnwrapWorkingKeys reads the working keys from a sign-on answer: field 62
// decrypted under the master key, each key checked against its check value,
// and field 48 their expiry (UTC, YYYYMMDDhhmmss).
func UnwrapWorkingKeys(tmk []byte, resp *iso8583.Message) (*WorkingKeys, error) {
	f62, _ := resp.GetString(62)
	f48, _ := resp.GetString(48)
	if len(f62) != keyBlockLen {
		return nil, fmt.Errorf("%w: field 62 has %d characters", ErrSignOnAnswer, len(f62))
	}
	until, err := time.Parse("20060102150405", f48)
	if err != nil {
		return nil, fmt.Errorf("%w: expiry %q", ErrSignOnAnswer, f48)
	}
	block, err := aes.NewCipher(tmk)
	if err != nil {
		return nil, fmt.Errorf("acquirer: master key: %w", err)
	}
	var keys [2][]byte
	for i := range keys {
		part := f62[i*38 : (i+1)*38]
		enc, err := hex.DecodeString(part[:32])
		if err != nil {
			return nil, fmt.Errorf("%w: key %d is not hex", ErrSignOnAnswer, i+1)
		}
		k := make([]byte, aes.BlockSize)
		block.Decrypt(k, enc)
		kcv, _ := KeyCheckValue(k)
		if subtle.ConstantTimeCompare([]byte(kcv), []byte(strings.ToUpper(part[32:]))) != 1 {
			return nil, ErrWorkingKeyKCV
		}
		keys[i] = k
	}
	mac, err := NewMACKey(keys[0])
	if err != nil {
		return nil, err
	}
	data, err := newDataKey(keys[1])
	if err != nil {
		return nil, err
	}
	return &WorkingKeys{MAC: mac, Data: data, ValidUntil: until.UTC()}, nil
}

func newDataKey(k []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(k)
	if err != nil {
		return nil, fmt.Errorf("acquirer: data key: %w", err)
	}
	return cipher.NewGCM(b)
}

// NewWorkingKeys makes working keys from clear MAC and data keys (the
// host's side, and tests).
func NewWorkingKeys(mac, data []byte, until time.Time) (*WorkingKeys, error) {
	mk, err := NewMACKey(mac)
	if err != nil {
		return nil, err
	}
	dk, err := newDataKey(data)
	if err != nil {
		return nil, err
	}
	return &WorkingKeys{MAC: mk, Data: dk, ValidUntil: until}, nil
}

// FieldEncryptedTrack2 carries track 2 encrypted under the data key: hex of
// a random nonce and the AES-GCM ciphertext, bound to the terminal ID.
const FieldEncryptedTrack2 = 57

// sealTrack2 puts track 2, encrypted under k's data key, in field 57.
func sealTrack2(m *iso8583.Message, k *WorkingKeys, t Terminal, track2 string) error {
	nonce := make([]byte, k.Data.NonceSize(), k.Data.NonceSize()+len(track2)+k.Data.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return fmt.Errorf("acquirer: encrypt track 2: %w", err)
	}
	sealed := k.Data.Seal(nonce, nonce, []byte(track2), []byte("track2|"+t.TID))
	if err := m.Field(FieldEncryptedTrack2, strings.ToUpper(hex.EncodeToString(sealed))); err != nil {
		return fmt.Errorf("acquirer: field 57: %w", err)
	}
	return nil
}

// OpenTrack2 decrypts field 57 of a request from terminal tid under the
// data key (the host's side).
func OpenTrack2(data cipher.AEAD, tid, field string) (string, error) {
	b, err := hex.DecodeString(field)
	if err != nil || len(b) < data.NonceSize() {
		return "", fmt.Errorf("acquirer: encrypted track 2 is malformed")
	}
	plain, err := data.Open(nil, b[:data.NonceSize()], b[data.NonceSize():], []byte("track2|"+tid))
	if err != nil {
		return "", fmt.Errorf("acquirer: encrypted track 2 does not open under this data key")
	}
	return string(plain), nil
}
