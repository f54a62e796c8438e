// Package backupfile reads and writes Ally's portable backup format: a gzip
// stream of JSON records, the same for SQLite and PostgreSQL, so a backup of
// either restores into either.
//
// The records, one JSON value each, in this order:
//
//	{"format":"ally-backup","version":1,"schema":7,"engine":"sqlite","created":"…"}
//	{"table":"users","columns":["id","email",…]}
//	[1,"ada@example.org",…]                 one array per row
//	{"end":"users","rows":1}
//	… more tables …
//	{"trailer":true,"tables":12,"rows":3456}
//
// A row's values are null, true/false, integers, strings, {"b":"base64"} for
// bytes and {"f":1.5} for floating-point numbers. The trailer and each
// table's row count let a reader tell a whole backup from a cut-off one.
package backupfile

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// Format names the backup format in the header.
const Format = "ally-backup"

// Version is the version of the format this package writes and reads.
const Version = 1

// Header is a backup's first record.
type Header struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	Schema  int       `json:"schema"` // the database schema version the rows fit
	Engine  string    `json:"engine"` // "sqlite" or "postgres": where it was taken
	Created time.Time `json:"created"`
}

// Table starts a table's rows.
type Table struct {
	Name    string   `json:"table"`
	Columns []string `json:"columns"`
}

type tableEnd struct {
	End  string `json:"end"`
	Rows int64  `json:"rows"`
}

type trailer struct {
	Trailer bool  `json:"trailer"`
	Tables  int   `json:"tables"`
	Rows    int64 `json:"rows"`
}

// encoded forms of the values JSON has no type for.
type bytesValue struct {
	B []byte `json:"b"` // encoding/json writes []byte as base64
}

type floatValue struct {
	F float64 `json:"f"`
}

// Writer writes a backup. Call Table, then Row for each of its rows, for
// every table; then Close, which writes the trailer.
type Writer struct {
	gz     *gzip.Writer
	enc    *json.Encoder
	table  *Table
	rows   int64 // in the current table
	tables int
	total  int64
	row    []any // reused
}

// NewWriter writes h (Format and Version filled in) to w and returns a
// Writer for the tables.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	gz := gzip.NewWriter(w)
	bw := &Writer{gz: gz, enc: json.NewEncoder(gz)}
	bw.enc.SetEscapeHTML(false)
	h.Format, h.Version = Format, Version
	return bw, bw.enc.Encode(h)
}

// Table starts a table; the previous one, if any, ends.
func (w *Writer) Table(name string, columns []string) error {
	if err := w.endTable(); err != nil {
		return err
	}
	w.table, w.rows = &Table{Name: name, Columns: columns}, 0
	w.tables++
	return w.enc.Encode(w.table)
}

// Row writes one row of the current table. Each value is nil, bool, an
// integer, float64, string, []byte or time.Time (written as UTC text).
func (w *Writer) Row(values []any) error {
	if w.table == nil {
		return errors.New("backupfile: a row before any table")
	}
	if len(values) != len(w.table.Columns) {
		return fmt.Errorf("backupfile: table %s: a row of %d values for %d columns",
			w.table.Name, len(values), len(w.table.Columns))
	}
	w.row = w.row[:0]
	for i, v := range values {
		switch x := v.(type) {
		case nil, bool, int64, int, int32, string:
			w.row = append(w.row, x)
		case []byte:
			w.row = append(w.row, bytesValue{x})
		case float64:
			w.row = append(w.row, floatValue{x})
		case time.Time:
			w.row = append(w.row, x.UTC().Format(time.RFC3339Nano))
		default:
			return fmt.Errorf("backupfile: table %s column %s: cannot store a %T", w.table.Name, w.table.Columns[i], v)
		}
	}
	w.rows++
	w.total++
	return w.enc.Encode(w.row)
}

func (w *Writer) endTable() error {
	if w.table == nil {
		return nil
	}
	err := w.enc.Encode(tableEnd{End: w.table.Name, Rows: w.rows})
	w.table = nil
	return err
}

// Close ends the last table, writes the trailer and flushes; it does not
// close the underlying writer.
func (w *Writer) Close() error {
	if err := w.endTable(); err != nil {
		return err
	}
	if err := w.enc.Encode(trailer{Trailer: true, Tables: w.tables, Rows: w.total}); err != nil {
		return err
	}
	return w.gz.Close()
}

// Rows is how many rows have been written in all.
func (w *Writer) Rows() int64 { return w.total }
