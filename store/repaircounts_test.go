package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// sentMail queues mail with n new cases and claims it all, for tests that
// mark it sent.
func sentMail(t *testing.T, f *fixture, n int) []int64 {
	t.Helper()
	for range n {
		mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindOther})
	}
	got, err := f.db.ClaimMail(operator, 100, time.Hour)
	if err != nil || len(got) < n {
		t.Fatalf("claim: %d %v", len(got), err)
	}
	ids := make([]int64, len(got))
	for i, m := range got {
		ids[i] = m.ID
	}
	return ids
}

// countProblems is what Verify says about the running counts.
func countProblems(t *testing.T, f *fixture) string {
	t.Helper()
	problems, err := f.db.Verify(operator, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range problems {
		out = append(out, p.Detail)
	}
	return strings.Join(out, "; ")
}

// A drifted count of mail sent (rows an older instance marked sent without
// counting them) and of webhooks delivered (counted too high) is set back to
// what the rows say, in words and in the audit log; Verify is then content,
// and a second repair changes nothing.
func TestRepairDoneCounts(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		ids := sentMail(t, f, 4)
		if err := f.db.MailSent(operator, ids[:2]); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.RepairDoneCounts(f.as(f.admin)); ally.ErrorCode(err) != ally.EFORBIDDEN {
			t.Fatalf("an admin repaired the counts: %v", err)
		}
		drift := []string{
			fmt.Sprintf("UPDATE outbox SET status = 'sent' WHERE id IN (%d, %d)", ids[2], ids[3]),
			"INSERT INTO counters (name, label, shard, n) VALUES ('done', 'webhook_deliveries', 5, 3)",
		}
		for _, q := range drift {
			if err := f.db.ExecForTest(context.Background(), q); err != nil {
				t.Fatal(err)
			}
		}
		if got := countProblems(t, f); !strings.Contains(got, `"outbox" is counted as 2 but there are 4`) ||
			!strings.Contains(got, `"webhook_deliveries" is counted as 3 but there are 0`) {
			t.Fatalf("verify before the repair: %s", got)
		}
		repaired, err := f.db.RepairDoneCounts(operator)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(repaired); got != "[{mail sent outbox 2 4} {webhooks delivered webhook_deliveries 3 0}]" {
			t.Fatalf("repaired %s", got)
		}
		if got := countProblems(t, f); got != "" {
			t.Fatalf("verify after the repair: %s", got)
		}
		if stats, err := f.db.OutboxStats(operator); err != nil || stats.Sent != 4 {
			t.Fatalf("outbox stats after the repair: %+v %v", stats, err)
		}
		audit, err := f.db.FindAudit(f.as(f.admin), 0, 50)
		if err != nil || audit[0].Action != "counts.repair" ||
			audit[0].Detail != "outbox: 4, was 2; webhook_deliveries: 0, was 3" {
			t.Fatalf("audit: %+v %v", audit[0], err)
		}

		before, _ := f.db.QueryForTest(context.Background(), "SELECT label, shard, n FROM counters ORDER BY 1, 2")
		again, err := f.db.RepairDoneCounts(operator)
		if err != nil || again[0].Changed() || again[1].Changed() || again[0].Counted != 4 {
			t.Fatalf("a second repair: %+v %v", again, err)
		}
		after, _ := f.db.QueryForTest(context.Background(), "SELECT label, shard, n FROM counters ORDER BY 1, 2")
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Fatalf("a second repair changed the counters:\n%v\n%v", before, after)
		}
		if audit2, _ := f.db.FindAudit(f.as(f.admin), 0, 50); audit2[0].ID != audit[0].ID {
			t.Fatalf("a second repair was audited: %+v", audit2[0])
		}
	})
}

// Repairs while mail is being sent leave the count and the rows agreeing.
// On PostgreSQL a send that commits between the repair's read of the count
// and its recount of the rows would be counted twice; the repair locks the
// count first, so the send waits for it and adds to the repaired count.
func TestRepairDoneCountsWhileSending(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		ids := sentMail(t, f, 12)
		if f.db.Postgres() {
			sent := make(chan error, 1)
			f.db.PauseForTest(t, "select 'outbox', count(*)", func() {
				go func() { sent <- f.db.MailSent(operator, ids[:1]) }()
				select { // the send commits now, unless the repair holds it back
				case err := <-sent:
					sent <- err
				case <-time.After(500 * time.Millisecond):
				}
			})
			if _, err := f.db.RepairDoneCounts(operator); err != nil {
				t.Fatal(err)
			}
			if err := <-sent; err != nil {
				t.Fatal(err)
			}
			if got := countProblems(t, f); got != "" {
				t.Fatalf("a send during the repair: %s", got)
			}
			ids = ids[1:]
		}
		var wg sync.WaitGroup
		for _, id := range ids {
			wg.Go(func() {
				if err := f.db.MailSent(operator, []int64{id}); err != nil {
					t.Error(err)
				}
			})
		}
		for range 4 {
			wg.Go(func() {
				if _, err := f.db.RepairDoneCounts(operator); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if got := countProblems(t, f); got != "" {
			t.Fatalf("sends and repairs together: %s", got)
		}
	})
}
