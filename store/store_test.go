package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// clock is a settable time source for tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// fixture is a migrated database with one user of each kind.
type fixture struct {
	db                                   *store.DB
	clock                                *clock
	alice, bob, resp, resp2, lead, admin *ally.User
}

func (f *fixture) as(u *ally.User) context.Context {
	return ally.NewContextWithUser(context.Background(), u)
}

func newFixture(t *testing.T, engine string) *fixture {
	t.Helper()
	return newFixtureWith(t, engine, store.Options{})
}

// newFixtureWith is newFixture with further options; the fixture's clock
// is always used.
func newFixtureWith(t *testing.T, engine string, opts store.Options) *fixture {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	opts.Now = c.now
	f := &fixture{clock: c, db: storetest.Open(t, engine, opts)}
	add := func(email, name string, role ally.Role, dept string) *ally.User {
		u, err := f.db.CreateUser(ally.NewOperatorContext(context.Background()), &ally.NewUser{Email: email, Name: name, Role: role,
			Department: dept, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.alice = add("alice@example.org", "Alice Reporter", ally.RoleReporter, "Finance")
	f.bob = add("bob@example.org", "Bob Reporter", ally.RoleReporter, "Sales")
	f.resp = add("rita@example.org", "Rita Responder", ally.RoleResponder, "Security")
	f.resp2 = add("ravi@example.org", "Ravi Responder", ally.RoleResponder, "Security")
	f.lead = add("lee@example.org", "Lee Lead", ally.RoleLead, "Security")
	f.admin = add("ada@example.org", "Ada Admin", ally.RoleAdmin, "IT")
	return f
}

// each runs fn on every engine.
func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			fn(t, newFixture(t, e))
		})
	}
}

// enginePlan is the database's plan of the query q with args, one line a
// step: SQLite's EXPLAIN QUERY PLAN details or PostgreSQL's EXPLAIN lines.
// (The package's internal tests read SQLite's alone through queryPlan.)
func enginePlan(t *testing.T, f *fixture, q string, args ...any) []string {
	t.Helper()
	explain := "EXPLAIN QUERY PLAN "
	if f.db.Postgres() {
		explain = "EXPLAIN "
	}
	rows, err := f.db.QueryForTest(context.Background(), explain+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	plan := make([]string, len(rows))
	for i, r := range rows {
		plan[i] = r[len(r)-1]
	}
	return plan
}

func mustCase(t *testing.T, f *fixture, u *ally.User, n ally.NewCase) *ally.Case {
	t.Helper()
	c, err := f.db.CreateCase(f.as(u), &n)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if ally.ErrorCode(err) != code {
		t.Fatalf("got error %v, want code %q", err, code)
	}
}

func TestCreateCase(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		occ := f.clock.t.Add(-20 * time.Minute)
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink, Summary: " Clicked a parcel link ",
			OccurredAt: &occ, Answers: map[string]string{"typed_password": "yes"}})
		if c.Ref != "AL-1001" || c.Status != ally.StatusNew || c.Summary != "Clicked a parcel link" {
			t.Fatalf("case = %+v", c)
		}
		if c.Severity != ally.SeverityHigh {
			t.Errorf("severity = %s, want high (typed password raises it)", c.Severity)
		}
		if c.Department != "Finance" || c.Reporter.Email != "alice@example.org" {
			t.Errorf("reporter/department = %+v %q", c.Reporter, c.Department)
		}
		if len(c.Guidance.Steps) == 0 || c.Guidance.Message == "" {
			t.Errorf("guidance missing: %+v", c.Guidance)
		}
		if c.SLA.AcknowledgeBy == nil || !c.SLA.AcknowledgeBy.After(c.ReportedAt) {
			t.Errorf("sla = %+v", c.SLA)
		}
		got, err := f.db.FindCase(f.as(f.alice), "al-1001")
		if err != nil || !got.OccurredAt.Equal(occ) || got.Answers["typed_password"] != "yes" {
			t.Fatalf("find = %+v, %v", got, err)
		}
		tasks, err := f.db.Tasks(f.as(f.resp), c.Ref)
		if err != nil || len(tasks) == 0 {
			t.Fatalf("tasks = %v, %v", tasks, err)
		}
	})
}

func TestCreateCaseInvalid(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		future := f.clock.t.Add(time.Hour)
		ancient := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC) // issue 20 F15
		for _, n := range []ally.NewCase{{}, {Kind: "bad"}, {Kind: ally.KindOther, OccurredAt: &future},
			{Kind: ally.KindOther, OccurredAt: &ancient},
			{Kind: ally.KindOther, Summary: string(make([]byte, 301))}} {
			_, err := f.db.CreateCase(f.as(f.alice), &n)
			wantCode(t, err, ally.EINVALID)
		}
		_, err := f.db.CreateCase(context.Background(), &ally.NewCase{Kind: ally.KindOther})
		wantCode(t, err, ally.EUNAUTHORIZED)
		page, _ := f.db.FindCases(f.as(f.lead), ally.CaseFilter{})
		if len(page.Items) != 0 {
			t.Fatalf("a refused case was stored: %+v", page.Items)
		}
	})
}

func TestStatusLifecycle(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindLostDevice})
		upd := func(st ally.Status) (*ally.Case, error) {
			f.clock.advance(time.Minute)
			up := ally.CaseUpdate{Status: &st}
			if !st.Open() {
				up.Outcome = ptr("All done: your account is safe.")
			}
			return f.db.UpdateCase(f.as(f.resp), c.Ref, up)
		}
		// Skipping straight to contained stamps acknowledged too, at the same moment.
		got, err := upd(ally.StatusContained)
		if err != nil {
			t.Fatal(err)
		}
		if got.AcknowledgedAt == nil || !got.AcknowledgedAt.Equal(*got.ContainedAt) {
			t.Fatalf("ack %v contained %v", got.AcknowledgedAt, got.ContainedAt)
		}
		ack := *got.AcknowledgedAt
		if _, err := upd(ally.StatusNew); ally.ErrorCode(err) != ally.EINVALID {
			t.Fatalf("backwards move: %v", err)
		}
		if got, err = upd(ally.StatusResolved); err != nil || got.ResolvedAt == nil {
			t.Fatal(got, err)
		}
		resolved := *got.ResolvedAt
		if got, err = upd(ally.StatusInvestigating); err != nil { // reopen
			t.Fatal(err)
		}
		if got.ResolvedAt == nil || !got.ResolvedAt.Equal(resolved) || !got.AcknowledgedAt.Equal(ack) {
			t.Fatalf("reopening cleared or moved timestamps: %+v", got)
		}
		if got, err = upd(ally.StatusClosed); err != nil || got.ClosedAt == nil || !got.ResolvedAt.Equal(resolved) {
			t.Fatalf("close: %+v %v", got, err)
		}
		counts, _ := f.db.CountCases(f.as(f.lead))
		if counts[ally.StatusClosed] != 1 || counts[ally.StatusNew] != 0 || counts[ally.StatusContained] != 0 {
			t.Fatalf("counts = %v", counts)
		}
		_, err = f.db.UpdateCase(f.as(f.alice), c.Ref, ally.CaseUpdate{Status: ptr(ally.StatusResolved), Outcome: ptr("All done: your account is safe.")})
		wantCode(t, err, ally.EFORBIDDEN)
	})
}

func ptr[T any](v T) *T { return &v }

func TestFirstReplyAcknowledges(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail})
		f.clock.advance(3 * time.Minute)
		if _, err := f.db.AddMessage(f.as(f.resp), c.Ref, ally.NewMessage{Body: "Looking now", Internal: true}); err != nil {
			t.Fatal(err)
		}
		got, _ := f.db.FindCase(f.as(f.resp), c.Ref)
		if got.Status != ally.StatusNew {
			t.Fatalf("an internal note acknowledged the case")
		}
		e, err := f.db.AddMessage(f.as(f.resp), c.Ref, ally.NewMessage{Body: "Thanks for reporting this. Let's look at it together."})
		if err != nil || e.Tone == nil {
			t.Fatalf("message %+v %v (responder messages carry a tone result)", e, err)
		}
		got, _ = f.db.FindCase(f.as(f.resp), c.Ref)
		if got.Status != ally.StatusAcknowledged || got.AcknowledgedAt.Sub(got.ReportedAt) != 3*time.Minute {
			t.Fatalf("status %s ack %v", got.Status, got.AcknowledgedAt)
		}
		// The reporter sees the reply and the status change, never the note.
		tl, err := f.db.Timeline(f.as(f.alice), c.Ref, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range tl {
			if e.Internal {
				t.Fatalf("reporter saw an internal entry: %+v", e)
			}
		}
		all, _ := f.db.Timeline(f.as(f.resp), c.Ref, 0, 100)
		if len(all) != len(tl)+1 {
			t.Fatalf("responder sees %d entries, reporter %d", len(all), len(tl))
		}
		_, err = f.db.AddMessage(f.as(f.alice), c.Ref, ally.NewMessage{Body: "psst", Internal: true})
		wantCode(t, err, ally.EFORBIDDEN)
		_, err = f.db.AddMessage(f.as(f.bob), c.Ref, ally.NewMessage{Body: "hi"})
		wantCode(t, err, ally.ENOTFOUND)
		_, err = f.db.AddMessage(f.as(f.alice), c.Ref, ally.NewMessage{Body: "   "})
		wantCode(t, err, ally.EINVALID)
	})
}

func TestConfidentiality(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		secret := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindMisdirectedData, Confidential: true})
		open := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindOther})
		visible := func(u *ally.User) map[string]bool {
			page, err := f.db.FindCases(f.as(u), ally.CaseFilter{})
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]bool{}
			for _, c := range page.Items {
				m[c.Ref] = true
			}
			_, err = f.db.FindCase(f.as(u), secret.Ref)
			if m[secret.Ref] != (err == nil) {
				t.Fatalf("%s: list and find disagree on %s", u.Email, secret.Ref)
			}
			return m
		}
		check := func(u *ally.User, wantSecret, wantOpen bool) {
			t.Helper()
			m := visible(u)
			if m[secret.Ref] != wantSecret || m[open.Ref] != wantOpen {
				t.Errorf("%s sees secret=%v open=%v, want %v %v", u.Email, m[secret.Ref], m[open.Ref], wantSecret, wantOpen)
			}
		}
		check(f.alice, true, false)
		check(f.bob, false, true)
		check(f.resp, false, true)
		check(f.lead, true, true)
		check(f.admin, true, true)
		if _, err := f.db.UpdateCase(f.as(f.lead), secret.Ref, ally.CaseUpdate{Assignee: ptr("rita@example.org")}); err != nil {
			t.Fatal(err)
		}
		check(f.resp, true, true)
		check(f.resp2, false, true)
		counts, _ := f.db.CountCases(f.as(f.resp2))
		if counts[ally.StatusNew] != 1 {
			t.Errorf("ravi counts %v, want only the open case", counts)
		}
		counts, _ = f.db.CountCases(f.as(f.resp))
		if counts[ally.StatusNew] != 2 {
			t.Errorf("rita counts %v, want both", counts)
		}
	})
}

func TestFeedback(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindOther})
		_, err := f.db.AddFeedback(f.as(f.alice), c.Ref, ally.Feedback{Rating: 5})
		wantCode(t, err, ally.ECONFLICT) // still open
		if _, err := f.db.UpdateCase(f.as(f.resp), c.Ref, ally.CaseUpdate{Status: ptr(ally.StatusResolved),
			Outcome: ptr("All done: your account is safe.")}); err != nil {
			t.Fatal(err)
		}
		_, err = f.db.AddFeedback(f.as(f.alice), c.Ref, ally.Feedback{Rating: 6})
		wantCode(t, err, ally.EINVALID)
		_, err = f.db.AddFeedback(f.as(f.resp), c.Ref, ally.Feedback{Rating: 4})
		wantCode(t, err, ally.EFORBIDDEN)
		if _, err := f.db.AddFeedback(f.as(f.alice), c.Ref, ally.Feedback{Rating: 4, Comment: "Kind and quick"}); err != nil {
			t.Fatal(err)
		}
		_, err = f.db.AddFeedback(f.as(f.alice), c.Ref, ally.Feedback{Rating: 1})
		wantCode(t, err, ally.ECONFLICT)
		got, _ := f.db.FindCase(f.as(f.alice), c.Ref)
		if got.Feedback == nil || got.Feedback.Rating != 4 || got.Feedback.Comment != "Kind and quick" {
			t.Fatalf("feedback = %+v", got.Feedback)
		}
	})
}

func TestTasks(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink})
		all, _ := f.db.Tasks(f.as(f.resp), c.Ref)
		mine, _ := f.db.Tasks(f.as(f.alice), c.Ref)
		var respTask, repTask string
		for _, x := range all {
			if x.Owner == ally.OwnerResponder {
				respTask = x.ID
			} else {
				repTask = x.ID
			}
		}
		if respTask == "" || repTask == "" || len(mine) >= len(all) {
			t.Fatalf("all %d mine %d", len(all), len(mine))
		}
		for _, x := range mine {
			if x.Owner != ally.OwnerReporter {
				t.Fatalf("reporter sees responder task %s", x.ID)
			}
		}
		got, err := f.db.SetTaskDone(f.as(f.alice), c.Ref, repTask, true)
		if err != nil || !got.Done || got.DoneBy.Email != "alice@example.org" {
			t.Fatalf("%+v %v", got, err)
		}
		_, err = f.db.SetTaskDone(f.as(f.alice), c.Ref, respTask, true)
		wantCode(t, err, ally.ENOTFOUND)
		_, err = f.db.SetTaskDone(f.as(f.bob), c.Ref, repTask, true)
		wantCode(t, err, ally.ENOTFOUND)
		if got, err = f.db.SetTaskDone(f.as(f.resp), c.Ref, respTask, true); err != nil || !got.Done {
			t.Fatal(err)
		}
		if got, err = f.db.SetTaskDone(f.as(f.resp), c.Ref, respTask, false); err != nil || got.Done {
			t.Fatal(err)
		}
	})
}

// Issue 19 (attack sweep): instances started together on an empty
// PostgreSQL database all migrate it; before the setup lock, two creating
// schema_migrations at once killed one of them.
func TestConcurrentMigrateOnEmptyDatabase(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			for range 3 {
				dsn := storetest.DSN(t, engine)
				const n = 8
				dbs := make([]*store.DB, n)
				for i := range dbs {
					db, err := store.Open(context.Background(), dsn, store.Options{})
					if err != nil {
						t.Fatal(err)
					}
					defer db.Close()
					dbs[i] = db
				}
				start, errs := make(chan struct{}), make(chan error, n)
				for _, db := range dbs {
					go func() {
						<-start
						_, err := db.Migrate(context.Background())
						errs <- err
					}()
				}
				close(start)
				for range n {
					if err := <-errs; err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}
