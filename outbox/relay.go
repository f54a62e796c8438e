package outbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// TLS modes of a relay.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS (port 587, 25)
	TLSImplicit = "implicit" // TLS from the first byte (port 465)
	TLSNone     = "none"     // no encryption: only for a relay on this machine or a trusted network
)

// Relay is an SMTP relay Ally hands its mail to, read from a URL:
//
//	smtp://[user:pass@]host:port[?tls=starttls|implicit|none]
//
// Without tls=, port 465 means implicit and any other port starttls.
type Relay struct {
	Host     string
	Port     string
	Username string
	Password string
	TLS      string
	// TLSConfig, when set, replaces the default (verify the relay's
	// certificate for Host); tests trust their own certificate with it.
	TLSConfig *tls.Config
}

// ParseRelay reads a relay URL. Its errors say what is wrong and how to
// write it instead.
func ParseRelay(s string) (*Relay, error) {
	const form = "write it as smtp://[user:pass@]host:port[?tls=starttls|implicit|none]"
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL; %s", redactURL(s), form)
	}
	if u.Scheme != "smtp" {
		return nil, fmt.Errorf("the relay URL must start with smtp://, not %q; %s", u.Scheme+"://", form)
	}
	r := &Relay{Host: u.Hostname(), Port: u.Port()}
	if r.Host == "" || r.Port == "" {
		return nil, fmt.Errorf("the relay URL needs a host and a port, such as smtp://mail.example.org:587; %s", form)
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("the relay URL has a path %q; %s", u.Path, form)
	}
	if u.User != nil {
		r.Username = u.User.Username()
		r.Password, _ = u.User.Password()
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return nil, fmt.Errorf("the relay URL has an unknown setting %q; the only setting is tls", k)
		}
	}
	switch r.TLS = q.Get("tls"); r.TLS {
	case "":
		r.TLS = TLSStartTLS
		if r.Port == "465" {
			r.TLS = TLSImplicit
		}
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return nil, fmt.Errorf("tls=%s is not a TLS mode; use tls=starttls, tls=implicit or tls=none", r.TLS)
	}
	if r.TLS == TLSNone && r.Username != "" && !loopback(r.Host) {
		return nil, fmt.Errorf("the relay password would cross the network unencrypted (tls=none to %s); "+
			"use tls=starttls or tls=implicit", r.Host)
	}
	return r, nil
}

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// String is the relay's URL with the password hidden.
func (r *Relay) String() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(r.Host, r.Port), RawQuery: "tls=" + r.TLS}
	if r.Username != "" {
		u.User = url.UserPassword(r.Username, "xxxxx")
	}
	return u.String()
}

// redactURL hides a password in a URL that did not parse.
func redactURL(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		if j := strings.LastIndex(s, "@"); j > i {
			return s[:i+3] + "xxxxx" + s[j:]
		}
	}
	return s
}

// Dial connects to the relay within timeout (for the connection and for
// each command after it), says hello, secures the connection as
// r.TLS says and signs in. Its errors say which step failed and why.
func (r *Relay) Dial(ctx context.Context, timeout time.Duration) (*smtp.Client, error) {
	addr := net.JoinHostPort(r.Host, r.Port)
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot connect to the relay at %s: %w", addr, unwrapOp(err))
	}
	cfg := r.TLSConfig
	if cfg == nil {
		cfg = &tls.Config{ServerName: r.Host, MinVersion: tls.VersionTLS12}
	}
	if r.TLS == TLSImplicit {
		tc := tls.Client(conn, cfg)
		_ = tc.SetDeadline(time.Now().Add(timeout))
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("TLS with the relay at %s failed: %w (is it really implicit TLS? port 587 uses tls=starttls)",
				addr, err)
		}
		_ = tc.SetDeadline(time.Time{})
		conn = tc
	}
	var c *smtp.Client
	if r.TLS == TLSStartTLS {
		_ = conn.SetDeadline(time.Now().Add(timeout))
		c, err = smtp.NewClientStartTLS(conn, cfg)
		if err != nil {
			if strings.Contains(err.Error(), "doesn't support STARTTLS") {
				return nil, fmt.Errorf("the relay at %s does not offer STARTTLS; use tls=implicit if it speaks TLS "+
					"from the start, or tls=none for a relay on a trusted network", addr)
			}
			return nil, fmt.Errorf("STARTTLS with the relay at %s failed: %w", addr, err)
		}
		_ = conn.SetDeadline(time.Time{})
	} else {
		c = smtp.NewClient(conn)
		c.CommandTimeout = timeout
		if err := c.Hello("localhost"); err != nil {
			c.Close()
			return nil, fmt.Errorf("the relay at %s did not greet us: %w", addr, err)
		}
	}
	c.CommandTimeout, c.SubmissionTimeout = timeout, timeout
	if r.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			c.Close()
			return nil, fmt.Errorf("the relay at %s does not offer sign-in (AUTH); leave user:pass out of the URL", addr)
		}
		if err := c.Auth(sasl.NewPlainClient("", r.Username, r.Password)); err != nil {
			c.Close()
			return nil, fmt.Errorf("the relay at %s refused the user name or password: %w", addr, err)
		}
	}
	return c, nil
}

// unwrapOp drops the "dial tcp 127.0.0.1:25:" prefix the message already says.
func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}
