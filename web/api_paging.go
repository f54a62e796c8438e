package web

import (
	"net/http"
	"strconv"

	"github.com/allydesk/ally"
)

// beforeCursor reads the cursor of a newest-first list keyed by id.
func beforeCursor(r *http.Request) (int64, error) { return beforeParam(r, "cursor") }

// beforeParam reads the newest-first cursor in the query parameter name.
func beforeParam(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, fieldError(name, "is not a cursor from a previous page.")
	}
	return n, nil
}

// writeList writes a whole short list (a case's files or tasks, the
// playbooks, the departments…) as the one and last page of an ally.Page, so
// that every list has the same shape; next_cursor is null.
func writeList[T any](w http.ResponseWriter, items []T) {
	writeJSON(w, http.StatusOK, ally.NewPage[T](items, 0, nil))
}

// writeIDPage writes a page of a newest-first list keyed by id, read with
// ally.DefaultLimit+1 items (see ally.NewPage).
func writeIDPage[T any](w http.ResponseWriter, items []T, id func(T) int64) {
	writeJSON(w, http.StatusOK, ally.NewPage(items, ally.DefaultLimit, ally.IDCursor(id)))
}
