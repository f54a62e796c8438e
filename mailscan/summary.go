package mailscan

import (
	"fmt"
	"strings"
)

// reporterSummary writes two or three short, kind sentences for the person
// who reported the message: what it was, and that reporting it helped.
// It names no technical terms, never suggests the reader did wrong, and
// promises nothing the team has not done: the analysis blocks nothing, so
// it never says the message was blocked, and it calls nothing safe.
func reporterSummary(a *analysis) string {
	r := a.r
	if r.Verdict == VerdictClean && r.Bulk != nil {
		// Marketing the reporter may have signed up for: say what it is,
		// kindly, so a genuine newsletter is not taken for a scam; links
		// still wait for the team, as for any clean message.
		return "This looks like a marketing email from a mailing list you may be on. Our first check found no signs " +
			"of a trick, and someone on our team will look at it too. Thank you for checking with us: if you don't " +
			"want these emails, you can unsubscribe after that or just delete them."
	}
	if r.Verdict == VerdictClean {
		// Not "safe": only a person on the team says so (the campaign
		// decision), and until then the case's first aid still says to
		// leave its links alone.
		return "Our first check found no signs of a trick, and someone on our team will look at it too. " +
			"Thank you for checking with us. It's always OK to ask."
	}
	what := "This email showed warning signs of a scam"
	who := ""
	if b := a.claimedBrand(); b != nil && !b.ownedBy(domainOf(r.From)) {
		who = b.Name
	} else if a.sig.has("role-impersonation") || a.sig.has("bec-payment") {
		who = "someone you work with"
	}
	if who != "" {
		what = "This email pretended to come from " + who
	}
	rushed := a.categories(LureUrgency, LureFear) > 0
	aim := ""
	switch {
	case a.sig.has("executable-attachment") || a.sig.has("double-extension") || a.sig.has("archive-risky-entry") ||
		a.sig.has("html-smuggling") || a.sig.has("macro-attachment"):
		aim = pick(rushed, "carried a file that could harm your computer",
			"tried to rush you into opening a file that could harm your computer")
	case a.sig.has("qr-code-lure") || a.qrRisky():
		aim = pick(rushed, "asked you to scan a code "+a.qrDestination(),
			"tried to rush you into scanning a code "+a.qrDestination())
	case a.sig.has("giftcard-request"):
		aim = pick(rushed, "asked you to buy gift cards", "tried to rush you into buying gift cards")
	case a.sig.has("bec-payment") || a.sig.has("payment-request"):
		aim = pick(rushed, "asked for a payment or new bank details", "tried to rush a payment or a change of bank details")
	case a.sig.has("credential-request") || a.sig.has("password-form") || a.sig.has("html-attachment"):
		aim = pick(rushed, "tried to get you to sign in on a fake page", "tried to rush you into signing in on a fake page")
	case a.sig.has("mfa-lure"):
		aim = pick(rushed, "tried to get a sign-in code from you", "tried to rush you into sharing a sign-in code")
	case len(a.hosts) > 0:
		aim = pick(rushed, "tried to get you to open a link", "tried to rush you into opening a link")
	}
	var b strings.Builder
	b.WriteString(what)
	if aim != "" {
		b.WriteString(" and " + aim)
	}
	b.WriteString(". ")
	if r.Verdict == VerdictMalicious {
		b.WriteString("Thank you for reporting it: it helps us keep everyone safe. ")
	} else {
		b.WriteString("We will take a closer look, and reporting it was the right thing to do. ")
	}
	b.WriteString("If you clicked or replied, that's OK: just tell us and we'll help.")
	return b.String()
}

// responderSummary is one line for the responder: verdict, score and the
// strongest evidence.
func responderSummary(r *Report) string {
	var top []string
	for _, s := range r.Signals {
		if s.Weight > 0 && len(top) < 3 {
			top = append(top, s.ID)
		}
	}
	if len(top) == 0 {
		top = []string{"no warning signals"}
	}
	return fmt.Sprintf("%s (score %d): %s; %d URL(s), %d attachment(s).", r.Verdict, r.Score, strings.Join(top, ", "),
		len(r.IOCs.URLs), len(r.Attachments))
}

// pick returns calm, or rushed when the message used urgency or fear.
func pick(rushed bool, calm, hurried string) string {
	if rushed {
		return hurried
	}
	return calm
}

// qrRisky reports whether a link read from a QR code goes to a risky host
// (look-alike, bare IP, shortener, free hosting, unusual domain).
func (a *analysis) qrRisky() bool {
	for _, h := range a.qrLinkHosts() {
		if risky, _ := hostRisky(h); risky {
			return true
		}
	}
	return false
}

// qrDestination says where the message's QR code leads, in plain words, as
// far as we know: what the decoded link shows, or, when no code could be
// read, that it leads to a fake page (the lure asks to sign in or pay).
func (a *analysis) qrDestination() string {
	hosts := a.qrLinkHosts()
	if len(hosts) == 0 {
		return "that leads to a fake page"
	}
	for _, h := range hosts {
		if _, b := hostRisky(h); b != nil {
			return "that opens a site made to look like " + b.Name
		}
	}
	if a.qrRisky() {
		return "that opens a website that looks unsafe"
	}
	if b := a.claimedBrand(); b != nil {
		for _, h := range hosts {
			if !b.ownedBy(h) {
				return "that opens a site that does not belong to " + b.Name
			}
		}
	}
	return "that opens a website on your phone"
}
