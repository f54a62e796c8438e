package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/backupfile"
)

// BackupProgress is told each table's name and its rows so far, as a
// backup or restore goes.
type BackupProgress func(table string, rows int64)

// Backup writes a consistent copy of every Ally table to w in the portable
// backup format (package backupfile) while the database stays in use: it
// reads one snapshot (a read transaction in WAL mode on SQLite, REPEATABLE
// READ on PostgreSQL), so every write committed before it began is in it
// whole and none after. It returns how many rows it wrote.
func (db *DB) Backup(ctx context.Context, w io.Writer, progress BackupProgress) (rows int64, err error) {
	defer wrap(&err, "backup")
	if _, err := ally.Allowed(ctx, ally.CanManageBackups, "Backups are made by the server's operator."); err != nil {
		return 0, err
	}
	var opts *sql.TxOptions // SQLite: a read transaction reads one snapshot from its first read on
	if db.postgres {
		opts = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	sqlTx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return 0, err
	}
	defer sqlTx.Rollback()
	tx := &Tx{Tx: sqlTx, on: sqlTx, db: db, pool: db.read, now: db.opts.Now()}
	var schema int
	if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&schema); err != nil {
		return 0, err
	}
	tables, err := tx.schemaTables(ctx)
	if err != nil {
		return 0, err
	}
	bw, err := backupfile.NewWriter(w, backupfile.Header{Schema: schema, Engine: db.engine(), Created: tx.now.UTC()})
	if err != nil {
		return 0, err
	}
	for _, t := range tables {
		if t.virtual != "" {
			continue // full-text indexes are rebuilt from their tables on restore
		}
		if err := tx.backupTable(ctx, bw, t, progress); err != nil {
			return bw.Rows(), fmt.Errorf("table %s: %w", t.name, err)
		}
	}
	return bw.Rows(), bw.Close()
}

func (db *DB) engine() string {
	if db.postgres {
		return "postgres"
	}
	return "sqlite"
}

func (tx *Tx) backupTable(ctx context.Context, bw *backupfile.Writer, t *table, progress BackupProgress) error {
	cols := t.columnNames()
	if err := bw.Table(t.name, cols); err != nil {
		return err
	}
	rows, err := tx.Tx.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+t.name+" ORDER BY 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := bw.Row(values); err != nil {
			return err
		}
		if n++; progress != nil && n%10000 == 0 {
			progress(t.name, n)
		}
	}
	if progress != nil {
		progress(t.name, n)
	}
	return rows.Err()
}
