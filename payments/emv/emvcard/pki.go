package emvcard

import (
	"crypto/sha1"
	"math/big"
	"sync"
	"time"

	"github.com/till-pos/till/payments/emv"
)

// The test PKI: certification authorities per RID, issuer keys and ICC keys.
// The keys were generated once with openssl (genpkey, CA 1152 bits and
// issuer 1024 bits with exponent 3, ICC 768 bits with exponent 65537) and
// are fixed here so reads are deterministic and no key is generated at test
// time. They are test keys: never use them for a real card.

// CA key indexes of the test PKI (tag 8F).
const (
	// TestCAIndex is the index of the good test CA key of each RID.
	TestCAIndex = 0xF1
	// RevokedCAIndex is the UnionPay test CA key that TestCAKeys marks
	// revoked.
	RevokedCAIndex = 0xF2
	// UnknownCAIndex8F is an index no test CA key has.
	UnknownCAIndex8F = 0xF9
)

// Registered application provider identifiers of the test CAs.
var (
	ridUnionPay = emv.AIDUnionPayDebit[:5]
	ridVisa     = emv.AIDVisa[:5]
)

// testCAExpiry is when the test CA keys expire.
var testCAExpiry = time.Date(2049, 12, 31, 23, 59, 59, 0, time.UTC)

// TestCAKeys returns the CA public keys of the test PKI: UnionPay
// (A000000333) and Visa (A000000003) index F1, and UnionPay F2, which is
// revoked. They expire at the end of 2049.
func TestCAKeys() emv.CAKeys {
	key := func(rid []byte, index byte, k *rsaKey, revoked bool) emv.CAKey {
		mod, exp := k.public()
		return emv.CAKey{RID: append([]byte(nil), rid...), Index: index, Modulus: mod, Exponent: exp,
			Expiry: testCAExpiry, Revoked: revoked}
	}
	return emv.CAKeys{
		key(ridUnionPay, TestCAIndex, caUnionPayF1, false),
		key(ridUnionPay, RevokedCAIndex, caUnionPayF2, true),
		key(ridVisa, TestCAIndex, caVisaF1, false),
	}
}

// rsaKey is an RSA private key with its CRT values.
type rsaKey struct {
	n, e, d, p, q, dp, dq, qinv *big.Int
	size                        int // modulus length in bytes
}

// mustKey builds a key from hex exponent, modulus, private exponent and
// primes.
func mustKey(e, n, d, p, q string) *rsaKey {
	num := func(s string) *big.Int { return new(big.Int).SetBytes(mustHex(s)) }
	k := &rsaKey{e: num(e), n: num(n), d: num(d), p: num(p), q: num(q)}
	one := big.NewInt(1)
	k.dp = new(big.Int).Mod(k.d, new(big.Int).Sub(k.p, one))
	k.dq = new(big.Int).Mod(k.d, new(big.Int).Sub(k.q, one))
	k.qinv = new(big.Int).ModInverse(k.q, k.p)
	if k.qinv == nil || new(big.Int).Mul(k.p, k.q).Cmp(k.n) != 0 {
		panic("emvcard: bad test key")
	}
	k.size = (k.n.BitLen() + 7) / 8
	return k
}

// public returns the modulus and exponent, big-endian.
func (k *rsaKey) public() (modulus, exponent []byte) {
	return k.n.FillBytes(make([]byte, k.size)), k.e.Bytes()
}

// sign applies the private key to block (block^d mod n, by the CRT): the
// raw RSA of EMV signatures. block must be as long as the modulus.
func (k *rsaKey) sign(block []byte) []byte {
	m := new(big.Int).SetBytes(block)
	m1 := new(big.Int).Exp(m, k.dp, k.p)
	m2 := new(big.Int).Exp(m, k.dq, k.q)
	h := m1.Sub(m1, m2)
	h.Mul(h, k.qinv).Mod(h, k.p)
	s := h.Mul(h, k.q).Add(h, m2)
	return s.FillBytes(make([]byte, k.size))
}

// certKey is what a public key certificate is built from.
type certKey struct {
	signer *rsaKey
	format byte   // 02 issuer, 04 ICC
	id     []byte // issuer identifier (4 bytes) or PAN (10 bytes), cn
	mmyy   []byte // expiry, BCD
	serial []byte // 3 bytes
	key    *rsaKey
	static []byte // static data to be authenticated (ICC certificate)
}

// certificate holds a built certificate, its key remainder and exponent.
type certificate struct{ cert, remainder, exponent []byte }

// certCache keeps built certificates: profiles are built often and the
// signatures are the same each time.
var certCache sync.Map

// build returns the certificate (90 or 9F46), remainder (92 or 9F48) and
// exponent (9F32 or 9F47) of c per EMV Book 2.
func (c certKey) build() certificate {
	mod, exp := c.key.public()
	cacheKey := string(c.signer.n.Bytes()) + string(rune(c.format)) + string(c.id) + string(c.mmyy) +
		string(c.serial) + string(mod) + string(c.static)
	if v, ok := certCache.Load(cacheKey); ok {
		return v.(certificate)
	}
	n := c.signer.size
	head := []byte{0x6A, c.format}
	head = append(head, c.id...)
	head = append(head, c.mmyy...)
	head = append(head, c.serial...)
	head = append(head, 0x01, 0x01, byte(len(mod)), byte(len(exp)))
	fieldLen := n - len(head) - 21
	field := make([]byte, fieldLen)
	var remainder []byte
	if len(mod) <= fieldLen {
		copy(field, mod)
		for i := len(mod); i < fieldLen; i++ {
			field[i] = 0xBB
		}
	} else {
		copy(field, mod[:fieldLen])
		remainder = mod[fieldLen:]
	}
	block := append(head, field...)
	h := sha1.New()
	h.Write(block[1:])
	h.Write(remainder)
	h.Write(exp)
	h.Write(c.static)
	block = append(block, h.Sum(nil)...)
	block = append(block, 0xBC)
	out := certificate{cert: c.signer.sign(block), remainder: remainder, exponent: exp}
	certCache.Store(cacheKey, out)
	return out
}

// signDynamic returns Signed Dynamic Application Data (9F4B, format 05)
// for fDDA: the ICC dynamic data is the ATC as ICC dynamic number, hashed
// with the terminal's dynamic data.
func (k *rsaKey) signDynamic(atc uint16, terminal []byte) []byte {
	n := k.size
	dyn := []byte{0x02, byte(atc >> 8), byte(atc)}
	block := []byte{0x6A, 0x05, 0x01, byte(len(dyn))}
	block = append(block, dyn...)
	for len(block) < n-21 {
		block = append(block, 0xBB)
	}
	h := sha1.New()
	h.Write(block[1:])
	h.Write(terminal)
	block = append(block, h.Sum(nil)...)
	block = append(block, 0xBC)
	return k.sign(block)
}

var (
	// caUnionPayF1: 1152 bits, exponent 3.
	caUnionPayF1 = mustKey(
		"03",
		"D78BC051E955DF1ADCF508A25CB24793A8F586197F21C36C476F15C430A37ED0918093DC04AFB381A534447667895262"+
			"49703CF5391BCA75776EDFE25692D76BCB891475988F2D3F65327851B75B8E0E13B91F78D1EF8B5B03E8AEA99E9285EA"+
			"7DFBA62C128F1F80E189FCE5C7E16E45B09E75A979A421A17596E6BAFE1CB63E7C8037ADA15773FD3565132CAAD5B68D",
		"8FB280369B8E94BC934E05C19321850D1B4E596654C12CF2DA4A0E82CB17A9E061006292ADCA77ABC3782DA4450636EC"+
			"30F57DF8D0BD31A3A4F495418F0C8F9D325B62F9105F737E5F7194BB2D041002395416BD56FD155AD71730C6C5C5CF90"+
			"8499C290D6C3391CCA20401B5BED67DB47899C87879C1CB2F1ECCCEA6E3BD1312F1F71D537E94A32FF2D3AE086416093",
		"F2462DCCAE07F36953FA1CDA49A0B0E5C586D0D9FC7AC16A73ED8267A7C845BC389F89AAD5571288C2484A61936F3A62"+
			"6177F06C2D1738819187FB3E3F2662E601F8B1E138F8468F",
		"E3C1EB6C45CD82A169C0E08285D33A6CFBBF14A5796F0D2743277FEB28A2041979BA1311E8A63FF40307C07C9ACABC32"+
			"A93BC2EF2BABC3F3244911AF8E5321CAB4A888FAA87B5F23")

	// caUnionPayF2: 1152 bits, exponent 3.
	caUnionPayF2 = mustKey(
		"03",
		"93C2096A69DCB828614AF0912489F84EE6699DE6958F0CF58566552F5C2EAA146AF5969853695BBC55F8510BBE538EAF"+
			"20D82DF065D5EC191DAB68B88DDFE184F2DCA721ADCBA828CCFC0324982A9602DBDECD7404B6C61CE88937A03A1D50AC"+
			"AA515E9FE3058734B3C7296079676013271279DCAE40A909A5E36B47C3717A83C75681D7D600233201A45DBFC258A1AF",
		"62815B9C4693257040DCA060C306A589EEF113EF0E5F5DF903998E1F92C9C6B8474E64658CF0E7D2E3FAE0B27EE25F1F"+
			"6B3AC94AEE8E9D6613C79B25B3EA9658A1E86F6BC932701A300109D6311A8F11CFC6CD05C69F967132D8457D0A46B968"+
			"DEA2A3BF102A5F9363292820FE0B626BED8D80DA38B5CA74F8D01BCA43BEBE2910C42D77BEBE69FA0DBACE3267CE876B",
		"C280808820115D178D612E44F0533AF290F81136401432BF93C59AA8135C72BBE2642006EE5294F2F80A13055343AFC7"+
			"B128B71209E591A21DBE3F896530EE771917104C458DCD1F",
		"C279F3DB2E71625096D36BA66A7429808B4CBE2E6A9F07CFC897CE593769851BBCA54D280E03B77E4AB4259005EC4992"+
			"7F828A8653EDCBA41071FE1AD2B195C3D3F51827E1150971")

	// caVisaF1: 1152 bits, exponent 3.
	caVisaF1 = mustKey(
		"03",
		"BBC690745B1FBCF7B583DCD1E20586474595F8E7DE08A115257C38C1444C2B233905DE48DD442AC428F35B4D81CDB937"+
			"6124547BC3A4D7AC53587D2E19D3AF6BF0A6E56C6F00161E5A9FA03DC2D6CDD0D45EA01A01F366918C4E6D30C84D8EF4"+
			"C7D534F478AF50575BD1A97103E3704DF8F2915968FF4234386108D1495B10D9FEC317C44E0A966E829E8CC17A56DF85",
		"7D2F0AF83CBFD34FCE57E88BEC03AEDA2E63FB453EB06B636E52D080D832C76CD0AE94309382C72D70A23CDE56892624"+
			"EB6D8DA7D7C33A72E23AFE1EBBE274F2A06F439D9F55641317E85268570CBD58E4C32637D3FF60FFD9968B539B094F71"+
			"2F18CDE66C459D056E73DA634FF659E9BE27B9733E2834A1726F072B5669A7154F455E85736E91BE253106E6C8009BB3",
		"E2F71F34EE48687BB1AC2D5E27758C5690A749DE014701F235763DCA4DCE56A66BB1B7F31000C5DB426C63B868D31586"+
			"7934E537962D872408C8399FD6CA509AF6E3DDFC6ADB119F",
		"D3CC056C51FB494FCB8DB9681C7EC8BB354552555E7895D8CBB9C25088788E28CA7229E8FBF12394194A977422EFDDBB"+
			"938598D8B18F0F15FF12D05C4A1A6B3653F1246AE37AE45B")

	// issuerUnionPay: 1024 bits, exponent 3.
	issuerUnionPay = mustKey(
		"03",
		"93322DD22EB7426F68C4658AB887819630041A0756AD833DDB028AD9029E8DE1A7D792ADDFE0BB805B1636A553B64762"+
			"28C8D9B0F7E48AC590B2B41CF249096FDDB0A7E1CDB54BA7E4CA49FB450FC01A2F078C044F67DF86E15F9DDDB0684F10"+
			"9D6E57622D4D74701326748F50A004F053C5C747EB9E684D8BD598B6581F3333",
		"622173E1747A2C4A45D843B1D05A56642002BC04E473ACD3E757073B57145E966FE50C73EA95D255920ECF18E27984EC"+
			"1B309120A543072E607722BDF6DB5B9EE64BF26A54827B9BD2A84DB9929FD57E65030EE29A2176BF62DD911A223FB79F"+
			"B9CDE1C913E84EDB108A685F761FBE0FD9FA2E98702FA74A9FF952E4F0DA685B",
		"C34BD8E9339C362A7DA16A9F2F96F8871F22C03D4CE2F24E9EB716BBDA93CA4044B0544CCAACFE2CB8C8C309A7E9FE1A"+
			"E1B84CF845E5144720B347919B13C69D",
		"C0F2E3591B555C13AB2C6AC5B9890755786035731B52BB192E5C2D7AA274F160C2093067C4C3FFFAC18E14F6778669BD"+
			"AB16346AFD71D9167B2C54CD53C3D00F")

	// issuerVisa: 1024 bits, exponent 3.
	issuerVisa = mustKey(
		"03",
		"B702AB73AAAC2717492E1A149BF1124D42708C42441703632559374216C95EFE4AC56C88F4146E93895D6D49963C85B6"+
			"512F8AAD611718558060CF3505FF03A7C1A11D4EFA851DC69F538569C462299DAF9D337E783FF35B4030CF23F30BF105"+
			"9F1292D288A6BE2E7F4A78D1F69DA686E9C45599537F6DCD529A457FB7EA6103",
		"7A01C7A271C81A0F861EBC0DBD4B6188D6F5B2D6D80F57976E3B7A2C0F30E9FEDC839DB0A2B849B7B0E8F38664285924"+
			"361FB1C8EB64BAE3AAEB34CE03FF57C40AF32E009D95D8DFAC12055EC47486CD29ABCD1D5614378D2A64C74878079BCD"+
			"76C9677B8D82AA95F402DF3DC1801551AB66A8CACB601AB74F1BEF2D7D8F7CFB",
		"E0B7B41B2C1CC4159DDE172CDF70DFE74259B1D40126640493CB012F6FB92AAE289B6ADD8B9096B47D1A99075C9C49E2"+
			"C878BF138FD04837DBFF190669868257",
		"D07CA432E20794617F5A662EBE427F82AEC1CDFE75FB3C02ECCEA307CF475CA344490CBBA8D22799142B90EDF7C13CA9"+
			"A0319955929EFD827FF145B5120CA335")

	// iccUnionPay: 768 bits, exponent 65537.
	iccUnionPay = mustKey(
		"010001",
		"D81BD759E8D0BA22F2E9E49C13B0379C34043F4CACF4A30F4CAC6813761FDBED84F4834A08BEB564CC736CBB9073C567"+
			"B1C86CEDFE794EDADC34193BD8CA832AE4517DFE9E285363EB2C865D27B831A9EA619E48A0F4A88475B3B1A5824D275F",
		"2145981045A1ED267853BE58B1474E288471AAF53923A8FF3004D3393BD487DDB7BC95820E7A9E1ED8C3649834133EEF"+
			"01A86E045A4FD0961D6CA54A81F508567D0A9CBB31F098F01DBAA0922E5F80CD19C47FF2A7B8A156B7DDF191B3969C31",
		"ECFF433F590327CF4FC73B14DD10C74DE3F26E2470814FDC133B7AC55D86D32388973092534434DC904E9E13BC6AEB5B",
		"E96FCFE5BEC737B0D1B8A8FEA9547E52E4D72D56C9708B403A506264EBCAFD7D07E23C014F7BC0DA5AE64880F294A74D")

	// iccVisa: 768 bits, exponent 65537.
	iccVisa = mustKey(
		"010001",
		"A992B78810DDCD7821F9A5953A6C77C409F55724832D24B85825E1A6E62D3A65D0268F01F5FC3B0CA25C29317C3CFE75"+
			"C61C234C57AAB5506FF790F619C1CE3AD3C79934622F28FC3D97D4EBAA5648D60C3444813E03538ED54D57A7B11FFDD1",
		"A7C9024C61D3F5D05E5DB45739DDC58B760709D898EAFC206327E864C9F00A8E5F2D27E75ACBDE699BE4F0E583F69E17"+
			"B23E9CA2B112DD623B20E6AF39D9723AA297E6DD717067C70606094F246BA2ABE1E68BBBCDA4CC0322746F83ECE6B2D9",
		"D24DEC23D6618A3A54509708DF3288AE3A1231FEA110184441F52243D6AC78D895767C169CDA58D82CC2FDDAE565414B",
		"CE6B233B7EC2CE7B6A3189944A4F0C5E665C780BC9B459DFBAF755716944433071936EA249CCEAEC2A4A7FBAAA7267D3")
)
