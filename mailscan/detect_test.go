package mailscan

import "testing"

func TestLooksLikeEmail(t *testing.T) {
	headers := []byte("Received: from mx\r\nFrom: a@example.com\r\n\r\nhi")
	cases := []struct {
		name, ctype string
		data        []byte
		want        bool
	}{
		{"report.eml", "", []byte("anything"), true},
		{"x", "message/rfc822", nil, true},
		{"saved.txt", "text/plain", headers, true},
		{"noext", "", headers, true},
		{"screen.png", "image/png", headers, false},
		{"notes.txt", "text/plain", []byte("just notes"), false},
		{"", "", nil, false},
	}
	for _, c := range cases {
		if got := LooksLikeEmail(c.name, c.ctype, c.data); got != c.want {
			t.Errorf("LooksLikeEmail(%q, %q) = %v, want %v", c.name, c.ctype, got, c.want)
		}
	}
}
