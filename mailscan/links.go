package mailscan

import (
	"net/url"
	"strings"

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
	if host := strings.ToLower(u.Hostname()); isRedirector(host) && (strings.HasSuffix(host, "outlook.com") || u.Path == "/url") {
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
		case hasPrefixFold(href, "javascript:") || hasPrefixFold(href, "data:text/html") || hasPrefixFold(href, "data:application"):
			a.sig.add("script-link", "%.60s", href)
			continue
		case hasPrefixFold(href, "mailto:"):
			if addr := strings.TrimPrefix(href[7:], "//"); strings.Contains(addr, "@") {
				a.hosts["mailto:"+strings.ToLower(strings.SplitN(addr, "?", 2)[0])] = true
			}
			continue
		}
		host := hostOf(href)
		a.links[i].host = host
		if host == "" {
			continue
		}
		if isRedirector(host) {
			if u, err := url.Parse(href); err == nil {
				if inner := unwrap(u); inner != "" {
					a.links = append(a.links, link{href: inner, text: l.text})
					if img := a.qrImage[href]; img != "" {
						a.qrImage[inner] = img
					}
					continue
				}
			}
		}
		via := ""
		if img := a.qrImage[href]; img != "" {
			via = ", in a QR code in " + img
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

// hostSignals raises the signals that depend only on a link's host; via
// is added to the evidence (it names the QR code the link was read from).
func (a *analysis) hostSignals(host, via string) {
	switch {
	case isIP(host):
		a.sig.add("ip-url", "%s%s", host, via)
	case rules.shorteners[host] || rules.shorteners[registrable(host)]:
		a.sig.add("url-shortener", "%s%s", host, via)
	case rules.freeHosting.hasSuffixDomain(host):
		a.sig.add("free-hosting-link", "%s%s", host, via)
	}
	if isIP(host) {
		return
	}
	if la, ok := imitates(host); ok && !rules.trackers.hasSuffixDomain(host) {
		a.sig.add("link-lookalike", "%s imitates %s (%s)%s", unicodeHost(host), la.brand.Name, la.how, via)
	} else if strings.Contains(host, "xn--") {
		a.sig.add("punycode-domain", "link to %s (%s)%s", host, unicodeHost(host), via)
	}
	if tldRisky(host) {
		a.sig.add("risky-tld", "link to %s%s", host, via)
	}
}

// hostRisky reports whether a host is cheap to set up or hides where it
// goes (the hosts hostSignals flags), and which brand it imitates, if any.
func hostRisky(host string) (risky bool, imitated *brand) {
	if isIP(host) {
		return true, nil
	}
	if la, ok := imitates(host); ok && !rules.trackers.hasSuffixDomain(host) {
		return true, la.brand
	}
	return rules.shorteners[host] || rules.shorteners[registrable(host)] || rules.freeHosting.hasSuffixDomain(host) ||
		strings.Contains(host, "xn--") || tldRisky(host), nil
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
