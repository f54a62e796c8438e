package store_test

import (
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestResolveTakesTheOutcome: resolving (or closing an open case) needs an
// outcome message, which reaches the reporter as a reply, tone-checked, in
// one mail; without it nothing changes.
func TestResolveTakesTheOutcome(t *testing.T) {
	eachMail(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink})
		before := len(outbox(t, f))
		for _, up := range []ally.CaseUpdate{
			{Status: ptr(ally.StatusResolved)},
			{Status: ptr(ally.StatusResolved), Outcome: ptr("   ")},
			{Status: ptr(ally.StatusClosed)},
		} {
			_, err := f.db.UpdateCase(f.as(f.resp), c.Ref, up)
			wantCode(t, err, ally.EREQUIRED)
			if !strings.HasPrefix(ally.ErrorMessage(err), "outcome:") {
				t.Fatalf("the error does not name the field: %v", err)
			}
		}
		_, err := f.db.UpdateCase(f.as(f.resp), c.Ref, ally.CaseUpdate{Severity: ptr(ally.SeverityLow),
			Outcome: ptr("All done.")})
		wantCode(t, err, ally.EINVALID) // an outcome only goes with resolving
		blame := ally.CaseUpdate{Status: ptr(ally.StatusResolved),
			Outcome: ptr("Why did you click that? You should have known better.")}
		_, err = f.db.UpdateCase(f.as(f.resp), c.Ref, blame)
		wantCode(t, err, ally.EHELD)
		if got, _ := f.db.FindCase(f.as(f.resp), c.Ref); got.Status != ally.StatusNew || len(messages(t, f, c.Ref)) != 0 ||
			len(outbox(t, f)) != before {
			t.Fatalf("a refused resolve changed something: %s, %q", got.Status, messages(t, f, c.Ref))
		}

		outcome := "Hi Alice, all sorted: we blocked the link. Thank you for telling us so fast."
		got, err := f.db.UpdateCase(f.as(f.resp), c.Ref, ally.CaseUpdate{Status: ptr(ally.StatusResolved),
			Outcome: ptr("  " + outcome + "\n")})
		if err != nil || got.Status != ally.StatusResolved {
			t.Fatalf("resolve: %v %+v", err, got)
		}
		tl, err := f.db.Timeline(f.as(f.alice), c.Ref, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		if m := messages(t, f, c.Ref); len(m) != 1 || m[0] != outcome {
			t.Fatalf("the reporter's messages: %q", m)
		}
		if len(tl) == 0 {
			t.Fatal("empty timeline")
		}
		mail := outbox(t, f)[before:]
		if len(mail) != 1 || mail[0].Kind != "reply" || mail[0].To != f.alice.Email ||
			!strings.Contains(mail[0].Body, "we blocked the link") {
			t.Fatalf("mail after resolving (want one reply with the outcome):\n%s", summary(mail))
		}
		counts, _ := f.db.CountCases(f.as(f.lead))
		if counts[ally.StatusResolved] != 1 || counts[ally.StatusNew] != 0 || counts[ally.StatusAcknowledged] != 0 {
			t.Fatalf("counts = %v", counts)
		}
		if _, err := f.db.UpdateCase(f.as(f.resp), c.Ref, ally.CaseUpdate{Status: ptr(ally.StatusClosed)}); err != nil {
			t.Fatalf("closing a resolved case needs no second outcome: %v", err)
		}

		held := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindOther})
		blame.Confirmed = true
		if _, err := f.db.UpdateCase(f.as(f.resp), held.Ref, blame); err != nil {
			t.Fatalf("a confirmed outcome is sent anyway: %v", err)
		}
	})
}

// TestReporterCannotUpdateWhateverTheBody: a reporter's update is refused
// for who they are, whatever it holds: 403 on their own case, 404 on
// another's, never "outcome: is required" (422) or a field error (400),
// which told them how to word a change they may not make.
func TestReporterCannotUpdateWhateverTheBody(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		own := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink})
		other := mustCase(t, f, f.bob, ally.NewCase{Kind: ally.KindClickedLink})
		for _, up := range []ally.CaseUpdate{
			{Status: ptr(ally.StatusResolved)},
			{Status: ptr(ally.StatusClosed)},
			{},
			{Severity: ptr(ally.Severity("huge"))},
			{Status: ptr(ally.StatusResolved), Outcome: ptr("All sorted, thank you.")},
		} {
			_, err := f.db.UpdateCase(f.as(f.alice), own.Ref, up)
			wantCode(t, err, ally.EFORBIDDEN)
			_, err = f.db.UpdateCase(f.as(f.alice), other.Ref, up)
			wantCode(t, err, ally.ENOTFOUND)
		}
		if got, _ := f.db.FindCase(f.as(f.alice), own.Ref); got.Status != ally.StatusNew || len(messages(t, f, own.Ref)) != 0 {
			t.Fatalf("a refused update changed the case: %s, %q", got.Status, messages(t, f, own.Ref))
		}
	})
}
