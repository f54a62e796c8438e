package mailscan

// callbackLure raises callback-lure for the scam that carries no link: a
// charge or renewal the reader did not make (an antivirus subscription, an
// order, a payment), and a phone number to call to cancel or dispute it.
// The number reaches the scammers, who then talk the caller into remote
// access or a "refund". It needs both cue groups, a phone number, and a
// sender that is not the company: a free-mail account, an app platform, or
// a brand named from a domain it does not own. A company's own signed
// receipt with its hotline is ordinary mail (content asks only when the
// sender is not a brand writing as itself, see genuineBrandSender).
func (a *analysis) callbackLure() {
	if len(a.cues["charge"]) == 0 || len(a.cues["callback"]) == 0 {
		return
	}
	from := domainOf(a.r.From)
	b := a.claimedBrand()
	if !(rules.freemail[from] || a.sig.has("sender-platform") || a.sig.has("display-name-brand") ||
		b != nil && !b.ownedBy(from)) {
		return
	}
	if phone := phoneNumber(a.body); phone != "" {
		a.sig.add("callback-lure", "%q, %q and the number %s", a.cues["charge"][0].text, a.cues["callback"][0].text, phone)
	}
}

// phoneNumber returns the first phone number written in text, or "": 10 to
// 15 digits, separated by spaces, dashes, dots or brackets (with at least
// one separator or a leading +, so that a bare run of digits does not
// count), standing apart from letters and other digits. Grouped ids and
// amounts ("2024-1234-5678", "1 299 000 000") pass too: callback-lure also
// needs a charge, a request to call and a sender that is not the company.
func phoneNumber(text string) string {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !(c == '+' || c == '(' || c >= '0' && c <= '9') || i > 0 && (hostByte(text[i-1]) && text[i-1] != '.' ||
			text[i-1] == '+') {
			continue
		}
		digits, seps, end := 0, 0, i
		for j := i; j < len(text) && j-i < 24; j++ {
			d := text[j]
			switch {
			case d >= '0' && d <= '9':
				digits++
				end = j + 1
			case d == ' ' || d == '-' || d == '.' || d == '(' || d == ')' || d == '+' && j == i:
				if j > i && text[j-1] == d && d != ')' {
					j = len(text) // two separators alike in a row end it
					continue
				}
				seps++
			default:
				j = len(text)
			}
		}
		if end < len(text) && (text[end] >= '0' && text[end] <= '9' || hostByte(text[end]) && text[end] != '.' &&
			text[end] != '-') {
			i = end
			continue
		}
		if digits >= 10 && digits <= 15 && (seps > 0 || c == '+') {
			return text[i:end]
		}
		if end > i {
			i = end
		}
	}
	return ""
}
