package mailscan

import (
	"regexp"
	"slices"
	"strings"
)

var replyPrefixRE = regexp.MustCompile(`(?i)^\s*(re|aw|sv|rv|ref|antw)\s*:`)

// content raises the signals that come from what the message says and
// asks, combined with how it asks (links, attachments, sender identity).
func (a *analysis) content() {
	r := a.r
	hasLinks := len(a.hosts) > 0
	hasFiles := len(a.p.parts) > 0
	asks := len(a.cues["credential"]) > 0 || len(a.cues["mfa"]) > 0 || len(a.cues["payment"]) > 0
	lured := a.categories(LureUrgency, LureFear, LureAuthority, LureCuriosity, LureReward, LureSecrecy) > 0
	genuine := a.genuineBrandSender()
	if hits := a.cues["credential"]; len(hits) > 0 {
		if hasLinks || len(a.forms) > 0 || a.sig.has("html-attachment") {
			a.sig.add("credential-request", "%q", hits[0].text)
		} else {
			a.sig.add("credential-wording", "%q", hits[0].text)
		}
	}
	if len(a.cues["credential"])+len(a.cues["payment"]) > 0 && a.claimedBrand() != nil {
		b := a.claimedBrand()
		for h := range a.hosts {
			if strings.HasPrefix(h, "mailto:") || b.ownedBy(h) ||
				aligned(h, domainOf(r.From)) && b.ownedBy(domainOf(r.From)) || rules.trackers.hasSuffixDomain(h) {
				continue
			}
			if !b.ownedBy(domainOf(r.From)) {
				a.sig.add("brand-link-mismatch", "speaks for %s, links to %s", b.Name, h)
				break
			}
		}
	}
	if (asks || lured) && a.riskyLink() {
		a.sig.add("risky-link-with-lure", "%s", a.lureSummary())
	}
	freemailPush := rules.freemail[domainOf(r.From)] && a.categories(LureAuthority, LureSecrecy, LureUrgency) > 0
	spoofed := freemailPush || a.sig.has("reply-to-mismatch") || a.sig.has("reply-to-freemail") ||
		a.sig.has("auth-dmarc-fail") ||
		a.sig.has("display-name-address") || a.sig.has("role-impersonation") || a.sig.has("sender-lookalike")
	if hits := a.cues["payment"]; len(hits) > 0 {
		a.sig.add("payment-request", "%q", hits[0].text)
		if spoofed {
			a.sig.add("bec-payment", "%q from %s", hits[0].text, r.From)
		}
	}
	if hits := a.cues["giftcard"]; len(hits) > 0 && !genuine && (spoofed || len(a.cues["secrecy"]) > 0 ||
		len(a.cues["urgency"]) > 0 || rules.freemail[domainOf(r.From)]) {
		a.sig.add("giftcard-request", "%q", hits[0].text)
	}
	if hits := a.cues["qr"]; len(hits) > 0 {
		if a.images > 0 && (asks || lured) && !a.qrOwnSite() {
			a.sig.add("qr-code-lure", "%q with %d image(s)", hits[0].text, a.images)
		} else {
			a.sig.add("qr-code-wording", "%q", hits[0].text)
		}
	}
	if hits := a.cues["mfa"]; len(hits) > 0 && hasLinks && a.categories(LureUrgency, LureFear) > 0 {
		a.sig.add("mfa-lure", "%q", hits[0].text)
	}
	n := a.categories(LureUrgency, LureFear, LureAuthority, LureSecrecy)
	if n >= 2 && (hasLinks || hasFiles || len(a.cues["payment"]) > 0 || len(a.cues["giftcard"]) > 0) {
		a.sig.add("pressure", "%d kinds of pressure: %s", n, a.lureSummary())
	}
	if hits := a.cues["generic_greeting"]; len(hits) > 0 && (hasLinks || hasFiles) {
		a.sig.add("generic-greeting", "%q", hits[0].text)
	}
	if addr := a.contactElsewhere(); addr != "" {
		a.sig.add("contact-elsewhere", "asks for replies to %s, not %s", addr, orDefault(r.From, "the sender"))
	}
	if !genuine {
		a.scamThemes(hasLinks || hasFiles || r.ReplyTo != "")
		a.callbackLure()
	}
	a.listUnsubscribe()
	if !a.inline && replyPrefixRE.MatchString(r.Subject) && a.p.get("In-Reply-To") == "" && a.p.get("References") == "" &&
		a.p.get("Thread-Index") == "" {
		a.sig.add("fake-reply", "subject %q has no In-Reply-To or References", r.Subject)
	}
}

// weighAuthentication drops the credit for passing authentication when it
// proves nothing: the domain is genuine, but it speaks for someone else,
// or it is a throwaway (random-looking, on an app platform or a scam-prone
// top-level domain) sending what scams send. Scammers pass SPF and DKIM for
// domains they registered yesterday.
func (a *analysis) weighAuthentication() {
	if !a.sig.has("auth-aligned-pass") {
		return
	}
	throwaway := a.sig.has("random-sender") || a.sig.has("sender-platform") || tldRisky(domainOf(a.r.From))
	scammy := false
	for _, id := range []string{"scam-theme", "scam-theme-strong", "model-phish", "model-phish-strong", "org-like-phish",
		"hidden-text", "image-only", "disguised-letters", "noise-token", "utf7-text"} {
		scammy = scammy || a.sig.has(id)
	}
	if a.impersonates() || throwaway || scammy {
		a.sig.drop("auth-aligned-pass")
	}
}

// riskyLink reports whether a link's destination is hidden or cheap to set
// up: a shortener, free hosting, a bare IP, a look-alike or a risky TLD.
func (a *analysis) riskyLink() bool {
	for _, id := range []string{"url-shortener", "free-hosting-link", "ip-url", "link-lookalike", "risky-tld",
		"punycode-domain", "url-userinfo"} {
		if a.sig.has(id) {
			return true
		}
	}
	return false
}

// qrLinkHosts returns the hosts of the links read from QR codes.
func (a *analysis) qrLinkHosts() []string {
	var out []string
	for _, l := range a.links {
		if l.host != "" && a.qrImage[strings.TrimSpace(l.href)] != "" {
			out = append(out, l.host)
		}
	}
	return out
}

// qrOwnSite reports whether QR codes were read and every one leads to the
// sender's own, authenticated domain: then "scan the code" wording is a
// genuine sender pointing to itself (tickets, boarding passes), not a lure.
func (a *analysis) qrOwnSite() bool {
	hosts := a.qrLinkHosts()
	if len(hosts) == 0 || !a.sig.has("auth-aligned-pass") {
		return false
	}
	for _, h := range hosts {
		if risky, _ := hostRisky(h); risky || !aligned(h, domainOf(a.r.From)) {
			return false
		}
	}
	return true
}

// impersonates reports whether the sender pretends to be someone it is not.
func (a *analysis) impersonates() bool {
	for _, id := range []string{"display-name-brand", "display-name-address", "sender-lookalike", "brand-link-mismatch",
		"brand-from-personal", "celebrity-name",
		"role-impersonation", "reply-to-freemail", "bec-payment", "giftcard-request"} {
		if a.sig.has(id) {
			return true
		}
	}
	return rules.freemail[domainOf(a.r.From)]
}

// claimedBrand returns the brand the message speaks for: named in the
// sender's name or the subject, or named twice in the body.
func (a *analysis) claimedBrand() *brand {
	if !a.brandDone {
		a.brand, a.brandDone = a.findClaimedBrand(), true
	}
	return a.brand
}

func (a *analysis) findClaimedBrand() *brand {
	if b := brandInName(a.from.name); b != nil {
		return b
	}
	count := map[*brand]int{}
	for _, tok := range tokenize(a.r.Subject) {
		if b := rules.claimKey(tok); b != nil {
			return b
		}
	}
	// A body speaks for a brand it names twice, unless it names several
	// brands: a newsletter or a digest talks about brands, a phish
	// speaks for one.
	var claimed *brand
	for _, tok := range a.tokens {
		if b := rules.claimKey(tok); b != nil {
			count[b]++
			if count[b] >= 2 && claimed == nil {
				claimed = b
			}
			if len(count) > maxBodyBrands {
				return nil
			}
		}
	}
	return claimed
}

// maxBodyBrands is how many brands a body may name and still speak for one.
const maxBodyBrands = 3

// lureSummary lists the lure categories found, for evidence.
func (a *analysis) lureSummary() string {
	var cats []string
	for _, c := range []string{LureUrgency, LureFear, LureAuthority, LureSecrecy, LureCuriosity, LureReward} {
		if len(a.cues[c]) > 0 {
			cats = append(cats, c+" ("+a.cues[c][0].text+")")
		}
	}
	return strings.Join(cats, ", ")
}

// scamThemes are the cue groups naming what scams are about.
var scamThemes = []string{"prize", "crypto", "tax_refund", "loyalty", "delivery", "adult", "job"}

// scamThemes raises scam-theme when the message is about what scams are
// about (prizes, crypto, tax refunds, points, parcels, dating, easy jobs) in several
// phrases and gives a way to act (a link, a file, a reply address or an
// address elsewhere to write to);
// four phrases or more make scam-theme-strong.
func (a *analysis) scamThemes(canAct bool) {
	phrases, themes := map[string]bool{}, []string{}
	for _, t := range scamThemes {
		for _, h := range a.cues[t] {
			phrases[h.text] = true // the same word listed in several languages counts once
		}
		if len(a.cues[t]) > 0 {
			themes = append(themes, strings.ReplaceAll(t, "_", " ")+" ("+a.cues[t][0].text+")")
		}
	}
	if m := plusAmount(a.body); m != "" {
		phrases[m] = true
		themes = append(themes, "a balance to collect ("+m+")")
	}
	hits := len(phrases)
	if !canAct && hits >= 2 {
		// Fake jobs and romance scams often give no link, only an
		// address at another domain to write to.
		from := domainOf(a.r.From)
		canAct = a.addressToWrite(func(addr string) bool { return !aligned(domainOf(addr), from) }) != ""
	}
	switch {
	case canAct && hits >= 4:
		a.sig.add("scam-theme-strong", "%d phrases about %s", hits, strings.Join(themes, ", "))
	case canAct && hits >= 2:
		a.sig.add("scam-theme", "%d phrases about %s", hits, strings.Join(themes, ", "))
	}
}

// genuineBrandSender reports whether a listed brand itself sent the
// message: its own domain, vouched for by aligned authentication, with
// every link going to the brand's own sites or a mail service's click
// tracker. A bank talking about cards or an airline about points is then
// doing its business, not running a scam.
func (a *analysis) genuineBrandSender() bool {
	from := domainOf(a.r.From)
	b := rules.brandByDomain[registrable(from)]
	if b == nil || rules.freemail[from] || !a.sig.has("auth-aligned-pass") {
		return false // a free-mail account is a person, not the brand
	}
	for h := range a.hosts {
		if !strings.HasPrefix(h, "mailto:") && !b.ownedBy(h) && !rules.trackers.hasSuffixDomain(h) {
			return false
		}
	}
	return true
}

// plusAmount returns the first sum of money written with a plus sign
// ("+$4,811", "+13185$", "+2.975 ETH"), as fake balances waiting to be
// withdrawn are shown, or "". Prices and totals carry no plus sign, and a
// bank's credit ("+$2,450.00") is written to the cent.
func plusAmount(text string) string {
	for i := 0; ; i++ {
		j := strings.IndexByte(text[i:], '+')
		if j < 0 {
			return ""
		}
		i += j
		rest := text[i+1 : min(len(text), i+40)]
		rest = strings.TrimLeft(rest, " ")
		cur := ""
		for _, c := range []string{"$", "€", "£", "R$", "US$"} {
			if strings.HasPrefix(rest, c) {
				cur, rest = c, strings.TrimLeft(rest[len(c):], " ")
				break
			}
		}
		n := 0
		for n < len(rest) && (rest[n] >= '0' && rest[n] <= '9' || n > 0 && (rest[n] == ',' || rest[n] == '.')) {
			n++
		}
		num := strings.TrimRight(rest[:n], ".,")
		if len(num) < 3 || cents(num) {
			continue // statements and receipts show credits to the cent
		}
		after := strings.ToLower(strings.TrimLeft(rest[len(num):], " "))
		if cur != "" {
			return "+" + cur + num
		}
		for _, c := range []string{"$", "€", "£", "usd", "usdt", "btc", "eth", "eur"} {
			if strings.HasPrefix(after, c) && (len(after) == len(c) || !hostByte(after[len(c)])) {
				return "+" + num + " " + c
			}
		}
	}
}

// cents reports whether a number ends in a separator and two digits.
func cents(num string) bool {
	n := len(num)
	return n >= 3 && (num[n-3] == '.' || num[n-3] == ',')
}

// contactElsewhere returns a free-mail address the text gives to write to
// that is neither the sender's nor a recipient's ("write me at
// anna1988@gmail.com"), as romance, job and advance-fee scams move the
// conversation to an account no filter watches. Addresses in quoted
// lines and in reply or forward headers ("Joe <joe@…> wrote:", "From:")
// are people in an earlier message, not a request.
func (a *analysis) contactElsewhere() string {
	if addr := a.addressToWrite(func(addr string) bool { return rules.freemail[domainOf(addr)] }); addr != "" {
		return addr
	}
	return a.onlyMailto()
}

// onlyMailto returns the free-mail address the message's only links write
// to ("Report the user" buttons under a fake sign-in alert), leaving out
// the sender, the reply address and the recipients, or "" when the
// message links anywhere on the web.
func (a *analysis) onlyMailto() string {
	found := ""
	for _, l := range a.links {
		if l.host != "" {
			return ""
		}
		href := strings.TrimSpace(l.href)
		if !hasPrefixFold(href, "mailto:") || found != "" {
			continue
		}
		addr, _, _ := strings.Cut(strings.ToLower(strings.TrimPrefix(href[7:], "//")), "?")
		if rules.freemail[domainOf(addr)] && addr != strings.ToLower(a.r.From) &&
			addr != strings.ToLower(a.r.ReplyTo) && !slices.ContainsFunc(a.r.To, func(to string) bool {
			return strings.EqualFold(to, addr)
		}) {
			found = addr
		}
	}
	return found
}

// addressToWrite returns the first address the text asks the reader to
// write to that ok accepts, leaving out the sender, the recipients and
// people quoted from an earlier message (see contactElsewhere).
func (a *analysis) addressToWrite(ok func(addr string) bool) string {
	text := a.body[min(len(a.body), len(a.r.Subject)):]
	for i := 0; ; {
		at := strings.IndexByte(text[i:], '@')
		if at < 0 {
			return ""
		}
		at += i
		start := strings.LastIndexByte(text[:at], '\n') + 1
		end := strings.IndexByte(text[at:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += at
		}
		i = end
		line := text[start:end]
		if quotedLine(line) || !asksToWrite(line) {
			continue
		}
		for _, addr := range findEmails(line, 4) {
			if !ok(addr) || addr == a.r.From || strings.Contains(line, "<"+addr) || slices.Contains(a.r.To, addr) {
				continue
			}
			return addr
		}
	}
}

// contactVerbs ask the reader to write somewhere, in the languages of
// cues.yaml; matched as word prefixes of the lower-cased line.
var contactVerbs = []string{"write", "email", "e-mail", "contact", "reply", "respond", "send", "escrev", "contat",
	"escrib", "escríb", "schreib", "kontakt", "antwort", "écri", "ecri", "schrijf", "mail ", "scriv", "rispond"}

// asksToWrite reports whether a line asks the reader to write to someone.
func asksToWrite(line string) bool {
	low := strings.ToLower(line)
	for _, v := range contactVerbs {
		if i := strings.Index(low, v); i >= 0 && (i == 0 || !hostByte(low[i-1])) {
			return true
		}
	}
	return false
}

// quotedLine reports whether a line quotes an earlier message: quoted
// with ">", or a reply or forward header.
func quotedLine(line string) bool {
	t := strings.ToLower(strings.TrimSpace(line))
	if strings.HasPrefix(t, ">") || strings.HasSuffix(t, "wrote:") || strings.HasSuffix(t, "escreveu:") ||
		strings.HasSuffix(t, "escribió:") || strings.HasSuffix(t, "schrieb:") || strings.HasSuffix(t, "a écrit :") {
		return true
	}
	label, _, ok := strings.Cut(t, ":")
	return ok && forwardFromRE.MatchString(label+":x") && len(label) < 14
}
