package ally

import (
	"context"
	"time"
)

// Outbox message states.
const (
	MailQueued = "queued" // waiting for its first or next attempt
	MailSent   = "sent"   // accepted by the relay
	MailFailed = "failed" // given up on: refused for good, or out of attempts; retry by hand
)

// Mail is one email in the outbox: written in the same transaction as the
// event that causes it, delivered by the outbox worker.
type Mail struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"` // the template it came from (mailtext.Names)
	CaseRef  string `json:"case,omitempty"`
	To       string `json:"to"`
	Subject  string `json:"subject"`
	Body     string `json:"-"`
	Status   string `json:"status"`
	Attempts int    `json:"attempts"`
	// ReplyToCase means replies go back into the case: the worker sets a
	// signed plus-address of the report mailbox as Reply-To.
	ReplyToCase bool       `json:"reply_to_case"`
	LastError   string     `json:"last_error,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	NextAt      *time.Time `json:"next_attempt_at,omitempty"` // queued mail only
	SentAt      *time.Time `json:"sent_at,omitempty"`
}

// OutboxStats sums up the outbox.
type OutboxStats struct {
	Queued int `json:"queued"`
	Sent   int `json:"sent"`
	Failed int `json:"failed"`
	// OldestQueued is when the oldest queued message was written; nil when
	// nothing is queued.
	OldestQueued *time.Time `json:"oldest_queued_at"`
}

// OutboxFilter selects outbox messages, newest first.
type OutboxFilter struct {
	Status string // "" (all), queued, sent or failed
	Limit  int
	Cursor string
}

// OutboxPage is one page of outbox messages and the totals.
type OutboxPage struct {
	Items      []*Mail     `json:"items"`
	NextCursor *string     `json:"next_cursor"`
	Stats      OutboxStats `json:"stats"`
}

// OutboxService lets admins (and the operator, with no user in the context)
// watch and nudge the outbox.
type OutboxService interface {
	// FindOutbox lists messages newest first, with the totals.
	// Errors: EFORBIDDEN (not an admin), EINVALID (bad status or cursor).
	FindOutbox(ctx context.Context, f OutboxFilter) (*OutboxPage, error)
	// OutboxStats returns the totals, for /metrics; it needs no user.
	OutboxStats(ctx context.Context) (*OutboxStats, error)
	// RetryMail queues failed messages again, due now: the one with id, or
	// every failed one when id is 0. It returns how many were queued.
	// Errors: EFORBIDDEN, ENOTFOUND (no failed message with that id).
	RetryMail(ctx context.Context, id int64) (int, error)
}

// MailQueue is what the outbox worker needs. A claimed message is leased:
// nobody else claims it until the lease runs out, so a worker that dies
// mid-delivery leaves it to be tried again.
type MailQueue interface {
	// ClaimMail leases up to limit due messages for lease, counting an
	// attempt on each.
	ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]*Mail, error)
	// MailSent records messages as delivered.
	MailSent(ctx context.Context, ids []int64) error
	// MailNotSent records a failed attempt: the message is due again after
	// retryIn, or failed for good when retryIn is 0.
	MailNotSent(ctx context.Context, id int64, reason string, retryIn time.Duration) error
	// MailKey returns the key that signs reply-to addresses (mailaddr),
	// made once per database and shared by every instance.
	MailKey(ctx context.Context) ([]byte, error)
}
