package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/webhook"
	"github.com/spf13/cobra"
)

// slackFlags turn on Slack direct messages for "was this you?" signals.
type slackFlags struct {
	token  string
	apiURL string
}

func (f *slackFlags) register(c *cobra.Command) {
	fl := c.Flags()
	// The token's default is read from the environment in storeOptions, not
	// here, so that --help never prints it.
	fl.StringVar(&f.token, "slack-bot-token", "",
		"Slack bot token (xoxb-…, scopes users:read.email and chat:write): also ask people about signals "+
			"by direct message (env ALLY_SLACK_BOT_TOKEN)")
	fl.StringVar(&f.apiURL, "slack-api-url", envOr("ALLY_SLACK_API_URL", webhook.DefaultSlackAPI),
		"Slack's Web API (env ALLY_SLACK_API_URL)")
}

// storeOptions turns Slack DMs on in the store when there is a token: a
// signal's question is then queued for Slack too, with its answer link
// under publicURL.
func (f *slackFlags) storeOptions(db *dbFlags, publicURL string) error {
	if f.token == "" {
		f.token = os.Getenv("ALLY_SLACK_BOT_TOKEN")
	}
	if f.token == "" {
		return nil
	}
	if publicURL == "" {
		return usageError("--slack-bot-token needs --public-url, where people reach Ally, for the answer link")
	}
	if _, err := webhook.NewSlack(webhook.SlackConfig{Queue: &store.DB{}, Token: f.token, APIURL: f.apiURL}); err != nil {
		return usageError("--slack-api-url: %q is not an http(s) URL, such as %s", f.apiURL, webhook.DefaultSlackAPI)
	}
	db.slackDM, db.publicURL = true, publicURL
	return nil
}

// start runs the Slack worker until ctx ends, when there is a token; the
// function it returns stops it and waits for the batch in hand.
func (f *slackFlags) start(ctx context.Context, d *store.DB, log *slog.Logger) (func(), error) {
	if f.token == "" {
		return func() {}, nil
	}
	w, err := webhook.NewSlack(webhook.SlackConfig{Queue: d, Token: f.token, APIURL: f.apiURL, Log: log})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	return func() { cancel(); <-done }, nil
}
