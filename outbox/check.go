package outbox

import (
	"context"
	"fmt"
	"net/mail"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailaddr"
)

// Check connects to the relay as the worker would (connection, TLS,
// sign-in) and, when to is not empty, sends one test message from the
// report address from. It returns a line for each step that worked; its
// error says which step failed and why.
func Check(ctx context.Context, r *Relay, from, to string, timeout time.Duration) ([]string, error) {
	var steps []string
	c, err := r.Dial(ctx, timeout)
	if err != nil {
		return nil, err
	}
	cn := &conn{c: c, timeout: timeout}
	defer cn.close()
	steps = append(steps, "connected to "+r.Host+":"+r.Port)
	if _, ok := c.TLSConnectionState(); ok {
		steps = append(steps, "encrypted with TLS ("+r.TLS+"), certificate checked")
	} else {
		steps = append(steps, "not encrypted (tls=none)")
	}
	if r.Username != "" {
		steps = append(steps, "signed in as "+r.Username)
	}
	if to == "" {
		return steps, nil
	}
	sender, err := mail.ParseAddress(from)
	if err != nil {
		return steps, fmt.Errorf("the report address %q is not an email address; use one like report@example.org", from)
	}
	now := time.Now().UTC().Truncate(time.Second)
	m := &ally.Mail{ID: now.Unix(), Kind: "test", To: to, Subject: "Ally mail test",
		Body: "This is a test from Ally (ally mail test). It shows that mail from Ally reaches you.\n", CreatedAt: now}
	w := &Worker{from: sender}
	if err := w.send(cn, m); err != nil {
		return steps, err
	}
	return append(steps, "the relay accepted a test message to "+to+
		" (Message-ID "+MessageID(m, mailaddr.Domain(sender.Address))+")"), nil
}
