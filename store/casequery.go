package store

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/allydesk/ally"
)

// caseQuery is a validated case list query: filters, order and keyset.
type caseQuery struct {
	where    []string
	args     []any
	priority bool // order by priority, oldest first, instead of newest first
	limit    int
}

func (db *DB) caseQuery(u *ally.User, f ally.CaseFilter) (*caseQuery, error) {
	q := &caseQuery{limit: f.Limit}
	if q.limit <= 0 {
		q.limit = ally.DefaultLimit
	}
	if q.limit > ally.MaxLimit {
		q.limit = ally.MaxLimit
	}
	vis, args := visibility(u)
	q.add(vis, args...)
	if len(f.Status) > 0 {
		marks := make([]string, len(f.Status))
		for i, st := range f.Status {
			if !st.Valid() {
				return nil, ally.Errorf(ally.EINVALID,
					"status: %q is not a status; use new, acknowledged, investigating, contained, resolved, closed or open.", st)
			}
			marks[i] = "?"
			q.args = append(q.args, st)
		}
		q.where = append(q.where, "c.status IN ("+strings.Join(marks, ", ")+")")
	}
	if f.Open {
		q.add("c.priority < ?", ally.OpenPriorityLimit)
	}
	if f.Kind != "" {
		if !f.Kind.Valid() {
			return nil, ally.Errorf(ally.EINVALID, "kind: %q is not a kind.", f.Kind)
		}
		q.add("c.kind = ?", f.Kind)
	}
	if f.Severity != "" {
		if !f.Severity.Valid() {
			return nil, ally.Errorf(ally.EINVALID, "severity: %q is not a severity; use low, medium, high or critical.",
				f.Severity)
		}
		q.add("c.severity = ?", f.Severity)
	}
	switch {
	case f.Assignee == "":
	case f.Assignee == "none":
		q.add("c.assignee_id IS NULL")
	case f.Assignee == "me":
		q.add("c.assignee_id = ?", u.ID)
	case !ally.CanFilterByAssignee(u):
		return nil, ally.Errorf(ally.EINVALID,
			"assignee: only responders can list cases by someone's email; use me or none, or leave it out.")
	default: // an unknown email finds nothing, like a known one with no cases
		q.add("c.assignee_id = (SELECT id FROM users WHERE email = ?)", strings.ToLower(strings.TrimSpace(f.Assignee)))
	}
	switch f.Sort {
	case "", "newest":
	case "priority":
		q.priority = true
	default:
		return nil, ally.Errorf(ally.EINVALID, "sort: %q is not an order; use newest or priority.", f.Sort)
	}
	if f.Cursor != "" {
		if err := q.after(f.Cursor); err != nil {
			return nil, err
		}
	}
	return q, nil
}

func (q *caseQuery) add(cond string, args ...any) {
	q.where = append(q.where, cond)
	q.args = append(q.args, args...)
}

func (q *caseQuery) sql() string {
	order := " ORDER BY c.id DESC"
	if q.priority {
		order = " ORDER BY c.priority, c.id"
	}
	return fmt.Sprintf("%s WHERE %s%s LIMIT %d", caseSelect, strings.Join(q.where, " AND "), order, q.limit+1)
}

// Cursors are opaque to clients: "n<id>" after a newest-first page,
// "p<priority>.<id>" after a priority page.
func (q *caseQuery) cursorAfter(c *ally.Case) string {
	s := fmt.Sprintf("n%d", c.ID)
	if q.priority {
		s = fmt.Sprintf("p%d.%d", c.Priority(), c.ID)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func (q *caseQuery) after(cursor string) error {
	bad := ally.Errorf(ally.EINVALID, "cursor: is not a cursor from a previous page of this list.")
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(b) < 2 {
		return bad
	}
	var p, id int64
	switch {
	case b[0] == 'n' && !q.priority:
		if _, err := fmt.Sscanf(string(b[1:]), "%d", &id); err != nil {
			return bad
		}
		q.add("c.id < ?", id)
	case b[0] == 'p' && q.priority:
		if _, err := fmt.Sscanf(string(b[1:]), "%d.%d", &p, &id); err != nil {
			return bad
		}
		q.add("(c.priority > ? OR (c.priority = ? AND c.id > ?))", p, p, id)
	default:
		return bad
	}
	return nil
}
