package mailscan

import "unicode/utf8"

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
		case r >= 0x1d400 && r <= 0x1d7ff || r >= 0xff21 && r <= 0xff5a || r >= 0x24b6 && r <= 0x24e9 || r >= 0x1f130 && r <= 0x1f189:
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
	switch {
	case head.invisible > 0:
		a.sig.add("invisible-text", "invisible characters in the subject or sender's name")
	case body.invisible >= 20:
		a.sig.add("invisible-text", "%d zero-width or invisible characters", body.invisible)
	}
}
