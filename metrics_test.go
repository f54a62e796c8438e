package ally

import (
	"testing"
	"time"
)

func TestMetricsFilterResolve(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 123456789, time.FixedZone("CET", 3600))
	day := 24 * time.Hour
	for _, tc := range []struct {
		name     string
		f        MetricsFilter
		from, to time.Time // zero when invalid
	}{
		{"defaults", MetricsFilter{}, now.Add(-DefaultMetricsPeriod), now},
		{"from only", MetricsFilter{From: now.Add(-7 * day)}, now.Add(-7 * day), now},
		{"to only", MetricsFilter{To: now.Add(-day)}, now.Add(-day - DefaultMetricsPeriod), now.Add(-day)},
		{"from after to", MetricsFilter{From: now, To: now.Add(-day)}, time.Time{}, time.Time{}},
		{"empty span", MetricsFilter{From: now, To: now}, time.Time{}, time.Time{}},
		{"unknown kind", MetricsFilter{Kind: "hacked"}, time.Time{}, time.Time{}},
	} {
		f := tc.f
		err := f.Resolve(now)
		if tc.to.IsZero() {
			if ErrorCode(err) != EINVALID {
				t.Errorf("%s: %v, want invalid", tc.name, err)
			}
			continue
		}
		want := func(x time.Time) time.Time { return x.UTC().Truncate(time.Millisecond) }
		if err != nil || !f.From.Equal(want(tc.from)) || !f.To.Equal(want(tc.to)) || f.To.Location() != time.UTC {
			t.Errorf("%s: %v %v–%v, want %v–%v", tc.name, err, f.From, f.To, want(tc.from), want(tc.to))
		}
		if p := f.Previous(); !p.To.Equal(f.From) || p.To.Sub(p.From) != f.To.Sub(f.From) {
			t.Errorf("%s: previous %v–%v", tc.name, p.From, p.To)
		}
	}
}

func TestInsightsPeriod(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	if from, to, err := InsightsPeriod(time.Time{}, time.Time{}, now); err != nil || !to.Equal(now) ||
		!from.Equal(now.Add(-DefaultInsightsPeriod)) {
		t.Errorf("defaults: %v %v %v", from, to, err)
	}
	if from, to, err := InsightsPeriod(now.Add(-time.Hour), time.Time{}, now); err != nil || to.Sub(from) != time.Hour {
		t.Errorf("from only: %v %v %v", from, to, err)
	}
	if _, _, err := InsightsPeriod(now, now, now); ErrorCode(err) != EINVALID {
		t.Errorf("empty period: %v, want invalid", err)
	}
}
