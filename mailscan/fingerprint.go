package mailscan

import (
	"math/bits"
	"regexp"
	"strings"
)

var subjectPrefixRE = regexp.MustCompile(`(?i)^\s*((re|fw|fwd|aw|wg|tr|rv|sv|ref|enc|antw)\s*(\[\d+\])?\s*:\s*)+`)
var digitsRE = regexp.MustCompile(`\d+`)

// normalSubject lower-cases a subject, drops reply/forward prefixes and
// replaces numbers (ticket ids, amounts) with #.
func normalSubject(s string) string {
	s = subjectPrefixRE.ReplaceAllString(s, "")
	s = digitsRE.ReplaceAllString(strings.ToLower(s), "#")
	return strings.Join(strings.Fields(s), " ")
}

// fingerprint summarises the message for campaign grouping.
func (a *analysis) fingerprint() Fingerprint {
	doms := map[string]bool{}
	for h := range a.hosts {
		if !strings.HasPrefix(h, "mailto:") {
			doms[registrable(h)] = true
		}
	}
	ld := keys(doms)
	if len(ld) > 20 {
		ld = ld[:20]
	}
	return Fingerprint{
		SenderDomain: registrable(domainOf(a.r.From)),
		Subject:      normalSubject(a.r.Subject),
		LinkDomains:  ld,
		BodySimhash:  simhash(a.tokens),
	}
}

// maxSimhashTokens bounds the words a body simhash reads: the start of a
// message is enough to recognise it again.
const maxSimhashTokens = 400

// simhash is a 64-bit Charikar simhash over word 3-shingles; near-identical
// texts differ in few bits.
func simhash(tokens []string) uint64 {
	tokens = tokens[:min(len(tokens), maxSimhashTokens)]
	if len(tokens) == 0 {
		return 0
	}
	var v [64]int
	for i := 0; i+2 < len(tokens) || i == 0; i++ {
		x := uint64(14695981039346656037) // FNV-1a offset basis
		for j := i; j < min(i+3, len(tokens)); j++ {
			for k := 0; k < len(tokens[j]); k++ {
				x = (x ^ uint64(tokens[j][k])) * 1099511628211
			}
			x = (x ^ ' ') * 1099511628211
		}
		for b := 0; b < 64; b++ {
			v[b] += int(x>>b&1)*2 - 1
		}
	}
	var out uint64
	for b := 0; b < 64; b++ {
		if v[b] > 0 {
			out |= 1 << b
		}
	}
	return out
}

// Similar reports whether two fingerprints describe the same or a nearly
// identical message: same sender domain and subject, or near-identical
// bodies that share the sender domain, the subject or a link domain.
func Similar(a, b Fingerprint) bool {
	sameSender := a.SenderDomain != "" && a.SenderDomain == b.SenderDomain
	sameSubject := a.Subject != "" && a.Subject == b.Subject
	if sameSender && sameSubject {
		return true
	}
	if a.BodySimhash == 0 || b.BodySimhash == 0 {
		return false
	}
	d := bits.OnesCount64(a.BodySimhash ^ b.BodySimhash)
	return d <= 3 && (sameSender || sameSubject || sharesAny(a.LinkDomains, b.LinkDomains)) ||
		d <= 8 && sameSubject && sharesAny(a.LinkDomains, b.LinkDomains)
}

func sharesAny(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}
