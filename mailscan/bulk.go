package mailscan

import "strings"

// listUnsubscribe raises no-list-unsubscribe for bulk mail (an unsubscribe
// line or link in the body) that carries no List-Unsubscribe header. Since
// 2024 the large mailbox providers require the header (with one-click
// unsubscribe) from everyone sending marketing in bulk, and mailing
// services add it for their customers; mail that looks like a newsletter
// without it was sent by a kit, not by a compliant sender. Weak alone (it
// counts as a throwaway sender in several-kinds): older and home-made
// newsletters lack it too.
func (a *analysis) listUnsubscribe() {
	if a.inline || a.p.get("List-Unsubscribe") != "" {
		return
	}
	if hits := a.cues["unsubscribe"]; len(hits) > 0 {
		a.sig.add("no-list-unsubscribe", "%q in the body, no List-Unsubscribe header", hits[0].text)
		return
	}
	for _, l := range a.links {
		if h := strings.ToLower(l.href); strings.Contains(h, "unsub") || strings.Contains(h, "optout") ||
			strings.Contains(h, "opt-out") {
			a.sig.add("no-list-unsubscribe", "an unsubscribe link, no List-Unsubscribe header")
			return
		}
	}
}
