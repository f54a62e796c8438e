package mailscan

import (
	"sort"
	"strings"
)

// signalKinds sorts the signals that are weak alone into independent
// kinds of evidence: how the message hides from filters, where it comes
// from, where it sends the reader, who it claims to be, and what it asks
// for.
// Phishing is built from several kinds at once; ordinary mail that trips
// one weak signal rarely trips another of a different kind.
var signalKinds = map[string]string{
	"noise-token": "evasion", "hidden-text": "evasion", "disguised-letters": "evasion", "invisible-text": "evasion",
	"image-only": "evasion", "recipient-in-subject": "evasion", "utf7-text": "evasion",
	"sender-platform": "sender", "random-sender": "sender", "random-mailbox": "sender",
	"free-hosting-link": "links", "url-shortener": "links", "ip-url": "links", "punycode-domain": "links",
	"pdf-link": "links", "recipient-in-link": "links",
	"risky-tld":         "links", // "sender" when raised for the sender's domain, see kindOf
	"reply-to-freemail": "identity", "reply-to-mismatch": "identity", "auth-spf-fail": "identity",
	"auth-dkim-fail": "identity", "fake-reply": "identity", "brand-from-personal": "identity",
	"contact-elsewhere": "identity", "celebrity-name": "identity",
	"scam-theme": "request", "credential-request": "request", "payment-request": "request", "mfa-lure": "request",
	"model-phish": "request", "model-phish-strong": "request", "generic-greeting": "request",
	"qr-code-wording": "request",
}

// kindOf returns the kind of evidence a signal is, "" for none. Cheap
// infrastructure is two kinds: a throwaway sender, and links whose
// destination is hidden or cheap, which are chosen apart.
func kindOf(s Signal) string {
	if s.ID == "risky-tld" && strings.HasPrefix(s.Evidence, "sender domain") {
		return "sender"
	}
	return signalKinds[s.ID]
}

// corroborate raises several-kinds when the message carries weak signals
// of at least corroborateKinds different kinds.
func (a *analysis) corroborate() {
	kinds := map[string]string{}
	for _, s := range a.sig.list {
		if k := kindOf(s); k != "" {
			if _, seen := kinds[k]; !seen {
				kinds[k] = s.ID
			}
		}
	}
	// A free-mail address is throwaway infrastructure too when it offers
	// what scams offer (prizes, crypto, money) or writes to no one in
	// particular: organisations do not send those from personal accounts.
	// Questions about accounts or payments from a person's own address
	// are everyday mail, so they do not count.
	// So is one whose message is a few words and a PDF that links
	// elsewhere (pdf-link): a document lure, not a person's note.
	if _, seen := kinds["sender"]; !seen && rules.freemail[domainOf(a.r.From)] && (a.scamOffer() ||
		a.sig.has("pdf-link")) {
		kinds["sender"] = "free-mail sender"
	}
	if len(kinds) < corroborateKinds {
		return
	}
	var parts []string
	for k, id := range kinds {
		parts = append(parts, k+" ("+id+")")
	}
	sort.Strings(parts)
	a.sig.add("several-kinds", "%s", strings.Join(parts, ", "))
}

// scamOffer reports whether the message offers what scams offer or greets
// no one in particular, by the rules or the model.
func (a *analysis) scamOffer() bool {
	for _, id := range []string{"scam-theme", "scam-theme-strong", "model-phish", "model-phish-strong",
		"generic-greeting"} {
		if a.sig.has(id) {
			return true
		}
	}
	return false
}

// corroborateKinds is how many kinds of weak evidence several-kinds needs.
const corroborateKinds = 2
