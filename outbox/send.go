package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailaddr"
	"github.com/emersion/go-smtp"
)

// conn is one relay connection.
type conn struct {
	c       *smtp.Client
	timeout time.Duration
}

func (w *Worker) dial(ctx context.Context) (*conn, error) {
	c, err := w.cfg.Relay.Dial(ctx, w.cfg.Timeout)
	if err != nil {
		return nil, err
	}
	return &conn{c: c, timeout: w.cfg.Timeout}, nil
}

// close ends the session politely, or just drops it; nil is fine.
func (c *conn) close() {
	if c == nil {
		return
	}
	done := make(chan struct{})
	go func() {
		_ = c.c.Quit()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
	}
	_ = c.c.Close()
}

// send hands m to the relay in one mail transaction. A watchdog drops the
// connection if the whole message takes longer than the timeout, so a relay
// that stops answering mid-message cannot hold the worker.
func (w *Worker) send(c *conn, m *ally.Mail) error {
	replyTo := ""
	if m.ReplyToCase && m.CaseRef != "" {
		var err error
		if replyTo, err = mailaddr.ReplyTo(w.key, w.from.Address, m.CaseRef); err != nil {
			return &badMessage{err}
		}
	}
	msg, err := compose(m, w.from, replyTo)
	if err != nil {
		return &badMessage{err}
	}
	watchdog := time.AfterFunc(c.timeout, func() { _ = c.c.Close() })
	defer watchdog.Stop()
	if err := c.c.Mail(w.from.Address, nil); err != nil {
		return c.refused("MAIL FROM", err)
	}
	if err := c.c.Rcpt(m.To, nil); err != nil {
		return c.refused("RCPT TO", err)
	}
	data, err := c.c.Data()
	if err != nil {
		return c.refused("DATA", err)
	}
	if _, err := data.Write(msg); err != nil {
		return fmt.Errorf("the relay stopped taking the message: %w", err)
	}
	if err := data.Close(); err != nil {
		return c.refused("the end of the message", err)
	}
	return nil
}

// refused words an error at one step; a refusal leaves the connection
// ready for the next message (RSET).
func (c *conn) refused(step string, err error) error {
	if _, ok := err.(*smtp.SMTPError); ok {
		_ = c.c.Reset()
		return fmt.Errorf("the relay refused %s: %w", step, err)
	}
	return fmt.Errorf("the relay connection failed at %s: %w", step, err)
}
