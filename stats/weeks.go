package stats

import (
	"sort"
	"time"
)

// WeekStarts returns the start, in Unix milliseconds, of every week that
// overlaps [from, to) (at least one): Mondays at 00:00 on the clock loc, so
// a week is 167 or 169 hours long when the clocks change.
func WeekStarts(from, to time.Time, loc *time.Location) []int64 {
	y, m, d := from.In(loc).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, loc)
	start := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	var out []int64
	for i := 0; i == 0 || start.Before(to); i++ {
		out = append(out, start.UnixMilli())
		start = start.AddDate(0, 0, 7)
	}
	return out
}

// WeekOf returns the index of the week in starts (from WeekStarts) that
// holds t, in Unix milliseconds; times before the first week fall in it.
func WeekOf(starts []int64, t int64) int {
	return max(0, sort.Search(len(starts), func(i int) bool { return starts[i] > t })-1)
}
