package ally

import (
	"context"
	"time"
)

// MinGroup is the smallest group insights show by name; smaller groups are
// merged into "other" so that no individual can be singled out.
const MinGroup = 5

// DefaultInsightsPeriod is the period insights cover when no From is given.
const DefaultInsightsPeriod = 90 * 24 * time.Hour

// InsightsPeriod fills the defaults of an insights period at time now (to:
// now; from: DefaultInsightsPeriod before to) and checks it.
// Errors: EINVALID.
func InsightsPeriod(from, to, now time.Time) (time.Time, time.Time, error) {
	if to.IsZero() {
		to = now
	}
	if from.IsZero() {
		from = to.Add(-DefaultInsightsPeriod)
	}
	if !from.Before(to) {
		return from, to, Errorf(EINVALID, "from: must be before to.")
	}
	return from, to, nil
}

// Group is a count of cases sharing one trait.
type Group struct {
	Name  string   `json:"name"`
	Count int      `json:"count"`
	Share *float64 `json:"share"`
	// Merged marks the "other" group that holds the groups too small to show.
	Merged bool `json:"merged,omitempty"`
}

// Recommendation is a training topic with the evidence behind it.
type Recommendation struct {
	Topic    string `json:"topic"`
	Why      string `json:"why"`
	Evidence string `json:"evidence"`
}

// Insights describe why people were caught, without naming anyone.
type Insights struct {
	From         time.Time `json:"from"`
	To           time.Time `json:"to"`
	Cases        int       `json:"cases"`
	Kinds        []Group   `json:"kinds"`
	Departments  []Group   `json:"departments"`
	Lures        []Group   `json:"lures"`
	Pressure     []Group   `json:"pressure"` // answers to "were you rushed?"
	TimeOfDay    []Group   `json:"time_of_day"`
	DayOfWeek    []Group   `json:"day_of_week"`
	EndOfQuarter Group     `json:"end_of_quarter"`
	// TimeZone names the clock of TimeOfDay, DayOfWeek and EndOfQuarter:
	// the organisation's IANA time zone, "UTC" unless configured.
	TimeZone        string           `json:"time_zone"`
	Recommendations []Recommendation `json:"recommendations"`
}

// Lesson is a short, de-identified lesson shared with everyone.
type Lesson struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Body        string    `json:"body"`
	Author      Person    `json:"author"`
	PublishedAt time.Time `json:"published_at"`
	// Contributors is how many reports led to the lesson; YouHelped tells a
	// reporter that one of them was theirs. Names are never shown.
	Contributors int  `json:"contributors"`
	YouHelped    bool `json:"you_helped"`
}

// NewLesson is a lesson being published.
type NewLesson struct {
	Title string   `json:"title"`
	Body  string   `json:"body"`
	Cases []string `json:"cases"` // refs of the reports that led to it
}

// InsightService turns real cases into training insights and lessons.
type InsightService interface {
	// Insights reports on cases in [From, To) (default: the last 90 days).
	// Errors: EFORBIDDEN for anyone but leads and admins.
	Insights(ctx context.Context, from, to time.Time) (*Insights, error)
	// PublishLesson checks a lesson with the tone engine for the reporter
	// audience and publishes it; each contributing reporter is thanked in
	// their own case. Errors: EFORBIDDEN, EINVALID (including wording that
	// blames or reads above grade 8), ENOTFOUND (a case ref).
	PublishLesson(ctx context.Context, n NewLesson) (*Lesson, error)
	// Lessons lists published lessons, newest first. Errors: EUNAUTHORIZED.
	Lessons(ctx context.Context, before int64, limit int) ([]*Lesson, error)
}
