package store_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// eachMail runs fn on every engine with mail on.
func eachMail(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			fn(t, newFixtureWith(t, e, store.Options{Mail: mailtext.Default(), PublicURL: "https://ally.example.org/"}))
		})
	}
}

// outbox lists every message, oldest first.
func outbox(t *testing.T, f *fixture) []*ally.Mail {
	t.Helper()
	page, err := f.db.FindOutbox(ally.NewOperatorContext(context.Background()), ally.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := page.Items
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// summary renders messages as "kind to" lines, for comparing.
func summary(ms []*ally.Mail) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Kind + " " + m.To + "\n")
	}
	return b.String()
}

func TestMailQueuedWithEachEvent(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "Parcel email"})
		ack := outbox(t, f)
		if summary(ack) != "acknowledge alice@example.org\n" {
			t.Fatalf("after reporting:\n%s", summary(ack))
		}
		m := ack[0]
		for _, want := range []string{"Hi Alice,", c.Ref, "- Do not click links or open files in the email.",
			"within 4 hours", "https://ally.example.org/cases/" + c.Ref} {
			if !strings.Contains(m.Body, want) {
				t.Errorf("acknowledgement lacks %q:\n%s", want, m.Body)
			}
		}
		if !strings.Contains(m.Subject, c.Ref) || !m.ReplyToCase || m.CaseRef != c.Ref || m.Status != ally.MailQueued {
			t.Errorf("acknowledgement %+v", m)
		}

		rita := "rita@example.org"
		if _, err := f.db.UpdateCase(f.as(f.lead), c.Ref, ally.CaseUpdate{Assignee: &rita}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.AddMessage(f.as(f.resp), c.Ref, ally.NewMessage{Body: "Thanks Alice, I am on it."}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.AddMessage(f.as(f.resp), c.Ref, ally.NewMessage{Body: "Header check next.", Internal: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.AddMessage(f.as(f.alice), c.Ref, ally.NewMessage{Body: "I also got a text."}); err != nil {
			t.Fatal(err)
		}
		resolved := ally.StatusResolved
		if _, err := f.db.UpdateCase(f.as(f.resp), c.Ref, ally.CaseUpdate{Status: &resolved, Outcome: ptr("All done: your account is safe.")}); err != nil {
			t.Fatal(err)
		}
		me := "rita@example.org"
		if _, err := f.db.UpdateCase(f.as(f.resp), c.Ref, ally.CaseUpdate{Assignee: &me}); err != nil {
			t.Fatal(err) // no change: nothing sent
		}
		all := outbox(t, f)
		want := "acknowledge alice@example.org\nassigned rita@example.org\nreply alice@example.org\n" +
			"reporter_wrote rita@example.org\nreply alice@example.org\n" // the outcome closes the loop
		if summary(all) != want {
			t.Fatalf("outbox:\n%s\nwant:\n%s", summary(all), want)
		}
		reply := all[2]
		if reply.Subject != "Parcel email ("+c.Ref+")" || !strings.Contains(reply.Body, "Thanks Alice, I am on it.") ||
			!strings.Contains(reply.Body, "Rita Responder wrote") {
			t.Errorf("reply %q:\n%s", reply.Subject, reply.Body)
		}
		if wrote := all[3]; !strings.Contains(wrote.Body, "I also got a text.") || wrote.ReplyToCase {
			t.Errorf("reporter_wrote %+v\n%s", wrote, wrote.Body)
		}
	})
}

func TestCampaignVerdictClosesTheLoopOnce(t *testing.T) {
	raw, err := os.ReadFile("testdata/parcel.eml")
	if err != nil {
		t.Fatal(err)
	}
	eachMail(t, func(t *testing.T, f *fixture) {
		var campaign int64
		for _, u := range []*ally.User{f.alice, f.bob} {
			c := mustCase(t, f, u, ally.NewCase{Kind: ally.KindSuspiciousEmail})
			a, err := f.db.AddAttachment(f.as(u), c.Ref, ally.NewAttachment{Name: "parcel.eml", Data: raw})
			if err != nil {
				t.Fatal(err)
			}
			campaign = *a.CampaignID
		}
		if _, err := f.db.DecideCampaign(f.as(f.resp), campaign, ally.CampaignDecision{Verdict: "clean"}); err != nil {
			t.Fatal(err)
		}
		all := outbox(t, f)
		want := "acknowledge alice@example.org\nacknowledge bob@example.org\nverdict_clean alice@example.org\n" +
			"verdict_clean bob@example.org\n"
		if summary(all) != want {
			t.Fatalf("outbox:\n%s\nwant:\n%s", summary(all), want)
		}
		if !strings.Contains(all[2].Body, "it is safe") {
			t.Errorf("the verdict is not in the mail:\n%s", all[2].Body)
		}
	})
}

// TestClosingMailPerVerdict: each verdict closes the loop with its own
// template; only a decision that says the email was blocked tells reporters
// so, and a reporter who joins the decided campaign later hears the same.
func TestClosingMailPerVerdict(t *testing.T) {
	raw, err := os.ReadFile("testdata/parcel.eml")
	if err != nil {
		t.Fatal(err)
	}
	eachMail(t, func(t *testing.T, f *fixture) {
		report := func(u *ally.User) int64 {
			c := mustCase(t, f, u, ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "Parcel email"})
			a, err := f.db.AddAttachment(f.as(u), c.Ref, ally.NewAttachment{Name: "parcel.eml", Data: raw})
			if err != nil {
				t.Fatal(err)
			}
			return *a.CampaignID
		}
		campaign := report(f.alice)
		last := func() *ally.Mail { all := outbox(t, f); return all[len(all)-1] }
		for _, tc := range []struct {
			d    ally.CampaignDecision
			want string
		}{
			{ally.CampaignDecision{Verdict: "malicious"}, "it was a phishing attack"},
			{ally.CampaignDecision{Verdict: "spam", Blocked: true}, "it was spam"},
			{ally.CampaignDecision{Verdict: "simulation"}, "was one of our practice emails"},
			{ally.CampaignDecision{Verdict: "suspicious"}, "it looked risky"},
			{ally.CampaignDecision{Verdict: "malicious", Blocked: true}, "it was a phishing attack"},
		} {
			no := false
			tc.d.Resolve = &no
			c, err := f.db.DecideCampaign(f.as(f.resp), campaign, tc.d)
			if err != nil || c.Blocked != tc.d.Blocked {
				t.Fatalf("%+v: %v %+v", tc.d, err, c)
			}
			m := last()
			if m.Kind != "verdict_"+tc.d.Verdict || m.To != "alice@example.org" || !strings.Contains(m.Body, tc.want) ||
				strings.Contains(m.Body, "blocked it for everyone") != tc.d.Blocked || !m.ReplyToCase {
				t.Errorf("%+v: %s to %s:\n%s", tc.d, m.Kind, m.To, m.Body)
			}
		}
		report(f.bob) // joins the campaign decided "malicious, blocked"
		if m := last(); m.Kind != "verdict_malicious" || m.To != "bob@example.org" ||
			!strings.Contains(m.Body, "We have blocked it for everyone.") {
			t.Errorf("a later reporter: %s to %s:\n%s", m.Kind, m.To, m.Body)
		}
		if _, err := f.db.DecideCampaign(f.as(f.resp), campaign, ally.CampaignDecision{Verdict: "clean",
			Blocked: true}); ally.ErrorCode(err) != ally.EINVALID {
			t.Errorf("a safe email blocked: %v", err)
		}
	})
}

func TestMailForCriticalCaseGoesToEveryResponder(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindEnteredCredentials,
			Answers: map[string]string{"approved_prompt": "yes"}})
		want := "acknowledge alice@example.org\ncritical rita@example.org\ncritical ravi@example.org\n" +
			"critical lee@example.org\ncritical ada@example.org\n"
		if got := summary(outbox(t, f)); got != want {
			t.Fatalf("outbox:\n%s\nwant:\n%s", got, want)
		}
	})
}

func TestMailOnlyWithItsEvent(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		future := f.clock.t.Add(time.Hour)
		_, err := f.db.CreateCase(f.as(f.alice), &ally.NewCase{Kind: ally.KindOther, OccurredAt: &future})
		wantCode(t, err, ally.EINVALID)
		if _, err := f.db.AddMessage(f.as(f.bob), "AL-1001", ally.NewMessage{Body: "hello"}); err == nil {
			t.Fatal("bob wrote on a case that is not there")
		}
		if got := outbox(t, f); len(got) != 0 {
			t.Fatalf("a failed event queued mail:\n%s", summary(got))
		}
	})
	for _, e := range storetest.Engines() {
		f := newFixture(t, e) // mail off
		mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindOther})
		if got := outbox(t, f); len(got) != 0 {
			t.Fatalf("%s: mail off queued:\n%s", e, summary(got))
		}
	}
}

func TestClaimLeaseAndRetry(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		for range 3 {
			mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindOther})
		}
		got, err := f.db.ClaimMail(ally.NewOperatorContext(ctx), 2, time.Minute)
		if err != nil || len(got) != 2 || got[0].ID > got[1].ID || got[0].Attempts != 1 {
			t.Fatalf("first claim: %v %v", got, err)
		}
		rest, err := f.db.ClaimMail(ally.NewOperatorContext(ctx), 10, time.Minute)
		if err != nil || len(rest) != 1 {
			t.Fatalf("second claim: %v %v", rest, err)
		}
		if again, _ := f.db.ClaimMail(ally.NewOperatorContext(ctx), 10, time.Minute); len(again) != 0 {
			t.Fatalf("leased mail claimed again: %v", again)
		}
		if err := f.db.MailSent(ally.NewOperatorContext(ctx), []int64{got[0].ID, got[1].ID}); err != nil {
			t.Fatal(err)
		}
		// The third worker "died": after the lease its message is due again.
		f.clock.advance(time.Minute)
		again, err := f.db.ClaimMail(ally.NewOperatorContext(ctx), 10, time.Minute)
		if err != nil || len(again) != 1 || again[0].ID != rest[0].ID || again[0].Attempts != 2 {
			t.Fatalf("after the lease: %v %v", again, err)
		}
		if err := f.db.MailNotSent(ally.NewOperatorContext(ctx), again[0].ID, "421 try later", 5*time.Minute); err != nil {
			t.Fatal(err)
		}
		f.clock.advance(4 * time.Minute)
		if early, _ := f.db.ClaimMail(ally.NewOperatorContext(ctx), 10, time.Minute); len(early) != 0 {
			t.Fatal("claimed before its retry time")
		}
		f.clock.advance(time.Minute)
		last, _ := f.db.ClaimMail(ally.NewOperatorContext(ctx), 10, time.Minute)
		if len(last) != 1 || last[0].LastError != "421 try later" {
			t.Fatalf("retry: %v", last)
		}
		if err := f.db.MailNotSent(ally.NewOperatorContext(ctx), last[0].ID, "550 no such user", 0); err != nil {
			t.Fatal(err)
		}
		stats, err := f.db.OutboxStats(ally.NewOperatorContext(ctx))
		if err != nil || stats.Sent != 2 || stats.Failed != 1 || stats.Queued != 0 || stats.OldestQueued != nil {
			t.Fatalf("stats %+v %v", stats, err)
		}
		failed, _ := f.db.FindOutbox(ally.NewOperatorContext(ctx), ally.OutboxFilter{Status: ally.MailFailed})
		if len(failed.Items) != 1 || failed.Items[0].LastError != "550 no such user" {
			t.Fatalf("failed list %+v", failed.Items)
		}
		_, err = f.db.RetryMail(f.as(f.admin), got[0].ID)
		wantCode(t, err, ally.ENOTFOUND) // sent, not failed
		if n, err := f.db.RetryMail(f.as(f.admin), 0); err != nil || n != 1 {
			t.Fatalf("retry all: %d %v", n, err)
		}
		if back, _ := f.db.ClaimMail(ally.NewOperatorContext(ctx), 10, time.Minute); len(back) != 1 || back[0].Attempts != 1 {
			t.Fatalf("retried mail: %v", back)
		}
	})
}

func TestConcurrentClaimsNeverOverlap(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		for range 40 {
			mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindOther})
		}
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for {
					got, err := f.db.ClaimMail(ally.NewOperatorContext(context.Background()), 3, time.Hour)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, m := range got {
						seen[m.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(seen) != 40 {
			t.Fatalf("claimed %d of 40", len(seen))
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("message %d claimed %d times", id, n)
			}
		}
	})
}

func TestOutboxForAdminsOnly(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		for _, u := range []*ally.User{f.alice, f.resp, f.lead} {
			_, err := f.db.FindOutbox(f.as(u), ally.OutboxFilter{})
			wantCode(t, err, ally.EFORBIDDEN)
			_, err = f.db.RetryMail(f.as(u), 0)
			wantCode(t, err, ally.EFORBIDDEN)
		}
		_, err := f.db.FindOutbox(f.as(f.admin), ally.OutboxFilter{Status: "lost"})
		wantCode(t, err, ally.EINVALID)
		_, err = f.db.FindOutbox(f.as(f.admin), ally.OutboxFilter{Cursor: "42"})
		wantCode(t, err, ally.EINVALID)
		for range 3 {
			mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindOther})
		}
		p1, err := f.db.FindOutbox(f.as(f.admin), ally.OutboxFilter{Limit: 2})
		if err != nil || len(p1.Items) != 2 || p1.NextCursor == nil || p1.Stats.Queued != 3 {
			t.Fatalf("first page %+v %v", p1, err)
		}
		p2, err := f.db.FindOutbox(f.as(f.admin), ally.OutboxFilter{Limit: 2, Cursor: *p1.NextCursor})
		if err != nil || len(p2.Items) != 1 || p2.NextCursor != nil || p2.Items[0].ID >= p1.Items[1].ID {
			t.Fatalf("second page %+v %v", p2, err)
		}
	})
}

func TestMailKeyIsMadeOnce(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		k1, err := f.db.MailKey(ally.NewOperatorContext(context.Background()))
		if err != nil || len(k1) != 32 {
			t.Fatalf("key %x %v", k1, err)
		}
		k2, _ := f.db.MailKey(ally.NewOperatorContext(context.Background()))
		if !bytes.Equal(k1, k2) {
			t.Fatal("the key changed")
		}
	})
}

// TestOutboxClaimDoesNotSortTheBacklog: with 20,000 messages queued, the
// worker's claim reads its batch from the index in order. The index used to
// end at next_at, so PostgreSQL sorted the whole backlog on every claim
// (100 ms a claim at 100,000), slowing the drain and every page beside it.
func TestOutboxClaimDoesNotSortTheBacklog(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		fill := `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
			INSERT INTO outbox (kind, to_addr, subject, body, status, next_at, created_at)
			SELECT 'acknowledge', 'p' || i || '@example.org', 's', 'b', 'queued', 0, 0 FROM n`
		if err := f.db.ExecForTest(ctx, fill); err != nil {
			t.Fatal(err)
		}
		if err := f.db.ExecForTest(ctx, "ANALYZE"); err != nil {
			t.Fatal(err)
		}
		for _, d := range enginePlan(t, f, f.db.DueMailForTest(), ally.MailQueued, 5, 100) {
			if strings.Contains(d, "Sort") || strings.Contains(d, "TEMP B-TREE") ||
				strings.Contains(d, "Seq Scan") || strings.HasPrefix(d, "SCAN") {
				t.Errorf("the claim sorts or scans the backlog: %q", d)
			}
		}
	})
}

// TestQueueTotalsReadOnlyWaitingRows: the outbox and webhook totals are read
// on every Prometheus scrape, and sent mail and delivered webhooks only pile
// up. With 20,000 of each, the totals' query reads the queued and failed
// rows through the due index and no sent or delivered one (it used to count
// every row by status: 46 ms a scrape on SQLite, 104 ms on PostgreSQL at
// 200,000 sent).
func TestQueueTotalsReadOnlyWaitingRows(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		for _, q := range []string{
			`INSERT INTO webhooks (url, format, events, secret, created_at)
				VALUES ('https://hooks.example.org/', 'standard', 'case.created', 'whsec_x', 0)`,
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20010)
				INSERT INTO outbox (kind, to_addr, subject, body, status, next_at, created_at)
				SELECT 'acknowledge', 'p' || i || '@example.org', 's', 'b',
				CASE WHEN i > 20005 THEN 'queued' WHEN i > 20000 THEN 'failed' ELSE 'sent' END, i, i FROM n`,
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20010)
				INSERT INTO webhook_deliveries (webhook_id, event, body, status, next_at, created_at)
				SELECT (SELECT MAX(id) FROM webhooks), 'case.created', '{}',
				CASE WHEN i > 20005 THEN 'queued' WHEN i > 20000 THEN 'failed' ELSE 'delivered' END, i, i FROM n`,
			"ANALYZE",
		} {
			if err := f.db.ExecForTest(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		for _, table := range []string{"outbox", "webhook_deliveries"} {
			for _, d := range enginePlan(t, f, f.db.QueueStatsForTest(table)) {
				if strings.Contains(d, "Seq Scan on "+table) || strings.HasPrefix(d, "SCAN "+table) {
					t.Errorf("%s totals read every row: %q", table, d)
				}
			}
		}
	})
}

// TestQueueTotalsCountEachDeliveryOnce: the sent and delivered totals, kept
// as running counts, follow every way a row gets there or leaves: a message
// sent twice (a second worker after the lease) counts once; a failure
// recorded after it was sent takes it out again (as the rows' status always
// did); a deleted subscription takes its deliveries with it. "ally verify"
// finds them in step with the rows.
func TestQueueTotalsCountEachDeliveryOnce(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		op := ally.NewOperatorContext(context.Background())
		for range 3 {
			mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindOther})
		}
		got, err := f.db.ClaimMail(op, 10, time.Minute)
		if err != nil || len(got) != 3 {
			t.Fatalf("claim: %v %v", got, err)
		}
		ids := []int64{got[0].ID, got[1].ID}
		for range 2 {
			if err := f.db.MailSent(op, ids); err != nil {
				t.Fatal(err)
			}
		}
		stats, err := f.db.OutboxStats(op)
		if err != nil || stats.Sent != 2 || stats.Queued != 1 || stats.Failed != 0 {
			t.Fatalf("outbox stats %+v %v", stats, err)
		}
		if err := f.db.MailNotSent(op, got[1].ID, "550 no such user", 0); err != nil {
			t.Fatal(err)
		}
		if err := f.db.MailNotSent(op, got[2].ID, "421 try later", time.Minute); err != nil {
			t.Fatal(err)
		}
		stats, err = f.db.OutboxStats(op)
		if err != nil || stats.Sent != 1 || stats.Queued != 1 || stats.Failed != 1 {
			t.Fatalf("outbox stats after failures %+v %v", stats, err)
		}

		hook, err := f.db.CreateWebhook(f.as(f.admin), &ally.NewWebhook{URL: "https://hooks.example.org/a",
			Events: []string{ally.EventCaseCreated}})
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindOther})
		}
		out, err := f.db.ClaimDeliveries(op, 10, time.Minute, nil)
		if err != nil || len(out) != 3 {
			t.Fatalf("claim deliveries: %v %v", out, err)
		}
		settle := []ally.Outcome{{ID: out[0].ID, Delivered: true, HTTPStatus: 200},
			{ID: out[1].ID, Delivered: true, HTTPStatus: 200}}
		for range 2 {
			if err := f.db.SettleDeliveries(op, settle); err != nil {
				t.Fatal(err)
			}
		}
		ws, err := f.db.WebhookStats(op)
		if err != nil || ws.Delivered != 2 || ws.Queued != 1 || ws.Failed != 0 {
			t.Fatalf("webhook stats %+v %v", ws, err)
		}
		if err := f.db.SettleDeliveries(op, []ally.Outcome{{ID: out[0].ID, HTTPStatus: 500, Error: "late"}}); err != nil {
			t.Fatal(err)
		}
		if ws, err = f.db.WebhookStats(op); err != nil || ws.Delivered != 1 || ws.Queued != 1 || ws.Failed != 1 {
			t.Fatalf("webhook stats after a failure %+v %v", ws, err)
		}
		if problems, err := f.db.Verify(op, nil); err != nil || len(problems) != 0 {
			t.Fatalf("verify: %v %v", problems, err)
		}
		if err := f.db.DeleteWebhook(f.as(f.admin), hook.ID); err != nil {
			t.Fatal(err)
		}
		if ws, err := f.db.WebhookStats(op); err != nil || ws.Delivered != 0 || ws.Queued != 0 || ws.Failed != 0 {
			t.Fatalf("after the subscription went: %+v %v", ws, err)
		}
		if problems, err := f.db.Verify(op, nil); err != nil || len(problems) != 0 {
			t.Fatalf("verify after delete: %v %v", problems, err)
		}
	})
}
