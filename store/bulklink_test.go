package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

// TestLinkDuplicatesInBulk marks several cases duplicates of one on both
// engines: by default the case reported first survives; each duplicate's
// reporter is told kindly (a reply, mailed) and its status follows the
// survivor; each reference gets its own result (another's confidential case
// reads as one that does not exist); refused cases are left untouched;
// every link is audited.
func TestLinkDuplicatesInBulk(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		newCase := func(u *ally.User, n ally.NewCase) *ally.Case {
			t.Helper()
			f.clock.advance(time.Minute)
			n.Kind = ally.KindSuspiciousEmail
			return mustCase(t, f, u, n)
		}
		first := newCase(f.alice, ally.NewCase{Summary: "Parcel fee text"})
		second := newCase(f.alice, ally.NewCase{Summary: "Parcel fee text again"})
		third := newCase(f.bob, ally.NewCase{Summary: "Same parcel text"})
		hidden := newCase(f.bob, ally.NewCase{Summary: "Parcel text, private", Confidential: true})
		if _, err := f.db.UpdateCase(f.as(f.resp), first.Ref, ally.CaseUpdate{
			Status: ptr(ally.StatusInvestigating)}); err != nil {
			t.Fatal(err)
		}
		before := len(outbox(t, f))

		_, err := f.db.LinkDuplicates(f.as(f.alice), []string{second.Ref}, ally.BulkLink{DuplicateOf: first.Ref})
		wantCode(t, err, ally.EFORBIDDEN)
		_, err = f.db.LinkDuplicates(f.as(f.resp), nil, ally.BulkLink{})
		wantCode(t, err, ally.EINVALID)
		// A survivor the responder may not see is refused in the same words
		// as one that does not exist, and nothing changes.
		_, errHidden := f.db.LinkDuplicates(f.as(f.resp), []string{second.Ref}, ally.BulkLink{DuplicateOf: hidden.Ref})
		_, errNone := f.db.LinkDuplicates(f.as(f.resp), []string{second.Ref}, ally.BulkLink{DuplicateOf: "AL-99999"})
		wantCode(t, errHidden, ally.EINVALID)
		if h, n := ally.ErrorMessage(errHidden), ally.ErrorMessage(errNone); strings.ReplaceAll(h, hidden.Ref, "X") !=
			strings.ReplaceAll(n, "AL-99999", "X") || !strings.HasPrefix(h, "link.duplicate_of: ") {
			t.Errorf("a hidden survivor reads %q, a missing one %q", h, n)
		}

		// No survivor named: the case reported first survives, wherever it
		// is in the list.
		res, err := f.db.LinkDuplicates(f.as(f.resp), []string{second.Ref, first.Ref, third.Ref, hidden.Ref,
			"AL-99999"}, ally.BulkLink{})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"done", "survivor", "done", ally.ENOTFOUND, ally.ENOTFOUND}
		if got := outcomes(res); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("results %v, want %v: %+v", got, want, res)
		}
		if h, n := res[3].Error.Message, res[4].Error.Message; strings.ReplaceAll(h, hidden.Ref, "X") !=
			strings.ReplaceAll(n, "AL-99999", "X") {
			t.Errorf("another's confidential case reads %q, a missing one %q", h, n)
		}
		for _, c := range []*ally.Case{second, third} {
			if m := messages(t, f, c.Ref); len(m) != 1 || m[0] != ally.DuplicateJoined {
				t.Errorf("the reporter of %s reads %q", c.Ref, m)
			}
			if got, _ := f.db.FindCase(f.as(f.resp), c.Ref); got.Status != ally.StatusInvestigating {
				t.Errorf("%s did not follow the survivor: %s", c.Ref, got.Status)
			}
		}
		if m := messages(t, f, first.Ref); len(m) != 0 {
			t.Errorf("the survivor's reporter was told %q", m)
		}
		mail := outbox(t, f)[before:]
		if len(mail) != 2 || mail[0].To != f.alice.Email || mail[1].To != f.bob.Email || mail[0].Kind != "reply" {
			t.Errorf("mail after linking:\n%s", summary(mail))
		}
		links, err := f.db.Links(f.as(f.resp), first.Ref)
		if err != nil || len(links) != 2 || links[0].Role != ally.RoleDuplicate || links[1].Role != ally.RoleDuplicate {
			t.Errorf("the survivor's links: %v %+v", err, links)
		}
		audit, err := f.db.FindAudit(f.as(f.lead), 0, 20)
		var linked []string
		for _, a := range audit {
			if a.Action == "case.link" {
				linked = append(linked, a.Target+" "+a.Detail)
			}
		}
		if want := third.Ref + " duplicate " + first.Ref + ", " + second.Ref + " duplicate " + first.Ref; err != nil ||
			strings.Join(linked, ", ") != want {
			t.Errorf("audit of links: %v %q, want %q", err, linked, want)
		}

		// A survivor named: each case that cannot join it is refused alone,
		// for its own reason, and left as it was.
		survivor := newCase(f.bob, ally.NewCase{Summary: "Invoice from a new supplier"})
		joins := newCase(f.alice, ally.NewCase{Summary: "Supplier invoice"})
		related := newCase(f.alice, ally.NewCase{Summary: "Supplier invoice, second copy"})
		finished := newCase(f.alice, ally.NewCase{Summary: "Supplier invoice, old"})
		if _, err := f.db.LinkCases(f.as(f.resp), related.Ref, ally.NewLink{Ref: survivor.Ref,
			Type: ally.LinkRelated}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.UpdateCase(f.as(f.resp), finished.Ref, ally.CaseUpdate{Status: ptr(ally.StatusResolved),
			Outcome: ptr("We checked the invoice: it was real. Thank you for asking.")}); err != nil {
			t.Fatal(err)
		}
		res, err = f.db.LinkDuplicates(f.as(f.resp2), []string{joins.Ref, related.Ref, survivor.Ref, first.Ref,
			finished.Ref, second.Ref}, ally.BulkLink{DuplicateOf: survivor.Ref})
		if err != nil {
			t.Fatal(err)
		}
		want = []string{"done", ally.ECONFLICT, "survivor", ally.ECONFLICT, ally.ECONFLICT, ally.ECONFLICT}
		if got := outcomes(res); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("results %v, want %v: %+v", got, want, res)
		}
		for i, words := range map[int]string{1: "already linked", 3: "duplicates of its own", 4: "already finished",
			5: "already linked as a duplicate of " + first.Ref} {
			if !strings.Contains(res[i].Error.Message, words) {
				t.Errorf("%s: %q does not say %q", res[i].Ref, res[i].Error.Message, words)
			}
		}
		for _, c := range []*ally.Case{related, finished} {
			if m := messages(t, f, c.Ref); len(m) > 0 && m[len(m)-1] == ally.DuplicateJoined {
				t.Errorf("%s was refused but its reporter was told it joined", c.Ref)
			}
		}
		// A survivor that is itself a duplicate: each case is sent to the
		// case that survives it.
		res, err = f.db.LinkDuplicates(f.as(f.resp), []string{related.Ref}, ally.BulkLink{DuplicateOf: second.Ref})
		if err != nil || res[0].Error == nil || res[0].Error.Code != ally.EINVALID ||
			!strings.Contains(res[0].Error.Message, first.Ref) {
			t.Errorf("a duplicate of a duplicate: %v %+v", err, res)
		}
		// Nothing the responder may see: nothing survives, each is not found.
		res, err = f.db.LinkDuplicates(f.as(f.resp), []string{hidden.Ref, "AL-99999"}, ally.BulkLink{})
		if err != nil || strings.Join(outcomes(res), " ") != ally.ENOTFOUND+" "+ally.ENOTFOUND {
			t.Errorf("only unseen cases: %v %+v", err, res)
		}
	})
}

// outcomes words each bulk result: "done", "survivor" or its error code.
func outcomes(res []ally.BulkResult) []string {
	var out []string
	for _, r := range res {
		switch {
		case r.Survivor && r.Done:
			out = append(out, "survivor")
		case r.Done && r.Error == nil:
			out = append(out, "done")
		case r.Error != nil && !r.Done:
			out = append(out, r.Error.Code)
		default:
			out = append(out, "confused")
		}
	}
	return out
}
