package ally

import (
	"context"
	"strconv"
	"time"
)

// MetricsFilter selects the cases a metrics report covers: those reported
// in [From, To), optionally of one department and kind.
type MetricsFilter struct {
	From, To   time.Time
	Department string
	Kind       Kind
}

// DefaultMetricsPeriod is the period covered when no From is given.
const DefaultMetricsPeriod = 30 * 24 * time.Hour

// Resolve fills a filter's defaults at time now (To: now; From:
// DefaultMetricsPeriod before To), truncates both to the millisecond in UTC
// and checks it. Errors: EINVALID naming the field.
func (f *MetricsFilter) Resolve(now time.Time) error {
	if f.To.IsZero() {
		f.To = now
	}
	if f.From.IsZero() {
		f.From = f.To.Add(-DefaultMetricsPeriod)
	}
	if !f.From.Before(f.To) {
		return Errorf(EINVALID, "from: must be before to.")
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return Errorf(EINVALID, "kind: %q is not a kind.", f.Kind)
	}
	f.From, f.To = f.From.UTC().Truncate(time.Millisecond), f.To.UTC().Truncate(time.Millisecond)
	return nil
}

// Previous is the period of the same length just before f, for trends.
func (f MetricsFilter) Previous() MetricsFilter {
	f.From, f.To = f.From.Add(-f.To.Sub(f.From)), f.From
	return f
}

// DurationStat summarises durations: how many, and nearest-rank percentiles.
type DurationStat struct {
	N          int      `json:"n"`
	P50Seconds *float64 `json:"p50_seconds"`
	P90Seconds *float64 `json:"p90_seconds"`
	// Previous is the same figure over the period just before, for trends.
	Previous *DurationStat `json:"previous,omitempty"`
}

// SatisfiedRating is the lowest rating (of 1 to 5) that counts as a
// satisfied reporter in CSATPercent.
const SatisfiedRating = 4

// Satisfaction summarises reporters' ratings of resolved cases.
type Satisfaction struct {
	Responses    int           `json:"responses"`
	Mean         *float64      `json:"mean"`
	CSATPercent  *float64      `json:"csat_percent"`  // share of ratings of SatisfiedRating or more
	ResponseRate *float64      `json:"response_rate"` // responses / cases finished in the period
	Comments     []Comment     `json:"comments"`
	Previous     *Satisfaction `json:"previous,omitempty"`
}

// Comment is a reporter's comment with its rating, shown to leads.
type Comment struct {
	Ref       string    `json:"ref"`
	Rating    int       `json:"rating"`
	Comment   string    `json:"comment"`
	CreatedAt time.Time `json:"created_at"`
}

// Engagement counts who reports, and how.
type Engagement struct {
	CasesReported     int         `json:"cases_reported"`
	DistinctReporters int         `json:"distinct_reporters"`
	RepeatReporters   int         `json:"repeat_reporters"`
	SelfReportedShare *float64    `json:"self_reported_share"`   // own mistakes (clicked, typed a password…)
	SuspiciousShare   *float64    `json:"suspicious_only_share"` // something suspicious, no mistake
	Previous          *Engagement `json:"previous,omitempty"`
	PracticeReports   int         `json:"practice_reports"` // practice emails reported by mail: apart, never cases
}

// ToneStats summarise the tone of responders' messages to reporters.
type ToneStats struct {
	MessagesChecked int            `json:"messages_checked"`
	ErrorShare      *float64       `json:"error_share"`
	TopPatterns     []PatternCount `json:"top_patterns"`
	Previous        *ToneStats     `json:"previous,omitempty"`
}

// PatternCount is how often a tone rule fired at error level.
type PatternCount struct {
	Rule  string `json:"rule"`
	Count int    `json:"count"`
}

// SLAStats are the shares of cases that met their targets.
type SLAStats struct {
	AcknowledgeN             int      `json:"acknowledge_n"`
	AcknowledgedWithinTarget *float64 `json:"acknowledged_within_target"`
	ResolveN                 int      `json:"resolve_n"`
	ResolvedWithinTarget     *float64 `json:"resolved_within_target"`
}

// WeekPoint is one week of the trend charts.
type WeekPoint struct {
	Start            time.Time `json:"start"`
	Reported         int       `json:"reported"`
	P50AckSeconds    *float64  `json:"p50_acknowledge_seconds"`
	P50ReportSeconds *float64  `json:"p50_report_seconds"`
	CSATPercent      *float64  `json:"csat_percent"`
	ToneErrorShare   *float64  `json:"tone_error_share"`
}

// Metrics is a report on one period.
type Metrics struct {
	From              time.Time    `json:"from"`
	To                time.Time    `json:"to"`
	Department        string       `json:"department,omitempty"`
	Kind              Kind         `json:"kind,omitempty"`
	TimeToReport      DurationStat `json:"time_to_report"`
	TimeToAcknowledge DurationStat `json:"time_to_acknowledge"`
	TimeToContain     DurationStat `json:"time_to_contain"`
	TimeToResolve     DurationStat `json:"time_to_resolve"`
	Satisfaction      Satisfaction `json:"satisfaction"`
	Engagement        Engagement   `json:"engagement"`
	Tone              ToneStats    `json:"tone"`
	SLA               SLAStats     `json:"sla"`
	Weekly            []WeekPoint  `json:"weekly"`
	// TimeZone is the clock of the weeks: each starts on Monday at 00:00
	// in this IANA zone (the organisation's, "UTC" unless configured).
	TimeZone string `json:"time_zone"`
}

// MetricsService computes team metrics.
type MetricsService interface {
	// Metrics reports on a period. Errors: EFORBIDDEN (not a lead or
	// admin), EINVALID (From not before To, or a bad kind).
	Metrics(ctx context.Context, f MetricsFilter) (*Metrics, error)
	// Counters returns the running totals behind /metrics. It is for the
	// operator only (NewOperatorContext; the server reads them so).
	// Errors: EUNAUTHORIZED, EFORBIDDEN.
	Counters(ctx context.Context) (*Counters, error)
}

// SelfReportedKinds are kinds where the reporter tells of their own slip,
// which takes the most trust to report.
var SelfReportedKinds = []Kind{KindClickedLink, KindEnteredCredentials, KindOpenedAttachment,
	KindUnexpectedMFAPrompt, KindLostDevice, KindMisdirectedData}

// SelfReported reports whether k is a kind where the reporter tells of their own slip.
func (k Kind) SelfReported() bool { return contains(SelfReportedKinds, k) }

// AckBuckets are the upper bounds, in seconds, of the time-to-acknowledge
// histogram: 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, 8 h, 1 day, 3 days.
var AckBuckets = []float64{60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200}

// Counters are running totals since the database was created.
type Counters struct {
	ReportedByKind map[Kind]int64
	// AckBuckets[i] counts acknowledgements that took at most
	// AckBuckets[i] seconds and more than the bound before (not cumulative).
	AckBuckets    []uint64
	AckCount      uint64
	AckSumSeconds float64
	// MailByOutcome counts messages read from the report mailbox by
	// outcome (case, simulation, ignored): practice emails apart from
	// real reports.
	MailByOutcome map[string]int64
}

// AckBucket returns the index in AckBuckets of a duration, or
// len(AckBuckets) when it is longer than every bound.
func AckBucket(seconds float64) int {
	for i, b := range AckBuckets {
		if seconds <= b {
			return i
		}
	}
	return len(AckBuckets)
}

// ParseTimeParam reads an optional time given as RFC 3339 or a date
// (YYYY-MM-DD, midnight UTC). An empty value gives the zero time.
func ParseTimeParam(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		if t, err = time.Parse(time.DateOnly, v); err != nil {
			return time.Time{}, Errorf(EINVALID, "%s: %q is not a time; use 2026-11-27 or 2026-11-27T09:00:00Z.", name, v)
		}
	}
	if t.Before(EarliestOccurred) { // 0001-01-01 would otherwise read as "not given"
		return time.Time{}, Errorf(EINVALID,
			"%s: %q is before %d; give a later date, or leave it out for the default period.",
			name, v, EarliestOccurred.Year())
	}
	return t, nil
}

// Rows flattens the headline figures into name/value pairs (as in CSV
// exports); empty values are figures with no data.
func (m *Metrics) Rows() [][2]string {
	num := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	rows := [][2]string{{"from", m.From.Format(time.RFC3339)}, {"to", m.To.Format(time.RFC3339)}}
	for _, d := range []struct {
		name string
		s    DurationStat
	}{{"time_to_report", m.TimeToReport}, {"time_to_acknowledge", m.TimeToAcknowledge},
		{"time_to_contain", m.TimeToContain}, {"time_to_resolve", m.TimeToResolve}} {
		rows = append(rows, [2]string{d.name + ".n", strconv.Itoa(d.s.N)},
			[2]string{d.name + ".p50_seconds", num(d.s.P50Seconds)}, [2]string{d.name + ".p90_seconds", num(d.s.P90Seconds)})
	}
	s, e, t := m.Satisfaction, m.Engagement, m.Tone
	return append(rows,
		[2]string{"satisfaction.responses", strconv.Itoa(s.Responses)}, [2]string{"satisfaction.mean", num(s.Mean)},
		[2]string{"satisfaction.csat_percent", num(s.CSATPercent)}, [2]string{"satisfaction.response_rate",
			num(s.ResponseRate)},
		[2]string{"engagement.cases_reported", strconv.Itoa(e.CasesReported)},
		[2]string{"engagement.distinct_reporters", strconv.Itoa(e.DistinctReporters)},
		[2]string{"engagement.repeat_reporters", strconv.Itoa(e.RepeatReporters)},
		[2]string{"engagement.self_reported_share", num(e.SelfReportedShare)},
		[2]string{"tone.messages_checked", strconv.Itoa(t.MessagesChecked)}, [2]string{"tone.error_share", num(t.ErrorShare)},
		[2]string{"sla.acknowledged_within_target", num(m.SLA.AcknowledgedWithinTarget)},
		[2]string{"sla.resolved_within_target", num(m.SLA.ResolvedWithinTarget)})
}
