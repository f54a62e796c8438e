package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

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
