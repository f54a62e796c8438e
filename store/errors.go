package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/allydesk/ally"
	"github.com/jackc/pgx/v5/pgconn"
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
	}
	return err
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
