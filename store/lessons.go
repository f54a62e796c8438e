package store

import (
	"context"
	"fmt"

	"github.com/allydesk/ally"
)

// thanks is what each contributing reporter is told in their own case.
const thanks = "Thank you. Your report helped us write a short lesson for everyone, called %q. Your name is not shared."

// PublishLesson implements ally.InsightService.
func (db *DB) PublishLesson(ctx context.Context, n ally.NewLesson) (_ *ally.Lesson, err error) {
	defer wrap(&err, "publish lesson")
	u, err := ally.Allowed(ctx, ally.CanPublishLessons, "Only leads and admins can publish lessons.")
	if err != nil {
		return nil, err
	}
	if err := n.Check(db.ToneEngine()); err != nil {
		return nil, err
	}
	l := &ally.Lesson{Title: n.Title, Body: n.Body, Author: u.Person()}
	err = db.withTx(ctx, func(tx *Tx) error {
		l.PublishedAt = tx.now
		var err error
		if l.ID, err = tx.insert(ctx, "INSERT INTO lessons (title, body, author_id, published_at) VALUES (?, ?, ?, ?)",
			l.Title, l.Body, u.ID, millis(tx.now)); err != nil {
			return err
		}
		seen := map[int64]bool{}
		for _, ref := range n.Cases {
			c, err := tx.visibleCase(ctx, ref)
			if err != nil {
				return ally.Errorf(ally.ENOTFOUND, "cases: no case %s was found.", ref)
			}
			if seen[c.ID] {
				continue
			}
			seen[c.ID] = true
			if _, err := tx.exec(ctx, "INSERT INTO lesson_cases (lesson_id, case_id) VALUES (?, ?)", l.ID, c.ID); err != nil {
				return err
			}
			if _, err := tx.addEntry(ctx, c.ID, ally.EntrySystem, 0, fmt.Sprintf(thanks, l.Title), false, nil); err != nil {
				return err
			}
		}
		l.Contributors = len(seen)
		return tx.audit(ctx, "lesson.publish", fmt.Sprint("lesson ", l.ID), l.Title)
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Lessons implements ally.InsightService.
func (db *DB) Lessons(ctx context.Context, before int64, limit int) (_ []*ally.Lesson, err error) {
	defer wrap(&err, "lessons")
	u, err := ally.Allowed(ctx, ally.CanReadLessons, "Your account is disabled.")
	if err != nil {
		return nil, err
	}
	var out []*ally.Lesson
	err = db.readOne(ctx, func(tx *Tx) error {
		var err error
		out, err = collect(ctx, tx, scanLesson, `SELECT l.id, l.title, l.body, l.published_at, a.email, a.name, a.department,
			(SELECT count(*) FROM lesson_cases lc WHERE lc.lesson_id = l.id),
			(SELECT count(*) FROM lesson_cases lc JOIN cases c ON c.id = lc.case_id
				WHERE lc.lesson_id = l.id AND c.reporter_id = ?)
			FROM lessons l JOIN users a ON a.id = l.author_id WHERE l.id < ? ORDER BY l.id DESC LIMIT ?`, u.ID,
			newestFirst(before), limit)
		return err
	})
	return out, err
}

func scanLesson(row scanner) (*ally.Lesson, error) {
	var l ally.Lesson
	var at int64
	var mine int
	if err := row.Scan(&l.ID, &l.Title, &l.Body, &at, &l.Author.Email, &l.Author.Name, &l.Author.Department,
		&l.Contributors, &mine); err != nil {
		return nil, err
	}
	l.PublishedAt, l.YouHelped = fromMillis(at), mine > 0
	return &l, nil
}
