package ally

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Password rules follow NIST SP 800-63B: a length floor and ceiling, no
// composition rules, and a refusal of passwords that are known or guessable
// from the account itself.
const (
	// MinPassword is the fewest characters a password may have.
	MinPassword = 12
	// MaxPassword is the most bytes a password may have.
	MaxPassword = 1024
)

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords holds the shipped list of common and breached passwords,
// folded by foldPassword.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[foldPassword(line)] = true
		}
	}
	return m
}()

// foldPassword lower-cases a password and drops its spaces, so that
// "Password 1234" and "password1234" compare equal.
func foldPassword(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// CheckPassword checks a new password for the account with this email and
// name. Errors: EINVALID, saying what is wrong and what to do instead.
func CheckPassword(pw, email, name string) error {
	const advice = " Try a few unrelated words, or let Ally make one for you."
	folded := foldPassword(pw)
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	switch {
	case utf8.RuneCountInString(pw) < MinPassword:
		return Errorf(EINVALID, "password: must be at least %d characters."+advice, MinPassword)
	case len(pw) > MaxPassword:
		return Errorf(EINVALID, "password: is longer than %d characters.", MaxPassword)
	case oneCharacter(pw):
		return Errorf(EINVALID, "password: is one character repeated, which is easy to guess."+advice)
	case email != "" && (strings.Contains(folded, foldPassword(email)) || folded == foldPassword(local)):
		return Errorf(EINVALID, "password: must not be the email address."+advice)
	case name != "" && folded == foldPassword(name):
		return Errorf(EINVALID, "password: must not be the person's name."+advice)
	case commonPasswords[folded]:
		return Errorf(EINVALID, "password: is on the list of common passwords that attackers try first."+advice)
	}
	return nil
}

// oneCharacter reports whether s is one character repeated (spaces too).
func oneCharacter(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	return strings.Trim(s, string(first)) == ""
}
