package mailscan

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// disguise counts how a text dresses its letters to slip past filters:
// styled letters (mathematical bold 𝐏𝐚𝐲, full-width, circled), look-alike
// letters from other scripts inside Latin words (Раyраl, aᥴcount), and
// invisible characters.
type disguise struct{ styled, mixed, invisible int }

func measureDisguise(s string) disguise {
	var d disguise
	prevLatin := false
	for i, r := range s {
		switch {
		case r < 0x80:
			prevLatin = r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
			continue
		case isInvisible(r):
			d.invisible++
			continue
		case unicode.Is(unicode.Mn, r) && prevLatin:
			d.mixed++
			continue // a mark on a Latin letter: the next letter is still Latin-adjacent
		case compatLetter(r) && styledLatin(r):
			d.styled++
		case lookalikeLetters[r] != 0:
			next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
			if prevLatin || next >= 'a' && next <= 'z' || next >= 'A' && next <= 'Z' {
				d.mixed++
			}
		}
		prevLatin = false
	}
	return d
}

// longNumberRE finds a number of eight or more digits, which no person's
// or company's name carries (scams add "protocol numbers" to look official).
var longNumberRE = regexp.MustCompile(`[0-9]{8,}`)

// noiseToken returns a word of the subject or sender's name that is random
// noise added to defeat filters that compare messages ("YydtzJJTBFBvIBDB",
// "eTlEhzBoS1Jy"): ten or more letters and digits, upper and lower case
// switching four or more times and each making up at least a third of
// the letters (CamelCase names have few capitals).
func noiseToken(s string) string {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		if len(w) < 10 {
			continue
		}
		switches, uppers, letters, prevUpper := 0, 0, 0, w[0] >= 'A' && w[0] <= 'Z'
		for i := 0; i < len(w); i++ {
			c := w[i]
			if c >= '0' && c <= '9' {
				continue
			}
			letters++
			upper := c >= 'A' && c <= 'Z'
			if upper {
				uppers++
			}
			if upper != prevUpper {
				switches++
				prevUpper = upper
			}
		}
		if switches >= 4 && uppers*3 >= letters && (letters-uppers)*3 >= letters {
			return w
		}
	}
	return ""
}

// disguiseSignals raises the signals for disguised letters in the subject,
// the sender's name and the body.
func (a *analysis) disguiseSignals() {
	head := measureDisguise(a.r.Subject + "\n" + a.from.name)
	body := measureDisguise(a.body)
	switch {
	case head.styled >= 3 || head.mixed >= 1:
		a.sig.add("disguised-letters", "the subject or sender's name is written in styled or look-alike letters")
	case body.styled >= 8 || body.mixed >= 3:
		a.sig.add("disguised-letters", "%d styled and %d look-alike letters in the text", body.styled, body.mixed)
	}
	if w := noiseToken(a.r.Subject + " " + a.from.name); w != "" {
		a.sig.add("noise-token", "%q", w)
	} else if n := longNumberRE.FindString(a.from.name); n != "" {
		a.sig.add("noise-token", "the sender's name carries the number %s", n)
	}
	if to := a.recipientInSubject(); to != "" {
		a.sig.add("recipient-in-subject", "%q in the subject", to)
	}
	switch {
	case head.invisible > 0:
		a.sig.add("invisible-text", "invisible characters in the subject or sender's name")
	case body.invisible >= 20:
		a.sig.add("invisible-text", "%d zero-width or invisible characters", body.invisible)
	}
}

// styledLatin reports whether r is a Latin letter or digit dressed up
// (𝐀, Ａ, Ⓐ), not a full-width form of another script's letter.
func styledLatin(r rune) bool {
	p := norm.NFKC.String(string(r))
	return p != "" && (p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z' || p[0] >= '0' && p[0] <= '9')
}

// htmlTricks raises the signals for HTML bodies built to fool filters:
// text hidden from the reader, or a body that is only pictures and a link
// (the words are in the image, where filters cannot read them).
func (a *analysis) htmlTricks(h htmlInfo) {
	if h.hiddenText >= 200 {
		a.sig.add("hidden-text", "%d characters of text styled to be invisible", h.hiddenText)
	}
	if h.images > 0 && len(h.links) > 0 && fewWords(h.text, 40) {
		a.sig.add("image-only", "%d image(s), %d link(s) and almost no text", h.images, len(h.links))
	}
}

// fewWords reports whether text has fewer than n characters that are not
// white space, stopping as soon as it has n.
func fewWords(text string, n int) bool {
	for _, r := range text {
		if !unicode.IsSpace(r) {
			if n--; n == 0 {
				return false
			}
		}
	}
	return true
}

// recipientInSubject returns the recipient's address when the subject
// carries it ("jane@example.com, your reward"): bulk-mail kits add it so
// that no two subjects are alike; people and services use a name.
func (a *analysis) recipientInSubject() string {
	subject := strings.ToLower(a.r.Subject)
	for _, to := range a.r.To {
		if strings.Contains(to, "@") && strings.Contains(subject, to) {
			return to
		}
	}
	return ""
}
