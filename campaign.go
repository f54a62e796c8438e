package ally

import (
	"fmt"
	"time"
)

// CampaignWindow is how far back a new report looks for its campaign: a
// reported email joins a campaign last seen within it.
const CampaignWindow = 30 * 24 * time.Hour

// CampaignOutcomes holds the message, one per verdict, that the deciding
// responder sends every reporter of a campaign. They pass the tone engine
// for the reporter audience and read at grade 8 or lower (tested). None
// claims an action: that the email was blocked is said only when the
// decision says a responder blocked it (CampaignBlocked).
var CampaignOutcomes = map[string]string{
	"malicious": "Thank you for reporting this email. It was a phishing attack. " +
		"Your report helped keep the team safe. Please delete it. " +
		"If you clicked a link or typed a password, just tell us here and we will help.",
	"suspicious": "Thank you for reporting this email. It looked risky, so please delete it. " +
		"Your report helped. If you clicked a link or typed a password, just tell us here and we will help.",
	"spam": "Thank you for reporting this email. It was spam: unwanted mail, but not an attack. " +
		"You can delete it. It is always OK to ask.",
	"clean": "Thank you for checking with us. We looked at this email and it is safe, so you can use it as normal. " +
		"It is always OK to ask.",
	"simulation": "Well spotted! This was one of our practice emails, not a real attack. " +
		"Thank you for reporting it. Keep reporting emails that look odd.",
}

// CampaignBlocked is added to the outcome when a responder blocked the
// email for everyone (CampaignDecision.Blocked).
const CampaignBlocked = " We have blocked it for everyone."

// CampaignVerdicts lists the verdicts a responder can give, in the order
// screens show them.
var CampaignVerdicts = []string{"malicious", "suspicious", "spam", "clean", "simulation"}

// canBlock reports whether an email with this verdict can have been blocked.
func canBlock(verdict string) bool {
	return verdict == "malicious" || verdict == "suspicious" || verdict == "spam"
}

// Validate checks a decision's verdict and returns EINVALID naming it.
func (d CampaignDecision) Validate() error {
	if _, ok := CampaignOutcomes[d.Verdict]; !ok {
		return Errorf(EINVALID, "verdict: %q is not a verdict; use malicious, suspicious, spam, clean or "+
			"simulation.", d.Verdict)
	}
	if d.Blocked && !canBlock(d.Verdict) {
		return Errorf(EINVALID, "blocked: a %s email is not blocked; leave blocked off, or choose malicious, "+
			"suspicious or spam.", d.Verdict)
	}
	return nil
}

// Resolves reports whether the decision resolves the open linked cases:
// yes unless it says otherwise.
func (d CampaignDecision) Resolves() bool { return d.Resolve == nil || *d.Resolve }

// Outcome is the message the decision sends each linked reporter. It is
// Ally's own wording, tested to pass the tone gate, so it is sent confirmed:
// should an organisation's learned tone layer ever flag it, the decision
// still reaches every reporter and the audit log says so.
func (d CampaignDecision) Outcome() NewMessage {
	body := CampaignOutcomes[d.Verdict]
	if d.Blocked && canBlock(d.Verdict) {
		body += CampaignBlocked
	}
	return NewMessage{Body: body, Confirmed: true}
}

// AllCampaignOutcomes lists every message a decision can send.
func AllCampaignOutcomes() []string {
	var out []string
	for _, v := range CampaignVerdicts {
		out = append(out, CampaignOutcomes[v])
		if canBlock(v) {
			out = append(out, CampaignOutcomes[v]+CampaignBlocked)
		}
	}
	return out
}

// ShowTo fills c.Cases with the refs of the linked cases u may see and
// counts the rest (confidential cases u is not on) in c.HiddenCases. When u
// may see none of them, the email's subject and sender are hidden too: they
// come from those cases' emails.
func (c *Campaign) ShowTo(u *User, linked []*Case) *Campaign {
	seen, hidden := CampaignCasesFor(u, linked)
	c.Cases, c.HiddenCases = []string{}, hidden
	for _, k := range seen {
		c.Cases = append(c.Cases, k.Ref)
	}
	if len(seen) == 0 && hidden > 0 {
		c.Subject, c.SenderDomain = HiddenCampaignSubject, ""
	}
	return c
}

// HiddenCampaignSubject stands in for the subject of a campaign whose every
// case the reader may not see.
const HiddenCampaignSubject = "(confidential)"

// CampaignCasesFor splits a campaign's linked cases into those u may see,
// which u's decision on the campaign answers and resolves, and a count of
// the rest, which it leaves for someone who can see them.
func CampaignCasesFor(u *User, linked []*Case) (seen []*Case, hidden int) {
	for _, k := range linked {
		if CanSeeCase(u, k) {
			seen = append(seen, k)
		} else {
			hidden++
		}
	}
	return seen, hidden
}

// SeverityAfterAnalysis is the severity of case c once one of its reported
// emails was analysed with verdict and score: at least high when the
// analysis found it malicious. reason, for the timeline, is empty when the
// severity stays as it is.
func SeverityAfterAnalysis(c *Case, name, verdict string, score int) (_ Severity, reason string) {
	if verdict != "malicious" || c.Severity.Rank() >= SeverityHigh.Rank() {
		return c.Severity, ""
	}
	return SeverityHigh, fmt.Sprintf("Severity raised from %s to high: the email analysis judged %s malicious "+
		"(score %d). A responder can lower it again.", c.Severity, name, score)
}

// TakesAutoVerdict reports whether a newly reported email of campaign c,
// analysed with score, becomes the campaign's automatic verdict: the first
// one, or one more worrying than the verdict it has.
func (c *Campaign) TakesAutoVerdict(score int) bool {
	return c.AutoVerdict == "" || score > c.AutoScore
}
