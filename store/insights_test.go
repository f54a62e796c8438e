package store_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

func TestInsightsMergeSmallGroups(t *testing.T) {
	raw, err := os.ReadFile("testdata/parcel.eml")
	if err != nil {
		t.Fatal(err)
	}
	each(t, func(t *testing.T, f *fixture) {
		// Six rushed clicks from Finance, two lost devices from Sales, and
		// six reported parcel emails (urgency) from Finance.
		for range 6 {
			mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink, Answers: map[string]string{"under_pressure": "yes"}})
		}
		for range 2 {
			mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindLostDevice})
		}
		for range 6 {
			c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail})
			if _, err := f.db.AddAttachment(f.as(f.alice), c.Ref, ally.NewAttachment{Name: "p.eml", Data: raw}); err != nil {
				t.Fatal(err)
			}
		}
		in, err := f.db.Insights(f.as(f.lead), time.Time{}, f.clock.t.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if in.Cases != 14 {
			t.Fatalf("cases = %d", in.Cases)
		}
		names := func(gs []ally.Group) string {
			var s []string
			for _, g := range gs {
				s = append(s, g.Name+"="+itoa(g.Count))
			}
			return strings.Join(s, ",")
		}
		if got := names(in.Departments); got != "Finance=12,other=2" {
			t.Errorf("departments = %s (Sales has 2 cases, under the minimum group of 5)", got)
		}
		if got := names(in.Kinds); got != "clicked_link=6,suspicious_email=6,other=2" {
			t.Errorf("kinds = %s", got)
		}
		if got := names(in.Pressure); got != "yes=6" {
			t.Errorf("pressure = %s", got)
		}
		if !strings.Contains(names(in.Lures), "urgency=6") {
			t.Errorf("lures = %s", names(in.Lures))
		}
		topics := ""
		for _, r := range in.Recommendations {
			topics += r.Topic + "|"
			if r.Why == "" || r.Evidence == "" {
				t.Errorf("recommendation without evidence: %+v", r)
			}
		}
		for _, want := range []string{"Checking a link", "Slowing down", "Making it OK to slow down"} {
			if !strings.Contains(topics, want) {
				t.Errorf("recommendations %q lack %q", topics, want)
			}
		}
		if strings.Contains(topics, "devices") {
			t.Errorf("a group of two produced a recommendation: %s", topics)
		}
		_, err = f.db.Insights(f.as(f.resp), time.Time{}, time.Time{})
		wantCode(t, err, ally.EFORBIDDEN)
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestLessons(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c1 := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail})
		c2 := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindSuspiciousEmail})
		_, err := f.db.PublishLesson(f.as(f.resp), ally.NewLesson{Title: "x", Body: "y"})
		wantCode(t, err, ally.EFORBIDDEN)
		_, err = f.db.PublishLesson(f.as(f.lead), ally.NewLesson{Title: "Fake parcels", Body: "Some of you clicked. You should have known better."})
		if ally.ErrorCode(err) != ally.EINVALID || !strings.Contains(ally.ErrorMessage(err), "body:") {
			t.Fatalf("blaming lesson: %v", err)
		}
		_, err = f.db.PublishLesson(f.as(f.lead), ally.NewLesson{Title: "Fake parcels", Body: "Thanks.", Cases: []string{"AL-99999"}})
		wantCode(t, err, ally.ENOTFOUND)
		l, err := f.db.PublishLesson(f.as(f.lead), ally.NewLesson{Title: "Fake parcel messages",
			Body:  "This week 14 people told us about a fake parcel message. Thank you! Look at the web address before you click. If in doubt, ask us.",
			Cases: []string{c1.Ref, c2.Ref, c1.Ref}})
		if err != nil || l.Contributors != 2 {
			t.Fatalf("publish: %+v %v", l, err)
		}
		mine, _ := f.db.Lessons(f.as(f.alice), 0, 10)
		others, _ := f.db.Lessons(f.as(f.resp2), 0, 10)
		if len(mine) != 1 || !mine[0].YouHelped || len(others) != 1 || others[0].YouHelped {
			t.Fatalf("lessons: mine %+v others %+v", mine, others)
		}
		tl, _ := f.db.Timeline(f.as(f.alice), c1.Ref, 0, 50)
		if !timelineHas(tl, "Your report helped us write a short lesson") {
			t.Fatal("reporter was not thanked in their case")
		}
		// The count of lessons is unaffected by the refused ones.
		all, _ := f.db.Lessons(f.as(f.lead), 0, 10)
		if len(all) != 1 {
			t.Fatalf("%d lessons", len(all))
		}
	})
}

// TestInsightsInTheOrganisationsTimeZone: times of day and weekdays follow
// Options.Location, and the insights say which clock they use.
func TestInsightsInTheOrganisationsTimeZone(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			now := time.Date(2026, 11, 27, 4, 0, 0, 0, time.UTC) // Friday; 23:00 on Thursday in New York
			db, u := inNewYork(t, e, now)
			ctx := ally.NewOperatorContext(context.Background())
			occurred := now.Add(-30 * time.Minute) // 03:30 UTC, 22:30 in New York
			for range 5 {
				if _, err := db.CreateCase(ally.NewContextWithUser(ctx, u), &ally.NewCase{Kind: ally.KindClickedLink, OccurredAt: &occurred}); err != nil {
					t.Fatal(err)
				}
			}
			in, err := db.Insights(ctx, time.Time{}, now.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if in.TimeZone != "America/New_York" || len(in.TimeOfDay) != 1 || in.TimeOfDay[0].Name != "evening (18–24)" ||
				len(in.DayOfWeek) != 1 || in.DayOfWeek[0].Name != "Thursday" {
				t.Fatalf("in New York: zone %q, time of day %+v, day %+v", in.TimeZone, in.TimeOfDay, in.DayOfWeek)
			}
		})
	}
}

// inNewYork opens a database whose organisation is in New York, with the
// clock stopped at now, and one reporter.
func inNewYork(t *testing.T, engine string, now time.Time) (*store.DB, *ally.User) {
	t.Helper()
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.Open(t, engine, store.Options{Now: func() time.Time { return now }, Location: newYork})
	u, err := db.CreateUser(ally.NewOperatorContext(context.Background()), &ally.NewUser{Email: "ny@example.org", Name: "Nia York", Role: ally.RoleReporter, Password: "long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	return db, u
}
