package store_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/allydesk/ally"
)

// TestPaginationUnderConcurrentInserts walks the newest-first and priority
// lists page by page while other reporters keep filing cases, and checks
// that every case that existed before the walk appears exactly once.
func TestPaginationUnderConcurrentInserts(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		sevs := []ally.Severity{ally.SeverityLow, ally.SeverityMedium, ally.SeverityHigh, ally.SeverityCritical}
		before := map[string]bool{}
		for i := range 57 {
			c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindOther, Summary: fmt.Sprint("case ", i)})
			if i%3 == 0 {
				st := ally.StatusInvestigating
				if _, err := f.db.UpdateCase(f.as(f.resp), c.Ref, ally.CaseUpdate{Status: &st, Severity: &sevs[i%4]}); err != nil {
					t.Fatal(err)
				}
			}
			before[c.Ref] = true
		}
		for _, sort := range []string{"newest", "priority"} {
			var wg sync.WaitGroup
			stop := make(chan struct{})
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
						if _, err := f.db.CreateCase(f.as(f.bob), &ally.NewCase{Kind: ally.KindOther}); err != nil {
							t.Error(err)
							return
						}
					}
				}
			}()
			seen := map[string]int{}
			cursor, pages := "", 0
			for {
				page, err := f.db.FindCases(f.as(f.lead), ally.CaseFilter{Sort: sort, Limit: 7, Cursor: cursor})
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range page.Items {
					seen[c.Ref]++
				}
				pages++
				if page.NextCursor == nil {
					break
				}
				cursor = *page.NextCursor
			}
			close(stop)
			wg.Wait()
			for ref := range before {
				if seen[ref] != 1 {
					t.Errorf("%s: %s seen %d times over %d pages", sort, ref, seen[ref], pages)
				}
			}
			for ref, n := range seen {
				if n > 1 {
					t.Errorf("%s: %s duplicated", sort, ref)
				}
			}
		}
	})
}

func TestFilters(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindLostDevice})
		c := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindClickedLink})
		if _, err := f.db.UpdateCase(f.as(f.resp), c.Ref, ally.CaseUpdate{Assignee: ptr("rita@example.org"),
			Status: ptr(ally.StatusResolved), Severity: ptr(ally.SeverityLow), Outcome: ptr("All done: your account is safe.")}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			f    ally.CaseFilter
			as   *ally.User
			want int
		}{
			{"kind", ally.CaseFilter{Kind: ally.KindLostDevice}, f.lead, 1},
			{"status", ally.CaseFilter{Status: []ally.Status{ally.StatusResolved}}, f.lead, 1},
			{"open", ally.CaseFilter{Open: true}, f.lead, 1},
			{"severity", ally.CaseFilter{Severity: ally.SeverityLow}, f.lead, 1},
			{"mine", ally.CaseFilter{Assignee: "me"}, f.resp, 1},
			{"assignee email", ally.CaseFilter{Assignee: "rita@example.org"}, f.lead, 1},
			{"unassigned", ally.CaseFilter{Assignee: "none"}, f.lead, 1},
			{"reporter sees own", ally.CaseFilter{}, f.alice, 1},
		}
		for _, tc := range cases {
			page, err := f.db.FindCases(f.as(tc.as), tc.f)
			if err != nil || len(page.Items) != tc.want {
				t.Errorf("%s: got %d items, err %v; want %d", tc.name, len(page.Items), err, tc.want)
			}
		}
		for _, bad := range []ally.CaseFilter{{Kind: "x"}, {Severity: "x"}, {Status: []ally.Status{"x"}},
			{Sort: "x"}, {Cursor: "!!"}} {
			_, err := f.db.FindCases(f.as(f.lead), bad)
			wantCode(t, err, ally.EINVALID)
		}
		// Issue 20 F11: an unknown assignee finds nothing, like a known one
		// with no cases; a reporter may not filter by anyone's email.
		if page, err := f.db.FindCases(f.as(f.lead), ally.CaseFilter{Assignee: "nobody@example.org"}); err != nil ||
			len(page.Items) != 0 {
			t.Errorf("unknown assignee: %v %v", page, err)
		}
		_, err := f.db.FindCases(f.as(f.alice), ally.CaseFilter{Assignee: f.resp.Email})
		wantCode(t, err, ally.EINVALID)
	})
}
