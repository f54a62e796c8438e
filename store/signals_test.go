package store_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// eachSignal runs fn on every engine with mail on and an integration.
func eachSignal(t *testing.T, fn func(t *testing.T, f *fixture, siem *ally.User)) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			f := newFixtureWith(t, e, store.Options{Mail: mailtext.Default(), PublicURL: "https://ally.example.org/"})
			fn(t, f, integration(t, f, "siem"))
		})
	}
}

// integration makes an integration account and returns it as its token
// finds it.
func integration(t *testing.T, f *fixture, name string) *ally.User {
	t.Helper()
	op := ally.NewOperatorContext(context.Background())
	tok, err := f.db.IssueIntegrationToken(op, name, 0)
	if err != nil {
		t.Fatal(err)
	}
	u, err := f.db.FindUserByToken(context.Background(), tok)
	if err != nil || u.Role != ally.RoleIntegration {
		t.Fatalf("integration token: %+v, %v", u, err)
	}
	return u
}

var answerLink = regexp.MustCompile(`https://ally\.example\.org/signals/(\d+)/([A-Za-z0-9_-]+)`)

// askedLink returns the id and token of the answer link in the last
// question mailed to email.
func askedLink(t *testing.T, f *fixture, email string) (int64, string) {
	t.Helper()
	ms := outbox(t, f)
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Kind == mailtext.SignalAsk && ms[i].To == email {
			m := answerLink.FindStringSubmatch(ms[i].Body)
			if m == nil {
				t.Fatalf("question without a link:\n%s", ms[i].Body)
			}
			id, _ := strconv.ParseInt(m[1], 10, 64)
			return id, m[2]
		}
	}
	t.Fatalf("no question was mailed to %s:\n%s", email, summary(ms))
	return 0, ""
}

func newPlace(email, key string) *ally.NewSignal {
	at := time.Date(2026, 11, 27, 8, 12, 0, 0, time.UTC)
	return &ally.NewSignal{Source: "okta", Type: "new_place_sign_in", SubjectEmail: email,
		Summary: "a sign-in to your account from Lisbon", Details: "ip=203.0.113.9", OccurredAt: &at, DedupKey: key}
}

// TestSignalWithMailOff: with mail and Slack off, a signal signs no link
// when it is sent; the person's home page (MySignals, a read transaction)
// then makes the key instead of failing with "attempt to write a readonly
// database", and a wrong link on a desk that has signed none is not found,
// not an internal error. The link shown answers the signal.
func TestSignalWithMailOff(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			f := newFixtureWith(t, e, store.Options{})
			_, err := f.db.SignalQuestion(context.Background(), 1, "not-a-token")
			wantCode(t, err, ally.ENOTFOUND)
			s, err := f.db.SendSignal(f.as(integration(t, f, "okta")), newPlace("alice@example.org", "evt-1"))
			if err != nil || s.Status != ally.SignalAsking {
				t.Fatalf("send: %+v, %v", s, err)
			}
			_, err = f.db.SignalQuestion(context.Background(), s.ID, "not-a-token")
			wantCode(t, err, ally.ENOTFOUND)
			notes, err := f.db.MySignals(f.as(f.alice))
			if err != nil || len(notes) != 1 {
				t.Fatalf("in-app notices: %+v, %v", notes, err)
			}
			again, err := f.db.MySignals(f.as(f.alice))
			if err != nil || len(again) != 1 || again[0].Link != notes[0].Link {
				t.Fatalf("the link changed: %+v then %+v, %v", notes[0], again, err)
			}
			parts := strings.Split(notes[0].Link, "/")
			if len(parts) != 4 || parts[2] != strconv.FormatInt(s.ID, 10) {
				t.Fatalf("link %q", notes[0].Link)
			}
			if q, err := f.db.SignalQuestion(context.Background(), s.ID, parts[3]); err != nil || q.Status != ally.SignalAsking {
				t.Fatalf("question: %+v, %v", q, err)
			}
			if a, err := f.db.AnswerSignal(context.Background(), s.ID, parts[3], ally.AnswerYes); err != nil ||
				a.Status != ally.SignalConfirmed {
				t.Fatalf("answer: %+v, %v", a, err)
			}
		})
	}
}

// TestSignalYesClosesAndQuiets: the person is asked by email (and in the
// app), "yes" closes the signal, the same type is then quiet for them, and
// the link works once only.
func TestSignalYesClosesAndQuiets(t *testing.T) {
	eachSignal(t, func(t *testing.T, f *fixture, siem *ally.User) {
		s, err := f.db.SendSignal(f.as(siem), newPlace("Alice@Example.org", "evt-1"))
		if err != nil || s.Status != ally.SignalAsking || s.Duplicate {
			t.Fatalf("send: %+v, %v", s, err)
		}
		id, token := askedLink(t, f, "alice@example.org")
		if id != s.ID {
			t.Fatalf("link for %d, signal %d", id, s.ID)
		}
		mail := outbox(t, f)[len(outbox(t, f))-1]
		if !strings.Contains(mail.Body, "Hi Alice, we noticed a sign-in to your account from Lisbon at 08:12 on "+
			"27 November (UTC). Was this you?") {
			t.Fatalf("question mail:\n%s", mail.Body)
		}
		notes, err := f.db.MySignals(f.as(f.alice))
		if err != nil || len(notes) != 1 || notes[0].Link != "/signals/"+strconv.FormatInt(id, 10)+"/"+token {
			t.Fatalf("in-app notices: %+v, %v", notes, err)
		}
		if others, _ := f.db.MySignals(f.as(f.bob)); len(others) != 0 {
			t.Fatalf("bob sees alice's question: %+v", others)
		}
		q, err := f.db.SignalQuestion(context.Background(), id, token)
		if err != nil || q.Status != ally.SignalAsking || !strings.Contains(q.Yes, "Thank you") {
			t.Fatalf("question: %+v, %v", q, err)
		}
		// A forged link reads and changes nothing.
		forged := token[:len(token)-1] + map[bool]string{true: "B", false: "A"}[strings.HasSuffix(token, "A")]
		_, err = f.db.SignalQuestion(context.Background(), id, forged)
		wantCode(t, err, ally.ENOTFOUND)
		_, err = f.db.AnswerSignal(context.Background(), id+1, token, ally.AnswerYes)
		wantCode(t, err, ally.ENOTFOUND)
		_, err = f.db.AnswerSignal(context.Background(), id, token, "maybe")
		wantCode(t, err, ally.EINVALID)

		got, err := f.db.AnswerSignal(context.Background(), id, token, ally.AnswerYes)
		if err != nil || got.Status != ally.SignalConfirmed || got.CaseRef != "" {
			t.Fatalf("yes: %+v, %v", got, err)
		}
		_, err = f.db.AnswerSignal(context.Background(), id, token, ally.AnswerNo)
		wantCode(t, err, ally.ECONFLICT)
		if notes, _ := f.db.MySignals(f.as(f.alice)); len(notes) != 0 {
			t.Fatalf("answered question still shown: %+v", notes)
		}
		// The same dedup key within the window is the same signal.
		dup, err := f.db.SendSignal(f.as(siem), newPlace("alice@example.org", "evt-1"))
		if err != nil || !dup.Duplicate || dup.ID != s.ID || dup.Status != ally.SignalConfirmed {
			t.Fatalf("duplicate: %+v, %v", dup, err)
		}
		// Another sign-in from a new place an hour later is quiet: no question.
		before := len(outbox(t, f))
		f.clock.advance(time.Hour)
		again, err := f.db.SendSignal(f.as(siem), newPlace("alice@example.org", "evt-2"))
		if err != nil || !again.Quiet || again.Status != ally.SignalConfirmed || len(outbox(t, f)) != before {
			t.Fatalf("repeat after yes: %+v, %v (mail %d → %d)", again, err, before, len(outbox(t, f)))
		}
		// After the quiet time (21 h by default) the person is asked again.
		f.clock.advance(21 * time.Hour)
		later, err := f.db.SendSignal(f.as(siem), newPlace("alice@example.org", "evt-3"))
		if err != nil || later.Status != ally.SignalAsking {
			t.Fatalf("after the quiet time: %+v, %v", later, err)
		}
		// The integration sees its own signal; a reporter does not.
		if s, err := f.db.FindSignal(f.as(siem), later.ID); err != nil || s.Status != ally.SignalAsking {
			t.Fatalf("find own: %+v, %v", s, err)
		}
		_, err = f.db.FindSignal(f.as(f.alice), later.ID)
		wantCode(t, err, ally.ENOTFOUND)
	})
}

// TestSignalNoEscalates: "no" opens a case at the type's severity and kind,
// reported by the person, with the signal on its timeline, thanks for the
// answer, first aid in the acknowledgement, and a signal.escalated
// delivery without personal details.
func TestSignalNoEscalates(t *testing.T) {
	eachSignal(t, func(t *testing.T, f *fixture, siem *ally.User) {
		hook, err := f.db.CreateWebhook(f.as(f.admin), &ally.NewWebhook{URL: "https://hooks.example.org/ally",
			Events: []string{ally.EventSignalEscalated, ally.EventCaseCreated}})
		if err != nil || !strings.HasPrefix(hook.Secret, "whsec_") {
			t.Fatalf("webhook: %+v, %v", hook, err)
		}
		s, err := f.db.SendSignal(f.as(siem), newPlace("alice@example.org", ""))
		if err != nil {
			t.Fatal(err)
		}
		id, token := askedLink(t, f, "alice@example.org")
		got, err := f.db.AnswerSignal(context.Background(), id, token, ally.AnswerNo)
		if err != nil || got.Status != ally.SignalEscalated || got.CaseRef == "" {
			t.Fatalf("no: %+v, %v", got, err)
		}
		c, err := f.db.FindCase(f.as(f.alice), got.CaseRef)
		if err != nil {
			t.Fatal(err)
		}
		if c.Severity != ally.SeverityHigh || c.Kind != ally.KindEnteredCredentials || c.Source != ally.SourceSignal ||
			c.Reporter.Email != "alice@example.org" {
			t.Fatalf("case %+v", c)
		}
		mine, err := f.db.Timeline(f.as(f.alice), c.Ref, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		all, _ := f.db.Timeline(f.as(f.resp), c.Ref, 0, 50)
		if !timelineHas(mine, "You told us this wasn't you. Thank you, that helps us act fast.") ||
			timelineHas(mine, "Signal ") || !timelineHas(all, "Signal "+strconv.FormatInt(s.ID, 10)+" from okta") {
			t.Fatalf("timeline: reporter %v, responder %v", bodies(mine), bodies(all))
		}
		ack := outbox(t, f)[len(outbox(t, f))-1]
		if ack.Kind != mailtext.Acknowledge || ack.To != "alice@example.org" || !strings.Contains(ack.Body, "- ") {
			t.Fatalf("acknowledgement: %+v\n%s", ack, ack.Body)
		}
		ds, err := f.db.WebhookDeliveries(f.as(f.admin), hook.ID, 0, 10)
		if err != nil || len(ds) != 2 || ds[0].Event != ally.EventSignalEscalated || ds[1].Event != ally.EventCaseCreated {
			t.Fatalf("deliveries: %+v, %v", ds, err)
		}
		out, err := f.db.ClaimDeliveries(ally.NewOperatorContext(context.Background()), 10, time.Minute, nil)
		if err != nil || len(out) != 2 {
			t.Fatalf("claim: %v, %v", out, err)
		}
		var body struct {
			Type string
			Data map[string]any
		}
		if err := json.Unmarshal(out[1].Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.Type != ally.EventSignalEscalated || body.Data["case"] != c.Ref || body.Data["answer"] != "no" ||
			body.Data["reporter_name"] != nil || body.Data["summary"] != nil || body.Data["subject_email"] != nil {
			t.Fatalf("payload %s", out[1].Body)
		}
	})
}

func bodies(es []*ally.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Body)
	}
	return out
}

// TestSignalTimeoutEscalates: no answer within the timeout makes it a case;
// two workers at once escalate each signal once; a late answer is refused.
func TestSignalTimeoutEscalates(t *testing.T) {
	eachSignal(t, func(t *testing.T, f *fixture, siem *ally.User) {
		n := newPlace("bob@example.org", "")
		n.Timeout = 60
		if _, err := f.db.SendSignal(f.as(siem), n); err != nil {
			t.Fatal(err)
		}
		id, token := askedLink(t, f, "bob@example.org")
		op := ally.NewOperatorContext(context.Background())
		if k, err := f.db.EscalateDue(op, 10); err != nil || k != 0 {
			t.Fatalf("before the timeout: %d, %v", k, err)
		}
		f.clock.advance(61 * time.Second)
		var wg sync.WaitGroup
		counts := make([]int, 2)
		for i := range counts {
			wg.Go(func() {
				k, err := f.db.EscalateDue(op, 10)
				if err != nil {
					t.Error(err)
				}
				counts[i] = k
			})
		}
		wg.Wait()
		if counts[0]+counts[1] != 1 {
			t.Fatalf("escalated %v, want once in all", counts)
		}
		s, err := f.db.FindSignal(f.as(f.resp), id)
		if err != nil || s.Status != ally.SignalEscalated || s.Answer != "timeout" || s.CaseRef == "" {
			t.Fatalf("after the timeout: %+v, %v", s, err)
		}
		_, err = f.db.AnswerSignal(context.Background(), id, token, ally.AnswerYes)
		wantCode(t, err, ally.ECONFLICT)
		_, err = f.db.EscalateDue(f.as(f.admin), 10)
		wantCode(t, err, ally.EFORBIDDEN)
	})
}

// TestSignalBadInput: unknown type names the known ones, a subject without
// an account becomes a case for responders with nobody asked, and only
// integrations may send.
func TestSignalBadInput(t *testing.T) {
	eachSignal(t, func(t *testing.T, f *fixture, siem *ally.User) {
		n := newPlace("alice@example.org", "")
		n.Type = "bad_vibes"
		_, err := f.db.SendSignal(f.as(siem), n)
		wantCode(t, err, ally.EINVALID)
		if !strings.Contains(ally.ErrorMessage(err), "new_place_sign_in") {
			t.Fatalf("unknown type message: %v", err)
		}
		_, err = f.db.SendSignal(f.as(f.admin), newPlace("alice@example.org", ""))
		wantCode(t, err, ally.EFORBIDDEN)
		before := len(outbox(t, f))
		s, err := f.db.SendSignal(f.as(siem), newPlace("nobody@example.org", ""))
		if err != nil || s.Status != ally.SignalEscalated || s.CaseRef == "" || len(outbox(t, f)) != before {
			t.Fatalf("no account: %+v, %v, mail %d → %d", s, err, before, len(outbox(t, f)))
		}
		if _, err := f.db.FindCase(f.as(f.resp), s.CaseRef); err != nil {
			t.Fatalf("responders cannot see the case: %v", err)
		}
		_, err = f.db.FindCase(f.as(siem), s.CaseRef)
		wantCode(t, err, ally.ENOTFOUND)
		// The integration may do nothing else.
		_, err = f.db.CreateCase(f.as(siem), &ally.NewCase{Kind: ally.KindOther, Summary: "x"})
		wantCode(t, err, ally.EFORBIDDEN)
		_, err = f.db.Authenticate(context.Background(), siem.Email, "")
		wantCode(t, err, ally.EUNAUTHORIZED)
		_, err = f.db.IssueIntegrationToken(f.as(f.lead), "edr", 0)
		wantCode(t, err, ally.EFORBIDDEN)
		_, err = f.db.IssueIntegrationToken(ally.NewOperatorContext(context.Background()), "Not OK!", 0)
		wantCode(t, err, ally.EINVALID)
	})
}

// TestSignalDedupUnderConcurrency: the same dedup key sent by many
// requests at once is one signal, asked once.
func TestSignalDedupUnderConcurrency(t *testing.T) {
	eachSignal(t, func(t *testing.T, f *fixture, siem *ally.User) {
		ids := make([]int64, 12)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Go(func() {
				s, err := f.db.SendSignal(f.as(siem), newPlace("alice@example.org", "same-event"))
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = s.ID
			})
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("one key, several signals: %v", ids)
			}
		}
		asked := 0
		for _, m := range outbox(t, f) {
			if m.Kind == mailtext.SignalAsk {
				asked++
			}
		}
		if asked != 1 {
			t.Fatalf("asked %d times", asked)
		}
	})
}
