package ally

import (
	"context"
	"time"
)

// Task is one step of a case's playbook, for the responder or the reporter.
type Task struct {
	ID     string     `json:"id"`
	Title  string     `json:"title"`
	Phase  string     `json:"phase"`
	Owner  string     `json:"owner"` // responder or reporter
	DueIn  string     `json:"due_in"`
	DueAt  time.Time  `json:"due_at"`
	Done   bool       `json:"done"`
	DoneAt *time.Time `json:"done_at"`
	DoneBy *Person    `json:"done_by"`
}

// Task owners.
const (
	OwnerResponder = "responder"
	OwnerReporter  = "reporter"
)

// TaskService reads and ticks a case's tasks.
type TaskService interface {
	// Tasks lists a case's tasks in playbook order; reporters see only
	// their own. Errors: ENOTFOUND.
	Tasks(ctx context.Context, ref string) ([]*Task, error)
	// SetTaskDone ticks or unticks a task. Responders and up may tick any;
	// the reporter only reporter-owned tasks. Errors: ENOTFOUND, EFORBIDDEN.
	SetTaskDone(ctx context.Context, ref, id string, done bool) (*Task, error)
	// SaveChecklist sets, in one transaction, every task of the case the
	// user may tick to whether its id is in done, and returns the tasks as
	// Tasks would. Tasks the user may not tick are left alone.
	// Errors: ENOTFOUND.
	SaveChecklist(ctx context.Context, ref string, done []string) ([]*Task, error)
}
