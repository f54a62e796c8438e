package store_test

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
)

// importable returns a closed case with a timeline and feedback, and a new
// one, reported by alice.
func importable(f *fixture) []store.ImportCase {
	at := f.clock.now().Add(-48 * time.Hour)
	closed := ally.Case{Kind: ally.KindClickedLink, Summary: "Clicked a parcel link", Status: ally.StatusNew,
		Severity: ally.SeverityMedium, ReporterID: f.alice.ID, ReportedAt: at, UpdatedAt: at}
	for i, st := range []ally.Status{ally.StatusAcknowledged, ally.StatusResolved, ally.StatusClosed} {
		if err := closed.SetStatus(st, at.Add(time.Duration(i+1)*time.Hour)); err != nil {
			panic(err)
		}
	}
	closed.AssigneeID = f.resp.ID
	return []store.ImportCase{{
		Case: closed,
		Entries: []ally.Entry{{Type: ally.EntrySystem, Body: "Reported by Alice.", CreatedAt: at},
			{Type: ally.EntryMessage, Body: "Thanks for telling us so quickly.", CreatedAt: at.Add(time.Hour)}},
		AuthorID: []int64{0, f.resp.ID},
		Feedback: &ally.Feedback{Rating: 5, Comment: "Kind and quick", CreatedAt: at.Add(3 * time.Hour)},
	}, {
		Case: ally.Case{Kind: ally.KindLostDevice, Summary: "Left my laptop on the train", Status: ally.StatusNew,
			Severity: ally.SeverityHigh, ReporterID: f.alice.ID, ReportedAt: at, UpdatedAt: at},
	}}
}

func TestBulkLoad(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := ally.NewOperatorContext(context.Background())
		before, err := f.db.IndexDefsForTest(ctx)
		if err != nil || len(before) < 10 {
			t.Fatalf("indexes before: %d %v", len(before), err)
		}
		err = f.db.BulkLoad(ctx, func() error {
			if during, _ := f.db.IndexDefsForTest(ctx); len(during) != 0 {
				t.Errorf("%d indexes left during the load", len(during))
			}
			return f.db.ImportCases(ctx, importable(f))
		})
		if err != nil {
			t.Fatal(err)
		}
		after, err := f.db.IndexDefsForTest(ctx)
		if err != nil || !maps.Equal(before, after) {
			t.Fatalf("indexes after the load differ: %v %v", after, err)
		}
		counts, err := f.db.CountCases(f.as(f.lead))
		if err != nil || counts[ally.StatusClosed] != 1 || counts[ally.StatusNew] != 1 {
			t.Fatalf("counts %v %v", counts, err)
		}
		page, err := f.db.FindCases(f.as(f.alice), ally.CaseFilter{Kind: ally.KindClickedLink})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("alice's imported case: %+v %v", page, err)
		}
		c := page.Items[0]
		if c.ClosedAt == nil || c.Assignee == nil || c.Assignee.Email != f.resp.Email {
			t.Fatalf("imported case: %+v", c)
		}
		tl, err := f.db.Timeline(f.as(f.alice), c.Ref, 0, 50)
		if err != nil || len(tl) != 2 || tl[1].Author == nil || tl[1].Author.Email != f.resp.Email {
			t.Fatalf("timeline %+v %v", tl, err)
		}

		// A failed load still gets its indexes back, and foreign keys are
		// checked again afterwards.
		boom := errors.New("generator failed")
		if err := f.db.BulkLoad(ctx, func() error { return boom }); !errors.Is(err, boom) {
			t.Fatalf("failed load: %v", err)
		}
		if again, _ := f.db.IndexDefsForTest(ctx); !maps.Equal(before, again) {
			t.Fatalf("indexes after a failed load: %v", again)
		}
		// So does a load cancelled half way, as by Ctrl+C.
		cancelled, cancel := context.WithCancel(ctx)
		err = f.db.BulkLoad(cancelled, func() error {
			cancel()
			return f.db.ImportCases(cancelled, importable(f))
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled load: %v", err)
		}
		if again, _ := f.db.IndexDefsForTest(ctx); !maps.Equal(before, again) {
			t.Fatalf("indexes after a cancelled load: %v", again)
		}
		err = f.db.ExecForTest(ctx, "INSERT INTO entries (case_id, type, body, internal, created_at) VALUES (999999, 'note', 'x', false, 0)")
		if err == nil {
			t.Fatal("an entry for a missing case was accepted after the bulk load")
		}
	})
}

func TestImportCasesRefusesBadInput(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := ally.NewOperatorContext(context.Background())
		ghost := importable(f)
		ghost[1].Case.ReporterID = 424242
		wrongAuthors := importable(f)
		wrongAuthors[0].AuthorID = wrongAuthors[0].AuthorID[:1]
		for name, load := range map[string]func() error{
			"unknown reporter": func() error { return f.db.ImportCases(ctx, ghost) },
			// Foreign keys are off during a bulk load; the import checks itself.
			"unknown reporter in bulk": func() error {
				return f.db.BulkLoad(ctx, func() error { return f.db.ImportCases(ctx, ghost) })
			},
			"authors don't match entries": func() error { return f.db.ImportCases(ctx, wrongAuthors) },
		} {
			wantCode(t, load(), ally.EINVALID)
			if counts, _ := f.db.CountCases(f.as(f.lead)); len(counts) != 0 && counts[ally.StatusNew]+counts[ally.StatusClosed] != 0 {
				t.Fatalf("%s: cases were imported: %v", name, counts)
			}
		}
		wantCode(t, f.db.ImportCases(f.as(f.admin), importable(f)), ally.EFORBIDDEN)
	})
}

func TestCreateUsers(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := ally.NewOperatorContext(context.Background())
		n := func(email string) *ally.NewUser {
			return &ally.NewUser{Email: email, Name: "New Person", Role: ally.RoleReporter, Password: "long enough password"}
		}
		us, err := f.db.CreateUsers(ctx, []*ally.NewUser{n("one@example.org"), n("two@example.org"), n("three@example.org")})
		if err != nil || len(us) != 3 || us[0].ID >= us[1].ID || us[1].ID >= us[2].ID || us[2].Email != "three@example.org" {
			t.Fatalf("created %+v %v", us, err)
		}
		if _, err := f.db.Authenticate(ctx, "two@example.org", "long enough password"); err != nil {
			t.Fatalf("second account cannot sign in: %v", err)
		}
		// One conflict or one bad entry creates none of them.
		_, err = f.db.CreateUsers(ctx, []*ally.NewUser{n("four@example.org"), n("one@example.org")})
		wantCode(t, err, ally.ECONFLICT)
		_, err = f.db.CreateUsers(ctx, []*ally.NewUser{n("five@example.org"), n("not an email")})
		wantCode(t, err, ally.EINVALID)
		for _, email := range []string{"four@example.org", "five@example.org"} {
			_, err := f.db.FindUserByEmail(ctx, email)
			wantCode(t, err, ally.ENOTFOUND)
		}
		_, err = f.db.CreateUsers(f.as(f.resp), []*ally.NewUser{n("six@example.org")})
		wantCode(t, err, ally.EFORBIDDEN)
	})
}

// TestQueuePlansAfterBulkLoad: after a bulk load SQLite reads every case
// list through an index in list order, never sorting the whole queue. A
// database without planner statistics stays without them (sampled ones once
// made the planner sort a million cases per page); one that has them gets
// them refreshed.
func TestQueuePlansAfterBulkLoad(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := ally.NewOperatorContext(context.Background())
	var cases []store.ImportCase
	for range 300 {
		cases = append(cases, importable(f)...)
	}
	if err := f.db.BulkLoad(ctx, func() error { return f.db.ImportCases(ctx, cases) }); err != nil {
		t.Fatal(err)
	}
	rows, err := f.db.QueryForTest(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
	if err != nil || rows[0][0] != "0" {
		t.Fatal("the bulk load left planner statistics on a database that had none")
	}
	checkPlans := func(when string) {
		t.Helper()
		closed, high := []ally.Status{ally.StatusClosed}, ally.SeverityHigh
		filters := []ally.CaseFilter{{}, {Status: closed}, {Kind: ally.KindClickedLink}, {Severity: high},
			{Status: closed, Kind: ally.KindClickedLink}, {Status: closed, Severity: high},
			{Kind: ally.KindClickedLink, Severity: high}, {Status: closed, Kind: ally.KindClickedLink, Severity: high},
			{Open: true, Sort: "priority"}, {Assignee: "me"}}
		for _, u := range []*ally.User{f.alice, f.resp, f.lead} {
			for _, filter := range filters {
				q, args, err := f.db.CaseQueryForTest(u, filter)
				if err != nil {
					t.Fatal(err)
				}
				plan, err := f.db.QueryForTest(ctx, "EXPLAIN QUERY PLAN "+q, args...)
				if err != nil {
					t.Fatal(err)
				}
				for _, step := range plan {
					d := step[len(step)-1]
					ownCases := u.Role == ally.RoleReporter // a reporter's own few cases may be sorted
					if (strings.Contains(d, "TEMP B-TREE") && !ownCases) || strings.HasPrefix(d, "SCAN r") {
						t.Errorf("%s, %s with %+v: %q", when, u.Role, filter, d)
					}
				}
			}
		}
	}
	checkPlans("without statistics")
	if err := f.db.ExecForTest(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.BulkLoad(ctx, func() error { return f.db.ImportCases(ctx, importable(f)) }); err != nil {
		t.Fatal(err)
	}
	rows, err = f.db.QueryForTest(ctx, "SELECT stat FROM sqlite_stat1 WHERE idx = 'cases_status'")
	if err != nil || len(rows) != 1 || !strings.HasPrefix(rows[0][0], "602 ") {
		t.Fatalf("statistics after the second load: %v %v", rows, err)
	}
	checkPlans("with statistics")
}
