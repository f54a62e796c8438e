package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrations embed.FS

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

func (db *DB) migrations() ([]migration, error) {
	dir := "migrations/sqlite"
	if db.postgres {
		dir = "migrations/postgres"
	}
	names, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []migration
	for _, n := range names {
		base := path.Base(n)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", base)
		}
		b, err := migrations.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	return out, nil
}

// SchemaVersion is the newest schema this build knows.
func (db *DB) SchemaVersion() int {
	ms, _ := db.migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Migrate applies every pending migration, each in its own transaction, and
// records it. It refuses a database whose schema is newer than this build.
// It returns the names of the migrations applied.
func (db *DB) Migrate(ctx context.Context) (_ []string, err error) {
	defer wrap(&err, "migrate")
	ms, err := db.migrations()
	if err != nil {
		return nil, err
	}
	var applied []string
	err = db.locked(ctx, func(ctx context.Context) (err error) {
		applied, err = db.migrate(ctx, ms)
		return err
	})
	if readOnly(err) { // a read-only PostgreSQL session or standby: ErrReadOnly, as for any write
		err = mapError(err)
	}
	return applied, err
}

// migrate applies ms under the setup lock.
func (db *DB) migrate(ctx context.Context, ms []migration) ([]string, error) {
	for _, q := range []string{`CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
		"CREATE TABLE IF NOT EXISTS schema_fills (version BIGINT PRIMARY KEY)"} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return nil, err
		}
	}
	current, err := db.currentVersion(ctx)
	if err != nil {
		return nil, err
	}
	if newest := db.SchemaVersion(); current > newest {
		return nil, fmt.Errorf("the database schema is version %d but this build of ally knows only up to %d; "+
			"run a newer ally", current, newest)
	}
	// Every migration not yet applied is, in order, even one numbered below
	// the newest applied (work that was built side by side lands that way).
	done, err := db.appliedVersions(ctx)
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, m := range ms {
		if done[m.version] || (db.migrateCeiling > 0 && m.version > db.migrateCeiling) {
			continue
		}
		skipped := false
		err := db.withTx(ctx, func(tx *Tx) error {
			// Another process may have applied it meanwhile (SQLite has no
			// setup lock; its write transactions are serialised instead).
			var done int
			if err := tx.queryRow(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?",
				m.version).Scan(&done); err != nil || done > 0 {
				skipped = done > 0
				return err
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if migrationFills[m.version] != nil { // filled once the schema is whole (runFills)
				if _, err := tx.exec(ctx, "INSERT INTO schema_fills (version) VALUES (?)", m.version); err != nil {
					return err
				}
			}
			_, err := tx.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, millis(tx.now))
			return err
		})
		if err != nil {
			return applied, err
		}
		if !skipped {
			applied = append(applied, m.name)
		}
	}
	if db.migrateCeiling > 0 {
		return applied, nil // a restore fills once it has migrated to the end
	}
	return applied, db.runFills(ctx)
}

// runFills runs the fills migrations left pending (schema_fills), each in
// its own transaction that also marks it done, in version order, once every
// migration is applied: a fill reads the whole, current schema. One cut off
// by a crash runs again at the next start.
func (db *DB) runFills(ctx context.Context) error {
	rows, err := db.write.QueryContext(ctx, "SELECT version FROM schema_fills ORDER BY version")
	if err != nil {
		return err
	}
	var pending []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		pending = append(pending, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, v := range pending {
		err := db.withTx(ctx, func(tx *Tx) error {
			res, err := tx.exec(ctx, "DELETE FROM schema_fills WHERE version = ?", v)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // another instance filled it
			}
			if fill := migrationFills[v]; fill != nil {
				return fill(tx, ctx)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("filling migration %d: %w", v, err)
		}
	}
	return nil
}

func (db *DB) appliedVersions(ctx context.Context) (map[int]bool, error) {
	rows, err := db.write.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	done := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		done[v] = true
	}
	return done, rows.Err()
}

// queueMigration adds the queue's deadlines and search index (fillQueue).
const queueMigration = 9

// migrationFills fill what a migration's new columns and tables derive
// from existing rows with rules written in Go, in the migration's
// transaction.
var migrationFills = map[int]func(*Tx, context.Context) error{
	queueMigration: (*Tx).fillQueue,
	slaMigration:   func(tx *Tx, ctx context.Context) error { return tx.fillSLA(ctx, allIDs[0], allIDs[1]) },
	toneHashMigration: func(tx *Tx, ctx context.Context) error {
		_, err := tx.fillToneHashes(ctx, everyExample)
		return err
	},
}

func (db *DB) currentVersion(ctx context.Context) (int, error) {
	var v int
	err := db.write.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

// Locked runs fn while holding the setup lock, so that instances starting
// together on one PostgreSQL database migrate it and prepare it (the first
// admin) one after the other: the next waits, then finds the work done. It
// is a session advisory lock on a connection of its own, named for the
// schema, and ends with that connection if the holder dies. SQLite needs
// none: one process serves a file, and its writes are serialised anyway.
func (db *DB) Locked(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	defer wrap(&err, "setup lock")
	return db.locked(ctx, fn)
}

func (db *DB) locked(ctx context.Context, fn func(ctx context.Context) error) error {
	if !db.postgres {
		return fn(ctx)
	}
	release, err := db.advisoryLock(ctx, "ally setup", true)
	if err != nil {
		return err
	}
	defer release()
	return fn(ctx)
}

// advisoryLock takes the PostgreSQL session lock called name (within the
// current schema) on a connection of its own: waiting for it when wait is
// set, or else reporting errNotHeld at once when another session holds it.
// release unlocks it and gives the connection back.
func (db *DB) advisoryLock(ctx context.Context, name string, wait bool) (release func(), err error) {
	conn, err := db.lockConn(ctx, name, wait)
	if err != nil {
		return nil, err
	}
	return func() { unlock(conn, name) }, nil
}

const lockKey = "hashtext(current_schema() || ':' || $1)"

// lockConn takes the lock on a connection of its own and returns it.
func (db *DB) lockConn(ctx context.Context, name string, wait bool) (*sql.Conn, error) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, mapError(err)
	}
	if wait {
		_, err = conn.ExecContext(ctx, "SELECT pg_advisory_lock("+lockKey+")", name)
	} else {
		var got bool
		if err = conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock("+lockKey+")", name).Scan(&got); err == nil && !got {
			err = errNotHeld
		}
	}
	if err != nil {
		conn.Close()
		return nil, mapError(err)
	}
	return conn, nil
}

// unlock releases the lock and the connection; a lock that cannot be
// released dies with its connection, which is then discarded.
func unlock(conn *sql.Conn, name string) {
	if _, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock("+lockKey+")", name); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	conn.Close()
}

// errNotHeld says another instance holds a lock.
var errNotHeld = errors.New("another instance holds the lock")
