package store_test

import (
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestDuplicateFollowsTheSurvivor: a duplicate's reporter is told kindly,
// by a reply that is mailed; its status follows the surviving case, whose
// outcome finishes it with a kind word; links read from both ends.
func TestDuplicateFollowsTheSurvivor(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		dup := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "Parcel email"})
		survivor := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindSuspiciousEmail, Summary: "Same parcel email"})
		third := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindClickedLink})
		before := len(outbox(t, f))

		_, err := f.db.LinkCases(f.as(f.alice), dup.Ref, ally.NewLink{Ref: survivor.Ref, Type: ally.LinkDuplicate})
		wantCode(t, err, ally.EFORBIDDEN)
		_, err = f.db.LinkCases(f.as(f.resp), dup.Ref, ally.NewLink{Ref: dup.Ref, Type: ally.LinkDuplicate})
		wantCode(t, err, ally.EINVALID)
		_, err = f.db.LinkCases(f.as(f.resp), dup.Ref, ally.NewLink{Ref: survivor.Ref, Type: "same"})
		wantCode(t, err, ally.EINVALID)
		_, err = f.db.LinkCases(f.as(f.resp), dup.Ref, ally.NewLink{Ref: "AL-99999", Type: ally.LinkDuplicate})
		wantCode(t, err, ally.ENOTFOUND)

		l, err := f.db.LinkCases(f.as(f.resp), dup.Ref, ally.NewLink{Ref: survivor.Ref, Type: ally.LinkDuplicate})
		if err != nil || l.Ref != survivor.Ref || l.Role != ally.RoleSurvivor {
			t.Fatalf("link: %v %+v", err, l)
		}
		if m := messages(t, f, dup.Ref); len(m) != 1 || m[0] != ally.DuplicateJoined {
			t.Fatalf("the duplicate's reporter reads %q", m)
		}
		if mail := outbox(t, f)[before:]; len(mail) != 1 || mail[0].To != f.alice.Email || mail[0].Kind != "reply" {
			t.Fatalf("mail after linking:\n%s", summary(mail))
		}
		_, err = f.db.LinkCases(f.as(f.resp), survivor.Ref, ally.NewLink{Ref: dup.Ref, Type: ally.LinkRelated})
		wantCode(t, err, ally.ECONFLICT)
		_, err = f.db.LinkCases(f.as(f.resp), dup.Ref, ally.NewLink{Ref: third.Ref, Type: ally.LinkDuplicate})
		if ally.ErrorCode(err) != ally.ECONFLICT || !strings.Contains(ally.ErrorMessage(err), survivor.Ref) {
			t.Fatalf("a duplicate of two cases: %v", err)
		}
		_, err = f.db.LinkCases(f.as(f.resp), third.Ref, ally.NewLink{Ref: dup.Ref, Type: ally.LinkDuplicate})
		if ally.ErrorCode(err) != ally.EINVALID || !strings.Contains(ally.ErrorMessage(err), survivor.Ref) {
			t.Fatalf("a duplicate of a duplicate: %v", err)
		}
		if _, err := f.db.LinkCases(f.as(f.resp), third.Ref, ally.NewLink{Ref: survivor.Ref,
			Type: ally.LinkRelated}); err != nil {
			t.Fatal(err)
		}
		links, err := f.db.Links(f.as(f.resp), survivor.Ref)
		if err != nil || len(links) != 2 || links[0].Ref != dup.Ref || links[0].Role != ally.RoleDuplicate ||
			links[1].Ref != third.Ref || links[1].Role != ally.RoleRelated {
			t.Fatalf("the survivor's links: %v %+v", err, links)
		}
		if own, err := f.db.Links(f.as(f.alice), dup.Ref); err != nil || len(own) != 0 {
			t.Fatalf("the duplicate's reporter sees another reporter's case: %v %+v", err, own)
		}

		investigating := ally.StatusInvestigating
		if _, err := f.db.UpdateCase(f.as(f.resp), survivor.Ref, ally.CaseUpdate{Status: &investigating}); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.db.FindCase(f.as(f.resp), dup.Ref); got.Status != ally.StatusInvestigating {
			t.Fatalf("the duplicate did not follow: %s", got.Status)
		}
		resolved := ally.StatusResolved
		if _, err := f.db.UpdateCase(f.as(f.resp), survivor.Ref, ally.CaseUpdate{Status: &resolved,
			Outcome: ptr("Hi Bob, all sorted: the email is blocked. Thank you.")}); err != nil {
			t.Fatal(err)
		}
		got, _ := f.db.FindCase(f.as(f.resp), dup.Ref)
		m := messages(t, f, dup.Ref)
		if got.Status != ally.StatusResolved || m[len(m)-1] != ally.DuplicateFinished {
			t.Fatalf("the duplicate after the survivor resolved: %s, %q", got.Status, m)
		}
		if _, err := f.db.AddFeedback(f.as(f.alice), dup.Ref, ally.Feedback{Rating: 5}); err != nil {
			t.Fatalf("the duplicate's reporter cannot rate: %v", err)
		}
	})
}
