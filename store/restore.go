package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/backupfile"
)

// Restore replaces the database's contents with the backup read from r.
// A database that already holds people or cases is refused unless force is
// set. The rows are loaded in one transaction at the backup's own schema
// version and then migrated forward, so a backup made by an older ally
// restores into a newer one. It returns how many rows it loaded.
func (db *DB) Restore(ctx context.Context, r io.ReadSeeker, force bool,
	progress BackupProgress) (rows int64, err error) {
	defer wrap(&err, "restore")
	if _, err := ally.Allowed(ctx, ally.CanManageBackups, "Restores are made by the server's operator."); err != nil {
		return 0, err
	}
	// Read the whole backup once before anything changes: a damaged or
	// cut-off file is refused with the database as it was.
	h, err := backupfile.Check(r)
	if err != nil {
		return 0, ally.Errorf(ally.EINVALID, "%v", err)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	br, err := backupfile.NewReader(r)
	if err != nil {
		return 0, ally.Errorf(ally.EINVALID, "%v", err)
	}
	if newest := db.SchemaVersion(); h.Schema > newest || h.Schema < 1 {
		return 0, ally.Errorf(ally.EINVALID, "this backup is of schema version %d; this build of ally knows "+
			"versions 1 to %d: restore it with the ally that made it, or a newer one", h.Schema, newest)
	}
	if err := db.clearForRestore(ctx, force); err != nil {
		return 0, err
	}
	db.migrateCeiling = h.Schema
	_, err = db.Migrate(ctx)
	db.migrateCeiling = 0
	if err != nil {
		return 0, err
	}
	err = db.withTx(ctx, func(tx *Tx) error {
		rows, err = tx.load(ctx, br, h.Schema, progress)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("%w (the database is now empty: restore again from a good backup)", err)
	}
	_, err = db.Migrate(ctx)
	return rows, err
}

// clearForRestore drops every Ally table, after checking the database
// holds nobody and no case (or force is set).
func (db *DB) clearForRestore(ctx context.Context, force bool) error {
	var tables []*table
	err := db.withRead(ctx, func(tx *Tx) (err error) {
		tables, err = tx.schemaTables(ctx)
		return err
	})
	if err != nil || len(tables) == 0 {
		return err
	}
	if !force {
		var people, cases int64
		if err := db.read.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM cases)").
			Scan(&people, &cases); err != nil {
			return err
		}
		if people+cases > 0 {
			return ally.Errorf(ally.ECONFLICT, "this database already holds %d people and %d cases; restore into a "+
				"new database, or add --force to replace everything in it", people, cases)
		}
	}
	drop := "DROP TABLE IF EXISTS %s"
	if db.postgres {
		drop += " CASCADE"
	}
	for i := len(tables) - 1; i >= 0; i-- { // children first
		if _, err := db.write.ExecContext(ctx, fmt.Sprintf(drop, tables[i].name)); err != nil {
			return err
		}
	}
	for _, t := range []string{"schema_migrations", "schema_fills", "case_words"} {
		if _, err := db.write.ExecContext(ctx, "DROP TABLE IF EXISTS "+t); err != nil {
			return err
		}
	}
	return nil
}

// load inserts every table's rows from br.
func (tx *Tx) load(ctx context.Context, br *backupfile.Reader, schema int, progress BackupProgress) (int64, error) {
	tables, err := tx.schemaTables(ctx)
	if err != nil {
		return 0, err
	}
	byName := map[string]*table{}
	for _, t := range tables {
		byName[t.name] = t
	}
	var total int64
	for {
		bt, err := br.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return total, ally.Errorf(ally.EINVALID, "%v", err)
		}
		if derived[bt.Name] {
			if err := br.SkipTable(); err != nil {
				return total, ally.Errorf(ally.EINVALID, "%v", err)
			}
			continue
		}
		t := byName[bt.Name]
		if t == nil || t.virtual != "" {
			return total, ally.Errorf(ally.EINVALID, "the backup holds a table %q that this schema has not", bt.Name)
		}
		n, err := tx.loadTable(ctx, br, t, bt.Columns, progress)
		total += n
		if err != nil {
			return total, fmt.Errorf("table %s: %w", t.name, err)
		}
	}
	return total, tx.afterLoad(ctx, tables, schema)
}

// loadTable inserts one table's rows, many to a statement.
func (tx *Tx) loadTable(ctx context.Context, br *backupfile.Reader, t *table, names []string,
	progress BackupProgress) (int64, error) {
	cols := make([]column, len(names))
	for i, name := range names {
		c, ok := t.column(name)
		if !ok {
			return 0, ally.Errorf(ally.EINVALID, "the backup has a column %q that this schema has not", name)
		}
		cols[i] = c
	}
	perInsert := max(1, min(500, 30000/len(cols)))
	row := "(" + params(len(cols)) + ")"
	var args []any
	var n int64
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		k := len(args) / len(cols)
		q := "INSERT INTO " + t.name + " (" + strings.Join(names, ", ") + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(row+", ", k), ", ")
		_, err := tx.Tx.ExecContext(ctx, tx.db.rebind(q), args...)
		args = args[:0]
		if progress != nil {
			progress(t.name, n)
		}
		return err
	}
	for {
		values, err := br.Row()
		if errors.Is(err, io.EOF) {
			return n, flush()
		}
		if err != nil {
			return n, ally.Errorf(ally.EINVALID, "%v", err)
		}
		for i, v := range values {
			args = append(args, cols[i].convert(v, tx.db.postgres))
		}
		if n++; n%int64(perInsert) == 0 {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
}

func (t *table) column(name string) (column, bool) {
	for _, c := range t.columns {
		if c.name == name {
			return c, true
		}
	}
	return column{}, false
}

// convert turns a value read from a backup of either engine into what this
// column takes: PostgreSQL booleans from SQLite's 0 and 1, and back.
func (c column) convert(v any, postgres bool) any {
	switch x := v.(type) {
	case int64:
		if postgres && c.typ == "boolean" {
			return x != 0
		}
	case bool:
		if !postgres || c.typ != "boolean" {
			if x {
				return int64(1)
			}
			return int64(0)
		}
	}
	return v
}

// afterLoad sets PostgreSQL's identity sequences past the loaded ids and
// rebuilds the search index, which backups leave out (an older backup gets
// it from its migration).
func (tx *Tx) afterLoad(ctx context.Context, tables []*table, schema int) error {
	for _, t := range tables {
		for _, c := range t.columns {
			if !tx.db.postgres || !c.identity {
				continue
			}
			q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%[1]s', '%[2]s'), COALESCE(MAX(%[2]s), 0) + 1, "+
				"false) FROM %[1]s", t.name, c.name)
			if _, err := tx.Tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("after loading %s: %w", t.name, err)
			}
		}
	}
	// The rows hold what their schema's migrations filled in.
	if _, err := tx.exec(ctx, "DELETE FROM schema_fills WHERE version <= ?", schema); err != nil {
		return err
	}
	if schema >= queueMigration {
		return tx.reindexAll(ctx)
	}
	return nil
}
