package mailscan

import (
	"sort"
	"strings"
)

// BulkSender says why a message was recognised as marketing or newsletter
// mail from a genuine, authenticated bulk sender (signal bulk-sender).
type BulkSender struct {
	// Domain is the sender's domain that authentication vouched for.
	Domain string `json:"domain"`
	// ListID is the List-Id header's identifier, when there is one.
	ListID string `json:"list_id,omitempty"`
	// Unsubscribe lists the List-Unsubscribe addresses (web and mailto).
	Unsubscribe []string `json:"unsubscribe"`
	// OneClick is true when the message offers one-click unsubscribe
	// (List-Unsubscribe-Post, RFC 8058), as large mailbox providers require.
	OneClick bool `json:"one_click,omitempty"`
}

// bulkTolerated are the only signals with a positive weight that a
// recognised bulk sender may carry: what mailing services do to every
// newsletter (bounces to the service, click tracking that names the
// reader, machine-made sending mailboxes, sales pressure, "Dear customer"),
// and several-kinds when these are what it was made of (any other signal
// it could rest on is not tolerated, and free mail loses the
// authentication credit bulkSender needs).
// Anything else — every high or critical signal, any request for sign-in,
// payment or codes, cheap or hidden links, evasion, a mismatched or
// throwaway sender, the models' phishing marks — means the message is not
// recognised, so a real phishing signal always wins.
var bulkTolerated = map[string]bool{
	"return-path-mismatch": true, "link-text-mismatch-esp": true, "recipient-in-link": true,
	"random-mailbox": true, "pressure": true, "generic-greeting": true, "credential-wording": true,
	"several-kinds": true,
}

// bulkSender raises bulk-sender and fills Report.Bulk when the message is
// marketing or newsletter mail from a sender that is hard to fake: the
// From domain passed DMARC or aligned DKIM (and kept that credit: not free
// mail, not impersonating, not a throwaway, not scam-like), it carries
// List-Unsubscribe with every address at the sender's own domain, its
// signing domain or a listed mailing service, it declares itself bulk
// (one-click unsubscribe, List-Id or Precedence: bulk/list), and it carries
// no signal outside bulkTolerated. Phishing kits add list headers too, so
// the headers alone never count; they only explain an authenticated
// sender.
func (a *analysis) bulkSender() {
	if !a.alignedByDKIM() { // an inline forward has no authentication of its own
		return
	}
	for _, s := range a.sig.list {
		if s.Weight > 0 && !bulkTolerated[s.ID] {
			return
		}
	}
	from := domainOf(a.r.From)
	uris := parseListUnsubscribe(a.p.get("List-Unsubscribe"))
	if len(uris) == 0 {
		return
	}
	ar, _ := readAuth(a.p)
	b := &BulkSender{Domain: from, ListID: a.listDomain()}
	for _, u := range uris {
		if !aligned(u.host, from) && !alignedAny(u.host, ar.dkimPass) && !rules.trackers.hasSuffixDomain(u.host) &&
			!rules.trackers.hasSuffixDomain(registrable(u.host)) {
			return
		}
		b.Unsubscribe = append(b.Unsubscribe, u.raw)
	}
	b.OneClick = strings.EqualFold(strings.Join(strings.Fields(a.p.get("List-Unsubscribe-Post")), ""),
		"List-Unsubscribe=One-Click")
	precedence := strings.ToLower(strings.TrimSpace(a.p.get("Precedence")))
	if !b.OneClick && b.ListID == "" && precedence != "bulk" && precedence != "list" {
		return
	}
	sort.Strings(b.Unsubscribe)
	a.r.Bulk = b
	a.sig.add("bulk-sender", "%s (authenticated) with List-Unsubscribe at %s", from, strings.Join(hostsOf(uris), ", "))
}

// alignedByDKIM reports whether the credit for passing authentication
// stands and rests on DMARC or a DKIM signature aligned with From (which
// covers the headers), not on SPF alone.
func (a *analysis) alignedByDKIM() bool {
	for _, s := range a.sig.list {
		if s.ID == "auth-aligned-pass" {
			return strings.HasPrefix(s.Evidence, "dmarc=pass") || strings.HasPrefix(s.Evidence, "dkim=pass")
		}
	}
	return false
}

// alignedAny reports whether host is aligned with any of domains.
func alignedAny(host string, domains []string) bool {
	for _, d := range domains {
		if aligned(host, d) {
			return true
		}
	}
	return false
}

// hostsOf lists the distinct hosts of uris, in order.
func hostsOf(uris []unsubscribeURI) []string {
	var out []string
	seen := map[string]bool{}
	for _, u := range uris {
		if !seen[u.host] {
			seen[u.host] = true
			out = append(out, u.host)
		}
	}
	return out
}
