package mailscan

import (
	"encoding/base64"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// isUTF7 reports whether a MIME charset names UTF-7 (RFC 2152), an encoding
// no mail program writes today. Scams use it because filters that do not
// decode it read "+ADw-a href+AD0-…" and find neither words nor links.
func isUTF7(charset string) bool {
	c := strings.ToLower(strings.TrimSpace(charset))
	return c == "utf-7" || c == "utf7" || c == "unicode-1-1-utf-7" || c == "x-unicode-2-0-utf-7"
}

// decodeUTF7 decodes UTF-7 text: "+" opens a run of modified base64 holding
// UTF-16, which ends at "-" (dropped) or at any other character outside the
// base64 alphabet; "+-" is a plus sign. Invalid runs are kept as written.
func decodeUTF7(data []byte) []byte {
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); i++ {
		if data[i] != '+' {
			out = append(out, data[i])
			continue
		}
		j := i + 1
		for j < len(data) && isBase64Char(data[j]) {
			j++
		}
		if j == i+1 {
			if j < len(data) && data[j] == '-' {
				out = append(out, '+')
				i = j
			} else {
				out = append(out, '+')
			}
			continue
		}
		raw, err := base64.RawStdEncoding.DecodeString(string(data[i+1 : j][:(j-i-1)/4*4+trailing(j-i-1)]))
		if err != nil || len(raw) < 2 {
			out = append(out, data[i:j]...)
			i = j - 1
			continue
		}
		units := make([]uint16, len(raw)/2)
		for k := range units {
			units[k] = uint16(raw[2*k])<<8 | uint16(raw[2*k+1])
		}
		for _, r := range utf16.Decode(units) {
			out = utf8.AppendRune(out, r)
		}
		if j < len(data) && data[j] == '-' {
			j++
		}
		i = j - 1
	}
	return out
}

// trailing returns how many of n base64 characters past the last full
// group of four still carry whole bytes (a lone sixth bit-group carries none).
func trailing(n int) int {
	if r := n % 4; r >= 2 {
		return r
	}
	return 0
}

func isBase64Char(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
}
