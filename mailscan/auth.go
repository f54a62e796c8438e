package mailscan

import (
	"strings"
)

// authResult is what the receiving server recorded about one message.
type authResult struct {
	spf, dkim, dmarc string // pass, fail, softfail, none, ... ("" when absent)
	mailFrom         string // smtp.mailfrom domain
	dkimDomains      []string
	dkimPass         []string // header.d of passing signatures
	headerFrom       string
	full             bool // read from Authentication-Results, not only Received-SPF
}

// readAuth parses the topmost Authentication-Results header (the one the
// receiving server added; lower ones may be forged by the sender), falling
// back to Received-SPF for SPF.
func readAuth(p *parsed) (authResult, bool) {
	var ar authResult
	v := p.get("Authentication-Results")
	found := v != ""
	ar.full = found
	// Split into "method=result ptype.prop=value ..." clauses.
	for _, clause := range strings.Split(v, ";") {
		fields := strings.Fields(strings.ToLower(clause))
		if len(fields) == 0 {
			continue
		}
		method, result, ok := strings.Cut(fields[0], "=")
		if !ok {
			continue
		}
		props := map[string]string{}
		for _, f := range fields[1:] {
			if k, val, ok := strings.Cut(f, "="); ok {
				props[k] = strings.Trim(val, `"();`)
			}
		}
		switch method {
		case "spf":
			ar.spf = worse(ar.spf, result)
			mf := props["smtp.mailfrom"]
			ar.mailFrom = mf[strings.LastIndexByte(mf, '@')+1:]
		case "dkim":
			d := props["header.d"]
			if d == "" {
				d = domainOf(props["header.i"])
			}
			ar.dkimDomains = append(ar.dkimDomains, d)
			if result == "pass" {
				ar.dkimPass = append(ar.dkimPass, d)
				if ar.dkim != "fail" {
					ar.dkim = "pass"
				}
			} else if ar.dkim == "" || result == "fail" {
				ar.dkim = result
			}
		case "dmarc":
			ar.dmarc = worse(ar.dmarc, result)
			ar.headerFrom = props["header.from"]
		}
	}
	if ar.spf == "" {
		if rs := strings.ToLower(strings.TrimSpace(p.get("Received-SPF"))); rs != "" {
			found = true
			ar.spf, _, _ = strings.Cut(rs, " ")
		}
	}
	return ar, found
}

// worse keeps the more alarming of two results.
func worse(old, next string) string {
	if old == "" || next == "fail" || (next == "softfail" && old != "fail") {
		return next
	}
	return old
}

// authentication raises signals from the authentication results.
func (a *analysis) authentication() {
	if a.inline {
		return // the results are the forwarder's
	}
	ar, found := readAuth(a.p)
	fromDomain := domainOf(a.from.addr)
	if !found {
		a.sig.add("auth-missing", "no Authentication-Results or Received-SPF header")
		return
	}
	if ar.dmarc == "fail" {
		a.sig.add("auth-dmarc-fail", "dmarc=fail for %s", orDefault(ar.headerFrom, fromDomain))
	}
	if ar.spf == "fail" || ar.spf == "softfail" {
		a.sig.add("auth-spf-fail", "spf=%s for %s", ar.spf, orDefault(ar.mailFrom, "the sending server"))
	}
	if ar.dkim == "fail" {
		a.sig.add("auth-dkim-fail", "dkim=fail")
	}
	if ar.dmarc == "fail" || fromDomain == "" {
		return
	}
	alignedDKIM := false
	for _, d := range ar.dkimPass {
		alignedDKIM = alignedDKIM || aligned(d, fromDomain)
	}
	switch {
	case ar.dmarc == "pass":
		a.sig.add("auth-aligned-pass", "dmarc=pass for %s", fromDomain)
	case alignedDKIM:
		a.sig.add("auth-aligned-pass", "dkim=pass aligned with %s", fromDomain)
	case ar.spf == "pass" && aligned(ar.mailFrom, fromDomain):
		a.sig.add("auth-aligned-pass", "spf=pass aligned with %s", fromDomain)
	default:
		// A brand signs its own mail; its domain in the From line with
		// nothing vouching for it is what a forged sender looks like.
		// Received-SPF alone does not say for which domain SPF passed.
		if b := brandOwning(fromDomain); b != nil && ar.full && !(ar.spf == "pass" && ar.mailFrom == "") {
			a.sig.add("brand-domain-unverified", "From %s (%s); spf=%s, dkim=%s", fromDomain, b.Name,
				orDefault(ar.spf, "none"), orDefault(ar.dkim, "none"))
		}
	}
}

// listDomain returns the domain of the message's List-Id ("ilug.linux.ie"
// in "Irish Linux Users' Group <ilug.linux.ie>"), or "". A mailing list
// takes the bounces of the mail it passes on, so a Return-Path at the list's
// own domain explains itself.
func (a *analysis) listDomain() string {
	id := a.p.get("List-Id")
	if i := strings.LastIndexByte(id, '<'); i >= 0 {
		id = id[i+1:]
	}
	id, _, _ = strings.Cut(id, ">")
	id = strings.ToLower(strings.TrimSpace(id))
	if !strings.Contains(id, ".") {
		return ""
	}
	return id
}

// brandOwning returns the listed brand that owns domain, or nil.
func brandOwning(domain string) *brand {
	if b := rules.brandByDomain[registrable(domain)]; b != nil && b.ownedBy(domain) {
		return b
	}
	return rules.brandByDomain[domain]
}

// identity compares who the message claims to be with where it came from.
func (a *analysis) identity() {
	r := a.r
	fromDomain := domainOf(r.From)
	rt := domainOf(r.ReplyTo)
	switch {
	case rt == "" || fromDomain == "":
	case rules.freemail[rt] && rules.freemail[fromDomain] && !strings.EqualFold(r.ReplyTo, r.From):
		// One personal account writing, another collecting the replies:
		// people do not do that, advance-fee and BEC scams do.
		a.sig.add("reply-to-freemail", "From %s, Reply-To another free-mail account %s", r.From, r.ReplyTo)
	case aligned(rt, fromDomain):
	case rules.freemail[rt]:
		a.sig.add("reply-to-freemail", "From %s, Reply-To %s", r.From, r.ReplyTo)
	default:
		a.sig.add("reply-to-mismatch", "From %s, Reply-To %s", r.From, r.ReplyTo)
	}
	if rp := domainOf(r.ReturnPath); rp != "" && fromDomain != "" &&
		!aligned(rp, fromDomain) && !a.sig.has("auth-aligned-pass") && !aligned(rp, a.listDomain()) {
		a.sig.add("return-path-mismatch", "From %s, Return-Path %s", fromDomain, rp)
	}
	if fromDomain != "" {
		if la, ok := imitates(fromDomain); ok {
			a.sig.add("sender-lookalike", "%s imitates %s (%s)", unicodeHost(fromDomain), la.brand.Name, la.how)
		} else if strings.Contains(fromDomain, "xn--") {
			a.sig.add("punycode-domain", "sender domain %s (%s)", fromDomain, unicodeHost(fromDomain))
		}
		if tldRisky(fromDomain) {
			a.sig.add("risky-tld", "sender domain %s", fromDomain)
		}
	}
	a.brandFromPersonal(fromDomain)
	name := a.from.name
	if name == "" {
		return
	}
	if m := bareRE.FindString(name); m != "" && !aligned(domainOf(m), fromDomain) {
		a.sig.add("display-name-address", "name shows %s, address is %s", m, r.From)
	}
	if b := brandInName(name); b != nil && !b.ownedBy(fromDomain) {
		a.sig.add("display-name-brand", "%q sent from %s", name, orDefault(fromDomain, "an unknown address"))
	}
	if c := celebrityInName(name); c != "" && !strings.Contains(strings.ReplaceAll(registrable(fromDomain), "-", ""),
		strings.ReplaceAll(c, " ", "")) {
		a.sig.add("celebrity-name", "%q sent from %s", name, orDefault(fromDomain, "an unknown address"))
	}
	if rules.roleNames[strings.Join(tokenize(name), " ")] && fromDomain != "" &&
		(rules.freemail[fromDomain] || !sameOrg(fromDomain, r.To)) {
		a.sig.add("role-impersonation", "%q sent from %s", name, fromDomain)
	}
}

// brandFromPersonal raises brand-from-personal when the subject or the
// sender's mailbox name speaks for a listed brand ("PostNL: your parcel",
// paypal-service@…) but the address is a free-mail account or sits on a
// platform anyone can sign up to, which a brand never sends from.
func (a *analysis) brandFromPersonal(fromDomain string) {
	if fromDomain == "" || !rules.freemail[fromDomain] && !a.sig.has("sender-platform") {
		return
	}
	local := a.r.From[:strings.LastIndexByte(a.r.From, '@')+1]
	for _, where := range []string{a.r.Subject, local} {
		for _, tok := range tokenize(where) {
			if b := rules.claimKey(tok); b != nil && !b.ownedBy(fromDomain) {
				a.sig.add("brand-from-personal", "%s named, sent from %s", b.Name, fromDomain)
				return
			}
		}
	}
}

// sameOrg reports whether domain matches any recipient's domain (or there
// are no recipients to compare with).
func sameOrg(domain string, to []string) bool {
	if len(to) == 0 {
		return true
	}
	for _, t := range to {
		if aligned(domainOf(t), domain) {
			return true
		}
	}
	return false
}

// celebrityInName returns the famous person (see celebrities in
// lists.yaml) a display name names, as whole words, or "".
func celebrityInName(name string) string {
	words := tokenize(name)
	for i := range words {
		for j := i + 1; j <= min(len(words), i+3); j++ {
			if p := strings.Join(words[i:j], " "); rules.celebrities[p] {
				return p
			}
		}
	}
	return ""
}

// brandInName returns the brand a display name claims to be, when the name
// is only the brand plus service words ("PayPal Security Team", "Bank of
// America"). A capital I drawn for a small l ("PayPaI", "Ledger Iive")
// looks the same in most fonts, so the name is also read with it swapped.
func brandInName(name string) *brand {
	if b := brandInWords(name); b != nil || !strings.Contains(name, "I") {
		return b
	}
	return brandInWords(strings.ReplaceAll(name, "I", "l"))
}

// brandInWords is brandInName for the name as written.
func brandInWords(name string) *brand {
	var all, rest []string
	for _, tok := range tokenize(name) {
		if tok == ":" || isNumber(tok) {
			continue
		}
		all = append(all, tok)
		if !rules.serviceWords[tok] {
			rest = append(rest, tok)
		}
	}
	if b := rules.brandByKey[strings.Join(rest, "")]; b != nil {
		return b
	}
	if b := rules.brandByKey[strings.Join(all, "")]; b != nil {
		return b
	}
	// A brand named among other words ("Banco Bradesco - Protocolo 1234",
	// "Trust Wallet Support Desk"): one word, or two run together.
	for i, tok := range all {
		if b := rules.claimKey(tok); b != nil {
			return b
		}
		if i+1 < len(all) {
			if b := rules.claimKey(tok + all[i+1]); b != nil {
				return b
			}
		}
	}
	return nil
}

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// tldRisky reports whether host ends in a top-level domain common in scams.
func tldRisky(host string) bool {
	i := strings.LastIndexByte(host, '.')
	return i >= 0 && rules.riskyTLDs[host[i+1:]]
}
