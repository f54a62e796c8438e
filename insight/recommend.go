package insight

import (
	"fmt"

	"github.com/allydesk/ally"
)

// topics maps a kind or lure to the training that addresses it.
var topics = map[string][2]string{
	"clicked_link":          {"Checking a link before you click", "links were clicked"},
	"entered_credentials":   {"Spotting fake sign-in pages", "passwords were typed into fake pages"},
	"opened_attachment":     {"Opening files safely", "risky attachments were opened"},
	"unexpected_mfa_prompt": {"Saying no to sign-in prompts you didn't start", "people got prompts they did not ask for"},
	"misdirected_data":      {"Checking who an email goes to", "data was sent to the wrong person"},
	"lost_device":           {"Keeping devices safe when travelling", "devices were lost"},
	"suspicious_call":       {"Handling calls that ask for codes or passwords", "callers asked for information"},
	"urgency":               {"Slowing down when a message rushes you", "reported emails used urgency"},
	"authority": {"Checking requests that claim to come from bosses or IT",
		"reported emails claimed authority"},
	"fear":      {"Staying calm when a message threatens you", "reported emails used fear"},
	"reward":    {"Spotting too-good-to-be-true offers", "reported emails promised rewards"},
	"curiosity": {"Pausing before opening the unexpected", "reported emails played on curiosity"},
	"secrecy":   {"Asking for help when told to keep a secret", "reported emails asked for secrecy"},
}

// recommend ties training topics to the evidence: the commonest mistakes
// and lures (groups of at least ally.MinGroup), rushing, and quarter ends.
func recommend(in *ally.Insights, t *Tally) []ally.Recommendation {
	out := []ally.Recommendation{}
	add := func(g ally.Group, of string) {
		if tp, ok := topics[g.Name]; ok && g.Count >= ally.MinGroup && len(out) < 6 {
			name := g.Name
			if k := ally.Kind(g.Name); k.Valid() {
				name = k.Name() // as the screens name it, never the stored id
			}
			out = append(out, ally.Recommendation{Topic: tp[0], Why: fmt.Sprintf("%d %s %s", g.Count, of, tp[1]),
				Evidence: fmt.Sprintf("%s: %d of %d", name, g.Count, t.cases)})
		}
	}
	for _, g := range in.Kinds {
		if ally.Kind(g.Name).SelfReported() {
			add(g, "times")
		}
	}
	for _, g := range in.Lures {
		add(g, "of")
	}
	if yes := t.pressure["yes"]; yes >= ally.MinGroup {
		out = append(out, ally.Recommendation{Topic: "Making it OK to slow down",
			Why:      fmt.Sprintf("%d people said they felt rushed when it happened", yes),
			Evidence: fmt.Sprintf("felt rushed, said yes: %d", yes)})
	}
	if s := in.EndOfQuarter.Share; s != nil && *s > 0.25 && t.quarterEnd >= ally.MinGroup {
		out = append(out, ally.Recommendation{Topic: "Extra care at busy times like quarter end",
			Why:      fmt.Sprintf("%.0f%% of cases happened in the last two weeks of a quarter", *s*100),
			Evidence: fmt.Sprintf("end of quarter: %d of %d", t.quarterEnd, t.cases)})
	}
	return out
}
