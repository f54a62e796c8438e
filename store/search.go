package store

import (
	"context"
	"database/sql"
	"strings"
	"unicode"

	"github.com/allydesk/ally"
)

// Search limits: a query is a few words, not a document.
const (
	maxSearchLen   = 200
	maxSearchWords = 8
)

// searchWords splits text into the words the search index holds: runs of
// letters and digits, lower-cased, separated by one space. Both engines are
// given these words, so SQLite's FTS5 and PostgreSQL's 'simple' parser see
// the same tokens and find the same cases.
func searchWords(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		for _, w := range strings.FieldsFunc(p, notWordRune) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strings.ToLower(w))
		}
	}
	return b.String()
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// searchTerms reads a search box: its words (each must match the start of a
// word of the case) or EINVALID when it is too long. An empty result means
// no search.
func searchTerms(q string) ([]string, error) {
	if len(q) > maxSearchLen {
		return nil, ally.Errorf(ally.EINVALID, "q: is longer than %d characters; search with a few words.",
			maxSearchLen)
	}
	words := strings.Fields(searchWords(q))
	if len(words) > maxSearchWords {
		return nil, ally.Errorf(ally.EINVALID, "q: has more than %d words; search with fewer.", maxSearchWords)
	}
	return words, nil
}

// searchSQL is the dialect's text for the search index (the only queries
// that differ between the engines, because full-text search does).
type searchSQL struct {
	insert, appendWords, match string // insert is the head of a multi-row INSERT: "… VALUES "
	query                      func(terms []string) string
	// each (with %s for the words' checks) tests the case's search
	// document (alias w) for a search that
	// finds many cases: the order's index is read in order and the first
	// pageful that matches is kept, instead of sorting every match. It
	// reads the stored words by key (no full-text query per case): "some
	// word starts with the term" is a LIKE over the words (eachWord),
	// which are lower-case letters and digits separated by spaces, exactly
	// as both engines tokenise them. count counts matches up to a limit.
	each, count string
	// set tests each case of the order's index against the matches, read
	// once from the full-text index into a lookup (caseQuery.find): for a
	// search whose first walkBudget cases in the order hold too few
	// matches, e.g. words of old cases that sort last. It costs an insert
	// per match and a probe per case walked (no document read, no table
	// read until a case matches), where each reads a document per case.
	// Empty: the engine walks with each only. blocks counts matches up to
	// a limit and the runs of 32 ids they fall in, and lists their ids (a
	// JSON array), which ids (one argument) then selects without reading
	// the full-text index again.
	set, blocks, ids string
}

// eachWord is the per-case check of one searched word (searchSQL.each).
const eachWord = "' ' || w.words LIKE ?"

// denseSearch is how many matches make a search "dense" (store/casequery.go):
// beyond it, walking the order's index and checking each case is faster
// than sorting every match.
var denseSearch = 2000 // a variable only so that tests can take every path

// walkBudget is how many cases of the order a dense search checks one by
// one (searchSQL.each) before it reads its matches as a set instead.
var walkBudget = 1000 // a variable only so that tests can take every path

// clusteredSearch is how many matches a search may have and still be read
// by id and sorted after walkBudget cases did not fill its page, when its
// matches are clustered (at least 4 to a run of 32 ids, so reading them by
// id reads few pages): that costs the same in every order, where walking
// the order costs a step per case up to the matches.
var clusteredSearch = 15000 // a variable only so that tests can take every path

var (
	sqliteSearch = searchSQL{
		insert:      "INSERT INTO case_words (rowid, words) VALUES ",
		appendWords: "UPDATE case_words SET words = words || ' ' || ? WHERE rowid = ?",
		match:       "c.id IN (SELECT rowid FROM case_words WHERE case_words MATCH ?)",
		query: func(terms []string) string { // every word, as a prefix: "phish"* "invoice"*
			return `"` + strings.Join(terms, `"* "`) + `"*`
		},
		each:  "EXISTS (SELECT 1 FROM case_words w WHERE w.rowid = c.id AND %s)",
		count: "SELECT count(*) FROM (SELECT rowid FROM case_words WHERE case_words MATCH ? LIMIT ?)",
		// "+" keeps SQLite from reading the cases by the matches' ids and
		// sorting them: it walks the order's index, probing the list.
		set: "+c.id IN (SELECT rowid FROM case_words WHERE case_words MATCH ?)",
		blocks: "SELECT count(*), count(DISTINCT rowid / 32), json_group_array(rowid) FROM (SELECT rowid " +
			"FROM case_words WHERE case_words MATCH ? LIMIT ?)",
		ids: "c.id IN (SELECT value FROM json_each(?))",
	}
	postgresSearch = searchSQL{
		insert:      "INSERT INTO case_words (case_id, words) VALUES ",
		appendWords: "UPDATE case_words SET words = words || ' ' || ? WHERE case_id = ?",
		// ARRAY(…) is read once through the GIN index: as a plain IN the
		// planner may walk the order's index and parse every case's words.
		match: "c.id = ANY (ARRAY(SELECT case_id FROM case_words WHERE to_tsvector('simple', words) @@ " +
			"to_tsquery('simple', ?)))",
		// a scalar subquery, so that it is checked case by case (an EXISTS
		// becomes a join that reads every document)
		each: "COALESCE((SELECT %s FROM case_words w WHERE w.case_id = c.id), FALSE)",
		count: "SELECT count(*) FROM (SELECT case_id FROM case_words WHERE to_tsvector('simple', words) @@ " +
			"to_tsquery('simple', ?) LIMIT ?) x",
		query: func(terms []string) string { // phish:* & invoice:* (terms are letters and digits only)
			return strings.Join(terms, ":* & ") + ":*"
		},
	}
)

func (db *DB) search() searchSQL {
	if db.postgres {
		return postgresSearch
	}
	return sqliteSearch
}

// caseWords is the searchable text of a new case: its reference, reporter,
// title and report.
func caseWords(c *ally.Case) string {
	return searchWords(c.Ref, c.Reporter.Name, c.Reporter.Email, c.Summary, c.Details)
}

// indexCase adds a new case to the search index.
func (tx *Tx) indexCase(ctx context.Context, c *ally.Case) error {
	_, err := tx.exec(ctx, tx.db.search().insert+"(?, ?)", c.ID, caseWords(c))
	return err
}

// indexMessage adds the words of a message the reporter can see to its
// case's search document.
func (tx *Tx) indexMessage(ctx context.Context, caseID int64, body string) error {
	words := searchWords(body)
	if words == "" {
		return nil
	}
	_, err := tx.exec(ctx, tx.db.search().appendWords, words, caseID)
	return err
}

// reindexCase rebuilds case id's search document from what the case holds
// now, after erasure or retention took words out of it, or a restore
// loaded its rows. It reads only columns every schema since the first has.
func (tx *Tx) reindexCase(ctx context.Context, id int64) error {
	key := "rowid"
	if tx.db.postgres {
		key = "case_id"
	}
	if _, err := tx.exec(ctx, "DELETE FROM case_words WHERE "+key+" = ?", id); err != nil {
		return err
	}
	c := &ally.Case{ID: id, Ref: ally.CaseRef(id)}
	if err := tx.queryRow(ctx, `SELECT r.name, r.email, c.summary, c.details FROM cases c
		JOIN users r ON r.id = c.reporter_id WHERE c.id = ?`, id).Scan(&c.Reporter.Name, &c.Reporter.Email,
		&c.Summary, &c.Details); err != nil {
		return err
	}
	if err := tx.indexCase(ctx, c); err != nil {
		return err
	}
	bodies, err := collect(ctx, tx, scanStrings(1), "SELECT body FROM entries WHERE case_id = ? AND NOT internal "+
		"ORDER BY id", id)
	for _, b := range bodies {
		if err == nil {
			err = tx.indexMessage(ctx, id, b[0])
		}
	}
	return err
}

// reindexAll rebuilds every case's search document.
func (tx *Tx) reindexAll(ctx context.Context) error {
	ids, err := collect(ctx, tx, func(r scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, "SELECT id FROM cases ORDER BY id")
	for _, id := range ids {
		if err == nil {
			err = tx.reindexCase(ctx, id)
		}
	}
	return err
}

// fillBatch is how many cases fillQueue reads at a time.
const fillBatch = 1000

// fillQueue fills migration 0009's columns and search index for the cases
// that existed before it: next deadline, last messages and search words.
func (tx *Tx) fillQueue(ctx context.Context) error {
	for after := int64(0); ; {
		cases, err := collect(ctx, tx, scanCase, caseSelect+" WHERE c.id > ? ORDER BY c.id LIMIT ?", after, fillBatch)
		if err != nil || len(cases) == 0 {
			return err
		}
		byID := map[int64]*ImportCase{}
		for _, c := range cases {
			byID[c.ID] = &ImportCase{Case: *c}
		}
		after = cases[len(cases)-1].ID
		rows, err := tx.query(ctx, `SELECT case_id, type, author_id, body, internal, created_at FROM entries
			WHERE case_id > ? AND case_id <= ? ORDER BY id`, cases[0].ID-1, after)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e ally.Entry
			var author sql.NullInt64
			var at int64
			if err := rows.Scan(&e.CaseID, &e.Type, &author, &e.Body, &e.Internal, &at); err != nil {
				rows.Close()
				return err
			}
			e.CreatedAt = fromMillis(at)
			ic := byID[e.CaseID]
			ic.Entries, ic.AuthorID = append(ic.Entries, e), append(ic.AuthorID, author.Int64)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, c := range cases {
			ic := byID[c.ID]
			wrote, replied := ic.lastMessages()
			if _, err := tx.exec(ctx, "UPDATE cases SET due_at = ?, reporter_wrote_at = ?, replied_at = ? WHERE id = ?",
				tx.db.dueAt(c), wrote, replied, c.ID); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, tx.db.search().insert+"(?, ?)", c.ID, ic.words()); err != nil {
				return err
			}
		}
	}
}
