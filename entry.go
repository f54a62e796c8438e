package ally

import (
	"time"

	"github.com/allydesk/ally/tone"
)

// EntryType is what a timeline entry records.
type EntryType string

// Timeline entry types.
const (
	EntryMessage    EntryType = "message"
	EntryNote       EntryType = "note"
	EntryStatus     EntryType = "status"
	EntrySeverity   EntryType = "severity"
	EntryAssignment EntryType = "assignment"
	EntrySystem     EntryType = "system"
)

// Entry is one item on a case's timeline.
type Entry struct {
	ID        int64        `json:"id"`
	CaseID    int64        `json:"-"`
	Type      EntryType    `json:"type"`
	Author    *Person      `json:"author"`
	Body      string       `json:"body"`
	Internal  bool         `json:"internal"`
	CreatedAt time.Time    `json:"created_at"`
	Tone      *tone.Result `json:"tone,omitempty"`
}

// NewMessage is a message or internal note being posted to a case.
type NewMessage struct {
	Body     string `json:"body"`
	Internal bool   `json:"internal"`
	// Confirmed sends a reply even though the tone check holds it back
	// (the page's "Send anyway"); see HoldReply.
	Confirmed bool `json:"confirmed"`
}

// Validate checks a new message and returns EINVALID naming the bad field.
func (m *NewMessage) Validate() error {
	switch {
	case len(m.Body) == 0 || len(trimSpace(m.Body)) == 0:
		return Errorf(EINVALID, "body: is required; write a message.")
	case TooLong(m.Body, MaxBody):
		return Errorf(EINVALID, "body: is longer than %s characters; shorten it, or send it in two messages.",
			Count(MaxBody))
	}
	return nil
}
