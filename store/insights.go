package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/insight"
	"github.com/allydesk/ally/mailscan"
)

// Insights implements ally.InsightService. Times of day, weekdays and
// quarters are in the organisation's time zone (Options.Location); end of
// quarter means the last 14 days of a calendar quarter.
func (db *DB) Insights(ctx context.Context, from, to time.Time) (_ *ally.Insights, err error) {
	defer wrap(&err, "insights")
	if _, err := ally.Allowed(ctx, ally.CanReadMetrics, "Only leads and admins can see training insights."); err != nil {
		return nil, err
	}
	from, to, err = ally.InsightsPeriod(from, to, db.opts.Now())
	if err != nil {
		return nil, err
	}
	in := &ally.Insights{From: from.UTC(), To: to.UTC(), TimeZone: db.location().String()}
	t := insight.NewTally(db.location())
	err = db.withRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT c.kind, c.department, c.occurred_at, c.reported_at, c.answers FROM cases c
			WHERE c.reported_at >= ? AND c.reported_at < ?`, millis(from), millis(to))
		if err != nil {
			return err
		}
		for rows.Next() {
			var kind, dept, answers string
			var occurred sql.NullInt64
			var reported int64
			if err := rows.Scan(&kind, &dept, &occurred, &reported, &answers); err != nil {
				rows.Close()
				return err
			}
			t.AddCase(kind, dept, fromNullMillis(occurred), fromMillis(reported), answers)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.lures(ctx, from, to, t)
	})
	if err != nil {
		return nil, err
	}
	t.Fill(in)
	return in, nil
}

// lures counts the persuasion cues of emails reported in the period, once
// per email and category.
func (tx *Tx) lures(ctx context.Context, from, to time.Time, t *insight.Tally) error {
	rows, err := tx.query(ctx, `SELECT a.analysis FROM attachments a JOIN cases c ON c.id = a.case_id
		WHERE c.reported_at >= ? AND c.reported_at < ? AND a.analysis IS NOT NULL`, millis(from), millis(to))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return err
		}
		var r mailscan.Report
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			return err
		}
		categories := make([]string, len(r.Lures))
		for i, l := range r.Lures {
			categories[i] = l.Category
		}
		t.AddEmail(categories)
	}
	return rows.Err()
}
