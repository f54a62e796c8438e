// Package csvsafe writes CSV that a spreadsheet opens as plain text: every
// cell that a spreadsheet would read as a formula (one starting with =, +, -,
// @, a tab or a carriage return, after OWASP's CSV injection guidance) gets a
// leading apostrophe. Numbers are left alone. Every CSV export in Ally
// writes through it, so none can forget.
package csvsafe

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// Writer is a csv.Writer that neutralises every cell it writes.
type Writer struct {
	w    *csv.Writer
	cell []string
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one record, each cell passed through Cell.
func (w *Writer) Write(record []string) error {
	w.cell = w.cell[:0]
	for _, s := range record {
		w.cell = append(w.cell, Cell(s))
	}
	return w.w.Write(w.cell)
}

// Flush writes any buffered data to the underlying writer.
func (w *Writer) Flush() { w.w.Flush() }

// Error reports any error from a previous Write or Flush.
func (w *Writer) Error() error { return w.w.Error() }

// Cell returns s as a spreadsheet will show it as text: with a leading
// apostrophe if it starts with a formula character and is not a number.
func Cell(s string) string {
	if s == "" || s == "-" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s // a lone "-" (meaning "none") is no formula
	}
	if (s[0] == '-' || s[0] == '+') && isNumber(s[1:]) {
		return s // -3.5 is a number, not a formula
	}
	return "'" + s
}

// isNumber reports whether s is a plain unsigned decimal number: digits and
// at most one point (no exponent, no Inf or NaN).
func isNumber(s string) bool {
	digits, points := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.':
			points++
		default:
			return false
		}
	}
	return digits > 0 && points <= 1
}

// Check returns an error naming the first cell of rows (as read back by
// encoding/csv) that a spreadsheet would take for a formula, or nil. Tests
// of every export call it on their output.
func Check(rows [][]string) error {
	for i, row := range rows {
		for j, c := range row {
			if c != "" && Cell(c) != c {
				return fmt.Errorf("row %d, cell %d starts a formula: %q", i+1, j+1, c)
			}
		}
	}
	return nil
}
