package emv

import (
	"errors"
	"fmt"
	"math/big"
)

// maxModulus is the longest RSA modulus EMV allows, in bytes (N_CA ≤ 248).
const maxModulus = 248

// publicKey is an RSA public key as EMV carries it: modulus and exponent,
// big-endian.
type publicKey struct {
	modulus, exponent []byte
}

// validExponent reports whether e is one of the exponents EMV allows, 3 or
// 2^16+1.
func validExponent(e []byte) bool {
	return (len(e) == 1 && e[0] == 0x03) || (len(e) == 3 && e[0] == 0x01 && e[1] == 0x00 && e[2] == 0x01)
}

// rsaRecover applies the public key to data (data^e mod n), the message
// recovery of EMV Book 2: data must be exactly as long as the modulus and
// smaller than it. The result has the length of the modulus.
func rsaRecover(data []byte, key publicKey) ([]byte, error) {
	n := len(key.modulus)
	switch {
	case n == 0 || n > maxModulus:
		return nil, fmt.Errorf("modulus of %d bytes", n)
	case key.modulus[0] == 0:
		return nil, errors.New("modulus has a leading zero byte")
	case !validExponent(key.exponent):
		return nil, fmt.Errorf("exponent %X is neither 03 nor 010001", key.exponent)
	case len(data) != n:
		return nil, fmt.Errorf("%d bytes to recover with a %d-byte modulus", len(data), n)
	}
	mod := new(big.Int).SetBytes(key.modulus)
	x := new(big.Int).SetBytes(data)
	if x.Cmp(mod) >= 0 {
		return nil, errors.New("data is not smaller than the modulus")
	}
	y := x.Exp(x, new(big.Int).SetBytes(key.exponent), mod)
	return y.FillBytes(make([]byte, n)), nil
}
