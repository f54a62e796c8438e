package insight

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
)

func TestPartOfDayAndQuarterEnd(t *testing.T) {
	for h, want := range map[int]string{0: "night (00–06)", 5: "night (00–06)", 6: "morning (06–12)",
		12: "afternoon (12–18)", 17: "afternoon (12–18)", 18: "evening (18–24)", 23: "evening (18–24)"} {
		if got := PartOfDay(h); got != want {
			t.Errorf("PartOfDay(%d) = %q, want %q", h, got, want)
		}
	}
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 3, 17, 0, 0, 0, 0, time.UTC), false}, // 15 days before April
		{time.Date(2026, 3, 18, 0, 0, 0, 0, time.UTC), true},  // exactly 14 days before
		{time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{time.Date(2026, 6, 20, 0, 0, 0, 0, time.UTC), true},
	} {
		if got := QuarterEnd(tc.at); got != tc.want {
			t.Errorf("QuarterEnd(%s) = %v, want %v", tc.at, got, tc.want)
		}
	}
}

func TestGroupsMergeSmallOnes(t *testing.T) {
	got := Groups(map[string]int{"a": 7, "b": 5, "c": 4, "d": 1, "e": 7}, 24)
	var names []string
	for _, g := range got {
		names = append(names, g.Name)
	}
	if !slices.Equal(names, []string{"a", "e", "b", "other"}) {
		t.Fatalf("groups %v, want a, e, b, other", names)
	}
	if o := got[3]; o.Count != 5 || !o.Merged || *o.Share != 0.2083 {
		t.Errorf("other = %+v", o)
	}
	if len(Groups(map[string]int{"x": 4}, 4)) != 1 || !Groups(map[string]int{"x": 4}, 4)[0].Merged {
		t.Errorf("a lone small group is not merged")
	}
	if g := Groups(nil, 0); g == nil || len(g) != 0 {
		t.Errorf("no counts: %v, want an empty list", g)
	}
}

// TestRecommendationEvidenceNames: an evidence line names a kind as the
// screens do ("Unexpected sign-in prompt", "Entered a password"), not as
// its id in words ("Unexpected mfa prompt", "Entered credentials").
func TestRecommendationEvidenceNames(t *testing.T) {
	mid := time.Date(2026, 2, 10, 10, 0, 0, 0, time.UTC)
	tally := NewTally(time.UTC)
	for range ally.MinGroup {
		tally.AddCase("unexpected_mfa_prompt", "Sales", nil, mid, `{}`)
		tally.AddCase("entered_credentials", "Sales", nil, mid, `{}`)
	}
	var in ally.Insights
	tally.Fill(&in)
	var got []string
	for _, r := range in.Recommendations {
		got = append(got, r.Evidence)
	}
	n := fmt.Sprintf(": %d of %d", ally.MinGroup, 2*ally.MinGroup)
	for _, want := range []string{"Unexpected sign-in prompt" + n, "Entered a password" + n} {
		if !slices.Contains(got, want) {
			t.Errorf("evidence %q, want %q among it", got, want)
		}
	}
}

// TestRecommendations: topics come only from groups of at least MinGroup,
// from rushing and from quarter ends, each with its evidence.
func TestRecommendations(t *testing.T) {
	quarterEnd := time.Date(2026, 3, 25, 10, 0, 0, 0, time.UTC)
	midQuarter := time.Date(2026, 2, 10, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		fill  func(t *Tally)
		wants []string
	}{
		{"too few to say anything", func(t *Tally) {
			for range ally.MinGroup - 1 {
				t.AddCase("clicked_link", "Sales", nil, midQuarter, `{"under_pressure":"yes"}`)
			}
		}, nil},
		{"clicks, rushed, at quarter end", func(t *Tally) {
			for range ally.MinGroup {
				t.AddCase("clicked_link", "Sales", &quarterEnd, midQuarter, `{"under_pressure":"Yes"}`)
			}
		}, []string{"Checking a link before you click", "Making it OK to slow down",
			"Extra care at busy times like quarter end"}},
		{"lures of reported emails, counted once an email", func(t *Tally) {
			for range ally.MinGroup {
				t.AddCase("suspicious_email", "", nil, midQuarter, `{}`)
				t.AddEmail([]string{"urgency", "urgency", "reward"})
			}
		}, []string{"Spotting too-good-to-be-true offers", "Slowing down when a message rushes you"}}, // ties by name
	} {
		tally := NewTally(time.UTC)
		tc.fill(tally)
		var in ally.Insights
		tally.Fill(&in)
		var topics []string
		for _, r := range in.Recommendations {
			topics = append(topics, r.Topic)
			if r.Why == "" || !strings.Contains(r.Evidence, ":") {
				t.Errorf("%s: recommendation without evidence: %+v", tc.name, r)
			}
		}
		if !slices.Equal(topics, tc.wants) {
			t.Errorf("%s: topics %q, want %q", tc.name, topics, tc.wants)
		}
	}
}
