package web

import (
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/allydesk/ally"
	"golang.org/x/net/html"
)

// reporterTemplates are the templates a reporter reads.
var reporterTemplates = []string{"layout.html", "partials/questions.html", "partials/case_reporter.html",
	"partials/tasks.html", "pages/login.html", "pages/error.html", "pages/home.html", "pages/report.html",
	"pages/sent.html", "partials/email_file.html", "partials/attachments.html", "pages/lessons.html",
	"partials/lessons.html", "pages/link.html", "pages/forgot.html", "partials/signin_ways.html", "pages/password.html"}

// ReporterWords are the words of the web pages a reporter reads, by where
// they stand: each reporter template's visible text, one string per text
// node, and the plain-language labels and notices. Ally's own tone engine
// must pass every one (TestReporterWordsReadKindly), and the tone model's
// training keeps its thresholds above them (tone/internal/train).
func ReporterWords() (map[string][]string, error) {
	var kinds []string
	for _, k := range ally.Kinds {
		kinds = append(kinds, k.ReporterLabel())
	}
	words := map[string][]string{
		"kind choices":   kinds,
		"status words":   slices.Collect(maps.Values(statusWords)),
		"notices":        slices.Collect(maps.Values(notices)),
		"status names":   slices.Collect(maps.Values(statusNames)),
		"progress line":  {"Sent", "Seen", "Being sorted", "Sorted"},
		"upload notes":   append(slices.Collect(maps.Values(uploadProblems)), uploadAdded),
		"lesson notes":   {publishedNotice},
		"password notes": passwordNotes(),
	}
	for _, name := range reporterTemplates {
		src, err := fs.ReadFile(templateFS, "templates/"+name)
		if err != nil {
			return nil, err
		}
		words[name] = textNodes(string(src))
	}
	return words, nil
}

var templateAction = regexp.MustCompile(`(?s)\{\{.*?\}\}`)

// textNodes returns the visible text of a template, one string per text
// node, with template actions removed.
func textNodes(src string) []string {
	z := html.NewTokenizer(strings.NewReader(templateAction.ReplaceAllString(src, " ")))
	var out []string
	skip := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken:
			name, _ := z.TagName()
			skip = string(name) == "script" || string(name) == "title"
		case html.TextToken:
			if s := strings.Join(strings.Fields(string(z.Text())), " "); s != "" && !skip &&
				strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz") {
				out = append(out, s)
			}
		}
	}
}

// passwordNotes are the refusals the password page shows (ally.CheckPassword
// on a password too short, too long, one character repeated, the email
// address, the person's name, and a common one), as the page words them.
func passwordNotes() []string {
	const email, name = "sam.lee@example.org", "Sam Lee"
	var out []string
	for _, pw := range []string{"abc", strings.Repeat("x", ally.MaxPassword+1), strings.Repeat("z", 20),
		email, name, "password1234"} {
		if err := ally.CheckPassword(pw, email, name); err != nil {
			out = append(out, pageMessage(err))
		}
	}
	return out
}
