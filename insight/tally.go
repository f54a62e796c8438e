// Package insight turns a period's cases into training insights: traits
// counted into groups too large to single anyone out, and the training
// topics the evidence points to. It reads no database; the store feeds it.
package insight

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/stats"
)

// Tally counts the traits of the cases of a period. Add each case and each
// reported email's lures, then read the Insights.
type Tally struct {
	cases                               int
	kinds, depts, lures, pressure, hour map[string]int
	day                                 map[string]int
	quarterEnd                          int
	lureEmails                          int
	loc                                 *time.Location // the organisation's clock
}

// NewTally starts a tally on the organisation's clock loc: times of day,
// weekdays and quarters are read on it.
func NewTally(loc *time.Location) *Tally {
	return &Tally{kinds: map[string]int{}, depts: map[string]int{}, lures: map[string]int{},
		pressure: map[string]int{}, hour: map[string]int{}, day: map[string]int{}, loc: loc}
}

// AddCase counts one case: its kind, department ("unknown" when empty),
// when it happened (occurred, else reported), and whether the reporter felt
// rushed (the under_pressure answer in its JSON answers).
func (t *Tally) AddCase(kind, dept string, occurred *time.Time, reported time.Time, answers string) {
	t.cases++
	t.kinds[kind]++
	if dept == "" {
		dept = "unknown"
	}
	t.depts[dept]++
	at := reported.In(t.loc)
	if occurred != nil {
		at = occurred.In(t.loc)
	}
	t.hour[PartOfDay(at.Hour())]++
	t.day[at.Weekday().String()]++
	if QuarterEnd(at) {
		t.quarterEnd++
	}
	if strings.Contains(answers, "under_pressure") {
		var a map[string]string
		if json.Unmarshal([]byte(answers), &a) == nil && a["under_pressure"] != "" {
			t.pressure[strings.ToLower(a["under_pressure"])]++
		}
	}
}

// PartOfDay names the part of the day of hour h.
func PartOfDay(h int) string {
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

// QuarterEnd reports whether t falls in the last 14 days of its quarter,
// in t's time zone.
func QuarterEnd(t time.Time) bool {
	q := (int(t.Month()) - 1) / 3
	next := time.Date(t.Year(), time.Month(q*3+4), 1, 0, 0, 0, 0, t.Location())
	return next.Sub(t) <= 14*24*time.Hour
}

// AddEmail counts the persuasion cues of one reported email, once per
// category.
func (t *Tally) AddEmail(categories []string) {
	t.lureEmails++
	seen := map[string]bool{}
	for _, c := range categories {
		if !seen[c] {
			seen[c] = true
			t.lures[c]++
		}
	}
}

// Groups turns counts into named groups, largest first, merging groups
// smaller than ally.MinGroup into "other", so that no one stands out.
func Groups(counts map[string]int, whole int) []ally.Group {
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

// Fill sets every figure of in from the tally, with the recommendations.
func (t *Tally) Fill(in *ally.Insights) {
	in.Cases = t.cases
	in.Kinds = Groups(t.kinds, t.cases)
	in.Departments = Groups(t.depts, t.cases)
	in.Lures = Groups(t.lures, t.lureEmails)
	answered := 0
	for _, n := range t.pressure {
		answered += n
	}
	in.Pressure = Groups(t.pressure, answered)
	in.TimeOfDay = Groups(t.hour, t.cases)
	in.DayOfWeek = Groups(t.day, t.cases)
	in.EndOfQuarter = ally.Group{Name: "last 14 days of a quarter", Count: t.quarterEnd,
		Share: stats.Share(t.quarterEnd, t.cases)}
	in.Recommendations = recommend(in, t)
}
