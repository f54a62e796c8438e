package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/allydesk/ally"
)

// bulkTables are the tables whose secondary indexes a bulk load drops and
// rebuilds.
var bulkTables = []string{"cases", "entries", "feedback", "case_tasks"}

// BulkLoad runs fn, a large bulk load, with the secondary indexes of the
// case tables dropped and their foreign keys unchecked (ImportCases checks
// the accounts it refers to itself). Afterwards, even when fn fails, it
// rebuilds the indexes from their own definitions and checks foreign keys
// again: building an index once over sorted data is faster than updating it
// row by row, and PostgreSQL validates a re-added foreign key in one pass
// instead of one trigger call per row. Reads are slow while it runs, so it
// is for the operator (demo and benchmark databases), not for a live desk.
func (db *DB) BulkLoad(ctx context.Context, fn func() error) (err error) {
	defer wrap(&err, "bulk load")
	if _, err := ally.Allowed(ctx, ally.CanBulkLoad, "Bulk loading is for the operator only."); err != nil {
		return err
	}
	defs, err := db.indexDefs(ctx)
	if err != nil {
		return err
	}
	fks, err := db.foreignKeys(ctx)
	if err != nil {
		return err
	}
	// Put back whatever was taken away, even when the load failed or was
	// cancelled (Ctrl+C during "ally demo"): a database without its indexes
	// is slow to read.
	dropped, droppedFKs := map[string]string{}, []foreignKey(nil)
	restore := func(err error) error {
		return errors.Join(err, db.afterBulk(context.WithoutCancel(ctx), dropped, droppedFKs))
	}
	for name, def := range defs {
		if _, err := db.write.ExecContext(ctx, "DROP INDEX "+name); err != nil {
			return restore(fmt.Errorf("dropping index %s: %w", name, err))
		}
		dropped[name] = def
	}
	for _, fk := range fks {
		if _, err := db.write.ExecContext(ctx, "ALTER TABLE "+fk.table+" DROP CONSTRAINT "+fk.name); err != nil {
			return restore(fmt.Errorf("dropping foreign key %s: %w", fk.name, err))
		}
		droppedFKs = append(droppedFKs, fk)
	}
	if !db.postgres {
		if _, err := db.write.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return restore(err)
		}
	}
	return restore(fn())
}

// afterBulk rebuilds the indexes defs and turns foreign keys back on.
func (db *DB) afterBulk(ctx context.Context, defs map[string]string, fks []foreignKey) error {
	if !db.postgres {
		// SQLite sorts runs as large as its page cache, in parallel threads:
		// its default 2 MiB gives more, faster runs (a third less time on a
		// million cases than with the writer's usual 64 MiB).
		var cache int
		if err := db.write.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
			return err
		}
		if _, err := db.write.ExecContext(ctx,
			"PRAGMA foreign_keys = ON; PRAGMA threads = 4; PRAGMA cache_size = -2048"); err != nil {
			return err
		}
		defer db.write.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", cache))
	}
	for name, def := range defs {
		if _, err := db.write.ExecContext(ctx, def); err != nil {
			return fmt.Errorf("rebuilding index %s: %w", name, err)
		}
	}
	for _, fk := range fks {
		if _, err := db.write.ExecContext(ctx, "ALTER TABLE "+fk.table+" ADD CONSTRAINT "+fk.name+" "+fk.def); err != nil {
			return fmt.Errorf("restoring foreign key %s: %w", fk.name, err)
		}
	}
	return db.refreshStats(ctx)
}

// refreshStats recomputes SQLite's planner statistics after a bulk load if
// the database keeps any (someone ran ANALYZE), so they are not stale. A
// database without them stays without, as one that grew by normal use is:
// the queries' plans are right without statistics, and sampled ones
// (analysis_limit) mislead the planner into sorting the whole queue.
func (db *DB) refreshStats(ctx context.Context) error {
	if db.postgres {
		return nil // autovacuum analyses PostgreSQL tables
	}
	var n int
	if err := db.write.QueryRowContext(ctx,
		"SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").Scan(&n); err != nil || n == 0 {
		return err
	}
	_, err := db.write.ExecContext(ctx, "ANALYZE")
	return err
}

// indexDefs returns the CREATE INDEX statement of every secondary index on
// the bulk tables, by name.
func (db *DB) indexDefs(ctx context.Context) (map[string]string, error) {
	q := "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (?, ?, ?, ?)"
	if db.postgres {
		q = `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
			AND tablename IN ($1, $2, $3, $4) AND indexname NOT LIKE '%_pkey'`
	}
	args := make([]any, len(bulkTables))
	for i, t := range bulkTables {
		args[i] = t
	}
	rows, err := db.write.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	defs := map[string]string{}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return nil, err
		}
		if strings.HasPrefix(strings.ToUpper(def), "CREATE UNIQUE") {
			continue // constraints stay
		}
		defs[name] = def
	}
	return defs, rows.Err()
}

// foreignKey is a PostgreSQL foreign-key constraint on a bulk table.
type foreignKey struct{ table, name, def string }

// foreignKeys lists the foreign keys of the bulk tables on PostgreSQL; SQLite
// turns its checks off per connection instead.
func (db *DB) foreignKeys(ctx context.Context) ([]foreignKey, error) {
	if !db.postgres {
		return nil, nil
	}
	rows, err := db.write.QueryContext(ctx, `SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
		FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
		AND c.conrelid::regclass::text = ANY($1) ORDER BY c.conname`, bulkTables)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []foreignKey
	for rows.Next() {
		var fk foreignKey
		if err := rows.Scan(&fk.table, &fk.name, &fk.def); err != nil {
			return nil, err
		}
		out = append(out, fk)
	}
	return out, rows.Err()
}
