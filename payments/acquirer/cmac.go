package acquirer

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
)

// cmac computes AES-CMAC (RFC 4493, NIST SP 800-38B) of msg under key.
func cmac(block cipher.Block, msg []byte) [16]byte {
	var zero, l [16]byte
	block.Encrypt(l[:], zero[:])
	k1 := dbl(l)
	k2 := dbl(k1)

	n := (len(msg) + 15) / 16
	complete := n > 0 && len(msg)%16 == 0
	if n == 0 {
		n = 1
	}
	var last [16]byte
	tail := msg[(n-1)*16:]
	if complete {
		subtle.XORBytes(last[:], tail, k1[:])
	} else {
		copy(last[:], tail)
		last[len(tail)] = 0x80
		subtle.XORBytes(last[:], last[:], k2[:])
	}
	var x [16]byte
	for i := 0; i < n-1; i++ {
		subtle.XORBytes(x[:], x[:], msg[i*16:(i+1)*16])
		block.Encrypt(x[:], x[:])
	}
	subtle.XORBytes(x[:], x[:], last[:])
	block.Encrypt(x[:], x[:])
	return x
}

// dbl doubles a block in GF(2^128), as CMAC's subkeys need.
func dbl(b [16]byte) [16]byte {
	var out [16]byte
	carry := b[0] >> 7
	for i := 0; i < 15; i++ {
		out[i] = b[i]<<1 | b[i+1]>>7
	}
	out[15] = b[15] << 1
	if carry == 1 {
		out[15] ^= 0x87
	}
	return out
}

// MACKey is the terminal's AES key for message authentication.
type MACKey struct{ block cipher.Block }

// NewMACKey makes a MAC key from 16, 24 or 32 bytes.
func NewMACKey(key []byte) (*MACKey, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("acquirer: MAC key: %w", err)
	}
	return &MACKey{block: b}, nil
}

// ParseMACKey makes a MAC key from hex digits (32, 48 or 64 of them).
func ParseMACKey(hexKey string) (*MACKey, error) {
	raw, err := hex.DecodeString(hexKey)
	if err != nil {
		return nil, fmt.Errorf("acquirer: MAC key is not hex: %w", err)
	}
	return NewMACKey(raw)
}

// Sum returns the 8-byte MAC of data: the first half of its AES-CMAC.
func (k *MACKey) Sum(data []byte) [8]byte {
	full := cmac(k.block, data)
	var mac [8]byte
	copy(mac[:], full[:8])
	return mac
}

// Verify reports whether mac is data's MAC, in constant time.
func (k *MACKey) Verify(data, mac []byte) bool {
	want := k.Sum(data)
	return len(mac) == 8 && subtle.ConstantTimeCompare(want[:], mac) == 1
}
