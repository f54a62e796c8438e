package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/allydesk/ally"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// mapError turns driver errors into domain errors in one place. Domain
// errors pass through; anything unexpected stays as is and is reported to
// clients only as "internal error".
func mapError(err error) error {
	var pg *pgconn.PgError
	switch {
	case err == nil:
		return nil
	case errors.As(err, new(*ally.Error)):
		return err
	case errors.Is(err, sql.ErrNoRows):
		return ally.Errorf(ally.ENOTFOUND, "Not found.")
	case errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &pg) && pg.Code == "23505",
		strings.Contains(err.Error(), "UNIQUE constraint failed"):
		return ally.Errorf(ally.ECONFLICT, "That already exists.")
	case unreachable(err):
		return &driverError{"database unreachable", errUnavailable, err}
	case readOnly(err):
		return &driverError{"database read-only", ally.ErrReadOnly, err}
	}
	return err
}

// errUnavailable is what people are told while the database is away.
var errUnavailable = ally.Errorf(ally.EUNAVAILABLE,
	"Ally cannot reach its database just now. Please try again in a minute.")

// driverError is a driver's error given a domain meaning: it reads as
// shown (its code and message: an unreachable database as
// ally.EUNAVAILABLE, answered 503 and never as a failed sign-in) and keeps
// the driver's error, after what, for the log.
type driverError struct {
	what  string
	shown error
	err   error
}

func (e *driverError) Error() string   { return e.what + ": " + e.err.Error() }
func (e *driverError) Unwrap() []error { return []error{e.shown, e.err} }

// unreachable reports whether err means the database could not be reached
// or went away (a refused or broken connection, a server shutting down or
// full, a SQLite file locked past the busy timeout), rather than a fault
// in the request.
func unreachable(err error) bool {
	var pg *pgconn.PgError
	var ne net.Error
	var ce *pgconn.ConnectError
	switch {
	case errors.As(err, &pg):
		// Class 08: connection exceptions; 57P0x: shutting down or
		// starting; 53300: too many connections.
		return strings.HasPrefix(pg.Code, "08") || strings.HasPrefix(pg.Code, "57P") || pg.Code == "53300"
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "database is locked") ||
		strings.Contains(msg, "failed to connect")
}

// readOnly reports whether err is SQLite refusing to write because the
// database file, or the folder that must hold its -wal and -shm files, is
// read-only (SQLITE_READONLY, 8, with any extended code), or PostgreSQL
// refusing to write in a read-only transaction (25006: a standby, or
// default_transaction_read_only).
func readOnly(err error) bool {
	var se *sqlite.Error
	var pg *pgconn.PgError
	return errors.As(err, &se) && se.Code()&0xff == 8 || errors.As(err, &pg) && pg.Code == "25006"
}

// opError is an error from one store operation, named for where it came
// from ("store: find cases: …"). The domain code and message it wraps stay
// readable through it with ally.ErrorCode and ally.ErrorMessage.
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string { return "store: " + e.op + ": " + e.err.Error() }
func (e *opError) Unwrap() error { return e.err }

// wrap names the operation that failed on *err, once: every exported method
// defers it first thing, and an error already named by another store method
// keeps its name.
func wrap(err *error, op string) {
	if *err != nil && !errors.As(*err, new(*opError)) {
		*err = &opError{op: op, err: *err}
	}
}
