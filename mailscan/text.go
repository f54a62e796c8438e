package mailscan

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes a report for people to read: the verdict, the note for
// the reporter, then the responder's evidence with every indicator
// defanged (hxxps://evil[.]com) so nothing in it can be clicked by mistake.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	if r.Source != "" {
		fmt.Fprintf(&b, "== %s\n", r.Source)
	}
	fmt.Fprintf(&b, "Verdict: %s (score %d/100)\n", strings.ToUpper(r.Verdict), r.Score)
	fmt.Fprintf(&b, "Subject: %s\n", r.Subject)
	from := Defang(r.From)
	if r.FromName != "" {
		from = fmt.Sprintf("%q <%s>", r.FromName, from)
	}
	fmt.Fprintf(&b, "From:    %s\n", from)
	if r.ReplyTo != "" {
		fmt.Fprintf(&b, "Reply-To: %s\n", Defang(r.ReplyTo))
	}
	fmt.Fprintf(&b, "\nFor the reporter:\n  %s\n", r.ReporterSummary)
	if len(r.Signals) > 0 {
		b.WriteString("\nSignals:\n")
		for _, s := range r.Signals {
			fmt.Fprintf(&b, "  [%s %+d] %s: %s\n      %s\n", s.Severity, s.Weight, s.ID, Defang(s.Evidence), s.Explanation)
		}
	}
	if len(r.Lures) > 0 {
		var l []string
		for _, x := range r.Lures {
			l = append(l, fmt.Sprintf("%s %q (%s)", x.Category, x.Match, x.Language))
		}
		fmt.Fprintf(&b, "\nLures: %s\n", strings.Join(l, "; "))
	}
	section := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s:\n", title)
		for _, it := range items {
			fmt.Fprintf(&b, "  %s\n", Defang(it))
		}
	}
	section("URLs", r.IOCs.URLs)
	section("Domains", r.IOCs.Domains)
	section("IPs", r.IOCs.IPs)
	section("Email addresses", r.IOCs.Emails)
	if len(r.Attachments) > 0 {
		b.WriteString("\nAttachments:\n")
		for _, at := range r.Attachments {
			fmt.Fprintf(&b, "  %s (%s, %d bytes) sha256 %s\n", at.Filename, at.ContentType, at.Size, at.SHA256)
			for _, e := range at.Entries {
				fmt.Fprintf(&b, "    - %s\n", e)
			}
		}
	}
	for _, l := range r.Limits {
		fmt.Fprintf(&b, "\nLimit: %s\n", l)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}
