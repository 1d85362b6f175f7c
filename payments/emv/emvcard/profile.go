package emvcard

// Profile describes an emulated card.
type Profile struct {
	// Name says what the card is, for test output and the demo screen.
	Name string
	// PAN, Expiry (YYMM) and CardholderName describe the card for people and
	// tests; the bytes the card returns are those of Apps.
	PAN, Expiry, CardholderName string
	// Apps are the card's payment applications, in directory order.
	Apps []App
	// NoPPSE makes SELECT PPSE fail with 6A82 (no contactless directory).
	NoPPSE bool
	// ChainChunk > 0 makes the card return at most that many data bytes per
	// response, announcing the rest with 61XX for GET RESPONSE.
	ChainChunk int
	// WrongLe makes the card answer 6CXX (XX = exact length) to a command
	// with Le 00 whose answer has data, as T=0 cards do.
	WrongLe bool
	// RemoveAfter > 0 takes the card out of the field after that many APDUs:
	// later ones get no answer.
	RemoveAfter int
}

// App is one payment application on the card.
type App struct {
	AID      []byte
	Label    string
	Priority byte   // Application Priority Indicator (87), 0 = none
	PDOL     []byte // 9F38 in the FCI; nil = no PDOL

	// Blocked makes SELECT answer 6283 (application blocked).
	Blocked bool
	// RefuseGPO makes GET PROCESSING OPTIONS answer 6985.
	RefuseGPO bool

	// Format1 answers GPO with template 80 (AIP, AFL), leaving the
	// cryptogram to GENERATE AC; otherwise template 77 carries AIP, AFL,
	// Track2 and the qVSDC/qUICS cryptogram data.
	Format1 bool
	AIP     [2]byte
	AFL     []byte
	Track2  []byte // 57 in a format 2 GPO answer; nil = absent
	CID     byte   // 9F27: 0x80 ARQC, 0x40 TC, 0x00 AAC
	ATC     uint16 // 9F36 of the first cryptogram; increases with each one
	AC      []byte // fixed 9F26; nil = derived from the command data and ATC
	IAD     []byte // 9F10; nil = absent
	CTQ     []byte // 9F6C; nil = absent
	PANSeq  []byte // 5F34 in the GPO answer; nil = absent

	// FDDA, when set, adds Signed Dynamic Application Data (9F4B) to the
	// format 2 GPO answer; the certificates are in Records.
	FDDA *FDDA

	// Records are the application's records (each a full 70 template).
	Records []Record
}

// Record is one record of a short file.
type Record struct {
	SFI, Number byte
	Data        []byte
}
