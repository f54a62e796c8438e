package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/allydesk/ally"
)

// queuePage is the responders' queue: what needs them first, as a dense
// table that can be searched, sorted and changed in bulk.
type queuePage struct {
	chrome
	Now       time.Time
	Items     []queueItem
	Pages     pager
	Counts    []statusCount
	OpenCount int
	Filter    string // the status filter: "", "all" or a status
	Selects   []filterSelect
	Query     string // the search box
	Sort      string
	Columns   []queueColumn
	Views     []queueView
	Back      string   // this page's address, where the bulk form returns
	Problem   string   // why the bulk form did nothing: no case ticked, or no change chosen
	Problems  []string // the cases a bulk change could not change, and why
	Bulk      []filterSelect
	// Linking cases in bulk: whether the server can, the case to keep as
	// typed, why it was refused, and the rows still ticked after a refusal.
	CanLink          bool
	DuplicateOf      string
	DuplicateProblem string
	Ticked           map[string]bool
}

// queueColumn is a column heading of the queue table; sortable ones link
// to the table in their order (or its reverse when already sorted by it).
type queueColumn struct {
	Label, Href, AriaSort string
}

// queueView is a saved view: a link to the queue with its filters.
type queueView struct {
	Label, Href string
	Current     bool
}

// queueViews are the saved views: what a responder looks at every day.
var queueViews = []struct{ label, query string }{
	{"My open cases", "assignee=me"},
	{"Unassigned critical", "assignee=none&severity=critical"},
	{"Reporter wrote", "unread=true"},
}

// queueSorts are the table's sortable columns and the order each asks for.
var queueSorts = []struct{ label, sort string }{
	{"Reference", ""}, {"Title", ""}, {"Kind", ""}, {"Severity", "-severity"}, {"Status", "priority"},
	{"Reporter", ""}, {"Assignee", ""}, {"Age", "-created"}, {"Due", "due"},
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
		return chosen(q, "f-", name, label, opts)
	}
	status := []selectOption{{Value: "", Label: "Open cases"}, {Value: "all", Label: "All cases"}}
	for _, st := range ally.Statuses {
		status = append(status, selectOption{Value: string(st), Label: statusNames[st]})
	}
	kind := []selectOption{{Value: "", Label: "Any kind"}}
	for _, k := range ally.Kinds {
		kind = append(kind, selectOption{Value: string(k), Label: k.Name()})
	}
	sev := []selectOption{{Value: "", Label: "Any severity"}}
	for _, v := range ally.Severities {
		sev = append(sev, selectOption{Value: string(v), Label: severityNames[v]})
	}
	order := []selectOption{{Value: "", Label: "Most urgent first"}, {Value: "due", Label: "Due soonest"},
		{Value: "-created", Label: "Newest"}, {Value: "created", Label: "Oldest"}, {Value: "-updated",
			Label: "Recently changed"}, {Value: "-severity", Label: "Most severe"}, {Value: "severity", Label: "Least severe"}}
	return []filterSelect{menu("status", "Status", status...), menu("kind", "Kind", kind...),
		menu("severity", "Severity", sev...),
		menu("assignee", "Assignee", selectOption{Value: "", Label: "Anyone"}, selectOption{Value: "me", Label: "Me"},
			selectOption{Value: "none", Label: "Nobody yet"}), menu("sort", "Order", order...)}
}

// chosen is menu name (its id prefix+name) with the choice in q selected.
func chosen(q url.Values, prefix, name, label string, opts []selectOption) filterSelect {
	for i := range opts {
		opts[i].Selected = opts[i].Value == q.Get(name)
	}
	return filterSelect{ID: prefix + name, Name: name, Label: label, Options: opts}
}

// bulkSelects are the bulk form's menus, with the choices in form (a
// refused form's) selected: each leaves the field alone unless a value is
// chosen.
func bulkSelects(form url.Values) []filterSelect {
	status := []selectOption{{Value: "", Label: "Keep status"}}
	for _, st := range ally.Statuses {
		status = append(status, selectOption{Value: string(st), Label: statusNames[st]})
	}
	sev := []selectOption{{Value: "", Label: "Keep severity"}}
	for _, v := range ally.Severities {
		sev = append(sev, selectOption{Value: string(v), Label: severityNames[v]})
	}
	who := []selectOption{{Value: "", Label: "Keep assignee"}, {Value: "me", Label: "Assign to me"},
		{Value: "none", Label: "Unassign"}}
	return []filterSelect{chosen(form, "b-", "status", "Status", status),
		chosen(form, "b-", "severity", "Severity", sev), chosen(form, "b-", "assignee", "Assignee", who)}
}

// queueItem is a case in the queue with its deadline in words.
type queueItem struct {
	*ally.Case
	Due     string // "Reply due in 20 minutes", "Fix overdue"
	Overdue bool
	Mine    bool // assigned to the person looking
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
	p, err := s.queuePage(r, u)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("part") == "rows" { // the live refresh asks for the table alone
		return s.renderRows(w, p)
	}
	return s.render(w, http.StatusOK, "queue", p)
}

// queuePage reads the queue as r's query asks.
func (s *Server) queuePage(r *http.Request, u *ally.User) (*queuePage, error) {
	q := r.URL.Query()
	f, err := caseFilter(r)
	if err != nil {
		return nil, err
	}
	switch q.Get("status") {
	case "":
		f.Open = true
	case "all":
		f.Status = nil
	}
	if f.Sort == "" {
		f.Sort = "priority"
	}
	f.Limit = queueLimit
	page, err := s.Cases.FindCases(r.Context(), f)
	if err != nil {
		return nil, err
	}
	counts, err := s.Cases.CountCases(r.Context())
	if err != nil {
		return nil, err
	}
	p := &queuePage{chrome: chromeFor(r, "Queue"), Now: s.Now(), Filter: q.Get("status"), Selects: filterSelects(q),
		Query: q.Get("q"), Sort: f.Sort, Bulk: bulkSelects(nil), Back: queueHref(q, "", ""),
		CanLink: s.Links != nil}
	p.Columns = queueColumns(q, f.Sort)
	for _, v := range queueViews {
		href := "/queue?" + v.query
		p.Views = append(p.Views, queueView{Label: v.label, Href: href, Current: p.Back == href})
	}
	for _, st := range ally.Statuses {
		p.Counts = append(p.Counts, statusCount{st, counts[st]})
		if st.Open() {
			p.OpenCount += counts[st]
		}
	}
	for _, c := range page.Items {
		it := dueItem(c, p.Now)
		it.Mine = c.AssigneeID == u.ID
		p.Items = append(p.Items, it)
	}
	p.Pages = newPager(r, "/queue", cursorOf(page.NextCursor), pageWords)
	return p, nil
}

// queueHref is the queue's address with q's parameters, key set to value
// (or removed when value is empty), and never a cursor unless key is one.
func queueHref(q url.Values, key, value string) string {
	next := url.Values{}
	for k, v := range q {
		if k != "cursor" && k != backParam && k != "part" && k != "done" && len(v) > 0 && v[0] != "" {
			next[k] = v
		}
	}
	if key != "" {
		next.Del(key)
		if value != "" {
			next.Set(key, value)
		}
	}
	if len(next) == 0 {
		return "/queue"
	}
	return "/queue?" + next.Encode()
}

// queueColumns are the table's headings: a sortable one links to its order,
// or to the reverse when the table is already in it.
func queueColumns(q url.Values, sort string) []queueColumn {
	var out []queueColumn
	for _, c := range queueSorts {
		col := queueColumn{Label: c.label}
		if c.sort != "" {
			next := c.sort
			switch sort {
			case c.sort:
				col.AriaSort = map[bool]string{true: "descending", false: "ascending"}[strings.HasPrefix(sort, "-")]
				next = reverseSort(c.sort)
			case reverseSort(c.sort):
				col.AriaSort = map[bool]string{true: "descending", false: "ascending"}[strings.HasPrefix(sort, "-")]
			}
			col.Href = queueHref(q, "sort", next)
		}
		out = append(out, col)
	}
	return out
}

func reverseSort(s string) string {
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		return rest
	}
	return "-" + s
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

// postQueueBulk is the queue's form: one-click "Acknowledge" and "Assign to
// me" on a row (act=ack:REF, act=mine:REF), one change to every ticked row,
// or the ticked rows marked duplicates of one case (link=duplicate, or a
// case to keep typed with no change chosen). It returns to the queue as it
// was; cases that could not change are listed at its top, still ticked, the
// others changed.
func (s *Server) postQueueBulk(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if err := r.ParseForm(); err != nil {
		return fieldError("body", "could not be read; send the form again.")
	}
	back := localPath(r.PostForm.Get("back"))
	if back != "/queue" && !strings.HasPrefix(back, "/queue?") {
		back = "/queue"
	}
	refs, up := r.PostForm["ref"], ally.CaseUpdate{}
	act, ref, isAct := strings.Cut(r.PostForm.Get("act"), ":")
	if isAct {
		refs = []string{ref}
		switch act {
		case "ack":
			up.Status = ptrTo(ally.StatusAcknowledged)
		case "mine":
			up.Assignee = &u.Email
		default:
			return fieldError("act", "%q is not an action; use the buttons on the queue.", act)
		}
	} else {
		if st := ally.Status(r.PostForm.Get("status")); st != "" {
			up.Status = &st
		}
		if sev := ally.Severity(r.PostForm.Get("severity")); sev != "" {
			up.Severity = &sev
		}
		switch r.PostForm.Get("assignee") {
		case "":
		case "me":
			up.Assignee = &u.Email
		case "none":
			up.Assignee = ptrTo("")
		default:
			return fieldError("assignee", "choose Assign to me or Unassign.")
		}
	}
	keep := strings.TrimSpace(r.PostForm.Get("duplicate_of"))
	changing := up.Status != nil || up.Severity != nil || up.Assignee != nil
	linking := !isAct && (r.PostForm.Get("link") == "duplicate" || (keep != "" && !changing))
	refused := func(ticked []string, problem string, problems []string, keepProblem string) error { // everything sent kept
		return s.queueRefused(w, r, u, back, func(p *queuePage) {
			p.Problem, p.Problems, p.Bulk = problem, problems, bulkSelects(r.PostForm)
			p.DuplicateOf, p.DuplicateProblem = keep, keepProblem
			p.Ticked = map[string]bool{}
			for _, ref := range ticked {
				p.Ticked[ref] = true
			}
		})
	}
	switch {
	case len(refs) == 0:
		return refused(refs, "Tick at least one case, then choose what to change.", nil, "")
	case linking && changing:
		return refused(refs, "Change the ticked cases or mark them as duplicates, one at a time: set the menus "+
			"back to Keep to mark them, or empty Case to keep to change them.", nil, "")
	case !linking && !changing:
		return refused(refs, "Choose a status, a severity or an assignee to change.", nil, "")
	}
	var (
		results []ally.BulkResult
		err     error
	)
	if linking {
		if s.Links == nil {
			return errNoLinks
		}
		results, err = s.Links.LinkDuplicates(r.Context(), refs, ally.BulkLink{DuplicateOf: keep})
		if msg := ally.ErrorMessage(err); strings.HasPrefix(msg, "link.duplicate_of: ") {
			return refused(refs, "", nil, plainMessage(msg))
		}
	} else {
		results, err = s.Cases.BulkUpdate(r.Context(), refs, up)
	}
	if err != nil {
		return err
	}
	var problems, failed []string
	for _, res := range results {
		if res.Error != nil {
			problems, failed = append(problems, res.Ref+": "+plainMessage(res.Error.Message)), append(failed, res.Ref)
		}
	}
	if len(problems) > 0 {
		return refused(failed, "", problems, "")
	}
	done := map[bool]string{false: "bulk", true: "duplicates"}[linking]
	sep := "?"
	if strings.Contains(back, "?") {
		sep = "&"
	}
	return redirect(w, r, back+sep+"done="+done)
}

// queueRefused shows the queue at back again after a refused form, with
// what could not be done and what was sent (fill).
func (s *Server) queueRefused(w http.ResponseWriter, r *http.Request, u *ally.User, back string,
	fill func(p *queuePage)) error {
	to, err := url.Parse(back)
	if err != nil {
		return err
	}
	r2 := r.Clone(r.Context())
	r2.URL = to
	p, err := s.queuePage(r2, u)
	if err != nil {
		return err
	}
	fill(p)
	return s.render(w, http.StatusUnprocessableEntity, "queue", p)
}

func ptrTo[T any](v T) *T { return &v }

// renderRows sends the queue's table alone, for the live refresh.
func (s *Server) renderRows(w http.ResponseWriter, p *queuePage) error {
	var buf bytes.Buffer
	if err := views["queue"].ExecuteTemplate(&buf, "queue_table", p); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, err := buf.WriteTo(w)
	return err
}
