package store_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailaddr"
	"github.com/allydesk/ally/mailin"
)

// replyMail parses a reply from sender with extra header lines and text.
func replyMail(t *testing.T, sender, extra, text string) *mailin.Message {
	t.Helper()
	raw := "From: " + sender + "\r\nSubject: Re: Parcel email\r\n" + extra + "Content-Type: text/plain\r\n\r\n" + text
	m, err := mailin.Parse([]byte(raw), mailin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// replyToken is the token of case ref's reply address.
func replyToken(t *testing.T, f *fixture, ref string) string {
	t.Helper()
	key, err := f.db.MailKey(ally.NewOperatorContext(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	return mailaddr.Token(key, ref)
}

// messages returns the bodies of c's messages as the responder sees them.
func messages(t *testing.T, f *fixture, ref string) []string {
	t.Helper()
	es, err := f.db.Timeline(f.as(f.resp), ref, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if e.Type == ally.EntryMessage {
			out = append(out, e.Body)
		}
	}
	return out
}

func TestReceiveReplyReopensAndNotifies(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		op := ally.NewOperatorContext(context.Background())
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "Parcel email"})
		rita, resolved := "rita@example.org", ally.StatusResolved
		if _, err := f.db.UpdateCase(f.as(f.lead), c.Ref, ally.CaseUpdate{Assignee: &rita, Status: &resolved,
			Outcome: ptr("All done: your account is safe.")}); err != nil {
			t.Fatal(err)
		}
		key, err := f.db.MailKey(op)
		if err != nil {
			t.Fatal(err)
		}
		r := ally.MailReply{Key: "message-id:alice@example.org:r1", Ref: c.Ref, Token: mailaddr.Token(key, c.Ref),
			Message: replyMail(t, "Alice <alice@example.org>", "",
				"I got another one today.\r\n\r\nOn Fri, 27 Nov 2026, Ally wrote:\r\n> Thank you for reporting this.\r\n")}
		rc, err := f.db.ReceiveReply(op, r)
		if err != nil {
			t.Fatal(err)
		}
		if rc.Duplicate || !rc.Reopened || rc.Case.Status != ally.StatusInvestigating || rc.Entry == nil ||
			rc.Entry.Body != "I got another one today." {
			t.Fatalf("receipt %+v", rc)
		}
		if got := outbox(t, f); got[len(got)-1].Kind != "reporter_wrote" || got[len(got)-1].To != rita ||
			!strings.Contains(got[len(got)-1].Body, "I got another one today.") {
			t.Fatalf("outbox:\n%s", summary(got))
		}
		again, err := f.db.ReceiveReply(op, r) // read twice: posted once
		if err != nil || !again.Duplicate || again.Case.Ref != c.Ref {
			t.Fatalf("second read: %v %+v", err, again)
		}
		if got := messages(t, f, c.Ref); len(got) != 2 || got[1] != "I got another one today." { // after the outcome
			t.Fatalf("messages after two reads: %q", got)
		}
		found, err := f.db.FindCase(f.as(f.resp), c.Ref)
		if err != nil || found.Status != ally.StatusInvestigating {
			t.Fatalf("case after reply: %v %+v", err, found)
		}
	})
}

func TestReceiveReplyRefusals(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		op := ally.NewOperatorContext(context.Background())
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "Parcel email"})
		token := replyToken(t, f, c.Ref)
		before := len(outbox(t, f))
		for _, tc := range []struct {
			name string
			ctx  context.Context
			r    ally.MailReply
			code string
		}{
			{"forged token", op, ally.MailReply{Key: "k1", Ref: c.Ref, Token: "aaaaaaaaaaaaaaaa",
				Message: replyMail(t, "alice@example.org", "", "Hello")}, ally.EFORBIDDEN},
			{"token of another case", op, ally.MailReply{Key: "k2", Ref: c.Ref, Token: replyToken(t, f, "AL-9999"),
				Message: replyMail(t, "alice@example.org", "", "Hello")}, ally.EFORBIDDEN},
			{"not the reporter", op, ally.MailReply{Key: "k3", Ref: c.Ref, Token: token,
				Message: replyMail(t, "bob@example.org", "", "Hello")}, ally.EFORBIDDEN},
			{"unknown sender", op, ally.MailReply{Key: "k4", Ref: c.Ref, Token: token,
				Message: replyMail(t, "eve@evil.example", "", "Hello")}, ally.EFORBIDDEN},
			{"signed-in user", f.as(f.alice), ally.MailReply{Key: "k5", Ref: c.Ref, Token: token,
				Message: replyMail(t, "alice@example.org", "", "Hello")}, ally.EFORBIDDEN},
			{"only quoted text", op, ally.MailReply{Key: "k6", Ref: c.Ref, Token: token,
				Message: replyMail(t, "alice@example.org", "", "> Thank you\r\n")}, ally.EINVALID},
		} {
			if _, err := f.db.ReceiveReply(tc.ctx, tc.r); ally.ErrorCode(err) != tc.code {
				t.Errorf("%s: error %v, want %s", tc.name, err, tc.code)
			}
		}
		auto := ally.MailReply{Key: "k7", Ref: c.Ref, Token: token,
			Message: replyMail(t, "alice@example.org", "Auto-Submitted: auto-replied\r\n", "I am out of office.")}
		if rc, err := f.db.ReceiveReply(op, auto); err != nil || !rc.Ignored {
			t.Errorf("auto-reply: %v %+v", err, rc)
		}
		if got := messages(t, f, c.Ref); len(got) != 0 {
			t.Errorf("refused replies were posted: %q", got)
		}
		if n := len(outbox(t, f)); n != before {
			t.Errorf("refused replies queued mail: %d messages, want %d", n, before)
		}
	})
}

// TestReplyAttachmentsLandOnTheCase: a reply by email carrying a forwarded
// email and a screenshot adds both to the case; the email is analysed and
// joins its campaign as an upload does; reading the reply twice adds them once.
func TestReplyAttachmentsLandOnTheCase(t *testing.T) {
	raw, err := os.ReadFile("testdata/parcel.eml")
	if err != nil {
		t.Fatal(err)
	}
	eachMail(t, func(t *testing.T, f *fixture) {
		op := ally.NewOperatorContext(context.Background())
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "Parcel email"})
		body := "From: Alice <alice@example.org>\r\nSubject: Re: Parcel email\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n" +
			"Here is the email, and what I saw.\r\n--b\r\nContent-Type: message/rfc822\r\n" +
			"Content-Disposition: attachment; filename=\"parcel.eml\"\r\n\r\n" + string(raw) + "\r\n" +
			"--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n" +
			"Content-Disposition: attachment; filename=\"screen.png\"\r\n\r\niVBORw0KGgo=\r\n--b--\r\n"
		m, err := mailin.Parse([]byte(body), mailin.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := ally.MailReply{Key: "message-id:alice@example.org:a1", Ref: c.Ref, Token: replyToken(t, f, c.Ref),
			Message: m}
		for range 2 {
			if _, err := f.db.ReceiveReply(op, r); err != nil {
				t.Fatal(err)
			}
		}
		files, err := f.db.Attachments(f.as(f.resp), c.Ref)
		if err != nil || len(files) != 2 {
			t.Fatalf("%d files: %v", len(files), err)
		}
		byName := map[string]*ally.Attachment{}
		for _, a := range files {
			byName[a.Name] = a
		}
		eml, png := byName["parcel.eml"], byName["screen.png"]
		if eml == nil || eml.Verdict != "malicious" || eml.CampaignID == nil || png == nil || png.Verdict != "" ||
			png.Uploader.Email != "alice@example.org" {
			t.Errorf("files %+v %+v", eml, png)
		}
	})
}
