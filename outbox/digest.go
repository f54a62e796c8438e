package outbox

import (
	"context"
	"time"

	"github.com/allydesk/ally"
)

// digestBatch is how many people's digests one call queues.
const digestBatch = 100

// runDigests queues the responders' digests (ally.DigestQueue) every
// DigestPoll until ctx ends. Each instance may run it: the store takes
// every gathered event into exactly one digest.
func (w *Worker) runDigests(ctx context.Context) {
	op := ally.NewOperatorContext(ctx)
	for {
		for {
			n, err := w.cfg.Digests.SendDigests(op, w.cfg.DigestEvery, digestBatch)
			if err != nil && ctx.Err() == nil {
				w.cfg.Log.Error("digests", "err", err)
			}
			if n < digestBatch || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(w.cfg.DigestPoll):
		}
	}
}
