package ally

import (
	"encoding/base64"
	"strconv"
)

// Page is one page of a list, the shape of every list Ally answers: its
// items and the opaque cursor of the next page, nil on the last.
type Page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// NewPage makes a page of a list read the one way every list is read: with
// one item more than limit. When that extra item is there it is dropped,
// and cursor of the last item kept names the next page; otherwise this is
// the last page. Items are never nil, so a page always has a list.
func NewPage[T any](items []T, limit int, cursor func(T) string) *Page[T] {
	p := &Page[T]{Items: items}
	if p.Items == nil {
		p.Items = []T{}
	}
	if limit > 0 && len(items) > limit {
		p.Items = items[:limit]
		c := cursor(p.Items[limit-1])
		p.NextCursor = &c
	}
	return p
}

// IDCursor returns the cursor function of a list keyed by id: the id in
// decimal.
func IDCursor[T any](id func(T) int64) func(T) string {
	return func(v T) string { return strconv.FormatInt(id(v), 10) }
}

// ErrBadCursor answers a cursor that no page of the list gave out: one
// mistyped, cut short, or taken from another list or order.
var ErrBadCursor = Errorf(EINVALID, "cursor: is not a cursor from a previous page of this list.")

// EncodeCursor makes an opaque cursor: kind, a letter saying which list or
// order it belongs to, and key, the position after which the next page
// starts, in unpadded base64url (safe in a URL as it is).
func EncodeCursor(kind byte, key string) string {
	return base64.RawURLEncoding.EncodeToString(append([]byte{kind}, key...))
}

// DecodeCursor reads a cursor made by EncodeCursor; ok is false for
// anything else, or one with an empty key.
func DecodeCursor(cursor string) (kind byte, key string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(b) < 2 {
		return 0, "", false
	}
	return b[0], string(b[1:]), true
}
