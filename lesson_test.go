package ally

import (
	"strings"
	"testing"

	"github.com/allydesk/ally/tone"
)

func TestLessonCheck(t *testing.T) {
	kind := "If a message rushes you, stop and ask us. We are glad to help, and asking is always fine."
	for _, tc := range []struct {
		name  string
		n     NewLesson
		field string // "" when the lesson passes
	}{
		{"fine", NewLesson{Title: "  Slow down  ", Body: kind}, ""},
		{"no title", NewLesson{Title: " ", Body: kind}, "title"},
		{"long title", NewLesson{Title: strings.Repeat("a", MaxLessonTitle+1), Body: kind}, "title"},
		{"no body", NewLesson{Title: "Slow down"}, "body"},
		{"too many cases", NewLesson{Title: "Slow down", Body: kind, Cases: make([]string, MaxLessonCases+1)}, "cases"},
		{"blaming body", NewLesson{Title: "Slow down", Body: "Why did you click that? You should have known better."},
			"body"},
		{"hard to read body", NewLesson{Title: "Slow down", Body: "Organisational communication necessitates " +
			"comprehensive verification of institutional authentication procedures notwithstanding operational " +
			"considerations."}, "body"},
	} {
		n := tc.n
		err := n.Check(tone.Default())
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && (ErrorCode(err) != EINVALID || !strings.HasPrefix(ErrorMessage(err), tc.field+":")):
			t.Errorf("%s: %v, want invalid %s", tc.name, err, tc.field)
		}
		if tc.field == "" && n.Title != "Slow down" {
			t.Errorf("%s: title not trimmed: %q", tc.name, n.Title)
		}
	}
}

func TestCaseUpdateValidate(t *testing.T) {
	st, bad, sev, badSev, none := StatusResolved, Status("done"), SeverityHigh, Severity("huge"), ""
	outcome, blank, open := "All sorted.", " ", StatusInvestigating
	for _, tc := range []struct {
		up    CaseUpdate
		field string
	}{
		{CaseUpdate{}, "body"},
		{CaseUpdate{Status: &st}, "outcome"},
		{CaseUpdate{Status: &st, Outcome: &blank}, "outcome"},
		{CaseUpdate{Status: &open, Outcome: &outcome}, "outcome"},
		{CaseUpdate{Status: &st, Outcome: &outcome}, ""},
		{CaseUpdate{Severity: &sev, Assignee: &none}, ""},
		{CaseUpdate{Status: &bad}, "status"},
		{CaseUpdate{Severity: &badSev}, "severity"},
	} {
		err := tc.up.Validate()
		if (tc.field == "") != (err == nil) || (err != nil && !strings.HasPrefix(ErrorMessage(err), tc.field+":")) {
			t.Errorf("%+v: %v, want field %q", tc.up, err, tc.field)
		}
	}
}
