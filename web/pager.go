package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Paged lists go on by opaque cursors (?cursor=) and remember the way back
// in the page's address: back= is repeated once for each earlier page, the
// oldest first, holding that page's cursor ("" for the first page). So the
// way back needs no state on the server and no change to the cursors, and
// an older link without back= still opens (it offers "First page" only).
const (
	backParam = "back"
	// maxBack bounds the pages remembered: past it the oldest are dropped,
	// and once they are used up "Previous" gives way to "First page".
	maxBack = 30
)

// pagerWords name a list's links: to its first page, to the page before,
// and to the next one.
type pagerWords struct{ First, Prev, Next string }

// The words of the paged lists.
var (
	pageWords     = pagerWords{"First page", "Previous page", "Next page"}
	lessonWords   = pagerWords{"Newest lessons", "Newer lessons", "Older lessons"}
	replyWords    = pagerWords{"Newest replies", "Newer replies", "Older replies"}
	deliveryWords = pagerWords{"Newest deliveries", "Newer deliveries", "Older deliveries"}
)

// pager is a paged list's way around: the addresses of its first page and
// of the page before (both "" on the first page, Prev also when the way
// back is not known) and of the next page ("" on the last).
type pager struct {
	First, Prev, Next string
	Words             pagerWords
}

// newPager makes the links of the list at path, shown as r asks, whose
// next page starts at cursor next ("" when this is the last page). The
// list's other query parameters (filters, sort) are kept; a confirmation
// (done=) is not.
func newPager(r *http.Request, path, next string, words pagerWords) pager {
	q := r.URL.Query()
	cur := q.Get("cursor")
	if cur == "" {
		cur = q.Get("before") // the older name of the cursor on some lists
	}
	trail := q[backParam]
	if len(trail) > maxBack {
		trail = trail[len(trail)-maxBack:]
	}
	keep := url.Values{}
	for k, v := range q {
		switch k {
		case "cursor", "before", backParam, "done", "part":
		default:
			keep[k] = v
		}
	}
	href := func(cursor string, trail []string) string {
		parts := []string{}
		if s := keep.Encode(); s != "" {
			parts = append(parts, s)
		}
		if cursor != "" {
			parts = append(parts, "cursor="+url.QueryEscape(cursor))
			for _, c := range trail {
				parts = append(parts, backParam+"="+url.QueryEscape(c))
			}
		}
		if len(parts) == 0 {
			return path
		}
		return path + "?" + strings.Join(parts, "&")
	}
	p := pager{Words: words}
	if next != "" {
		more := slices.Clone(trail) // trail is the query's own
		if len(more) == maxBack {
			more = more[1:]
		}
		p.Next = href(next, append(more, cur))
	}
	if cur != "" {
		p.First = href("", nil)
		if n := len(trail); n > 0 {
			p.Prev = href(trail[n-1], trail[:n-1])
		}
	}
	return p
}

// cursorOf is the cursor a store's page gives for the next one ("" for none).
func cursorOf(next *string) string {
	if next == nil {
		return ""
	}
	return *next
}

// idTrail is the way back of a list keyed by id, as sent back by a form,
// for the list's address ("&back=…&back=…"): only the first page ("") and
// ids are kept, at most maxBack of them.
func idTrail(trail []string) string {
	var b strings.Builder
	for _, c := range trail[max(0, len(trail)-maxBack):] {
		if n, err := strconv.ParseInt(c, 10, 64); c == "" || (err == nil && n > 0) {
			b.WriteString("&" + backParam + "=" + c)
		}
	}
	return b.String()
}
