package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/allydesk/ally"
)

// scrubPerson replaces target's address and full name, in any letter case,
// with the pseudonym in every text column of every table, whatever the
// schema holds; and their first name, as a word, in the messages and mail
// of the cases they reported ("Hi Alice,") and in the audit of those cases.
// theirs is the subquery of those cases' ids, taking target's id; refs are
// their references.
func (tx *Tx) scrubPerson(ctx context.Context, target *ally.User, name, email, theirs string, refs []any) error {
	words := []scrubWord{{target.Email, email}}
	if utf8.RuneCountInString(target.Name) >= 5 { // shorter names would match inside other words' text
		words = append(words, scrubWord{target.Name, name})
	}
	tables, err := tx.schemaTables(ctx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		for _, c := range t.columns {
			if t.virtual == "" && isText(c.typ) {
				if err := tx.scrub(ctx, t.name, c.name, "", nil, words); err != nil {
					return fmt.Errorf("scrub %s.%s: %w", t.name, c.name, err)
				}
			}
		}
	}
	first, _, _ := strings.Cut(strings.TrimSpace(target.Name), " ")
	if utf8.RuneCountInString(first) < 3 {
		return nil
	}
	own := []scrubWord{{first, name}}
	if err := tx.scrub(ctx, "entries", "body", " AND case_id IN "+theirs, []any{target.ID}, own); err != nil {
		return err
	}
	if err := tx.scrub(ctx, "outbox", "body", " AND case_id IN "+theirs, []any{target.ID}, own); err != nil {
		return err
	}
	if len(refs) == 0 {
		return nil
	}
	in := " AND target IN (" + params(len(refs)) + ")"
	return tx.scrub(ctx, "audit", "detail", in, refs, own)
}

type scrubWord struct{ find, with string }

func isText(typ string) bool {
	return strings.Contains(typ, "text") || strings.Contains(typ, "char")
}

// scrub rewrites column of table wherever it holds one of words (as a whole
// word, any letter case), in the rows that also match the extra condition.
func (tx *Tx) scrub(ctx context.Context, table, column, where string, args []any, words []scrubWord) error {
	var likes []string
	var res []*regexp.Regexp
	var likeArgs []any
	for _, w := range words {
		likes = append(likes, "lower("+column+") LIKE ? ESCAPE '\\'")
		likeArgs = append(likeArgs, "%"+escapeLike(strings.ToLower(w.find))+"%")
		res = append(res, wordPattern(w.find))
	}
	return tx.rewriteWhere(ctx, table, column, "("+strings.Join(likes, " OR ")+")"+where, append(likeArgs, args...),
		func(text string) string {
			for i, re := range res {
				text = re.ReplaceAllLiteralString(text, words[i].with)
			}
			return text
		})
}

// rewriteWhere passes column's value in every row of table matching where
// (with args) through change, and writes back the ones it changes. Rows are
// named by SQLite's rowid or PostgreSQL's ctid, so it works on any table.
func (tx *Tx) rewriteWhere(ctx context.Context, table, column, where string, args []any,
	change func(string) string) error {
	key, byKey := "rowid", "rowid = ?"
	if tx.db.postgres {
		key, byKey = "ctid::text", "ctid = ?::tid"
	}
	rows, err := collect(ctx, tx, scanStrings(2), "SELECT "+key+", "+column+" FROM "+table+" WHERE "+where, args...)
	if err != nil {
		return err
	}
	update := tx.db.rebind("UPDATE " + table + " SET " + column + " = ? WHERE " + byKey)
	for _, r := range rows {
		if v := change(r[1]); v != r[1] {
			if _, err := tx.Tx.ExecContext(ctx, update, v, r[0]); err != nil {
				return err
			}
		}
	}
	return nil
}

// wordPattern matches s in any letter case, as a whole word: not inside a
// longer word ("Alice" is not found in "Malice").
func wordPattern(s string) *regexp.Regexp {
	p := regexp.QuoteMeta(s)
	word := regexp.MustCompile(`^\w`)
	if word.MatchString(s) {
		p = `\b` + p
	}
	if r, _ := utf8.DecodeLastRuneInString(s); word.MatchString(string(r)) {
		p += `\b`
	}
	return regexp.MustCompile(`(?i)` + p)
}

// escapeLike escapes LIKE's wildcards (and the escape character) in s.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
