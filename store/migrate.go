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
	return applied, err
}

// migrate applies ms under the setup lock.
func (db *DB) migrate(ctx context.Context, ms []migration) ([]string, error) {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return nil, err
	}
	current, err := db.currentVersion(ctx)
	if err != nil {
		return nil, err
	}
	if newest := db.SchemaVersion(); current > newest {
		return nil, fmt.Errorf("the database schema is version %d but this build of ally knows only up to %d; "+
			"run a newer ally", current, newest)
	}
	var applied []string
	for _, m := range ms {
		if m.version <= current || (db.migrateCeiling > 0 && m.version > db.migrateCeiling) {
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
			if m.version == slaMigration { // data the SQL alone cannot write: targets from the playbooks
				if err := tx.fillSLA(ctx, allIDs[0], allIDs[1]); err != nil {
					return fmt.Errorf("migration %s: %w", m.name, err)
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
	return applied, nil
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
