package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/allydesk/ally"
)

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// collect runs a query in tx and scans every row with scan. It returns an
// empty, non-nil slice when nothing matches, so lists encode as [].
func collect[T any](ctx context.Context, tx *Tx, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// newestFirst turns a "before this id" cursor into a bound: 0 means from
// the newest.
func newestFirst(before int64) int64 {
	if before <= 0 {
		return 1<<63 - 1
	}
	return before
}

// personOrNil builds the person of an outer-joined user, or nil when there
// was none.
func personOrNil(email, name, dept sql.NullString) *ally.Person {
	if !email.Valid {
		return nil
	}
	return &ally.Person{Email: email.String, Name: name.String, Department: dept.String}
}

// params is n comma-separated placeholders, "?, ?, ?", for an IN list or
// a row of values (n >= 1).
func params(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }
