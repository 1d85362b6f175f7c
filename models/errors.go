package models

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes: what kind of failure an Error is, for callers that branch on it.
const (
	EINVALID  = "invalid"   // the input breaks a rule; the user can correct it
	ENOTFOUND = "not_found" // the thing asked for does not exist
	ECONFLICT = "conflict"  // the stored data changed under the caller
	EDATABASE = "database"  // the database file is unusable (corrupt, locked, missing)
	EINTERNAL = "internal"  // a bug or an unexpected failure
	// EWARNING is no failure: something the person should know while what
	// they asked for goes ahead (a product sold beyond its stock).
	EWARNING = "warning"
)

// Error is a failure meant for a person. Key names a translation, Fallback is
// the English text (a text/template over Args), and Err is the cause, if any.
type Error struct {
	Code     string
	Key      string
	Fallback string
	Args     map[string]any
	Err      error
}

func (e *Error) Error() string {
	msg := e.Fallback
	for k, v := range e.Args {
		msg = strings.ReplaceAll(msg, "{{."+k+"}}", fmt.Sprint(v))
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

func invalid(key, fallback string, args map[string]any) *Error {
	return &Error{Code: EINVALID, Key: key, Fallback: fallback, Args: args}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, else EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}
