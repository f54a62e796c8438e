package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/spf13/cobra"
)

func newTokenCmd() *cobra.Command {
	c := &cobra.Command{Use: "token", Short: "Create, list and revoke API tokens for scripts"}
	c.AddCommand(newTokenCreateCmd(), newTokenListCmd(), newTokenRevokeCmd())
	return c
}

func newTokenCreateCmd() *cobra.Command {
	var (
		db          dbFlags
		n           ally.NewToken
		expires     string
		integration string
	)
	c := &cobra.Command{
		Use:   "create",
		Short: "Create a bearer token for an account; prints it once, alone on stdout",
		Example: "  ally token create --email sam@example.com --name backup-script --expires 30d\n" +
			"  ally token create --integration okta",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if n.TTL, err = parseExpiry(expires); err != nil {
				return err
			}
			if (n.Email == "") == (integration == "") {
				return usageError("give --email (a person's token) or --integration NAME (a tool that sends signals)")
			}
			return db.with(cmd, func(d *store.DB) error {
				var tok string
				var err error
				if integration != "" {
					tok, err = d.IssueIntegrationToken(cmd.Context(), integration, n.TTL)
				} else {
					tok, err = d.IssueToken(cmd.Context(), n)
				}
				if err != nil {
					return domainError(err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), tok)
				return nil
			})
		},
	}
	db.register(c)
	c.Flags().StringVar(&n.Email, "email", "", "the account's email")
	c.Flags().StringVar(&integration, "integration", "",
		"make the token for the integration NAME (an account that can only send signals), e.g. okta")
	c.Flags().StringVar(&n.Name, "name", "", "a label to recognise the token by")
	c.Flags().StringVar(&expires, "expires", "90d", "how long the token lasts: days (30d) or hours (12h), at most 365d")
	return c
}

// parseExpiry reads a token lifetime: a number of days ("30d") or a Go
// duration ("12h").
func parseExpiry(s string) (time.Duration, error) {
	bad := usageError("--expires: %q is not a lifetime; use days like 30d or hours like 12h", s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 {
			return 0, bad
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, bad
	}
	return d, nil
}

func newTokenListCmd() *cobra.Command {
	var (
		db    dbFlags
		email string
	)
	c := &cobra.Command{
		Use:   "list",
		Short: "List live API tokens (everyone's, or one account's with --email); never their secrets",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return db.with(cmd, func(d *store.DB) error {
				toks, err := d.FindTokens(cmd.Context(), email)
				if err != nil {
					return domainError(err)
				}
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tCREATED\tEXPIRES\tLAST USED")
				for _, t := range toks {
					used := "never"
					if t.LastUsedAt != nil {
						used = t.LastUsedAt.Format(time.DateTime)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Email, t.Name,
						t.CreatedAt.Format(time.DateOnly), t.ExpiresAt.Format(time.DateOnly), used)
				}
				return tw.Flush()
			})
		},
	}
	db.register(c)
	c.Flags().StringVar(&email, "email", "", "only this account's tokens")
	return c
}

func newTokenRevokeCmd() *cobra.Command {
	var (
		db        dbFlags
		email, id string
	)
	c := &cobra.Command{
		Use:     "revoke",
		Short:   "Revoke one token (--id, from token list) or all of an account's tokens (--email)",
		Example: "  ally token revoke --id 3fa9c2e1b0d4\n  ally token revoke --email sam@example.com",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return db.with(cmd, func(d *store.DB) error {
				n, err := d.RevokeTokens(cmd.Context(), email, id)
				if err != nil {
					return domainError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Revoked %d token(s).\n", n)
				return nil
			})
		},
	}
	db.register(c)
	c.Flags().StringVar(&email, "email", "", "revoke every token of this account")
	c.Flags().StringVar(&id, "id", "", "revoke the token with this id")
	return c
}
