package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/allydesk/ally"
)

// lessonsPage lists the lessons everyone may read; leads and admins also
// get the form to publish one.
type lessonsPage struct {
	chrome
	Lessons    []*ally.Lesson
	Pages      pager
	CanPublish bool
	Form       lessonForm
}

// lessonForm is the publish form's values and, after a refusal, what was
// wrong and with which field.
type lessonForm struct {
	Title, Body, Cases string
	Error              string
	Field              string // title, body or cases
}

// lessonsLimit is the lessons page's size.
const lessonsLimit = 10

// publishedNotice confirms a lesson after the redirect.
const publishedNotice = "The lesson is published. Everyone can read it now, " +
	"and each reporter who helped was thanked in their case."

// lessonFields are the publish form's labels by the field names the
// service's messages start with.
var lessonFields = map[string]string{"title": "Title", "body": "Lesson text", "cases": "Reports this came from"}

func (s *Server) pageLessons(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	p, err := s.lessonsPage(r, u)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("done") == "lesson" {
		p.Notice = publishedNotice
	}
	return s.render(w, http.StatusOK, "lessons", p)
}

// lessonsPage loads a page of lessons, older than ?cursor= when given (as
// in the API; ?before= of older links still works).
func (s *Server) lessonsPage(r *http.Request, u *ally.User) (*lessonsPage, error) {
	before, err := beforeCursorOr(r, "before")
	if err != nil {
		return nil, ally.Errorf(ally.EINVALID, "That link to older lessons is not right. Start again from the lessons page.")
	}
	ls, err := s.Insights.Lessons(r.Context(), before, lessonsLimit+1)
	if err != nil {
		return nil, err
	}
	p := &lessonsPage{chrome: chromeFor(r, "Lessons"), Lessons: ls, CanPublish: ally.CanPublishLessons(u)}
	next := ""
	if len(ls) > lessonsLimit {
		p.Lessons = ls[:lessonsLimit]
		next = strconv.FormatInt(ls[lessonsLimit-1].ID, 10)
	}
	p.Pages = newPager(r, "/lessons", next, lessonWords)
	return p, nil
}

// postLesson publishes a lesson. Words that blame or read above grade 8, or
// a report that cannot be found, bring the form back (422) with the text kept.
func (s *Server) postLesson(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if !ally.CanPublishLessons(u) {
		return ally.Errorf(ally.EFORBIDDEN, "Only leads and admins can publish lessons.")
	}
	f := lessonForm{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), Cases: r.PostFormValue("cases")}
	_, err := s.Insights.PublishLesson(r.Context(), ally.NewLesson{Title: f.Title, Body: f.Body, Cases: caseRefs(f.Cases)})
	switch ally.ErrorCode(err) {
	case "":
		return redirect(w, r, "/lessons?done=lesson")
	case ally.EINVALID, ally.ENOTFOUND:
	default:
		return err
	}
	f.Field, f.Error = fieldOf(ally.ErrorMessage(err))
	r.URL.RawQuery = "" // the form comes back with the first page of lessons
	p, perr := s.lessonsPage(r, u)
	if perr != nil {
		return perr
	}
	p.Form = f
	return s.render(w, http.StatusUnprocessableEntity, "lessons", p)
}

// caseRefs reads refs separated by commas, semicolons or spaces
// ("AL-1042, al-1043"), in capitals.
func caseRefs(s string) []string {
	return strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool {
		return r == ',' || r == ';' || unicode.IsSpace(r)
	})
}

// fieldOf splits a service message "body: says why" into the form's field
// and the message with the field's label: "Lesson text: says why".
func fieldOf(msg string) (field, text string) {
	name, rest, ok := strings.Cut(msg, ": ")
	label, known := lessonFields[name]
	if !ok || !known {
		return "", msg
	}
	return name, label + ": " + rest
}
