package store

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"github.com/allydesk/ally"
)

// FuzzSearchTerms checks that whatever is typed in the search box becomes
// only words of letters and digits (never query syntax for either engine)
// or a clear refusal.
func FuzzSearchTerms(f *testing.F) {
	for _, s := range []string{"invoice", `"a" OR b*`, "AL-1042", "x:* & !y", "請求書 zürich", strings.Repeat("a ", 9)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		terms, err := searchTerms(q)
		if err != nil {
			if len(q) <= maxSearchLen && len(strings.Fields(searchWords(q))) <= maxSearchWords {
				t.Fatalf("%q refused: %v", q, err)
			}
			return
		}
		for _, w := range terms {
			if w == "" || strings.IndexFunc(w, notWordRune) >= 0 || strings.ToLower(w) != w {
				t.Fatalf("%q: term %q is not a lower-case word", q, w)
			}
			for _, r := range w {
				if unicode.IsSpace(r) {
					t.Fatalf("%q: term %q has a space", q, w)
				}
			}
		}
	})
}

// FuzzCaseCursor feeds cursors from the query string to every order:
// a cursor is either refused with a clear EINVALID or becomes a keyset
// condition with exactly its two (or one) numbers, never anything else.
func FuzzCaseCursor(f *testing.F) {
	for _, s := range []string{"bjEw", "a3ByaW9yaXR5LjEuMg", "a2R1ZS45MDAwMDAwMDAwMDAwMDAwLjU", "!!", "", "a3guMS4y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cursor string) {
		for _, sort := range []string{"", "priority", "-due", "severity"} {
			q := &caseQuery{}
			if name, desc := strings.CutPrefix(sort, "-"); name != "" {
				q.sort, q.desc = caseSorts[name], desc
			}
			err := q.after(cursor)
			if err != nil {
				if ally.ErrorCode(err) != ally.EINVALID {
					t.Fatalf("%q: %v", cursor, err)
				}
				continue
			}
			if len(q.where) != 1 || (len(q.args) != 1 && len(q.args) != 2) {
				t.Fatalf("%q on %q: %v %v", cursor, sort, q.where, q.args)
			}
		}
	})
}

// TestFillQueue: migration 0009's fill gives cases that existed before it
// their search words, next deadline and last messages.
func TestFillQueue(t *testing.T) {
	db, op := openMigrated(t), ally.NewOperatorContext(context.Background())
	u, err := db.CreateUser(op, &ally.NewUser{Email: "al@example.org", Name: "Al Reporter", Role: ally.RoleReporter,
		Department: "Sales", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	as := ally.NewContextWithUser(context.Background(), u)
	c, err := db.CreateCase(as, &ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "Odd invoice"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddMessage(as, c.Ref, ally.NewMessage{Body: "It mentioned a courier."}); err != nil {
		t.Fatal(err)
	}
	err = db.withTx(op, func(tx *Tx) error { // as before the migration
		if _, err := tx.exec(op, "DELETE FROM case_words"); err != nil {
			return err
		}
		_, err := tx.exec(op, "UPDATE cases SET due_at = ?, reporter_wrote_at = NULL", noDue)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	search := func() int {
		p, err := db.FindCases(as, ally.CaseFilter{Query: "courier invoice", Sort: "due"})
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Items)
	}
	if search() != 0 {
		t.Fatal("the index was not emptied")
	}
	if err := db.withTx(op, func(tx *Tx) error { return tx.fillQueue(op) }); err != nil {
		t.Fatal(err)
	}
	var due int64
	var wrote *int64
	if err := db.write.QueryRow("SELECT due_at, reporter_wrote_at FROM cases WHERE id = ?", c.ID).Scan(&due,
		&wrote); err != nil {
		t.Fatal(err)
	}
	if search() != 1 || due == noDue || due != db.dueAt(c) || wrote == nil {
		t.Errorf("after the fill: found %d, due %d (want %d), reporter wrote %v", search(), due, db.dueAt(c), wrote)
	}
}
