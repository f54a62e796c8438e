package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/demo"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// testClock is a settable clock shared by the store and the server.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// newClockServer is newTestServer with a clock the test moves.
func newClockServer(t *testing.T, clock *testClock) *testServer {
	t.Helper()
	db := storetest.Open(t, "sqlite", store.Options{Now: clock.Now})
	srv := New(Config{Services: Services{Cases: db, Users: db, Audit: db, Tasks: db, Metrics: db, Attachments: db, Insights: db},
		Playbooks: db.Playbooks(), Ready: db.Ping})
	srv.Now = clock.Now
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testServer{URL: hs.URL, DB: db, Srv: srv}
}

// leadsWorld is a desk with a few weeks of history.
type leadsWorld struct {
	ts                     *testServer
	clock                  *testClock
	now                    time.Time
	reporter, other, lead  string
	responder              string
	current, earlier       []string // refs of cases in the last 30 days and in the 30 days before
	ratedRef, ratedComment string
}

// ackMinutes are the minutes to first reply of the current period's cases:
// nearest-rank p50 is 15 min and p90 30 min. The period before took 30 min
// for each of five cases, so the current median is 50% faster.
var ackMinutes = []int{5, 10, 15, 20, 25, 30}

func newLeadsWorld(t *testing.T) *leadsWorld {
	t.Helper()
	// The clock starts from the real time: the session cookies' expiry
	// follows it, and the test's cookie jar uses the real time.
	w := &leadsWorld{clock: &testClock{}, now: time.Now().UTC().Truncate(time.Minute),
		reporter: "rita@example.com", other: "omar@example.com", lead: "lee@example.com", responder: "sam@example.com"}
	w.ts = newClockServer(t, w.clock)
	w.ts.addUser(t, w.reporter, "Rita Lopez", ally.RoleReporter, "Finance")
	w.ts.addUser(t, w.other, "Omar Haddad", ally.RoleReporter, "Sales")
	w.ts.addUser(t, w.lead, "Lee Chen", ally.RoleLead, "Security")
	w.ts.addUser(t, w.responder, "Sam Okafor", ally.RoleResponder, "Security")
	open := func(at time.Time, ack int) string {
		w.clock.set(at)
		occurred := at.Add(-time.Hour)
		c, err := w.ts.DB.CreateCase(asUser(t, w.ts, w.reporter), &ally.NewCase{Kind: ally.KindClickedLink,
			Summary: "I clicked a link in an email about my pay slip", OccurredAt: &occurred})
		if err != nil {
			t.Fatal(err)
		}
		w.clock.set(at.Add(time.Duration(ack) * time.Minute))
		st := ally.StatusAcknowledged
		if _, err := w.ts.DB.UpdateCase(asUser(t, w.ts, w.responder), c.Ref, ally.CaseUpdate{Status: &st}); err != nil {
			t.Fatal(err)
		}
		return c.Ref
	}
	for i := range 5 {
		w.earlier = append(w.earlier, open(w.now.AddDate(0, 0, -40+i), 30))
	}
	for i, m := range ackMinutes {
		w.current = append(w.current, open(w.now.AddDate(0, 0, -20+2*i), m))
	}
	w.ratedRef, w.ratedComment = w.current[0], "Quick and kind. Thank you."
	w.clock.set(w.now.Add(-time.Hour))
	st, outcome := ally.StatusResolved, "All sorted. Thank you for telling us."
	if _, err := w.ts.DB.UpdateCase(asUser(t, w.ts, w.responder), w.ratedRef,
		ally.CaseUpdate{Status: &st, Outcome: &outcome}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ts.DB.AddFeedback(asUser(t, w.ts, w.reporter), w.ratedRef, ally.Feedback{Rating: 5, Comment: w.ratedComment}); err != nil {
		t.Fatal(err)
	}
	w.clock.set(w.now)
	return w
}

// client signs in as email.
func (w *leadsWorld) client(t *testing.T, email string) *pageClient {
	pc := newPageClient(t, w.ts)
	pc.signIn(email, testPassword)
	return pc
}

func TestLeadsPagesRefuseOthers(t *testing.T) {
	w := newLeadsWorld(t)
	for _, who := range []string{w.reporter, w.responder} {
		pc := w.client(t, who)
		for _, path := range []string{"/dashboard", "/dashboard.csv", "/insights?period=30"} {
			code, body, _ := pc.get(path)
			if code != http.StatusForbidden || !strings.Contains(body, "This page is not open to you") {
				t.Errorf("%s GET %s: %d, want the 403 page", who, path, code)
			}
		}
		if code, _, _ := pc.post("/lessons", url.Values{"title": {"A lesson"}, "body": {"Tell us fast."}}); code != http.StatusForbidden {
			t.Errorf("%s POST /lessons: %d, want 403", who, code)
		}
		if code, body, _ := pc.get("/lessons"); code != http.StatusOK || strings.Contains(body, `action="/lessons"`) {
			t.Errorf("%s GET /lessons: %d, and the publish form shown: %v", who, code, strings.Contains(body, `action="/lessons"`))
		}
		if _, body, _ := pc.get("/lessons"); strings.Contains(body, `href="/dashboard"`) {
			t.Errorf("%s sees the Dashboard link", who)
		}
	}
	ls, err := w.ts.DB.Lessons(asUser(t, w.ts, w.lead), 0, 10)
	if err != nil || len(ls) != 0 {
		t.Errorf("lessons after refused posts: %d, %v", len(ls), err)
	}
	anon := newPageClient(t, w.ts)
	if code, _, h := anon.get("/dashboard?period=7"); code != http.StatusSeeOther || h.Get("Location") != "/login?next=%2Fdashboard%3Fperiod%3D7" {
		t.Errorf("anonymous /dashboard: %d to %q", code, h.Get("Location"))
	}
}

func TestDashboardShowsTheServiceFigures(t *testing.T) {
	w := newLeadsWorld(t)
	pc := w.client(t, w.lead)
	code, body, _ := pc.get("/dashboard?period=30")
	if code != http.StatusOK {
		t.Fatalf("GET /dashboard: %d\n%s", code, body)
	}
	m, err := w.ts.DB.Metrics(asUser(t, w.ts, w.lead), ally.MetricsFilter{From: w.now.AddDate(0, 0, -30), To: w.now})
	if err != nil {
		t.Fatal(err)
	}
	if m.TimeToAcknowledge.N != len(ackMinutes) || *m.TimeToAcknowledge.P50Seconds != 900 {
		t.Fatalf("the service's figures are not what the test set up: %+v", m.TimeToAcknowledge)
	}
	text := html.UnescapeString(body)
	for _, want := range []string{
		"Time to first reply", humanDuration(*m.TimeToAcknowledge.P50Seconds),
		"9 in 10 within " + humanDuration(*m.TimeToAcknowledge.P90Seconds) + ".",
		plural(m.TimeToAcknowledge.N, "case"),
		"50% faster than the period before",
		"Time to report", humanDuration(*m.TimeToReport.P50Seconds),
		"Too few cases to judge", // nothing was contained yet
		fmt.Sprintf("%.1f out of 5", *m.Satisfaction.Mean), "Too few ratings to judge.", w.ratedComment,
		`<p class="figure-value">` + fmt.Sprint(m.Engagement.CasesReported) + "<",
		"Cases reported per week", "Typical time to first reply per week", `role="img"`, "<desc id=\"chart-cases-d\">",
		`aria-current="page">Last 30 days`, "/dashboard.csv?period=30",
	} {
		if !strings.Contains(text, want) && !strings.Contains(body, want) {
			t.Errorf("the dashboard does not show %q", want)
		}
	}
	if humanDuration(900) != "15 min" || humanDuration(1800) != "30 min" || m.Engagement.CasesReported != len(ackMinutes) {
		t.Errorf("figures: %s, %s, %d cases", humanDuration(900), humanDuration(1800), m.Engagement.CasesReported)
	}

	t.Run("filters", func(t *testing.T) {
		_, body, _ := pc.get("/dashboard?kind=lost_device&department=Finance&from=2026-11-01&to=2026-11-26")
		if !strings.Contains(body, "1 Nov 2026 to 26 Nov 2026") || !strings.Contains(body, `value="lost_device" selected`) ||
			!strings.Contains(body, `value="Finance"`) {
			t.Error("the filters are not shown as chosen")
		}
		if strings.Contains(body, "faster than") || !strings.Contains(body, "No ratings yet") {
			t.Error("a kind with no cases still shows figures")
		}
		if code, body, _ := pc.get("/dashboard?from=2026-11-20&to=2026-11-01"); code != http.StatusBadRequest || !strings.Contains(body, "before the last day") {
			t.Errorf("dates the wrong way round: %d", code)
		}
		if code, _, _ := pc.get("/dashboard?kind=nonsense"); code != http.StatusBadRequest {
			t.Errorf("a bad kind: %d", code)
		}
	})
}

func TestDashboardCSV(t *testing.T) {
	w := newLeadsWorld(t)
	pc := w.client(t, w.lead)
	res, err := pc.c.Get(w.ts.URL + "/dashboard.csv?period=30")
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, res)
	from := w.now.AddDate(0, 0, -30)
	file := "ally-metrics-" + from.Format(time.DateOnly) + "-to-" + w.now.Format(time.DateOnly) + ".csv"
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		res.Header.Get("Content-Disposition") != `attachment; filename="`+file+`"` {
		t.Fatalf("CSV: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		got[r[0]] = r[1]
	}
	for k, v := range map[string]string{"metric": "value", "time_to_acknowledge.n": "6", "time_to_acknowledge.p50_seconds": "900",
		"time_to_acknowledge.p90_seconds": "1800", "engagement.cases_reported": "6", "satisfaction.responses": "1",
		"time_to_report.p50_seconds": "3600", "from": from.Format(time.RFC3339)} {
		if got[k] != v {
			t.Errorf("CSV %s = %q, want %q", k, got[k], v)
		}
	}
	m, err := w.ts.DB.Metrics(asUser(t, w.ts, w.lead), ally.MetricsFilter{From: w.now.AddDate(0, 0, -30), To: w.now})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(m.Rows()) + 1; len(rows) != want {
		t.Errorf("CSV has %d rows, want %d", len(rows), want)
	}
}

func TestInsightsPage(t *testing.T) {
	w := newLeadsWorld(t)
	pc := w.client(t, w.lead)
	code, body, _ := pc.get("/insights")
	if code != http.StatusOK {
		t.Fatalf("GET /insights: %d\n%s", code, body)
	}
	text := html.UnescapeString(body)
	in, err := w.ts.DB.Insights(asUser(t, w.ts, w.lead), w.now.AddDate(0, 0, -90), w.now)
	if err != nil {
		t.Fatal(err)
	}
	wants := []string{"No one is named. Groups smaller than five are shown together as “Smaller groups together”.", `aria-current="page">Last 90 days`,
		fmt.Sprintf("%d cases.", in.Cases), "When it happened (or was reported), in UTC."}
	for _, g := range in.Kinds {
		wants = append(wants, kindLabel(g.Name), plural(g.Count, "case")+" · "+percentOf(g.Share, 1))
	}
	for _, r := range in.Recommendations {
		wants = append(wants, r.Topic, r.Evidence)
	}
	if len(in.Kinds) == 0 || len(in.Recommendations) == 0 {
		t.Fatalf("the test's cases give no groups or recommendations: %+v", in)
	}
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("the insights page does not show %q", want)
		}
	}
	if strings.Contains(text, "Rita") || strings.Contains(text, w.reporter) {
		t.Error("the insights page names a reporter")
	}
	// The clicks' evidence names the kind as the rest of the screens do
	// ("Clicked a link"), not as its id in words ("Clicked link").
	if !regexp.MustCompile(`Evidence:</span> Clicked a link: \d+ of \d+`).MatchString(body) {
		t.Errorf("the evidence lines do not name the kind as the screens do:\n%s",
			strings.Join(regexp.MustCompile(`Evidence:</span>[^<]*`).FindAllString(body, -1), "\n"))
	}
}

// goodLesson reads kindly at a low grade.
var goodLesson = ally.NewLesson{Title: "Pay slip emails",
	Body: "Some of us got a fake email about a pay slip. It asked us to sign in. If you get one, do not sign in. Tell us. We will check it for you."}

func TestPublishLesson(t *testing.T) {
	w := newLeadsWorld(t)
	lead := w.client(t, w.lead)
	if _, body, _ := lead.get("/lessons"); !strings.Contains(body, `action="/lessons"`) || !strings.Contains(body, "Reports this came from") {
		t.Fatal("a lead does not see the publish form")
	}

	blaming := url.Values{"title": {"Links"}, "body": {"Why did you click the link? You should have known better."},
		"cases": {w.current[1]}}
	code, body, _ := lead.post("/lessons", blaming)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Lesson text: ") ||
		!strings.Contains(body, `id="lesson-body" name="body"`) || !strings.Contains(html.UnescapeString(body), blaming.Get("body")+"</textarea>") ||
		!strings.Contains(body, `value="`+w.current[1]+`"`) || !strings.Contains(body, `aria-invalid="true"`) {
		t.Errorf("a blaming lesson: %d, want 422 with the message and the text kept\n%s", code, body)
	}
	if ls, _ := w.ts.DB.Lessons(asUser(t, w.ts, w.lead), 0, 10); len(ls) != 0 {
		t.Errorf("a blaming lesson was stored: %d lessons", len(ls))
	}
	if code, body, _ := lead.post("/lessons", url.Values{"title": {goodLesson.Title}, "body": {goodLesson.Body}, "cases": {"AL-999999"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "Reports this came from: ") {
		t.Errorf("an unknown report: %d", code)
	}

	code, _, loc := lead.post("/lessons", url.Values{"title": {goodLesson.Title}, "body": {goodLesson.Body},
		"cases": {strings.ToLower(w.current[1]) + ", " + w.current[2]}})
	if code != http.StatusSeeOther || loc != "/lessons?done=lesson" {
		t.Fatalf("a good lesson: %d to %q", code, loc)
	}
	if _, body, _ := lead.get(loc); !strings.Contains(body, publishedNotice) || !strings.Contains(body, goodLesson.Title) || !strings.Contains(body, "from 2 reports") {
		t.Error("the lessons page does not confirm and show the lesson")
	}

	const thanks = "Your report helped with this — thank you."
	_, home, _ := w.client(t, w.reporter).get("/")
	if !strings.Contains(home, goodLesson.Title) || !strings.Contains(home, thanks) {
		t.Error("the reporter's home does not show the lesson with the thank-you")
	}
	_, home, _ = w.client(t, w.other).get("/")
	if !strings.Contains(home, goodLesson.Title) || strings.Contains(home, thanks) {
		t.Error("another reporter's home: the lesson should show, the thank-you should not")
	}
}

func TestLessonsPaging(t *testing.T) {
	w := newLeadsWorld(t)
	ctx := asUser(t, w.ts, w.lead)
	for i := range lessonsLimit + 2 {
		n := goodLesson
		n.Title = fmt.Sprintf("Lesson number %d", i+1)
		if _, err := w.ts.DB.PublishLesson(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	pc := w.client(t, w.reporter)
	_, body, _ := pc.get("/lessons")
	older := regexpFind(t, body, `href="(/lessons\?cursor=\d+)&amp;back=" rel="next">Older lessons`)
	if !strings.Contains(body, "Lesson number 12") || strings.Contains(body, "Lesson number 2<") {
		t.Error("the first page is not the newest ten")
	}
	_, body, _ = pc.get(older)
	if !strings.Contains(body, "Lesson number 2<") || !strings.Contains(body, "Lesson number 1<") ||
		strings.Contains(body, "Lesson number 3<") || strings.Contains(body, "Older lessons") {
		t.Error("the older page is not the last two lessons")
	}
	for _, q := range []string{"cursor=x", "cursor=abc", "cursor=0", "before=x"} {
		if code, page, _ := pc.get("/lessons?" + q); code != http.StatusBadRequest ||
			!strings.Contains(page, "That link to older lessons is not right") {
			t.Errorf("/lessons?%s: %d, want 400 saying the link is not right", q, code)
		}
	}
	if _, page, _ := pc.get(strings.Replace(older, "cursor=", "before=", 1)); !strings.Contains(page, "Lesson number 1<") {
		t.Error("an older link with ?before= no longer pages")
	}
	_, home, _ := pc.get("/")
	if strings.Count(home, `class="card lesson"`) != homeLessons {
		t.Errorf("home shows %d lessons, want %d", strings.Count(home, `class="card lesson"`), homeLessons)
	}
}

// regexpFind returns the first group of pattern in s, or fails the test.
func regexpFind(t *testing.T, s, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in the page", pattern)
	}
	return m[1]
}

func TestReadPeriod(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		query    string
		from, to time.Time
		days     int
		rng      string
	}{
		{"", now.AddDate(0, 0, -30), now, 30, "28 Oct 2026 to 27 Nov 2026"},
		{"period=7&kind=lost_device", now.AddDate(0, 0, -7), now, 7, "20 Nov 2026 to 27 Nov 2026"},
		{"period=7&from=2026-11-01&to=2026-11-10", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC), 0, "1 Nov 2026 to 10 Nov 2026"},
		{"to=2026-11-10T06:00:00Z", time.Date(2026, 10, 11, 6, 0, 0, 0, time.UTC),
			time.Date(2026, 11, 10, 6, 0, 0, 0, time.UTC), 0, "11 Oct 2026 to 10 Nov 2026"},
		{"from=2026-11-20", time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), now, 0, "20 Nov 2026 to 27 Nov 2026"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/dashboard?"+c.query, nil)
		p, err := readPeriod(r, now, "/dashboard", dashboardPeriods, 30, "kind")
		if err != nil {
			t.Errorf("%q: %v", c.query, err)
			continue
		}
		if !p.From.Equal(c.from) || !p.To.Equal(c.to) || p.Days != c.days || p.Range != c.rng {
			t.Errorf("%q: %v to %v (%d days, %q), want %v to %v (%d, %q)", c.query, p.From, p.To, p.Days, p.Range, c.from, c.to, c.days, c.rng)
		}
		if c.query == "period=7&kind=lost_device" && p.Links[0].URL != "/dashboard?kind=lost_device&period=7" {
			t.Errorf("the period link keeps the kind: %q", p.Links[0].URL)
		}
	}
	for _, q := range []string{"from=yesterday", "to=2026-13-01", "from=2026-11-20&to=2026-11-01",
		"period=8", "period=abc", "period=-7", "period=abc&from=2026-11-01"} {
		if _, err := readPeriod(httptest.NewRequest(http.MethodGet, "/dashboard?"+q, nil), now, "/dashboard", dashboardPeriods, 30); ally.ErrorCode(err) != ally.EINVALID {
			t.Errorf("%q: %v, want EINVALID", q, err)
		}
	}
}

func TestHumanDuration(t *testing.T) {
	for sec, want := range map[float64]string{0: "0 s", 42: "42 s", 60: "1 min", 899: "15 min", 3600: "1 h", 5400: "1.5 h",
		36000: "10 h", 47 * 3600: "47 h", 4 * 86400: "4 days", 3.5 * 86400: "3.5 days"} {
		if got := humanDuration(sec); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", sec, got, want)
		}
	}
}

func TestTrends(t *testing.T) {
	stat := func(n int, p50 float64, prev *ally.DurationStat) ally.DurationStat {
		return ally.DurationStat{N: n, P50Seconds: &p50, Previous: prev}
	}
	for _, c := range []struct {
		s    ally.DurationStat
		want trend
	}{
		{stat(10, 800, new(stat(10, 1000, nil))), trend{"↓", "20% faster than the period before", "better"}},
		{stat(10, 1500, new(stat(10, 1000, nil))), trend{"↑", "50% slower than the period before", "worse"}},
		{stat(10, 1020, new(stat(10, 1000, nil))), trend{"→", "About the same as the period before", "same"}},
		{stat(4, 800, new(stat(10, 1000, nil))), trend{}},
		{stat(10, 800, new(stat(4, 1000, nil))), trend{}},
		{stat(10, 800, nil), trend{}},
		{stat(10, 800, new(stat(10, 0, nil))), trend{}},
	} {
		if got := durationTrend(c.s); got != c.want {
			t.Errorf("durationTrend(n=%d p50=%v) = %+v, want %+v", c.s.N, *c.s.P50Seconds, got, c.want)
		}
	}
	if got := countTrend(12, 10); got.Words != "20% more than the period before (10)" {
		t.Errorf("countTrend(12, 10) = %+v", got)
	}
	if got := countTrend(12, 3); got != (trend{}) {
		t.Errorf("countTrend with a small earlier count = %+v", got)
	}
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		cur, prev      *float64
		whole          float64
		higherIsBetter bool
		want           trend
	}{
		{f(80), f(70), 100, true, trend{"↑", "10 points higher than the period before (70%)", "better"}},
		{f(0.05), f(0.2), 1, false, trend{"↓", "15 points lower than the period before (20%)", "better"}},
		{f(0.3), f(0.2), 1, false, trend{"↑", "10 points higher than the period before (20%)", "worse"}},
		{f(69), f(70), 100, true, trend{"→", "About the same as the period before", "same"}},
		{f(0.1), nil, 1, false, trend{}},
	} {
		if got := shareTrend(c.cur, c.prev, c.whole, c.higherIsBetter); got != c.want {
			t.Errorf("shareTrend(%v, %v) = %+v, want %+v", val(c.cur), val(c.prev), got, c.want)
		}
	}
}

func val(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

func TestLessonFormHelpers(t *testing.T) {
	if got := caseRefs(" al-1042, AL-1043;AL-1044\nal-1045  "); strings.Join(got, "|") != "AL-1042|AL-1043|AL-1044|AL-1045" {
		t.Errorf("caseRefs = %q", got)
	}
	if got := caseRefs(" , "); len(got) != 0 {
		t.Errorf("caseRefs of nothing = %q", got)
	}
	for msg, want := range map[string][2]string{
		`body: reads at grade 11.0; use shorter words`: {"body", "Lesson text: reads at grade 11.0; use shorter words"},
		`cases: no case AL-9 was found.`:               {"cases", "Reports this came from: no case AL-9 was found."},
		`Something else went wrong.`:                   {"", "Something else went wrong."},
		`colour: not a field`:                          {"", "colour: not a field"},
	} {
		if f, text := fieldOf(msg); f != want[0] || text != want[1] {
			t.Errorf("fieldOf(%q) = %q, %q", msg, f, text)
		}
	}
}

// FuzzCaseRefs checks that refs read from the form are never empty and
// never hold a separator.
func FuzzCaseRefs(f *testing.F) {
	for _, s := range []string{"AL-1042, AL-1043", ";;", "al-1\tal-2\n", "\u00a0AL-1\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, ref := range caseRefs(s) {
			if ref == "" || strings.ContainsAny(ref, ",; \t\n") {
				t.Errorf("caseRefs(%q) gave %q", s, ref)
			}
		}
	})
}

// leadBench returns a server over benchCases demo cases (90 days) and a
// lead's session cookie.
func leadBench(b *testing.B) (*Server, *http.Cookie) {
	b.Helper()
	ctx := ally.NewOperatorContext(context.Background())
	ts := newTestServer(b)
	if err := demo.Load(ctx, ts.DB, demo.Options{Cases: benchCases, Span: 90 * 24 * time.Hour, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	users, err := demo.EnsureAccounts(ctx, ts.DB)
	if err != nil {
		b.Fatal(err)
	}
	for _, u := range users {
		if u.Role == ally.RoleLead {
			sess, err := ts.DB.CreateSession(ctx, u.ID, time.Hour)
			if err != nil {
				b.Fatal(err)
			}
			return ts.Srv, &http.Cookie{Name: SessionCookie, Value: sess.Secret}
		}
	}
	b.Fatal("the demo has no lead")
	return nil, nil
}

// BenchmarkRenderDashboard measures the dashboard over 90 days: the
// metrics of two periods, the weekly charts and the page.
func BenchmarkRenderDashboard(b *testing.B) {
	srv, cookie := leadBench(b)
	benchPage(b, srv, cookie, "/dashboard?period=90")
}

// BenchmarkRenderInsights measures the insights page over 90 days.
func BenchmarkRenderInsights(b *testing.B) {
	srv, cookie := leadBench(b)
	benchPage(b, srv, cookie, "/insights")
}

// TestSatisfactionAndToneTrends: the dashboard compares the share rated 4
// or 5 and the share of blaming replies with the period before, only when
// both periods have enough to judge.
func TestSatisfactionAndToneTrends(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	sat := func(n int, csat float64, prev *ally.Satisfaction) ally.Satisfaction {
		return ally.Satisfaction{Responses: n, Mean: f(4), CSATPercent: f(csat), ResponseRate: f(0.5), Previous: prev}
	}
	if got := satisfactionFigures(sat(10, 80, new(sat(10, 60, nil))))[1].Trend; got.Class != "better" || !strings.Contains(got.Words, "20 points higher") {
		t.Errorf("rated 4 or 5 trend = %+v", got)
	}
	if got := satisfactionFigures(sat(10, 80, new(sat(3, 60, nil))))[1].Trend; got != (trend{}) {
		t.Errorf("a trend from 3 earlier ratings: %+v", got)
	}
	tone := func(n int, share float64, prev *ally.ToneStats) ally.ToneStats {
		return ally.ToneStats{MessagesChecked: n, ErrorShare: f(share), Previous: prev}
	}
	if got := toneFigures(tone(40, 0.25, new(tone(40, 0.1, nil))))[1].Trend; got.Class != "worse" || !strings.Contains(got.Words, "15 points higher") {
		t.Errorf("blaming share trend = %+v", got)
	}
	if got := toneFigures(tone(4, 0.25, new(tone(40, 0.1, nil))))[1].Trend; got != (trend{}) {
		t.Errorf("a trend from 4 replies: %+v", got)
	}
}

// TestWeeklyChartLabels: a week is labelled by its Monday on the
// organisation's clock, even where that Monday is still Sunday in UTC.
func TestWeeklyChartLabels(t *testing.T) {
	monday := time.Date(2026, 11, 23, 0, 0, 0, 0, time.FixedZone("JST", 9*3600)) // Sunday 15:00 UTC
	for zone, want := range map[string]string{"Asia/Tokyo": "23 Nov", "UTC": "22 Nov", "Nowhere/Special": "22 Nov"} {
		charts := weeklyCharts([]ally.WeekPoint{{Start: monday, Reported: 3}}, zone)
		if got := charts[0].XTicks[0].Label; got != want {
			t.Errorf("in %s the week is labelled %q, want %q", zone, got, want)
		}
	}
}
