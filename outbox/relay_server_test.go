package outbox_test

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

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Relay behaviours a test can switch between.
const (
	accept = iota // take every message
	refuse        // 550 on RCPT
	defer4        // 451 on RCPT: try later
	hang          // never answer the end of the message
	goAway        // drop the connection halfway through the message
)

// received is one message the test relay accepted.
type received struct {
	From, To string
	Raw      []byte
	Header   mail.Header
}

// relay is a real SMTP server (go-smtp) that records what it accepts.
type relay struct {
	mu       sync.Mutex
	got      []received
	mode     atomic.Int32
	user     string // when set, sign-in is required with password "secret"
	addr     string
	srv      *smtp.Server
	release  chan struct{} // closed when the test ends: hung sessions let go
	implicit bool
}

// startRelay listens on addr ("127.0.0.1:0" for any port).
func startRelay(t testing.TB, addr string, tlsConfig *tls.Config, implicit bool) *relay {
	t.Helper()
	r := &relay{release: make(chan struct{}), implicit: implicit}
	r.srv = smtp.NewServer(r)
	r.srv.Domain = "relay.test"
	r.srv.AllowInsecureAuth = true
	r.srv.ErrorLog = log.New(io.Discard, "", 0)
	r.srv.TLSConfig = tlsConfig
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
	r.addr = ln.Addr().String()
	go func() { _ = r.srv.Serve(ln) }()
	t.Cleanup(r.stop)
	return r
}

var stopOnce sync.Map

func (r *relay) stop() {
	if _, done := stopOnce.LoadOrStore(r, true); done {
		return
	}
	close(r.release)
	_ = r.srv.Close()
}

// messages returns a copy of what was accepted.
func (r *relay) messages() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// NewSession implements smtp.Backend.
func (r *relay) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{r: r, c: c}, nil
}

type session struct {
	r        *relay
	c        *smtp.Conn
	from, to string
	authed   bool
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.r.user || pass != "secret" {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.r.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	switch s.r.mode.Load() {
	case refuse:
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	case defer4:
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.to = to
	return nil
}

func (s *session) Data(rd io.Reader) error {
	switch s.r.mode.Load() {
	case hang:
		_, _ = io.Copy(io.Discard, rd)
		<-s.r.release
		return errors.New("released")
	case goAway:
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
	s.r.mu.Lock()
	s.r.got = append(s.r.got, received{From: s.from, To: s.to, Raw: raw, Header: m.Header})
	s.r.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", "" }
func (s *session) Logout() error { return nil }
