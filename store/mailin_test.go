package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailin"
)

const mailPhish = "From: \"IT Desk\" <it-desk@examp1e-support.com>\r\nTo: alice@example.org\r\n" +
	"Subject: Your password expires today\r\nMessage-ID: <p1@examp1e-support.com>\r\n" +
	"Date: Mon, 7 Dec 2026 09:00:00 +0000\r\nContent-Type: text/plain\r\n\r\n" +
	"Keep your password now: https://examp1e-support.com/login\r\n"

// mailReport builds a report from sender carrying the given emails as
// attachments, with extra header lines.
func mailReport(t *testing.T, sender, extra string, emails ...string) *mailin.Message {
	t.Helper()
	var b strings.Builder
	b.WriteString("From: " + sender + "\r\nSubject: 3|odd email\r\n" + extra +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nIs this real?\r\n")
	for _, e := range emails {
		b.WriteString("--b\r\nContent-Type: message/rfc822\r\n\r\n" + e + "\r\n")
	}
	b.WriteString("--b--\r\n")
	m, err := mailin.Parse([]byte(b.String()), mailin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestReceiveMailOpensOneCase(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := ally.NewOperatorContext(context.Background())
		second := strings.Replace(mailPhish, "<p1@", "<p2@", 1)
		in := ally.MailIn{Key: ally.MailKeyMessageID("alice@example.org", "r1@example.org"),
			Message: mailReport(t, "Alice <alice@example.org>", "", mailPhish, second)}
		rc, err := f.db.ReceiveMail(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		c := rc.Case
		if rc.Outcome != ally.MailOpened || rc.Duplicate || c == nil || c.Source != ally.SourceEmail ||
			c.Kind != ally.KindSuspiciousEmail || c.ReporterID != f.alice.ID || !strings.Contains(rc.Reply, c.Ref) {
			t.Fatalf("receipt %+v, case %+v", rc, c)
		}
		if !strings.Contains(c.Details, "marked by the reporter as phishing") || !strings.Contains(c.Details, "Is this real?") {
			t.Errorf("details: %q", c.Details)
		}
		found, err := f.db.FindCase(f.as(f.resp), c.Ref)
		if err != nil || found.Source != ally.SourceEmail {
			t.Fatalf("find: %v %+v", err, found)
		}
		atts, err := f.db.Attachments(f.as(f.resp), c.Ref)
		if err != nil || len(atts) != 2 || atts[0].Analysis == nil || atts[0].CampaignID == nil {
			t.Fatalf("attachments: %v %d", err, len(atts))
		}

		again, err := f.db.ReceiveMail(ctx, in) // read twice: one case
		if err != nil || !again.Duplicate || again.Case == nil || again.Case.Ref != c.Ref || again.Reply != "" {
			t.Fatalf("second read: %v %+v", err, again)
		}
		page, err := f.db.FindCases(f.as(f.lead), ally.CaseFilter{})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("cases after two reads: %v %d", err, len(page.Items))
		}
	})
}

func TestReceiveMailSenders(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := ally.NewOperatorContext(context.Background())
		in := ally.MailIn{Key: "message-id:new@corp.example", Domains: []string{"corp.example"},
			Message: mailReport(t, "Nia New <Nia@Corp.Example>", "", mailPhish)}
		rc, err := f.db.ReceiveMail(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if rc.Reporter.Email != "nia@corp.example" || rc.Reporter.Role != ally.RoleReporter || rc.Reporter.Name != "Nia New" {
			t.Errorf("new reporter: %+v", rc.Reporter)
		}
		if _, err := f.db.Authenticate(ctx, "nia@corp.example", ""); err == nil {
			t.Error("an account made by email signs in with an empty password")
		}

		in = ally.MailIn{Key: "message-id:x@elsewhere.test", Domains: []string{"corp.example"},
			Message: mailReport(t, "x@elsewhere.test", "", mailPhish)}
		_, err = f.db.ReceiveMail(ctx, in)
		wantCode(t, err, ally.EFORBIDDEN)
		if !strings.Contains(ally.ErrorMessage(err), "x@elsewhere.test") {
			t.Errorf("refusal does not say who: %q", ally.ErrorMessage(err))
		}
		if _, err := f.db.FindUserByEmail(ctx, "x@elsewhere.test"); ally.ErrorCode(err) != ally.ENOTFOUND {
			t.Errorf("a refused sender got an account: %v", err)
		}

		_, err = f.db.ReceiveMail(f.as(f.admin), ally.MailIn{Key: "k", Message: in.Message})
		wantCode(t, err, ally.EFORBIDDEN)
		_, err = f.db.ReceiveMail(ctx, ally.MailIn{Message: in.Message})
		wantCode(t, err, ally.EINVALID)
	})
}

func TestReceiveMailSimulationAndAutoReply(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := ally.NewOperatorContext(context.Background())
		sim := strings.Replace(mailPhish, "Date:", "X-PHISHTEST: 42\r\nDate:", 1)
		rc, err := f.db.ReceiveMail(ctx, ally.MailIn{Key: "message-id:s1", Message: mailReport(t, "bob@example.org", "", sim)})
		if err != nil || rc.Outcome != ally.MailSimulation || rc.Case != nil || rc.Reply != ally.PracticeReply {
			t.Fatalf("simulation: %v %+v", err, rc)
		}
		auto := mailReport(t, "bob@example.org", "Auto-Submitted: auto-replied\r\n")
		rc, err = f.db.ReceiveMail(ctx, ally.MailIn{Key: "message-id:a1", Message: auto})
		if err != nil || rc.Outcome != ally.MailIgnored || rc.Reply != "" || rc.Case != nil {
			t.Fatalf("auto reply: %v %+v", err, rc)
		}
		page, err := f.db.FindCases(f.as(f.lead), ally.CaseFilter{})
		if err != nil || len(page.Items) != 0 {
			t.Fatalf("a practice email or an auto-reply opened a case: %v %d", err, len(page.Items))
		}
		m, err := f.db.Metrics(f.as(f.lead), ally.MetricsFilter{From: f.clock.t.Add(-time.Hour), To: f.clock.t.Add(time.Hour)})
		if err != nil || m.Engagement.PracticeReports != 1 || m.Engagement.CasesReported != 0 {
			t.Fatalf("metrics: %v %+v", err, m.Engagement)
		}
		m, err = f.db.Metrics(f.as(f.lead), ally.MetricsFilter{From: f.clock.t.Add(-time.Hour), To: f.clock.t.Add(time.Hour),
			Department: "Finance"})
		if err != nil || m.Engagement.PracticeReports != 0 {
			t.Fatalf("metrics for another department: %v %+v", err, m.Engagement)
		}
		counters, err := f.db.Counters(ctx)
		if err != nil || counters.MailByOutcome["simulation"] != 1 || counters.MailByOutcome["ignored"] != 1 {
			t.Fatalf("counters: %v %+v", err, counters)
		}
	})
}
