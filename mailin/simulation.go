package mailin

import (
	"html"
	"net/url"
	"regexp"
	"strings"
)

// Rule marks a reported email as one of the organisation's own phishing
// simulations: a header (present, or containing Contains), or a query
// parameter on a link (LinkParam).
type Rule struct {
	Name      string `json:"name" yaml:"name"`
	Header    string `json:"header,omitempty" yaml:"header,omitempty"`
	Contains  string `json:"contains,omitempty" yaml:"contains,omitempty"`
	LinkParam string `json:"link_param,omitempty" yaml:"link_param,omitempty"`
}

// DefaultRules recognise KnowBe4 and GoPhish simulations.
var DefaultRules = []Rule{
	{Name: "knowbe4-header", Header: "X-PHISHTEST"},
	{Name: "gophish-header", Header: "X-Gophish-Contact"},
	{Name: "gophish-rid", LinkParam: "rid"},
}

// Options configure parsing.
type Options struct {
	// Rules recognise simulations; nil means DefaultRules, an empty
	// non-nil slice turns recognition off.
	Rules []Rule
}

var linkRE = regexp.MustCompile(`(?i)https?://[^\s"'<>\\]+`)

// simulation returns the name of the first rule that marks the walked
// message w, or "".
func (o Options) simulation(w *walked) string {
	rules := o.Rules
	if rules == nil {
		rules = DefaultRules
	}
	var links []string
	for _, r := range rules {
		switch {
		case r.Header != "":
			v := strings.Join(w.header.Values(r.Header), " ")
			if w.header.Has(r.Header) && strings.Contains(strings.ToLower(v), strings.ToLower(r.Contains)) {
				return r.Name
			}
		case r.LinkParam != "":
			if links == nil {
				links = linkRE.FindAllString(w.text.String()+" "+w.html.String(), 500)
			}
			for _, l := range links {
				if u, err := url.Parse(html.UnescapeString(l)); err == nil && u.Query().Get(r.LinkParam) != "" {
					return r.Name
				}
			}
		}
	}
	return ""
}
