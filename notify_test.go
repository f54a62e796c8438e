package ally

import (
	"strings"
	"testing"
	"time"
)

// TestDigestEvery: the digest interval is a whole number of minutes from a
// minute to a week, refused otherwise with what to give instead, and said
// in words for the digest email and the settings page.
func TestDigestEvery(t *testing.T) {
	for _, bad := range []time.Duration{0, -time.Hour, 30 * time.Second, 90 * time.Second, 8 * 24 * time.Hour} {
		if err := CheckDigestEvery(bad); ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "such as 30m") {
			t.Errorf("%s: %v", bad, err)
		}
	}
	for d, words := range map[time.Duration]string{
		time.Minute: "once a minute", 30 * time.Minute: "every 30 minutes", 90 * time.Minute: "every 90 minutes",
		time.Hour: "once an hour", 4 * time.Hour: "every 4 hours", 24 * time.Hour: "once a day",
		7 * 24 * time.Hour: "every 7 days", 36 * time.Hour: "every 36 hours",
	} {
		if err := CheckDigestEvery(d); err != nil {
			t.Errorf("%s refused: %v", d, err)
		}
		if got := DigestWords(d); got != words {
			t.Errorf("DigestWords(%s) = %q, want %q", d, got, words)
		}
	}
	if DigestWords(DigestEvery) != "once an hour" {
		t.Error("the default changed")
	}
}
