package intake

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
)

// DefaultMaxBytes is the largest message the listener takes: room for a
// 25 MB reported email after base64.
const DefaultMaxBytes = 40 << 20

// SMTPConfig configures the report listener.
type SMTPConfig struct {
	// Allow lists the networks that may hand it mail (the organisation's
	// relays); empty means loopback only.
	Allow    []netip.Prefix
	MaxBytes int64       // 0: DefaultMaxBytes
	TLS      *tls.Config // offers STARTTLS when set
	Domain   string      // the name it greets with
	// Replies, when set, takes messages sent to a plus-address of the
	// report mailbox (report+TAG@…): replies to Ally's own mail, which the
	// outbox lane routes back into the case. Without it they are reports.
	Replies func(ctx context.Context, tag string, raw []byte) error
}

// NewSMTPServer returns an SMTP server that stores each message as a report
// and answers 250 only once it is durably stored.
func (in *Intake) NewSMTPServer(c SMTPConfig) *smtp.Server {
	if len(c.Allow) == 0 {
		c.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	if c.Domain == "" {
		c.Domain = "localhost"
	}
	slots := make(chan struct{}, maxReading)
	s := smtp.NewServer(smtp.BackendFunc(func(conn *smtp.Conn) (smtp.Session, error) {
		if !allowed(conn.Conn().RemoteAddr(), c.Allow) {
			in.cfg.Log.Warn("smtp connection refused", "remote", conn.Conn().RemoteAddr().String())
			return nil, &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
				Message: "This address may not send to Ally; add its network to --smtp-allow"}
		}
		return &session{in: in, cfg: &c, slots: slots}, nil
	}))
	s.Domain = c.Domain
	s.MaxMessageBytes = c.MaxBytes
	s.MaxRecipients = 50
	s.ReadTimeout, s.WriteTimeout = 5*time.Minute, time.Minute
	s.TLSConfig = c.TLS
	s.ErrorLog = errorLog{in}
	return s
}

// allowed reports whether addr is in one of the networks.
func allowed(addr net.Addr, nets []netip.Prefix) bool {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return false
	}
	ip := ap.Addr().Unmap()
	for _, n := range nets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// maxReading is how many messages are read and stored at once; others
// wait, so memory stays within maxReading × MaxBytes.
const maxReading = 8

// session is one SMTP conversation.
type session struct {
	in    *Intake
	cfg   *SMTPConfig
	slots chan struct{} // shared by the server's sessions: see maxReading
	tag   string        // the plus-address tag of a reply, if any
}

func (s *session) Reset()        { s.tag = "" }
func (s *session) Logout() error { return nil }

func (s *session) Mail(string, *smtp.MailOptions) error { return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	local, _, _ := strings.Cut(to, "@")
	if _, tag, ok := strings.Cut(local, "+"); ok && s.cfg.Replies != nil {
		s.tag = tag
	}
	return nil
}

// Data reads the message and stores it before answering.
func (s *session) Data(r io.Reader) error {
	s.slots <- struct{}{}
	defer func() { <-s.slots }()
	raw, err := io.ReadAll(r)
	if errors.Is(err, smtp.ErrDataTooLarge) {
		return &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4},
			Message: fmt.Sprintf("The message is larger than %d MB; send the reported email on its own", s.cfg.MaxBytes>>20)}
	} else if err != nil {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
			Message: "Reading the message failed; try again"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if s.tag != "" {
		if err := s.cfg.Replies(ctx, s.tag, raw); err != nil {
			return smtpError(err)
		}
		return nil
	}
	_, err = s.in.Take(ctx, raw, "")
	return smtpError(err)
}

// smtpError turns a refusal into an SMTP reply: 5xx when sending again
// cannot help, 4xx when it may.
func smtpError(err error) error {
	if err == nil {
		return nil
	}
	r, ok := refusal(err)
	if !ok {
		r = &Refusal{Reason: "Ally could not store the report just now; please try again later."}
	}
	msg := strings.Join(strings.Fields(r.Reason), " ") // one line
	switch {
	case r.Policy:
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: msg}
	case r.Permanent:
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: msg}
	}
	return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: msg}
}

// errorLog sends the server's own errors to the intake log.
type errorLog struct{ in *Intake }

func (l errorLog) Printf(format string, v ...any) {
	l.in.cfg.Log.Warn("smtp: " + fmt.Sprintf(format, v...))
}

func (l errorLog) Println(v ...any) { l.in.cfg.Log.Warn("smtp: " + fmt.Sprint(v...)) }
