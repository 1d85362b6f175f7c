package backup

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// fuzzKey is the key of "a long passphrase" at the cheapest KDF a header
// may name.
func fuzzKey() Key {
	k := KDF{Time: 1, MemKiB: 8 * 1024, Threads: 1, Salt: bytes.Repeat([]byte{7}, 16)}
	return Key{KDF: k, Key: k.key("a long passphrase")}
}

// FuzzReadHeader: whatever a file holds, reading a backup's header ends in
// a header or ErrNotBackup, never a panic.
func FuzzReadHeader(f *testing.F) {
	var good bytes.Buffer
	if err := encrypt(&good, bytes.NewReader([]byte("data")), Header{Terminal: "T01", Size: 4},
		fuzzKey(), nil); err != nil {
		f.Fatal(err)
	}
	f.Add(good.Bytes())
	f.Add([]byte(Magic))
	f.Add(append([]byte(Magic), binary.BigEndian.AppendUint32(nil, 4096)...))
	f.Add([]byte("SQLite format 3\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, hb, err := ReadHeader(bytes.NewReader(b))
		if err != nil && err != ErrNotBackup {
			t.Fatalf("error %v", err)
		}
		if err == nil && (len(hb) == 0 || len(h.Check) != 16) {
			t.Fatalf("header %+v from %d bytes", h, len(hb))
		}
	})
}

// FuzzDecrypt: a backup changed anywhere is refused, never opened wrong,
// never a panic.
func FuzzDecrypt(f *testing.F) {
	var good bytes.Buffer
	data := bytes.Repeat([]byte("till"), 1000)
	if err := encrypt(&good, bytes.NewReader(data), Header{Terminal: "T01", Size: int64(len(data))},
		fuzzKey(), nil); err != nil {
		f.Fatal(err)
	}
	f.Add(uint16(0), byte(0))
	f.Add(uint16(len(good.Bytes())-1), byte(1))
	f.Add(uint16(60), byte(0x80))
	f.Fuzz(func(t *testing.T, at uint16, flip byte) {
		b := bytes.Clone(good.Bytes())
		i := int(at) % len(b)
		b[i] ^= flip
		var out bytes.Buffer
		_, err := decrypt(&out, bytes.NewReader(b), passphraseKey("a long passphrase"), nil)
		if flip == 0 && err != nil {
			t.Fatalf("an unchanged backup: %v", err)
		}
		if flip != 0 && err == nil && !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("byte %d changed: opened as something else", i)
		}
	})
}
