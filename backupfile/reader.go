package backupfile

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Reader reads a backup written by Writer, checking its structure as it
// goes: a cut-off or altered backup is an error, never a short restore.
type Reader struct {
	gz     *gzip.Reader
	dec    *json.Decoder
	header Header
	table  *Table
	rows   int64 // in the current table
	tables int
	total  int64
	done   bool
	record int // records read, for messages
}

// NewReader reads and checks the header of the backup in r.
func NewReader(r io.Reader) (*Reader, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, errors.New("this is not an Ally backup (it is not gzip-compressed)")
	}
	br := &Reader{gz: gz, dec: json.NewDecoder(gz)}
	br.dec.UseNumber()
	raw, err := br.next()
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &br.header); err != nil || br.header.Format != Format {
		return nil, errors.New("this is not an Ally backup (its first record is not an Ally backup header)")
	}
	if br.header.Version != Version {
		return nil, fmt.Errorf("this backup is in format version %d; this build of ally reads version %d",
			br.header.Version, Version)
	}
	return br, nil
}

// Header is the backup's header.
func (r *Reader) Header() Header { return r.header }

func (r *Reader) next() (json.RawMessage, error) {
	var raw json.RawMessage
	if err := r.dec.Decode(&raw); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, r.errorf("the backup ends early (it was cut off, or is still being written)")
		}
		return nil, r.errorf("the backup is damaged: %v", err)
	}
	r.record++
	return raw, nil
}

func (r *Reader) errorf(format string, args ...any) error {
	return fmt.Errorf("record %d: %s", r.record+1, fmt.Sprintf(format, args...))
}

// Next returns the next table, after checking that the previous one's rows
// were all read. At the end of a whole backup it returns io.EOF.
func (r *Reader) Next() (*Table, error) {
	if err := r.SkipTable(); err != nil { // the rest of the current table
		return nil, err
	}
	if r.done {
		return nil, io.EOF
	}
	raw, err := r.next()
	if err != nil {
		return nil, err
	}
	var rec struct {
		Table
		trailer
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, r.errorf("expected the start of a table or the end of the backup")
	}
	if rec.Trailer {
		return nil, r.finish(rec.trailer)
	}
	t := rec.Table
	if t.Name == "" || len(t.Columns) == 0 {
		return nil, r.errorf("expected the start of a table or the end of the backup")
	}
	r.table, r.rows = &t, 0
	r.tables++
	return &t, nil
}

func (r *Reader) finish(tr trailer) error {
	if tr.Tables != r.tables || tr.Rows != r.total {
		return r.errorf("the backup says it holds %d tables and %d rows, but %d and %d were read",
			tr.Tables, tr.Rows, r.tables, r.total)
	}
	// The rest of the stream holds gzip's checksum: read it, so that a
	// backup cut inside it, or altered, is refused too.
	if rest, err := io.ReadAll(io.MultiReader(r.dec.Buffered(), r.gz)); err != nil {
		return r.errorf("the backup is damaged: %v", err)
	} else if len(bytes.TrimSpace(rest)) > 0 {
		return r.errorf("there is data after the end of the backup")
	}
	r.done = true
	return io.EOF
}

// SkipTable reads past the rest of the current table's rows.
func (r *Reader) SkipTable() error {
	for {
		if _, err := r.Row(); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// Row returns the current table's next row, or io.EOF after its last.
// Values are nil, bool, int64, float64, string or []byte.
func (r *Reader) Row() ([]any, error) {
	if r.table == nil {
		return nil, io.EOF
	}
	raw, err := r.next()
	if err != nil {
		return nil, err
	}
	if len(raw) > 0 && raw[0] == '{' {
		var end tableEnd
		if err := json.Unmarshal(raw, &end); err != nil || end.End != r.table.Name {
			return nil, r.errorf("expected a row or the end of table %s", r.table.Name)
		}
		if end.Rows != r.rows {
			return nil, r.errorf("table %s should have %d rows but has %d", r.table.Name, end.Rows, r.rows)
		}
		r.table = nil
		return nil, io.EOF
	}
	var cells []json.RawMessage
	if err := json.Unmarshal(raw, &cells); err != nil {
		return nil, r.errorf("table %s: a row must be a list of values", r.table.Name)
	}
	if len(cells) != len(r.table.Columns) {
		return nil, r.errorf("table %s: a row of %d values for %d columns", r.table.Name, len(cells), len(r.table.Columns))
	}
	row := make([]any, len(cells))
	for i, c := range cells {
		if row[i], err = value(c); err != nil {
			return nil, r.errorf("table %s column %s: %v", r.table.Name, r.table.Columns[i], err)
		}
	}
	r.rows++
	r.total++
	return row, nil
}

// value decodes one cell.
func value(c json.RawMessage) (any, error) {
	c = bytes.TrimSpace(c)
	if len(c) == 0 {
		return nil, errors.New("an empty value")
	}
	switch c[0] {
	case 'n':
		return nil, nil
	case 't', 'f':
		var b bool
		err := json.Unmarshal(c, &b)
		return b, err
	case '"':
		var s string
		err := json.Unmarshal(c, &s)
		return s, err
	case '{':
		var o struct {
			B *[]byte  `json:"b"`
			F *float64 `json:"f"`
		}
		if err := json.Unmarshal(c, &o); err != nil || (o.B == nil) == (o.F == nil) {
			return nil, errors.New(`an object value must be {"b": base64} or {"f": number}`)
		}
		if o.B != nil {
			return *o.B, nil
		}
		return *o.F, nil
	}
	n, err := strconv.ParseInt(string(c), 10, 64)
	if err != nil {
		return nil, errors.New("a number must be a whole number (fractions are written as {\"f\": …})")
	}
	return n, nil
}

// Check reads a whole backup, checking its structure and every row, and
// returns its header.
func Check(r io.Reader) (Header, error) {
	br, err := NewReader(r)
	if err != nil {
		return Header{}, err
	}
	for {
		if _, err := br.Next(); errors.Is(err, io.EOF) {
			return br.Header(), nil
		} else if err != nil {
			return Header{}, err
		}
	}
}
