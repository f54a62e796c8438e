package main

import (
	"strings"
	"unicode"
)

// register rewrites a sentence in one of four registers: as written
// (plain), formal, chatty, terse, or non-native English.
func register(x *expander, s string) string {
	switch r := x.rng.IntN(20); {
	case r < 6:
		return s
	case r < 9:
		return tidy(x.fill("{Dear colleague,|Good morning,|Please be advised that|For your information,|Hello,}") +
			" " + lowerFirst(s))
	case r < 13:
		s = tidy(x.fill("{hey,|ok so|tbh|honestly,|look,|hiya,|so yeah,|right,|mate,}") + " " + lowerFirst(s))
		if x.rng.IntN(3) == 0 {
			s = strings.TrimRight(s, ".!") + x.fill("{ lol| :)| tbh| haha| fyi|!!}")
		}
		return s
	case r < 16:
		s = strings.ToLower(strings.TrimRight(s, ".!"))
		if x.rng.IntN(2) == 0 {
			s = strings.ReplaceAll(s, " the ", " ")
		}
		return s
	}
	return nonNative(x, s)
}

// nonNativeSwaps are the slips and set phrases of a writer whose first
// language is not English.
var nonNativeSwaps = [][2]string{
	{"you should ", "you must "}, {"Please ", "Kindly "}, {"please ", "kindly "}, {"don't ", "do not "},
	{"I'll ", "I will "}, {"it's ", "it is "}, {"It's ", "It is "}, {" the ", " "}, {" a ", " "},
	{"before you ", "before to "}, {"you're ", "you are "}, {"We'll ", "We will "}, {"didn't ", "did not "},
	{" is ", " is being "}, {"Thanks", "Thanks a lot"}, {"next time", "next times"},
}

func nonNative(x *expander, s string) string {
	for _, sw := range nonNativeSwaps {
		if x.rng.IntN(2) == 0 {
			s = strings.Replace(s, sw[0], sw[1], 1)
		}
	}
	if x.rng.IntN(4) == 0 {
		s = strings.TrimRight(s, ".") + x.fill("{, thank you.|, ok?|, please.| sir.|.}")
	}
	return s
}

func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[0]) && !unicode.IsUpper(r[1]) && !strings.HasPrefix(s, "I ") &&
		!strings.HasPrefix(s, "I'") {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}
