package web

import (
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "/",
		"/report":              "/report",
		"/cases/AL-1001?x=1":   "/cases/AL-1001?x=1",
		"//evil.example/x":     "/",
		"/\\evil.example":      "/",
		"https://evil.example": "/",
		"javascript:alert(1)":  "/",
		"report":               "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzLocalPath checks that sign-in's "next" never leaves the site.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "/report", "//x", "/\\x", "http://x", "/%2f%2fx", "/\t/x", " /x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := localPath(in)
		if got != "/" && (got != in || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\")) {
			t.Errorf("localPath(%q) = %q", in, got)
		}
	})
}

func TestOccurredAt(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 30, 45, 0, time.UTC)
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	for _, c := range []struct {
		when, at, tz string
		want         time.Time // zero: nil
	}{
		{"now", "", "", at("2026-11-27T09:30:00Z")},
		{"minutes", "", "", at("2026-11-27T09:20:00Z")},
		{"hours", "", "", at("2026-11-27T06:30:00Z")},
		{"earlier", "", "", time.Time{}},
		{"", "", "", time.Time{}},
		{"earlier", "2026-11-26T14:05", "", at("2026-11-26T14:05:00Z")},
		{"earlier", "2026-11-26T14:05", "-60", at("2026-11-26T13:05:00Z")}, // UTC+1
		{"now", "2026-11-26T14:05", "300", at("2026-11-26T19:05:00Z")},     // a typed time wins
		{"earlier", "2027-01-01T00:00", "", at("2026-11-27T09:30:00Z")},    // never in the future
		{"earlier", "2026-11-26T14:05", "99999", at("2026-11-26T14:05:00Z")},
	} {
		got := occurredAt(c.when, c.at, c.tz, now)
		switch {
		case c.want.IsZero() && got != nil:
			t.Errorf("occurredAt(%q, %q, %q) = %v, want nil", c.when, c.at, c.tz, got)
		case !c.want.IsZero() && (got == nil || !got.Equal(c.want)):
			t.Errorf("occurredAt(%q, %q, %q) = %v, want %v", c.when, c.at, c.tz, got, c.want)
		}
	}
}

// FuzzOccurredAt checks that no form input gives a time in the future.
func FuzzOccurredAt(f *testing.F) {
	f.Add("now", "", "")
	f.Add("earlier", "2026-11-26T14:05", "-60")
	f.Add("earlier", "9999-12-31T23:59", "-900")
	f.Add("x", "2026-02-30T25:61", "abc")
	now := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, when, at, tz string) {
		if got := occurredAt(when, at, tz, now); got != nil && got.After(now) {
			t.Errorf("occurredAt(%q, %q, %q) = %v is after now", when, at, tz, got)
		}
	})
}

func TestAgoAndWithin(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		30 * time.Second: "just now", 12 * time.Minute: "12 min ago", time.Hour: "1 hour ago",
		5 * time.Hour: "5 hours ago", 72 * time.Hour: "3 days ago",
	} {
		if got := ago(now.Add(-d), now); got != want {
			t.Errorf("ago(%v) = %q, want %q", d, got, want)
		}
	}
	for d, want := range map[time.Duration]string{
		30 * time.Second: "a few minutes", 15 * time.Minute: "15 minutes", time.Hour: "about 1 hour",
		100 * time.Minute: "about 2 hours", 72 * time.Hour: "about 3 days",
	} {
		if got := within(now.Add(d), now); got != want {
			t.Errorf("within(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestProgress(t *testing.T) {
	for st, want := range map[ally.Status]string{
		ally.StatusNew: "Sent*", ally.StatusAcknowledged: "Sent Seen*", ally.StatusInvestigating: "Sent Seen Being sorted*",
		ally.StatusContained: "Sent Seen Being sorted*", ally.StatusResolved: "Sent Seen Being sorted Sorted*",
		ally.StatusClosed: "Sent Seen Being sorted Sorted*",
	} {
		var done []string
		for _, s := range progress(st) {
			if s.Done {
				label := s.Label
				if s.Current {
					label += "*"
				}
				done = append(done, label)
			}
		}
		if got := strings.Join(done, " "); got != want {
			t.Errorf("progress(%s) = %q, want %q", st, got, want)
		}
	}
}

func TestDueItem(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	soon, past := now.Add(20*time.Minute), now.Add(-5*time.Minute)
	c := &ally.Case{Status: ally.StatusNew, SLA: ally.SLA{AcknowledgeBy: &soon}}
	if it := dueItem(c, now); it.Due != "Reply due in 20 minutes" || it.Overdue {
		t.Errorf("due soon: %+v", it)
	}
	c.SLA.AcknowledgeBy = &past
	if it := dueItem(c, now); it.Due != "Reply overdue by 5 minutes" || !it.Overdue {
		t.Errorf("overdue: %+v", it)
	}
	c.AcknowledgedAt, c.SLA.ResolveBy = &past, &soon
	if it := dueItem(c, now); it.Due != "Fix due in 20 minutes" {
		t.Errorf("acknowledged: %+v", it)
	}
	c.Status = ally.StatusResolved
	if it := dueItem(c, now); it.Due != "" {
		t.Errorf("resolved: %+v", it)
	}
}

// blamingReply is what a tired responder might type first.
const blamingReply = "Why did you click the link? You should have known better."

// TestFieldProblem: a domain error "field: problem" becomes the words shown
// by the field, a whole sentence: never "Is required; write a message.".
func TestFieldProblem(t *testing.T) {
	for _, tc := range []struct {
		err           error
		field, shown  string
		wantSplitting bool
	}{
		{ally.Errorf(ally.EINVALID, "body: is required; write a message."), "body", "This is required; write a message.", true},
		{ally.Errorf(ally.EINVALID, "body: is longer than 20,000 characters; shorten it."), "body",
			"This is longer than 20,000 characters; shorten it.", true},
		{ally.Errorf(ally.EREQUIRED, "outcome: must say what happened."), "outcome", "This must say what happened.", true},
		{ally.Errorf(ally.EINVALID, "rating: pick a score from 1 to 5."), "rating", "Pick a score from 1 to 5.", true},
		{ally.Errorf(ally.EINVALID, "A whole sentence: not a field."), "", "", false},
		{ally.Errorf(ally.ENOTFOUND, "ref: no such case."), "", "", false},
	} {
		field, shown, ok := fieldProblem(tc.err)
		if field != tc.field || shown != tc.shown || ok != tc.wantSplitting {
			t.Errorf("fieldProblem(%q) = %q, %q, %v; want %q, %q, %v", ally.ErrorMessage(tc.err), field, shown, ok,
				tc.field, tc.shown, tc.wantSplitting)
		}
	}
}
