package main

import (
	"os"

	"github.com/spf13/cobra"
)

func newMailCmd() *cobra.Command {
	c := &cobra.Command{Use: "mail", Short: "Check Ally's mail settings"}
	var imapURL string
	test := &cobra.Command{
		Use:   "test",
		Short: "Check the mail settings and say exactly what is wrong",
		Long: `Check the mail settings: sign in to the report mailbox (--imap), open
its folder and look for the folder processed reports go to. Exit code 1
when a check fails.`,
		Example: "  ally mail test --imap imaps://report:secret@mail.example.org/INBOX",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return checkIMAP(cmd.OutOrStdout(), imapURL)
		},
	}
	test.Flags().StringVar(&imapURL, "imap", os.Getenv("ALLY_IMAP"),
		"mailbox to check: imap[s]://user:pass@host:port/FOLDER (env ALLY_IMAP)")
	c.AddCommand(test)
	return c
}
