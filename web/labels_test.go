package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/demo"
	"github.com/allydesk/ally/tone"
)

var (
	hrefRE    = regexp.MustCompile(`href="(/[^"#]*)`)
	dropRE    = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<textarea.*?</textarea>|<div class="body">.*?</div>|<title>.*?</title>`)
	tagRE     = regexp.MustCompile(`(?s)<[^>]*>`)
	snakeRE   = regexp.MustCompile(`\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b`)
	hyphenRE  = regexp.MustCompile(`\b[a-z]+(?:-[a-z]+){1,}\b`)
	crawlSkip = []string{"/static/", "/logout", "/api/", ".csv", "/login"}
)

// visibleText is the text a person reads on a page: no markup, scripts or
// styles, and not what people wrote themselves (message bodies, boxes).
func visibleText(page string) string {
	return html.UnescapeString(tagRE.ReplaceAllString(dropRE.ReplaceAllString(page, " "), " "))
}

// TestNoIdentifiersOnAnyPage renders every page of the demo reachable from
// the home page, as each role, and fails on any snake_case identifier or
// tone rule id in what a person reads (issue 18 part 6).
func TestNoIdentifiersOnAnyPage(t *testing.T) {
	ctx := ally.NewOperatorContext(context.Background())
	ts := newTestServer(t)
	if err := demo.Load(ctx, ts.DB, demo.Options{Cases: 200, Span: 30 * 24 * time.Hour, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	users, err := demo.EnsureAccounts(ctx, ts.DB)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.Open("../tone/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rf, err := tone.ParseRules(raw)
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	for _, r := range rf.Rules {
		rules[r.ID] = true
	}
	seenRole := map[ally.Role]bool{}
	for _, u := range users {
		if seenRole[u.Role] {
			continue
		}
		seenRole[u.Role] = true
		sess, err := ts.DB.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		cookie := &http.Cookie{Name: SessionCookie, Value: sess.Secret}
		queue := []string{"/", "/report", "/queue", "/dashboard", "/insights", "/campaigns", "/lessons", "/practice",
			"/tone", "/admin/users"}
		seen, perPrefix := map[string]bool{}, map[string]int{}
		for _, p := range queue {
			seen[p] = true
		}
		for len(queue) > 0 && len(seen) < 120 {
			path := queue[0]
			queue = queue[1:]
			req := httptest.NewRequest("GET", path, nil)
			req.AddCookie(cookie)
			rec := httptest.NewRecorder()
			ts.Srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				continue
			}
			body := rec.Body.String()
			text := visibleText(body)
			bad := snakeRE.FindAllString(text, -1)
			for _, m := range hyphenRE.FindAllString(text, -1) {
				if rules[m] {
					bad = append(bad, m)
				}
			}
			if len(bad) > 0 {
				slices.Sort(bad)
				t.Errorf("%s sees identifiers on %s: %s", u.Role, path, strings.Join(slices.Compact(bad), ", "))
			}
			for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
				next := html.UnescapeString(m[1])
				prefix := strings.SplitN(strings.TrimPrefix(next, "/"), "/", 2)[0]
				if seen[next] || slices.ContainsFunc(crawlSkip, func(s string) bool { return strings.Contains(next, s) }) ||
					perPrefix[prefix] >= 6 {
					continue
				}
				seen[next], perPrefix[prefix] = true, perPrefix[prefix]+1
				queue = append(queue, next)
			}
		}
		fmt.Fprintf(testWriter{t}, "%s: %d pages\n", u.Role, len(seen))
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// TestOneVocabulary: the timeline's status and severity events use the
// screens' words; rule ids read as words.
func TestOneVocabulary(t *testing.T) {
	for in, want := range map[string]string{
		"Status changed from acknowledged to resolved.": "Status changed from Seen to Sorted.",
		"Severity changed from medium to critical.":     "Severity changed from Medium to Critical.",
		"Status changed from nonsense to resolved.":     "Status changed from nonsense to resolved.",
		"Assigned to Sam.":                              "Assigned to Sam.",
	} {
		if got := eventText(in); got != want {
			t.Errorf("eventText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := ruleName("why-did-you"); got != "“Why did you …” wording" {
		t.Errorf("ruleName = %q", got)
	}
}
