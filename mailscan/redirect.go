package mailscan

import (
	"encoding/base64"
	"net/url"
	"strings"
)

// maxUnwrapped bounds how many redirect destinations one message may add
// to its links (each is checked like any other link).
const maxUnwrapped = 50

// redirectTarget returns the web address a link carries in its query
// string — an open redirect on a known site, which makes a link to a
// cheap or hidden destination look like one to a trusted site
// ("…/click?out=http%3A%2F%2F…", "…/dereferrer/?redirectUrl=https://t.ly/…",
// Bing's "u=a1aHR0cHM6…", base64 of the address) — or "" when it carries
// none, or one on the link's own site.
func redirectTarget(href string) string {
	if t := pathTarget(href); t != "" {
		return t
	}
	q := strings.IndexByte(href, '?')
	if q < 0 || !mayHoldURL(href[q+1:]) {
		return ""
	}
	if h := strings.IndexByte(href[q:], '#'); h >= 0 {
		href = href[:q+h]
	}
	vals, _ := url.ParseQuery(href[q+1:]) // the pairs it could read
	host := hostOf(href)
	for _, vs := range vals {
		for _, v := range vs {
			if t := asURL(v); t != "" {
				if th := hostOf(t); th != "" && !aligned(th, host) && (realTLD(th) || isIP(th)) {
					return t
				}
			}
		}
	}
	return ""
}

// pathTarget returns the address a link carries in its path, as Google's
// AMP viewer and the AMP cache do ("https://www.google.com/amp/s/evil.example/x",
// "https://x.cdn.ampproject.org/c/s/evil.example/x") and redirectors that
// append the whole address ("…/out/https://evil.example/x"), or "".
func pathTarget(href string) string {
	_, rest, ok := strings.Cut(href, "://")
	if !ok {
		return ""
	}
	slash := strings.IndexByte(rest, '/')
	if slash < 0 {
		return ""
	}
	path := rest[slash:]
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	var t string
	if strings.HasPrefix(path, "/amp/s/") || strings.HasPrefix(path, "/c/s/") {
		t = "https://" + path[strings.Index(path, "/s/")+3:]
	} else if i := indexFold(path, "/http"); i >= 0 {
		t = asURL(path[i+1:])
	}
	if t == "" {
		return ""
	}
	if th := hostOf(t); !strings.Contains(th, ".") || aligned(th, hostOf(href)) || !(realTLD(th) || isIP(th)) {
		return ""
	}
	return t
}

// indexFold is strings.Index ignoring ASCII case in s (sub lower-case,
// starting with a byte that has no case, such as "/").
func indexFold(s, sub string) int {
	for i := 0; ; {
		j := strings.IndexByte(s[i:], sub[0])
		if j < 0 {
			return -1
		}
		i += j
		if hasPrefixFold(s[i:], sub) {
			return i
		}
		i++
	}
}

// mayHoldURL is a quick test that a query string could carry an address:
// "http" written plainly, percent-encoded or in base64.
func mayHoldURL(query string) bool {
	for i := 0; i+4 <= len(query); i++ {
		switch c := query[i] | 0x20; {
		case c == 'h' && hasPrefixFold(query[i:], "http"):
			return true
		case c == '%' && hasPrefixFold(query[i:], "%68"):
			return true
		case query[i] == 'a' && strings.HasPrefix(query[i:], "aHR0c"):
			return true
		}
	}
	return false
}

// asURL reads one query value as a web address: "https://host/…",
// "http:host/…" (the slashes dropped to slip past scanners), or base64 of
// one (optionally behind Bing's "a1"); "" when it is none.
func asURL(v string) string {
	v = strings.TrimSpace(v)
	if rest, ok := strings.CutPrefix(v, "a1"); ok && strings.HasPrefix(rest, "aHR0c") {
		v = rest
	}
	if strings.HasPrefix(v, "aHR0c") {
		enc := strings.TrimRight(v, "=")
		b, err := base64.RawURLEncoding.DecodeString(enc)
		if err != nil {
			b, err = base64.RawStdEncoding.DecodeString(enc)
		}
		if err != nil {
			return ""
		}
		v = string(b)
	}
	for _, scheme := range []string{"https:", "http:"} {
		if hasPrefixFold(v, scheme) {
			return "https://" + strings.TrimLeft(v[len(scheme):], `/\`)
		}
	}
	return ""
}
