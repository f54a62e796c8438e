package main

import (
	"net/url"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// redact hides the password in a database URL before it is printed.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// secretFlags are the flags whose value may carry a password or a token,
// often from the environment: --help shows their defaults without it.
var secretFlags = map[string]bool{"db": true, "smtp-relay": true, "imap": true, "oidc-client-secret": true,
	"slack-bot-token": true}

// hideSecretDefaults makes every command's help show secret flags'
// defaults redacted: a URL keeps its user and host, a bare secret is only
// said to be set.
func hideSecretDefaults(c *cobra.Command) {
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if !secretFlags[f.Name] || f.DefValue == "" {
			return
		}
		if r := redact(f.DefValue); r != f.DefValue || strings.Contains(f.DefValue, "://") {
			f.DefValue = r
		} else if f.Name != "db" {
			f.DefValue = "(set)"
		}
	})
	for _, sub := range c.Commands() {
		hideSecretDefaults(sub)
	}
}
