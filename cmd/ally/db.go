package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/playbook"
	"github.com/allydesk/ally/signals"
	"github.com/allydesk/ally/store"
	"github.com/spf13/cobra"
)

// dbFlags are the flags every database command shares.
type dbFlags struct {
	// create lets the command create a missing SQLite database (migrate,
	// serve and demo); the others say there is none.
	create    bool
	dsn       string
	playbooks string
	timezone  string
	// mail and publicURL turn mail on (see mailFlags.storeOptions).
	mail      *mailtext.Set
	publicURL string
	// slackDM queues Slack direct messages (see slackFlags.storeOptions).
	slackDM bool
}

func (f *dbFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&f.dsn, "db", envOr("ALLY_DB", "ally.db"),
		"SQLite file, or a postgres:// URL (env ALLY_DB)")
	c.Flags().StringVar(&f.playbooks, "playbooks", os.Getenv("ALLY_PLAYBOOKS"),
		"folder of playbook files that override the built-in ones (env ALLY_PLAYBOOKS)")
	c.Flags().StringVar(&f.timezone, "timezone", envOr("ALLY_TIMEZONE", "UTC"),
		"the organisation's IANA time zone, e.g. Europe/London, for times of day in insights (env ALLY_TIMEZONE)")
}

// open opens and migrates the database.
func (f *dbFlags) open(ctx context.Context) (*store.DB, error) {
	pbs := playbook.Default()
	if f.playbooks != "" {
		var err error
		if pbs, err = playbook.LoadDir(f.playbooks); err != nil {
			return nil, usageError("playbooks: %v", err)
		}
	}
	types := signals.Default()
	if f.playbooks != "" {
		var err error
		if types, err = signals.LoadDir(f.playbooks); err != nil {
			return nil, usageError("signal types: %v", err)
		}
	}
	loc, err := time.LoadLocation(cmp.Or(f.timezone, "UTC"))
	if err != nil || strings.EqualFold(f.timezone, "local") {
		return nil, usageError("timezone: %q is not a time zone; use an IANA name such as Europe/London or America/New_York",
			f.timezone)
	}
	if !f.create && !store.IsPostgres(f.dsn) {
		if _, err := os.Stat(f.dsn); errors.Is(err, fs.ErrNotExist) {
			return nil, usageError("no database at %s; give --db (or ALLY_DB), or create one with \"ally migrate --db %s\"",
				f.dsn, f.dsn)
		}
	}
	db, err := store.Open(ctx, f.dsn, store.Options{Playbooks: pbs, Location: loc, Mail: f.mail, PublicURL: f.publicURL,
		Signals: types, SlackDM: f.slackDM})
	if ally.ErrorCode(err) == ally.EINVALID { // a folder, a read-only file: said in words, exit 2
		return nil, usageError("%s", ally.ErrorMessage(err))
	} else if err != nil {
		return nil, fmt.Errorf("opening %s: %w", redact(f.dsn), err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating %s: %w", redact(f.dsn), err)
	}
	return db, nil
}

// with opens and migrates the database, runs fn as the operator (cmd's
// context becomes an ally.NewOperatorContext), and closes it.
func (f *dbFlags) with(cmd *cobra.Command, fn func(d *store.DB) error) error {
	cmd.SetContext(ally.NewOperatorContext(cmd.Context()))
	d, err := f.open(cmd.Context())
	if err != nil {
		return err
	}
	defer d.Close()
	return fn(d)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
