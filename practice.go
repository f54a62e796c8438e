package ally

import (
	"context"
	"encoding/json"
	"time"
)

// Practice is one rehearsal of a hard conversation with a simulated person.
// Session holds the conversation engine's state (package roleplay), which
// includes the persona's hidden facts, so it never leaves the server.
type Practice struct {
	ID        int64  `json:"id"`
	Trainee   Person `json:"trainee"`
	TraineeID int64  `json:"-"`
	Scenario  string `json:"scenario"`
	Title     string `json:"title"`
	Turns     int    `json:"turns"`
	// Ended is goals_met, disengaged, out_of_turns, or stopped (the trainee
	// ended the session early).
	Ended     string          `json:"ended,omitempty"`
	Overall   *int            `json:"overall"` // debrief score once ended
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	Session   json.RawMessage `json:"-"`
}

// PracticeProgress sums up one trainee's practice over all their sessions:
// how many, and the overall scores of those that ended.
type PracticeProgress struct {
	Trainee   Person `json:"trainee"`
	TraineeID int64  `json:"-"`
	Sessions  int    `json:"sessions"`
	Latest    *int   `json:"latest"` // the score of the newest ended session; nil if none has ended
	Best      *int   `json:"best"`   // the highest score of an ended session; nil if none has ended
}

// PracticeService keeps practice sessions. Responders and up practise;
// leads and admins see everyone's sessions and progress.
type PracticeService interface {
	// StartPractice records a new session for the signed-in user.
	// Errors: EFORBIDDEN (reporters), EINVALID.
	StartPractice(ctx context.Context, p *Practice) error
	// FindPractice returns a session of the user's own, or anyone's for
	// leads. Errors: ENOTFOUND.
	FindPractice(ctx context.Context, id int64) (*Practice, error)
	// SavePractice stores the session's new state; only its trainee may.
	// Errors: ENOTFOUND, ECONFLICT (already ended).
	SavePractice(ctx context.Context, p *Practice) error
	// FindPractices lists sessions newest first: the user's own, or with
	// everyone set (leads and admins) all trainees'. Errors: EFORBIDDEN.
	FindPractices(ctx context.Context, everyone bool, before int64, limit int) ([]*Practice, error)
	// FindPracticeProgress sums up every trainee's sessions, all of them,
	// the most recently started first. Leads and admins only.
	// Errors: EUNAUTHORIZED, EFORBIDDEN.
	FindPracticeProgress(ctx context.Context) ([]*PracticeProgress, error)
}
