package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/csvsafe"
)

// errNotLead refuses the leads' pages to everyone else.
var errNotLead = ally.Errorf(ally.EFORBIDDEN, "Only leads and admins can see team metrics and insights.")

// minSample is the fewest cases a figure needs before the page judges it
// or compares it with the period before.
const minSample = 5

// dashboardPage is the leads' view of how the desk is doing.
type dashboardPage struct {
	chrome
	period
	Department   string
	Departments  []string // the managed list, for the filter; nil: free text
	Kinds        []selectOption
	Speed        []figure
	Satisfaction []figure
	Comments     []ally.Comment
	Engagement   []figure
	Signals      []figure // "was this you?" signals; nil when signals are off
	Tone         []figure
	Patterns     []ally.PatternCount
	SLA          []figure
	Charts       []svgChart
	CSV          string // the download link with the same filters
}

// figure is one headline number with its words.
type figure struct {
	Label, Hint string
	Value       string
	Detail      string
	Note        string
	Quiet       bool // the value is a remark ("Too few cases to judge"), not a number
	Trend       trend
}

// trend compares a figure with the period before, in words; the arrow is
// decoration and the words say the same.
type trend struct {
	Arrow, Words string
	Class        string // better, worse or same
}

// dashboardPeriods are the period links of the dashboard, in days.
var dashboardPeriods = []int{7, 30, 90}

func (s *Server) pageDashboard(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	m, per, err := s.dashboardMetrics(r, u)
	if err != nil && (m == nil || per.DateProblem == "") {
		return err
	}
	q := r.URL.Query()
	p := dashboardPage{chrome: chromeFor(r, "Dashboard"), period: per, Department: q.Get("department"),
		Kinds: kindOptions(q.Get("kind")), Speed: speedFigures(m), Satisfaction: satisfactionFigures(m.Satisfaction),
		Comments: m.Satisfaction.Comments[:min(5, len(m.Satisfaction.Comments))], Engagement: engagementFigures(m.Engagement),
		Tone: toneFigures(m.Tone), Patterns: m.Tone.TopPatterns[:min(5, len(m.Tone.TopPatterns))], SLA: slaFigures(m.SLA),
		Charts: weeklyCharts(m.Weekly, m.TimeZone), CSV: "/dashboard.csv?" + q.Encode()}
	if p.Departments, err = s.departmentList(r); err != nil {
		return err
	}
	if s.Signals != nil {
		st, err := s.Signals.SignalStats(r.Context(), per.From, per.To)
		if err != nil {
			return err
		}
		p.Signals = signalFigures(st)
	}
	return s.render(w, per.status(), "dashboard", p)
}

// dashboardCSV downloads the dashboard's figures as metric,value rows.
func (s *Server) dashboardCSV(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	m, _, err := s.dashboardMetrics(r, u)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("ally-metrics-%s-to-%s.csv", m.From.Format(time.DateOnly), m.To.Format(time.DateOnly))
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	cw := csvsafe.NewWriter(w)
	_ = cw.Write([]string{"metric", "value"})
	for _, row := range m.Rows() {
		_ = cw.Write(row[:])
	}
	cw.Flush()
	return cw.Error()
}

// dashboardMetrics reads the dashboard's filters and asks for the figures.
func (s *Server) dashboardMetrics(r *http.Request, u *ally.User) (*ally.Metrics, period, error) {
	if !ally.CanReadMetrics(u) {
		return nil, period{}, errNotLead
	}
	per, refused := readPeriod(r, s.Now(), "/dashboard", dashboardPeriods, 30, "department", "kind")
	q := r.URL.Query()
	m, err := s.Metrics.Metrics(r.Context(), ally.MetricsFilter{From: per.From, To: per.To,
		Department: q.Get("department"), Kind: ally.Kind(q.Get("kind"))})
	if err == nil {
		err = refused // the figures are for the default days; the page says why next to the dates
	}
	return m, per, err
}

// period is the time a leads' page covers: the last N days chosen by a
// link (?period=N), or typed dates (?from=&to=), which win.
type period struct {
	From, To         time.Time // [From, To)
	Days             int       // the chosen number of days; 0 for typed dates
	FromDate, ToDate string    // the date fields' values
	Links            []periodLink
	Range            string // "1 Nov 2026 to 30 Nov 2026"
	KeepDays         string // keeps the chosen days when the filter form is sent without dates
	// DateProblem says, next to the dates, why typed dates or the
	// ?period= could not be used (reversed, impossible, not one of the
	// links); the page then shows the default days and keeps everything else.
	DateProblem string
}

// status is the page's HTTP status: 400 when the dates or period were refused.
func (p period) status() int {
	if p.DateProblem != "" {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// periodLink is one of the "last N days" links.
type periodLink struct {
	Label, URL string
	Current    bool
}

// readPeriod reads the period of the page at path. A typed "to" date
// counts its whole day. The links keep the query parameters named in keep.
func readPeriod(r *http.Request, now time.Time, path string, choices []int, def int, keep ...string) (period, error) {
	q := r.URL.Query()
	p := period{FromDate: q.Get("from"), ToDate: q.Get("to")}
	days, refused := periodDays(q.Get("period"), choices, def)
	if refused == nil && (p.FromDate != "" || p.ToDate != "") {
		refused = p.typedDates(now, def)
	}
	if refused != nil {
		_, problem, _ := fieldProblem(refused)
		p.DateProblem = fmt.Sprintf("%s The figures below are for the last %d days.", problem, days)
		p.From, p.To = time.Time{}, time.Time{}
	}
	if p.From.IsZero() {
		p.Days = days
		p.To, p.From = now, now.AddDate(0, 0, -p.Days)
		p.KeepDays = strconv.Itoa(p.Days)
	}
	for _, n := range choices {
		v := url.Values{"period": {strconv.Itoa(n)}}
		for _, k := range keep {
			if q.Get(k) != "" {
				v.Set(k, q.Get(k))
			}
		}
		p.Links = append(p.Links, periodLink{Label: fmt.Sprintf("Last %d days", n), URL: path + "?" + v.Encode(),
			Current: n == p.Days})
	}
	p.Range = p.From.UTC().Format("2 Jan 2006") + " to " + p.To.Add(-time.Millisecond).UTC().Format("2 Jan 2006")
	return p, refused
}

// periodDays reads ?period=: def when it is absent, else one of the
// choices the page links to.
func periodDays(v string, choices []int, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	if n, err := strconv.Atoi(v); err == nil && slices.Contains(choices, n) {
		return n, nil
	}
	days := make([]string, len(choices))
	for i, n := range choices {
		days[i] = strconv.Itoa(n)
	}
	return def, ally.Errorf(ally.EINVALID,
		"period: %q is not one of the periods offered (%s days); choose one of the links.", v, strings.Join(days, ", "))
}

// typedDates reads the typed dates into p.From and p.To, or says which is
// wrong: one that is not a date, or a first day after the last.
func (p *period) typedDates(now time.Time, def int) error {
	var err error
	if p.From, err = ally.ParseTimeParam("from", p.FromDate); err != nil {
		return err
	}
	if p.To, err = ally.ParseTimeParam("to", p.ToDate); err != nil {
		return err
	}
	if len(p.ToDate) == len(time.DateOnly) {
		p.To = p.To.Add(24 * time.Hour)
	}
	if p.To.IsZero() {
		p.To = now
	}
	if p.From.IsZero() {
		p.From = p.To.AddDate(0, 0, -def)
	}
	if !p.From.Before(p.To) {
		return ally.Errorf(ally.EINVALID, "from: the first day must come before the last day.")
	}
	return nil
}

// kindOptions is the kind menu with the current choice selected.
func kindOptions(cur string) []selectOption {
	out := []selectOption{{Value: "", Label: "Any kind", Selected: cur == ""}}
	for _, k := range ally.Kinds {
		out = append(out, selectOption{Value: string(k), Label: k.Name(), Selected: string(k) == cur})
	}
	return out
}

// speedFigures are the four "how long" headline cards.
func speedFigures(m *ally.Metrics) []figure {
	cards := []struct {
		label, hint string
		s           ally.DurationStat
	}{
		{"Time to report", "From when it happened to when we heard", m.TimeToReport},
		{"Time to first reply", "From the report to our first reply", m.TimeToAcknowledge},
		{"Time to contain", "From the report to under control", m.TimeToContain},
		{"Time to resolve", "From the report to sorted", m.TimeToResolve},
	}
	out := make([]figure, len(cards))
	for i, c := range cards {
		f := figure{Label: c.label, Hint: c.hint, Note: plural(c.s.N, "case")}
		if c.s.N < minSample || c.s.P50Seconds == nil {
			f.Value, f.Quiet = "Too few cases to judge", true
		} else {
			f.Value = humanDuration(*c.s.P50Seconds)
			f.Detail = "Typical (median). 9 in 10 within " + humanDuration(*c.s.P90Seconds) + "."
			f.Trend = durationTrend(c.s)
		}
		out[i] = f
	}
	return out
}

// sameAsBefore is the trend of a figure that changed too little to matter.
var sameAsBefore = trend{Arrow: "→", Words: "About the same as the period before", Class: "same"}

// durationTrend compares a median time with the period before; shorter is
// better. Small samples on either side are not compared.
func durationTrend(s ally.DurationStat) trend {
	prev := s.Previous
	if s.N < minSample || prev == nil || prev.N < minSample || s.P50Seconds == nil || prev.P50Seconds == nil ||
		*prev.P50Seconds <= 0 {
		return trend{}
	}
	change := (*s.P50Seconds - *prev.P50Seconds) / *prev.P50Seconds
	pct := int(math.Round(math.Abs(change) * 100))
	switch {
	case pct < 5:
		return sameAsBefore
	case change < 0:
		return trend{Arrow: "↓", Words: fmt.Sprintf("%d%% faster than the period before", pct), Class: "better"}
	default:
		return trend{Arrow: "↑", Words: fmt.Sprintf("%d%% slower than the period before", pct), Class: "worse"}
	}
}

// countTrend compares a count with the period before. More reports is
// neither good nor bad on its own, so it is shown without a colour.
func countTrend(cur, prev int) trend {
	if prev < minSample {
		return trend{}
	}
	change := float64(cur-prev) / float64(prev)
	pct := int(math.Round(math.Abs(change) * 100))
	switch {
	case pct < 5:
		return sameAsBefore
	case change < 0:
		return trend{Arrow: "↓", Words: fmt.Sprintf("%d%% fewer than the period before (%d)", pct, prev), Class: "same"}
	default:
		return trend{Arrow: "↑", Words: fmt.Sprintf("%d%% more than the period before (%d)", pct, prev), Class: "same"}
	}
}

func satisfactionFigures(s ally.Satisfaction) []figure {
	if s.Responses == 0 || s.Mean == nil {
		return []figure{{Label: "Ratings", Value: "No ratings yet", Quiet: true,
			Note: "Reporters rate a case once it is sorted."}}
	}
	rated := figure{Label: "Average rating", Value: fmt.Sprintf("%.1f out of 5", *s.Mean),
		Note: "From " + plural(s.Responses, "rating")}
	if s.Responses < minSample {
		rated.Detail = "Too few ratings to judge."
	}
	good := figure{Label: "Rated 4 or 5", Value: percentOf(s.CSATPercent, 100)}
	if p := s.Previous; p != nil && s.Responses >= minSample && p.Responses >= minSample {
		good.Trend = shareTrend(s.CSATPercent, p.CSATPercent, 100, true)
	}
	return []figure{rated, good,
		{Label: "Response rate", Value: percentOf(s.ResponseRate, 1), Note: "Of the cases sorted in this period"},
	}
}

func engagementFigures(e ally.Engagement) []figure {
	f := []figure{
		{Label: "Cases reported", Value: strconv.Itoa(e.CasesReported)},
		{Label: "People who reported", Value: strconv.Itoa(e.DistinctReporters)},
		{Label: "Reported more than once", Value: strconv.Itoa(e.RepeatReporters),
			Note: "People who came back: a sign of trust"},
		{Label: "Own slips reported", Value: percentOf(e.SelfReportedShare, 1),
			Note: "Share of reports about the reporter's own mistake"},
	}
	if e.Previous != nil {
		f[0].Trend = countTrend(e.CasesReported, e.Previous.CasesReported)
	}
	return f
}

func toneFigures(t ally.ToneStats) []figure {
	blaming := figure{Label: "With a blaming phrase", Value: percentOf(t.ErrorShare, 1),
		Note: "Share with an error-level finding"}
	if p := t.Previous; p != nil && t.MessagesChecked >= minSample && p.MessagesChecked >= minSample {
		blaming.Trend = shareTrend(t.ErrorShare, p.ErrorShare, 1, false)
	}
	return []figure{
		{Label: "Replies checked", Value: strconv.Itoa(t.MessagesChecked), Note: "Messages from responders to reporters"},
		blaming,
	}
}

// shareTrend compares a share (of whole) with the period before, in
// percentage points; up is better when higherIsBetter.
func shareTrend(cur, prev *float64, whole float64, higherIsBetter bool) trend {
	if cur == nil || prev == nil {
		return trend{}
	}
	points := int(math.Round((*cur - *prev) / whole * 100))
	if points >= -1 && points <= 1 {
		return sameAsBefore
	}
	class := "worse"
	if (points > 0) == higherIsBetter {
		class = "better"
	}
	arrow, dir := "↑", "higher"
	if points < 0 {
		arrow, dir, points = "↓", "lower", -points
	}
	return trend{Arrow: arrow, Class: class,
		Words: fmt.Sprintf("%s %s than the period before (%s)", plural(points, "point"), dir, percentOf(prev, whole))}
}

func slaFigures(s ally.SLAStats) []figure {
	return []figure{
		{Label: "First reply on time", Value: percentOf(s.AcknowledgedWithinTarget, 1), Note: "Of " + plural(s.AcknowledgeN,
			"case") + " with a reply target"},
		{Label: "Sorted on time", Value: percentOf(s.ResolvedWithinTarget, 1), Note: "Of " + plural(s.ResolveN,
			"case") + " with a fix target"},
	}
}

// percentOf writes v (a share of whole) as a percentage, or "No data".
func percentOf(v *float64, whole float64) string {
	if v == nil {
		return "No data"
	}
	return fmt.Sprintf("%.0f%%", *v/whole*100)
}

// humanDuration writes seconds in the largest unit that reads well:
// "40 s", "12 min", "3.5 h", "4 days".
func humanDuration(sec float64) string {
	trim := func(v float64, unit string) string {
		return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) + " " + unit
	}
	switch {
	case sec < 60:
		return fmt.Sprintf("%.0f s", sec)
	case sec < 3600:
		return fmt.Sprintf("%.0f min", math.Round(sec/60))
	case sec < 10*3600:
		return trim(sec/3600, "h")
	case sec < 48*3600:
		return fmt.Sprintf("%.0f h", math.Round(sec/3600))
	default:
		return trim(sec/86400, "days")
	}
}

// weeklyCharts draws cases per week (bars) and the median time to first
// reply per week (a line), each week labelled by its Monday on the clock
// zone (an IANA name; UTC when unknown).
func weeklyCharts(weeks []ally.WeekPoint, zone string) []svgChart {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	cases := make([]chartPoint, len(weeks))
	acks := make([]chartPoint, len(weeks))
	total, busiest, fastest, slowest := 0, -1, -1, -1
	for i, w := range weeks {
		label := w.Start.In(loc).Format("2 Jan")
		n := float64(w.Reported)
		cases[i] = chartPoint{Label: label, Value: &n, Text: plural(w.Reported, "case")}
		total += w.Reported
		if busiest < 0 || w.Reported > weeks[busiest].Reported {
			busiest = i
		}
		acks[i] = chartPoint{Label: label, Text: "No first replies"}
		if v := w.P50AckSeconds; v != nil {
			acks[i].Value, acks[i].Text = v, humanDuration(*v)
			if slowest < 0 || *v > *weeks[slowest].P50AckSeconds {
				slowest = i
			}
			if fastest < 0 || *v < *weeks[fastest].P50AckSeconds {
				fastest = i
			}
		}
	}
	span := "."
	if len(weeks) > 0 {
		span = fmt.Sprintf(", in the weeks from %s to %s.", cases[0].Label, cases[len(cases)-1].Label)
	}
	caseDesc := "Cases reported each week" + span
	if total > 0 {
		caseDesc += fmt.Sprintf(" %s in all; the busiest week began %s (%s).", plural(total, "case"), cases[busiest].Label,
			cases[busiest].Text)
	}
	ackDesc := "The typical (median) time to our first reply, each week" + span
	if fastest >= 0 {
		ackDesc += fmt.Sprintf(" Fastest: the week of %s (%s). Slowest: the week of %s (%s).",
			acks[fastest].Label, acks[fastest].Text, acks[slowest].Label, acks[slowest].Text)
	}
	return []svgChart{
		barChart(chartSpec{ID: "chart-cases", Title: "Cases reported per week", Desc: caseDesc, Head: "Cases reported",
			Tick: func(v float64) string { return ftoa(v) }, Step: 1, Points: cases}),
		lineChart(ackChartSpec(ackDesc, acks)),
	}
}

// ackChartSpec scales the reply times to minutes or, when a week took two
// hours or more, to hours.
func ackChartSpec(desc string, acks []chartPoint) chartSpec {
	unit, name := 60.0, "min"
	for _, p := range acks {
		if p.Value != nil && *p.Value >= 2*3600 {
			unit, name = 3600, "h"
		}
	}
	scaled := make([]chartPoint, len(acks))
	for i, p := range acks {
		scaled[i] = p
		if p.Value != nil {
			v := *p.Value / unit
			scaled[i].Value = &v
		}
	}
	return chartSpec{ID: "chart-ack", Title: "Typical time to first reply per week", Desc: desc,
		Head: "Median time to first reply",
		Tick: func(v float64) string { return ftoa(v) + " " + name }, Step: 1, Points: scaled}
}
