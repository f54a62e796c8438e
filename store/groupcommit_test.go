package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// TestConcurrentWritesFailAlone files many cases at once, a third of them
// refused inside their transaction; the refused ones leave no trace and
// every accepted one is stored exactly once.
func TestConcurrentWritesFailAlone(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		future := f.clock.t.Add(time.Hour)
		var wg sync.WaitGroup
		var mu sync.Mutex
		accepted := map[string]bool{}
		refused := 0
		for i := range 60 {
			wg.Go(func() {
				n := ally.NewCase{Kind: ally.KindOther}
				if i%3 == 0 {
					n.OccurredAt = &future // refused after the insert has started
				}
				c, err := f.db.CreateCase(f.as(f.alice), &n)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					accepted[c.Ref] = true
				case ally.ErrorCode(err) == ally.EINVALID:
					refused++
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		page, err := f.db.FindCases(f.as(f.lead), ally.CaseFilter{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		counts, _ := f.db.CountCases(f.as(f.lead))
		if len(accepted) != 40 || refused != 20 || len(page.Items) != 40 || counts[ally.StatusNew] != 40 {
			t.Fatalf("accepted %d refused %d stored %d counted %d", len(accepted), refused, len(page.Items), counts[ally.StatusNew])
		}
		for _, c := range page.Items {
			if !accepted[c.Ref] {
				t.Fatalf("%s stored but its caller was told it failed", c.Ref)
			}
		}
	})
}

// TestCloseTwice closes a database twice, as a deferred Close after an
// explicit one does; writes after that are refused, not lost silently.
func TestCloseTwice(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		if err := f.db.Close(); err != nil {
			t.Fatal(err)
		}
		if err := f.db.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		if _, err := f.db.CreateCase(f.as(f.alice), &ally.NewCase{Kind: ally.KindOther}); err == nil {
			t.Fatal("a case was accepted after Close")
		}
	})
}
