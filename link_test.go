package ally

import (
	"testing"
	"time"

	"github.com/allydesk/ally/tone"
)

// TestDuplicateWordsAreKind: what the reporter of a duplicate reads, alone
// or in bulk, passes the tone check for reporters (plain, warm, grade 8).
func TestDuplicateWordsAreKind(t *testing.T) {
	for _, text := range []string{DuplicateJoined, DuplicateFinished} {
		r := tone.Default().Check(text, tone.AudienceReporter)
		if r.HasError() || r.Grade > 8 {
			t.Errorf("%q: grade %.1f findings %+v", text, r.Grade, r.Findings)
		}
	}
}

// TestDefaultSurvivor: the case reported first survives, whatever its
// place in the list; on a tie, the lower reference.
func TestDefaultSurvivor(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	late := &Case{ID: 1, ReportedAt: at.Add(time.Hour)} // imported later with an earlier number
	first := &Case{ID: 7, ReportedAt: at}
	tie := &Case{ID: 3, ReportedAt: at}
	for _, tc := range []struct {
		cs   []*Case
		want *Case
	}{
		{nil, nil},
		{[]*Case{late}, late},
		{[]*Case{late, first}, first},
		{[]*Case{first, late, tie}, tie},
		{[]*Case{tie, first}, tie},
	} {
		if got := DefaultSurvivor(tc.cs); got != tc.want {
			t.Errorf("%v: got %v, want %v", tc.cs, got, tc.want)
		}
	}
}
