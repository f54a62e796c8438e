package mailscan

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/net/publicsuffix"
)

// isRedirector reports whether host rewrites links and carries the real
// destination in its query (Outlook Safe Links, Google redirects).
func isRedirector(host string) bool {
	return strings.HasSuffix(host, "safelinks.protection.outlook.com") || strings.HasPrefix(host, "www.google.")
}

// unwrap returns the destination hidden in a link-protection or redirect
// URL (Outlook Safe Links, Google redirects), or "" when there is none.
func unwrap(u *url.URL) string {
	if host := strings.ToLower(u.Hostname()); isRedirector(host) && (strings.HasSuffix(host,
		"outlook.com") || u.Path == "/url") {
		q := u.Query()
		for _, k := range []string{"url", "q"} {
			if v := q.Get(k); strings.HasPrefix(v, "http") {
				return v
			}
		}
	}
	return ""
}

// linkSignals checks every link's destination and shown text.
func (a *analysis) linkSignals() {
	for i := 0; i < len(a.links); i++ {
		l := a.links[i]
		href := strings.TrimSpace(l.href)
		switch {
		case hasPrefixFold(href, "javascript:") || hasPrefixFold(href, "data:text/html") || hasPrefixFold(href,
			"data:application"):
			a.sig.add("script-link", "%.60s", href)
			continue
		case hasPrefixFold(href, "mailto:"):
			if addr := strings.TrimPrefix(href[7:], "//"); strings.Contains(addr, "@") {
				a.hosts["mailto:"+strings.ToLower(strings.SplitN(addr, "?", 2)[0])] = true
			}
			continue
		}
		host := hostOf(href)
		if host != "" && !realTLD(host) && !isIP(host) {
			host = "" // a typo ("example.comm") or a name that only works inside a network: it leads nowhere
		}
		a.links[i].host = host
		if host == "" {
			continue
		}
		if isRedirector(host) {
			if u, err := url.Parse(href); err == nil {
				if inner := unwrap(u); inner != "" {
					a.links = append(a.links, link{href: inner, text: l.text})
					a.sameSource(href, inner)
					continue
				}
			}
		}
		if inner := redirectTarget(href); inner != "" && a.unwrapped < maxUnwrapped {
			// An open redirect on a known site ("…/click?out=http%3A…",
			// "…/dereferrer/?redirectUrl=https://t.ly/…"): the site is
			// checked as a link, and so is where it sends the reader.
			a.unwrapped++
			a.links = append(a.links, link{href: inner})
			a.sameSource(href, inner)
		}
		via := ""
		if img := a.qrImage[href]; img != "" {
			via = ", in a QR code in " + img
		} else if file := a.fileLink[href]; file != "" {
			via = ", in the attachment " + file
		}
		if hasUserinfo(href) {
			a.sig.add("url-userinfo", "%s%s", href, via)
		}
		if !a.hosts[host] {
			a.hostSignals(host, via)
		}
		a.hosts[host] = true
		a.textMismatch(l, host)
	}
	for _, action := range a.forms {
		if a.pwForm {
			a.sig.add("password-form", "form posts to %s", orDefault(action, "(same page)"))
		} else if action != "" {
			a.sig.add("html-form", "form posts to %s", action)
		}
	}
}

// sameSource records that the link inner, read from a redirect link href,
// came from where href came from (a QR code, an attachment), so that its
// signals say so too.
func (a *analysis) sameSource(href, inner string) {
	if img := a.qrImage[href]; img != "" && a.qrImage[inner] == "" {
		a.qrImage[inner] = img
	}
	if file := a.fileLink[href]; file != "" && a.fileLink[inner] == "" {
		a.fileLink[inner] = file
	}
}

// hostFinding is one thing wrong with a link's host: a signal id, its
// evidence and, for a look-alike, the brand it imitates.
type hostFinding struct {
	id, evidence string
	brand        *brand
}

// freeHosted reports whether host is free hosting or a cloud storage
// bucket, where a page is one upload away. Buckets are named by region
// (x.s3.us-east-2.amazonaws.com, s3-eu-west-1.amazonaws.com,
// x.oss-cn-hangzhou.aliyuncs.com, objectstorage.sa-saopaulo-1.oraclecloud.com),
// so they are matched by their storage label rather than listed one by one.
func freeHosted(host string) bool {
	if rules.freeHosting.hasSuffixDomain(host) {
		return true
	}
	var prefix string
	switch {
	case strings.HasSuffix(host, ".amazonaws.com"):
		prefix = "s3"
	case strings.HasSuffix(host, ".aliyuncs.com"):
		prefix = "oss"
	case strings.HasSuffix(host, ".oraclecloud.com"):
		prefix = "objectstorage"
	default:
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if label == prefix || strings.HasPrefix(label, prefix+"-") {
			return true
		}
	}
	return false
}

// hostFindings lists what is wrong with a link's host: a bare IP, a
// shortener or free hosting, a look-alike or punycode name, a risky TLD.
func hostFindings(host string) []hostFinding {
	var out []hostFinding
	switch {
	case isIP(host):
		return []hostFinding{{id: "ip-url", evidence: host}}
	case rules.shorteners[host] || rules.shorteners[registrable(host)]:
		out = append(out, hostFinding{id: "url-shortener", evidence: host})
	case freeHosted(host):
		out = append(out, hostFinding{id: "free-hosting-link", evidence: host})
	}
	if la, ok := imitates(host); ok && !rules.trackers.hasSuffixDomain(host) {
		out = append(out, hostFinding{id: "link-lookalike", brand: la.brand,
			evidence: fmt.Sprintf("%s imitates %s (%s)", unicodeHost(host), la.brand.Name, la.how)})
	} else if strings.Contains(host, "xn--") {
		out = append(out, hostFinding{id: "punycode-domain", evidence: fmt.Sprintf("link to %s (%s)", host,
			unicodeHost(host))})
	}
	if tldRisky(host) {
		out = append(out, hostFinding{id: "risky-tld", evidence: "link to " + host})
	}
	return out
}

// hostSignals raises the signals that depend only on a link's host; via
// is added to the evidence (it names the QR code the link was read from).
func (a *analysis) hostSignals(host, via string) {
	for _, f := range hostFindings(host) {
		a.sig.add(f.id, "%s%s", f.evidence, via)
	}
}

// hostRisky reports whether hostSignals would flag a host, and which brand
// it imitates, if any.
func hostRisky(host string) (risky bool, imitated *brand) {
	fs := hostFindings(host)
	for _, f := range fs {
		if f.brand != nil {
			return true, f.brand
		}
	}
	return len(fs) > 0, nil
}

// textMismatch raises a signal when a link's text shows a web address on a
// different site than the one it leads to.
func (a *analysis) textMismatch(l link, host string) {
	shown := shownHost(l.text)
	if shown == "" || aligned(shown, host) {
		return
	}
	// A known click tracker, or a genuine sender showing its own site while
	// the link goes through its mailing service: normal for newsletters.
	ownSite := a.sig.has("auth-aligned-pass") && aligned(shown, domainOf(a.r.From))
	if ownSite || rules.trackers.hasSuffixDomain(host) || rules.trackers.hasSuffixDomain(registrable(host)) {
		a.sig.add("link-text-mismatch-esp", "shows %s, goes to %s", shown, host)
		return
	}
	a.sig.add("link-text-mismatch", "shows %s, goes to %s", shown, host)
}

// shownHost returns the host written in a link's text, when the text is a
// URL or a bare domain name such as "paypal.com".
func shownHost(text string) string {
	text = strings.TrimSpace(text)
	if text == "" || strings.ContainsAny(text, " \t") {
		return ""
	}
	if h := hostOf(text); h != "" {
		return h
	}
	h, _, _ := strings.Cut(text, "/")
	h = strings.ToLower(strings.TrimRight(h, ".,:;"))
	if !strings.Contains(h, ".") || strings.Contains(h, "@") {
		return ""
	}
	if _, icann := publicsuffix.PublicSuffix(h); !icann {
		return ""
	}
	return h
}

// realTLD reports whether host ends in a top-level domain of the public
// DNS (by the public suffix list) or one reserved for documentation and
// tests (RFC 2606: example, test, invalid, localhost), which stand for
// real ones in examples.
func realTLD(host string) bool {
	tld := host[strings.LastIndexByte(host, '.')+1:]
	switch tld {
	case "example", "test", "invalid", "localhost":
		return true
	}
	realTLDs.RLock()
	_, known := realTLDs.m[tld]
	realTLDs.RUnlock()
	if known {
		return true
	}
	if _, icann := publicsuffix.PublicSuffix(tld); !icann {
		return false
	}
	realTLDs.Lock()
	realTLDs.m[tld] = struct{}{}
	realTLDs.Unlock()
	return true
}

// realTLDs caches the top-level domains found real (the public suffix
// look-up allocates); only real ones are kept, so it grows no larger than
// the root zone whatever names messages hold.
var realTLDs = struct {
	sync.RWMutex
	m map[string]struct{}
}{m: map[string]struct{}{}}

// recipientInLink raises recipient-in-link when a link to someone else's
// site carries the recipient's own address, written out, percent-encoded
// or in base64 (in the query or after #): phishing kits fill the address
// into their fake sign-in page so that it looks like the reader's own
// service, and mark which victim clicked. Links to the sender's own
// domain, its mailing list's and mail services' click trackers (which
// carry the address for unsubscribing) do not count.
func (a *analysis) recipientInLink() {
	var forms []string // each address as a link may carry it
	for _, to := range a.r.To[:min(len(a.r.To), 5)] {
		to = strings.ToLower(to)
		if !strings.Contains(to, "@") {
			continue
		}
		forms = append(forms, to, strings.Replace(to, "@", "%40", 1))
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			b := enc.EncodeToString([]byte(to))
			forms = append(forms, b[:len(b)*3/4]) // the start: what follows the address changes its tail
		}
	}
	if len(forms) == 0 {
		return
	}
	from, list := domainOf(a.r.From), a.listDomain()
	for _, l := range a.links {
		if l.host == "" {
			continue
		}
		_, rest, _ := strings.Cut(l.href, l.host) // the path, query and fragment
		lower := strings.ToLower(rest)
		for i, f := range forms {
			if !strings.Contains(lower, f) && !(i%4 >= 2 && strings.Contains(rest, f)) {
				continue
			}
			// Only now the costlier questions: whose site is it?
			if !aligned(l.host, from) && !aligned(l.host, list) && !rules.trackers.hasSuffixDomain(l.host) {
				a.sig.add("recipient-in-link", "%s carries %s", l.host, a.r.To[i/4])
				return
			}
			break
		}
	}
}
