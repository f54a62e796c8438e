package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
)

// TestNotifySettings: responders start with every event at once, change
// some, and are refused unknown events and modes; reporters have none.
func TestNotifySettings(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		got, err := f.db.NotifySettings(f.as(f.resp))
		if err != nil || got[ally.NotifyAssigned] != ally.NotifyInstant || len(got) != 3 {
			t.Fatalf("defaults: %v %v", got, err)
		}
		got, err = f.db.SetNotifySettings(f.as(f.resp), ally.NotifySettings{ally.NotifyCritical: ally.NotifyOff})
		if err != nil || got[ally.NotifyCritical] != ally.NotifyOff || got[ally.NotifyAssigned] != ally.NotifyInstant {
			t.Fatalf("after turning critical off: %v %v", got, err)
		}
		for _, bad := range []ally.NotifySettings{{"lunch": ally.NotifyOff}, {ally.NotifyAssigned: "weekly"}} {
			if _, err := f.db.SetNotifySettings(f.as(f.resp), bad); ally.ErrorCode(err) != ally.EINVALID {
				t.Errorf("%v: %v", bad, err)
			}
		}
		if got, _ := f.db.NotifySettings(f.as(f.resp)); got[ally.NotifyCritical] != ally.NotifyOff {
			t.Errorf("a refused change changed something: %v", got)
		}
		if _, err := f.db.NotifySettings(f.as(f.alice)); ally.ErrorCode(err) != ally.EFORBIDDEN {
			t.Errorf("a reporter: %v", err)
		}
		if _, err := f.db.NotifySettings(context.Background()); ally.ErrorCode(err) != ally.EUNAUTHORIZED {
			t.Errorf("nobody: %v", err)
		}
	})
}

// TestDigestAfterTheConfiguredInterval: with digests every 30 minutes
// (ally serve --digest-every 30m), the first gathered event waits 30
// minutes, not the default hour, and the digest says how often they come.
func TestDigestAfterTheConfiguredInterval(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		if _, err := f.db.SetNotifySettings(f.as(f.resp), ally.NotifySettings{ally.NotifyAssigned: ally.NotifyDigest}); err != nil {
			t.Fatal(err)
		}
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "Parcel email"})
		rita := "rita@example.org"
		if _, err := f.db.UpdateCase(f.as(f.lead), c.Ref, ally.CaseUpdate{Assignee: &rita}); err != nil {
			t.Fatal(err)
		}
		op := ally.NewOperatorContext(context.Background())
		f.clock.advance(29 * time.Minute)
		if n, err := f.db.SendDigests(op, 30*time.Minute, 100); err != nil || n != 0 {
			t.Fatalf("a digest went out early: %d %v", n, err)
		}
		f.clock.advance(time.Minute)
		if n, err := f.db.SendDigests(op, 30*time.Minute, 100); err != nil || n != 1 {
			t.Fatalf("after 30 minutes: %d digests, %v", n, err)
		}
		all := outbox(t, f)
		if d := all[len(all)-1]; d.Kind != mailtext.Digest ||
			!strings.Contains(d.Body, "You chose to get these together every 30 minutes.") {
			t.Errorf("the digest:\n%s", d.Body)
		}
	})
}

// TestNotifyDigestAndOff: Rita gathers assignments and reporters' messages
// for a digest and turns critical cases off; Ravi keeps the defaults. The
// digest goes out once, after DigestEvery, with one line per event, even
// when several workers send digests at once.
func TestNotifyDigestAndOff(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		if _, err := f.db.SetNotifySettings(f.as(f.resp), ally.NotifySettings{ally.NotifyAssigned: ally.NotifyDigest,
			ally.NotifyReporterWrote: ally.NotifyDigest, ally.NotifyCritical: ally.NotifyOff}); err != nil {
			t.Fatal(err)
		}
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "Parcel email"})
		rita := "rita@example.org"
		if _, err := f.db.UpdateCase(f.as(f.lead), c.Ref, ally.CaseUpdate{Assignee: &rita}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.AddMessage(f.as(f.alice), c.Ref, ally.NewMessage{Body: "I also got a text."}); err != nil {
			t.Fatal(err)
		}
		mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindEnteredCredentials,
			Answers: map[string]string{"approved_prompt": "yes"}})
		want := "acknowledge alice@example.org\nacknowledge bob@example.org\ncritical ravi@example.org\n" +
			"critical lee@example.org\ncritical ada@example.org\n"
		if got := summary(outbox(t, f)); got != want {
			t.Fatalf("before the digest:\n%s\nwant:\n%s", got, want)
		}
		op := ally.NewOperatorContext(context.Background())
		if n, err := f.db.SendDigests(op, ally.DigestEvery, 100); err != nil || n != 0 {
			t.Fatalf("a digest went out early: %d %v", n, err)
		}
		if _, err := f.db.SendDigests(f.as(f.admin), ally.DigestEvery, 100); ally.ErrorCode(err) != ally.EFORBIDDEN {
			t.Errorf("an admin sent digests: %v", err)
		}
		f.clock.advance(ally.DigestEvery + time.Minute)
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for range 4 {
			wg.Go(func() {
				n, err := f.db.SendDigests(op, ally.DigestEvery, 100)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += n
				mu.Unlock()
			})
		}
		wg.Wait()
		all := outbox(t, f)
		if got := summary(all[5:]); total != 1 || got != "digest rita@example.org\n" {
			t.Fatalf("%d digests:\n%s", total, got)
		}
		d := all[5]
		for _, line := range []string{"- " + c.Ref + " is now yours: Parcel email",
			"- Alice Reporter wrote on " + c.Ref + " (Parcel email)", "Hi Rita,", "https://ally.example.org/settings/notifications"} {
			if !strings.Contains(d.Body, line) {
				t.Errorf("the digest lacks %q:\n%s", line, d.Body)
			}
		}
		if d.Subject != "Ally: 2 updates for you" {
			t.Errorf("subject %q", d.Subject)
		}
		if n, err := f.db.SendDigests(op, 0, 100); err != nil || n != 0 {
			t.Errorf("sent again: %d %v", n, err)
		}
	})
}
