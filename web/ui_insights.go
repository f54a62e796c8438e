package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/allydesk/ally"
)

// insightsPage shows why people were caught, without naming anyone.
type insightsPage struct {
	chrome
	period
	Cases           int
	Groups          []groupList
	EndOfQuarter    string
	Recommendations []ally.Recommendation
}

// groupList is one trait's groups as a bar list.
type groupList struct {
	ID, Heading, Note string
	Bars              []groupBar
}

// groupBar is one group: its name, count and share in words, and the bar's
// length out of 100.
type groupBar struct {
	Name, Count, Share string
	Width              float64
}

// insightsPeriods are the period links of the insights page, in days.
var insightsPeriods = []int{30, 90, 180, 365}

func (s *Server) pageInsights(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if !ally.CanReadMetrics(u) {
		return errNotLead
	}
	per, _ := readPeriod(r, s.Now(), "/insights", insightsPeriods, 90) // refused dates: per.DateProblem
	in, err := s.Insights.Insights(r.Context(), per.From, per.To)
	if err != nil {
		return err
	}
	clock := "in " + in.TimeZone + " time."
	if in.TimeZone == "UTC" {
		clock = "in UTC."
	}
	p := insightsPage{chrome: chromeFor(r, "Insights"), period: per, Cases: in.Cases,
		Recommendations: in.Recommendations, Groups: []groupList{
			groupsOf("kinds", "What happened", "Share of all cases.", in.Kinds, kindLabel),
			groupsOf("departments", "Departments", "Share of all cases.", in.Departments, departmentLabel),
			groupsOf("lures", "Tricks in reported emails", "Share of the reported emails we looked at that used each trick.",
				in.Lures, sentence),
			groupsOf("pressure", "Felt rushed", "Answers to “Did the message push you to act fast?”", in.Pressure, sentence),
			groupsOf("time", "Time of day", "When it happened (or was reported), "+clock, in.TimeOfDay, sentence),
			groupsOf("day", "Day of the week", "When it happened (or was reported), "+clock, in.DayOfWeek, sentence),
		}}
	if in.Cases > 0 {
		eq := in.EndOfQuarter
		p.EndOfQuarter = fmt.Sprintf("%s of %s (%s) happened in the last 14 days of a quarter.",
			countWord(eq.Count), plural(in.Cases, "case"), percentOf(eq.Share, 1))
	}
	return s.render(w, p.status(), "insights", p)
}

// groupsOf turns groups into a bar list, naming each with label; the
// group that merges the small ones reads "Smaller groups together".
func groupsOf(id, heading, note string, gs []ally.Group, label func(string) string) groupList {
	l := groupList{ID: "g-" + id, Heading: heading, Note: note}
	for _, g := range gs {
		name := label(g.Name)
		if g.Merged {
			name = "Smaller groups together"
		}
		b := groupBar{Name: name, Count: plural(g.Count, "case"), Share: percentOf(g.Share, 1)}
		if g.Share != nil {
			b.Width = round1(min(max(*g.Share, 0), 1) * 100)
		}
		l.Bars = append(l.Bars, b)
	}
	return l
}

func kindLabel(k string) string {
	if k := ally.Kind(k); k.Valid() {
		return k.Name()
	}
	return sentence(k)
}

func departmentLabel(d string) string {
	switch d {
	case "unknown":
		return "Not given"
	}
	return d
}

// sentence writes a stored name as words with a capital first letter:
// "fake_invoice" becomes "Fake invoice".
func sentence(s string) string {
	return capital(strings.ReplaceAll(s, "_", " "))
}

// countWord writes a count for the start of a sentence.
func countWord(n int) string {
	if n == 0 {
		return "None"
	}
	return fmt.Sprint(n)
}
