package web

import (
	"html/template"
	"regexp"
	"strings"
	"time"

	"github.com/allydesk/ally"
)

// statusWords say where a case is, in the reporter's terms.
var statusWords = map[ally.Status]string{
	ally.StatusNew:           "Sent. The team will look at it soon.",
	ally.StatusAcknowledged:  "Seen. Someone from the team has it.",
	ally.StatusInvestigating: "We are looking into it.",
	ally.StatusContained:     "Under control. We are finishing up.",
	ally.StatusResolved:      "All sorted.",
	ally.StatusClosed:        "All sorted and closed.",
}

// statusNames are short status names for lists and controls.
var statusNames = map[ally.Status]string{
	ally.StatusNew:           "New",
	ally.StatusAcknowledged:  "Seen",
	ally.StatusInvestigating: "Looking into it",
	ally.StatusContained:     "Under control",
	ally.StatusResolved:      "Sorted",
	ally.StatusClosed:        "Closed",
}

// severityNames are severities as the screens show them.
var severityNames = map[ally.Severity]string{
	ally.SeverityLow: "Low", ally.SeverityMedium: "Medium", ally.SeverityHigh: "High", ally.SeverityCritical: "Critical",
}

// progressStep is one stop on the reporter's progress line.
type progressStep struct {
	Label   string
	Done    bool
	Current bool
}

// progress returns the reporter's four-stop progress line for a status.
func progress(st ally.Status) []progressStep {
	stops := []struct {
		label string
		from  []ally.Status
	}{
		{"Sent", ally.Statuses},
		{"Seen", ally.Statuses[1:]},
		{"Being sorted", ally.Statuses[2:]},
		{"Sorted", ally.Statuses[4:]},
	}
	out := make([]progressStep, len(stops))
	last := 0
	for i, s := range stops {
		for _, v := range s.from {
			if v == st {
				out[i].Done = true
				last = i
			}
		}
		out[i].Label = s.label
	}
	out[last].Current = true
	return out
}

// textLimits are the most characters each free-text box takes, as the
// service checks them (ally.TooLong); the boxes show them and the page checks
// them before sending.
var textLimits = map[string]int{"summary": ally.MaxSummary, "details": ally.MaxDetails, "body": ally.MaxBody}

// linkRoles say what a linked case is to the case on the page.
var linkRoles = map[string]string{
	ally.RoleSurvivor:  "this case is its duplicate",
	ally.RoleDuplicate: "a duplicate of this case",
	ally.RoleRelated:   "related",
}

// ruleName is a tone rule as a person reads it: "why-did-you" becomes
// “Why did you …” wording; learned findings name what was learned.
func ruleName(id string) string {
	if kind, ok := strings.CutPrefix(id, "learned-"); ok {
		return "Learned from examples: " + kind + " wording"
	}
	words := strings.ReplaceAll(id, "-", " ")
	if words == "" {
		return ""
	}
	return "“" + strings.ToUpper(words[:1]) + words[1:] + " …” wording"
}

// ownerNames and phaseNames are the task fields as people read them.
var (
	ownerNames = map[string]string{"responder": "security team", "reporter": "reporter"}
	phaseNames = map[string]string{"contain": "contain", "investigate": "investigate", "recover": "recover",
		"learn": "learn from it"}
)

// eventPattern matches the status and severity entries the store writes
// ("Status changed from acknowledged to resolved.").
var eventPattern = regexp.MustCompile(`^(Status|Severity) changed from (\w+) to (\w+)\.$`)

// eventText is a timeline event in the screens' one vocabulary: a status
// or severity change says "Seen to Sorted", not "acknowledged to resolved".
func eventText(body string) string {
	m := eventPattern.FindStringSubmatch(body)
	if m == nil {
		return body
	}
	name := func(v string) string {
		if m[1] == "Status" {
			return statusNames[ally.Status(v)]
		}
		return severityNames[ally.Severity(v)]
	}
	from, to := name(m[2]), name(m[3])
	if from == "" || to == "" {
		return body
	}
	return m[1] + " changed from " + from + " to " + to + "."
}

// openTasksText warns a responder about to resolve a case with n tasks open.
func openTasksText(n int) string {
	if n == 1 {
		return "1 task is still open: resolve anyway?"
	}
	return ally.Count(n) + " tasks are still open: resolve anyway?"
}

// viewFuncs are the helpers templates may call.
var viewFuncs = template.FuncMap{
	"asset":      assetURL,
	"kindChoice": ally.Kind.ReporterLabel,
	"kindName":   ally.Kind.Name,
	"statusWord": func(s ally.Status) string { return statusWords[s] },
	"statusName": func(s ally.Status) string { return statusNames[s] },
	"sevName":    func(s ally.Severity) string { return severityNames[s] },
	"progress":   progress,
	"limit":      func(box string) string { return ally.Count(textLimits[box]) },
	"limitN":     func(box string) int { return textLimits[box] },
	"openTasks":  openTasksText,
	"ruleName":   ruleName,
	"eventText":  eventText,
	"ownerName":  func(o string) string { return ownerNames[o] },
	"phaseName":  func(p string) string { return phaseNames[p] },
	"linkRole":   func(role string) string { return linkRoles[role] },
	"ago":        ago,
	"within":     within,
	"stamp":      func(t time.Time) string { return t.Format("2 Jan 2006, 15:04 MST") },
	"iso":        func(t time.Time) string { return t.UTC().Format(time.RFC3339) },

	"canChangePassword": canChangePassword,
	"nav":               navFor,
	"account":           accountFor,
}

// canChangePassword reports whether u has a password of their own to change.
func canChangePassword(u *ally.User) bool { return ally.CanChangeOwnPassword(u) && u.HasPassword }
