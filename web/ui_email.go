package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailscan"
)

// emailKinds are the report choices that may come with the email itself.
var emailKinds = map[ally.Kind]bool{
	ally.KindSuspiciousEmail: true, ally.KindClickedLink: true,
	ally.KindEnteredCredentials: true, ally.KindOpenedAttachment: true,
}

// uploadProblems say why a file could not be added, chosen by ?file=KEY
// after a redirect (never text taken from the URL).
var uploadProblems = map[string]string{
	"toobig": fmt.Sprintf("We could not add your file because it is bigger than %d MB.", ally.MaxAttachment>>20),
	"failed": "We could not add your file. It may be empty or damaged.",
	"none":   "Please choose a file first.",
}

// uploadAdded is the confirmation after a file was added.
const uploadAdded = "Thank you. We added your file."

// attachUpload adds the posted "file" to the case and returns the ?file=
// key for the page that follows: "added", or a key of uploadProblems. Only
// errors about the case itself (not found, not allowed) are returned; an
// internal error is logged and told as "failed", since the case is safe.
func (s *Server) attachUpload(w http.ResponseWriter, r *http.Request, ref string) (string, error) {
	in, err := readUpload(w, r)
	if err == nil {
		_, err = s.Attachments.AddAttachment(r.Context(), ref, in)
	}
	switch ally.ErrorCode(err) {
	case "":
		return "added", nil
	case ally.ENOTFOUND, ally.EFORBIDDEN, ally.EUNAUTHORIZED:
		return "", err
	case ally.ETOOLARGE:
		return "toobig", nil
	case ally.EINVALID, ally.EUNSUPPORTED:
		if !hasUpload(r) {
			return "none", nil
		}
	default:
		s.Log.Error("adding a file failed", "case", ref, "request_id", requestID(r.Context()), "error", err.Error())
	}
	return "failed", nil
}

// hasUpload reports whether the parsed form carries a file in "file".
func hasUpload(r *http.Request) bool {
	return r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0
}

// postAttachment adds a file to a case from its page.
func (s *Server) postAttachment(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	ref := r.PathValue("ref")
	key, err := s.attachUpload(w, r, ref)
	if err != nil {
		return err
	}
	return redirect(w, r, "/cases/"+url.PathEscape(ref)+"?file="+key+"#files")
}

// filesPart is what a case page shows of the case's files.
type filesPart struct {
	Items   []fileView
	Problem string // why the last upload failed
}

// fileView is one file on a case. Analysis is set for responders when the
// file is an analysed email.
type fileView struct {
	*ally.Attachment
	Download    string
	SizeText    string
	VerdictName string
	Analysis    *analysisView
}

// analysisView is an email analysis as responders read it: every
// indicator defanged, so nothing in it can be clicked by mistake.
type analysisView struct {
	*mailscan.Report
	VerdictName string
	From        string
	ReplyTo     string
	Signals     []signalView
	Indicators  []indicatorGroup
	Campaign    *campaignView
	Exports     []exportLink
	// FalseAlarm is where the "Mark as a false alarm" form posts, with the
	// session's CSRF token.
	FalseAlarm, CSRF string
}

// indicatorGroup is one kind of indicator with its defanged values.
type indicatorGroup struct {
	Label string
	Items []string
}

// signalView is a signal with its evidence defanged and its severity in
// words.
type signalView struct {
	mailscan.Signal
	Level string
}

// exportLink is a download of the indicators in one format.
type exportLink struct{ Label, URL, File string }

// caseFiles loads a case's files for its page. Responders also get each
// email's analysis and campaign.
func (s *Server) caseFiles(r *http.Request, ref string, responder bool) (filesPart, error) {
	ctx := r.Context()
	p := filesPart{Problem: uploadProblems[r.URL.Query().Get("file")]}
	items, err := s.Attachments.Attachments(ctx, ref)
	if err != nil {
		return p, err
	}
	campaigns := map[int64]*campaignView{}
	for _, a := range items {
		id := strconv.FormatInt(a.ID, 10)
		base := "/api/v1/cases/" + url.PathEscape(ref) + "/attachments/" + id
		v := fileView{Attachment: a, Download: base, SizeText: sizeText(a.Size), VerdictName: verdictNames[a.Verdict]}
		if responder && a.Analysis != nil {
			v.Analysis = analysisOf(a.Analysis, base, ref+"-"+id)
			v.Analysis.FalseAlarm = "/cases/" + url.PathEscape(ref) + "/attachments/" + id + "/false-alarm"
			v.Analysis.CSRF = chromeFor(r, "").CSRF
			if cid := a.CampaignID; cid != nil {
				if _, ok := campaigns[*cid]; !ok {
					c, err := s.Attachments.FindCampaign(ctx, *cid)
					if err != nil {
						return p, err
					}
					cv := viewCampaign(c)
					campaigns[*cid] = &cv
				}
				v.Analysis.Campaign = campaigns[*cid]
			}
		}
		p.Items = append(p.Items, v)
	}
	return p, nil
}

// analysisOf prepares a report for the page; base is the file's API URL
// and name starts the names of exported files.
func analysisOf(rep *mailscan.Report, base, name string) *analysisView {
	v := &analysisView{Report: rep, VerdictName: verdictNames[rep.Verdict], From: mailscan.Defang(rep.From),
		ReplyTo: mailscan.Defang(rep.ReplyTo)}
	for _, sig := range rep.Signals {
		sig.Evidence = mailscan.Defang(sig.Evidence)
		v.Signals = append(v.Signals, signalView{Signal: sig, Level: signalNames[sig.Severity]})
	}
	hashes := make([]string, len(rep.IOCs.Attachments))
	for i, h := range rep.IOCs.Attachments {
		hashes[i] = h.Filename + " · sha256 " + h.SHA256
	}
	for _, g := range []indicatorGroup{{"Web addresses", rep.IOCs.URLs}, {"Domains", rep.IOCs.Domains},
		{"IP addresses", rep.IOCs.IPs}, {"Email addresses", rep.IOCs.Emails}} {
		if len(g.Items) > 0 {
			items := make([]string, len(g.Items))
			for i, it := range g.Items {
				items[i] = mailscan.Defang(it)
			}
			v.Indicators = append(v.Indicators, indicatorGroup{g.Label, items})
		}
	}
	if len(hashes) > 0 {
		v.Indicators = append(v.Indicators, indicatorGroup{"Attached files", hashes})
	}
	for _, f := range []struct{ label, format, ext string }{{"STIX", "stix", "json"}, {"MISP", "misp", "json"}, {"CSV",
		"csv", "csv"}} {
		v.Exports = append(v.Exports, exportLink{f.label, base + "/export?format=" + f.format,
			name + "-" + f.format + "." + f.ext})
	}
	return v
}

// sizeText says how big a file is ("12 KB").
func sizeText(n int64) string {
	switch {
	case n < 1<<10:
		return plural(int(n), "byte")
	case n < 1<<20:
		return fmt.Sprintf("%d KB", (n+1<<9)>>10)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
}

// signalNames are signal severities as the analysis shows them.
var signalNames = map[mailscan.Severity]string{
	mailscan.SeverityCritical: "Critical", mailscan.SeverityHigh: "High", mailscan.SeverityMedium: "Medium",
	mailscan.SeverityLow: "Low", mailscan.SeverityInfo: "Info", mailscan.SeverityGood: "Good sign",
}

// postFalseAlarm marks an analysed email on a case as a false alarm: the
// organisation's mail model learns it as safe.
func (s *Server) postFalseAlarm(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ref := r.PathValue("ref")
	if err := s.Attachments.MarkFalseAlarm(r.Context(), ref, id); err != nil {
		return err
	}
	return redirect(w, r, "/cases/"+ref+"?done=falsealarm#timeline")
}
