package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestAPIUsersCursor: the users list pages with an opaque cursor (no email
// address in it), an older client's plain-email cursor still pages, and a
// cursor no page gave out is 400 naming cursor, as on the other lists.
func TestAPIUsersCursor(t *testing.T) {
	w := newAPIWorld(t)
	var emails []string
	var first []string // the first page's emails, to page on from with a plain email
	path := "/api/v1/users?limit=2"
	for pages := 0; ; pages++ {
		st, body := w.call(t, "admin", "GET", path, nil)
		if st != 200 || pages > 5 {
			t.Fatalf("%s: %d %v", path, st, body)
		}
		for _, it := range body["items"].([]any) {
			emails = append(emails, it.(map[string]any)["email"].(string))
		}
		if first == nil {
			first = emails
		}
		next, _ := body["next_cursor"].(string)
		if next == "" {
			break
		}
		if strings.Contains(next, "@") || strings.Contains(next, emails[len(emails)-1]) {
			t.Errorf("next_cursor %q shows the email address it pages after", next)
		}
		path = "/api/v1/users?limit=2&cursor=" + next
	}
	if len(emails) != 5 || strings.Join(emails, " ") != "admin@example.org lead@example.org reportera@example.org "+
		"reporterb@example.org responder@example.org" {
		t.Fatalf("paged through %v, want the 5 accounts by email", emails)
	}
	st, body := w.call(t, "admin", "GET", "/api/v1/users?limit=2&cursor="+url.QueryEscape(first[1]), nil)
	if items, _ := body["items"].([]any); st != 200 || len(items) != 2 ||
		items[0].(map[string]any)["email"] != emails[2] {
		t.Errorf("an old plain-email cursor: %d %v, want the page from %s", st, body, emails[2])
	}
	caseCursor := ally.EncodeCursor('n', "12") // a cursor of another list
	for _, bad := range []string{"x", "abc", "%21%21", caseCursor, ally.EncodeCursor('e', "no-at-sign")} {
		st, body := w.call(t, "admin", "GET", "/api/v1/users?cursor="+bad, nil)
		if msg := fmt.Sprint(body["error"]); st != 400 ||
			!strings.Contains(msg, "cursor: is not a cursor from a previous page of this list") {
			t.Errorf("cursor=%s: %d %v, want 400 naming cursor", bad, st, body)
		}
	}
}
