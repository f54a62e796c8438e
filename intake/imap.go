package intake

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// WatchIMAP reads reports from the mailbox until ctx ends: each message is
// fetched with BODY.PEEK[] (so it stays unread if anything fails), stored,
// and only then moved to the processed folder (or flagged). It waits with
// IDLE, re-issued every IdleRestart, or polls where IDLE is missing, and
// reconnects after any failure, backing off up to a minute.
func (in *Intake) WatchIMAP(ctx context.Context, c IMAPConfig) {
	c = withDefaults(c)
	backoff := time.Second
	for ctx.Err() == nil {
		err := in.imapSession(ctx, c, func() { backoff = time.Second })
		if ctx.Err() != nil {
			return
		}
		in.cfg.Log.Warn("imap: connection ended; reconnecting", "mailbox", c.Redacted(), "error", err.Error(),
			"in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, time.Minute)
	}
}

func withDefaults(c IMAPConfig) IMAPConfig {
	if c.IdleRestart <= 0 {
		c.IdleRestart = 25 * time.Minute
	}
	if c.Poll <= 0 {
		c.Poll = time.Minute
	}
	if c.Folder == "" {
		c.Folder = "INBOX"
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	if c.Processed == "" {
		c.Processed = "Processed"
	}
	return c
}

// imapConn is a signed-in client and a signal of new mail.
type imapConn struct {
	*imapclient.Client
	news chan struct{}
}

// dialIMAP connects and signs in, saying plainly which step failed.
func dialIMAP(c IMAPConfig) (*imapConn, error) {
	news := make(chan struct{}, 1)
	opts := &imapclient.Options{TLSConfig: c.TLS, Dialer: &net.Dialer{Timeout: 15 * time.Second},
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				select {
				case news <- struct{}{}:
				default:
				}
			}
		}}}
	var cl *imapclient.Client
	var err error
	switch {
	case c.Implicit:
		cl, err = imapclient.DialTLS(c.Addr, opts)
	case c.StartTLS:
		cl, err = imapclient.DialStartTLS(c.Addr, opts)
	default:
		cl, err = imapclient.DialInsecure(c.Addr, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot connect to %s: %v", c.Addr, err)
	}
	if c.XOAUTH2 {
		err = cl.Authenticate(xoauth2{c.User, c.Password})
	} else {
		err = cl.Login(c.User, c.Password).Wait()
	}
	if err != nil {
		cl.Close()
		return nil, fmt.Errorf("the server at %s refused the sign-in for %s: %v", c.Addr, c.User, err)
	}
	return &imapConn{Client: cl, news: news}, nil
}

// imapSession runs one connection: select, then process and wait in turn.
func (in *Intake) imapSession(ctx context.Context, c IMAPConfig, connected func()) error {
	cl, err := dialIMAP(c)
	if err != nil {
		return err
	}
	defer cl.Close()
	stop := context.AfterFunc(ctx, func() { cl.Close() })
	defer stop()
	if !c.Flag {
		if err := ensureFolder(cl.Client, c.Processed); err != nil {
			return err
		}
	}
	sel, err := cl.Select(c.Folder, nil).Wait()
	if err != nil {
		return fmt.Errorf("cannot open the folder %q: %v", c.Folder, err)
	}
	connected()
	in.cfg.Log.Info("imap: watching", "mailbox", c.Redacted(), "idle", cl.Caps().Has(imap.CapIdle))
	for {
		if err := in.processFolder(ctx, cl.Client, c, sel.UIDValidity); err != nil {
			return err
		}
		if err := waitForMail(ctx, cl, c); err != nil {
			return err
		}
	}
}

// ensureFolder creates the processed folder unless it exists.
func ensureFolder(cl *imapclient.Client, name string) error {
	boxes, err := cl.List("", name, nil).Collect()
	if err != nil {
		return fmt.Errorf("cannot list folders: %v", err)
	}
	if len(boxes) > 0 {
		return nil
	}
	if err := cl.Create(name, nil).Wait(); err != nil {
		return fmt.Errorf("cannot create the folder %q for processed reports: %v", name, err)
	}
	return nil
}

// waitForMail idles until new mail, the restart interval or ctx, or polls
// where the server has no IDLE.
func waitForMail(ctx context.Context, cl *imapConn, c IMAPConfig) error {
	if !cl.Caps().Has(imap.CapIdle) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-cl.Closed():
			return errors.New("the server closed the connection")
		case <-time.After(c.Poll):
			return cl.Noop().Wait()
		}
	}
	idle, err := cl.Idle()
	if err != nil {
		return fmt.Errorf("IDLE failed: %v", err)
	}
	timer := time.NewTimer(c.IdleRestart)
	defer timer.Stop()
	select {
	case <-ctx.Done():
	case <-cl.Closed():
	case <-cl.news:
	case <-timer.C:
	}
	if err := idle.Close(); err != nil {
		return err
	}
	if err := idle.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// processFolder stores every waiting message, one at a time.
func (in *Intake) processFolder(ctx context.Context, cl *imapclient.Client, c IMAPConfig, validity uint32) error {
	crit := &imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagDeleted}}
	if c.Flag {
		crit.NotFlag = append(crit.NotFlag, ProcessedKeyword)
	}
	found, err := cl.UIDSearch(crit, nil).Wait()
	if err != nil {
		return fmt.Errorf("searching %q failed: %v", c.Folder, err)
	}
	for _, uid := range found.AllUIDs() {
		if err := in.processMessage(ctx, cl, c, validity, uid); err != nil {
			return err
		}
	}
	return nil
}

// processMessage fetches one message, stores it and then files it away. A
// message that may work later stays where it is, unread.
func (in *Intake) processMessage(ctx context.Context, cl *imapclient.Client, c IMAPConfig, validity uint32,
	uid imap.UID) error {
	size, err := cl.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{RFC822Size: true, Envelope: true}).Collect()
	if err != nil {
		return fmt.Errorf("fetching the size of message %d failed: %v", uid, err)
	}
	if len(size) == 0 {
		return nil // gone meanwhile (another instance filed it)
	}
	if size[0].RFC822Size > c.MaxBytes {
		err = tooLarge(size[0], c.MaxBytes)
	} else {
		err = in.fetchAndTake(ctx, cl, c, validity, uid)
	}
	if err != nil {
		r, _ := refusal(err)
		if r == nil || !r.Permanent {
			return fmt.Errorf("message %d is kept for later: %v", uid, err)
		}
		in.cfg.Log.Warn("imap: message refused and filed", "uid", uint32(uid), "reason", r.Reason)
		in.bounce(ctx, r)
	}
	if c.Flag {
		flags := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen, ProcessedKeyword}}
		return cl.Store(imap.UIDSetNum(uid), flags, nil).Close()
	}
	if _, err := cl.Move(imap.UIDSetNum(uid), c.Processed).Wait(); err != nil {
		return fmt.Errorf("moving message %d to %q failed: %v", uid, c.Processed, err)
	}
	return nil
}

// fetchAndTake fetches one message with BODY.PEEK[] and stores it.
func (in *Intake) fetchAndTake(ctx context.Context, cl *imapclient.Client, c IMAPConfig, validity uint32,
	uid imap.UID) error {
	section := &imap.FetchItemBodySection{Peek: true}
	fetch := &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{section}}
	msgs, err := cl.Fetch(imap.UIDSetNum(uid), fetch).Collect()
	if err != nil {
		return fmt.Errorf("fetching message %d failed: %v", uid, err)
	}
	if len(msgs) == 0 {
		return nil
	}
	key := fmt.Sprintf("imap:%d:%d:%s", validity, uid, strings.ToLower(c.Folder))
	raw := msgs[0].FindBodySection(section)
	if tag := replyTag(raw); tag != "" && in.cfg.Replies != nil {
		_, err = in.takeReply(ctx, tag, raw, key)
		return err
	}
	_, err = in.Take(ctx, raw, key)
	return err
}

// tooLarge refuses a message over the size limit, telling its sender.
func tooLarge(m *imapclient.FetchMessageBuffer, limit int64) *Refusal {
	r := &Refusal{Permanent: true, Reason: fmt.Sprintf("The message is larger than %d MB, so Ally could not take it. "+
		"Please send the reported email on its own, as an attachment.", limit>>20)}
	if m.Envelope != nil && len(m.Envelope.From) > 0 {
		r.Sender, r.MessageID = strings.ToLower(m.Envelope.From[0].Addr()), m.Envelope.MessageID
	}
	return r
}

// CheckIMAP signs in, opens the watched folder and checks the processed
// one, returning what it found or what is wrong, in plain words.
func CheckIMAP(c IMAPConfig) (string, error) {
	c = withDefaults(c)
	cl, err := dialIMAP(c)
	if err != nil {
		return "", err
	}
	defer cl.Close()
	sel, err := cl.Select(c.Folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return "", fmt.Errorf("signed in, but cannot open the folder %q: %v", c.Folder, err)
	}
	after := fmt.Sprintf("stored reports are flagged %s", ProcessedKeyword)
	if !c.Flag {
		boxes, err := cl.List("", c.Processed, nil).Collect()
		switch {
		case err != nil:
			return "", fmt.Errorf("cannot list folders: %v", err)
		case len(boxes) == 0:
			after = fmt.Sprintf("the folder %q does not exist yet; Ally will create it", c.Processed)
		default:
			after = fmt.Sprintf("stored reports move to %q", c.Processed)
		}
	}
	wait := "IDLE"
	if !cl.Caps().Has(imap.CapIdle) {
		wait = "polling every " + c.Poll.String() + " (the server has no IDLE)"
	}
	_ = cl.Logout().Wait()
	return fmt.Sprintf("IMAP %s: signed in as %s; %q holds %d messages; waits with %s; %s.",
		c.Addr, c.User, c.Folder, sel.NumMessages, wait, after), nil
}
