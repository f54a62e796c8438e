package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/allydesk/ally"
)

// caseQuery is a validated case list query: filters, order and keyset.
type caseQuery struct {
	where []string
	args  []any
	match string    // the search, in the engine's query syntax; added last, by search()
	terms []string  // its words
	sort  *caseSort // nil: newest first
	desc  bool
	limit int
}

// caseSort is a sortable column: its name in the API and the SQL of its
// key. Ties are broken by id, in the same direction.
type caseSort struct {
	name, key string
}

// sevRank orders severities (low 1 … critical 4); the indexes of migration
// 0009 are built on this very expression.
const sevRank = `(CASE c.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)`

// caseSorts are the orders of the case list (docs/api.md).
var caseSorts = map[string]*caseSort{
	"priority": {"priority", "c.priority"},
	"due":      {"due", "c.due_at"},
	"created":  {"created", "c.reported_at"},
	"updated":  {"updated", "c.updated_at"},
	"severity": {"severity", sevRank},
}

func (db *DB) caseQuery(u *ally.User, f ally.CaseFilter) (*caseQuery, error) {
	q := &caseQuery{limit: f.Limit, args: []any{u.ID, u.ID}} // unreadExpr's, first in the text
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
	if f.Open { // a constant, so that the engines use the partial indexes on open cases
		q.add(fmt.Sprintf("c.priority < %d", ally.OpenPriorityLimit))
	}
	if f.Unread {
		q.add(unreadExpr, u.ID, u.ID)
	}
	if err := db.searchFilter(q, f.Query); err != nil {
		return nil, err
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
	if f.Sort != "" && f.Sort != "newest" {
		name, desc := strings.CutPrefix(f.Sort, "-")
		if q.sort = caseSorts[name]; q.sort == nil {
			return nil, ally.Errorf(ally.EINVALID, "sort: %q is not an order; use priority, due, created, updated "+
				"or severity, with - in front for the reverse order (-due).", f.Sort)
		}
		q.desc = desc
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

// searchFilter limits q to the cases a search finds: the case itself for a
// reference, otherwise those whose words start with every word searched.
func (db *DB) searchFilter(q *caseQuery, text string) error {
	terms, err := searchTerms(text)
	if err != nil || len(terms) == 0 {
		return err
	}
	if id, err := ally.ParseCaseRef(strings.TrimSpace(text)); err == nil {
		q.add("c.id = ?", id)
		return nil
	}
	q.match, q.terms = db.search().query(terms), terms
	return nil
}

// search adds the search to q's filters, in the form that is fastest for
// how many cases it finds (searchSQL.each).
func (q *caseQuery) search(ctx context.Context, tx *Tx) error {
	if q.match == "" {
		return nil
	}
	s := tx.db.search()
	var n int
	if err := tx.queryRow(ctx, s.count, q.match, denseSearch+1).Scan(&n); err != nil {
		return err
	}
	if n <= denseSearch {
		q.add(s.match, q.match)
		return nil
	}
	conds, args := make([]string, len(q.terms)), make([]any, len(q.terms))
	for i, t := range q.terms {
		conds[i], args[i] = eachWord, "% "+t+"%"
	}
	q.add(strings.Replace(s.each, "%s", strings.Join(conds, " AND "), 1), args...)
	return nil
}

// sql is the query; its last column is the sort key (the id when newest
// first), which the cursor carries.
func (q *caseQuery) sql() string {
	key, order := "c.id", " ORDER BY c.id DESC"
	if q.sort != nil {
		dir := ""
		if q.desc {
			dir = " DESC"
		}
		key, order = q.sort.key, " ORDER BY "+q.sort.key+dir+", c.id"+dir
	}
	sel := strings.Replace(caseSelect, "FROM cases c", ", "+key+", "+unreadExpr+" FROM cases c", 1)
	return fmt.Sprintf("%s WHERE %s%s LIMIT %d", sel, strings.Join(q.where, " AND "), order, q.limit+1)
}

// unreadExpr is true when a case has news for the user whose id is its two
// arguments: for its reporter, a reply since they last read it; for anyone
// else, a message from the reporter since they last opened it.
const unreadExpr = `COALESCE(CASE WHEN c.reporter_id = ? THEN c.replied_at ELSE c.reporter_wrote_at END >
	COALESCE((SELECT cr.read_at FROM case_reads cr WHERE cr.case_id = c.id AND cr.user_id = ?), 0), FALSE)`

// sortedCase is a listed case with its sort key.
type sortedCase struct {
	*ally.Case
	key int64
}

// scanSorted reads a row of q.sql().
func scanSorted(row scanner) (sortedCase, error) {
	var s sortedCase
	var err error
	var unread bool
	s.Case, err = scanCase(moreScanner{row, []any{&s.key, &unread}})
	if err == nil {
		s.Unread = unread
	}
	return s, err
}

// moreScanner scans more columns after the case's.
type moreScanner struct {
	scanner
	more []any
}

func (m moreScanner) Scan(dest ...any) error { return m.scanner.Scan(append(dest, m.more...)...) }

// Cursors are opaque to clients: "n<id>" after a newest-first page,
// "k<sort>.<key>.<id>" after a sorted one ("-" in front of the sort when
// descending).
func (q *caseQuery) cursorAfter(c sortedCase) string {
	s := fmt.Sprintf("n%d", c.ID)
	if q.sort != nil {
		s = fmt.Sprintf("k%s.%d.%d", q.sortName(), c.key, c.ID)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func (q *caseQuery) sortName() string {
	if q.desc {
		return "-" + q.sort.name
	}
	return q.sort.name
}

func (q *caseQuery) after(cursor string) error {
	bad := ally.Errorf(ally.EINVALID, "cursor: is not a cursor from a previous page of this list.")
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(b) < 2 {
		return bad
	}
	var key, id int64
	switch {
	case b[0] == 'n' && q.sort == nil:
		if _, err := fmt.Sscanf(string(b[1:]), "%d", &id); err != nil {
			return bad
		}
		q.add("c.id < ?", id)
	case b[0] == 'k' && q.sort != nil:
		name, rest, ok := strings.Cut(string(b[1:]), ".")
		if !ok || name != q.sortName() {
			return bad
		}
		if n, err := fmt.Sscanf(rest, "%d.%d", &key, &id); err != nil || n != 2 {
			return bad
		}
		op := ">"
		if q.desc {
			op = "<"
		}
		q.add("("+q.sort.key+", c.id) "+op+" (?, ?)", key, id)
	default:
		return bad
	}
	return nil
}
