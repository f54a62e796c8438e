package mailscan

import (
	"net/url"
	"strings"
)

// Bounds on what parseListUnsubscribe reads from one header.
const (
	maxUnsubscribeURIs = 8
	maxUnsubscribeLen  = 2048
)

// unsubscribeURI is one address of a List-Unsubscribe header.
type unsubscribeURI struct {
	raw    string // as written between the angle brackets
	scheme string // "https", "http" or "mailto"
	host   string // the web host, or the domain of the mailto address
}

// parseListUnsubscribe reads a List-Unsubscribe header (RFC 2369): a comma
// separated list of URIs, each in angle brackets, with optional comments in
// parentheses and whitespace around them. Only web and mailto addresses with
// a host are kept; anything outside angle brackets, an unclosed bracket,
// other schemes and URIs longer than maxUnsubscribeLen are skipped. At most
// maxUnsubscribeURIs are returned.
func parseListUnsubscribe(v string) []unsubscribeURI {
	var out []unsubscribeURI
	for len(out) < maxUnsubscribeURIs {
		open := strings.IndexByte(v, '<')
		if open < 0 {
			break
		}
		end := strings.IndexByte(v[open+1:], '>')
		if end < 0 {
			break
		}
		raw := strings.Join(strings.Fields(v[open+1:open+1+end]), "") // folding may split a long URI
		v = v[open+1+end+1:]
		if u, ok := readUnsubscribeURI(raw); ok {
			out = append(out, u)
		}
	}
	return out
}

// readUnsubscribeURI checks one URI from a List-Unsubscribe header.
func readUnsubscribeURI(raw string) (unsubscribeURI, bool) {
	if raw == "" || len(raw) > maxUnsubscribeLen {
		return unsubscribeURI{}, false
	}
	scheme, rest, ok := strings.Cut(raw, ":")
	if !ok {
		return unsubscribeURI{}, false
	}
	u := unsubscribeURI{raw: raw, scheme: strings.ToLower(scheme)}
	switch u.scheme {
	case "mailto":
		addr, _, _ := strings.Cut(rest, "?")
		if unescaped, err := url.PathUnescape(addr); err == nil {
			addr = unescaped
		}
		if strings.Count(addr, "@") != 1 {
			return unsubscribeURI{}, false
		}
		u.host = domainOf(addr)
	case "http", "https":
		p, err := url.Parse(raw)
		if err != nil {
			return unsubscribeURI{}, false
		}
		u.host = strings.TrimSuffix(strings.ToLower(p.Hostname()), ".")
	default:
		return unsubscribeURI{}, false
	}
	if u.host == "" || !strings.Contains(u.host, ".") {
		return unsubscribeURI{}, false
	}
	return u, true
}
