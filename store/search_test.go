package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// searchCases files the same cases on an engine and returns, for each
// search, the references found (in the default priority order), so that the
// engines can be compared.
func searchCases(t *testing.T, f *fixture, searches []string) map[string][]string {
	t.Helper()
	a := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "Invoice from Contoso",
		Details: "The e-mail said my invoice was overdue; I clicked the link at 9:14."})
	b := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindLostDevice, Summary: "Lost my phone",
		Details: "Left it on the train to Zürich."})
	c := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindOther, Summary: "Strange pop-up",
		Details: "Ein Fenster öffnete sich: 請求書 (invoice)."})
	conf := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindOther, Summary: "Private matter",
		Details: "Payroll spreadsheet sent to the wrong person.", Confidential: true})
	for _, m := range []struct {
		ref  string
		u    *ally.User
		body string
		note bool
	}{
		{b.Ref, f.resp, "Did you have a passcode on the phone?", false},
		{b.Ref, f.bob, "Yes, a six-digit passcode.", false},
		{c.Ref, f.resp, "Internal: looks like adware from freeware-site.example", true},
		{a.Ref, f.resp, "Thanks, we are checking the Contoso sender.", false},
	} {
		if _, err := f.db.AddMessage(f.as(m.u), m.ref, ally.NewMessage{Body: m.body, Internal: m.note}); err != nil {
			t.Fatal(err)
		}
	}
	_ = conf
	out := map[string][]string{}
	for _, s := range searches {
		as, q, _ := strings.Cut(s, ":")
		u := map[string]*ally.User{"lead": f.lead, "resp": f.resp, "bob": f.bob}[as]
		page, err := f.db.FindCases(f.as(u), ally.CaseFilter{Query: q, Sort: "created"})
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		for _, c := range page.Items {
			out[s] = append(out[s], c.Ref)
		}
	}
	return out
}

// TestSearchCases finds cases by reference, reporter, title, words of the
// report and of messages, identically on both engines; never by internal
// notes, and never a case the searcher may not see.
func TestSearchCases(t *testing.T) {
	searches := []string{
		"lead:AL-1001", "lead:al-1003", "lead:invoice", "lead:INVOICE contoso", "lead:invo", "lead:alice",
		"lead:bob@example.org", "lead:Bob Reporter", "lead:passcode", "lead:six digit", "lead:zürich", "lead:請求書",
		"lead:öffnete", "lead:adware", "lead:payroll", "resp:payroll", "bob:invoice", "bob:passcode",
		"lead:nothing-like-this", "lead:  ", "lead:e-mail overdue", "lead:9 14", "lead:\"quoted\" OR *",
	}
	want := map[string][]string{
		"lead:AL-1001":           {"AL-1001"},
		"lead:al-1003":           {"AL-1003"},
		"lead:invoice":           {"AL-1001", "AL-1003"},
		"lead:INVOICE contoso":   {"AL-1001"},
		"lead:invo":              {"AL-1001", "AL-1003"},
		"lead:alice":             {"AL-1001", "AL-1004"},
		"lead:bob@example.org":   {"AL-1002", "AL-1003"},
		"lead:Bob Reporter":      {"AL-1002", "AL-1003"},
		"lead:passcode":          {"AL-1002"},
		"lead:six digit":         {"AL-1002"},
		"lead:zürich":            {"AL-1002"},
		"lead:請求書":               {"AL-1003"},
		"lead:öffnete":           {"AL-1003"},
		"lead:payroll":           {"AL-1004"},
		"bob:passcode":           {"AL-1002"},
		"lead:e-mail overdue":    {"AL-1001"},
		"lead:9 14":              {"AL-1001"},
		"lead:\"quoted\" OR *":   nil, // words, not syntax
		"lead:  ":                {"AL-1001", "AL-1002", "AL-1003", "AL-1004"},
		"resp:payroll":           nil, // confidential, not theirs
		"bob:invoice":            {"AL-1003"},
		"lead:adware":            nil, // internal notes are not searched
		"lead:nothing-like-this": nil,
	}
	results := map[string]map[string][]string{}
	var engines []string
	for _, e := range storetest.Engines() { // each engine again along each path of a dense search (store.find):
		engines = append(engines, e, e+"-dense", e+"-set", e+"-clustered") // checking each case, set, by id
	}
	for _, e := range engines {
		engine, path, _ := strings.Cut(e, "-")
		settings := map[string][3]int{"": {2000, 1000, 15000}, "dense": {0, 1000, 15000}, "set": {0, 1, 0},
			"clustered": {0, 1, 15000}}[path]
		restore := store.SearchPathsForTest(settings[0], settings[1], settings[2])
		results[e] = searchCases(t, newFixture(t, engine), searches)
		restore()
		for _, s := range searches {
			if !slices.Equal(results[e][s], want[s]) {
				t.Errorf("%s: search %q found %v, want %v", e, s, results[e][s], want[s])
			}
		}
	}
	if len(results) < 2 {
		t.Log("only one engine; set ALLY_TEST_POSTGRES to compare SQLite with PostgreSQL")
	}
}

// TestSearchInvalid refuses searches that are too long, changing nothing.
func TestSearchInvalid(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		for _, q := range []string{strings.Repeat("a", 201), "a b c d e f g h i"} {
			_, err := f.db.FindCases(f.as(f.lead), ally.CaseFilter{Query: q})
			wantCode(t, err, ally.EINVALID)
		}
	})
}

// TestSortedPaging walks every order, both ways, with and without a search,
// and checks that the pages hold every case once, in order.
func TestSortedPaging(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		pagingCases(t, f)
		checkPaging(t, f, "", "alpha")
		_, err := f.db.FindCases(f.as(f.lead), ally.CaseFilter{Sort: "due", Cursor: "a2NyZWF0ZWQuMS4x"}) // "kcreated.1.1"
		wantCode(t, err, ally.EINVALID)
	})
}

// TestSearchPagingEveryPath pages through a search in every order along
// each of the ways a search can be read (store/casequery.go find): matches
// checked case by case along the order, read as a set while walking it,
// read by id and sorted, and a mix from page to page, on both engines.
func TestSearchPagingEveryPath(t *testing.T) {
	for _, e := range storetest.Engines() { // one engine at a time: the paths are package settings
		f := newFixture(t, e)
		pagingCases(t, f)
		for _, path := range []struct {
			name            string
			walk, clustered int
		}{{"each", 1000, 0}, {"set", 1, 0}, {"clustered", 1, 15000}, {"mixed", 9, 0}} {
			t.Run(e+"/"+path.name, func(t *testing.T) {
				defer store.SearchPathsForTest(0, path.walk, path.clustered)()
				checkPaging(t, f, "alpha", "case alpha", "beta")
			})
		}
	}
}

// pagingCases files 23 cases with ties in every order, every other one with
// the word alpha and the others with beta.
func pagingCases(t *testing.T, f *fixture) {
	t.Helper()
	sevs := []ally.Severity{ally.SeverityLow, ally.SeverityMedium, ally.SeverityHigh, ally.SeverityCritical}
	for i := range 23 {
		f.clock.advance(time.Duration(i%5) * time.Minute) // ties in created and updated
		word := []string{"alpha", "beta"}[i%2]
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: []ally.Kind{ally.KindSuspiciousEmail, ally.KindOther,
			ally.KindLostDevice}[i%3], Summary: fmt.Sprint("case ", word, " ", i)})
		if i%4 != 0 {
			up := ally.CaseUpdate{Status: ptr([]ally.Status{
				ally.StatusAcknowledged, ally.StatusResolved, ally.StatusInvestigating}[i%3]), Severity: &sevs[i%4]}
			if *up.Status == ally.StatusResolved {
				up.Outcome = ptr("We looked into it.")
			}
			if _, err := f.db.UpdateCase(f.as(f.resp), c.Ref, up); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// checkPaging lists pagingCases' cases in every order, both ways, for each
// search, whole and 4 at a time, and checks that the pages hold every case
// found once, in order.
func checkPaging(t *testing.T, f *fixture, queries ...string) {
	t.Helper()
	for _, sort := range []string{"priority", "due", "created", "updated", "severity", "newest"} {
		for _, s := range []string{sort, "-" + sort} {
			if s == "-newest" {
				continue
			}
			for _, q := range queries {
				all, err := f.db.FindCases(f.as(f.lead), ally.CaseFilter{Sort: s, Query: q, Limit: 200})
				if err != nil {
					t.Fatal(err)
				}
				var paged []string
				cursor := ""
				for {
					p, err := f.db.FindCases(f.as(f.lead), ally.CaseFilter{Sort: s, Query: q, Limit: 4, Cursor: cursor})
					if err != nil {
						t.Fatal(err)
					}
					for _, c := range p.Items {
						paged = append(paged, c.Ref)
					}
					if p.NextCursor == nil {
						break
					}
					cursor = *p.NextCursor
				}
				var whole []string
				for i, c := range all.Items {
					whole = append(whole, c.Ref)
					if i > 0 && !inOrder(s, all.Items[i-1], c) {
						t.Errorf("%s q=%q: %s before %s", s, q, all.Items[i-1].Ref, c.Ref)
					}
				}
				want := map[string]int{"": 23, "alpha": 12, "case alpha": 12, "beta": 11}[q]
				if len(whole) != want || !slices.Equal(paged, whole) {
					t.Errorf("%s q=%q: paged %v, whole %v (want %d)", s, q, paged, whole, want)
				}
			}
		}
	}
}

// inOrder reports whether a may come before b in the order s (ties by id).
func inOrder(s string, a, b *ally.Case) bool {
	name, desc := strings.CutPrefix(s, "-")
	if name == "newest" {
		return a.ID > b.ID
	}
	key := func(c *ally.Case) int64 {
		switch name {
		case "priority":
			return int64(c.Priority())
		case "created":
			return c.ReportedAt.UnixMilli()
		case "updated":
			return c.UpdatedAt.UnixMilli()
		case "severity":
			return int64(c.Severity.Rank())
		}
		if d, ok := c.NextDeadline(); ok {
			return d.Due.UnixMilli()
		}
		return 1 << 62
	}
	ka, kb := key(a), key(b)
	if desc {
		ka, kb = kb, ka
		return ka < kb || (ka == kb && a.ID > b.ID)
	}
	return ka < kb || (ka == kb && a.ID < b.ID)
}

// TestSearchImported finds bulk-loaded cases (the demo's) by reporter and
// by the words of their messages, on both engines.
func TestSearchImported(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		at := f.clock.now().Add(-time.Hour)
		err := f.db.ImportCases(ally.NewOperatorContext(context.Background()), []store.ImportCase{{
			Case: ally.Case{Kind: ally.KindOther, Summary: "Imported one", Status: ally.StatusInvestigating,
				Severity: ally.SeverityHigh, ReporterID: f.bob.ID, Department: "Sales", ReportedAt: at, UpdatedAt: at},
			Entries:  []ally.Entry{{Type: ally.EntryMessage, Body: "The kiosk showed a warning.", CreatedAt: at}},
			AuthorID: []int64{f.bob.ID},
		}})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"bob reporter", "kiosk", "imported"} {
			p, err := f.db.FindCases(f.as(f.lead), ally.CaseFilter{Query: q})
			if err != nil || len(p.Items) != 1 || !p.Items[0].Unread {
				t.Errorf("%q: %v %v", q, p, err)
			}
		}
	})
}
