package main

import (
	"encoding/json"
	"fmt"

	"github.com/allydesk/ally/store"
	"github.com/spf13/cobra"
)

func newPersonCmd() *cobra.Command {
	c := &cobra.Command{Use: "person", Short: "A person's data: give it to them, or erase it"}
	c.AddCommand(newPersonExportCmd(), newPersonEraseCmd())
	return c
}

func newPersonExportCmd() *cobra.Command {
	var db dbFlags
	c := &cobra.Command{
		Use:   "export EMAIL",
		Short: "Print everything Ally holds about a person as JSON (their reports, messages, ratings, mail)",
		Long: `Prints, as JSON, everything Ally holds about the person with EMAIL: their
account, the cases they reported with the conversation they can see and their
ratings, everything they wrote, the mail Ally sent them, and the audit entries
that name them. Give it to them when they ask for their data. The export is
written to the audit log.`,
		Example: "  ally person export sam@example.com > sam.json",
		Args:    exactArgs(1, "name the person's email"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return db.with(cmd, func(d *store.DB) error {
				data, err := d.ExportPerson(cmd.Context(), args[0])
				if err != nil {
					return domainError(err)
				}
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(data)
			})
		},
	}
	db.register(c)
	return c
}

func newPersonEraseCmd() *cobra.Command {
	var (
		db  dbFlags
		yes bool
	)
	c := &cobra.Command{
		Use:   "erase EMAIL",
		Short: "Erase a person's data everywhere (cannot be undone; needs --yes)",
		Long: `Removes or pseudonymises the personal data of the person with EMAIL
everywhere, the audit log included: their account gets a pseudonym and can no
longer sign in; the cases they reported stay, so the figures still add up,
but without their words, their own-words answers or any attachment; mail
still waiting for them is dropped. The audit log keeps one entry saying the
erasure happened. Export their data first if they asked for it.`,
		Example: "  ally person export sam@example.com > sam.json\n  ally person erase sam@example.com --yes",
		Args:    exactArgs(1, "name the person's email"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !yes {
				return usageError("erasing %s cannot be undone; add --yes to go ahead (and export their data "+
					"first with \"ally person export %s\" if they asked for it)", args[0], args[0])
			}
			return db.with(cmd, func(d *store.DB) error {
				e, err := d.ErasePerson(cmd.Context(), args[0])
				if err != nil {
					return domainError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Erased %s: now %q. %d reports kept without their words, "+
					"%d messages and %d attachments removed, %d mails emptied or dropped.\n",
					args[0], e.Pseudonym, e.Reports, e.Messages, e.Attachments, e.Mail)
				return nil
			})
		},
	}
	db.register(c)
	c.Flags().BoolVar(&yes, "yes", false, "really erase (it cannot be undone)")
	return c
}
