package ally

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Webhooks and chat notifications: admins subscribe a URL to events; each
// event writes one delivery per subscription in its own transaction, and
// the webhook worker (package webhook) posts them with retries. Standard
// subscriptions are signed (Standard Webhooks); chat ones (Slack,
// Mattermost, Teams incoming webhooks) carry one short line and a link.

// Event names.
const (
	EventCaseCreated         = "case.created"
	EventCaseAcknowledged    = "case.acknowledged"
	EventCaseSeverityChanged = "case.severity_changed"
	EventCaseAssigned        = "case.assigned"
	EventCaseReporterWrote   = "case.reporter_wrote"
	EventCaseResolved        = "case.resolved"
	EventCampaignDecided     = "campaign.decided"
	EventSignalEscalated     = "signal.escalated"
	// EventTest is sent by "ally webhook test" and POST …/test only.
	EventTest = "webhook.test"
)

// Events lists every event a subscription can ask for.
var Events = []string{EventCaseCreated, EventCaseAcknowledged, EventCaseSeverityChanged, EventCaseAssigned,
	EventCaseReporterWrote, EventCaseResolved, EventCampaignDecided, EventSignalEscalated}

// Delivery formats.
const (
	FormatStandard = "standard" // signed JSON {"type", "timestamp", "data"} (Standard Webhooks)
	FormatSlack    = "slack"    // Slack or Mattermost incoming webhook: {"text"}
	FormatTeams    = "teams"    // Microsoft Teams incoming webhook: a MessageCard
)

// Formats lists the delivery formats.
var Formats = []string{FormatStandard, FormatSlack, FormatTeams}

// Delivery states.
const (
	DeliveryQueued    = "queued"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// NewWebhook is a subscription being made (POST /api/v1/webhooks).
type NewWebhook struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
	Format string   `json:"format"` // standard (default), slack or teams
	// IncludePersonal adds reporter names, summaries and subjects' emails
	// to standard payloads; off, they carry references and links only.
	IncludePersonal bool `json:"include_personal"`
}

// Validate checks and normalises a new subscription. Errors: EINVALID.
func (n *NewWebhook) Validate() error {
	n.URL = strings.TrimSpace(n.URL)
	if n.Format == "" {
		n.Format = FormatStandard
	}
	u, err := url.Parse(n.URL)
	switch {
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(n.URL) > 2000:
		return Errorf(EINVALID, "url: %q is not an http or https address; give the full URL of the receiver.",
			truncate(n.URL, 100))
	case u.User != nil:
		return Errorf(EINVALID, "url: must not carry a user name or password; the signature proves who sends.")
	case !slices.Contains(Formats, n.Format):
		return Errorf(EINVALID, "format: %q is not a format; use one of %s.", n.Format, list(Formats))
	case len(n.Events) == 0:
		return Errorf(EINVALID, "events: name at least one of %s.", list(Events))
	}
	for _, e := range n.Events {
		if !slices.Contains(Events, e) {
			return Errorf(EINVALID, "events: %q is not an event; use any of %s.", truncate(e, 60), list(Events))
		}
	}
	slices.Sort(n.Events)
	n.Events = slices.Compact(n.Events)
	return nil
}

// Webhook is a subscription.
type Webhook struct {
	ID              int64     `json:"id"`
	URL             string    `json:"url"`
	Format          string    `json:"format"`
	Events          []string  `json:"events"`
	IncludePersonal bool      `json:"include_personal"`
	Disabled        string    `json:"disabled,omitempty"` // why it was turned off; empty when on
	CreatedAt       time.Time `json:"created_at"`
	// Secret is shown once, when made or rotated.
	Secret string `json:"secret,omitempty"`
	// Queued and Failed count its deliveries waiting and given up.
	Queued int `json:"queued"`
	Failed int `json:"failed"`
}

// WebhookDelivery is one event sent (or being sent) to a subscription.
type WebhookDelivery struct {
	ID          int64      `json:"id"`
	WebhookID   int64      `json:"webhook_id"`
	Event       string     `json:"event"`
	Status      string     `json:"status"`
	Attempts    int        `json:"attempts"`
	LastStatus  int        `json:"last_status,omitempty"` // the receiver's last HTTP status
	LastError   string     `json:"last_error,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	NextAt      *time.Time `json:"next_attempt_at,omitempty"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
}

// WebhookService lets admins manage subscriptions.
type WebhookService interface {
	// CreateWebhook adds a subscription and returns it with its secret.
	// Errors: EINVALID, EUNAUTHORIZED, EFORBIDDEN.
	CreateWebhook(ctx context.Context, n *NewWebhook) (*Webhook, error)
	// FindWebhooks lists subscriptions with their backlog.
	FindWebhooks(ctx context.Context) ([]*Webhook, error)
	// DeleteWebhook removes a subscription and its deliveries. Errors:
	// ENOTFOUND.
	DeleteWebhook(ctx context.Context, id int64) error
	// RotateWebhookSecret gives a subscription a new secret; the old one
	// goes on signing too for overlap, so receivers can switch. Errors:
	// ENOTFOUND.
	RotateWebhookSecret(ctx context.Context, id int64, overlap time.Duration) (*Webhook, error)
	// EnableWebhook turns a disabled subscription back on.
	EnableWebhook(ctx context.Context, id int64) (*Webhook, error)
	// TestWebhook queues a webhook.test delivery. Errors: ENOTFOUND.
	TestWebhook(ctx context.Context, id int64) (*WebhookDelivery, error)
	// WebhookDeliveries lists a subscription's deliveries, newest first,
	// before the delivery id before (0: from the newest). Errors: ENOTFOUND.
	WebhookDeliveries(ctx context.Context, id, before int64, limit int) ([]*WebhookDelivery, error)
	// WebhookStats returns the delivery queue's totals, for /metrics; the
	// operator only.
	WebhookStats(ctx context.Context) (*WebhookStats, error)
}

// Outgoing is a claimed delivery with what the worker needs to send it.
type Outgoing struct {
	ID        int64
	WebhookID int64
	URL       string
	Format    string
	Body      []byte
	// Secrets sign a standard delivery: the current one, and the previous
	// one while its overlap lasts.
	Secrets   []string
	Attempts  int
	CreatedAt time.Time
}

// Outcome is the result of one delivery attempt.
type Outcome struct {
	ID         int64
	Delivered  bool
	HTTPStatus int    // 0 when nothing answered
	Error      string // why not, for the delivery log
	// RetryIn is when to try again; 0 gives up (failed).
	RetryIn time.Duration
	// Gone disables the subscription: the receiver answered 410.
	Gone bool
	// Release gives the delivery back untried, due at once, with its
	// attempt uncounted (the worker had no free slot for its subscription).
	Release bool
}

// WebhookQueue is what the webhook worker needs. A claim leases a delivery
// as the outbox's does.
type WebhookQueue interface {
	// ClaimDeliveries leases up to limit due deliveries for lease, counting
	// an attempt on each, skipping the subscriptions in busy.
	ClaimDeliveries(ctx context.Context, limit int, lease time.Duration, busy []int64) ([]*Outgoing, error)
	// SettleDeliveries records attempts' outcomes.
	SettleDeliveries(ctx context.Context, outcomes []Outcome) error
}

// WebhookStats sums up the delivery queue for /metrics.
type WebhookStats struct {
	Queued    int
	Delivered int
	Failed    int
	// OldestQueued is when the oldest queued delivery was written.
	OldestQueued *time.Time
}

// Event is one thing that happened, as subscriptions are told of it.
type Event struct {
	Type string
	At   time.Time
	// Data carries references and links only; Personal adds the fields
	// only subscriptions with IncludePersonal get.
	Data     map[string]any
	Personal map[string]any
}

// Payload renders ev for a subscription: the Standard Webhooks body
// {"type", "timestamp", "data"}, or a chat message with one short line and
// a link (chat is no place for incident details: never personal).
func (ev Event) Payload(format string, includePersonal bool) []byte {
	switch format {
	case FormatSlack:
		return mustJSON(map[string]any{"text": ev.ChatLine()})
	case FormatTeams:
		return mustJSON(map[string]any{"@type": "MessageCard", "@context": "https://schema.org/extensions",
			"summary": ev.ChatLine(), "text": ev.ChatLine()})
	}
	data := make(map[string]any, len(ev.Data)+len(ev.Personal))
	for k, v := range ev.Data {
		data[k] = v
	}
	if includePersonal {
		for k, v := range ev.Personal {
			data[k] = v
		}
	}
	return mustJSON(map[string]any{"type": ev.Type, "timestamp": ev.At.UTC().Format(time.RFC3339Nano), "data": data})
}

// ChatLine is the event in one short line with a link.
func (ev Event) ChatLine() string {
	ref, _ := ev.Data["case"].(string)
	link, _ := ev.Data["link"].(string)
	sev, _ := ev.Data["severity"].(string)
	var line string
	switch ev.Type {
	case EventCaseCreated:
		line = "New " + sev + " case " + ref
	case EventCaseAcknowledged:
		line = ref + " was acknowledged"
	case EventCaseSeverityChanged:
		line = ref + " is now " + sev
	case EventCaseAssigned:
		line = ref + " was assigned to " + str(ev.Data["assignee"])
	case EventCaseReporterWrote:
		line = "The reporter wrote on " + ref
	case EventCaseResolved:
		line = ref + " was resolved"
	case EventCampaignDecided:
		line = "Campaign " + str(ev.Data["campaign"]) + " was decided: " + str(ev.Data["verdict"])
	case EventSignalEscalated:
		line = "A signal became a " + sev + " case: " + ref
	default:
		line = "Test message from Ally: this subscription works"
	}
	if link != "" {
		line += ": " + link
	}
	return line
}

// ChatWanted reports whether a chat subscription posts ev: chat gets a new
// case only when it is critical.
func (ev Event) ChatWanted() bool {
	return ev.Type != EventCaseCreated || ev.Data["severity"] == string(SeverityCritical)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("ally: event payload: " + err.Error())
	}
	return b
}

// SlackDM is a queued Slack direct message asking a person about a signal
// (sent only when a Slack bot token is configured).
type SlackDM struct {
	ID        int64
	SignalID  int64
	Email     string // the person, found in Slack by email
	Text      string // the question and the signed answer link
	Attempts  int
	CreatedAt time.Time
}

// SlackQueue is what the Slack worker needs: the same lease and outcomes
// as WebhookQueue (Outcome's HTTPStatus, Gone and Release are not used).
type SlackQueue interface {
	// ClaimSlackDMs leases up to limit due messages for lease, counting an
	// attempt on each.
	ClaimSlackDMs(ctx context.Context, limit int, lease time.Duration) ([]*SlackDM, error)
	// SettleSlackDMs records attempts' outcomes.
	SettleSlackDMs(ctx context.Context, outcomes []Outcome) error
}

// MaxSecretOverlap is the longest time a rotated webhook secret goes on
// signing beside the new one.
const MaxSecretOverlap = 7 * 24 * time.Hour

// CheckSecretOverlap checks how long a rotated secret goes on signing:
// from none to MaxSecretOverlap.
func CheckSecretOverlap(overlap time.Duration) error {
	if overlap < 0 || overlap > MaxSecretOverlap {
		return Errorf(EINVALID, "overlap: must be from 0 to 7 days; the old secret signs too until then.")
	}
	return nil
}
