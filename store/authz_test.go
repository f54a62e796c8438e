package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// TestVisibilityRulesAgree is a property test: for generated people (every
// role, some disabled, the operator), generated cases (any reporter,
// confidential or not, assigned to anyone who can own cases or nobody, in
// any status), the three places that decide "can see this case" agree:
// ally.CanSeeCase case by case, the store's query filter (FindCases, through
// visibility()) and CountCases, on each engine.
func TestVisibilityRulesAgree(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			each(t, func(t *testing.T, f *fixture) { checkVisibility(t, f, rand.New(rand.NewPCG(seed, seed))) })
		})
	}
}

// checkVisibility generates cases from the fixture's people and checks
// every viewer against them.
func checkVisibility(t *testing.T, f *fixture, rng *rand.Rand) {
	people := []*ally.User{f.alice, f.bob, f.resp, f.resp2, f.lead, f.admin}
	owners := []*ally.User{f.resp, f.resp2, f.lead, f.admin}
	var cases []*ally.Case
	for range 30 + rng.IntN(20) {
		reporter := people[rng.IntN(len(people))]
		c := mustCase(t, f, reporter, ally.NewCase{Kind: ally.Kinds[rng.IntN(len(ally.Kinds))],
			Confidential: rng.IntN(3) == 0})
		var up ally.CaseUpdate
		if n := rng.IntN(len(owners) + 1); n < len(owners) {
			up.Assignee = &owners[n].Email
		}
		if rng.IntN(2) == 0 {
			up.Status = &ally.Statuses[rng.IntN(len(ally.Statuses))]
			if !up.Status.Open() {
				up.Outcome = ptr("All sorted. Thank you for telling us.")
			}
		}
		if up.Assignee != nil || up.Status != nil {
			var err error
			if c, err = f.db.UpdateCase(f.as(f.admin), c.Ref, up); err != nil {
				t.Fatal(err)
			}
		}
		cases = append(cases, c)
	}
	viewers := append([]*ally.User{}, people...)
	for _, u := range people {
		off := *u
		off.Disabled = true
		viewers = append(viewers, &off)
	}
	viewers = append(viewers, ally.UserFromContext(ally.NewOperatorContext(context.Background())))
	for _, v := range viewers {
		checkViewer(t, f, v, cases)
	}
}

// checkViewer compares, for one viewer, CanSeeCase on every case with what
// FindCases lists, what FindCase finds and what CountCases counts.
func checkViewer(t *testing.T, f *fixture, v *ally.User, cases []*ally.Case) {
	t.Helper()
	ctx := ally.NewContextWithUser(context.Background(), v)
	who := fmt.Sprintf("%s (%s, disabled=%t, operator=%t)", v.Email, v.Role, v.Disabled, v.IsOperator())
	want, wantCounts := map[string]bool{}, map[ally.Status]int{}
	for _, c := range cases {
		if ally.CanSeeCase(v, c) {
			want[c.Ref] = true
			wantCounts[c.Status]++
		}
		_, err := f.db.FindCase(ctx, c.Ref)
		if found := err == nil; found != want[c.Ref] {
			t.Fatalf("%s: FindCase(%s) found=%t (%v), CanSeeCase=%t", who, c.Ref, found, err, want[c.Ref])
		}
	}
	listed := listAll(t, f, ctx)
	if len(listed) != len(want) {
		t.Fatalf("%s: FindCases lists %d cases, CanSeeCase allows %d", who, len(listed), len(want))
	}
	for ref := range listed {
		if !want[ref] {
			t.Fatalf("%s: FindCases lists %s, which CanSeeCase hides", who, ref)
		}
	}
	counts, err := f.db.CountCases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range ally.Statuses {
		if counts[st] != wantCounts[st] {
			t.Fatalf("%s: CountCases[%s] = %d, CanSeeCase allows %d (all counts %v)", who, st, counts[st], wantCounts[st], counts)
		}
	}
}

// listAll pages through every case FindCases shows in ctx.
func listAll(t *testing.T, f *fixture, ctx context.Context) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	filter := ally.CaseFilter{Limit: 7}
	for {
		page, err := f.db.FindCases(ctx, filter)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Items {
			out[c.Ref] = true
		}
		if page.NextCursor == nil {
			return out
		}
		filter.Cursor = *page.NextCursor
	}
}

// TestServicesFailClosed calls every service method that acts for someone
// with nobody in the context: each one refuses with EUNAUTHORIZED, whatever
// its arguments, and changes nothing.
func TestServicesFailClosed(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindOther})
		ctx, ref, email := context.Background(), c.Ref, f.alice.Email
		calls := map[string]func() error{
			"CreateCase": func() error { _, err := f.db.CreateCase(ctx, &ally.NewCase{Kind: ally.KindOther}); return err },
			"FindCase":   func() error { _, err := f.db.FindCase(ctx, ref); return err },
			"FindCases":  func() error { _, err := f.db.FindCases(ctx, ally.CaseFilter{}); return err },
			"CountCases": func() error { _, err := f.db.CountCases(ctx); return err },
			"UpdateCase": func() error {
				_, err := f.db.UpdateCase(ctx, ref, ally.CaseUpdate{Status: ptr(ally.StatusClosed)})
				return err
			},
			"Timeline":   func() error { _, err := f.db.Timeline(ctx, ref, 0, 10); return err },
			"AddMessage": func() error { _, err := f.db.AddMessage(ctx, ref, ally.NewMessage{Body: "hello"}); return err },
			"AddFeedback": func() error {
				_, err := f.db.AddFeedback(ctx, ref, ally.Feedback{Rating: 5})
				return err
			},
			"Tasks":       func() error { _, err := f.db.Tasks(ctx, ref); return err },
			"SetTaskDone": func() error { _, err := f.db.SetTaskDone(ctx, ref, "x", true); return err },
			"AddAttachment": func() error {
				_, err := f.db.AddAttachment(ctx, ref, ally.NewAttachment{Name: "a.txt", Data: []byte("a")})
				return err
			},
			"Attachments":    func() error { _, err := f.db.Attachments(ctx, ref); return err },
			"AttachmentData": func() error { _, _, err := f.db.AttachmentData(ctx, ref, 1); return err },
			"FindCampaigns":  func() error { _, err := f.db.FindCampaigns(ctx, 0, 10); return err },
			"FindCampaign":   func() error { _, err := f.db.FindCampaign(ctx, 1); return err },
			"DecideCampaign": func() error {
				_, err := f.db.DecideCampaign(ctx, 1, ally.CampaignDecision{Verdict: "clean"})
				return err
			},
			"Metrics":       func() error { _, err := f.db.Metrics(ctx, ally.MetricsFilter{}); return err },
			"Counters":      func() error { _, err := f.db.Counters(ctx); return err },
			"Insights":      func() error { _, err := f.db.Insights(ctx, time.Time{}, time.Time{}); return err },
			"Lessons":       func() error { _, err := f.db.Lessons(ctx, 0, 10); return err },
			"PublishLesson": func() error { _, err := f.db.PublishLesson(ctx, ally.NewLesson{Title: "t", Body: "b"}); return err },
			"StartPractice": func() error { return f.db.StartPractice(ctx, &ally.Practice{Scenario: "s", Session: []byte("{}")}) },
			"FindPractice":  func() error { _, err := f.db.FindPractice(ctx, 1); return err },
			"SavePractice":  func() error { return f.db.SavePractice(ctx, &ally.Practice{ID: 1}) },
			"FindPractices": func() error { _, err := f.db.FindPractices(ctx, false, 0, 10); return err },
			"FindProgress":  func() error { _, err := f.db.FindPracticeProgress(ctx); return err },
			"CreateUser": func() error {
				_, err := f.db.CreateUser(ctx, &ally.NewUser{Email: "n@example.org", Name: "N", Role: ally.RoleAdmin,
					Password: "long enough password"})
				return err
			},
			"FindUserByEmail": func() error { _, err := f.db.FindUserByEmail(ctx, email); return err },
			"FindUsers":       func() error { _, err := f.db.FindUsers(ctx, "", 10); return err },
			"FindAssignees":   func() error { _, err := f.db.FindAssignees(ctx); return err },
			"UpdateUser": func() error {
				_, err := f.db.UpdateUser(ctx, email, ally.UserUpdate{Role: ptr(ally.RoleAdmin)})
				return err
			},
			"CountUsers":  func() error { _, err := f.db.CountUsers(ctx); return err },
			"CreateToken": func() error { _, err := f.db.CreateToken(ctx, email, "t"); return err },
			"ChangePassword": func() error {
				_, err := f.db.ChangePassword(ctx, "correct horse battery", "maple kettle orbit tundra")
				return err
			},
			"FindAudit":   func() error { _, err := f.db.FindAudit(ctx, 0, 10); return err },
			"ImportCases": func() error { return f.db.ImportCases(ctx, nil) },
			"BulkLoad":    func() error { return f.db.BulkLoad(ctx, func() error { return nil }) },
		}
		for name, call := range calls {
			if err := call(); ally.ErrorCode(err) != ally.EUNAUTHORIZED {
				t.Errorf("%s with nobody signed in: got %v, want code %q", name, err, ally.EUNAUTHORIZED)
			}
		}
		if u, err := f.db.FindUserByEmail(f.as(f.admin), email); err != nil || u.Role != ally.RoleReporter {
			t.Fatalf("alice after the refused calls: %+v, %v", u, err)
		}
		if page, err := f.db.FindCases(f.as(f.admin), ally.CaseFilter{}); err != nil || len(page.Items) != 1 ||
			page.Items[0].Status != ally.StatusNew {
			t.Fatalf("cases after the refused calls: %+v, %v", page, err)
		}
	})
}

// TestOperatorIsNoPerson checks that the operator manages accounts but does
// no case work: it cannot report, and it sees no cases.
func TestOperatorIsNoPerson(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindOther})
		op := ally.NewOperatorContext(context.Background())
		_, err := f.db.CreateCase(op, &ally.NewCase{Kind: ally.KindOther})
		wantCode(t, err, ally.EFORBIDDEN)
		_, err = f.db.FindCase(op, c.Ref)
		wantCode(t, err, ally.ENOTFOUND)
		_, err = f.db.AddMessage(op, c.Ref, ally.NewMessage{Body: "hello"})
		wantCode(t, err, ally.ENOTFOUND)
		if page, err := f.db.FindCases(op, ally.CaseFilter{}); err != nil || len(page.Items) != 0 {
			t.Fatalf("operator lists %+v, %v", page, err)
		}
		if _, err := f.db.UpdateUser(op, f.alice.Email, ally.UserUpdate{Role: ptr(ally.RoleResponder)}); err != nil {
			t.Fatal(err)
		}
		audit, err := f.db.FindAudit(op, 0, 1)
		if err != nil || len(audit) != 1 || audit[0].Actor != "operator" || audit[0].Action != "user.update" {
			t.Fatalf("audit = %+v, %v", audit, err)
		}
	})
}

// TestAssigneesAreWhoMayOwnCases checks that FindAssignees lists exactly the
// active accounts ally.CanBeAssigned allows, the rule its SQL comes from.
func TestAssigneesAreWhoMayOwnCases(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		if _, err := f.db.UpdateUser(f.as(f.admin), f.resp2.Email, ally.UserUpdate{Disabled: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		got, err := f.db.FindAssignees(f.as(f.resp))
		if err != nil {
			t.Fatal(err)
		}
		listed := map[string]bool{}
		for _, u := range got {
			listed[u.Email] = true
		}
		for _, u := range []*ally.User{f.alice, f.bob, f.resp, f.resp2, f.lead, f.admin} {
			fresh, err := f.db.FindUserByEmail(f.as(f.admin), u.Email)
			if err != nil {
				t.Fatal(err)
			}
			if want := ally.CanBeAssigned(fresh); listed[u.Email] != want {
				t.Errorf("FindAssignees lists %s (%s, disabled=%t): %t, CanBeAssigned says %t", u.Email, fresh.Role,
					fresh.Disabled, listed[u.Email], want)
			}
		}
		if len(got) != 3 {
			t.Fatalf("FindAssignees = %d accounts, want the 3 active staff", len(got))
		}
	})
}

// TestEveryMethodFailsClosed calls every exported DB method that takes a
// context, other than the few that act for nobody (actsForNobody), with
// nobody in the context and zero arguments, found by reflection so that a
// method added later is called too (the ForTest hooks of export_test.go
// aside): each one refuses with EUNAUTHORIZED
// before it reads its arguments.
func TestEveryMethodFailsClosed(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		db := reflect.ValueOf(f.db)
		ctxType := reflect.TypeFor[context.Context]()
		called := 0
		for i := range db.NumMethod() {
			m, name := db.Method(i), db.Type().Method(i).Name
			mt := m.Type()
			if mt.NumIn() == 0 || mt.In(0) != ctxType || actsForNobody[name] || strings.HasSuffix(name, "ForTest") {
				continue
			}
			args := []reflect.Value{reflect.ValueOf(context.Background())}
			for j := 1; j < mt.NumIn(); j++ {
				args = append(args, reflect.Zero(mt.In(j)))
			}
			called++
			err := callForError(t, name, m, args)
			if ally.ErrorCode(err) != ally.EUNAUTHORIZED {
				t.Errorf("%s with nobody signed in: got %v, want code %q", name, err, ally.EUNAUTHORIZED)
			}
		}
		if called < 60 {
			t.Fatalf("called only %d methods", called)
		}
	})
}

// callForError calls m and returns the error among its results; a panic
// (a method that read an argument before asking who acts) fails the test.
func callForError(t *testing.T, name string, m reflect.Value, args []reflect.Value) (err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("%s with nobody signed in panicked: %v", name, p)
		}
	}()
	for _, out := range m.Call(args) {
		if e, ok := out.Interface().(error); ok && e != nil {
			return e
		}
	}
	return nil
}
