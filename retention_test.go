package ally_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

func TestValidateRetention(t *testing.T) {
	good := []ally.RetentionRule{{Kind: "*", Action: "deidentify", Days: 365}, {Kind: "lost_device", Action: "delete", Days: 90}}
	if err := ally.ValidateRetention(good); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		rules []ally.RetentionRule
		field string
	}{
		{[]ally.RetentionRule{{Kind: "laptop", Action: "delete", Days: 90}}, "rules[0].kind"},
		{[]ally.RetentionRule{{Kind: "*", Action: "shred", Days: 90}}, "rules[0].action"},
		{[]ally.RetentionRule{{Kind: "*", Action: "delete", Days: 7}}, "rules[0].days"},
		{[]ally.RetentionRule{{Kind: "*", Action: "delete", Days: 99999}}, "rules[0].days"},
		{append(slices.Clone(good), ally.RetentionRule{Kind: "lost_device", Action: "delete", Days: 60}), "rules[2].kind"},
	} {
		err := ally.ValidateRetention(c.rules)
		if ally.ErrorCode(err) != ally.EINVALID || !strings.HasPrefix(ally.ErrorMessage(err), c.field) {
			t.Errorf("%+v: %v; want invalid %s", c.rules, err, c.field)
		}
	}
	r, ok := ally.RetentionFor(good, ally.KindLostDevice)
	if !ok || r.Action != "delete" {
		t.Fatalf("lost_device: %+v", r)
	}
	if r, ok := ally.RetentionFor(good, ally.KindClickedLink); !ok || r.Kind != "*" {
		t.Fatalf("clicked_link falls to *: %+v", r)
	}
	if _, ok := ally.RetentionFor(good[1:], ally.KindClickedLink); ok {
		t.Fatal("a kind without a rule and no * rule has one")
	}
	now, r := time.Now(), good[0]
	if r.Due(now.Add(-364*24*time.Hour), now) || !r.Due(now.Add(-365*24*time.Hour), now) || r.Due(time.Time{}, now) {
		t.Fatal("Due counts days wrong")
	}
}

func TestPersonalData(t *testing.T) {
	names := []string{"Sam Taylor", "Sam", "Al"}
	for text, want := range map[string]string{
		"I clicked a link in an invoice email.":       "",
		"Mail me at s.t@example.com please":           "an email address",
		"Call me on +44 20 7946 0958 after lunch":     "a phone number",
		"call (555) 010-0199":                         "a phone number",
		"It was sam who told me":                      "a name",
		"Samsung phone, case AL-1042, 3 days ago":     "",
		"Version 2.0.1 of the app, 12 people clicked": "",
	} {
		got := strings.Join(ally.PersonalData(text, names), ", ")
		if got != want {
			t.Errorf("%q: found %q, want %q", text, got, want)
		}
	}
}
