package ally

import (
	"errors"
	"fmt"
)

// Error codes. The HTTP layer maps each to one status in one place.
const (
	EINVALID      = "invalid"                // bad input; the message names the field
	EUNAUTHORIZED = "unauthorized"           // not signed in, or bad credentials
	EFORBIDDEN    = "forbidden"              // signed in but not allowed
	ENOTFOUND     = "not_found"              // missing, or not visible to the caller
	ECONFLICT     = "conflict"               // clashes with the current state
	ETOOLARGE     = "too_large"              // body or file over the limit
	EUNSUPPORTED  = "unsupported_media_type" // wrong content type
	EMETHOD       = "method_not_allowed"     // the path exists, for other methods; the message names them
	ERATELIMITED  = "rate_limited"           // too many attempts
	EHELD         = "held"                   // held back until the sender confirms it
	EREQUIRED     = "required"               // a step the change needs is missing; the message names the field
	EUNAVAILABLE  = "unavailable"            // the database cannot be reached just now; try again soon
	EINTERNAL     = "internal"               // our fault; details are logged, never shown
)

// Error is a domain error: a machine-readable code and a message that is safe
// to show to the user.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return fmt.Sprintf("ally: code=%s message=%s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the *Error wrapped in err, EINTERNAL for any
// other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of the *Error wrapped in err, or
// "internal error" for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrReadOnly is a write the database refused because it may only be read:
// a SQLite file Ally cannot write (its permissions), or a PostgreSQL
// server or session that is read-only (a standby). Reads still work. The
// CLI tells it apart to say so and exit 2; the web answers it as 503
// without Retry-After: waiting will not help until someone acts.
var ErrReadOnly = Errorf(EUNAVAILABLE, "Ally cannot save changes: the database is read-only. "+
	"Check the permissions of the database file (and of its -wal and -shm files) for the user Ally runs as, "+
	"or, on PostgreSQL, that the server is not a read-only standby.")
