// Package outboxtest runs a real SMTP server (go-smtp) for tests that
// records what it accepts and can be told to refuse, defer, hang or drop
// the connection halfway through a message.
package outboxtest

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/mail"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Modes a test can switch a Relay between.
const (
	Accept = int32(iota) // take every message
	Refuse               // 550 on RCPT
	Defer                // 451 on RCPT: try later
	Hang                 // never answer the end of the message
	GoAway               // drop the connection halfway through the message
)

// Received is one message the relay accepted.
type Received struct {
	From, To string
	Raw      []byte
	Header   mail.Header
}

// Relay is a real SMTP server (go-smtp) that records what it accepts.
type Relay struct {
	Mode  atomic.Int32  // one of the modes; Accept to start with
	User  string        // when set, sign-in is required with this name and password "secret"
	Addr  string        // host:port it listens on
	Delay time.Duration // how long each message takes before it is accepted

	mu       sync.Mutex
	got      []Received
	srv      *smtp.Server
	release  chan struct{} // closed when the test ends: hung sessions let go
	stopOnce sync.Once
}

// Start listens on addr ("127.0.0.1:0" for any port) until the test ends:
// with tlsConfig it offers STARTTLS, or speaks TLS from the start when
// implicit.
func Start(t testing.TB, addr string, tlsConfig *tls.Config, implicit bool) *Relay {
	t.Helper()
	r := &Relay{release: make(chan struct{})}
	r.srv = smtp.NewServer(r)
	r.srv.Domain = "relay.test"
	r.srv.AllowInsecureAuth = true
	r.srv.ErrorLog = log.New(io.Discard, "", 0)
	r.srv.TLSConfig = tlsConfig
	r.srv.ReadTimeout = time.Minute
	var ln net.Listener
	var err error
	if implicit {
		ln, err = tls.Listen("tcp", addr, tlsConfig)
	} else {
		ln, err = net.Listen("tcp", addr)
	}
	if err != nil {
		t.Fatal(err)
	}
	r.Addr = ln.Addr().String()
	go func() { _ = r.srv.Serve(ln) }()
	t.Cleanup(r.Stop)
	return r
}

// Stop closes the server and lets hung sessions go.
func (r *Relay) Stop() {
	r.stopOnce.Do(func() {
		close(r.release)
		_ = r.srv.Close()
	})
}

// Messages returns a copy of what was accepted, in order.
func (r *Relay) Messages() []Received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Received(nil), r.got...)
}

// NewSession implements smtp.Backend.
func (r *Relay) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{r: r, c: c}, nil
}

type session struct {
	r        *Relay
	c        *smtp.Conn
	from, to string
	authed   bool
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.r.User || pass != "secret" {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.r.User != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	switch s.r.Mode.Load() {
	case Refuse:
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	case Defer:
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.to = to
	return nil
}

func (s *session) Data(rd io.Reader) error {
	switch s.r.Mode.Load() {
	case Hang:
		_, _ = io.Copy(io.Discard, rd)
		<-s.r.release
		return errors.New("released")
	case GoAway:
		_, _ = io.CopyN(io.Discard, rd, 64)
		_ = s.c.Conn().Close()
		return errors.New("gone")
	}
	raw, err := io.ReadAll(rd)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return &smtp.SMTPError{Code: 554, Message: "unreadable message: " + err.Error()}
	}
	time.Sleep(s.r.Delay)
	s.r.mu.Lock()
	s.r.got = append(s.r.got, Received{From: s.from, To: s.to, Raw: raw, Header: m.Header})
	s.r.mu.Unlock()
	return nil // go-smtp answers 250 now: the relay takes the message only here
}

func (s *session) Reset()        { s.from, s.to = "", "" }
func (s *session) Logout() error { return nil }
