package web

import (
	"net/http"
	"strconv"

	"github.com/allydesk/ally"
)

// beforeCursor reads the cursor of a newest-first list keyed by id.
func beforeCursor(r *http.Request) (int64, error) { return beforeParam(r, "cursor") }

// beforeCursorOr reads the cursor, or, when there is none, the parameter
// old: the name links and scripts made before the lists shared "cursor" use.
func beforeCursorOr(r *http.Request, old string) (int64, error) {
	before, err := beforeCursor(r)
	if err == nil && before == 0 {
		before, err = beforeParam(r, old)
	}
	return before, err
}

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

// listLimit reads a list's page size from ?limit=: def when it is absent,
// else a whole number from 1 to ally.MaxLimit. Every list that takes a
// limit reads it here, so all of them refuse a bad one alike.
func listLimit(r *http.Request, def int) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > ally.MaxLimit {
		return 0, fieldError("limit", "must be a whole number from 1 to %d.", ally.MaxLimit)
	}
	return n, nil
}

// writeList writes a whole short list (a case's files or tasks, the
// playbooks, the departments…) as the one and last page of an ally.Page, so
// that every list has the same shape; next_cursor is null.
func writeList[T any](w http.ResponseWriter, items []T) {
	writeJSON(w, http.StatusOK, ally.NewPage[T](items, 0, nil))
}

// idPage reads the cursor and limit of a newest-first list keyed by id,
// loads limit+1 items with find and writes the page (see ally.NewPage).
func idPage[T any](w http.ResponseWriter, r *http.Request,
	find func(before int64, n int) ([]T, error), id func(T) int64) error {
	before, err := beforeCursor(r)
	if err != nil {
		return err
	}
	limit, err := listLimit(r, ally.DefaultLimit)
	if err != nil {
		return err
	}
	items, err := find(before, limit+1)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ally.NewPage(items, limit, ally.IDCursor(id)))
	return nil
}
