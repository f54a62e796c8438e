package ally

import "strconv"

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
