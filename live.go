package ally

import "context"

// CaseEvent tells a subscriber that a case they may see arrived or
// changed. It carries only the reference: the page reads the case itself,
// with the reader's own permissions.
type CaseEvent struct {
	Ref    string `json:"ref,omitempty"`
	Change string `json:"change"` // EventCreated, EventChanged, or EventResync (no Ref)
}

// Case event changes.
const (
	EventCreated = "created"
	EventChanged = "changed"
	// EventResync means events may have been missed (a lost connection to
	// the database): read everything again.
	EventResync = "resync"
)

// LiveService streams case events to the signed-in user: only events about
// cases CanSeeCase lets them see, from every instance sharing the database.
type LiveService interface {
	// Subscribe returns the user's events until ctx ends; a slow reader
	// misses events (each is only a hint to read again), never blocks
	// writers. Errors: EUNAUTHORIZED.
	Subscribe(ctx context.Context) (<-chan CaseEvent, error)
}
