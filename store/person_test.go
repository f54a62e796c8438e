package store_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// personFixture: Alice reports two cases (one confidential), answers in
// her own words, writes, attaches a file, rates the case and is mailed;
// a responder greets her by name and notes her address internally.
func personFixture(t *testing.T, e string) (*fixture, []*ally.Case) {
	t.Helper()
	f := newFixtureWith(t, e, store.Options{Mail: mailtext.Default(), PublicURL: "https://ally.example.org/"})
	a, r := f.as(f.alice), f.as(f.resp)
	c1 := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink, Summary: "Alice Reporter clicked a link",
		Details: "I, Alice, clicked it at my desk.", Answers: map[string]string{"typed_password": "yes",
			"what_seen": "A page asking for alice@example.org and my password"}})
	c2 := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindLostDevice, Summary: "lost phone", Confidential: true})
	steps := []func() error{
		func() error {
			_, err := f.db.AddMessage(a, c1.Ref, ally.NewMessage{Body: "It was Alice's laptop."})
			return err
		},
		func() error {
			_, err := f.db.AddMessage(r, c1.Ref, ally.NewMessage{Body: "Hi Alice, thanks for telling us so quickly."})
			return err
		},
		func() error {
			_, err := f.db.AddMessage(r, c1.Ref, ally.NewMessage{Body: "Called alice@example.org.", Internal: true})
			return err
		},
		func() error {
			_, err := f.db.AddAttachment(a, c1.Ref, ally.NewAttachment{Name: "alice-screenshot.txt",
				ContentType: "text/plain", Data: []byte("screen of Alice Reporter")})
			return err
		},
		func() error { _, err := f.db.FindCase(a, c2.Ref); return err },
		func() error {
			_, err := f.db.UpdateCase(r, c1.Ref, ally.CaseUpdate{Status: ptr(ally.StatusResolved),
				Outcome: ptr("We checked your laptop and all is well.")})
			return err
		},
		func() error {
			_, err := f.db.AddFeedback(a, c1.Ref, ally.Feedback{Rating: 5, Comment: "Thanks, from Alice"})
			return err
		},
	}
	for _, s := range steps {
		if err := s(); err != nil {
			t.Fatal(err)
		}
	}
	return f, []*ally.Case{c1, c2}
}

// A person can download their own data, and an admin anyone's; it holds
// their reports with the conversation (no internal notes), what they wrote,
// their mail and the audit entries naming them.
func TestExportPerson(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			f, cases := personFixture(t, e)
			d, err := f.db.ExportPerson(f.as(f.alice), "alice@example.org")
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Reports) != 2 || d.Reports[0].Ref != cases[0].Ref || d.Reports[0].Feedback == nil {
				t.Fatalf("reports: %+v", d.Reports)
			}
			for _, en := range d.Reports[0].Conversation {
				if en.Internal || strings.Contains(en.Body, "Called alice") {
					t.Fatalf("the export shows an internal note: %+v", en)
				}
			}
			if len(d.Messages) == 0 || d.Messages[0].Body != "It was Alice's laptop." || len(d.Mail) == 0 || len(d.Activity) == 0 {
				t.Fatalf("messages %d, mail %d, activity %d", len(d.Messages), len(d.Mail), len(d.Activity))
			}
			if _, err := f.db.ExportPerson(f.as(f.bob), "alice@example.org"); ally.ErrorCode(err) != ally.EFORBIDDEN {
				t.Fatalf("Bob downloaded Alice's data: %v", err)
			}
			if _, err := f.db.ExportPerson(f.as(f.admin), "alice@example.org"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// After erasure, no text anywhere in the database — every column of every
// table, the audit log and stored files included — holds the person's
// address or name, or her first name in her cases; the cases and their
// counts remain, her choice answers too; she cannot sign in; and one audit
// entry records the erasure.
func TestErasePersonLeavesNoTrace(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			f, cases := personFixture(t, e)
			lead := f.as(f.lead)
			before, err := f.db.CountCases(lead)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.db.ErasePerson(f.as(f.alice), "alice@example.org"); ally.ErrorCode(err) != ally.EFORBIDDEN {
				t.Fatalf("Alice erased herself (admins do it): %v", err)
			}
			if _, err := f.db.ErasePerson(f.as(f.admin), "ada@example.org"); ally.ErrorCode(err) != ally.EFORBIDDEN {
				t.Fatalf("an admin erased their own account: %v", err)
			}
			er, err := f.db.ErasePerson(f.as(f.admin), "alice@example.org")
			if err != nil {
				t.Fatal(err)
			}
			if er.Reports != 2 || er.Messages == 0 || er.Attachments != 1 || er.Mail == 0 {
				t.Fatalf("erasure: %+v", er)
			}
			// What is left of her stays disabled: no admin enables it or
			// gives it a role again.
			_, pseudo := ally.Pseudonym(f.alice.ID)
			for _, up := range []ally.UserUpdate{{Disabled: ptr(false)}, {Role: ptr(ally.RoleAdmin)}} {
				_, err := f.db.UpdateUser(f.as(f.admin), pseudo, up)
				wantCode(t, err, ally.ECONFLICT)
				if !strings.Contains(ally.ErrorMessage(err), "erased at their request") {
					t.Errorf("refusal: %v", err)
				}
			}
			if u, err := f.db.FindUserByEmail(operator, pseudo); err != nil || !u.Disabled || u.Role != ally.RoleReporter {
				t.Fatalf("the erased account after refused changes: %+v, %v", u, err)
			}
			var buf bytes.Buffer
			if _, err := f.db.Backup(operator, &buf, nil); err != nil {
				t.Fatal(err)
			}
			for table, rows := range contents(t, buf.Bytes()) {
				for _, row := range rows {
					for _, v := range row {
						var s string
						switch x := v.(type) {
						case string:
							s = x
						case []byte:
							s = string(x)
						}
						if l := strings.ToLower(s); strings.Contains(l, "alice") {
							t.Errorf("table %s still holds %q", table, s)
						}
					}
				}
			}
			if found, err := f.db.FindCases(lead, ally.CaseFilter{Query: "alice", Limit: 10}); err != nil ||
				len(found.Items) != 0 {
				t.Fatalf("a search for her name after erasure: %+v %v", found, err)
			}
			after, err := f.db.CountCases(lead)
			if err != nil || after[ally.StatusResolved] != before[ally.StatusResolved] {
				t.Fatalf("counts before %v after %v (%v)", before, after, err)
			}
			c, err := f.db.FindCase(lead, cases[0].Ref)
			if err != nil || c.Answers["typed_password"] != "yes" || c.Answers["what_seen"] != "" ||
				c.Reporter.Name != er.Pseudonym {
				t.Fatalf("the erased case: %+v %v", c, err)
			}
			if _, err := f.db.Authenticate(operator, "alice@example.org", "correct horse battery"); err == nil {
				t.Fatal("the erased account can still sign in")
			}
			audit, err := f.db.FindAudit(lead, 0, 100)
			if err != nil || audit[0].Action != "person.erase" {
				t.Fatalf("audit: %+v %v", audit, err)
			}
		})
	}
}

// Every view of a confidential case is in the audit log.
func TestConfidentialViewsAudited(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindLostDevice, Confidential: true})
		open := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindLostDevice})
		for _, u := range []*ally.User{f.alice, f.lead, f.lead} {
			if _, err := f.db.FindCase(f.as(u), c.Ref); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.db.FindCase(f.as(f.lead), open.Ref); err != nil {
			t.Fatal(err)
		}
		audit, err := f.db.FindAudit(f.as(f.lead), 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		views := map[string]int{}
		for _, a := range audit {
			if a.Action == "case.view" {
				views[a.Actor+" "+a.Target]++
			}
		}
		if views["alice@example.org "+c.Ref] != 1 || views["lee@example.org "+c.Ref] != 2 || len(views) != 2 {
			t.Fatalf("views in the audit log: %v", views)
		}
	})
}
