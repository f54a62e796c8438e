package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// bulkTables are the tables whose secondary indexes a bulk load drops and
// rebuilds.
var bulkTables = []string{"cases", "entries", "feedback", "case_tasks"}

// BulkLoad runs fn, a large bulk load, with the secondary indexes of the
// case tables dropped and, on SQLite, foreign keys unchecked (ImportCases
// checks the accounts it refers to itself). It rebuilds the indexes
// afterwards from their own definitions, even when fn fails: building an
// index once over sorted data is faster than updating it row by row. Reads
// are slow while it runs, so it is for the operator (demo and benchmark
// databases), not for a live desk.
func (db *DB) BulkLoad(ctx context.Context, fn func() error) error {
	defs, err := db.indexDefs(ctx)
	if err != nil {
		return err
	}
	for name := range defs {
		if _, err := db.write.ExecContext(ctx, "DROP INDEX "+name); err != nil {
			return fmt.Errorf("dropping index %s: %w", name, err)
		}
	}
	if !db.postgres {
		if _, err := db.write.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
	}
	return errors.Join(fn(), db.afterBulk(ctx, defs))
}

// afterBulk turns foreign keys back on and rebuilds the indexes defs.
func (db *DB) afterBulk(ctx context.Context, defs map[string]string) error {
	if !db.postgres {
		// SQLite sorts runs as large as its page cache, in parallel threads:
		// its default 2 MiB gives more, faster runs (a third less time on a
		// million cases than with the writer's usual 64 MiB).
		var cache int
		if err := db.write.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
			return err
		}
		if _, err := db.write.ExecContext(ctx, "PRAGMA foreign_keys = ON; PRAGMA threads = 4; PRAGMA cache_size = -2048"); err != nil {
			return err
		}
		defer db.write.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", cache))
	}
	for name, def := range defs {
		if _, err := db.write.ExecContext(ctx, def); err != nil {
			return fmt.Errorf("rebuilding index %s: %w", name, err)
		}
	}
	if !db.postgres { // sampled statistics: exact ones take a tenth of the load's time
		if _, err := db.write.ExecContext(ctx, "PRAGMA analysis_limit = 1000; ANALYZE"); err != nil {
			return err
		}
	}
	return nil
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
