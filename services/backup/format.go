package backup

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/till-pos/till/models"
)

// A backup file is the magic "TILLBAK1", a 4-byte big-endian length and
// the Header as JSON (in clear: it says whose backup it is and how its key
// is derived, never anything secret), then the database in chunks: each a
// 4-byte length and the chunk sealed with AES-256-GCM under the key that
// Argon2id derives from the owner's passphrase and the header's salt. A
// chunk's nonce is its number; its additional data is the header's bytes,
// its number and whether it is the last, so chunks cannot be moved,
// dropped or cut off the end unseen.

// Magic starts every backup file.
const Magic = "TILLBAK1"

// chunkSize is how much of the database one chunk seals.
const chunkSize = 1 << 20

// maxHeader caps the header's length when reading a file.
const maxHeader = 4096

// KDF is how the key is derived from the passphrase (Argon2id).
type KDF struct {
	Time    uint32 `json:"time"`
	MemKiB  uint32 `json:"mem_kib"`
	Threads uint8  `json:"threads"`
	Salt    []byte `json:"salt"`
}

// DefaultKDF costs about a quarter of a second and 64 MiB on a tablet.
var DefaultKDF = KDF{Time: 2, MemKiB: 64 * 1024, Threads: 2}

// Header says whose backup a file is.
type Header struct {
	Terminal string    `json:"terminal"`
	Shop     string    `json:"shop,omitempty"`
	Created  time.Time `json:"created"`
	Schema   int       `json:"schema"` // the database's migration version
	Size     int64     `json:"size"`   // bytes of the database
	KDF      KDF       `json:"kdf"`
	// Check tells a wrong passphrase from a damaged file: HMAC-SHA-256 of
	// a fixed text under the key, its first 16 bytes. It lets a guess be
	// tested no faster than the first chunk would.
	Check []byte `json:"check"`
}

// keyCheck is Header.Check for key.
func keyCheck(key []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("till backup key check"))
	return m.Sum(nil)[:16]
}

// Errors of reading a backup, in the user's language.
var (
	// ErrNotBackup means the file is not a Till backup.
	ErrNotBackup = &models.Error{Code: models.EINVALID, Key: "error.backup.not_backup",
		Fallback: "This file is not a Till backup"}
	// ErrPassphrase means the passphrase does not open the backup.
	ErrPassphrase = &models.Error{Code: models.EINVALID, Key: "error.backup.passphrase",
		Fallback: "The passphrase does not open this backup"}
	// ErrDamaged means the backup opens but is cut short or changed.
	ErrDamaged = &models.Error{Code: models.EINVALID, Key: "error.backup.damaged",
		Fallback: "The backup is damaged: it was cut short or changed after it was made"}
	// ErrShortPassphrase refuses a passphrase too short to protect a backup.
	ErrShortPassphrase = &models.Error{Code: models.EINVALID, Key: "error.backup.short_passphrase",
		Fallback: "The backup passphrase needs at least {{.Min}} characters", Args: map[string]any{"Min": MinPassphrase}}
)

// MinPassphrase is the shortest passphrase a backup takes.
const MinPassphrase = 10

func (k KDF) key(passphrase string) []byte {
	return argon2.IDKey([]byte(passphrase), k.Salt, k.Time, k.MemKiB, k.Threads, 32)
}

// Key is a backup key derived from the owner's passphrase: how (the KDF
// with its salt, written in each backup's header) and the key itself. The
// daily backup keeps one, sealed, so that it runs without the passphrase;
// the passphrase alone opens what it writes.
type Key struct {
	KDF KDF    `json:"kdf"`
	Key []byte `json:"key"`
}

// DeriveKey derives a key from passphrase with a new salt.
func DeriveKey(passphrase string) (Key, error) {
	if len([]rune(passphrase)) < MinPassphrase {
		return Key{}, ErrShortPassphrase
	}
	k := DefaultKDF
	k.Salt = make([]byte, 16)
	if _, err := rand.Read(k.Salt); err != nil {
		return Key{}, fmt.Errorf("backup: salt: %w", err)
	}
	return Key{KDF: k, Key: k.key(passphrase)}, nil
}

// passphraseKey is the key of a backup's KDF from passphrase.
func passphraseKey(passphrase string) func(KDF) []byte {
	return func(k KDF) []byte { return k.key(passphrase) }
}

func aead(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// chunkAD is a chunk's additional data.
func chunkAD(header []byte, n uint64, last bool) []byte {
	ad := make([]byte, 0, len(header)+9)
	ad = append(ad, header...)
	ad = binary.BigEndian.AppendUint64(ad, n)
	if last {
		return append(ad, 1)
	}
	return append(ad, 0)
}

func nonce(n uint64, size int) []byte {
	b := make([]byte, size)
	binary.BigEndian.PutUint64(b[size-8:], n)
	return b
}

// encrypt writes h and the contents of r (h.Size bytes) sealed under k to
// w, telling progress the bytes sealed.
func encrypt(w io.Writer, r io.Reader, h Header, k Key, progress func(done int64)) error {
	h.KDF = k.KDF
	key := k.Key
	h.Check = keyCheck(key)
	hb, err := json.Marshal(h)
	if err != nil {
		return err
	}
	g, err := aead(key)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(Magic)
	binary.Write(bw, binary.BigEndian, uint32(len(hb)))
	bw.Write(hb)
	buf := make([]byte, chunkSize)
	next := make([]byte, chunkSize)
	n, err := io.ReadFull(r, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return err
	}
	var done int64
	for i := uint64(0); ; i++ {
		m, nerr := io.ReadFull(r, next)
		if nerr != nil && nerr != io.ErrUnexpectedEOF && nerr != io.EOF {
			return nerr
		}
		last := m == 0
		sealed := g.Seal(nil, nonce(i, g.NonceSize()), buf[:n], chunkAD(hb, i, last))
		binary.Write(bw, binary.BigEndian, uint32(len(sealed)))
		if _, err := bw.Write(sealed); err != nil {
			return err
		}
		done += int64(n)
		if progress != nil {
			progress(done)
		}
		if last {
			break
		}
		buf, next, n = next, buf, m
	}
	if done != h.Size {
		return fmt.Errorf("backup: the database was %d bytes, %d were read", h.Size, done)
	}
	return bw.Flush()
}

// ReadHeader reads a backup's header, leaving r at its first chunk.
func ReadHeader(r io.Reader) (Header, []byte, error) {
	var magic [len(Magic)]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil || string(magic[:]) != Magic {
		return Header{}, nil, ErrNotBackup
	}
	var n uint32
	if err := binary.Read(r, binary.BigEndian, &n); err != nil || n == 0 || n > maxHeader {
		return Header{}, nil, ErrNotBackup
	}
	hb := make([]byte, n)
	if _, err := io.ReadFull(r, hb); err != nil {
		return Header{}, nil, ErrNotBackup
	}
	var h Header
	if err := json.Unmarshal(hb, &h); err != nil || len(h.KDF.Salt) < 16 || h.KDF.Time == 0 || h.KDF.Time > 16 ||
		h.KDF.MemKiB < 8*1024 || h.KDF.MemKiB > 1<<20 || h.KDF.Threads == 0 || h.Size < 0 || len(h.Check) != 16 {
		return Header{}, nil, ErrNotBackup
	}
	return h, hb, nil
}

// decrypt reads a whole backup from r and writes the database to w,
// telling progress the bytes opened; keyOf derives the key from the
// header's KDF. A wrong passphrase is found at the key check; a changed,
// moved or missing chunk where it is.
func decrypt(w io.Writer, r io.Reader, keyOf func(KDF) []byte, progress func(done int64)) (Header, error) {
	br := bufio.NewReader(r)
	h, hb, err := ReadHeader(br)
	if err != nil {
		return h, err
	}
	key := keyOf(h.KDF)
	if !hmac.Equal(keyCheck(key), h.Check) {
		return h, ErrPassphrase
	}
	g, err := aead(key)
	if err != nil {
		return h, err
	}
	var done int64
	for i := uint64(0); ; i++ {
		var n uint32
		if err := binary.Read(br, binary.BigEndian, &n); err != nil {
			return h, ErrDamaged
		}
		if n < uint32(g.Overhead()) || n > chunkSize+uint32(g.Overhead()) {
			return h, ErrDamaged
		}
		sealed := make([]byte, n)
		if _, err := io.ReadFull(br, sealed); err != nil {
			return h, ErrDamaged
		}
		last := false
		plain, err := g.Open(nil, nonce(i, g.NonceSize()), sealed, chunkAD(hb, i, false))
		if err != nil {
			plain, err = g.Open(nil, nonce(i, g.NonceSize()), sealed, chunkAD(hb, i, true))
			last = true
		}
		if err != nil {
			return h, ErrDamaged
		}
		if _, err := w.Write(plain); err != nil {
			return h, err
		}
		done += int64(len(plain))
		if progress != nil {
			progress(done)
		}
		if last {
			break
		}
	}
	if _, err := br.ReadByte(); err != io.EOF || done != h.Size {
		return h, ErrDamaged
	}
	return h, nil
}
