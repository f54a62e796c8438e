package mailscan

import "strings"

// senderInfrastructure raises the signals for where the sender's address
// lives: a platform anyone can sign up to (a tenant or app subdomain that
// passes SPF and DKIM without proving who is behind it), or a domain whose
// names look machine-made (qzxkvt.example.shop), as throwaway domains do.
func (a *analysis) senderInfrastructure() {
	d := domainOf(a.r.From)
	if d == "" {
		return
	}
	if rules.senderPlatforms.hasSuffixDomain(d) || freeHosted(d) {
		a.sig.add("sender-platform", "sent from %s", d)
	}
	if l := randomLabel(d); l != "" {
		a.sig.add("random-sender", "%q in %s", l, d)
	} else if rp := domainOf(a.r.ReturnPath); rp != "" && !a.inline && !aligned(rp, d) {
		// Bounces to a throwaway domain (names of letters and digits
		// mixed at random: x7kq2m9): the kit that sent it, whatever the
		// From line says. Six consonants in a row do not count here:
		// list servers' names run words together.
		if l := randomLabel(strings.ToLower(rp)); l != "" && digitSwitches(l) >= 3 {
			a.sig.add("random-sender", "%q in the bounce address's domain %s", l, rp)
		}
	}
	local := a.r.From[:strings.LastIndexByte(a.r.From, '@')+1]
	if seg := randomMailbox(strings.TrimSuffix(local, "@"), rules.freemail[d]); seg != "" {
		a.sig.add("random-mailbox", "%q in %s", seg, a.r.From)
	}
}

// randomMailbox returns the part of a mailbox name (the address before
// the @) that looks machine-made: a piece of six or more letters and
// digits that looksRandom, or, on an organisation's domain, a word
// followed by a number of five or more digits ("info235495", "anna_68865"),
// as senders are numbered by bulk-mailing kits. People's free-mail
// addresses often carry a number, so the number alone does not count
// there. A +tag is not read: mail systems put dates and ids there.
func randomMailbox(local string, freemail bool) string {
	mailbox, _, _ := strings.Cut(local, "+") // a +tag is the mail system's own (dates, list ids)
	pieces := strings.FieldsFunc(strings.ToLower(local), func(r rune) bool {
		return r == '.' || r == '_' || r == '-' || r == '+' || r == '='
	})
	nMailbox := strings.Count(mailbox, ".") + strings.Count(mailbox, "_") + strings.Count(mailbox, "-") + 1
	for i, p := range pieces[:min(nMailbox, len(pieces))] {
		digits := len(p) - len(strings.TrimRight(p, "0123456789"))
		letters := strings.TrimRight(p, "0123456789")
		switch {
		case len(p) >= 6 && !isNumber(p) && strings.ContainsAny(letters, "abcdefghijklmnopqrstuvwxyz") &&
			looksRandom(p) && !(digits > 0 && !looksRandom(letters)):
			return p
		case !freemail && digits >= 5 && (letters != "" || i > 0):
			return p
		}
	}
	return ""
}

// randomLabel returns the first name in host, outside its public suffix,
// that looks machine-made: six consonants in a row, no vowel at all, or
// letters and digits switching back and forth ("x7kq2m"). It returns ""
// when every name reads as words, names or words with a number.
func randomLabel(host string) string {
	reg := registrable(host)
	suffix := strings.TrimPrefix(reg, labelOf(host))
	names := strings.FieldsFunc(strings.TrimSuffix(host, suffix), func(r rune) bool { return r == '.' || r == '-' })
	for _, l := range names {
		if len(l) >= 5 && looksRandom(l) {
			return l
		}
	}
	return ""
}

// digitSwitches counts how often l switches between letters and digits.
func digitSwitches(l string) int {
	n := 0
	for i := 1; i < len(l); i++ {
		if (l[i] >= '0' && l[i] <= '9') != (l[i-1] >= '0' && l[i-1] <= '9') {
			n++
		}
	}
	return n
}

func looksRandom(l string) bool {
	run, maxRun, vowels, switches := 0, 0, 0, 0
	prevDigit := l[0] >= '0' && l[0] <= '9'
	for i := range len(l) {
		c := l[i]
		digit := c >= '0' && c <= '9'
		if digit != prevDigit {
			switches++
		}
		prevDigit = digit
		switch {
		case strings.IndexByte("aeiouy", c) >= 0:
			vowels++
			run = 0
		case c >= 'a' && c <= 'z':
			run++
			maxRun = max(maxRun, run)
		default:
			run = 0
		}
	}
	return maxRun >= 6 || vowels == 0 && switches == 0 || switches >= 3
}
