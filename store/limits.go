package store

import (
	"context"
	"strings"
	"time"

	"github.com/allydesk/ally"
)

var _ ally.LimitService = (*DB)(nil)

// maxLimitRows caps the rate_limits table (a variable for tests).
var maxLimitRows = 200000

// Rate limits live in the rate_limits table, so that every instance on one
// database counts together (issue 19). A row is one key's state, named by
// the hash of the key; it expires once it holds nothing worth keeping (a
// full allowance, old failures), expired rows are swept at most once a
// minute by each process, and each sweep cuts the table back to
// maxLimitRows: the rows nearest their expiry go first.
const (
	sweepEvery = time.Minute
	// failuresKept is how long an account's failed sign-ins are remembered
	// after its wait ends.
	failuresKept = 24 * time.Hour
	// networksKept is how long a network an account signed in from stays
	// trusted for it.
	networksKept = 90 * 24 * time.Hour
)

// limitKey names a row: the hash of its kind and parts.
func limitKey(kind string, parts ...string) string {
	return hashSecret(kind + "\x00" + strings.Join(parts, "\x00"))
}

// takeSQL spends one of a key's allowance by the generic cell rate
// algorithm: at is when the allowance is full again; a take moves it one
// interval later, allowed while that stays within burst intervals of now.
// The arguments are in takeArgs.
var takeSQL = strings.ReplaceAll(`INSERT INTO rate_limits (key, at, expires_at) VALUES (?, ?, ?)
	ON CONFLICT (key) DO UPDATE SET
	ok = CASE WHEN NEXT <= ? THEN 1 ELSE 0 END,
	at = CASE WHEN NEXT <= ? THEN NEXT ELSE rate_limits.at END,
	expires_at = CASE WHEN NEXT <= ? THEN NEXT ELSE rate_limits.at END
	RETURNING at, ok`, "NEXT", "(CASE WHEN rate_limits.at > ? THEN rate_limits.at ELSE ? END) + ?")

func takeArgs(key string, r ally.Rate, now time.Time) []any {
	n, every := millis(now), r.Every.Milliseconds()
	bound := n + int64(r.Burst)*every
	args := []any{key, n + every, n + every}
	for _, next := range [][]any{{bound}, {bound, n, n, every}, {bound, n, n, every}} {
		args = append(append(args, n, n, every), next...)
	}
	return args
}

// TakeRate implements ally.LimitService.
func (db *DB) TakeRate(ctx context.Context, key string, r ally.Rate, now time.Time) (_ time.Duration, err error) {
	defer wrap(&err, "take rate")
	if r.Burst < 1 || r.Every <= 0 {
		return 0, ally.Errorf(ally.EINVALID, "A rate needs a burst of at least 1 and an interval.")
	}
	var at, ok int64
	err = db.withTx(ctx, func(tx *Tx) error {
		if err := tx.relaxed(ctx); err != nil {
			return err
		}
		return tx.queryRow(ctx, takeSQL, takeArgs(limitKey("rate", key), r, now)...).Scan(&at, &ok)
	})
	if err != nil {
		return 0, err
	}
	db.sweepLimits(ctx, now)
	if ok == 1 {
		return 0, nil
	}
	return time.Duration(at+r.Every.Milliseconds()-millis(now)-int64(r.Burst)*r.Every.Milliseconds()) *
		time.Millisecond, nil
}

// SignInWait implements ally.LimitService.
func (db *DB) SignInWait(ctx context.Context, account, network string, now time.Time) (_ time.Duration, err error) {
	defer wrap(&err, "sign-in wait")
	known, fails := limitKey("known", account, network), limitKey("fail", account)
	var wait time.Duration
	err = db.readOne(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, "SELECT key, at FROM rate_limits WHERE key IN (?, ?) AND expires_at > ?",
			known, fails, millis(now))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key string
			var at int64
			if err := rows.Scan(&key, &at); err != nil {
				return err
			}
			if key == known {
				wait = 0
				return nil
			}
			wait = max(0, time.Duration(at-millis(now))*time.Millisecond)
		}
		return rows.Err()
	})
	return wait, err
}

// failSQL counts a failed sign-in: after the free ones, the wait doubles
// from one second to the longest.
const failSQL = `INSERT INTO rate_limits (key, at, n, step, expires_at) VALUES (?, ?, 1, ?, ?)
	ON CONFLICT (key) DO UPDATE SET n = rate_limits.n + 1,
	step = STEP, at = ? + STEP, expires_at = ? + STEP + ?`

var failQuery = strings.ReplaceAll(failSQL, "STEP", `CASE WHEN rate_limits.n + 1 < ? THEN 0
	WHEN rate_limits.step = 0 THEN ? WHEN rate_limits.step * 2 > ? THEN ? ELSE rate_limits.step * 2 END`)

// SignInFailed implements ally.LimitService.
func (db *DB) SignInFailed(ctx context.Context, account string, now time.Time) (err error) {
	defer wrap(&err, "sign-in failed")
	n, first, longest := millis(now), time.Second.Milliseconds(), ally.SignInMaxBackoff.Milliseconds()
	step := []any{ally.SignInFreeFailures, first, longest, longest}
	firstStep := int64(0)
	if ally.SignInFreeFailures <= 1 {
		firstStep = first
	}
	args := []any{limitKey("fail", account), n + firstStep, firstStep, n + firstStep + failuresKept.Milliseconds()}
	args = append(append(args, step...), n)
	args = append(append(args, step...), n)
	args = append(append(args, step...), failuresKept.Milliseconds())
	err = db.withTx(ctx, func(tx *Tx) error {
		if err := tx.relaxed(ctx); err != nil {
			return err
		}
		_, err := tx.exec(ctx, failQuery, args...)
		return err
	})
	if err == nil {
		db.sweepLimits(ctx, now)
	}
	return err
}

// SignInSucceeded implements ally.LimitService.
func (db *DB) SignInSucceeded(ctx context.Context, account, network string, now time.Time) (err error) {
	defer wrap(&err, "sign-in succeeded")
	return db.withTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "DELETE FROM rate_limits WHERE key = ?", limitKey("fail", account)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO rate_limits (key, at, expires_at) VALUES (?, 0, ?)
			ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at`,
			limitKey("known", account, network), millis(now.Add(networksKept)))
		return err
	})
}

// sweepLimits deletes expired rows, and the rows nearest expiry past the
// cap, at most once a minute per process. A failed sweep is tried again
// next time.
func (db *DB) sweepLimits(ctx context.Context, now time.Time) {
	last := db.limitSweep.Load()
	if now.UnixMilli()-last < sweepEvery.Milliseconds() || !db.limitSweep.CompareAndSwap(last, now.UnixMilli()) {
		return
	}
	err := db.withTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "DELETE FROM rate_limits WHERE expires_at <= ?", millis(now)); err != nil {
			return err
		}
		var rows int
		if err := tx.queryRow(ctx, "SELECT count(*) FROM rate_limits").Scan(&rows); err != nil || rows <= maxLimitRows {
			return err
		}
		_, err := tx.exec(ctx, "DELETE FROM rate_limits WHERE key IN "+
			"(SELECT key FROM rate_limits ORDER BY expires_at LIMIT ?)", rows-maxLimitRows)
		return err
	})
	if err != nil {
		db.limitSweep.Store(last)
	}
}

// relaxed lets a PostgreSQL transaction commit without waiting for its
// write to reach the disk: a crash may forget the last moment's counts,
// which costs an attacker nothing and a person nothing, and saves a flush
// on every counted request. (SQLite's writes share one flush anyway.)
func (tx *Tx) relaxed(ctx context.Context) error {
	if !tx.db.postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, "SET LOCAL synchronous_commit = off")
	return err
}
