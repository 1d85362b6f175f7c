package emvcard

// Profiles of cards whose offline data authentication fails (or is not
// offered). Each reads fine: only Card.ODA tells them from UnionPayDebit.

// BrokenSignature is UnionPayDebit (test PAN 6212345678901240) whose
// Signed Dynamic Application Data (9F4B) does not verify.
func BrokenSignature() Profile {
	p := unionPayProfile("UnionPay debit with a broken fDDA signature (test)", "6212345678901240")
	withFDDA(&p.Apps[0], p.PAN, unionPayPKI())
	p.Apps[0].FDDA.BreakSignature = true
	return p
}

// ExpiredIssuerCert is UnionPayDebit (test PAN 6212345678901257) whose
// issuer public key certificate expired in December 2024.
func ExpiredIssuerCert() Profile {
	p := unionPayProfile("UnionPay debit with an expired issuer certificate (test)", "6212345678901257")
	s := unionPayPKI()
	s.issuerExpiry = "1224"
	withFDDA(&p.Apps[0], p.PAN, s)
	return p
}

// RevokedCAKey is UnionPayDebit (test PAN 6212345678901265) certified
// under the UnionPay test CA key F2, which TestCAKeys marks revoked.
func RevokedCAKey() Profile {
	p := unionPayProfile("UnionPay debit under a revoked CA key (test)", "6212345678901265")
	s := unionPayPKI()
	s.ca, s.caIndex = caUnionPayF2, RevokedCAIndex
	withFDDA(&p.Apps[0], p.PAN, s)
	return p
}

// UnknownCAIndex is UnionPayDebit (test PAN 6212345678901273) naming CA
// key index F9 (8F), which no terminal key table has.
func UnknownCAIndex() Profile {
	p := unionPayProfile("UnionPay debit under an unknown CA key (test)", "6212345678901273")
	s := unionPayPKI()
	s.caIndex = UnknownCAIndex8F
	withFDDA(&p.Apps[0], p.PAN, s)
	return p
}

// NoODA is a UnionPay debit card (test PAN 6212345678901281) that offers no
// offline data authentication: AIP without the DDA bit, no certificates,
// no 9F4B.
func NoODA() Profile {
	p := unionPayProfile("UnionPay debit without ODA (test)", "6212345678901281")
	p.Apps[0].AFL = mustHex("08010200")
	return p
}
