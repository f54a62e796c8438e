package mailscan

import (
	"net"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// urlEnd reports whether b ends a URL written in plain text.
func urlEnd(b byte) bool {
	switch b {
	case ' ', '\t', '\r', '\n', '"', '\'', '<', '>', '`', '{', '}', '|', '\\', '^':
		return true
	}
	return b < 0x20
}

// findURLs returns the http(s) and www. URLs written in plain text, in order.
func findURLs(text string, max int) []string {
	var out []string
	for i := 0; i < len(text) && len(out) < max; i++ {
		c := text[i] | 0x20 // ASCII lower case
		if c != 'h' && c != 'w' {
			continue
		}
		rest := text[i:]
		switch {
		case hasPrefixFold(rest, "http://") || hasPrefixFold(rest, "https://"):
		case hasPrefixFold(rest, "www.") && (i == 0 || urlEnd(text[i-1]) || text[i-1] == '('):
		default:
			continue
		}
		end := i
		for end < len(text) && !urlEnd(text[end]) {
			end++
		}
		if u := strings.TrimRight(text[i:end], ".,;:!?)]"); len(u) > 10 {
			out = append(out, u)
		}
		i = end
	}
	return out
}

// findShortLinks returns links to URL shorteners written without a scheme
// ("bit.ly/x7Kq"), as scams write them to slip past link scanners: a
// listed shortener host, not inside a longer name or URL, then a slash and
// a path. At most max are returned.
func findShortLinks(text string, max int) []string {
	var out []string
	for i := 0; len(out) < max; {
		j := strings.IndexByte(text[i:], '/')
		if j < 0 {
			break
		}
		slash := i + j
		start := slash
		for start > 0 && hostByte(text[start-1]) {
			start--
		}
		end := slash + 1
		for end < len(text) && !urlEnd(text[end]) {
			end++
		}
		if end > slash+1 && slash-start >= 4 && (start == 0 || urlEnd(text[start-1]) || text[start-1] == '(') &&
			rules.shorteners[lowerASCII(text[start:slash])] {
			out = append(out, "https://"+text[start:end])
		}
		i = slash + 1
	}
	return out
}

// lowerASCII lower-cases s, without copying when it has no upper case.
func lowerASCII(s string) string {
	for i := range len(s) {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// hostByte reports whether b can be part of a host name.
func hostByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.' || b == '-'
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case; prefix is lower case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// hostOf returns the lower-cased host of a URL (or of a "www." address
// written without a scheme), or "" when there is none. It reads the
// authority by hand: user info and port are dropped, punycode is kept.
func hostOf(raw string) string {
	raw = strings.TrimSpace(raw)
	var rest string
	if i := strings.Index(raw, "://"); i > 0 {
		rest = raw[i+3:]
	} else if hasPrefixFold(raw, "www.") {
		rest = raw
	} else {
		return ""
	}
	if j := strings.IndexAny(rest, "/?#\\"); j >= 0 {
		rest = rest[:j]
	}
	if j := strings.LastIndexByte(rest, '@'); j >= 0 {
		rest = rest[j+1:]
	}
	if strings.HasPrefix(rest, "[") {
		if j := strings.IndexByte(rest, ']'); j > 0 {
			return strings.ToLower(rest[1:j])
		}
	}
	if j := strings.LastIndexByte(rest, ':'); j >= 0 {
		rest = rest[:j]
	}
	return strings.Trim(strings.ToLower(rest), ".")
}

// hasUserinfo reports whether a URL's authority holds user info that can
// pass for the destination: "paypal.com@evil.example" or "secure-login@…".
// Credentials in the ordinary "user:password@" form, with no dot before the
// @, are how people write logins for wget or FTP and hide nothing.
func hasUserinfo(raw string) bool {
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return false
	}
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		rest = rest[:j]
	}
	info, _, ok := strings.Cut(rest, "@")
	return ok && (strings.Contains(info, ".") || !strings.Contains(info, ":"))
}

// isIP reports whether host is a literal IPv4 or IPv6 address.
func isIP(host string) bool { return net.ParseIP(strings.Trim(host, "[]")) != nil }

// registrable returns the registrable domain (eTLD+1) of a host, or the host
// itself when it has none (an IP or a bare suffix).
func registrable(host string) string {
	if host == "" || isIP(host) {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

// unicodeHost decodes a punycode host for display; it returns host unchanged
// when it holds no xn-- label or cannot be decoded.
func unicodeHost(host string) string {
	if !strings.Contains(host, "xn--") {
		return host
	}
	if u, err := idna.Display.ToUnicode(host); err == nil {
		return u
	}
	return host
}

// aligned reports whether two domains share their registrable domain
// (relaxed DMARC alignment).
func aligned(a, b string) bool {
	return a != "" && b != "" && registrable(a) == registrable(b)
}

// Defang rewrites an indicator so it cannot be clicked: schemes become
// hxxp(s), dots in hosts and addresses become [.], and @ becomes [@].
func Defang(s string) string {
	r := strings.NewReplacer("http://", "hxxp://", "https://", "hxxps://", "HTTP://", "hxxp://", "HTTPS://", "hxxps://")
	s = r.Replace(s)
	host := s
	prefix, suffix := "", ""
	if i := strings.Index(s, "://"); i >= 0 {
		prefix = s[:i+3]
		host = s[i+3:]
		if j := strings.IndexAny(host, "/?#"); j >= 0 {
			host, suffix = host[:j], host[j:]
		}
	}
	host = strings.ReplaceAll(host, ".", "[.]")
	host = strings.ReplaceAll(host, "@", "[@]")
	return prefix + host + suffix
}
