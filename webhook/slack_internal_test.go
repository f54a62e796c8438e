package webhook

import (
	"testing"
	"time"
)

// FuzzRetryAfter: whatever Slack (or anything between) sends as
// Retry-After, the wait is from a second to an hour.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"30", "1", "0", "-5", "", "abc", " 7 ", "99999999999999999999", "Wed, 21 Oct 2015"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		if d := retryAfter(h); d < time.Second || d > time.Hour {
			t.Fatalf("retryAfter(%q) = %v", h, d)
		}
	})
}

func TestRetryAfter(t *testing.T) {
	for h, want := range map[string]time.Duration{"30": 30 * time.Second, "": time.Minute, "x": time.Minute,
		"0": time.Minute, "7200": time.Hour} {
		if got := retryAfter(h); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", h, got, want)
		}
	}
}
