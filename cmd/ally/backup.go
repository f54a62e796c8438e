package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/allydesk/ally/backupfile"
	"github.com/allydesk/ally/store"
	"github.com/spf13/cobra"
)

func newBackupCmd() *cobra.Command {
	var db dbFlags
	c := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent backup of the database to FILE (or - for stdout) while Ally runs",
		Long: `Writes every table of Ally's database to FILE in Ally's portable backup
format (gzip-compressed JSON): one consistent snapshot, taken while Ally keeps
running. A backup of SQLite restores into PostgreSQL and the other way round,
so "ally backup" then "ally restore" also moves a desk from one to the other.
The file appears only when it is whole.`,
		Example: "  ally backup --db ally.db ally-2026-12-07.backup\n" +
			"  ally backup --db postgres://ally@db/ally - | gpg -e -r backups@example.org > ally.backup.gpg",
		Args: exactArgs(1, "name the backup file, or - for standard output"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return db.with(cmd, func(d *store.DB) error {
				p := newProgress(cmd.ErrOrStderr(), "backed up")
				if args[0] == "-" {
					n, err := d.Backup(cmd.Context(), cmd.OutOrStdout(), p.rows)
					p.done()
					if err == nil {
						fmt.Fprintf(cmd.ErrOrStderr(), "Backed up %d rows.\n", n)
					}
					return err
				}
				return writeWhole(args[0], func(w io.Writer) error {
					n, err := d.Backup(cmd.Context(), w, p.rows)
					p.done()
					if err == nil {
						fmt.Fprintf(cmd.OutOrStdout(), "Backed up %d rows to %s.\n", n, args[0])
					}
					return err
				})
			})
		},
	}
	db.register(c)
	return c
}

func newRestoreCmd() *cobra.Command {
	var (
		db    dbFlags
		force bool
	)
	c := &cobra.Command{
		Use:   "restore FILE",
		Short: "Restore a backup made by \"ally backup\" into the database",
		Long: `Restores FILE into the database named by --db, which may be a new SQLite file
or an empty PostgreSQL database. A database that already holds people or
cases is left alone unless --force is given, which replaces everything in it.
The whole file is checked before anything changes; a backup made by an older
ally is migrated forward after it is loaded. Stop Ally while you restore.`,
		Example: "  ally restore ally-2026-12-07.backup --db restored.db\n" +
			"  ally restore ally.backup --db postgres://ally@db/ally   # move a desk from SQLite to PostgreSQL",
		Args: exactArgs(1, "name the backup file to restore"),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return usageError("cannot read the backup: %v", err)
			}
			defer f.Close()
			// Check the file before a database is made or opened for it.
			if _, err := backupfile.Check(f); err != nil {
				return usageError("%s cannot be restored: %v", args[0], err)
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return err
			}
			db.create = true
			return db.with(cmd, func(d *store.DB) error {
				p := newProgress(cmd.ErrOrStderr(), "restored")
				n, err := d.Restore(cmd.Context(), f, force, p.rows)
				p.done()
				if err != nil {
					return domainError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Restored %d rows from %s into %s.\n", n, args[0], redact(db.dsn))
				return nil
			})
		},
	}
	db.register(c)
	c.Flags().BoolVar(&force, "force", false, "replace everything in a database that already holds data")
	return c
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// writeWhole writes a file through fn so that it appears only when whole:
// into a temporary file beside it, synced, then renamed.
func writeWhole(path string, fn func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return usageError("cannot write %s: %v", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := fn(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// exactArgs accepts exactly n arguments, or says what to give.
func exactArgs(n int, hint string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError("%s: %s (see %q)", cmd.CommandPath(), hint, cmd.CommandPath()+" --help")
		}
		return nil
	}
}
