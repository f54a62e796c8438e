package store

import (
	"context"
	"fmt"
	"strings"
)

// bulkTables are the tables whose secondary indexes a bulk load drops and
// rebuilds.
var bulkTables = []string{"cases", "entries", "feedback", "case_tasks"}

// WithoutIndexes runs fn, a large bulk load, with the secondary indexes of
// the case tables dropped, and rebuilds them afterwards from their own
// definitions: building an index once over sorted data is several times
// faster than updating it row by row. Reads are slow while it runs, so it is
// for the operator (demo and benchmark databases), not for a live desk.
func (db *DB) WithoutIndexes(ctx context.Context, fn func() error) error {
	defs, err := db.indexDefs(ctx)
	if err != nil {
		return err
	}
	for name := range defs {
		if _, err := db.write.ExecContext(ctx, "DROP INDEX "+name); err != nil {
			return fmt.Errorf("dropping index %s: %w", name, err)
		}
	}
	fnErr := fn()
	if !db.postgres { // let SQLite sort in parallel while building indexes
		if _, err := db.write.ExecContext(ctx, "PRAGMA threads = 4"); err != nil {
			return err
		}
	}
	for name, def := range defs { // rebuild even when fn failed
		if _, err := db.write.ExecContext(ctx, def); err != nil {
			return fmt.Errorf("rebuilding index %s: %w", name, err)
		}
	}
	if !db.postgres {
		if _, err := db.write.ExecContext(ctx, "ANALYZE"); err != nil {
			return err
		}
	}
	return fnErr
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
