package models

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Staff codes are kept as slow password hashes only: the code a person
// types is checked against each active operator's hash and then
// forgotten. It is never stored, shown, logged or audited.
//
// The hash is argon2id (RFC 9106) with defaultCodeHashParams: 64 MiB of
// memory, 2 passes, 1 lane, a 16-byte random salt and a 32-byte key. One
// verification costs 100–125 ms on the 2-core AMD EPYC the benchmarks run
// on (BenchmarkCodeHash; 100–250 ms is the aim), so trying every six-digit
// code against one stolen hash takes about a day and a half of one core.
//
// A hash cannot be looked up by the code, and a keyed lookup tag would need
// a secret kept outside the data folder, which this terminal does not have
// (the device key lies beside the database): so a code is verified against
// the active operators one by one, managers first when a manager is asked
// for, on as many cores as there are (at most two at a time). A shop has a
// handful of staff: three cost 0.35–0.5 s for a wrong code
// (BenchmarkWrongCode in services/staff), ten about a second.

// CodeHashParams are the argon2id parameters of a staff code's hash.
type CodeHashParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// defaultCodeHashParams are the parameters new codes are hashed with:
// 100–125 ms for one verification on a 2-core x86-64. A stored hash is
// verified with the parameters it names, so raising these later leaves
// older hashes valid.
var defaultCodeHashParams = CodeHashParams{Memory: 64 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Limits on parameters read from a stored hash, so that a damaged or
// tampered row cannot make a verification take the terminal's memory.
const (
	maxHashMemory  = 1 << 20 // KiB: 1 GiB
	maxHashTime    = 16
	maxHashThreads = 16
)

// StaffCodeMinLen and StaffCodeMaxLen bound the digits of a new staff code
// (the keypads take at most StaffCodeMaxLen).
const (
	StaffCodeMinLen = 6
	StaffCodeMaxLen = 8
)

// StaffCode is an operator's code, hashed (HashStaffCode); never the code.
// It lies in its own table so that an Operator, which travels in sessions,
// held orders and audit details, carries nothing secret.
type StaffCode struct {
	OperatorID uint   `gorm:"primaryKey;autoIncrement:false"`
	Hash       string `gorm:"size:160;not null"`
	SetAt      time.Time
}

// CheckStaffCode is the rule for a new staff code: 6 to 8 digits, and not
// one a person guesses first: one digit repeated (000000), a run with a
// constant step (123456, 654321, 135791, 890123) or a short group repeated
// (121212, 123123).
func CheckStaffCode(code string) error {
	for _, r := range code {
		if r < '0' || r > '9' {
			return invalid("error.code.digits", "A staff code is made of digits only", nil)
		}
	}
	if len(code) < StaffCodeMinLen {
		return errCodeShort()
	}
	if len(code) > StaffCodeMaxLen {
		return invalid("error.code.long", "A staff code has at most {{.Max}} digits", map[string]any{"Max": StaffCodeMaxLen})
	}
	if weakCode(code) {
		return invalid("error.code.weak",
			"That code is too easy to guess (one digit repeated, a run like 123456, or a short group repeated); choose another", nil)
	}
	return nil
}

// weakCode reports whether code (digits) is a constant-step run or a group
// of up to three digits repeated.
func weakCode(code string) bool {
	step := (code[1] - code[0] + 10) % 10
	run := true
	for i := 2; i < len(code) && run; i++ {
		run = (code[i]-code[i-1]+10)%10 == step
	}
	if run {
		return true
	}
	for period := 2; period <= 3; period++ {
		repeated := true
		for i := period; i < len(code) && repeated; i++ {
			repeated = code[i] == code[i-period]
		}
		if repeated {
			return true
		}
	}
	return false
}

// HashStaffCode hashes code with defaultCodeHashParams and a new random
// salt, as a PHC string: $argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>.
func HashStaffCode(code string) (string, error) {
	return hashStaffCode(code, defaultCodeHashParams)
}

func hashStaffCode(code string, p CodeHashParams) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("staff code: salt: %w", err)
	}
	key := argon2.IDKey([]byte(code), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// ParseCodeHash reads a stored staff code hash: its parameters, salt and
// key. Parameters beyond sane limits are refused.
func ParseCodeHash(encoded string) (CodeHashParams, []byte, []byte, error) {
	var p CodeHashParams
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("staff code hash: not an argon2id PHC string")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("staff code hash: version %q", parts[2])
	}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return p, nil, nil, fmt.Errorf("staff code hash: parameter %q: %w", kv, err)
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > maxHashThreads {
				return p, nil, nil, fmt.Errorf("staff code hash: %d lanes", n)
			}
			p.Threads = uint8(n)
		default:
			return p, nil, nil, fmt.Errorf("staff code hash: parameter %q", k)
		}
	}
	if p.Threads < 1 || p.Time < 1 || p.Time > maxHashTime || p.Memory < 8*uint32(p.Threads) || p.Memory > maxHashMemory {
		return p, nil, nil, fmt.Errorf("staff code hash: parameters %s out of range", parts[3])
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil || len(salt) < 8 || len(salt) > 64 {
		return p, nil, nil, fmt.Errorf("staff code hash: salt")
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, fmt.Errorf("staff code hash: key")
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}

// VerifyStaffCode reports whether code is the one encoded was made from,
// with the parameters the hash itself names; a damaged hash is an error.
func VerifyStaffCode(encoded, code string) (bool, error) {
	p, salt, key, err := ParseCodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(code), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// codeHolder is an active operator and the hash of their code.
type codeHolder struct {
	op   Operator
	hash string
}

// codeHolders lists the active operators that have a code, with its hash;
// managers and owners first when managersFirst, else by ID.
func codeHolders(db *gorm.DB, managersFirst bool) ([]codeHolder, error) {
	var ops []Operator
	if err := db.Where("active = ?", true).Order("id").Find(&ops).Error; err != nil {
		return nil, fmt.Errorf("operators: %w", err)
	}
	var codes []StaffCode
	if err := db.Find(&codes).Error; err != nil {
		return nil, fmt.Errorf("staff codes: %w", err)
	}
	hash := make(map[uint]string, len(codes))
	for _, c := range codes {
		hash[c.OperatorID] = c.Hash
	}
	var first, rest []codeHolder
	for _, op := range ops {
		h, ok := hash[op.ID]
		if !ok {
			continue
		}
		if managersFirst && op.IsManager() {
			first = append(first, codeHolder{op, h})
		} else {
			rest = append(rest, codeHolder{op, h})
		}
	}
	return append(first, rest...), nil
}

// matchCode returns the index of the holder whose hash code matches, or
// -1; it verifies on up to two cores at once and stops at the first
// match. Damaged hashes are skipped.
func matchCode(holders []codeHolder, code string) int {
	workers := min(runtime.GOMAXPROCS(0), 2, len(holders))
	next := make(chan int)
	found := -1
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ok, err := VerifyStaffCode(holders[i].hash, code); err == nil && ok {
					mu.Lock()
					if found < 0 || i < found {
						found = i
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := range holders {
		mu.Lock()
		done := found >= 0
		mu.Unlock()
		if done {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return found
}

// errCodeShort: a staff code with too few digits (or none).
func errCodeShort() error {
	return invalid("error.code.short", "A staff code needs at least {{.Min}} digits", map[string]any{"Min": StaffCodeMinLen})
}

// ErrNoOperatorCode refuses a code that is no active operator's.
var ErrNoOperatorCode = &Error{Code: EINVALID, Key: "error.operator.code", Fallback: "No operator has that code"}

// OperatorByCode finds the active operator whose code this is, verifying
// the code against each one's hash.
func (s *Store) OperatorByCode(ctx context.Context, code string) (Operator, error) {
	return s.operatorByCode(ctx, code, false)
}

func (s *Store) operatorByCode(ctx context.Context, code string, managersFirst bool) (Operator, error) {
	if code == "" {
		return Operator{}, ErrNoOperatorCode
	}
	var holders []codeHolder
	err := s.read(ctx, func(db *gorm.DB) (err error) {
		holders, err = codeHolders(db, managersFirst)
		return err
	})
	if err != nil {
		return Operator{}, fmt.Errorf("store: operator by code: %w", err)
	}
	// Verified outside the store's lock: a sale need not wait for it.
	i := matchCode(holders, code)
	if i < 0 {
		return Operator{}, ErrNoOperatorCode
	}
	return holders[i].op, nil
}

// ManagerByCode finds the active manager or owner whose code this is.
func (s *Store) ManagerByCode(ctx context.Context, code string) (Operator, error) {
	op, err := s.ManagerOrOperatorByCode(ctx, code)
	if err == nil && !op.IsManager() {
		return Operator{}, ErrNotManagerCode
	}
	return op, err
}

// ManagerOrOperatorByCode finds the active operator whose code this is,
// trying managers and owners first; a code that is nobody's is
// ErrNotManagerCode. The caller decides what a cashier's code means.
func (s *Store) ManagerOrOperatorByCode(ctx context.Context, code string) (Operator, error) {
	op, err := s.operatorByCode(ctx, code, true)
	if ErrorCode(err) == EINVALID {
		return Operator{}, ErrNotManagerCode
	}
	return op, err
}

// ErrNotManagerCode refuses a code that is not an active manager's.
var ErrNotManagerCode = &Error{Code: EINVALID, Key: "error.manager.code", Fallback: "That is not a manager's code"}

// errCodeTaken refuses a new code that another active operator has.
var errCodeTaken = &Error{Code: EINVALID, Key: "error.code.taken", Fallback: "That code cannot be used; choose another"}

// hashNewCode hashes code for operator opID (0: a new operator), after
// making sure that no other active operator has it: sign-in would not
// know who is who. The hashing is done outside the store's lock.
func (s *Store) hashNewCode(ctx context.Context, opID uint, code string) (string, error) {
	if code == "" {
		return "", errCodeShort()
	}
	var holders []codeHolder
	err := s.read(ctx, func(db *gorm.DB) (err error) {
		holders, err = codeHolders(db, false)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: staff codes: %w", err)
	}
	others := holders[:0]
	for _, h := range holders {
		if h.op.ID != opID {
			others = append(others, h)
		}
	}
	if matchCode(others, code) >= 0 {
		return "", errCodeTaken
	}
	return HashStaffCode(code)
}

// EnsureOperator returns the active operator named op.Name, creating it
// with code (hashed) if there is none: the demo's staff, the default
// operator of a till without staff accounts. It checks no rule on the
// code, nor whether another operator has it.
func (s *Store) EnsureOperator(ctx context.Context, op Operator, code string) (Operator, error) {
	var got Operator
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("name = ? AND active = ?", op.Name, true).Order("id").Limit(1).Find(&got).Error
	})
	if err != nil {
		return Operator{}, fmt.Errorf("store: operator %s: %w", op.Name, err)
	}
	if got.ID != 0 {
		return got, nil
	}
	if code == "" {
		return Operator{}, errCodeShort()
	}
	hash, err := HashStaffCode(code)
	if err != nil {
		return Operator{}, err
	}
	op.ID, op.Active = 0, true
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&op).Error; err != nil {
			return err
		}
		return tx.Create(&StaffCode{OperatorID: op.ID, Hash: hash, SetAt: time.Now()}).Error
	})
	if err != nil {
		return Operator{}, dbError(s.path, fmt.Errorf("store: operator %s: %w", op.Name, err))
	}
	return op, nil
}

// CheckCodeTwice: a new code is typed twice, the same both times.
func CheckCodeTwice(code, again string) error {
	if code != again {
		return &Error{Code: EINVALID, Key: "error.setup.codes_differ", Fallback: "The two codes are not the same: type the code again"}
	}
	return nil
}

// errOwnerMakesOwners: only an owner makes another.
var errOwnerMakesOwners = &Error{Code: EINVALID, Key: "error.operator.owner_by_owner", Fallback: "Only an owner can make someone an owner"}

// errOwnerExists: the first owner is made once, at setup.
var errOwnerExists = &Error{Code: ECONFLICT, Key: "error.operator.owner_exists", Fallback: "The shop has its owner already: an owner adds others in Settings"}

// FirstOwner makes the shop's first owner, with code (hashed): once, at
// the first-run setup, when the shop has no active owner. The caller has
// checked the code against CheckStaffCode.
func (s *Store) FirstOwner(ctx context.Context, name, code, terminalID string) (Operator, error) {
	name, err := CheckOperatorName(name)
	if err != nil {
		return Operator{}, err
	}
	hash, err := s.hashNewCode(ctx, 0, code)
	if err != nil {
		return Operator{}, err
	}
	op := Operator{Name: name, Role: RoleOwner, Active: true}
	now := time.Now()
	err = s.write(ctx, func(tx *gorm.DB) error {
		var owners int64
		if err := tx.Model(&Operator{}).Where("role = ? AND active = ?", RoleOwner, true).Count(&owners).Error; err != nil {
			return err
		}
		if owners > 0 {
			return errOwnerExists
		}
		if err := tx.Create(&op).Error; err != nil {
			return err
		}
		if err := tx.Create(&StaffCode{OperatorID: op.ID, Hash: hash, SetAt: now}).Error; err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: now, TerminalID: terminalID, OperatorID: op.ID, Action: "operator_add",
			Subject: fmt.Sprint(op.ID), Detail: truncateUTF8(fmt.Sprintf("%s (#%d) role=owner, at setup", op.Name, op.ID), 512)}).Error
	})
	if err != nil {
		if ErrorCode(err) == ECONFLICT {
			return Operator{}, err
		}
		return Operator{}, dbError(s.path, fmt.Errorf("store: first owner: %w", err))
	}
	return op, nil
}

// AddOperator adds op to the staff with code (hashed), authorized by by,
// who may manage staff as stored now (an owner alone makes an owner),
// audited by name and ID. The name follows CheckOperatorName and is stored
// trimmed. The caller has checked the code against CheckStaffCode.
func (s *Store) AddOperator(ctx context.Context, op Operator, code string, by Operator, terminalID string) (Operator, error) {
	// Checked before the code is hashed, and again where it is stored.
	if err := s.Allowed(ctx, by, PermStaff); err != nil {
		return Operator{}, err
	}
	if err := CheckRole(op.Role); err != nil {
		return Operator{}, err
	}
	name, err := CheckOperatorName(op.Name)
	if err != nil {
		return Operator{}, err
	}
	hash, err := s.hashNewCode(ctx, 0, code)
	if err != nil {
		return Operator{}, err
	}
	op.ID, op.Name, op.Active = 0, name, true
	now := time.Now()
	err = s.write(ctx, func(tx *gorm.DB) error {
		byNow, err := allowedIn(tx, by, PermStaff)
		if err != nil {
			return err
		}
		if op.Role == RoleOwner && byNow.Role != RoleOwner {
			return errOwnerMakesOwners
		}
		if err := tx.Create(&op).Error; err != nil {
			return err
		}
		if err := tx.Create(&StaffCode{OperatorID: op.ID, Hash: hash, SetAt: now}).Error; err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: now, TerminalID: terminalID, OperatorID: by.ID, Action: "operator_add",
			Subject: fmt.Sprint(op.ID), Detail: truncateUTF8(fmt.Sprintf("%s (#%d) role=%s", op.Name, op.ID, op.Role), 512)}).Error
	})
	if err != nil {
		if ErrorCode(err) == EINVALID {
			return Operator{}, err
		}
		return Operator{}, dbError(s.path, fmt.Errorf("store: add operator: %w", err))
	}
	return op, nil
}

// SetStaffCode gives active operator opID a new code (hashed), authorized
// by by, a manager, audited without the code. The caller has checked the
// code against CheckStaffCode.
func (s *Store) SetStaffCode(ctx context.Context, opID uint, code string, by Operator, terminalID string) error {
	if by.ID != opID { // one's own code one may always change
		if err := s.Allowed(ctx, by, PermStaff); err != nil {
			return err
		}
	}
	hash, err := s.hashNewCode(ctx, opID, code)
	if err != nil {
		return err
	}
	now := time.Now()
	err = s.write(ctx, func(tx *gorm.DB) error {
		var op Operator
		if err := tx.Where("id = ? AND active = ?", opID, true).Limit(1).Find(&op).Error; err != nil {
			return err
		}
		if op.ID == 0 {
			return notFoundAs(nil, msgNoOperator)
		}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).
			Create(&StaffCode{OperatorID: opID, Hash: hash, SetAt: now}).Error; err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: now, TerminalID: terminalID, OperatorID: by.ID, Action: "code_set",
			Subject: fmt.Sprint(opID), Detail: truncateUTF8(fmt.Sprintf("new code for %s (#%d)", op.Name, op.ID), 512)}).Error
	})
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return err
		}
		return dbError(s.path, fmt.Errorf("store: set staff code of %d: %w", opID, err))
	}
	return nil
}
