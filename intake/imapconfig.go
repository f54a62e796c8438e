package intake

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// IMAPConfig is the mailbox to watch.
type IMAPConfig struct {
	Addr      string // host:port
	Implicit  bool   // imaps: TLS from the first byte
	StartTLS  bool   // imap with ?tls=starttls
	User      string
	Password  string // or the OAuth access token with XOAUTH2
	XOAUTH2   bool
	Folder    string // watched; default INBOX
	Processed string // where stored messages go; default "Processed"
	// Flag, when set, leaves stored messages in Folder marked with the
	// keyword $AllyProcessed (and \Seen) instead of moving them.
	Flag bool
	// IdleRestart re-issues IDLE before servers drop it (RFC 2177 asks
	// clients to, within 29 minutes); default 25 minutes.
	IdleRestart time.Duration
	// Poll is how often the folder is checked on servers without IDLE;
	// default one minute.
	Poll time.Duration
	// MaxBytes is the largest message read; a larger one is refused and
	// filed. Default DefaultMaxBytes.
	MaxBytes int64
	TLS      *tls.Config // optional: certificates to trust (tests)
}

// ProcessedKeyword marks stored messages in flag mode.
const ProcessedKeyword = "$AllyProcessed"

// ParseIMAPURL reads imap[s]://user:pass@host:port/FOLDER, with the options
// ?tls=starttls, ?auth=xoauth2 (the password is then an OAuth access token),
// ?processed=FOLDER and ?after=flag.
func ParseIMAPURL(s string) (IMAPConfig, error) {
	bad := func(format string, args ...any) (IMAPConfig, error) {
		return IMAPConfig{}, fmt.Errorf("--imap: "+format+
			" (the form is imap[s]://user:password@host:port/FOLDER)", args...)
	}
	u, err := url.Parse(s)
	if err != nil {
		return bad("it is not a URL")
	}
	c := IMAPConfig{Folder: strings.TrimPrefix(u.Path, "/"), Processed: "Processed"}
	switch u.Scheme {
	case "imaps":
		c.Implicit = true
	case "imap":
	default:
		return bad("the scheme must be imap or imaps, not %q", u.Scheme)
	}
	if u.User == nil || u.User.Username() == "" {
		return bad("the user name is missing")
	}
	c.User = u.User.Username()
	c.Password, _ = u.User.Password()
	if c.Password == "" {
		return bad("the password is missing")
	}
	port := u.Port()
	if port == "" {
		port = map[bool]string{true: "993", false: "143"}[c.Implicit]
	}
	if u.Hostname() == "" {
		return bad("the host is missing")
	}
	c.Addr = net.JoinHostPort(u.Hostname(), port)
	if c.Folder == "" {
		c.Folder = "INBOX"
	}
	q := u.Query()
	switch q.Get("tls") {
	case "starttls":
		c.StartTLS = !c.Implicit
	case "", "none", "implicit":
	default:
		return bad("tls must be starttls, implicit or none")
	}
	switch strings.ToLower(q.Get("auth")) {
	case "xoauth2":
		c.XOAUTH2 = true
	case "", "plain", "login":
	default:
		return bad("auth must be login or xoauth2")
	}
	if p := q.Get("processed"); p != "" {
		c.Processed = p
	}
	switch q.Get("after") {
	case "flag":
		c.Flag = true
	case "", "move":
	default:
		return bad("after must be move or flag")
	}
	if !c.Flag && strings.EqualFold(c.Processed, c.Folder) {
		return bad("the processed folder must differ from the watched one")
	}
	return c, nil
}

// Redacted returns the settings without the secret, for messages.
func (c IMAPConfig) Redacted() string {
	scheme := "imap"
	if c.Implicit {
		scheme = "imaps"
	}
	return fmt.Sprintf("%s://%s:***@%s/%s", scheme, url.PathEscape(c.User), c.Addr, c.Folder)
}

// xoauth2 is the SASL XOAUTH2 mechanism (Google, Microsoft).
type xoauth2 struct{ user, token string }

func (x xoauth2) Start() (string, []byte, error) {
	return "XOAUTH2", []byte("user=" + x.user + "\x01auth=Bearer " + x.token + "\x01\x01"), nil
}

// Next answers the server's error challenge with an empty response, which
// ends the exchange with the server's failure.
func (x xoauth2) Next([]byte) ([]byte, error) { return []byte{}, nil }
