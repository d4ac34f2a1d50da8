package sightline

import (
	"errors"
	"fmt"
)

// Error codes: the whole vocabulary of failures the application reports.
// Each maps to one HTTP status in the web layer.
const (
	ECONFLICT     = "conflict"     // a concurrent change or a duplicate
	EINTERNAL     = "internal"     // a bug or an outage; details are logged, not shown
	EINVALID      = "invalid"      // the request is malformed or breaks a rule
	ENOTFOUND     = "not_found"    // the thing does not exist, or the caller may not know it does
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	EFORBIDDEN    = "forbidden"    // valid credentials, not allowed
	ETIMEOUT      = "timeout"      // a query ran past its deadline
	EUNAVAILABLE  = "unavailable"  // a dependency (a user's database) cannot be reached
	ETOOMANY      = "too_many"     // throttled
	EBUSY         = "busy"         // the server is at capacity for this kind of work; try again shortly
)

// Error is an application error whose Message may be shown to a person.
// Internal errors wrap their cause in Err and show a generic message instead.
type Error struct {
	Code    string
	Message string
	Err     error
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return fmt.Sprintf("sightline error: code=%s err=%v", e.Code, e.Err)
	}
	if e.Err != nil {
		return fmt.Sprintf("sightline error: code=%s message=%s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("sightline error: code=%s message=%s", e.Code, e.Message)
}

// Unwrap returns the wrapped cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps err as an internal error. Its text is logged, never shown.
func Internal(err error) *Error {
	return &Error{Code: EINTERNAL, Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message a person may see for err. Internal errors
// give a generic sentence so that no detail of the server leaks.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL && e.Message != "" {
		return e.Message
	}
	return "An internal error occurred."
}
