// Package domain holds Waymark's types, validation rules, error codes and the
// interfaces that the storage and web layers implement. It does no I/O.
package domain

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. The web and API layers map each code to
// one HTTP status in one place.
const (
	ECONFLICT     = "conflict"     // the change clashes with existing data (HTTP 409)
	EFORBIDDEN    = "forbidden"    // signed in, but the role does not allow it (HTTP 403)
	EINTERNAL     = "internal"     // a bug or an unavailable dependency (HTTP 500)
	EINVALID      = "invalid"      // the input breaks a rule (HTTP 422)
	ENOTFOUND     = "not_found"    // no such object in the caller's organisation (HTTP 404)
	EUNAUTHORIZED = "unauthorized" // not signed in or bad credentials (HTTP 401)
	ETOOMANY      = "too_many"     // rate limit or sign-in backoff (HTTP 429)
)

// Error is a domain error: a code for machines and a message safe to show to
// people. Wrapped errors from lower layers never reach users through it.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("waymark: %s: %s", e.Code, e.Message) }

// Errorf returns a domain error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first domain error in err's chain
// (EINVALID for Problems), or EINTERNAL for any other non-nil error and ""
// for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var ps Problems
	if errors.As(err, &ps) {
		return EINVALID
	}
	return EINTERNAL
}

// ErrorMessage returns the people-facing message of the first domain error in
// err's chain, or a generic message for internal errors.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	var ps Problems
	if errors.As(err, &ps) {
		return ps.Error()
	}
	return "Internal error."
}

// IsNotFound reports whether err carries ENOTFOUND.
func IsNotFound(err error) bool { return ErrorCode(err) == ENOTFOUND }

// Problem is one thing wrong with an input: where it is (a file, a row or a
// JSON path), which field, and what is wrong. Import reports list every
// problem found, not just the first.
type Problem struct {
	File    string `json:"file,omitempty"`
	Where   string `json:"where,omitempty"` // row number ("12") or JSON path ("$.trends[3].title.en")
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// String formats the problem as FILE:WHERE: field: message, leaving out the
// parts that are empty.
func (p Problem) String() string {
	s := ""
	if p.File != "" {
		s = p.File + ":"
	}
	if p.Where != "" {
		s += p.Where + ":"
	}
	if s != "" {
		s += " "
	}
	if p.Field != "" {
		s += p.Field + ": "
	}
	return s + p.Message
}

// Problems is a list of input problems; as an error it says how many there are.
type Problems []Problem

func (ps Problems) Error() string {
	if len(ps) == 1 {
		return ps[0].String()
	}
	return fmt.Sprintf("%d problems, the first: %s", len(ps), ps[0].String())
}

// Is lets errors.Is match Problems against a domain error with code EINVALID.
func (ps Problems) Is(target error) bool {
	var e *Error
	return errors.As(target, &e) && e.Code == EINVALID
}
