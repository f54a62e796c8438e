package store

import (
	"context"
	"strings"
	"time"

	"github.com/allydesk/ally"
)

var _ ally.SlackQueue = (*DB)(nil)

// Slack direct messages: when Options.SlackDM is set, asking a person a
// signal's question also queues a DM in the signal's transaction; the
// Slack worker (webhook/slack.go) claims them with a lease, like webhook
// deliveries.

// slackAsk is the line after the question, as in the signal_ask email.
const slackAsk = "\n\nPlease tell us here, with one click: "

// slackEscape escapes the three characters Slack's message text reserves.
var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// queueSlackDM queues the DM asking email the question, with the answer
// link (in Slack's <url> form, so nothing in it is read as formatting).
func (tx *Tx) queueSlackDM(ctx context.Context, signal int64, email, question, link string) error {
	text := slackEscape.Replace(question) + slackAsk + "<" + slackEscape.Replace(link) + ">"
	_, err := tx.exec(ctx, `INSERT INTO slack_dms (signal_id, email, text, status, next_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, signal, email, text, ally.DeliveryQueued, millis(tx.now), millis(tx.now))
	return err
}

// ClaimSlackDMs implements ally.SlackQueue.
func (db *DB) ClaimSlackDMs(ctx context.Context, limit int, lease time.Duration) (_ []*ally.SlackDM, err error) {
	defer wrap(&err, "claim slack messages")
	if _, err := ally.Allowed(ctx, ally.CanRunWorkers, "Only the server's own workers send Slack messages."); err != nil {
		return nil, err
	}
	due := "SELECT id FROM slack_dms WHERE status = ? AND next_at <= ? ORDER BY next_at, id LIMIT ?"
	if db.postgres {
		due += " FOR UPDATE SKIP LOCKED"
	}
	var out []*ally.SlackDM
	err = db.withTx(ctx, func(tx *Tx) error {
		out, err = collect(ctx, tx, scanSlackDM, `UPDATE slack_dms SET next_at = ?, attempts = attempts + 1
			WHERE id IN (`+due+`) RETURNING id, signal_id, email, text, attempts, created_at`,
			millis(tx.now.Add(lease)), ally.DeliveryQueued, millis(tx.now), limit)
		return err
	})
	return out, err
}

func scanSlackDM(row scanner) (*ally.SlackDM, error) {
	var m ally.SlackDM
	var created int64
	err := row.Scan(&m.ID, &m.SignalID, &m.Email, &m.Text, &m.Attempts, &created)
	m.CreatedAt = fromMillis(created)
	return &m, err
}

// SettleSlackDMs implements ally.SlackQueue.
func (db *DB) SettleSlackDMs(ctx context.Context, outcomes []ally.Outcome) (err error) {
	defer wrap(&err, "settle slack messages")
	if _, err := ally.Allowed(ctx, ally.CanRunWorkers, "Only the server's own workers send Slack messages."); err != nil {
		return err
	}
	return db.withTx(ctx, func(tx *Tx) error {
		for _, o := range outcomes {
			var err error
			switch {
			case o.Delivered:
				_, err = tx.exec(ctx, `UPDATE slack_dms SET status = ?, last_error = '', delivered_at = ? WHERE id = ?`,
					ally.DeliveryDelivered, millis(tx.now), o.ID)
			case o.RetryIn > 0:
				_, err = tx.exec(ctx, "UPDATE slack_dms SET next_at = ?, last_error = ? WHERE id = ?",
					millis(tx.now.Add(o.RetryIn)), o.Error, o.ID)
			default:
				_, err = tx.exec(ctx, "UPDATE slack_dms SET status = ?, last_error = ? WHERE id = ?",
					ally.DeliveryFailed, o.Error, o.ID)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}
