package qrpay

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// maxValueLen is the longest value an EMVCo data object can hold, in characters.
const maxValueLen = 99

// Field is one EMVCo data object: a two-digit ID and its value. A template's
// value is itself a sequence of data objects.
type Field struct {
	ID    string
	Value string
}

// isDigits reports whether s is n ASCII digits.
func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// idNum returns the number of a two-digit ID, or -1 if id is not two digits.
func idNum(id string) int {
	if !isDigits(id, 2) {
		return -1
	}
	return int(id[0]-'0')*10 + int(id[1]-'0')
}

// decodeObjects splits s into data objects. Lengths count characters, so s
// must be valid UTF-8; each value must be 1 to 99 characters long.
func decodeObjects(s string) ([]Field, error) {
	var out []Field
	pos := 0
	for pos < len(s) {
		if len(s)-pos < 4 {
			return nil, fmt.Errorf("truncated data object header at byte %d", pos)
		}
		id, lenText := s[pos:pos+2], s[pos+2:pos+4]
		if !isDigits(id, 2) {
			return nil, fmt.Errorf("data object ID %q at byte %d is not two digits", id, pos)
		}
		if !isDigits(lenText, 2) {
			return nil, fmt.Errorf("length %q of object %s is not two digits", lenText, id)
		}
		n, _ := strconv.Atoi(lenText)
		if n == 0 {
			return nil, fmt.Errorf("object %s has an empty value", id)
		}
		start := pos + 4
		end := start
		for range n {
			if end >= len(s) {
				return nil, fmt.Errorf("object %s: length %d runs past the end of the data", id, n)
			}
			r, size := utf8.DecodeRuneInString(s[end:])
			if r == utf8.RuneError && size <= 1 {
				return nil, fmt.Errorf("object %s: invalid UTF-8 at byte %d", id, end)
			}
			end += size
		}
		out = append(out, Field{ID: id, Value: s[start:end]})
		pos = end
	}
	return out, nil
}

// checkValue reports why value cannot be the value of object id, or nil.
func checkValue(id, value string) error {
	if idNum(id) < 0 {
		return fmt.Errorf("data object ID %q is not two digits", id)
	}
	if !utf8.ValidString(value) {
		return fmt.Errorf("object %s: value is not valid UTF-8", id)
	}
	n := utf8.RuneCountInString(value)
	if n == 0 {
		return fmt.Errorf("object %s: empty value", id)
	}
	if n > maxValueLen {
		return fmt.Errorf("object %s: value has %d characters, at most %d fit", id, n, maxValueLen)
	}
	return nil
}

// encodeObject returns ID, two-digit character count and value.
func encodeObject(f Field) (string, error) {
	if err := checkValue(f.ID, f.Value); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%02d%s", f.ID, utf8.RuneCountInString(f.Value), f.Value), nil
}

// encodeObjects concatenates the encodings of fields.
func encodeObjects(fields []Field) (string, error) {
	var out []byte
	for _, f := range fields {
		enc, err := encodeObject(f)
		if err != nil {
			return "", err
		}
		out = append(out, enc...)
	}
	return string(out), nil
}

// errDuplicate is wrapped by the errors for an ID that appears twice.
var errDuplicate = errors.New("duplicate data object")

// checkUnique fails if two fields share an ID.
func checkUnique(where string, fields []Field) error {
	seen := make(map[string]bool, len(fields))
	for _, f := range fields {
		if seen[f.ID] {
			return fmt.Errorf("%s: %w %s", where, errDuplicate, f.ID)
		}
		seen[f.ID] = true
	}
	return nil
}
