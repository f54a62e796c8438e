package store

import (
	"context"
	"slices"
	"strings"
)

// table is one of Ally's tables as the database describes it, for backups
// and integrity checks, which work on whatever the schema holds.
type table struct {
	name    string
	columns []column // stored columns only: generated ones are left out
	fks     []reference
	virtual string // SQLite: the CREATE VIRTUAL TABLE text, for full-text indexes
}

type column struct {
	name     string
	typ      string // as declared (SQLite) or the data type (PostgreSQL), lower case
	identity bool   // PostgreSQL: GENERATED … AS IDENTITY
}

type reference struct {
	column, parent, parentColumn string
}

func (t *table) columnNames() []string {
	out := make([]string, len(t.columns))
	for i, c := range t.columns {
		out[i] = c.name
	}
	return out
}

// derived are the tables rebuilt from the others (the search index): not
// backed up, and rebuilt after a restore.
var derived = map[string]bool{"case_words": true}

// schemaTables lists the tables holding Ally's data, parents before the
// tables that refer to them. The schema's own bookkeeping, derived tables
// and full-text shadow tables are left out.
func (tx *Tx) schemaTables(ctx context.Context) ([]*table, error) {
	q := `SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'`
	if tx.db.postgres {
		q = `SELECT table_name, '' FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	names, err := collect(ctx, tx, scanStrings(2), q)
	if err != nil {
		return nil, err
	}
	var tables []*table
	var virtual []string
	for _, n := range names {
		if strings.HasPrefix(strings.ToUpper(n[1]), "CREATE VIRTUAL TABLE") {
			virtual = append(virtual, n[0])
		}
	}
	for _, n := range names {
		shadow := slices.ContainsFunc(virtual, func(v string) bool { return strings.HasPrefix(n[0], v+"_") })
		if n[0] == "schema_migrations" || n[0] == "schema_fills" || derived[n[0]] || shadow {
			continue
		}
		t := &table{name: n[0]}
		if slices.Contains(virtual, n[0]) {
			t.virtual = n[1]
		} else if err := tx.describe(ctx, t); err != nil {
			return nil, err
		}
		tables = append(tables, t)
	}
	return dependencyOrder(tables), nil
}

// describe fills in t's stored columns and foreign keys.
func (tx *Tx) describe(ctx context.Context, t *table) error {
	cq := `SELECT name, lower(type), hidden = 0, 'NO' FROM pragma_table_xinfo(?) ORDER BY cid`
	fq := `SELECT "from", "table", COALESCE("to", '') FROM pragma_foreign_key_list(?)`
	if tx.db.postgres {
		cq = `SELECT column_name, lower(data_type), is_generated = 'NEVER', is_identity FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`
		fq = `SELECT kcu.column_name, ccu.table_name, ccu.column_name
			FROM information_schema.table_constraints tc
			JOIN information_schema.key_column_usage kcu
			  ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
			JOIN information_schema.constraint_column_usage ccu
			  ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
			WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() AND tc.table_name = ?`
	}
	cols, err := collect(ctx, tx, scanStrings(4), cq, t.name)
	if err != nil {
		return err
	}
	for _, c := range cols {
		if c[2] == "1" || c[2] == "true" { // stored, not generated
			t.columns = append(t.columns, column{name: c[0], typ: c[1], identity: c[3] == "YES"})
		}
	}
	fks, err := collect(ctx, tx, scanStrings(3), fq, t.name)
	for _, f := range fks {
		t.fks = append(t.fks, reference{column: f[0], parent: f[1], parentColumn: f[2]})
	}
	return err
}

func scanStrings(n int) func(scanner) ([]string, error) {
	return func(r scanner) ([]string, error) {
		out := make([]string, n)
		ptrs := make([]any, n)
		for i := range out {
			ptrs[i] = &out[i]
		}
		return out, r.Scan(ptrs...)
	}
}

// dependencyOrder sorts tables so that each comes after the tables its
// foreign keys point to (by name where nothing decides), virtual tables last.
func dependencyOrder(tables []*table) []*table {
	slices.SortFunc(tables, func(a, b *table) int { return strings.Compare(a.name, b.name) })
	placed := map[string]bool{}
	var out []*table
	for len(out) < len(tables) {
		progress := false
		for _, t := range tables {
			if placed[t.name] || (t.virtual != "" && len(out) < len(tables)-countVirtual(tables)) {
				continue
			}
			ready := true
			for _, fk := range t.fks {
				if fk.parent != t.name && !placed[fk.parent] {
					ready = false
				}
			}
			if ready {
				placed[t.name], progress = true, true
				out = append(out, t)
			}
		}
		if !progress { // a cycle: place the rest by name
			for _, t := range tables {
				if !placed[t.name] {
					placed[t.name] = true
					out = append(out, t)
				}
			}
		}
	}
	return out
}

func countVirtual(tables []*table) int {
	n := 0
	for _, t := range tables {
		if t.virtual != "" {
			n++
		}
	}
	return n
}
