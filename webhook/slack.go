package webhook

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/allydesk/ally"
)

// DefaultSlackAPI is Slack's Web API.
const DefaultSlackAPI = "https://slack.com/api/"

// SlackConfig configures a Slack worker. Zero values take the defaults.
type SlackConfig struct {
	Queue ally.SlackQueue
	// Token is the bot token (xoxb-…); it is sent to Slack only and never
	// logged. The app needs the users:read.email and chat:write scopes.
	Token  string
	APIURL string // Slack's Web API (default DefaultSlackAPI); tests point it at their own server
	Client *http.Client
	Log    *slog.Logger
	Timing // Timeout is per Slack call; Lease covers a batch of 16 messages, two calls each
}

// Slack sends the queued "was this you?" direct messages: it finds each
// person by email (users.lookupByEmail) and posts to them
// (chat.postMessage). A person Slack does not know is skipped (the email
// went anyway); a rate limit waits as long as Slack says; a refused token
// is logged once and retried with a growing wait until MaxAge.
type Slack struct {
	cfg       SlackConfig
	api       string
	authShown atomic.Bool // the refused-token problem was logged
}

// NewSlack checks cfg and fills in the defaults.
func NewSlack(cfg SlackConfig) (*Slack, error) {
	if cfg.Queue == nil || cfg.Token == "" {
		return nil, errors.New("slack: a queue and a bot token are needed")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultSlackAPI
	}
	u, err := url.Parse(cfg.APIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("slack: the API URL %q is not an http(s) URL, such as %s", cfg.APIURL, DefaultSlackAPI)
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 2 * slackBatch * max(cfg.Timeout, 10*time.Second)
	}
	cfg.defaults(&cfg.Log, &cfg.Client)
	return &Slack{cfg: cfg, api: strings.TrimRight(cfg.APIURL, "/") + "/"}, nil
}

// slackBatch is how many messages one claim takes.
const slackBatch = 16

// Run sends until ctx ends; a batch in hand is finished and recorded.
func (s *Slack) Run(ctx context.Context) {
	op := ally.NewOperatorContext(ctx) // the server's own worker acts as the operator
	for ctx.Err() == nil {
		n, err := s.Step(op)
		if err != nil && ctx.Err() == nil {
			s.cfg.Log.Error("slack: sending direct messages", "err", err)
		}
		if n == slackBatch && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(s.cfg.Poll):
		}
	}
}

// Step claims one batch of due messages, sends each and records the
// outcomes; it returns how many it claimed. ctx must carry the operator.
func (s *Slack) Step(ctx context.Context) (int, error) {
	batch, err := s.cfg.Queue.ClaimSlackDMs(ctx, slackBatch, s.cfg.Lease)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	record := context.WithoutCancel(ctx)
	outcomes := make([]ally.Outcome, 0, len(batch))
	for _, m := range batch {
		outcomes = append(outcomes, s.Send(record, m))
	}
	// A failure leaves them leased: they are tried again when the lease ends.
	return len(batch), s.cfg.Queue.SettleSlackDMs(record, outcomes)
}

// slackReply is the part of a Slack Web API answer the worker reads.
type slackReply struct {
	OK    bool   `json:"ok"`
	Error string `json:"error"`
	User  struct {
		ID string `json:"id"`
	} `json:"user"`
}

// slackFailure is a failed Slack call: what Slack said (code) or why
// nothing useful came back, and how long Slack asked us to wait.
type slackFailure struct {
	code  string
	wait  time.Duration // > 0: rate limited (HTTP 429 or "ratelimited")
	cause string
}

// Send makes one attempt at m and returns its outcome.
func (s *Slack) Send(ctx context.Context, m *ally.SlackDM) ally.Outcome {
	var who slackReply
	f := s.call(ctx, "users.lookupByEmail", "application/x-www-form-urlencoded",
		[]byte(url.Values{"email": {m.Email}}.Encode()), &who)
	if f == nil && who.User.ID == "" {
		f = &slackFailure{cause: "Slack found the person but gave no user id"}
	}
	if f == nil {
		body, _ := json.Marshal(map[string]string{"channel": who.User.ID, "text": m.Text})
		f = s.call(ctx, "chat.postMessage", "application/json; charset=utf-8", body, &slackReply{})
	}
	out := ally.Outcome{ID: m.ID}
	switch {
	case f == nil:
		s.authShown.Store(false)
		out.Delivered = true
		return out
	case f.code == "users_not_found":
		// Not everyone is on Slack: the email asked them already.
		out.Error = "no Slack user has this email; the person was asked by email only"
		return out
	case f.wait > 0:
		out.Error = "Slack asked us to slow down"
		return s.cfg.retry(out, f.wait, m.Attempts, m.CreatedAt)
	case slackTokenProblems[f.code]:
		out.Error = "Slack refused the bot token (" + f.code + ")"
		if !s.authShown.Swap(true) {
			s.cfg.Log.Error("slack: Slack refused the bot token; check --slack-bot-token (ALLY_SLACK_BOT_TOKEN) "+
				"and that the app has the users:read.email and chat:write scopes. Direct messages wait and are "+
				"retried for up to a day; the email still asks each person.", "slack_error", f.code,
				"max_age", s.cfg.MaxAge.String())
		}
	case f.code != "":
		out.Error = "Slack answered " + f.code
	default:
		out.Error = f.cause
	}
	return s.cfg.retry(out, 0, m.Attempts, m.CreatedAt)
}

// slackTokenProblems are Slack's errors that mean the token (or its
// scopes) is wrong: an operator must act, so they are logged.
var slackTokenProblems = map[string]bool{"invalid_auth": true, "not_authed": true, "account_inactive": true,
	"token_revoked": true, "token_expired": true, "missing_scope": true, "not_allowed_token_type": true}

// call posts body to the Web API method and reads the answer into reply;
// nil means Slack said ok.
func (s *Slack) call(ctx context.Context, method, contentType string, body []byte, reply *slackReply) *slackFailure {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.api+method, bytes.NewReader(body))
	if err != nil {
		return &slackFailure{cause: "the Slack API URL cannot be used: " + err.Error()}
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+s.cfg.Token)
	req.Header.Set("User-Agent", "Ally-Slack/1")
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return &slackFailure{cause: method + ": no answer: " + err.Error()}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	jsonErr := json.Unmarshal(raw, reply)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || reply.Error == "ratelimited":
		return &slackFailure{code: "ratelimited", wait: retryAfter(resp.Header.Get("Retry-After"))}
	case jsonErr != nil:
		return &slackFailure{cause: fmt.Sprintf("%s: Slack answered %d without a JSON reply", method, resp.StatusCode)}
	case !reply.OK:
		return &slackFailure{code: cmp.Or(reply.Error, "unknown_error")}
	}
	return nil
}

// retryAfter reads a Retry-After header in seconds; Slack always sends
// one with 429, so a missing or odd one waits a minute.
func retryAfter(h string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(h))
	if err != nil || n < 1 {
		return time.Minute
	}
	return time.Duration(min(n, 3600)) * time.Second // at most an hour
}
