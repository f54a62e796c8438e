package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestMailedReportsAnsweredThroughTheOutbox: the answer to a mailed report
// is queued with it, once; automatic mail is never answered, even when it
// opens a case; a refusal is queued by Answer, for the server only.
func TestMailedReportsAnsweredThroughTheOutbox(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		op := ally.NewOperatorContext(context.Background())
		sim := strings.Replace(mailPhish, "Date:", "X-PHISHTEST: 42\r\nDate:", 1)
		in := ally.MailIn{Key: "message-id:s1", Message: mailReport(t, "Bob <bob@example.org>", "", sim)}
		for range 2 { // read twice: answered once
			if rc, err := f.db.ReceiveMail(op, in); err != nil || (!rc.Duplicate && !rc.Mailed) {
				t.Fatalf("simulation: %v %+v", err, rc)
			}
		}
		auto := mailReport(t, "alice@example.org", "Auto-Submitted: auto-forwarded\r\n", mailPhish)
		rc, err := f.db.ReceiveMail(op, ally.MailIn{Key: "message-id:a1", Message: auto})
		if err != nil || rc.Case == nil || rc.Mailed || rc.Reply != "" {
			t.Fatalf("automatic report: %v %+v", err, rc)
		}
		rc, err = f.db.ReceiveMail(op, ally.MailIn{Key: "message-id:c1", Message: mailReport(t, "alice@example.org", "", mailPhish)})
		if err != nil || rc.Case == nil || !rc.Mailed {
			t.Fatalf("report: %v %+v", err, rc)
		}
		if err := f.db.Answer(f.as(f.admin), "eve@elsewhere.test", "", "No.", "", ""); ally.ErrorCode(err) != ally.EFORBIDDEN {
			t.Errorf("a signed-in user answered the mailbox: %v", err)
		}
		if err := f.db.Answer(op, "Eve@Elsewhere.test", "", "Ally only takes reports from people in the organisation.",
			"x@y", ""); err != nil {
			t.Fatal(err)
		}
		all := outbox(t, f)
		want := "practice bob@example.org\nacknowledge alice@example.org\nnot_taken eve@elsewhere.test\n"
		if summary(all) != want {
			t.Fatalf("outbox:\n%s\nwant:\n%s", summary(all), want)
		}
		if !strings.Contains(all[0].Body, "Hi Bob,") || !strings.Contains(all[0].Body, "practice email") || all[0].ReplyToCase {
			t.Errorf("practice answer %+v:\n%s", all[0], all[0].Body)
		}
		if !strings.Contains(all[2].Body, "only takes reports from people in the organisation") {
			t.Errorf("refusal:\n%s", all[2].Body)
		}
	})
}
