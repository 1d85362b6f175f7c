package services

import "log"

// LogOr is logf, or, when it is nil, a function that writes to the
// standard log: how a service reports an error it has no one to show to.
func LogOr(logf func(what string, err error)) func(what string, err error) {
	if logf != nil {
		return logf
	}
	return func(what string, err error) { log.Printf("%s: %v", what, err) }
}
