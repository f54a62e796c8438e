package main

import (
	"bufio"
	"fmt"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/spf13/cobra"
)

func newMigrateCmd() *cobra.Command {
	db := dbFlags{create: true}
	c := &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the database schema",
		Long:  "Apply every pending schema migration, each in its own transaction. \"ally serve\" does this too.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return db.with(cmd, func(d *store.DB) error {
				fmt.Fprintf(cmd.OutOrStdout(), "The database is at schema version %d.\n", d.SchemaVersion())
				return nil
			})
		},
	}
	db.register(c)
	return c
}

func newUserCmd() *cobra.Command {
	c := &cobra.Command{Use: "user", Short: "Add, list, disable and enable accounts"}
	c.AddCommand(newUserAddCmd(), newUserListCmd(), newUserStateCmd(true), newUserStateCmd(false),
		newUserResetPasswordCmd())
	return c
}

func newUserAddCmd() *cobra.Command {
	var (
		db        dbFlags
		n         ally.NewUser
		role      string
		fromStdin bool
	)
	c := &cobra.Command{
		Use:   "add",
		Short: "Add an account",
		Long: `Add an account. Without --password-stdin a strong password is generated
and printed once.`,
		Example: "  ally user add --email sam@example.com --name 'Sam Taylor' --role reporter --department Finance",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n.Role = ally.Role(role)
			generated := !fromStdin
			if fromStdin {
				line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
				if err != nil && line == "" {
					return usageError("--password-stdin: no password on standard input")
				}
				n.Password = strings.TrimRight(line, "\r\n")
			} else {
				n.Password = generatePassword()
			}
			if err := n.Validate(); err != nil {
				return usageError("%s", ally.ErrorMessage(err))
			}
			return db.with(cmd, func(d *store.DB) error {
				u, err := d.CreateUser(cmd.Context(), &n)
				if err != nil {
					return domainError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Added %s (%s).\n", u.Email, u.Role)
				if generated {
					fmt.Fprintf(cmd.OutOrStdout(), "Password (shown once): %s\n", n.Password)
				}
				return nil
			})
		},
	}
	db.register(c)
	c.Flags().StringVar(&n.Email, "email", "", "email address (required)")
	c.Flags().StringVar(&n.Name, "name", "", "full name (required)")
	c.Flags().StringVar(&role, "role", "", "reporter, responder, lead or admin (required)")
	c.Flags().StringVar(&n.Department, "department", "", "department, used in metrics")
	c.Flags().BoolVar(&fromStdin, "password-stdin", false, "read the password from standard input")
	for _, f := range []string{"email", "name", "role"} {
		_ = c.MarkFlagRequired(f)
	}
	return c
}

func newUserListCmd() *cobra.Command {
	var db dbFlags
	c := &cobra.Command{
		Use:   "list",
		Short: "List accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return db.with(cmd, func(d *store.DB) error {
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
				fmt.Fprintln(w, "EMAIL\tNAME\tROLE\tDEPARTMENT\tSTATUS")
				for cursor := ""; ; {
					users, err := d.FindUsers(cmd.Context(), cursor, ally.MaxLimit)
					if err != nil {
						return err
					}
					for _, u := range users {
						status := "active"
						if u.Disabled {
							status = "disabled"
						}
						fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Name, u.Role, u.Department, status)
					}
					if len(users) < ally.MaxLimit {
						break
					}
					cursor = ally.UserCursor(users[len(users)-1])
				}
				return w.Flush()
			})
		},
	}
	db.register(c)
	return c
}

// newUserStateCmd makes "ally user disable EMAIL", or with disable false
// "ally user enable EMAIL" (the way back, which the CLI lacked).
func newUserStateCmd(disable bool) *cobra.Command {
	var db dbFlags
	use, short, done := "disable EMAIL", "Disable an account (ends its sessions and tokens)", "Disabled"
	if !disable {
		use, short, done = "enable EMAIL", "Enable a disabled account (its old sessions and tokens stay ended)", "Enabled"
	}
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return db.with(cmd, func(d *store.DB) error {
				if _, err := d.UpdateUser(cmd.Context(), args[0], ally.UserUpdate{Disabled: &disable}); err != nil {
					return domainError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s.\n", done, args[0])
				return nil
			})
		},
	}
	db.register(c)
	return c
}

// domainError turns a domain error into a CLI error: bad input is a usage
// error (exit 2), anything else a failure (exit 1).
func domainError(err error) error {
	switch ally.ErrorCode(err) {
	case ally.EINVALID, ally.ENOTFOUND, ally.ECONFLICT:
		return usageError("%s", ally.ErrorMessage(err))
	}
	return err
}

// version is set at release with -ldflags "-X main.version=…".
var version = "dev"

// versionText is the version, and for a build without one the commit it
// was built from, when Go recorded it ("dev (commit 1a2b3c4d5e6f, modified)"),
// so that a bug report can say which code it is about.
func versionText() string {
	info, ok := debug.ReadBuildInfo()
	if version != "dev" || !ok {
		return version
	}
	var commit string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value[:min(12, len(s.Value))]
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	switch {
	case commit == "":
		return version
	case modified:
		return version + " (commit " + commit + ", modified)"
	}
	return version + " (commit " + commit + ")"
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version (also ally --version)",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintf(cmd.OutOrStdout(), "ally %s\n", versionText())
		},
	}
}
