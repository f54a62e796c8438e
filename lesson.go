package ally

import (
	"strings"

	"github.com/allydesk/ally/tone"
)

// Limits of a lesson.
const (
	MaxLessonTitle = 120
	MaxLessonBody  = 4000
	MaxLessonCases = 500
)

// Check trims a lesson being published and checks it: a title and a body
// within their limits, at most MaxLessonCases cases, and words for
// reporters that KindEnough lets through. Errors: EINVALID naming the field.
func (n *NewLesson) Check(e *tone.Engine) error {
	n.Title, n.Body = strings.TrimSpace(n.Title), strings.TrimSpace(n.Body)
	switch {
	case n.Title == "" || len(n.Title) > MaxLessonTitle:
		return Errorf(EINVALID, "title: is required (at most %d characters).", MaxLessonTitle)
	case n.Body == "" || len(n.Body) > MaxLessonBody:
		return Errorf(EINVALID, "body: is required (at most %d characters).", MaxLessonBody)
	case len(n.Cases) > MaxLessonCases:
		return Errorf(EINVALID, "cases: at most %d cases.", MaxLessonCases)
	}
	// Reading grade means little for a few words, so only the body is held to it.
	if err := KindEnough(e, "title", n.Title, false); err != nil {
		return err
	}
	return KindEnough(e, "body", n.Body, true)
}

// KindEnough refuses words for reporters that blame or, when grade is set,
// read above grade 8, naming the field, the words and a kinder phrasing.
func KindEnough(e *tone.Engine, field, text string, grade bool) error {
	r := e.Check(text, tone.AudienceReporter)
	for _, f := range r.Findings {
		if f.Severity == tone.SeverityError {
			return Errorf(EINVALID, "%s: %q %s Try: %s (%s)", field, f.Match, f.Message, f.Suggestion, f.Rule)
		}
	}
	if grade && r.Grade > 8 {
		return Errorf(EINVALID, "%s: reads at grade %.1f; use shorter words and sentences (grade 8 or lower).",
			field, r.Grade)
	}
	return nil
}
