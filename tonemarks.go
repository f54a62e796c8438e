package ally

import (
	"context"
	"time"

	"github.com/allydesk/ally/tone"
)

// ToneMessage is a responder's message to a reporter as a lead sees it on
// the tone page, to mark it "reads as blaming" or "is fine".
type ToneMessage struct {
	ID      int64     `json:"id"`
	CaseRef string    `json:"case_ref"`
	Body    string    `json:"body"`
	Flagged bool      `json:"flagged"` // the tone check found an error-level problem
	At      time.Time `json:"at"`
	// Marked is the latest mark of these words: true "reads as blaming",
	// false "is fine", nil not marked yet.
	Marked *bool `json:"marked,omitempty"`
}

// ToneService lets leads teach the tone check with their own team's words,
// and gives everyone the engine that has learnt them.
type ToneService interface {
	// ToneEngine is the engine in use now: the built-in one with the
	// organisation's examples on top.
	ToneEngine() *tone.Engine
	// RecentReplies lists the newest responder messages to reporters
	// older than the message before (all when 0), newest first, at most
	// limit, each with its latest mark.
	RecentReplies(ctx context.Context, before int64, limit int) ([]ToneMessage, error)
	// MarkTone stores the message with id as an example of blame (or not)
	// and rebuilds the engine with it.
	MarkTone(ctx context.Context, id int64, blame bool) error
}
