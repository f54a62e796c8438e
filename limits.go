package ally

import (
	"context"
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

// Sign-in limits. An address may try one email 10 times a minute and any
// emails 60 times a minute from its network (/24 or /64); an account that
// keeps failing waits longer each time (1 s doubling to 5 min) after its
// first SignInFreeFailures, except from a network it has signed in from
// before, so that no one can lock a person out.
var (
	SignInPairRate    = Rate{What: "sign-in attempts", Burst: 10, Every: 6 * time.Second}
	SignInNetworkRate = Rate{What: "sign-in attempts", Burst: 60, Every: time.Second}
)

// Failed sign-ins an account has before it waits, and the longest wait.
const (
	SignInFreeFailures = 5
	SignInMaxBackoff   = 5 * time.Minute
)

// LimitService keeps rate limits in the database, so that every instance
// serving it sees the same counts (store/limits.go). Keys are opaque; they
// are kept only as hashes.
type LimitService interface {
	// TakeRate spends one of key's allowance at r, or says how long to wait.
	TakeRate(ctx context.Context, key string, r Rate, now time.Time) (wait time.Duration, err error)
	// SignInWait says how long account must wait before trying from network.
	SignInWait(ctx context.Context, account, network string, now time.Time) (wait time.Duration, err error)
	// SignInFailed records a failed sign-in of account: past
	// SignInFreeFailures in a row, each makes it wait twice as long.
	SignInFailed(ctx context.Context, account string, now time.Time) error
	// SignInSucceeded forgets account's failures and remembers network as
	// one it signs in from.
	SignInSucceeded(ctx context.Context, account, network string, now time.Time) error
}
