package ally

import (
	"strconv"
	"unicode/utf8"
)

// TooLong reports whether s has more than limit characters. Limits on what
// people write are counted in characters (Unicode code points), never bytes,
// so that 8,000 Japanese characters fit a 20,000-character box.
func TooLong(s string, limit int) bool { return utf8.RuneCountInString(s) > limit }

// Count writes a whole number with thousands separators (20000 → "20,000"),
// as limits are shown to people.
func Count(n int) string {
	s := strconv.Itoa(n)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return neg + s
}
