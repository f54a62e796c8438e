package store_test

import (
	"testing"

	"github.com/allydesk/ally"
)

// TestSaveChecklist: a checklist is saved in one go; each user changes only
// the tasks they may tick, a reporter sees only their own, and a stranger
// finds no case.
func TestSaveChecklist(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink})
		all, err := f.db.Tasks(f.as(f.resp), c.Ref)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, x := range all {
			ids = append(ids, x.ID)
		}
		done := func(tasks []*ally.Task) (n int) {
			for _, x := range tasks {
				if x.Done {
					n++
				}
			}
			return n
		}
		mine, err := f.db.SaveChecklist(f.as(f.alice), c.Ref, ids) // ticks everything she can: her own
		if err != nil {
			t.Fatal(err)
		}
		now, _ := f.db.Tasks(f.as(f.resp), c.Ref)
		if len(mine) == 0 || len(mine) >= len(all) || done(mine) != len(mine) || done(now) != len(mine) {
			t.Fatalf("reporter's checklist: %d of her %d ticked, %d of all %d", done(mine), len(mine), done(now), len(all))
		}
		got, err := f.db.SaveChecklist(f.as(f.resp), c.Ref, ids[:1])
		if err != nil || len(got) != len(all) || done(got) != 1 || !got[0].Done {
			t.Fatalf("responder's checklist: %v, %d ticked", err, done(got))
		}
		_, err = f.db.SaveChecklist(f.as(f.bob), c.Ref, ids)
		wantCode(t, err, ally.ENOTFOUND)
		if now, _ := f.db.Tasks(f.as(f.resp), c.Ref); done(now) != 1 {
			t.Fatalf("a refused checklist changed %d tasks", done(now)-1)
		}
	})
}
