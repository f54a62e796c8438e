package stats

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestP50P90MatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n < 300; n += 7 {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(rng.IntN(50)) // many ties
		}
		sorted := slices.Sorted(slices.Values(v))
		p50, p90 := P50P90(slices.Clone(v))
		at := func(p int) float64 { return sorted[max((p*n+99)/100, 1)-1] }
		if p50 != at(50) || p90 != at(90) {
			t.Fatalf("n=%d: p50 %v p90 %v, want %v %v", n, p50, p90, at(50), at(90))
		}
	}
}

func TestPercentilesByHand(t *testing.T) {
	for _, tc := range []struct {
		v        []float64
		p50, p90 float64
	}{
		{[]float64{7}, 7, 7},
		{[]float64{1, 2}, 1, 2},
		{[]float64{10, 1, 9, 2, 8, 3, 7, 4, 6, 5}, 5, 9},
		{[]float64{3, 3, 3, 1}, 3, 3},
	} {
		if p50, p90 := P50P90(slices.Clone(tc.v)); p50 != tc.p50 || p90 != tc.p90 {
			t.Errorf("P50P90(%v) = %v, %v; want %v, %v", tc.v, p50, p90, tc.p50, tc.p90)
		}
	}
}

func TestShareMeanPercent(t *testing.T) {
	val := func(p *float64) float64 {
		if p == nil {
			return -1
		}
		return *p
	}
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"share of nothing", val(Share(3, 0)), -1},
		{"share 1/3", val(Share(1, 3)), 0.3333},
		{"share 2/3 rounds up", val(Share(2, 3)), 0.6667},
		{"share all", val(Share(4, 4)), 1},
		{"mean of nothing", val(Mean(5, 0)), -1},
		{"mean 14/3", val(Mean(14, 3)), 4.67},
		{"percent", val(Percent(Share(1, 4))), 25},
		{"percent of nil", val(Percent(nil)), -1},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestWeekStarts(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	day := func(y int, m time.Month, d int, loc *time.Location) time.Time {
		return time.Date(y, m, d, 12, 0, 0, 0, loc)
	}
	for _, tc := range []struct {
		name     string
		from, to time.Time
		loc      *time.Location
		want     []string
	}{
		{"one week, mid-week start", day(2026, 11, 25, time.UTC), day(2026, 11, 27, time.UTC), time.UTC,
			[]string{"2026-11-23T00:00:00Z"}},
		{"empty span still has its week", day(2026, 11, 25, time.UTC), day(2026, 11, 25, time.UTC), time.UTC,
			[]string{"2026-11-23T00:00:00Z"}},
		{"across a Monday", day(2026, 11, 28, time.UTC), day(2026, 12, 1, time.UTC), time.UTC,
			[]string{"2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z"}},
		{"clocks go back in London", day(2026, 10, 20, london), day(2026, 10, 27, london), london,
			[]string{"2026-10-19T00:00:00+01:00", "2026-10-26T00:00:00Z"}},
	} {
		starts := WeekStarts(tc.from, tc.to, tc.loc)
		var got []string
		for _, ms := range starts {
			got = append(got, time.UnixMilli(ms).In(tc.loc).Format(time.RFC3339))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: WeekStarts = %v, want %v", tc.name, got, tc.want)
		}
		for i, ms := range starts {
			if WeekOf(starts, ms) != i || WeekOf(starts, ms+1) != i || (i > 0 && WeekOf(starts, ms-1) != i-1) {
				t.Errorf("%s: WeekOf around week %d is wrong", tc.name, i)
			}
		}
		if WeekOf(starts, starts[0]-1) != 0 {
			t.Errorf("%s: a time before the first week is not in it", tc.name)
		}
	}
}
