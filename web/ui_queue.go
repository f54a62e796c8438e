package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/allydesk/ally"
)

// queuePage is the responders' queue: what needs them first.
type queuePage struct {
	chrome
	Now       time.Time
	Items     []queueItem
	Next      string
	Counts    []statusCount
	OpenCount int
	Filter    string // the status filter: "", "all" or a status
	Selects   []filterSelect
}

// filterSelect is one of the queue's filter menus.
type filterSelect struct {
	ID, Name, Label string
	Options         []selectOption
}

// selectOption is one choice of a menu.
type selectOption struct {
	Value, Label string
	Selected     bool
}

// filterSelects builds the queue's filter menus with the current choices
// selected.
func filterSelects(q url.Values) []filterSelect {
	menu := func(name, label string, opts ...selectOption) filterSelect {
		for i := range opts {
			opts[i].Selected = opts[i].Value == q.Get(name)
		}
		return filterSelect{ID: "f-" + name, Name: name, Label: label, Options: opts}
	}
	status := []selectOption{{Value: "", Label: "Open cases"}, {Value: "all", Label: "All cases"}}
	for _, st := range ally.Statuses {
		status = append(status, selectOption{Value: string(st), Label: statusNames[st]})
	}
	kind := []selectOption{{Value: "", Label: "Any kind"}}
	for _, k := range ally.Kinds {
		kind = append(kind, selectOption{Value: string(k), Label: kindNames[k]})
	}
	sev := []selectOption{{Value: "", Label: "Any severity"}}
	for _, v := range ally.Severities {
		sev = append(sev, selectOption{Value: string(v), Label: severityNames[v]})
	}
	return []filterSelect{menu("status", "Status", status...), menu("kind", "Kind", kind...),
		menu("severity", "Severity", sev...),
		menu("assignee", "Assignee", selectOption{Value: "", Label: "Anyone"}, selectOption{Value: "me", Label: "Me"},
			selectOption{Value: "none", Label: "Nobody yet"})}
}

// queueItem is a case in the queue with its deadline in words.
type queueItem struct {
	*ally.Case
	Due     string // "Reply due in 20 minutes", "Fix overdue"
	Overdue bool
}

// statusCount is the number of visible cases in one status.
type statusCount struct {
	Status ally.Status
	N      int
}

// queueLimit is the queue's page size.
const queueLimit = 25

// pageQueue lists cases by priority: unacknowledged and severe first. With
// no status filter it shows open cases; status=all shows every case.
func (s *Server) pageQueue(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if !ally.CanTriage(u) {
		return redirect(w, r, "/")
	}
	q := r.URL.Query()
	f, err := caseFilter(r)
	if err != nil {
		return err
	}
	switch q.Get("status") {
	case "":
		f.Open = true
	case "all":
		f.Status = nil
	}
	f.Sort, f.Limit = "priority", queueLimit
	page, err := s.Cases.FindCases(r.Context(), f)
	if err != nil {
		return err
	}
	counts, err := s.Cases.CountCases(r.Context())
	if err != nil {
		return err
	}
	p := queuePage{chrome: chromeFor(r, "Queue"), Now: s.Now(), Filter: q.Get("status"), Selects: filterSelects(q)}
	for _, st := range ally.Statuses {
		p.Counts = append(p.Counts, statusCount{st, counts[st]})
		if st.Open() {
			p.OpenCount += counts[st]
		}
	}
	for _, c := range page.Items {
		p.Items = append(p.Items, dueItem(c, p.Now))
	}
	if page.NextCursor != nil {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("cursor", *page.NextCursor)
		p.Next = "/queue?" + next.Encode()
	}
	return s.render(w, http.StatusOK, "queue", p)
}

// dueItem words the case's next deadline (ally.Case.NextDeadline). Only a
// missed current deadline counts as overdue; earlier misses show on the
// case page.
func dueItem(c *ally.Case, now time.Time) queueItem {
	it := queueItem{Case: c}
	d, ok := c.NextDeadline()
	what := map[string]string{"acknowledge": "Reply", "resolve": "Fix"}[d.Target]
	switch {
	case !ok:
	case d.Due.Before(now):
		it.Due, it.Overdue = what+" overdue by "+within(now, d.Due), true
	default:
		it.Due = what + " due in " + within(d.Due, now)
	}
	return it
}
