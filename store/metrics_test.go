package store_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// TestMetricsHandComputed builds cases with known timestamps and checks
// every figure against values worked out by hand (nearest-rank percentiles).
func TestMetricsHandComputed(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		t0 := f.clock.t
		at := func(d time.Duration) { f.clock.t = t0.Add(d) }
		status := func(u *ally.User, ref string, st ally.Status) {
			t.Helper()
			up := ally.CaseUpdate{Status: &st}
			if !st.Open() {
				up.Outcome = ptr("All sorted. Thank you for telling us.")
			}
			if _, err := f.db.UpdateCase(f.as(u), ref, up); err != nil {
				t.Fatal(err)
			}
		}
		occurred := func(d time.Duration) *time.Time { x := f.clock.t.Add(-d); return &x }

		// Before the period: Bob's first case makes him a repeat reporter.
		at(-24 * time.Hour)
		mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindOther})

		at(time.Hour) // case 1: reported 10 min after it happened; ack +5m, contained +20m, resolved +60m
		c1 := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink, OccurredAt: occurred(10 * time.Minute)})
		at(time.Hour + 5*time.Minute)
		if _, err := f.db.AddMessage(f.as(f.resp), c1.Ref, ally.NewMessage{Body: "Thank you for telling us so fast. Let's sort this out together."}); err != nil {
			t.Fatal(err)
		}
		at(time.Hour + 20*time.Minute)
		status(f.resp, c1.Ref, ally.StatusContained)
		at(2 * time.Hour)
		status(f.resp, c1.Ref, ally.StatusResolved)
		if _, err := f.db.AddFeedback(f.as(f.alice), c1.Ref, ally.Feedback{Rating: 5, Comment: "Kind and fast"}); err != nil {
			t.Fatal(err)
		}

		at(2 * time.Hour) // case 2: reported 30 min late; ack +15m; resolved +2h (contained stamped then too)
		c2 := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindSuspiciousEmail, OccurredAt: occurred(30 * time.Minute)})
		at(2*time.Hour + 15*time.Minute)
		status(f.resp, c2.Ref, ally.StatusAcknowledged)
		at(4 * time.Hour)
		status(f.resp, c2.Ref, ally.StatusResolved)
		if _, err := f.db.AddFeedback(f.as(f.bob), c2.Ref, ally.Feedback{Rating: 3}); err != nil {
			t.Fatal(err)
		}

		at(3 * time.Hour) // case 3: no occurred time; acknowledged by a blaming reply after 1 min
		c3 := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindLostDevice})
		at(3*time.Hour + time.Minute)
		if _, err := f.db.AddMessage(f.as(f.resp), c3.Ref, ally.NewMessage{
			Body: "Why did you leave it on the train? You should have been more careful.", Confirmed: true}); err != nil {
			t.Fatal(err)
		}
		at(5 * time.Hour)

		m, err := f.db.Metrics(f.as(f.lead), ally.MetricsFilter{From: t0, To: t0.Add(7 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		wantDur := func(name string, d ally.DurationStat, n int, p50, p90 float64) {
			t.Helper()
			if d.N != n || d.P50Seconds == nil || *d.P50Seconds != p50 || *d.P90Seconds != p90 {
				t.Errorf("%s = n %d p50 %v p90 %v, want %d %v %v", name, d.N, val(d.P50Seconds), val(d.P90Seconds), n, p50, p90)
			}
		}
		wantDur("time_to_report", m.TimeToReport, 2, 600, 1800)
		wantDur("time_to_acknowledge", m.TimeToAcknowledge, 3, 300, 900)
		wantDur("time_to_contain", m.TimeToContain, 2, 1200, 7200)
		wantDur("time_to_resolve", m.TimeToResolve, 2, 3600, 7200)
		s := m.Satisfaction
		if s.Responses != 2 || val(s.Mean) != 4 || val(s.CSATPercent) != 50 || val(s.ResponseRate) != 1 ||
			len(s.Comments) != 1 || s.Comments[0].Comment != "Kind and fast" {
			t.Errorf("satisfaction = %+v", s)
		}
		e := m.Engagement
		if e.CasesReported != 3 || e.DistinctReporters != 2 || e.RepeatReporters != 2 ||
			val(e.SelfReportedShare) != 0.6667 || val(e.SuspiciousShare) != 0.3333 {
			t.Errorf("engagement = %+v", e)
		}
		if e.Previous == nil || e.Previous.CasesReported != 1 {
			t.Errorf("previous engagement = %+v", e.Previous)
		}
		// Two replies, one blaming, and two outcomes sent when resolving (issue 18).
		if m.Tone.MessagesChecked != 4 || val(m.Tone.ErrorShare) != 0.25 || len(m.Tone.TopPatterns) == 0 {
			t.Errorf("tone = %+v", m.Tone)
		}
		// clicked_link medium: ack 1h, resolve 1d; suspicious_email medium: ack within target too;
		// lost_device: acknowledged within its target, not resolved and not yet due.
		if m.SLA.AcknowledgeN != 3 || val(m.SLA.AcknowledgedWithinTarget) != 1 || m.SLA.ResolveN != 2 || val(m.SLA.ResolvedWithinTarget) != 1 {
			t.Errorf("sla = %+v", m.SLA)
		}
		if len(m.Weekly) == 0 || m.Weekly[0].Reported+m.Weekly[len(m.Weekly)-1].Reported == 0 {
			t.Errorf("weekly = %+v", m.Weekly)
		}

		counters, err := f.db.Counters(ally.NewOperatorContext(t.Context()))
		if err != nil {
			t.Fatal(err)
		}
		if counters.ReportedByKind[ally.KindClickedLink] != 1 || counters.ReportedByKind[ally.KindOther] != 1 ||
			counters.AckCount != 3 || counters.AckSumSeconds != 1260 || counters.AckBuckets[0] != 1 || counters.AckBuckets[1] != 1 {
			t.Errorf("counters = %+v", counters)
		}

		// Filters: one department, one kind.
		m, _ = f.db.Metrics(f.as(f.lead), ally.MetricsFilter{From: t0, To: t0.Add(7 * 24 * time.Hour), Department: "Sales"})
		if m.Engagement.CasesReported != 1 || m.Tone.MessagesChecked != 1 { // the outcome of resolving it
			t.Errorf("Sales: %+v %+v", m.Engagement, m.Tone)
		}
		m, _ = f.db.Metrics(f.as(f.lead), ally.MetricsFilter{From: t0, To: t0.Add(7 * 24 * time.Hour), Kind: ally.KindLostDevice})
		if m.Engagement.CasesReported != 1 || m.Tone.MessagesChecked != 1 {
			t.Errorf("lost_device: %+v %+v", m.Engagement, m.Tone)
		}
		_, err = f.db.Metrics(f.as(f.resp), ally.MetricsFilter{})
		wantCode(t, err, ally.EFORBIDDEN)
		_, err = f.db.Metrics(f.as(f.lead), ally.MetricsFilter{From: t0, To: t0})
		wantCode(t, err, ally.EINVALID)
	})
}

func val(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

// TestMetricsPreviousPeriod: satisfaction and tone come with the same
// figures for the period before, for the dashboard's trends.
func TestMetricsPreviousPeriod(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		t0 := f.clock.t
		handle := func(at time.Duration, reply string, rating int) {
			t.Helper()
			f.clock.t = t0.Add(at)
			c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink})
			f.clock.advance(time.Minute)
			if _, err := f.db.AddMessage(f.as(f.resp), c.Ref, ally.NewMessage{Body: reply, Confirmed: true}); err != nil {
				t.Fatal(err)
			}
			resolved := ally.StatusResolved
			if _, err := f.db.UpdateCase(f.as(f.resp), c.Ref, ally.CaseUpdate{Status: &resolved,
				Outcome: ptr("All sorted. Thank you for telling us.")}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.db.AddFeedback(f.as(f.alice), c.Ref, ally.Feedback{Rating: rating, Comment: "noted"}); err != nil {
				t.Fatal(err)
			}
		}
		handle(-3*24*time.Hour, "Why did you click that? You should have known better.", 2)
		handle(time.Hour, "Thank you for telling us so fast. Let's sort this out together.", 5)
		f.clock.t = t0.Add(2 * time.Hour)
		m, err := f.db.Metrics(f.as(f.lead), ally.MetricsFilter{From: t0, To: t0.Add(7 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		s, ps := m.Satisfaction, m.Satisfaction.Previous
		if s.Responses != 1 || val(s.CSATPercent) != 100 || ps == nil || ps.Responses != 1 || val(ps.Mean) != 2 ||
			val(ps.CSATPercent) != 0 || len(ps.Comments) != 0 {
			t.Errorf("satisfaction %+v, previous %+v", s, ps)
		}
		tn, pt := m.Tone, m.Tone.Previous
		// Each period: the reply and the outcome sent when resolving (issue 18).
		if tn.MessagesChecked != 2 || val(tn.ErrorShare) != 0 || pt == nil || pt.MessagesChecked != 2 || val(pt.ErrorShare) != 0.5 {
			t.Errorf("tone %+v, previous %+v", tn, pt)
		}
	})
}

// TestMetricsWeeksOnTheOrganisationsClock: weekly points start on Monday at
// midnight in the organisation's time zone, across a change of the clocks,
// and a case counts in the week its local time falls in.
func TestMetricsWeeksOnTheOrganisationsClock(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			now := time.Date(2026, 11, 9, 4, 30, 0, 0, time.UTC) // Sunday 8 Nov, 23:30 in New York
			db, u := inNewYork(t, e, now)
			ctx := ally.NewOperatorContext(context.Background())
			if _, err := db.CreateCase(ally.NewContextWithUser(ctx, u), &ally.NewCase{Kind: ally.KindOther}); err != nil {
				t.Fatal(err)
			}
			// 28 Oct to 12 Nov: clocks went back on 1 Nov.
			m, err := db.Metrics(ctx, ally.MetricsFilter{From: time.Date(2026, 10, 28, 12, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 12, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			var starts []string
			for _, w := range m.Weekly {
				starts = append(starts, w.Start.UTC().Format(time.RFC3339))
			}
			want := "2026-10-26T04:00:00Z 2026-11-02T05:00:00Z 2026-11-09T05:00:00Z"
			if got := strings.Join(starts, " "); got != want || m.TimeZone != "America/New_York" {
				t.Fatalf("weeks start %s in %q, want %s", got, m.TimeZone, want)
			}
			if m.Weekly[1].Reported != 1 || m.Weekly[2].Reported != 0 {
				t.Fatalf("Sunday night's case in the wrong week: %+v", m.Weekly)
			}
		})
	}
}

// TestMetricsSelfReportedAndFinished: the scan's packed flags (a
// self-reported kind; resolved or closed) count the right cases: one
// self-reported case of three, two finished (one resolved, one closed
// without being resolved), one rating.
func TestMetricsSelfReportedAndFinished(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		t0 := f.clock.t
		f.clock.advance(time.Hour)
		mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink})
		for _, st := range []ally.Status{ally.StatusResolved, ally.StatusClosed} {
			c := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindSuspiciousEmail})
			if _, err := f.db.UpdateCase(f.as(f.resp), c.Ref, ally.CaseUpdate{Status: &st,
				Outcome: ptr("All sorted. Thank you for telling us.")}); err != nil {
				t.Fatal(err)
			}
			if st == ally.StatusResolved {
				if _, err := f.db.AddFeedback(f.as(f.bob), c.Ref, ally.Feedback{Rating: 4}); err != nil {
					t.Fatal(err)
				}
			}
		}
		m, err := f.db.Metrics(f.as(f.lead), ally.MetricsFilter{From: t0, To: t0.Add(24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		e, s := m.Engagement, m.Satisfaction
		if e.CasesReported != 3 || e.DistinctReporters != 2 || val(e.SelfReportedShare) != 0.3333 ||
			s.Responses != 1 || val(s.ResponseRate) != 0.5 {
			t.Errorf("engagement %+v, satisfaction %+v: want 3 cases by 2 people, 1 in 3 self-reported, "+
				"1 rating for 2 finished", e, s)
		}
	})
}

// TestMetricsRepeatReportersAtOnce: a reporter with one case in the period
// is a repeat reporter when they had reported before it. The report used to
// count each such reporter's earlier cases with a statement of its own (on
// PostgreSQL, 1,000 reporters: 1,000 round trips, 633 ms a report); it now
// looks them up in one. The figure is the same as the old definition's,
// computed here in SQL, with and without filters.
func TestMetricsRepeatReportersAtOnce(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := ally.NewOperatorContext(context.Background())
		if err := f.db.ExecForTest(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
			INSERT INTO users (email, name, role, password_hash, created_at)
			SELECT 'many' || i || '@example.org', 'Reporter ' || i, 'reporter', '', 0 FROM n`); err != nil {
			t.Fatal(err)
		}
		ids, err := f.db.QueryForTest(ctx, "SELECT id FROM users WHERE email LIKE 'many%' ORDER BY id")
		if err != nil || len(ids) != 40 {
			t.Fatalf("%d reporters %v", len(ids), err)
		}
		now := f.clock.t
		var cases []store.ImportCase
		add := func(reporter int64, at time.Time, dept string, kind ally.Kind) {
			cases = append(cases, store.ImportCase{Case: ally.Case{Kind: kind, Summary: "Something odd",
				Status: ally.StatusNew, Severity: ally.SeverityLow, Department: dept, ReporterID: reporter,
				ReportedAt: at, UpdatedAt: at}})
		}
		for i, row := range ids {
			reporter, _ := strconv.ParseInt(row[0], 10, 64)
			dept, kind := []string{"Finance", "Sales"}[i%2], []ally.Kind{ally.KindOther, ally.KindLostDevice}[i%3%2]
			for k := range i % 4 { // history, some of it in the other department
				add(reporter, now.AddDate(0, 0, -90+k), []string{"Finance", "Sales"}[k%2], ally.KindOther)
			}
			for k := range 1 + i%5/4 { // one case in the period, or two
				add(reporter, now.Add(-time.Duration(i*10+k)*time.Hour), dept, kind)
			}
		}
		if err := f.db.ImportCases(ctx, cases); err != nil {
			t.Fatal(err)
		}
		from := now.AddDate(0, 0, -30)
		for _, filter := range []ally.MetricsFilter{{}, {Department: "Finance"}, {Kind: ally.KindLostDevice}} {
			where := fmt.Sprintf("reported_at >= %d AND reported_at < %d", from.UnixMilli(), now.UnixMilli())
			if filter.Department != "" {
				where += " AND department = '" + filter.Department + "'"
			}
			if filter.Kind != "" {
				where += " AND kind = '" + string(filter.Kind) + "'"
			}
			want, err := f.db.QueryForTest(ctx, `SELECT count(*) FROM (SELECT reporter_id, count(*) AS n, MIN(id) AS first
				FROM cases WHERE `+where+` GROUP BY reporter_id) r
				WHERE r.n > 1 OR EXISTS (SELECT 1 FROM cases e WHERE e.reporter_id = r.reporter_id AND e.id < r.first)`)
			if err != nil {
				t.Fatal(err)
			}
			filter.From, filter.To = from, now
			m, err := f.db.Metrics(ctx, filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := strconv.Itoa(m.Engagement.RepeatReporters); got != want[0][0] || got == "0" {
				t.Errorf("%+v: %s repeat reporters, want %s", filter, got, want[0][0])
			}
		}
		if !f.db.Postgres() {
			return
		}
		sent := f.db.TraceForTest(t)
		if _, err := f.db.Metrics(ctx, ally.MetricsFilter{From: from.Add(time.Minute), To: now}); err != nil {
			t.Fatal(err)
		}
		lookups := 0
		for _, q := range sent() {
			if strings.Contains(q, "reporter_id") && strings.Contains(q, "id <") {
				lookups++
			}
		}
		if lookups > 2 { // the period, and the period before
			t.Errorf("%d statements looked up earlier cases; want one a period", lookups)
		}
	})
}
