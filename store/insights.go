package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailscan"
	"github.com/allydesk/ally/stats"
)

// defaultInsightsPeriod is the period insights cover by default.
const defaultInsightsPeriod = 90 * 24 * time.Hour

// Insights implements ally.InsightService. Times of day, weekdays and
// quarters are in the organisation's time zone (Options.Location); end of
// quarter means the last 14 days of a calendar quarter.
func (db *DB) Insights(ctx context.Context, from, to time.Time) (*ally.Insights, error) {
	if u := ally.UserFromContext(ctx); u != nil && !ally.CanReadMetrics(u) {
		return nil, ally.Errorf(ally.EFORBIDDEN, "Only leads and admins can see training insights.")
	}
	if to.IsZero() {
		to = db.opts.Now()
	}
	if from.IsZero() {
		from = to.Add(-defaultInsightsPeriod)
	}
	if !from.Before(to) {
		return nil, ally.Errorf(ally.EINVALID, "from: must be before to.")
	}
	in := &ally.Insights{From: from.UTC(), To: to.UTC(), TimeZone: db.location().String()}
	t := newTally(db.location())
	err := db.withRead(ctx, func(tx *Tx) error {
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
			t.add(kind, dept, occurred, reported, answers)
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
	t.fill(in)
	return in, nil
}

// tally counts traits of cases in a period.
type tally struct {
	cases                               int
	kinds, depts, lures, pressure, hour map[string]int
	day                                 map[string]int
	quarterEnd, kindOf                  int
	lureEmails                          int
	loc                                 *time.Location // the organisation's clock
}

func newTally(loc *time.Location) *tally {
	return &tally{kinds: map[string]int{}, depts: map[string]int{}, lures: map[string]int{},
		pressure: map[string]int{}, hour: map[string]int{}, day: map[string]int{}, loc: loc}
}

func (t *tally) add(kind, dept string, occurred sql.NullInt64, reported int64, answers string) {
	t.cases++
	t.kinds[kind]++
	if dept == "" {
		dept = "unknown"
	}
	t.depts[dept]++
	at := fromMillis(reported).In(t.loc)
	if occurred.Valid {
		at = fromMillis(occurred.Int64).In(t.loc)
	}
	t.hour[partOfDay(at.Hour())]++
	t.day[at.Weekday().String()]++
	if quarterEnd(at) {
		t.quarterEnd++
	}
	if strings.Contains(answers, "under_pressure") {
		var a map[string]string
		if json.Unmarshal([]byte(answers), &a) == nil && a["under_pressure"] != "" {
			t.pressure[strings.ToLower(a["under_pressure"])]++
		}
	}
}

func partOfDay(h int) string {
	switch {
	case h < 6:
		return "night (00–06)"
	case h < 12:
		return "morning (06–12)"
	case h < 18:
		return "afternoon (12–18)"
	default:
		return "evening (18–24)"
	}
}

// quarterEnd reports whether t falls in the last 14 days of its quarter,
// in t's time zone.
func quarterEnd(t time.Time) bool {
	q := (int(t.Month()) - 1) / 3
	next := time.Date(t.Year(), time.Month(q*3+4), 1, 0, 0, 0, 0, t.Location())
	return next.Sub(t) <= 14*24*time.Hour
}

// lures counts the persuasion cues of emails reported in the period, once
// per email and category.
func (tx *Tx) lures(ctx context.Context, from, to time.Time, t *tally) error {
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
		t.lureEmails++
		seen := map[string]bool{}
		for _, l := range r.Lures {
			if !seen[l.Category] {
				seen[l.Category] = true
				t.lures[l.Category]++
			}
		}
	}
	return rows.Err()
}

// groups turns counts into named groups, largest first, merging groups
// smaller than ally.MinGroup into "other".
func groups(counts map[string]int, whole int) []ally.Group {
	out := []ally.Group{}
	other := 0
	for name, n := range counts {
		if n < ally.MinGroup {
			other += n
			continue
		}
		out = append(out, ally.Group{Name: name, Count: n, Share: stats.Share(n, whole)})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Count > out[j].Count || (out[i].Count == out[j].Count && out[i].Name < out[j].Name)
	})
	if other > 0 {
		out = append(out, ally.Group{Name: "other", Count: other, Share: stats.Share(other, whole), Merged: true})
	}
	return out
}

func (t *tally) fill(in *ally.Insights) {
	in.Cases = t.cases
	in.Kinds = groups(t.kinds, t.cases)
	in.Departments = groups(t.depts, t.cases)
	in.Lures = groups(t.lures, t.lureEmails)
	answered := 0
	for _, n := range t.pressure {
		answered += n
	}
	in.Pressure = groups(t.pressure, answered)
	in.TimeOfDay = groups(t.hour, t.cases)
	in.DayOfWeek = groups(t.day, t.cases)
	in.EndOfQuarter = ally.Group{Name: "last 14 days of a quarter", Count: t.quarterEnd, Share: stats.Share(t.quarterEnd, t.cases)}
	in.Recommendations = recommend(in, t)
}

// topics maps a kind or lure to the training that addresses it.
var topics = map[string][2]string{
	"clicked_link":          {"Checking a link before you click", "links were clicked"},
	"entered_credentials":   {"Spotting fake sign-in pages", "passwords were typed into fake pages"},
	"opened_attachment":     {"Opening files safely", "risky attachments were opened"},
	"unexpected_mfa_prompt": {"Saying no to sign-in prompts you didn't start", "people got prompts they did not ask for"},
	"misdirected_data":      {"Checking who an email goes to", "data was sent to the wrong person"},
	"lost_device":           {"Keeping devices safe when travelling", "devices were lost"},
	"suspicious_call":       {"Handling calls that ask for codes or passwords", "callers asked for information"},
	"urgency":               {"Slowing down when a message rushes you", "reported emails used urgency"},
	"authority":             {"Checking requests that claim to come from bosses or IT", "reported emails claimed authority"},
	"fear":                  {"Staying calm when a message threatens you", "reported emails used fear"},
	"reward":                {"Spotting too-good-to-be-true offers", "reported emails promised rewards"},
	"curiosity":             {"Pausing before opening the unexpected", "reported emails played on curiosity"},
	"secrecy":               {"Asking for help when told to keep a secret", "reported emails asked for secrecy"},
}

// recommend ties training topics to the evidence: the commonest mistakes
// and lures (groups of at least ally.MinGroup), rushing, and quarter ends.
func recommend(in *ally.Insights, t *tally) []ally.Recommendation {
	out := []ally.Recommendation{}
	add := func(g ally.Group, of string) {
		if tp, ok := topics[g.Name]; ok && g.Count >= ally.MinGroup && len(out) < 6 {
			out = append(out, ally.Recommendation{Topic: tp[0], Why: fmt.Sprintf("%d %s %s", g.Count, of, tp[1]),
				Evidence: fmt.Sprintf("%s: %d of %d", g.Name, g.Count, t.cases)})
		}
	}
	for _, g := range in.Kinds {
		if ally.Kind(g.Name).SelfReported() {
			add(g, "times")
		}
	}
	for _, g := range in.Lures {
		add(g, "of")
	}
	if yes := t.pressure["yes"]; yes >= ally.MinGroup {
		out = append(out, ally.Recommendation{Topic: "Making it OK to slow down",
			Why:      fmt.Sprintf("%d people said they felt rushed when it happened", yes),
			Evidence: fmt.Sprintf("under_pressure=yes: %d", yes)})
	}
	if s := in.EndOfQuarter.Share; s != nil && *s > 0.25 && t.quarterEnd >= ally.MinGroup {
		out = append(out, ally.Recommendation{Topic: "Extra care at busy times like quarter end",
			Why:      fmt.Sprintf("%.0f%% of cases happened in the last two weeks of a quarter", *s*100),
			Evidence: fmt.Sprintf("end of quarter: %d of %d", t.quarterEnd, t.cases)})
	}
	return out
}
