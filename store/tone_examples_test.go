package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
	"github.com/allydesk/ally/tone"
)

// TestToneExamples stores a lead's marks in each database and shows that
// the organisation layer built from them changes the verdict on a similar
// message, while a bad example is refused and stores nothing.
func TestToneExamples(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := ally.NewOperatorContext(context.Background())
		// The team's own idiom for a careless click, which the built-in
		// engine does not know.
		marked := "Dana went full pineapple on that invoice."
		similar := "Full pineapple on the invoice today."
		base := tone.Default()
		if base.Check(similar, tone.AudienceResponder).Blame {
			t.Fatalf("the built-in engine already flags %q; the test needs a message it misses", similar)
		}
		n, err := f.db.AddToneExamples(ctx, []tone.Labelled{
			{Text: marked, Blame: true, Kind: "sarcasm"},
			{Text: "Next steps for you: restart the laptop and sign in again.", Blame: false},
		}, f.lead.ID)
		if err != nil || n != 2 {
			t.Fatalf("add: %d, %v", n, err)
		}
		_, err = f.db.AddToneExamples(ctx, []tone.Labelled{{Text: "fine", Blame: false}, {Text: "  ", Blame: true}}, 0)
		wantCode(t, err, ally.EINVALID)
		if !strings.Contains(err.Error(), "example 2") {
			t.Errorf("the error should name the bad example: %v", err)
		}
		got, err := f.db.ToneExamples(ctx)
		if err != nil || len(got) != 2 || got[0].Text != marked || !got[0].Blame || got[0].Kind != "sarcasm" || got[1].Blame {
			t.Fatalf("examples read back: %+v, %v", got, err)
		}
		org := base.WithOrgExamples(got, nil)
		res := org.Check(similar, tone.AudienceResponder)
		if !res.Blame || len(res.Findings) == 0 || res.Findings[0].Rule != "org-example" {
			t.Errorf("after the lead's mark, %q should be flagged by the organisation layer: %+v", similar, res)
		}
		if base.Check(similar, tone.AudienceResponder).Blame {
			t.Error("the organisation layer changed the built-in engine")
		}
	})
}

// TestRefreshTone: examples stored through one handle on a database (as
// `ally tone learn` or another instance does) reach a second handle's
// engine at its next RefreshTone, which rebuilds only when they changed.
func TestRefreshTone(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			ctx := ally.NewOperatorContext(context.Background())
			dsn := storetest.DSN(t, e)
			open := func() *store.DB {
				db, err := store.Open(ctx, dsn, store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
			learner := open()
			if _, err := learner.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			server := open()
			if err := server.ReloadTone(ctx); err != nil {
				t.Fatal(err)
			}
			similar := "Full pineapple on the invoice today."
			blames := func() bool { return server.ToneEngine().Check(similar, tone.AudienceResponder).Blame }
			if changed, err := server.RefreshTone(ctx); err != nil || changed || blames() {
				t.Fatalf("nothing was taught: refresh %v, %v; blames %v", changed, err, blames())
			}
			if _, err := learner.AddToneExamples(ctx, []tone.Labelled{
				{Text: "Dana went full pineapple on that invoice.", Blame: true}}, 0); err != nil {
				t.Fatal(err)
			}
			if blames() {
				t.Fatal("the engine changed before a refresh")
			}
			if changed, err := server.RefreshTone(ctx); err != nil || !changed || !blames() {
				t.Fatalf("after learning elsewhere: refresh %v, %v; blames %v", changed, err, blames())
			}
			if changed, err := server.RefreshTone(ctx); err != nil || changed {
				t.Fatalf("a second refresh with nothing new: %v, %v", changed, err)
			}
			// A row no import would store (an unknown kind, written by hand):
			// the refresh falls back to the built-in engine (with a warning in
			// the log) instead of failing, so replies are still checked.
			if err := learner.ExecForTest(ctx, "INSERT INTO tone_examples (text, blame, kind, created_at) "+
				"VALUES ('Typical.', TRUE, 'rudeness', 0)"); err != nil {
				t.Fatal(err)
			}
			if changed, err := server.RefreshTone(ctx); err != nil || !changed || server.ToneEngine() != tone.Default() {
				t.Fatalf("a corrupt example: refresh %v, %v; want the built-in engine", changed, err)
			}
			reporter, err := learner.CreateUser(ctx, &ally.NewUser{Email: "r@example.org", Name: "R",
				Role: ally.RoleReporter, Password: "correct horse battery"})
			if err != nil {
				t.Fatal(err)
			}
			_, err = server.RefreshTone(ally.NewContextWithUser(context.Background(), reporter))
			wantCode(t, err, ally.EFORBIDDEN)
			_, err = server.RefreshTone(context.Background())
			wantCode(t, err, ally.EUNAUTHORIZED)
		})
	}
}
