package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailscan"
	"github.com/allydesk/ally/store"
)

// statementMail is a quiet phishing note the default analysis misses: plain
// words, a link to the sender's own new domain. n varies it.
func statementMail(n int, to string) []byte {
	return fmt.Appendf(nil, "From: Accounts Team <accounts@harbourline-partners.com>\nTo: %s\n"+
		"Subject: Statement %d for your review\nMessage-ID: <%d@harbourline-partners.com>\n\n"+
		"Hello,\n\nThe quarterly statement %d for your team is ready. Review it and confirm the details here: "+
		"https://harbourline-partners.com/s/%d\n\nKind regards,\nAccounts Team\n", to, n, n, n, n)
}

func orgSignal(a *ally.Attachment) *mailscan.Signal {
	for i, s := range a.Analysis.Signals {
		if strings.HasPrefix(s.ID, "org-") {
			return &a.Analysis.Signals[i]
		}
	}
	return nil
}

// TestMailModelLearnsFromDecisions: a campaign decided malicious teaches
// the organisation's model, so the next similar email scores higher with
// the team's decision in its evidence; the same email decided twice counts
// once, a later "clean" decision moves it; a corrupt model row is reported
// and ignored; forgetting resets it.
func TestMailModelLearnsFromDecisions(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		op := ally.NewOperatorContext(context.Background())
		upload := func(u *ally.User, n int) *ally.Attachment {
			t.Helper()
			c := mustCase(t, f, u, ally.NewCase{Kind: ally.KindSuspiciousEmail})
			if _, err := f.db.AddAttachment(f.as(u), c.Ref, ally.NewAttachment{Name: "statement.eml",
				Data: statementMail(n, u.Email)}); err != nil {
				t.Fatal(err)
			}
			list, err := f.db.Attachments(f.as(f.resp), c.Ref)
			if err != nil || len(list) != 1 || list[0].Analysis == nil {
				t.Fatalf("attachments %+v %v", list, err)
			}
			return list[0]
		}
		first := upload(f.alice, 4471)
		if first.Verdict != mailscan.VerdictClean || orgSignal(first) != nil {
			t.Fatalf("the test needs mail the default analysis misses: %s %d", first.Verdict, first.Analysis.Score)
		}
		camp, err := f.db.FindCampaign(f.as(f.resp), *first.CampaignID)
		if err != nil || camp.AutoVerdict != mailscan.VerdictClean || camp.AutoScore != first.Analysis.Score {
			t.Fatalf("campaign's automatic verdict: %+v %v", camp, err)
		}
		if _, err := f.db.DecideCampaign(f.as(f.resp), *first.CampaignID,
			ally.CampaignDecision{Verdict: "malicious"}); err != nil {
			t.Fatal(err)
		}
		next := upload(f.bob, 4502)
		s := orgSignal(next)
		if next.Analysis.Score <= first.Analysis.Score || next.Verdict == mailscan.VerdictClean || s == nil ||
			s.ID != "org-like-phish" || !strings.Contains(s.Evidence, "was marked phishing by your team 1 time") {
			t.Fatalf("after the decision: %s %d, %+v", next.Verdict, next.Analysis.Score, s)
		}
		info, err := f.db.MailModel(op)
		if err != nil || info.Model == nil || info.Model.Phish != 1 || info.Model.Safe != 0 || info.Bytes == 0 {
			t.Fatalf("model after one decision: %+v %v", info, err)
		}
		// The same campaign decided again: its first email counts once, the
		// second is new; then "clean" moves both.
		if _, err := f.db.DecideCampaign(f.as(f.resp), *first.CampaignID,
			ally.CampaignDecision{Verdict: "malicious"}); err != nil {
			t.Fatal(err)
		}
		if info, _ = f.db.MailModel(op); info.Model.Phish != 2 {
			t.Fatalf("after deciding again: %d phish", info.Model.Phish)
		}
		if _, err := f.db.DecideCampaign(f.as(f.resp), *first.CampaignID,
			ally.CampaignDecision{Verdict: "clean"}); err != nil {
			t.Fatal(err)
		}
		if info, _ = f.db.MailModel(op); info.Model.Phish != 0 || info.Model.Safe != 2 {
			t.Fatalf("after deciding clean: %d phish, %d safe", info.Model.Phish, info.Model.Safe)
		}

		// A corrupt row: reported, ignored by analyses, replaced by learning.
		if err := f.db.ExecForTest(op, "UPDATE mail_model SET data = 'garbage', version = version + 1"); err != nil {
			t.Fatal(err)
		}
		if info, err = f.db.MailModel(op); err != nil || info.Model != nil || !strings.Contains(info.Problem, "ALLYORG1") {
			t.Fatalf("corrupt row: %+v %v", info, err)
		}
		if later := upload(f.alice, 4533); orgSignal(later) != nil || later.Verdict != mailscan.VerdictClean {
			t.Fatalf("analysis with a corrupt model: %s %+v", later.Verdict, orgSignal(later))
		}
		e, _ := mailscan.NewExample(statementMail(9000, "x@example.org"), mailscan.Options{})
		got, err := f.db.LearnMail(op, []store.MailLesson{{Example: e, Phish: true}, {Example: e, Phish: true}}, "test")
		if err != nil || got.Learned != 1 || got.Known != 1 || got.Reset == "" {
			t.Fatalf("learning over a corrupt model: %+v %v", got, err)
		}
		if info, _ = f.db.MailModel(op); info.Model == nil || info.Model.Phish != 1 {
			t.Fatalf("after learning over a corrupt row: %+v", info)
		}

		_, err = f.db.LearnMail(f.as(f.resp), nil, "test")
		wantCode(t, err, ally.EFORBIDDEN)
		wantCode(t, f.db.ForgetMail(f.as(f.resp)), ally.EFORBIDDEN)
		if err := f.db.ForgetMail(op); err != nil {
			t.Fatal(err)
		}
		if info, _ = f.db.MailModel(op); info.Model == nil || info.Model.Examples() != 0 || info.Model.Features() != 0 {
			t.Fatalf("after forgetting: %+v", info)
		}
		if again := upload(f.bob, 4600); orgSignal(again) != nil {
			t.Fatalf("forgotten model still used: %+v", orgSignal(again))
		}
	})
}

// TestMarkFalseAlarm: a responder marks a case's analysed email as a false
// alarm; the model learns it as safe once, the timeline says so, and only
// responders may, only on analysed emails.
func TestMarkFalseAlarm(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		op := ally.NewOperatorContext(context.Background())
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail})
		a, err := f.db.AddAttachment(f.as(f.alice), c.Ref, ally.NewAttachment{Name: "statement.eml",
			Data: statementMail(77, "alice@example.org")})
		if err != nil {
			t.Fatal(err)
		}
		plain, err := f.db.AddAttachment(f.as(f.alice), c.Ref, ally.NewAttachment{Name: "notes.txt",
			Data: []byte("just some notes")})
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.db.MarkFalseAlarm(f.as(f.alice), c.Ref, a.ID), ally.EFORBIDDEN)
		wantCode(t, f.db.MarkFalseAlarm(f.as(f.resp), c.Ref, plain.ID), ally.ENOTFOUND)
		wantCode(t, f.db.MarkFalseAlarm(f.as(f.resp), "AL-999999", a.ID), ally.ENOTFOUND)
		for range 2 {
			if err := f.db.MarkFalseAlarm(f.as(f.resp), c.Ref, a.ID); err != nil {
				t.Fatal(err)
			}
		}
		info, err := f.db.MailModel(op)
		if err != nil || info.Model == nil || info.Model.Safe != 1 || info.Model.Phish != 0 {
			t.Fatalf("model after two marks of one email: %+v %v", info, err)
		}
		tl, _ := f.db.Timeline(f.as(f.resp), c.Ref, 0, 50)
		if !timelineHas(tl, "Marked statement.eml as a false alarm") {
			t.Fatalf("timeline: %+v", tl)
		}
		if rep, _ := f.db.Timeline(f.as(f.alice), c.Ref, 0, 50); timelineHas(rep, "false alarm") {
			t.Error("the reporter sees the internal note")
		}
	})
}

// TestLearnMailManyRows: a batch larger than one statement's rows is
// looked up and recorded whole; given again with half the labels turned,
// half moves and half is known; a key given twice in a batch counts once.
func TestLearnMailManyRows(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		op := ally.NewOperatorContext(context.Background())
		var lessons []store.MailLesson
		for n := range 450 {
			e, err := mailscan.NewExample(statementMail(n, "sam@example.org"), mailscan.Options{})
			if err != nil {
				t.Fatal(err)
			}
			lessons = append(lessons, store.MailLesson{Example: e, Phish: n%3 == 0})
		}
		got, err := f.db.LearnMail(op, append(lessons, lessons[7]), "test")
		if err != nil || got.Learned != 450 || got.Known != 1 || got.Relabelled != 0 || got.Model == nil ||
			got.Model.Examples() != 450 {
			t.Fatalf("first: %+v %v", got, err)
		}
		for i := range lessons {
			if i%2 == 0 {
				lessons[i].Phish = !lessons[i].Phish
			}
		}
		got, err = f.db.LearnMail(op, lessons, "test")
		if err != nil || got.Learned != 0 || got.Relabelled != 225 || got.Known != 225 ||
			got.Model.Examples() != 450 {
			t.Fatalf("again: %+v %v", got, err)
		}
	})
}
