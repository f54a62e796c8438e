package mailscan

import (
	"strings"
	"unicode"

	"golang.org/x/net/publicsuffix"
)

// lookalike describes a domain that imitates a brand.
type lookalike struct {
	brand *brand
	how   string // "homoglyph", "typo", "brand-word", "punycode"
}

// labelOf returns the registrable label of a host: "paypa1" for
// "login.paypa1.com".
func labelOf(host string) string {
	reg := registrable(host)
	suffix, _ := publicsuffix.PublicSuffix(reg)
	return strings.TrimSuffix(strings.TrimSuffix(reg, suffix), ".")
}

// imitates reports whether host imitates a brand it does not belong to.
func imitates(host string) (lookalike, bool) {
	if host == "" || isIP(host) {
		return lookalike{}, false
	}
	if b := rules.brandByDomain[registrable(host)]; b != nil {
		return lookalike{}, false
	}
	label := labelOf(host)
	if strings.Contains(host, "xn--") {
		u := labelOf(unicodeHost(host))
		if sk := skeleton(u); sk != u || hasNonASCII(u) {
			if b := matchKey(sk); b != nil {
				return lookalike{b, "punycode"}, true
			}
		}
	}
	if b := matchKey(label); b != nil && !rules.wordKeys[label] {
		// The brand's exact name on a domain it does not own (paypal.co).
		return lookalike{b, "brand-word"}, true
	}
	if sk := skeleton(label); sk != label && !rules.wordKeys[sk] {
		if b := matchKey(sk); b != nil {
			return lookalike{b, "homoglyph"}, true
		}
	}
	for _, tok := range strings.Split(label, "-") {
		if b := rules.brandByKey[tok]; b != nil && !rules.wordKeys[tok] {
			return lookalike{b, "brand-word"}, true
		}
		if sk := skeleton(tok); sk != tok && rules.brandByKey[sk] != nil && !rules.wordKeys[sk] {
			b := rules.brandByKey[sk]
			return lookalike{b, "homoglyph"}, true
		}
	}
	sub := strings.TrimSuffix(strings.TrimSuffix(host, registrable(host)), ".")
	for _, tok := range strings.FieldsFunc(sub, func(r rune) bool { return r == '.' || r == '-' }) {
		if b := rules.claimKey(tok); b != nil {
			return lookalike{b, "brand-word"}, true
		}
	}
	for _, tok := range strings.Split(label, "-") {
		if len(tok) < 6 {
			continue
		}
		if b := rules.typoOf(tok); b != nil {
			return lookalike{b, "typo"}, true
		}
	}
	return lookalike{}, false
}

// matchKey returns the brand whose key is exactly s.
func matchKey(s string) *brand { return rules.brandByKey[s] }

func hasNonASCII(s string) bool {
	for _, r := range s {
		if r >= 0x80 {
			return true
		}
	}
	return false
}

// skeleton maps characters that look alike to one form, so "paypa1",
// "rnicrosoft" and a Cyrillic "раураl" all reduce to the brand's spelling.
func skeleton(s string) string {
	s = homoglyphPairs.Replace(s)
	var b strings.Builder
	for _, r := range s {
		if c, ok := confusables[r]; ok {
			b.WriteRune(c)
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

var confusables = map[rune]rune{
	'0': 'o', '1': 'l', '3': 'e', '5': 's', '4': 'a', '7': 't', 'ı': 'i',
	// Cyrillic and Greek letters that render like Latin ones.
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ӏ': 'l', 'ј': 'j', 'ѕ': 's',
	'һ': 'h', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w',
	'α': 'a', 'ο': 'o', 'ρ': 'p', 'ν': 'v', 'τ': 't', 'ι': 'i', 'κ': 'k', 'ε': 'e',
}

// editDistance1 reports whether a and b differ by exactly one insertion,
// deletion, substitution or swap of neighbours.
func editDistance1(a, b string) bool {
	if a == b {
		return false
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case la > lb:
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}

// homoglyphPairs are letter pairs that read as one letter ("rn" as "m").
var homoglyphPairs = strings.NewReplacer("rn", "m", "vv", "w", "cl", "d")
