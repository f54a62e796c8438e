package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
)

func resolve(t *testing.T, f *fixture, ref string) {
	t.Helper()
	if _, err := f.db.UpdateCase(f.as(f.resp), ref, ally.CaseUpdate{Status: ptr(ally.StatusResolved),
		Outcome: ptr("We checked it and all is well.")}); err != nil {
		t.Fatal(err)
	}
}

// The retention policy de-identifies and deletes only closed cases old
// enough for their kind's rule; de-identified cases keep the texts that name
// nobody, lose their attachments and carry one stable pseudonym per
// reporter; the counts stay; a second run changes nothing.
func TestRetention(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		op, admin := operator, f.as(f.admin)
		if _, err := f.db.SetRetentionRules(f.as(f.lead), nil); ally.ErrorCode(err) != ally.EFORBIDDEN {
			t.Fatalf("a lead set the policy: %v", err)
		}
		rules := []ally.RetentionRule{{Kind: "*", Action: "deidentify", Days: 365},
			{Kind: "lost_device", Action: "delete", Days: 30}}
		if _, err := f.db.SetRetentionRules(admin, rules); err != nil {
			t.Fatal(err)
		}
		_, err := f.db.SetRetentionRules(admin, []ally.RetentionRule{{Kind: "*", Action: "delete", Days: 1}})
		wantCode(t, err, ally.EINVALID)
		if got, err := f.db.RetentionRules(admin); err != nil || len(got) != 2 {
			t.Fatalf("a refused policy changed the rules: %+v %v", got, err)
		}
		old := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink, Summary: "clicked a link in an invoice",
			Details: "Alice Reporter here, call me on 020 7946 0958",
			Answers: map[string]string{"what_seen": "A login page", "typed_password": "no"}})
		old2 := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink, Summary: "another link"})
		lost := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindLostDevice, Summary: "lost my phone on the train"})
		open := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink, Summary: "still open"})
		r := f.as(f.resp)
		for _, body := range []string{"Hi Alice, thanks for telling us.", "We reset the password for you."} {
			if _, err := f.db.AddMessage(r, old.Ref, ally.NewMessage{Body: body}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.db.AddAttachment(f.as(f.alice), old.Ref, ally.NewAttachment{Name: "shot.txt",
			ContentType: "text/plain", Data: []byte("screen")}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []*ally.Case{old, old2, lost} {
			resolve(t, f, c.Ref)
		}
		if _, err := f.db.AddFeedback(f.as(f.alice), old.Ref, ally.Feedback{Rating: 5, Comment: "Great help"}); err != nil {
			t.Fatal(err)
		}
		f.clock.advance(390 * 24 * time.Hour)
		recent := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindClickedLink, Summary: "recent"})
		resolve(t, f, recent.Ref)
		f.clock.advance(10 * 24 * time.Hour)
		before, _ := f.db.CountCases(f.as(f.lead))

		res, err := f.db.ApplyRetention(op, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Deidentified != 2 || res.Deleted != 1 || res.Attachments != 1 {
			t.Fatalf("retention: %+v", res)
		}
		lead := f.as(f.lead)
		get := func(ref string) *ally.Case {
			c, err := f.db.FindCase(lead, ref)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		c := get(old.Ref)
		if c.Summary != "clicked a link in an invoice" || c.Details != ally.RemovedText ||
			c.Answers["what_seen"] != "A login page" || c.Reporter.Email == "alice@example.org" || c.Feedback.Comment != "Great help" {
			t.Fatalf("the de-identified case: %+v", c)
		}
		if c2 := get(old2.Ref); c2.Reporter.Email != c.Reporter.Email {
			t.Fatalf("one reporter, two pseudonyms: %s and %s", c.Reporter.Email, c2.Reporter.Email)
		}
		tl, _ := f.db.Timeline(lead, old.Ref, 0, 50)
		bodies := map[string]bool{}
		for _, e := range tl {
			bodies[e.Body] = true
		}
		if bodies["Hi Alice, thanks for telling us."] || !bodies["We reset the password for you."] {
			t.Fatalf("the conversation after de-identification: %v", bodies)
		}
		if atts, _ := f.db.Attachments(lead, old.Ref); len(atts) != 0 {
			t.Fatalf("attachments kept: %d", len(atts))
		}
		if l := get(lost.Ref); l.Summary != ally.RemovedText || l.Reporter.Email == "bob@example.org" {
			t.Fatalf("the deleted case: %+v", l)
		}
		for ref, who := range map[string]string{open.Ref: "alice@example.org", recent.Ref: "bob@example.org"} {
			if c := get(ref); c.Reporter.Email != who {
				t.Fatalf("case %s was not due but changed: %+v", ref, c)
			}
		}
		after, _ := f.db.CountCases(lead)
		for st, n := range before {
			if after[st] != n {
				t.Fatalf("counts before %v after %v", before, after)
			}
		}
		if again, err := f.db.ApplyRetention(op, nil); err != nil || *again != (ally.RetentionResult{}) {
			t.Fatalf("a second run: %+v %v", again, err)
		}
		if _, err := f.db.ApplyRetention(admin, nil); ally.ErrorCode(err) != ally.EFORBIDDEN {
			t.Fatalf("an admin ran the worker's job: %v", err)
		}
	})
}

// Signals follow the policy: one that became a case is de-identified with
// it (the same pseudonym as the case), one the person confirmed once its
// kind is due; a recent one stays; texts naming the person go.
func TestRetentionCoversSignals(t *testing.T) {
	eachSignal(t, func(t *testing.T, f *fixture, siem *ally.User) {
		if _, err := f.db.SetRetentionRules(f.as(f.admin), []ally.RetentionRule{{Kind: "*", Action: "deidentify",
			Days: 365}}); err != nil {
			t.Fatal(err)
		}
		answer := func(email, key, ans string) *ally.Signal {
			t.Helper()
			if _, err := f.db.SendSignal(f.as(siem), newPlace(email, key)); err != nil {
				t.Fatal(err)
			}
			id, token := askedLink(t, f, email)
			s, err := f.db.AnswerSignal(context.Background(), id, token, ans)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		yes := answer("alice@example.org", "evt-1", ally.AnswerYes)
		no := answer("bob@example.org", "evt-2", ally.AnswerNo)
		if no.CaseRef == "" {
			t.Fatalf("a no made no case: %+v", no)
		}
		resolve(t, f, no.CaseRef)
		f.clock.advance(400 * 24 * time.Hour)
		recent := answer("alice@example.org", "evt-3", ally.AnswerYes)
		res, err := f.db.ApplyRetention(operator, nil)
		if err != nil || res.Deidentified != 1 || res.Signals != 1 {
			t.Fatalf("retention: %+v, %v", res, err)
		}
		rows, err := f.db.QueryForTest(context.Background(),
			"SELECT id, subject_email, summary, question, CASE WHEN retained_at IS NULL THEN 'no' ELSE 'yes' END "+
				"FROM signals ORDER BY id")
		if err != nil || len(rows) != 3 {
			t.Fatalf("signals: %v, %v", rows, err)
		}
		c, err := f.db.FindCase(f.as(f.lead), no.CaseRef)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			id, _ := strconv.ParseInt(r[0], 10, 64)
			switch id {
			case yes.ID, no.ID:
				if !strings.HasPrefix(r[1], "former-") || r[2] != "a sign-in to your account from Lisbon" ||
					r[3] != ally.RemovedText || r[4] != "yes" {
					t.Errorf("signal %d after its time: %v", id, r)
				}
			case recent.ID:
				if r[1] != "alice@example.org" || r[3] == ally.RemovedText || r[4] != "no" {
					t.Errorf("a recent signal changed: %v", r)
				}
			}
			if id == no.ID && r[1] != c.Reporter.Email {
				t.Errorf("the signal's pseudonym %s, its case's %s", r[1], c.Reporter.Email)
			}
		}
		if again, err := f.db.ApplyRetention(operator, nil); err != nil || *again != (ally.RetentionResult{}) {
			t.Fatalf("a second run: %+v %v", again, err)
		}
	})
}

// A run over more than one batch tells its progress after each committed
// batch: the cases and signals done so far.
func TestRetentionProgress(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		closed := importable(f)[0]
		cases := make([]store.ImportCase, 250)
		for i := range cases {
			cases[i] = closed
		}
		if err := f.db.ImportCases(operator, cases); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.SetRetentionRules(f.as(f.admin), []ally.RetentionRule{{Kind: "*", Action: "delete",
			Days: 30}}); err != nil {
			t.Fatal(err)
		}
		f.clock.advance(40 * 24 * time.Hour)
		var told []string
		res, err := f.db.ApplyRetention(operator, func(what string, done int64) {
			told = append(told, what+" "+strconv.FormatInt(done, 10))
		})
		if err != nil || res.Deleted != 250 {
			t.Fatalf("retention: %+v %v", res, err)
		}
		if got := strings.Join(told, ", "); got != "cases and signals 200, cases and signals 250" {
			t.Fatalf("progress told %q, want after each batch of 200", got)
		}
	})
}
