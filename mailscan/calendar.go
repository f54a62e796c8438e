package mailscan

import "strings"

// calendarAttachment adds the links of a calendar invitation (.ics) to the
// message's links: a meeting whose description or URL leads to a sign-in
// page reaches the calendar even when the mail is deleted, and its links
// sit where filters reading only the body do not look.
func (a *analysis) calendarAttachment(pt part) {
	name := orDefault(pt.filename, "a calendar invitation")
	for _, u := range findURLs(icsUnfold.Replace(string(pt.data)), maxFileLinks) {
		a.addFileLink(u, name)
	}
}

// icsUnfold joins a calendar file's folded lines (a line break and a space
// or tab) and undoes its text escapes (\n, \,, \;).
var icsUnfold = strings.NewReplacer("\r\n ", "", "\r\n\t", "", "\n ", "", "\n\t", "", `\n`, " ", `\N`, " ", `\,`, ",",
	`\;`, ";")
