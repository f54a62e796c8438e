package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
)

// TestMarkTone: a lead lists the newest replies to reporters (not notes,
// not reporters' words), marks one as blaming, and the store's own gate
// then holds back a similar reply it let through before; others may not
// list or mark, a missing message is ENOTFOUND, and readers of the engine
// may run while it is swapped.
func TestMarkTone(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink})
		first := "Dana went full pineapple on that invoice."
		similar := "Full pineapple on the invoice today."
		reply, err := f.db.AddMessage(f.as(f.resp), c.Ref, ally.NewMessage{Body: first})
		if err != nil {
			t.Fatalf("before any mark, the reply should go: %v", err)
		}
		if _, err := f.db.AddMessage(f.as(f.resp), c.Ref, ally.NewMessage{Body: "Looking now", Internal: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.AddMessage(f.as(f.alice), c.Ref, ally.NewMessage{Body: "Thanks!"}); err != nil {
			t.Fatal(err)
		}
		got, err := f.db.RecentReplies(f.as(f.lead), 0, 10)
		if err != nil || len(got) != 1 || got[0].ID != reply.ID || got[0].Body != first || got[0].CaseRef != c.Ref ||
			got[0].Marked != nil {
			t.Fatalf("recent replies: %+v, %v; want only the responder's reply, not marked", got, err)
		}
		_, err = f.db.RecentReplies(f.as(f.resp), 0, 10)
		wantCode(t, err, ally.EFORBIDDEN)
		wantCode(t, f.db.MarkTone(f.as(f.resp), reply.ID, true), ally.EFORBIDDEN)
		wantCode(t, f.db.MarkTone(f.as(f.lead), reply.ID+1000, true), ally.ENOTFOUND)
		if r := f.db.ToneEngine().Check(similar, tone.AudienceReporter); r.HasError() {
			t.Fatal("a refused mark changed the engine")
		}

		var wg sync.WaitGroup
		stop := make(chan struct{})
		wg.Go(func() { // a reader of the engine while a lead marks (go test -race)
			for {
				select {
				case <-stop:
					return
				default:
					f.db.ToneEngine().Check(similar, tone.AudienceReporter)
				}
			}
		})
		err = f.db.MarkTone(f.as(f.lead), reply.ID, true)
		close(stop)
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.db.AddMessage(f.as(f.resp), c.Ref, ally.NewMessage{Body: similar})
		wantCode(t, err, ally.EHELD)
		kind, err := f.db.AddMessage(f.as(f.resp), c.Ref, ally.NewMessage{Body: "You did the right thing."})
		if err != nil {
			t.Fatalf("a kind reply after the mark: %v", err)
		}
		if err := f.db.MarkTone(f.as(f.admin), kind.ID, false); err != nil {
			t.Fatal(err)
		}
		got, err = f.db.RecentReplies(f.as(f.lead), 0, 10)
		if err != nil || len(got) != 2 || got[0].Marked == nil || *got[0].Marked || got[1].Marked == nil || !*got[1].Marked {
			t.Fatalf("recent replies after marking: %+v, %v; want the kind one marked fine, the first blaming", got, err)
		}
		if older, err := f.db.RecentReplies(f.as(f.lead), got[0].ID, 10); err != nil || len(older) != 1 || older[0].ID != reply.ID {
			t.Fatalf("replies older than the newest: %+v, %v; want the first only", older, err)
		}
		ex, err := f.db.ToneExamples(ally.NewOperatorContext(context.Background()))
		if err != nil || len(ex) != 2 || ex[0].Text != first || !ex[0].Blame || ex[1].Text != kind.Body || ex[1].Blame {
			t.Fatalf("stored examples: %+v, %v", ex, err)
		}
	})
}

// TestMarkToneAgain: a lead who marks a reply "reads as blaming" and then
// "is fine" (correcting a slip) replaces the first mark: one example is
// stored, and the verdict on similar words follows the latest mark, back
// and forth. Duplicates stored before marks replaced each other (two
// contradictory rows of the same words) also count by the latest only.
func TestMarkToneAgain(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := ally.NewOperatorContext(context.Background())
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink})
		words := "Dana went full pineapple on that invoice."
		similar := "Full pineapple on the invoice today."
		reply, err := f.db.AddMessage(f.as(f.resp), c.Ref, ally.NewMessage{Body: words})
		if err != nil {
			t.Fatal(err)
		}
		blames := func() bool { return f.db.ToneEngine().Check(similar, tone.AudienceReporter).Blame }
		stored := func() []string {
			t.Helper()
			rows, err := f.db.QueryForTest(ctx, "SELECT blame FROM tone_examples ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rows {
				out = append(out, r[0])
			}
			return out
		}
		if blames() {
			t.Fatalf("the built-in engine already blames %q; the test needs words it misses", similar)
		}
		for i, blame := range []bool{true, false, true, false} {
			if err := f.db.MarkTone(f.as(f.lead), reply.ID, blame); err != nil {
				t.Fatal(err)
			}
			if got := blames(); got != blame {
				t.Fatalf("mark %d (blame %v): the check blames %q: %v; want the latest mark to decide", i+1, blame, similar, got)
			}
			ex, err := f.db.ToneExamples(ctx)
			if err != nil || len(ex) != 1 || ex[0].Blame != blame {
				t.Fatalf("mark %d: examples %+v, %v; want one, the latest", i+1, ex, err)
			}
			if rows := stored(); len(rows) != 1 {
				t.Fatalf("mark %d: %d rows stored (%v); a new mark should replace the earlier one", i+1, len(rows), rows)
			}
			got, err := f.db.RecentReplies(f.as(f.lead), 0, 10)
			if err != nil || len(got) != 1 || got[0].Marked == nil || *got[0].Marked != blame {
				t.Fatalf("mark %d: recent replies %+v, %v", i+1, got, err)
			}
		}

		// Rows stored by an earlier build: blaming, then fine, of the same
		// words. The engine rebuilt from them learns "fine".
		if err := f.db.ExecForTest(ctx, "DELETE FROM tone_examples"); err != nil {
			t.Fatal(err)
		}
		for _, blame := range []string{"TRUE", "FALSE"} {
			if err := f.db.ExecForTest(ctx, "INSERT INTO tone_examples (text, blame, kind, created_at) VALUES ('"+
				words+"', "+blame+", '', 0)"); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.db.ReloadTone(ctx); err != nil {
			t.Fatal(err)
		}
		if blames() {
			t.Fatal("old duplicate rows, blaming then fine: the check still learns the earlier, blaming one")
		}
		if ex, err := f.db.ToneExamples(ctx); err != nil || len(ex) != 1 || ex[0].Blame {
			t.Fatalf("old duplicate rows: examples %+v, %v; want the latest (fine) only", ex, err)
		}
		if err := f.db.MarkTone(f.as(f.lead), reply.ID, true); err != nil {
			t.Fatal(err)
		}
		if rows := stored(); len(rows) != 1 || !blames() {
			t.Fatalf("marking over old duplicates: rows %v, blames %v; want one blaming row", rows, blames())
		}
	})
}
