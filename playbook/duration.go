package playbook

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseDuration reads durations such as "30m", "4h", "1h30m", "2d" (days)
// and "1w" (weeks). Negative durations are refused; "" is zero.
func ParseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if n, unit := s[:len(s)-1], s[len(s)-1]; unit == 'd' || unit == 'w' {
		day := 24 * time.Hour
		if unit == 'w' {
			day *= 7
		}
		v, err := strconv.ParseInt(n, 10, 64)
		if err != nil || v < 0 || v > math.MaxInt64/int64(day) || strings.HasPrefix(n, "+") {
			return 0, badDuration(s)
		}
		return time.Duration(v) * day, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, badDuration(s)
	}
	return d, nil
}

func badDuration(s string) error {
	return fmt.Errorf("%q is not a duration like 30m, 4h or 2d", s)
}
