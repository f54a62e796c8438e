package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/allydesk/ally"
)

var (
	_ ally.WebhookService = (*DB)(nil)
	_ ally.WebhookQueue   = (*DB)(nil)
)

// Webhook and chat subscriptions, and their delivery queue: each event
// writes its deliveries in its own transaction (emit), rendered then, so a
// retry sends the same body; the webhook worker claims them with a lease as
// the outbox worker claims mail (store/outbox.go).

const webhookAdmins = "Only admins can manage webhooks."

// emit writes one delivery of event about c (nil: no case) for every
// subscription that wants it. extra adds to the event's data; personal
// fields (names, summaries, emails) are added only where the subscription
// asks for them.
func (tx *Tx) emit(ctx context.Context, event string, c *ally.Case, extra map[string]any) error {
	hooks, err := collect(ctx, tx, scanHookRoute, "SELECT id, format, events, include_personal FROM webhooks"+
		" WHERE disabled = ''")
	if err != nil || len(hooks) == 0 {
		return err
	}
	ev := ally.Event{Type: event, At: tx.now, Data: map[string]any{}, Personal: map[string]any{}}
	if c != nil {
		ev.Data["case"], ev.Data["kind"], ev.Data["severity"] = c.Ref, string(c.Kind), string(c.Severity)
		ev.Data["status"], ev.Data["link"] = string(c.Status), tx.db.link("/cases/"+c.Ref)
		ev.Personal["summary"], ev.Personal["reporter_name"] = c.Summary, c.Reporter.Name
		ev.Personal["reporter_email"] = c.Reporter.Email
		if c.Assignee != nil {
			ev.Data["assignee"] = c.Assignee.Name
		}
	}
	for k, v := range extra {
		if k == "personal" {
			for pk, pv := range v.(map[string]any) {
				ev.Personal[pk] = pv
			}
			continue
		}
		ev.Data[k] = v
	}
	for _, h := range hooks {
		if !slices.Contains(h.events, event) || (h.format != ally.FormatStandard && !ev.ChatWanted()) {
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO webhook_deliveries (webhook_id, event, body, status, next_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, h.id, event, string(ev.Payload(h.format, h.personal)), ally.DeliveryQueued,
			millis(tx.now), millis(tx.now)); err != nil {
			return err
		}
	}
	return nil
}

// link is an absolute link to path on Ally.
func (db *DB) link(path string) string { return strings.TrimRight(db.opts.PublicURL, "/") + path }

type hookRoute struct {
	id       int64
	format   string
	events   []string
	personal bool
}

func scanHookRoute(row scanner) (*hookRoute, error) {
	var h hookRoute
	var events string
	err := row.Scan(&h.id, &h.format, &events, &h.personal)
	h.events = strings.Fields(events)
	return &h, err
}

const webhookColumns = `w.id, w.url, w.format, w.events, w.include_personal, w.disabled, w.created_at,
	(SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'queued'),
	(SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'failed')`

func scanWebhook(row scanner) (*ally.Webhook, error) {
	var w ally.Webhook
	var events string
	var created int64
	if err := row.Scan(&w.ID, &w.URL, &w.Format, &events, &w.IncludePersonal, &w.Disabled, &created, &w.Queued,
		&w.Failed); err != nil {
		return nil, err
	}
	w.Events, w.CreatedAt = strings.Fields(events), fromMillis(created)
	return &w, nil
}

// newWebhookSecret makes a Standard Webhooks secret: whsec_ and base64.
func newWebhookSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// CreateWebhook implements ally.WebhookService.
func (db *DB) CreateWebhook(ctx context.Context, n *ally.NewWebhook) (_ *ally.Webhook, err error) {
	defer wrap(&err, "create webhook")
	if _, err := ally.Allowed(ctx, ally.CanManageWebhooks, webhookAdmins); err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var w *ally.Webhook
	secret := newWebhookSecret()
	err = db.withTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO webhooks (url, format, events, include_personal, secret, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, n.URL, n.Format, strings.Join(n.Events, " "), n.IncludePersonal, secret,
			millis(tx.now))
		if err != nil {
			return err
		}
		if w, err = tx.webhook(ctx, id); err != nil {
			return err
		}
		return tx.audit(ctx, "webhook.create", strconv.FormatInt(id, 10), n.Format+" "+n.URL)
	})
	if err != nil {
		return nil, err
	}
	w.Secret = secret
	return w, nil
}

func (tx *Tx) webhook(ctx context.Context, id int64) (*ally.Webhook, error) {
	w, err := scanWebhook(tx.queryRow(ctx, "SELECT "+webhookColumns+" FROM webhooks w WHERE w.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ally.Errorf(ally.ENOTFOUND, "No webhook %d was found; GET /api/v1/webhooks lists them.", id)
	}
	return w, err
}

// FindWebhooks implements ally.WebhookService.
func (db *DB) FindWebhooks(ctx context.Context) (_ []*ally.Webhook, err error) {
	defer wrap(&err, "find webhooks")
	if _, err := ally.Allowed(ctx, ally.CanManageWebhooks, webhookAdmins); err != nil {
		return nil, err
	}
	var out []*ally.Webhook
	err = db.withRead(ctx, func(tx *Tx) error {
		out, err = collect(ctx, tx, scanWebhook, "SELECT "+webhookColumns+" FROM webhooks w ORDER BY w.id")
		return err
	})
	return out, err
}

// DeleteWebhook implements ally.WebhookService.
func (db *DB) DeleteWebhook(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "delete webhook")
	if _, err := ally.Allowed(ctx, ally.CanManageWebhooks, webhookAdmins); err != nil {
		return err
	}
	return db.withTx(ctx, func(tx *Tx) error {
		if _, err := tx.webhook(ctx, id); err != nil {
			return err
		}
		var delivered int64
		if err := tx.queryRow(ctx, "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND status = ?",
			id, ally.DeliveryDelivered).Scan(&delivered); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM webhook_deliveries WHERE webhook_id = ?", id); err != nil {
			return err
		}
		if err := tx.bump(ctx, counterDone, "webhook_deliveries", -delivered); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM webhooks WHERE id = ?", id); err != nil {
			return err
		}
		return tx.audit(ctx, "webhook.delete", strconv.FormatInt(id, 10), "")
	})
}

// RotateWebhookSecret implements ally.WebhookService.
func (db *DB) RotateWebhookSecret(ctx context.Context, id int64, overlap time.Duration) (_ *ally.Webhook, err error) {
	defer wrap(&err, "rotate webhook secret")
	if _, err := ally.Allowed(ctx, ally.CanManageWebhooks, webhookAdmins); err != nil {
		return nil, err
	}
	if err := ally.CheckSecretOverlap(overlap); err != nil {
		return nil, err
	}
	secret := newWebhookSecret()
	var w *ally.Webhook
	err = db.withTx(ctx, func(tx *Tx) error {
		if _, err := tx.webhook(ctx, id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE webhooks SET old_secret = secret, old_until = ?, secret = ? WHERE id = ?`,
			millis(tx.now.Add(overlap)), secret, id); err != nil {
			return err
		}
		var err error
		if w, err = tx.webhook(ctx, id); err != nil {
			return err
		}
		return tx.audit(ctx, "webhook.rotate", strconv.FormatInt(id, 10), "overlap="+overlap.String())
	})
	if err != nil {
		return nil, err
	}
	w.Secret = secret
	return w, nil
}

// EnableWebhook implements ally.WebhookService.
func (db *DB) EnableWebhook(ctx context.Context, id int64) (_ *ally.Webhook, err error) {
	defer wrap(&err, "enable webhook")
	if _, err := ally.Allowed(ctx, ally.CanManageWebhooks, webhookAdmins); err != nil {
		return nil, err
	}
	var w *ally.Webhook
	err = db.withTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "UPDATE webhooks SET disabled = '' WHERE id = ?", id); err != nil {
			return err
		}
		var err error
		if w, err = tx.webhook(ctx, id); err != nil {
			return err
		}
		return tx.audit(ctx, "webhook.enable", strconv.FormatInt(id, 10), "")
	})
	return w, err
}

// TestWebhook implements ally.WebhookService.
func (db *DB) TestWebhook(ctx context.Context, id int64) (_ *ally.WebhookDelivery, err error) {
	defer wrap(&err, "test webhook")
	if _, err := ally.Allowed(ctx, ally.CanManageWebhooks, webhookAdmins); err != nil {
		return nil, err
	}
	var d *ally.WebhookDelivery
	err = db.withTx(ctx, func(tx *Tx) error {
		w, err := tx.webhook(ctx, id)
		if err != nil {
			return err
		}
		ev := ally.Event{Type: ally.EventTest, At: tx.now, Data: map[string]any{"link": tx.db.link("/")}}
		did, err := tx.insert(ctx, `INSERT INTO webhook_deliveries (webhook_id, event, body, status, next_at,
			created_at) VALUES (?, ?, ?, ?, ?, ?)`, id, ally.EventTest, string(ev.Payload(w.Format, false)),
			ally.DeliveryQueued, millis(tx.now), millis(tx.now))
		if err != nil {
			return err
		}
		d, err = scanDelivery(tx.queryRow(ctx, "SELECT "+deliveryColumns+" FROM webhook_deliveries WHERE id = ?", did))
		return err
	})
	return d, err
}

const deliveryColumns = `id, webhook_id, event, status, attempts, last_status, last_error, created_at, next_at,
	delivered_at`

func scanDelivery(row scanner) (*ally.WebhookDelivery, error) {
	var d ally.WebhookDelivery
	var created, next int64
	var delivered sql.NullInt64
	if err := row.Scan(&d.ID, &d.WebhookID, &d.Event, &d.Status, &d.Attempts, &d.LastStatus, &d.LastError, &created,
		&next, &delivered); err != nil {
		return nil, err
	}
	d.CreatedAt, d.DeliveredAt = fromMillis(created), fromNullMillis(delivered)
	if d.Status == ally.DeliveryQueued {
		t := fromMillis(next)
		d.NextAt = &t
	}
	return &d, nil
}

// WebhookDeliveries implements ally.WebhookService.
func (db *DB) WebhookDeliveries(ctx context.Context, id, before int64, limit int) (_ []*ally.WebhookDelivery,
	err error) {
	defer wrap(&err, "webhook deliveries")
	if _, err := ally.Allowed(ctx, ally.CanManageWebhooks, webhookAdmins); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > ally.MaxLimit+1 { // one more than a page tells whether another follows
		limit = ally.MaxLimit + 1
	}
	if before <= 0 {
		before = 1<<63 - 1
	}
	var out []*ally.WebhookDelivery
	err = db.withRead(ctx, func(tx *Tx) error {
		if _, err := tx.webhook(ctx, id); err != nil {
			return err
		}
		out, err = collect(ctx, tx, scanDelivery, "SELECT "+deliveryColumns+` FROM webhook_deliveries
			WHERE webhook_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, id, before, limit)
		return err
	})
	return out, err
}

// ClaimDeliveries implements ally.WebhookQueue.
func (db *DB) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration, busy []int64) (_ []*ally.Outgoing,
	err error) {
	defer wrap(&err, "claim deliveries")
	if _, err := ally.Allowed(ctx, ally.CanRunWorkers, "Only the server's own workers deliver webhooks."); err != nil {
		return nil, err
	}
	due := "SELECT id FROM webhook_deliveries WHERE status = ? AND next_at <= ?" +
		strings.Repeat(" AND webhook_id <> ?", len(busy)) + " ORDER BY next_at, id LIMIT ?"
	if db.postgres {
		due += " FOR UPDATE SKIP LOCKED"
	}
	var out []*ally.Outgoing
	err = db.withTx(ctx, func(tx *Tx) error {
		args := []any{millis(tx.now.Add(lease)), ally.DeliveryQueued, millis(tx.now)}
		for _, id := range busy {
			args = append(args, id)
		}
		rows, err := collect(ctx, tx, scanOutgoing, `UPDATE webhook_deliveries SET next_at = ?, attempts = attempts + 1
			WHERE id IN (`+due+`) RETURNING id, webhook_id, body, attempts, created_at`, append(args, limit)...)
		if err != nil || len(rows) == 0 {
			return err
		}
		hooks := map[int64]*ally.Outgoing{}
		for _, o := range rows {
			h, ok := hooks[o.WebhookID]
			if !ok {
				var secret, old string
				var oldUntil int64
				h = &ally.Outgoing{}
				if err := tx.queryRow(ctx, "SELECT url, format, secret, old_secret, old_until FROM webhooks WHERE id = ?",
					o.WebhookID).Scan(&h.URL, &h.Format, &secret, &old, &oldUntil); err != nil {
					return err
				}
				h.Secrets = []string{secret}
				if old != "" && oldUntil > millis(tx.now) {
					h.Secrets = append(h.Secrets, old)
				}
				hooks[o.WebhookID] = h
			}
			o.URL, o.Format, o.Secrets = h.URL, h.Format, h.Secrets
		}
		out = rows
		return nil
	})
	slices.SortFunc(out, func(a, b *ally.Outgoing) int { return cmp.Compare(a.ID, b.ID) })
	return out, err
}

func scanOutgoing(row scanner) (*ally.Outgoing, error) {
	var o ally.Outgoing
	var body string
	var created int64
	if err := row.Scan(&o.ID, &o.WebhookID, &body, &o.Attempts, &created); err != nil {
		return nil, err
	}
	o.Body, o.CreatedAt = []byte(body), fromMillis(created)
	return &o, nil
}

// SettleDeliveries implements ally.WebhookQueue.
func (db *DB) SettleDeliveries(ctx context.Context, outcomes []ally.Outcome) (err error) {
	defer wrap(&err, "settle deliveries")
	if _, err := ally.Allowed(ctx, ally.CanRunWorkers, "Only the server's own workers deliver webhooks."); err != nil {
		return err
	}
	if len(outcomes) == 0 {
		return nil
	}
	return db.withTx(ctx, func(tx *Tx) error {
		for _, o := range outcomes {
			var err error
			switch {
			case o.Release:
				_, err = tx.exec(ctx, `UPDATE webhook_deliveries SET next_at = ?, attempts = attempts - 1 WHERE id = ?
					AND status = ?`, millis(tx.now), o.ID, ally.DeliveryQueued)
			case o.Delivered:
				var res sql.Result
				res, err = tx.exec(ctx, `UPDATE webhook_deliveries SET status = ?, last_status = ?, last_error = '',
					delivered_at = ? WHERE id = ? AND status <> ?`, ally.DeliveryDelivered, o.HTTPStatus, millis(tx.now),
					o.ID, ally.DeliveryDelivered)
				if err == nil {
					err = tx.bumpDone(ctx, "webhook_deliveries", res)
				}
			case o.RetryIn > 0:
				_, err = tx.exec(ctx, `UPDATE webhook_deliveries SET next_at = ?, last_status = ?, last_error = ?
					WHERE id = ?`, millis(tx.now.Add(o.RetryIn)), o.HTTPStatus, o.Error, o.ID)
			default:
				if err = tx.leavingDone(ctx, "webhook_deliveries", ally.DeliveryDelivered, o.ID); err == nil {
					_, err = tx.exec(ctx, `UPDATE webhook_deliveries SET status = ?, last_status = ?, last_error = ?
						WHERE id = ?`, ally.DeliveryFailed, o.HTTPStatus, o.Error, o.ID)
				}
			}
			if err == nil && o.Gone {
				err = tx.disableWebhook(ctx, o.ID)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// disableWebhook turns off the subscription of delivery id after its
// receiver said 410 Gone, failing what was queued for it.
func (tx *Tx) disableWebhook(ctx context.Context, delivery int64) error {
	var hook int64
	err := tx.queryRow(ctx, "SELECT webhook_id FROM webhook_deliveries WHERE id = ?", delivery).Scan(&hook)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "UPDATE webhooks SET disabled = ? WHERE id = ?",
		"The receiver answered 410 Gone at "+tx.now.Format(time.RFC3339)+"; turn it on again once it is back.",
		hook); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE webhook_deliveries SET status = ?, last_error = ? WHERE webhook_id = ?
		AND status = ?`, ally.DeliveryFailed, "not sent: the subscription was turned off (410 Gone)", hook,
		ally.DeliveryQueued); err != nil {
		return err
	}
	return tx.audit(ctx, "webhook.disable", strconv.FormatInt(hook, 10), "410 Gone")
}

// WebhookStats returns the delivery queue's totals, for /metrics.
func (db *DB) WebhookStats(ctx context.Context) (_ *ally.WebhookStats, err error) {
	defer wrap(&err, "webhook stats")
	if _, err := ally.Allowed(ctx, ally.CanReadCounters, "Only the server reads the webhook totals."); err != nil {
		return nil, err
	}
	var s ally.WebhookStats
	err = db.withRead(ctx, func(tx *Tx) error {
		return tx.byStatus(ctx, "webhook_deliveries", func(status string, n int, oldest time.Time) {
			switch status {
			case ally.DeliveryQueued:
				s.Queued, s.OldestQueued = n, &oldest
			case counterDone:
				s.Delivered = n
			case ally.DeliveryFailed:
				s.Failed = n
			}
		})
	})
	return &s, err
}

// emitStatus tells subscriptions that c was acknowledged or resolved by a
// status change from prev.
func (tx *Tx) emitStatus(ctx context.Context, c *ally.Case, prev ally.Status, wasAcked bool) error {
	if !wasAcked && c.AcknowledgedAt != nil {
		if err := tx.emit(ctx, ally.EventCaseAcknowledged, c, nil); err != nil {
			return err
		}
	}
	if c.Status == ally.StatusResolved && prev != ally.StatusResolved {
		return tx.emit(ctx, ally.EventCaseResolved, c, nil)
	}
	return nil
}
