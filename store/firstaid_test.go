package store_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestFirstAidListens: the reporter's first aid follows their answers, and
// adding the email ticks the step that asked for it.
func TestFirstAidListens(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink,
			Answers: map[string]string{"typed_password": "yes", "approved_prompt": "yes", "downloaded": "yes"}})
		if c.Severity != ally.SeverityCritical {
			t.Fatalf("severity %s", c.Severity)
		}
		steps := strings.Join(c.Guidance.Steps, "\n")
		for _, want := range []string{"Change your password now from your phone", "Do not open the file that downloaded"} {
			if !strings.Contains(steps, want) {
				t.Errorf("first aid lacks %q:\n%s", want, steps)
			}
		}
		if strings.Contains(steps, "If you typed a password") || strings.Contains(steps, "If a file downloaded") {
			t.Errorf("first aid still asks what the answers told:\n%s", steps)
		}

		raw, err := os.ReadFile("testdata/parcel.eml")
		if err != nil {
			t.Fatal(err)
		}
		e := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindSuspiciousEmail})
		done := func() bool {
			tasks, err := f.db.Tasks(f.as(f.alice), e.Ref)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(tasks, func(x *ally.Task) bool { return x.ID == "add-email" })
			return i >= 0 && tasks[i].Done
		}
		if done() {
			t.Fatal("the email step is done before any email")
		}
		if _, err := f.db.AddAttachment(f.as(f.alice), e.Ref, ally.NewAttachment{Name: "parcel.eml", Data: raw}); err != nil {
			t.Fatal(err)
		}
		if !done() {
			t.Error("adding the email did not tick the step that asked for it")
		}
	})
}
