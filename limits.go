package ally

import (
	"runtime"
	"time"
)

// Rate is how often one user may do one kind of write: Burst at once, then
// one more every Every. The numbers are generous for a person (who files a
// case or two a day and types each message) and tight for a script.
type Rate struct {
	What  string        // what is limited, in the words of the refusal
	Burst int           // how many at once after a quiet spell
	Every time.Duration // one more allowed after each such interval
}

// Per-user rates (issue 20 F7). Every is the sustained pace: 30 cases, 120
// messages or 30 uploads a minute.
var (
	CaseRate    = Rate{What: "new reports", Burst: 10, Every: 2 * time.Second}
	MessageRate = Rate{What: "messages", Burst: 30, Every: 500 * time.Millisecond}
	UploadRate  = Rate{What: "uploads", Burst: 10, Every: 2 * time.Second}
)

// Analysis bounds: how many email analyses, uploads and tone checks run at
// once for one user, and in the whole process. Past either, the request is
// refused (ERATELIMITED) rather than queued, so a flood costs bounded memory.
const AnalysesPerUser = 2

// AnalysisWorkers is how many analyses run at once in one process: one per
// CPU, and never so few that one user's analyses hold up everyone else's.
var AnalysisWorkers = max(runtime.NumCPU(), 2*AnalysesPerUser)
