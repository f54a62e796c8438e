package web

import (
	"html/template"
	"strings"

	"github.com/allydesk/ally"
)

// urgentBanner is what a reporter of a critical, open case reads first on
// the thank-you page and their case page: call the desk now, on its number
// when one is configured (--desk-phone).
type urgentBanner struct {
	Show  bool
	Phone string       // as configured, for reading
	Tel   template.URL // tel: link, digits and + only
}

// urgentFor returns the banner for c.
func (s *Server) urgentFor(c *ally.Case) urgentBanner {
	b := urgentBanner{Show: c.Urgent(), Phone: s.DeskPhone}
	digits := strings.Map(func(r rune) rune {
		if r == '+' || (r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, s.DeskPhone)
	if digits != "" {
		b.Tel = template.URL("tel:" + digits) // only digits and +: safe as a link
	}
	return b
}
