package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestToneGate: a blaming reply is held (nothing written, the case stays
// new) until it is confirmed; then it is sent once and the audit log says it
// went out anyway. Reporters and internal notes are not held.
func TestToneGate(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink})
		blame := ally.NewMessage{Body: "Why did you click that? You should have known better."}
		_, err := f.db.AddMessage(f.as(f.resp), c.Ref, blame)
		var held *ally.ReplyHeld
		if !errors.As(err, &held) || ally.ErrorCode(err) != ally.EHELD || !held.Tone.HasError() {
			t.Fatalf("unconfirmed blaming reply: err = %v, want *ally.ReplyHeld with findings", err)
		}
		entries, err := f.db.Timeline(f.as(f.resp), c.Ref, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := f.db.FindCase(f.as(f.resp), c.Ref); len(entries) != 1 || got.Status != ally.StatusNew {
			t.Fatalf("held reply changed the case: %d entries, status %s", len(entries), got.Status)
		}
		note := ally.NewMessage{Body: blame.Body, Internal: true}
		if _, err := f.db.AddMessage(f.as(f.resp), c.Ref, note); err != nil {
			t.Fatalf("internal note held: %v", err)
		}
		if _, err := f.db.AddMessage(f.as(f.alice), c.Ref, ally.NewMessage{Body: "You should have known better."}); err != nil {
			t.Fatalf("reporter's message held: %v", err)
		}
		blame.Confirmed = true
		e, err := f.db.AddMessage(f.as(f.resp), c.Ref, blame)
		if err != nil || e.Tone == nil || !e.Tone.HasError() {
			t.Fatalf("confirmed reply: %v, %+v", err, e)
		}
		audit, err := f.db.FindAudit(f.as(f.admin), 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		anyway := 0
		for _, a := range audit {
			if a.Action == "case.message" && a.Target == c.Ref && a.Detail != "" {
				anyway++
				if !strings.HasPrefix(a.Detail, "sent anyway despite tone: ") {
					t.Errorf("audit detail = %q", a.Detail)
				}
			}
		}
		if anyway != 1 {
			t.Errorf("audit records of replies sent anyway = %d, want 1", anyway)
		}
	})
}
