package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// TestBulkUpdate changes several cases in one call on both engines: a case
// that cannot change is reported and undone alone; the counts stay right.
func TestBulkUpdate(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		var refs []string
		for range 4 {
			refs = append(refs, mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindOther}).Ref)
		}
		conf := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindOther, Confidential: true}).Ref
		res, err := f.db.BulkUpdate(f.as(f.resp), append(refs, conf, "AL-1"), ally.CaseUpdate{
			Status: ptr(ally.StatusInvestigating), Assignee: ptr(f.resp.Email)})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if want := i < 4; r.Done != want || (r.Error == nil) != want {
				t.Errorf("%d %s: %+v", i, r.Ref, r)
			}
		}
		if res[4].Error.Code != ally.ENOTFOUND { // another's confidential case is not there for them
			t.Errorf("confidential: %+v", res[4].Error)
		}
		// One bad assignee fails every case alike, and nothing changes.
		res, err = f.db.BulkUpdate(f.as(f.resp), refs[:2], ally.CaseUpdate{Severity: ptr(ally.SeverityHigh),
			Assignee: ptr("alice@example.org")})
		if err != nil || res[0].Done || res[1].Error.Code != ally.EINVALID {
			t.Fatalf("%+v %v", res, err)
		}
		counts, _ := f.db.CountCases(f.as(f.lead))
		if counts[ally.StatusInvestigating] != 4 || counts[ally.StatusNew] != 1 {
			t.Errorf("counts %v", counts)
		}
		for _, ref := range refs {
			c, _ := f.db.FindCase(f.as(f.lead), ref)
			if c.Status != ally.StatusInvestigating || c.Severity == ally.SeverityHigh || c.Assignee == nil {
				t.Errorf("%s: %s %s %v", ref, c.Status, c.Severity, c.Assignee)
			}
		}
		_, err = f.db.BulkUpdate(f.as(f.alice), refs, ally.CaseUpdate{Status: ptr(ally.StatusResolved)})
		wantCode(t, err, ally.EFORBIDDEN)
		_, err = f.db.BulkUpdate(f.as(f.resp), nil, ally.CaseUpdate{Status: ptr(ally.StatusResolved)})
		wantCode(t, err, ally.EINVALID)
	})
}

// A case undone in a bulk change leaves nothing behind outside the
// database either: acknowledging it counted toward the time-to-acknowledge
// figures before its bad assignee failed it, and that count goes too.
func TestBulkUpdateUndoesCounters(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		var refs []string
		for range 2 {
			refs = append(refs, mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindOther}).Ref)
		}
		before, err := f.db.Counters(operator)
		if err != nil {
			t.Fatal(err)
		}
		res, err := f.db.BulkUpdate(f.as(f.resp), refs, ally.CaseUpdate{Status: ptr(ally.StatusAcknowledged),
			Assignee: ptr("nobody@example.org")})
		if err != nil || res[0].Done || res[1].Done {
			t.Fatalf("%+v %v", res, err)
		}
		after, err := f.db.Counters(operator)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(before.AckBuckets, after.AckBuckets) {
			t.Errorf("acknowledgements counted for undone cases: %v, then %v", before.AckBuckets, after.AckBuckets)
		}
	})
}

// TestUnreadAndReopen: a reporter's message marks the case "reporter wrote"
// for responders until each opens it, a reply marks "new reply" for the
// reporter, and a reporter's message on a resolved case puts it back in the
// open queue, as a reply by mail does.
func TestUnreadAndReopen(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindOther})
		unread := func(u *ally.User) bool {
			t.Helper()
			got, err := f.db.FindCase(f.as(u), c.Ref)
			if err != nil {
				t.Fatal(err)
			}
			p, err := f.db.FindCases(f.as(u), ally.CaseFilter{Unread: true})
			if err != nil {
				t.Fatal(err)
			}
			if inList := len(p.Items) == 1 && p.Items[0].Unread; inList != got.Unread {
				t.Errorf("list says %v, case says %v", inList, got.Unread)
			}
			return got.Unread
		}
		say := func(u *ally.User, body string) {
			t.Helper()
			f.clock.advance(time.Second)
			if _, err := f.db.AddMessage(f.as(u), c.Ref, ally.NewMessage{Body: body}); err != nil {
				t.Fatal(err)
			}
			f.clock.advance(time.Second)
		}
		if unread(f.resp) || unread(f.alice) {
			t.Fatal("a new case is not unread")
		}
		say(f.resp, "Thanks for telling us. Could you say when it happened?")
		if !unread(f.alice) || unread(f.resp) {
			t.Error("a reply is news for the reporter only")
		}
		if err := f.db.MarkRead(f.as(f.alice), c.Ref); err != nil || unread(f.alice) {
			t.Errorf("reading clears it: %v", err)
		}
		say(f.alice, "About nine this morning.")
		if !unread(f.resp) || !unread(f.resp2) || unread(f.alice) {
			t.Error("the reporter's message is news for every responder")
		}
		if err := f.db.MarkRead(f.as(f.resp), c.Ref); err != nil || unread(f.resp) || !unread(f.resp2) {
			t.Error("read state is per person")
		}
		if _, err := f.db.UpdateCase(f.as(f.resp), c.Ref, ally.CaseUpdate{Status: ptr(ally.StatusResolved),
			Outcome: ptr("We checked it: all is well.")}); err != nil {
			t.Fatal(err)
		}
		say(f.alice, "It happened again just now.")
		got, _ := f.db.FindCase(f.as(f.resp), c.Ref)
		if got.Status != ally.StatusInvestigating || !got.Unread {
			t.Errorf("after the reporter wrote on a resolved case: %s unread=%v", got.Status, got.Unread)
		}
		open, _ := f.db.FindCases(f.as(f.resp), ally.CaseFilter{Open: true, Unread: true})
		if len(open.Items) != 1 {
			t.Errorf("not back in the open queue: %d", len(open.Items))
		}
		err := f.db.MarkRead(f.as(f.bob), c.Ref)
		wantCode(t, err, ally.ENOTFOUND)
	})
}
