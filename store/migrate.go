package store

import (
	"context"
	"embed"
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
		if m.version <= current {
			continue
		}
		err := db.withTx(ctx, func(tx *Tx) error {
			if db.postgres { // serialise concurrent migrators (several instances starting at once)
				if _, err := tx.exec(ctx, "LOCK TABLE schema_migrations IN EXCLUSIVE MODE"); err != nil {
					return err
				}
				var done int
				if err := tx.queryRow(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?",
					m.version).Scan(&done); err != nil || done > 0 {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if fill := migrationFills[m.version]; fill != nil {
				if err := fill(tx, ctx); err != nil {
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
		applied = append(applied, m.name)
	}
	return applied, nil
}

// migrationFills fill what a migration's new columns and tables derive
// from existing rows with rules written in Go, in the migration's
// transaction.
var migrationFills = map[int]func(*Tx, context.Context) error{
	9: (*Tx).fillQueue,
}

func (db *DB) currentVersion(ctx context.Context) (int, error) {
	var v int
	err := db.write.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}
