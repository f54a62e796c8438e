package intake_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/intake"
	"github.com/allydesk/ally/intake/intaketest"
	"github.com/allydesk/ally/mailaddr"
)

// answerTo is a reply from sender to the address to, with quoted history.
func answerTo(sender, to, id, text string) string {
	return "From: " + sender + "\r\nDelivered-To: " + to + "\r\nTo: Ally <" + to + ">\r\nSubject: Re: your report\r\n" +
		"Message-ID: <" + id + ">\r\nContent-Type: text/plain\r\n\r\n" + text +
		"\r\n\r\nOn Mon, 7 Dec 2026, Ally wrote:\r\n> What happened next?\r\n"
}

func TestIMAPFilesRepliesInTheirCase(t *testing.T) {
	each(t, func(t *testing.T, engine string) {
		c := intaketest.StartDovecot(t)
		r := newRig(t, engine)
		in := intake.New(intake.Config{Mail: r.db, Replies: r.db, Answerer: r.ans})
		rc, err := in.Take(context.Background(), []byte(report("sam@example.org", "m1@example.org", phish)), "")
		if err != nil {
			t.Fatal(err)
		}
		ref := rc.Case.Ref
		key, err := r.db.MailKey(ally.NewOperatorContext(context.Background()))
		if err != nil {
			t.Fatal(err)
		}
		to := "report+" + ref + "." + mailaddr.Token(key, ref) + "@example.org"
		forged := "report+" + ref + ".aaaaaaaaaaaaaaaa@example.org"
		box := intaketest.OpenMailbox(t, c)
		box.Deliver("INBOX", answerTo("Sam Lee <sam@example.org>", to, "a1@example.org", "I deleted it."))
		box.Deliver("INBOX", answerTo("Sam Lee <sam@example.org>", to, "a1@example.org", "I deleted it.")) // a copy
		box.Deliver("INBOX", answerTo("Sam Lee <sam@example.org>", forged, "a2@example.org", "Forged."))
		box.Deliver("INBOX", answerTo("Lee Lead <lee@example.org>", to, "a3@example.org", "Not the reporter."))
		box.Deliver("INBOX", "Auto-Submitted: auto-replied\r\n"+answerTo("sam@example.org", to, "a4@example.org", "Away."))

		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { in.WatchIMAP(ctx, c); close(done) }()
		defer func() { cancel(); <-done }()
		eventually(t, "five messages filed", func() bool { return box.Count("Processed") == 5 })

		lead, err := r.db.FindUserByEmail(ally.NewOperatorContext(context.Background()), "lee@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if msgs := conversation(t, r.db, lead, ref); strings.Join(msgs, "\n") != "sam@example.org: I deleted it." {
			t.Fatalf("conversation:\n%s", strings.Join(msgs, "\n"))
		}
		time.Sleep(100 * time.Millisecond)
		for _, a := range r.ans.all() {
			if !strings.Contains(a, ref) { // only the acknowledgement of the report itself
				t.Errorf("a refused or automatic reply was answered: %q", a)
			}
		}
	})
}
