package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/allydesk/ally"
)

// caseQuery is a validated case list query: filters, order and keyset.
type caseQuery struct {
	user  int64 // the reader, for unreadExpr
	where []string
	args  []any
	match string    // the search, in the engine's query syntax; added last, by find()
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
	q := &caseQuery{user: u.ID, limit: f.Limit}
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

// find reads q's page (one more than its limit, for the cursor). A search
// is read in the form that is fastest for how many cases it finds and
// where they fall in the order (searchSQL): few matches are read through
// the full-text index and sorted; otherwise the first walkBudget cases of
// the order are checked one by one, and if they do not fill the page, the
// matches are read by id and sorted when they are clustered and not too
// many (clusteredSearch), or else read once from the full-text index while
// the order's index is walked against them. Each form selects the same
// cases in the same order, so cursors work across them.
func (q *caseQuery) find(ctx context.Context, tx *Tx) ([]sortedCase, error) {
	if q.match == "" {
		return q.read(ctx, tx)
	}
	s := tx.db.search()
	var n int
	if err := tx.queryRow(ctx, s.count, q.match, denseSearch+1).Scan(&n); err != nil {
		return nil, err
	}
	if n <= denseSearch {
		return q.and(s.match, q.match).read(ctx, tx)
	}
	conds, args := make([]string, len(q.terms)), make([]any, len(q.terms))
	for i, t := range q.terms {
		conds[i], args[i] = eachWord, "% "+t+"%"
	}
	each := strings.Replace(s.each, "%s", strings.Join(conds, " AND "), 1)
	if s.set == "" {
		return q.and(each, args...).read(ctx, tx)
	}
	rows, err := collect(ctx, tx, scanSorted, q.walkSQL(each), append(q.sqlArgs(), args...)...)
	if err != nil || len(rows) > q.limit {
		return rows, err
	}
	if q.sort == nil { // newest first is the order of the matches' ids
		return q.and(s.match, q.match).read(ctx, tx)
	}
	var blocks int // clustered matches (references AL-50…) are cheap to read by id and sort, in any order
	var ids string
	if err := tx.queryRow(ctx, s.blocks, q.match, clusteredSearch+1).Scan(&n, &blocks, &ids); err != nil {
		return nil, err
	}
	if n <= clusteredSearch && blocks*4 <= n {
		return q.readByKey(ctx, tx, s.ids, ids)
	}
	return q.and(s.set, q.match).read(ctx, tx)
}

// readByKey runs q with cond in two steps: the ids of its page, sorted by
// reading only their keys, then those cases (without cond, which they
// meet).
func (q *caseQuery) readByKey(ctx context.Context, tx *Tx, cond string, args ...any) ([]sortedCase, error) {
	_, order := q.order()
	k := q.and(cond, args...)
	ids, err := collect(ctx, tx, func(r scanner) (id any, err error) {
		var n int64
		return n, r.Scan(&n)
	}, fmt.Sprintf("SELECT c.id FROM cases c WHERE %s%s LIMIT %d", strings.Join(k.where, " AND "), order, q.limit+1),
		k.args...)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return q.and("c.id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", ids...).read(ctx, tx)
}

// walkSQL is q checking only the first walkBudget cases of its order with
// cond. SQLite reads them as a co-routine, in order, and the joins keep
// that order (a CROSS JOIN is never reordered), so the rows come in q's
// order without sorting them again.
func (q *caseQuery) walkSQL(cond string) string {
	key, order := q.order()
	walk := fmt.Sprintf("(SELECT c.id AS walked FROM cases c WHERE %s%s LIMIT %d) w CROSS JOIN cases c",
		strings.Join(q.where, " AND "), order, walkBudget)
	sel := strings.Replace(caseSelect, "FROM cases c", ", "+key+", "+unreadExpr+" FROM "+walk, 1)
	return fmt.Sprintf("%s WHERE c.id = w.walked AND %s LIMIT %d", sel, cond, q.limit+1)
}

// and is q with one more condition.
func (q *caseQuery) and(cond string, args ...any) *caseQuery {
	c := *q
	c.where = append(slices.Clip(q.where), cond)
	c.args = append(slices.Clip(q.args), args...)
	return &c
}

// order is q's sort key (the id when newest first) and ORDER BY clause.
func (q *caseQuery) order() (key, order string) {
	if q.sort == nil {
		return "c.id", " ORDER BY c.id DESC"
	}
	dir := ""
	if q.desc {
		dir = " DESC"
	}
	return q.sort.key, " ORDER BY " + q.sort.key + dir + ", c.id" + dir
}

// read runs q.
func (q *caseQuery) read(ctx context.Context, tx *Tx) ([]sortedCase, error) {
	text, args := q.sql()
	return collect(ctx, tx, scanSorted, text, args...)
}

// sql is the query and its arguments; its last columns are the sort key,
// which the cursor carries, and whether the case is unread.
func (q *caseQuery) sql() (string, []any) {
	key, order := q.order()
	sel := strings.Replace(caseSelect, "FROM cases c", ", "+key+", "+unreadExpr+" FROM cases c", 1)
	return fmt.Sprintf("%s WHERE %s%s LIMIT %d", sel, strings.Join(q.where, " AND "), order, q.limit+1), q.sqlArgs()
}

// sqlArgs are the arguments of q's select and conditions: unreadExpr's
// first, as in the text.
func (q *caseQuery) sqlArgs() []any { return append([]any{q.user, q.user}, q.args...) }

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

// scanSorted reads a row of caseQuery.read.
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
	if q.sort != nil {
		return ally.EncodeCursor('k', fmt.Sprintf("%s.%d.%d", q.sortName(), c.key, c.ID))
	}
	return ally.EncodeCursor('n', strconv.FormatInt(c.ID, 10))
}

func (q *caseQuery) sortName() string {
	if q.desc {
		return "-" + q.sort.name
	}
	return q.sort.name
}

func (q *caseQuery) after(cursor string) error {
	bad := ally.ErrBadCursor
	kind, s, ok := ally.DecodeCursor(cursor)
	if !ok {
		return bad
	}
	var key, id int64
	switch {
	case kind == 'n' && q.sort == nil:
		if _, err := fmt.Sscanf(s, "%d", &id); err != nil {
			return bad
		}
		q.add("c.id < ?", id)
	case kind == 'k' && q.sort != nil:
		name, rest, ok := strings.Cut(s, ".")
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
