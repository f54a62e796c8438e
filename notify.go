package ally

import (
	"context"
	"fmt"
	"time"
)

// Events a responder can be told about by email, and how (issue 13).
const (
	NotifyAssigned      = "assigned"       // a case was assigned to them
	NotifyReporterWrote = "reporter_wrote" // the reporter of their case wrote
	NotifyCritical      = "critical"       // a critical case arrived

	NotifyInstant = "instant" // one email per event, at once
	NotifyDigest  = "digest"  // gathered into one email every DigestEvery (or as configured)
	NotifyOff     = "off"     // no email
)

// NotifyEvents lists the events, in the order settings show them.
var NotifyEvents = []string{NotifyAssigned, NotifyReporterWrote, NotifyCritical}

// DigestEvery is how long, by default, the first gathered event waits
// before its digest goes out with whatever else gathered since (ally serve
// --digest-every).
const DigestEvery = time.Hour

// The digest interval's bounds: the outbox worker looks for due digests once
// a minute, and news more than a week old is no longer news.
const (
	MinDigestEvery = time.Minute
	MaxDigestEvery = 7 * 24 * time.Hour
)

// CheckDigestEvery says why d cannot be the digest interval.
// Errors: EINVALID.
func CheckDigestEvery(d time.Duration) error {
	if d < MinDigestEvery || d > MaxDigestEvery || d%time.Minute != 0 {
		return Errorf(EINVALID, "%s is not a whole number of minutes from 1m to 168h (a week), such as 30m, 4h or 24h", d)
	}
	return nil
}

// DigestWords says how often digests go out, for their email and the
// settings page: "once an hour", "every 30 minutes", "once a day".
func DigestWords(d time.Duration) string {
	n, unit := int64(d/time.Minute), "minute"
	switch day := 24 * time.Hour; {
	case d%day == 0:
		n, unit = int64(d/day), "day"
	case d%time.Hour == 0:
		n, unit = int64(d/time.Hour), "hour"
	}
	switch {
	case n != 1:
		return fmt.Sprintf("every %d %ss", n, unit)
	case unit == "hour":
		return "once an hour"
	}
	return "once a " + unit
}

// NotifySettings says, per event, how a responder hears of it.
type NotifySettings map[string]string

// DefaultNotifySettings is what a responder who chose nothing gets: every
// event at once, as before settings existed.
func DefaultNotifySettings() NotifySettings {
	return NotifySettings{NotifyAssigned: NotifyInstant, NotifyReporterWrote: NotifyInstant,
		NotifyCritical: NotifyInstant}
}

// Validate checks that s names only known events and modes.
func (s NotifySettings) Validate() error {
	for event, mode := range s {
		if !knownEvent(event) {
			return Errorf(EINVALID, "%q is not an event you can be told about; use assigned, reporter_wrote or "+
				"critical.", event)
		}
		if mode != NotifyInstant && mode != NotifyDigest && mode != NotifyOff {
			return Errorf(EINVALID, "%s: %q is not a choice; use instant, digest or off.", event, mode)
		}
	}
	return nil
}

func knownEvent(e string) bool {
	for _, k := range NotifyEvents {
		if k == e {
			return true
		}
	}
	return false
}

// NotifyService keeps each responder's choice of notifications, and sends
// the gathered digests.
type NotifyService interface {
	// NotifySettings returns the caller's settings, defaults filled in.
	// Errors: EUNAUTHORIZED, EFORBIDDEN (reporters get no such mail).
	NotifySettings(ctx context.Context) (NotifySettings, error)
	// SetNotifySettings changes the events named in s and returns all of
	// them. Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	SetNotifySettings(ctx context.Context, s NotifySettings) (NotifySettings, error)
}

// DigestQueue is what the digest worker needs (the server itself only).
type DigestQueue interface {
	// SendDigests queues, in the outbox, one digest for each of up to limit
	// people whose oldest gathered event is older than every, taking those
	// events in the same transaction: with several instances each event is
	// in exactly one digest. It returns how many digests it queued.
	SendDigests(ctx context.Context, every time.Duration, limit int) (int, error)
}

// DigestLine says one gathered event of a digest in a line: event on the
// case ref (summary), written by reporter for NotifyReporterWrote.
func DigestLine(event, ref, reporter, summary string) string {
	switch event {
	case NotifyAssigned:
		return fmt.Sprintf("%s is now yours: %s", ref, summary)
	case NotifyReporterWrote:
		return fmt.Sprintf("%s wrote on %s (%s)", reporter, ref, summary)
	default:
		return fmt.Sprintf("Critical: %s (%s)", ref, summary)
	}
}
