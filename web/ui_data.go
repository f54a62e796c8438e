package web

import (
	"net/http"
	"regexp"
	"strconv"

	"github.com/allydesk/ally"
)

// dataPage is the admins' page for the retention policy and a person's
// data (export and erasure).
type dataPage struct {
	chrome
	Rows   []retentionRow
	Error  string // what was wrong with the policy form
	Saved  bool
	Erased *ally.Erasure
	// PersonError is what was wrong with the export or erase form, and
	// Email what was typed there.
	PersonError, Email string
}

// retentionRow is one kind's line of the policy form; Kind "*" is every
// other kind.
type retentionRow struct {
	Kind, Label, Action, Days string
}

var errNotAdminData = ally.Errorf(ally.EFORBIDDEN, "Only admins can change how long data is kept.")

func (s *Server) pageData(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	p, err := s.dataPage(r, u, nil)
	if err != nil {
		return err
	}
	p.Saved = r.URL.Query().Get("saved") == "1"
	return s.render(w, http.StatusOK, "data", p)
}

// dataPage builds the page with the stored policy, or with typed (the
// form as sent) when it was refused.
func (s *Server) dataPage(r *http.Request, u *ally.User, typed map[string][2]string) (*dataPage, error) {
	svc, err := s.retention()
	if err != nil {
		return nil, err
	}
	if !ally.CanManageRetention(u) {
		return nil, errNotAdminData
	}
	rules, err := svc.RetentionRules(r.Context())
	if err != nil {
		return nil, err
	}
	p := &dataPage{chrome: chromeFor(r, "Data and retention")}
	kinds := append([]string{ally.RetainAnyKind}, kindStrings()...)
	for _, k := range kinds {
		row := retentionRow{Kind: k, Label: ally.Kind(k).Name(), Action: "keep"}
		if k == ally.RetainAnyKind {
			row.Label = "Every other kind"
		}
		if rule, ok := findRule(rules, k); ok {
			row.Action, row.Days = rule.Action, strconv.Itoa(rule.Days)
		}
		if t, ok := typed[k]; ok {
			row.Action, row.Days = t[0], t[1]
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

func kindStrings() []string {
	out := make([]string, len(ally.Kinds))
	for i, k := range ally.Kinds {
		out[i] = string(k)
	}
	return out
}

func findRule(rules []ally.RetentionRule, kind string) (ally.RetentionRule, bool) {
	for _, r := range rules {
		if r.Kind == kind {
			return r, true
		}
	}
	return ally.RetentionRule{}, false
}

// postRetention saves the policy form; a refused form comes back as typed,
// with the problem above it.
func (s *Server) postRetention(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	svc, err := s.retention()
	if err != nil {
		return err
	}
	typed := map[string][2]string{}
	var rules []ally.RetentionRule
	var formErr error
	for _, k := range append([]string{ally.RetainAnyKind}, kindStrings()...) {
		action, days := r.PostFormValue("action-"+k), r.PostFormValue("days-"+k)
		typed[k] = [2]string{action, days}
		if action == "" || action == "keep" {
			continue
		}
		n, err := strconv.Atoi(days)
		if err != nil && formErr == nil {
			formErr = ally.Errorf(ally.EINVALID, "%s: give the number of days, e.g. 365.", rowLabel(k))
		}
		rules = append(rules, ally.RetentionRule{Kind: k, Action: action, Days: n})
	}
	if formErr == nil {
		_, formErr = svc.SetRetentionRules(r.Context(), rules)
	}
	if formErr == nil {
		http.Redirect(w, r, "/admin/data?saved=1", http.StatusSeeOther)
		return nil
	}
	if ally.ErrorCode(formErr) != ally.EINVALID {
		return formErr
	}
	p, err := s.dataPage(r, u, typed)
	if err != nil {
		return err
	}
	p.Error = retentionProblem(formErr, rules)
	return s.render(w, http.StatusUnprocessableEntity, "data", p)
}

// ruleField is the field a retention rule's problem names: rules[N].days.
var ruleField = regexp.MustCompile(`^rules\[(\d+)\]\.[a-z]+$`)

// retentionProblem is a refused policy's problem for the page: one about
// a rule names the rule's row ("Every other kind: 5 is out of range; …"),
// as the page lists them, not its place in the list the API is sent.
func retentionProblem(err error, rules []ally.RetentionRule) string {
	field, problem, ok := splitField(ally.ErrorMessage(err))
	if m := ruleField.FindStringSubmatch(field); ok && m != nil {
		if i, err := strconv.Atoi(m[1]); err == nil && i < len(rules) {
			return rowLabel(rules[i].Kind) + ": " + problem
		}
	}
	return pageMessage(err)
}

func rowLabel(kind string) string {
	if kind == ally.RetainAnyKind {
		return "Every other kind"
	}
	return ally.Kind(kind).Name()
}

// getPersonData downloads a person's data as JSON.
func (s *Server) getPersonData(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	email := r.URL.Query().Get("email")
	d, err := s.Users.ExportPerson(r.Context(), email)
	if code := ally.ErrorCode(err); code == ally.ENOTFOUND || code == ally.EINVALID {
		return s.personFormError(w, r, u, email, err)
	} else if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="ally-personal-data.json"`)
	writeJSON(w, http.StatusOK, d)
	return nil
}

// postErasePerson erases a person's data once the admin has ticked that
// they understand it cannot be undone.
func (s *Server) postErasePerson(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	email := r.PostFormValue("email")
	if r.PostFormValue("confirm") != "1" {
		return s.personFormError(w, r, u, email, ally.Errorf(ally.EINVALID,
			"Tick the box to confirm: erasing cannot be undone."))
	}
	e, err := s.Users.ErasePerson(r.Context(), email)
	if code := ally.ErrorCode(err); code == ally.ENOTFOUND || code == ally.EINVALID {
		return s.personFormError(w, r, u, email, err)
	} else if err != nil {
		return err
	}
	p, err := s.dataPage(r, u, nil)
	if err != nil {
		return err
	}
	p.Erased = e
	return s.render(w, http.StatusOK, "data", p)
}

func (s *Server) personFormError(w http.ResponseWriter, r *http.Request, u *ally.User, email string,
	cause error) error {
	p, err := s.dataPage(r, u, nil)
	if err != nil {
		return err
	}
	p.Email, p.PersonError = email, pageMessage(cause)
	return s.render(w, http.StatusUnprocessableEntity, "data", p)
}
