package mailscan

import (
	"net"
	"regexp"
	"sort"
	"strings"
)

var receivedIPRE = regexp.MustCompile(`\[(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]{3,39})\]`)

// iocs collects the message's indicators, deduplicated and sorted.
func (a *analysis) iocs() IOCs {
	urls, domains, ips, emails := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, l := range a.links {
		if l.host != "" {
			urls[strings.TrimSpace(l.href)] = true
		}
	}
	for h := range a.hosts {
		switch {
		case strings.HasPrefix(h, "mailto:"):
			emails[h[len("mailto:"):]] = true
		case isIP(h):
			ips[strings.Trim(h, "[]")] = true
		case !knownInfra(h):
			domains[h] = true
		}
	}
	for _, e := range []string{a.r.From, a.r.ReplyTo, a.r.ReturnPath} {
		if e != "" && strings.Contains(e, "@") {
			emails[e] = true
			if d := domainOf(e); !knownInfra(d) {
				domains[d] = true
			}
		}
	}
	for _, m := range findEmails(a.body, 50) {
		emails[m] = true
	}
	for _, to := range a.r.To { // the recipients are the victims, not indicators
		delete(emails, to)
	}
	if ip := originIP(a.p); ip != "" {
		ips[ip] = true
	}
	out := IOCs{URLs: keys(urls), Domains: keys(domains), IPs: keys(ips), Emails: keys(emails),
		Attachments: []FileHashes{}}
	for _, at := range a.r.Attachments {
		out.Attachments = append(out.Attachments, FileHashes{Filename: at.Filename, SHA256: at.SHA256})
	}
	return out
}

// knownInfra reports whether host belongs to a free mail provider or to a
// listed brand: such domains are shared by everyone and must never be
// exported as indicators (blocking gmail.com or paypal.com would hurt).
func knownInfra(host string) bool {
	reg := registrable(host)
	return rules.freemail[reg] || rules.brandByDomain[reg] != nil
}

// originIP returns the public IP of the first hop (bottom-most Received
// header, or X-Originating-IP), or "".
func originIP(p *parsed) string {
	if v := strings.Trim(p.get("X-Originating-IP"), "[] "); isPublicIP(v) {
		return v
	}
	rec := p.all("Received")
	for i := len(rec) - 1; i >= 0; i-- {
		for _, m := range receivedIPRE.FindAllStringSubmatch(rec[i], -1) {
			if isPublicIP(m[1]) {
				return m[1]
			}
		}
	}
	return ""
}

func isPublicIP(s string) bool {
	ip := net.ParseIP(s)
	return ip != nil && !ip.IsPrivate() && !ip.IsLoopback() && !ip.IsLinkLocalUnicast() && !ip.IsUnspecified()
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		if k != "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// emailByte reports whether c may appear in an email address.
func emailByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._%+-", c) >= 0
}

// findEmails returns up to limit email addresses written in text, lower-cased.
func findEmails(text string, limit int) []string {
	var out []string
	for i := 0; i < len(text) && len(out) < limit; {
		at := strings.IndexByte(text[i:], '@')
		if at < 0 {
			break
		}
		at += i
		s, e := at, at+1
		for s > 0 && emailByte(text[s-1]) {
			s--
		}
		for e < len(text) && emailByte(text[e]) {
			e++
		}
		cand := strings.Trim(text[s:e], ".-")
		if local, dom, ok := strings.Cut(cand, "@"); ok && local != "" && strings.Contains(dom, ".") && len(dom) > 3 {
			out = append(out, strings.ToLower(cand))
		}
		i = max(e, at+1)
	}
	return out
}
