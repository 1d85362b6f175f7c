// Package backup makes and restores encrypted backups of a terminal's
// database: an online snapshot, sealed with a key derived from the
// owner's backup passphrase (format.go), checked after it is written;
// restored only after it opens whole and passes SQLite's integrity check,
// and only over the same terminal's database unless the owner insists.
//
// A backup holds what the database holds. No secret is in it in clear:
// staff codes are slow hashes, the master key and the fingerprint
// templates are sealed with the device key, which is kept outside the data
// folder and never in a backup (back it up apart).
package backup

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/till-pos/till/models"
)

// Ext is the extension of a backup file.
const Ext = ".tillbak"

// Progress is told how many bytes of how many are done, and what step:
// "snapshot", "seal", "verify" or "restore".
type Progress func(step string, done, total int64)

// Options choose a backup.
type Options struct {
	Dir        string // the folder (a USB stick's, say) the backup goes to
	Passphrase string
	// Key, when set, seals the backup instead of a key derived from
	// Passphrase (the daily backup's).
	Key *Key
	// Tag, when set, goes in the file's name after the terminal
	// ("daily"), to tell the backups that are pruned from the others.
	Tag      string
	Terminal string
	Shop     string
	Progress Progress // nil: none
	Now      func() time.Time
}

// ErrTerminal refuses to restore another terminal's backup unless asked.
var ErrTerminal = &models.Error{Code: models.EINVALID, Key: "error.backup.terminal",
	Fallback: "This is the backup of terminal {{.Backup}}, not {{.Here}}: restore it only to replace that terminal"}

// Backup snapshots s, seals it into a new file in o.Dir and checks that
// the file opens whole; it returns the file's path. The plain snapshot is
// made in the data folder (beside the database, which is no less plain)
// and removed.
func Backup(ctx context.Context, s *models.Store, o Options) (string, error) {
	var key Key
	if o.Key != nil {
		key = *o.Key
	} else {
		var err error
		if key, err = DeriveKey(o.Passphrase); err != nil {
			return "", err
		}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	tell := func(step string, done, total int64) {
		if o.Progress != nil {
			o.Progress(step, done, total)
		}
	}
	if st, err := os.Stat(o.Dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("backup: %s is not a folder: %w", o.Dir, err)
	}
	tell("snapshot", 0, 1)
	tmp := filepath.Join(filepath.Dir(s.Path()), fmt.Sprintf(".backup-%d.db", o.Now().UnixNano()))
	if err := s.Snapshot(ctx, tmp); err != nil {
		return "", err
	}
	defer os.Remove(tmp)
	in, err := os.Open(tmp)
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	tell("snapshot", 1, 1)
	tag := ""
	if o.Tag != "" {
		tag = o.Tag + "-"
	}
	name := fmt.Sprintf("till-%s-%s%s%s", o.Terminal, tag, o.Now().Format("20060102-150405"), Ext)
	path := filepath.Join(o.Dir, name)
	part := path + ".part"
	out, err := os.OpenFile(part, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	h := Header{Terminal: o.Terminal, Shop: o.Shop, Created: o.Now().UTC(), Schema: models.SchemaVersion(),
		Size: st.Size(), KDF: DefaultKDF}
	err = encrypt(out, ctxReader{ctx, in}, h, key, func(done int64) { tell("seal", done, h.Size) })
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(part, path)
	}
	if err != nil {
		os.Remove(part)
		return "", fmt.Errorf("backup: write %s: %w", part, err)
	}
	keyOf := func(KDF) []byte { return key.Key }
	if _, err := verify(ctx, path, keyOf, func(step string, done, total int64) { tell("verify", done, total) }); err != nil {
		return "", err
	}
	return path, nil
}

// Verify opens the backup at path whole into a scratch file, checks its
// integrity and returns its header.
func Verify(ctx context.Context, path, passphrase string, progress Progress) (Header, error) {
	return verify(ctx, path, passphraseKey(passphrase), progress)
}

func verify(ctx context.Context, path string, keyOf func(KDF) []byte, progress Progress) (Header, error) {
	tmp, err := os.CreateTemp("", "till-verify-*.db")
	if err != nil {
		return Header{}, fmt.Errorf("backup: verify: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	return openInto(ctx, path, keyOf, tmp.Name(), progress)
}

// openInto opens the backup at path into the file dst (overwritten) and
// checks that dst is a whole SQLite database.
func openInto(ctx context.Context, path string, keyOf func(KDF) []byte, dst string, progress Progress) (Header, error) {
	in, err := os.Open(path)
	if err != nil {
		return Header{}, fmt.Errorf("backup: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return Header{}, fmt.Errorf("backup: %w", err)
	}
	var size int64
	if h, _, err := ReadHeader(in); err == nil {
		size = h.Size
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		out.Close()
		return Header{}, err
	}
	h, err := decrypt(out, ctxReader{ctx, in}, keyOf, func(done int64) {
		if progress != nil {
			progress("verify", done, size)
		}
	})
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return h, err
	}
	if err := models.IntegrityCheckFile(ctx, dst); err != nil {
		return h, ErrDamaged
	}
	return h, nil
}

// Restore replaces the database at dbPath (Till not running on it) with
// the backup at path: it is opened whole and checked first; a backup of
// another terminal than here is refused unless force. The database it
// replaces is kept beside it, renamed with the time, and the path of that
// copy returned.
func Restore(ctx context.Context, path, passphrase, dbPath, here string, force bool, progress Progress) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	h, _, err := ReadHeader(f)
	f.Close()
	if err != nil {
		return "", err
	}
	if here != "" && h.Terminal != here && !force {
		e := *ErrTerminal
		e.Args = map[string]any{"Backup": h.Terminal, "Here": here}
		return "", &e
	}
	restored := dbPath + ".restoring"
	defer os.Remove(restored)
	if _, err := openInto(ctx, path, passphraseKey(passphrase), restored, progress); err != nil {
		return "", err
	}
	kept := ""
	if _, err := os.Stat(dbPath); err == nil {
		kept = fmt.Sprintf("%s.before-restore-%s", dbPath, time.Now().Format("20060102-150405"))
		if err := os.Rename(dbPath, kept); err != nil {
			return "", fmt.Errorf("backup: keep the database it replaces: %w", err)
		}
		for _, side := range []string{"-wal", "-shm"} {
			if _, err := os.Stat(dbPath + side); err == nil {
				os.Rename(dbPath+side, kept+side)
			}
		}
	}
	if err := os.Rename(restored, dbPath); err != nil {
		return kept, fmt.Errorf("backup: put the restored database in place: %w", err)
	}
	return kept, nil
}

// ctxReader stops reading once ctx ends: a backup can be cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
