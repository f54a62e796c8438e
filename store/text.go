package store

import (
	"database/sql"
	"strings"
	"unicode/utf8"
)

// textArgs makes every text argument safe to store on both databases: a NUL
// byte (which PostgreSQL refuses in text) and bytes that are not UTF-8 become
// U+FFFD, so SQLite and PostgreSQL store the same text and never fail on it.
// Byte slices pass untouched: an attachment's blob keeps its original bytes.
// Every query goes through here (Tx.exec, Tx.query, Tx.queryRow and the bulk
// writers), so no caller has to remember. The caller's slice is not changed.
func textArgs(args []any) []any {
	out := args
	for i, a := range args {
		var fixed any
		switch v := a.(type) {
		case string:
			if !cleanText(v) {
				fixed = safeText(v)
			}
		case *string:
			if v != nil && !cleanText(*v) {
				fixed = safeText(*v)
			}
		case sql.NullString:
			if v.Valid && !cleanText(v.String) {
				fixed = sql.NullString{String: safeText(v.String), Valid: true}
			}
		}
		if fixed != nil {
			if &out[0] == &args[0] {
				out = append([]any(nil), args...)
			}
			out[i] = fixed
		}
	}
	return out
}

// cleanText reports whether s can be stored as it is.
func cleanText(s string) bool {
	return strings.IndexByte(s, 0) < 0 && utf8.ValidString(s)
}

// safeText replaces NUL bytes and invalid UTF-8 with U+FFFD.
func safeText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}
