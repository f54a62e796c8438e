package intake_test

import (
	"context"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/intake"
	"github.com/allydesk/ally/intake/intaketest"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/outbox"
	"github.com/allydesk/ally/outbox/outboxtest"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// mailDesk is the whole loop: a database with mail on, the report listener
// (reports and replies), an outbox worker and a relay standing in for the
// organisation's mail server.
type mailDesk struct {
	db     *store.DB
	listen string // the report listener's address
	relay  *outboxtest.Relay
	w      *outbox.Worker
	rita   *ally.User
	in     *intake.Intake
}

func newMailDesk(t *testing.T, engine string) *mailDesk {
	t.Helper()
	op := ally.NewOperatorContext(context.Background())
	d := &mailDesk{db: storetest.Open(t, engine, store.Options{Mail: mailtext.Default(), PublicURL: "https://ally.test"})}
	if _, err := d.db.CreateUser(op, &ally.NewUser{Email: "sam@example.org", Name: "Sam Lee", Role: ally.RoleReporter,
		Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	var err error
	if d.rita, err = d.db.CreateUser(op, &ally.NewUser{Email: "rita@example.org", Name: "Rita Responder",
		Role: ally.RoleResponder, Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	in := intake.New(intake.Config{Mail: d.db, Replies: d.db, Answerer: d.db})
	d.in = in
	d.listen = (&rig{in: in}).listen(t, intake.SMTPConfig{Replies: in.Reply})
	d.relay = outboxtest.Start(t, "127.0.0.1:0", nil, false)
	r, err := outbox.ParseRelay("smtp://" + d.relay.Addr + "?tls=none")
	if err != nil {
		t.Fatal(err)
	}
	d.w, err = outbox.New(context.Background(), outbox.Config{Queue: d.db, Relay: r, From: "Ally <report@example.org>",
		Timeout: 500 * time.Millisecond, FirstRetry: time.Millisecond, MaxRetry: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// drain runs the worker until nothing is queued.
func (d *mailDesk) drain(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		s, err := d.db.OutboxStats(ally.NewOperatorContext(context.Background()))
		if err != nil {
			t.Fatal(err)
		}
		if s.Queued == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still queued: %+v", s)
		}
		if _, err := d.w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// delivered returns the relay's messages, checking that no Message-ID
// came twice.
func (d *mailDesk) delivered(t *testing.T) []outboxtest.Received {
	t.Helper()
	seen := map[string]bool{}
	got := d.relay.Messages()
	for _, m := range got {
		id := m.Header.Get("Message-Id")
		if seen[id] {
			t.Fatalf("the relay got %s twice", id)
		}
		seen[id] = true
	}
	return got
}

// conversation is the case's messages, as its responder sees them.
func (d *mailDesk) conversation(t *testing.T, ref string) []string {
	t.Helper()
	return conversation(t, d.db, d.rita, ref)
}

// conversation is the case's messages as u sees them, "email: body" each.
func conversation(t *testing.T, db *store.DB, u *ally.User, ref string) []string {
	t.Helper()
	es, err := db.Timeline(ally.NewContextWithUser(context.Background(), u), ref, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if e.Type == ally.EntryMessage {
			out = append(out, e.Author.Email+": "+e.Body)
		}
	}
	return out
}

// TestMailLoop is issue 13's "done when", through mail only: a report by
// SMTP, the acknowledgement with first aid and the reference (the relay
// refusing for a while), a responder's reply, the reporter's email answer
// back into the case; then (mailLoopMore) a report through a real Dovecot
// mailbox, a practice email answered kindly with no incident, and the
// campaign's verdict mailed to every reporter while the relay is down for
// part of the way; the relay gets every message once.
func TestMailLoop(t *testing.T) {
	each(t, func(t *testing.T, engine string) {
		d := newMailDesk(t, engine)
		d.relay.Mode.Store(outboxtest.Defer) // the relay is down to start with
		if err := send(d.listen, "sam@example.org", report("Sam Lee <sam@example.org>", "r1@example.org", phish)); err != nil {
			t.Fatal(err)
		}
		cases := d.caseList(t)
		if len(cases) != 1 {
			t.Fatalf("cases: %d", len(cases))
		}
		c := cases[0]
		for range 3 {
			if _, err := d.w.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if n := len(d.relay.Messages()); n != 0 {
			t.Fatalf("a deferring relay took %d messages", n)
		}
		d.relay.Mode.Store(outboxtest.Accept)
		d.drain(t)
		got := d.delivered(t)
		if len(got) != 1 || got[0].To != "sam@example.org" {
			t.Fatalf("after the report the relay got %d messages", len(got))
		}
		ack := string(got[0].Raw)
		for _, want := range []string{c.Ref, "Do not click links"} {
			if !strings.Contains(ack, want) {
				t.Errorf("the acknowledgement lacks %q:\n%s", want, ack)
			}
		}
		replyTo := got[0].Header.Get("Reply-To")
		if !strings.HasPrefix(replyTo, "report+"+c.Ref+".") {
			t.Fatalf("Reply-To %q", replyTo)
		}

		rita := ally.NewContextWithUser(context.Background(), d.rita)
		me, resolved := "rita@example.org", ally.StatusResolved
		if _, err := d.db.UpdateCase(rita, c.Ref, ally.CaseUpdate{Assignee: &me}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.db.AddMessage(rita, c.Ref, ally.NewMessage{Body: "Thank you Sam. Did you open the link?"}); err != nil {
			t.Fatal(err)
		}
		outcome := "All done: the link is blocked. Thank you, Sam."
		if _, err := d.db.UpdateCase(rita, c.Ref, ally.CaseUpdate{Status: &resolved, Outcome: &outcome}); err != nil {
			t.Fatal(err)
		}
		d.relay.Mode.Store(outboxtest.GoAway) // drops the connection mid-message for a while
		if _, err := d.w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		d.relay.Mode.Store(outboxtest.Accept)
		d.drain(t)
		got = d.delivered(t)
		reply := only(t, got, "sam@example.org", "Did you open the link?")
		only(t, got, "sam@example.org", "the link is blocked") // the outcome, as a reply
		// The acknowledgement, the reply and the outcome.
		if len(got) != 3 {
			t.Fatalf("after the responder's reply the relay got %d messages", len(got))
		}
		replyTo = reply.Header.Get("Reply-To")

		answer := "From: Sam Lee <sam@example.org>\r\nTo: " + replyTo + "\r\nSubject: Re: " + c.Ref +
			"\r\nMessage-ID: <a1@example.org>\r\nContent-Type: text/plain\r\n\r\nNo, I did not open it.\r\n\r\n" +
			"On Mon, 7 Dec 2026, Ally <report@example.org> wrote:\r\n> Thank you Sam. Did you open the link?\r\n"
		for range 2 { // the organisation's relay retrying
			if err := smtp.SendMail(d.listen, nil, "sam@example.org", []string{replyTo}, []byte(answer)); err != nil {
				t.Fatal(err)
			}
		}
		want := []string{"rita@example.org: Thank you Sam. Did you open the link?", "rita@example.org: " + outcome,
			"sam@example.org: No, I did not open it."}
		if conv := d.conversation(t, c.Ref); strings.Join(conv, "\n") != strings.Join(want, "\n") {
			t.Fatalf("conversation:\n%s", strings.Join(conv, "\n"))
		}
		if now := d.caseList(t)[0]; now.Status != ally.StatusInvestigating {
			t.Errorf("a reply to a resolved case left it %s", now.Status)
		}
		d.drain(t)
		got = d.delivered(t)
		only(t, got, "rita@example.org", "No, I did not open it.")
		if len(got) != 4 {
			t.Fatalf("after the reporter's answer the relay got %d messages", len(got))
		}

		forged := strings.Replace(replyTo, "+"+c.Ref+".", "+"+c.Ref+".a", 1)
		forged = forged[:strings.Index(forged, "@")-1] + forged[strings.Index(forged, "@"):]
		err := smtp.SendMail(d.listen, nil, "sam@example.org", []string{forged},
			[]byte(strings.Replace(answer, "<a1@", "<a2@", 1)))
		wantErr(t, err, "550", "not one Ally gave out")
		if conv := d.conversation(t, c.Ref); len(conv) != 3 {
			t.Fatalf("a forged reply changed the conversation:\n%s", strings.Join(conv, "\n"))
		}
		mailLoopMore(t, d, c)
	})
}

// mailLoopMore continues TestMailLoop after Sam's case c: Kim reports the
// same email through the IMAP mailbox, Sam reports a practice email over
// SMTP, and Rita decides the campaign with the relay down.
func mailLoopMore(t *testing.T, d *mailDesk, c *ally.Case) {
	op := ally.NewOperatorContext(context.Background())
	if _, err := d.db.CreateUser(op, &ally.NewUser{Email: "kim@example.org", Name: "Kim Park",
		Role: ally.RoleReporter, Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	imap := intaketest.StartDovecot(t)
	box := intaketest.OpenMailbox(t, imap)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.in.WatchIMAP(ctx, imap); close(done) }()
	defer func() { cancel(); <-done }()
	box.Deliver("INBOX", report("Kim Park <kim@example.org>", "k1@example.org", phish))
	eventually(t, "Kim's report filed", func() bool { return box.Count("Processed") == 1 })
	sim := strings.Replace(phish, "Date:", "X-Gophish-Contact: sam@example.org\r\nDate:", 1)
	if err := send(d.listen, "sam@example.org", report("Sam Lee <sam@example.org>", "s2@example.org", sim)); err != nil {
		t.Fatal(err)
	}
	cases := d.caseList(t)
	if len(cases) != 2 { // Sam's and Kim's; the practice email is no incident
		t.Fatalf("%d cases after the IMAP report and the practice email", len(cases))
	}
	kim := cases[0]
	files, err := d.db.Attachments(ally.NewContextWithUser(context.Background(), d.rita), kim.Ref)
	if err != nil || kim.Source != ally.SourceEmail || len(files) != 1 || files[0].Verdict == "" ||
		files[0].CampaignID == nil {
		t.Fatalf("Kim's case %+v, files %+v: %v", kim, files, err)
	}
	d.drain(t)
	got := d.delivered(t)
	ack := only(t, got, "kim@example.org", kim.Ref)
	if !strings.Contains(string(ack.Raw), "Do not click links") {
		t.Errorf("Kim's acknowledgement lacks first aid:\n%s", ack.Raw)
	}
	only(t, got, "sam@example.org", "practice email")

	d.relay.Mode.Store(outboxtest.Defer) // down while the verdict goes out
	rita := ally.NewContextWithUser(context.Background(), d.rita)
	if _, err := d.db.DecideCampaign(rita, *files[0].CampaignID,
		ally.CampaignDecision{Verdict: "malicious", Blocked: true}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := d.w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := len(d.relay.Messages()); n != len(got) {
		t.Fatalf("a deferring relay took %d new messages", n-len(got))
	}
	d.relay.Mode.Store(outboxtest.Accept)
	d.drain(t)
	got = d.delivered(t)
	for _, who := range []string{"sam@example.org", "kim@example.org"} {
		only(t, got, who, "We have blocked it for everyone.")
	}
	// 4 before, then Kim's acknowledgement, Sam's practice answer, and the
	// verdict to Sam and to Kim: each once.
	if len(got) != 8 {
		t.Fatalf("the relay got %d messages, want 8", len(got))
	}
	for _, k := range d.caseList(t) {
		if k.Status != ally.StatusResolved {
			t.Errorf("%s is %s after the campaign's verdict", k.Ref, k.Status)
		}
	}
}

func (d *mailDesk) caseList(t *testing.T) []*ally.Case {
	t.Helper()
	page, err := d.db.FindCases(ally.NewContextWithUser(context.Background(), d.rita), ally.CaseFilter{Limit: ally.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// only returns the one message to addr that contains text.
func only(t *testing.T, got []outboxtest.Received, addr, text string) outboxtest.Received {
	t.Helper()
	var found []outboxtest.Received
	for _, m := range got {
		if m.To == addr && strings.Contains(string(m.Raw), text) {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d messages to %s say %q, want 1", len(found), addr, text)
	}
	return found[0]
}
