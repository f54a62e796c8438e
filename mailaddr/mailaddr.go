// Package mailaddr makes and reads the reply-to addresses Ally puts on its
// mail: plus-addresses of the report mailbox that carry a case reference and
// a token signed with the organisation's key, e.g.
//
//	report+AL-1042.k3j5x2m4q7n8r9t1@example.org
//
// A reply sent to such an address can be filed on its case only when the
// token verifies, so nobody can post into a case by guessing its number.
// The package is pure: no I/O, no clock.
package mailaddr

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// tokenBytes is how much of the HMAC a token keeps: 80 bits, 16 characters.
const tokenBytes = 10

// MinKey is the shortest signing key Token accepts.
const MinKey = 16

// encoding is lowercase base32 without padding: safe in a local part and
// unchanged by mail systems that lowercase addresses.
var encoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Token signs a case reference (e.g. "AL-1042") with key. The reference is
// read without regard to case, as mail systems may change it.
func Token(key []byte, ref string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("ally-reply-to\x00" + strings.ToUpper(ref)))
	return encoding.EncodeToString(m.Sum(nil)[:tokenBytes])
}

// Verify reports whether token is ref's token under key, in constant time.
func Verify(key []byte, ref, token string) bool {
	return len(key) >= MinKey && hmac.Equal([]byte(Token(key, ref)), []byte(strings.ToLower(token)))
}

// ReplyTo returns the plus-address of report (a bare address such as
// report@example.org) that carries ref and its token.
func ReplyTo(key []byte, report, ref string) (string, error) {
	if len(key) < MinKey {
		return "", fmt.Errorf("the signing key is %d bytes; it needs at least %d", len(key), MinKey)
	}
	local, domain, err := split(report)
	if err != nil {
		return "", err
	}
	if base, _, found := strings.Cut(local, "+"); found {
		local = base
	}
	return local + "+" + ref + "." + Token(key, ref) + "@" + domain, nil
}

// ErrNotReply means an address is not a reply-to address of the report
// mailbox (no "+REF.TOKEN" part).
var ErrNotReply = errors.New("mailaddr: not a reply-to address")

// Parse reads a reply-to address back into the case reference (upper case)
// and token, without verifying the token (see Verify). Its error is
// ErrNotReply when addr is a plain address.
func Parse(addr string) (ref, token string, err error) {
	local, _, err := split(addr)
	if err != nil {
		return "", "", err
	}
	_, tag, found := strings.Cut(local, "+")
	if !found {
		return "", "", ErrNotReply
	}
	return ParseTag(tag)
}

// ParseTag is Parse for the part of the local part after "+" ("AL-1042.k3j5…"),
// as an SMTP listener sees it.
func ParseTag(tag string) (ref, token string, err error) {
	ref, token, found := strings.Cut(tag, ".")
	if !found || ref == "" || len(token) != encoding.EncodedLen(tokenBytes) {
		return "", "", ErrNotReply
	}
	return strings.ToUpper(ref), strings.ToLower(token), nil
}

// split parses a bare address (or "Name <address>") into its local part and
// domain.
func split(addr string) (local, domain string, err error) {
	a, err := mail.ParseAddress(addr)
	if err != nil {
		return "", "", fmt.Errorf("%q is not an email address: %w", addr, err)
	}
	i := strings.LastIndexByte(a.Address, '@')
	if i <= 0 || i == len(a.Address)-1 {
		return "", "", fmt.Errorf("%q is not an email address: it needs a name, @ and a domain", addr)
	}
	return a.Address[:i], a.Address[i+1:], nil
}

// Domain returns the domain of a bare address, or "" when it has none.
func Domain(addr string) string {
	_, d, err := split(addr)
	if err != nil {
		return ""
	}
	return d
}
