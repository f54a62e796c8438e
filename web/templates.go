package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/allydesk/ally"
)

//go:embed templates
var templateFS embed.FS

// views holds every page template, parsed once when the package loads: a
// broken template stops the program at start-up, never on a request.
var views = mustParseViews(templateFS)

// mustParseViews parses templates/layout.html and templates/partials/*.html
// once, then clones them for each page in templates/pages/, so every page
// shares the layout and defines its own "title" and "main" blocks.
func mustParseViews(fsys fs.FS) map[string]*template.Template {
	base := template.Must(template.New("layout.html").Funcs(viewFuncs).
		ParseFS(fsys, "templates/layout.html", "templates/partials/*.html"))
	pages, err := fs.Glob(fsys, "templates/pages/*.html")
	if err != nil || len(pages) == 0 {
		panic(fmt.Sprintf("web: no page templates found: %v", err))
	}
	out := make(map[string]*template.Template, len(pages))
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		out[name] = template.Must(template.Must(base.Clone()).ParseFS(fsys, p))
	}
	return out
}

// chrome is what the layout needs on every page; page data embeds it.
type chrome struct {
	Title string
	User  *ally.User
	CSRF  string
	Path  string // the page's path, to mark its link in the menu as the current page
	// Notice is a short confirmation chosen by a query flag after a
	// redirect (never text taken from the URL).
	Notice string
}

// navItem is one link of the main menu.
type navItem struct{ Href, Label string }

// navFor lists the main menu's links for u, in order: each role sees the
// pages it may use, and only those. The person's own settings are in the
// "Account" menu (accountFor), so an admin's menu fits on one line.
func navFor(u *ally.User) []navItem {
	triage, lead, admin := ally.CanTriage(u), u.Role.AtLeast(ally.RoleLead), ally.CanManageUsers(u)
	return shown([]offer{
		{triage, navItem{"/queue", "Queue"}},
		{triage, navItem{"/campaigns", "Campaigns"}},
		{!triage, navItem{"/", "My reports"}},
		{true, navItem{"/report", "Report a concern"}},
		{lead, navItem{"/dashboard", "Dashboard"}},
		{lead, navItem{"/insights", "Insights"}},
		{true, navItem{"/lessons", "Lessons"}},
		{triage, navItem{"/practice", "Practice"}},
		{admin, navItem{"/admin/users", "Users"}},
		{admin, navItem{"/admin/webhooks", "Webhooks"}},
	})
}

// accountFor lists the links of the "Account" menu for u: the person's own
// settings. "Sign out" follows them in the layout (it is a form).
func accountFor(u *ally.User) []navItem {
	return shown([]offer{
		{ally.CanChooseNotifications(u), navItem{"/settings/notifications", "Notifications"}},
		{canChangePassword(u), navItem{"/account/password", "Change password"}},
	})
}

// offer is a menu link and whether this person gets it.
type offer struct {
	ok   bool
	item navItem
}

// shown keeps the links offered to the person, in order.
func shown(offers []offer) []navItem {
	var out []navItem
	for _, o := range offers {
		if o.ok {
			out = append(out, o.item)
		}
	}
	return out
}

// chromeFor fills the layout data for the request.
func chromeFor(r *http.Request, title string) chrome {
	c := chrome{Title: title, User: ally.UserFromContext(r.Context()), Path: r.URL.Path}
	if sess := sessionFrom(r.Context()); sess != nil {
		c.CSRF = sess.CSRF
	}
	c.Notice = notices[r.URL.Query().Get("done")]
	return c
}

// caseUpdated confirms a change of a case's status, severity or assignee.
const caseUpdated = "The case was updated."

// notices are the confirmations a redirect may ask for with ?done=KEY.
var notices = map[string]string{
	"reply":      "Your message was sent.",
	"note":       "Your note was saved.",
	"update":     caseUpdated,
	"manage":     caseUpdated, // from the Manage section, shown there
	"bulk":       "The cases were updated.",
	"duplicates": "The cases are marked as duplicates. Each reporter was told, and follows the case you kept.",
	"tasks":      "Your checklist was saved.",
	"feedback":   "Thank you for telling us how we did.",
	"resolved":   "The case is resolved, and your message was sent to the reporter.",
	"outcome":    "To resolve the case, tell the reporter what happened below.",
	"linked":     "The cases are linked.",
	"department": "The department was added.",
	"user":       "The account was updated.",
	"tone":       "Thank you. The tone check now uses your mark.",
	"signout":    "You have signed out. See you next time.",
	// issue 16
	"falsealarm": "Marked as a false alarm. The mail check learns from it.",
	"notify":     "Your notification settings were saved.",
	"password":   "Your new password is saved. You are signed out everywhere else.",
	"kept":       "We kept what you wrote. Check it, then send it.",
	"revoked":    "The follow link is switched off. The reporter can no longer open this case with it.",
	"webhook":    "The subscription was updated.",
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// getBuf takes an empty buffer from the pool; putBuf returns it, unless it
// grew past 1 MiB (a rare large answer should not stay in memory).
func getBuf() *bytes.Buffer {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	return buf
}

func putBuf(buf *bytes.Buffer) {
	if buf.Cap() <= 1<<20 {
		bufPool.Put(buf)
	}
}

// render executes page name with data into a buffer first, so that a
// template error never sends half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) error {
	t, ok := views[name]
	if !ok {
		return fmt.Errorf("web: no page template %q", name)
	}
	buf := getBuf()
	defer putBuf(buf)
	if err := t.ExecuteTemplate(buf, "layout.html", data); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	return writeBuffered(w, status, buf)
}

// writeBuffered sends a whole answer held in buf with its length, so that
// it goes out in one piece rather than in chunks.
func writeBuffered(w http.ResponseWriter, status int, buf *bytes.Buffer) error {
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// redirect answers a form post with 303 See Other (POST/redirect/GET).
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// localPath returns p if it is a path on this site, else "/": sign-in's
// "next" must not send people elsewhere.
func localPath(p string) string {
	u, err := url.Parse(p)
	if err != nil || p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") ||
		strings.HasPrefix(p, "/\\") || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return p
}

// ago says how long before now t was, in words ("12 min ago").
func ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	default:
		return plural(int(d/(24*time.Hour)), "day") + " ago"
	}
}

// within says how long until t, in plain words ("about 1 hour").
func within(t, now time.Time) string {
	d := t.Sub(now)
	switch {
	case d <= time.Minute:
		return "a few minutes"
	case d < time.Hour:
		return plural(int((d+time.Minute-1)/time.Minute), "minute")
	case d < 48*time.Hour:
		return "about " + plural(int((d+30*time.Minute)/time.Hour), "hour")
	default:
		return "about " + plural(int((d+12*time.Hour)/(24*time.Hour)), "day")
	}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
