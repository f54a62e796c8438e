package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailscan"
)

// campaignLimit is the campaigns list's page size.
const campaignLimit = 25

// verdictNames are the verdicts of emails and campaigns as screens show them.
var verdictNames = map[string]string{
	ally.CampaignPending:       "Waiting for a decision",
	mailscan.VerdictMalicious:  "Malicious",
	mailscan.VerdictSuspicious: "Suspicious",
	mailscan.VerdictClean:      "Clean",
	"spam":                     "Spam",
	"simulation":               "Practice email",
}

// decisionChoice is a verdict a responder may give a campaign, with what
// every linked reporter then hears.
type decisionChoice struct{ Value, Label, Hint string }

// decisionChoices describe the fixed outcome messages the store sends.
var decisionChoices = []decisionChoice{
	{mailscan.VerdictMalicious, "Malicious",
		"Each reporter hears that it was a phishing attack, that it is blocked for everyone (if you tick the box " +
			"below) or that they should delete it, and that their report helped."},
	{mailscan.VerdictSuspicious, "Suspicious",
		"Each reporter hears that it looked risky and is blocked (if you tick the box below) or that they should " +
			"delete it to be safe, and that their report helped."},
	{"spam", "Spam", "Each reporter hears that it was unwanted mail but not an attack, and that they can delete it."},
	{mailscan.VerdictClean, "Clean",
		"Each reporter hears that the email is safe to use as normal, and that it is always OK to ask."},
	{"simulation", "Practice email", "Each reporter hears \"Well spotted\": it was one of our practice emails."},
}

// campaignView is a campaign with its verdict in words.
type campaignView struct {
	*ally.Campaign
	VerdictName string
	Pending     bool
	ReportsText string // "14 reports"
	Sender      string // the sender domain, defanged
	HiddenText  string // "2 confidential cases are not shown."
	AutoText    string // "Automatic check: Malicious, score 92"; empty when not kept
	// AutoVerdictName is the automatic verdict in words.
	AutoVerdictName string
}

func viewCampaign(c *ally.Campaign) campaignView {
	v := campaignView{Campaign: c, VerdictName: verdictNames[c.Verdict], Pending: c.Verdict == ally.CampaignPending,
		ReportsText: plural(c.Reports, "report"), Sender: mailscan.Defang(c.SenderDomain)}
	if c.AutoVerdict != "" {
		v.AutoVerdictName = verdictNames[c.AutoVerdict]
		v.AutoText = "Automatic check: " + verdictNames[c.AutoVerdict] + ", score " + strconv.Itoa(c.AutoScore)
	}
	switch c.HiddenCases {
	case 0:
	case 1:
		v.HiddenText = "1 confidential case is not shown. The decision still reaches its reporter."
	default:
		v.HiddenText = plural(c.HiddenCases,
			"confidential case") + " are not shown. The decision still reaches their reporters."
	}
	return v
}

// campaignsPage lists campaigns, newest first.
type campaignsPage struct {
	chrome
	Now   time.Time
	Items []campaignView
	Pages pager
}

// pageCampaigns lists campaigns for responders, newest first, a page at a
// time by cursor.
func (s *Server) pageCampaigns(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	before, err := beforeCursor(r)
	if err != nil {
		return err
	}
	items, err := s.Attachments.FindCampaigns(r.Context(), before, campaignLimit)
	if err != nil {
		return err
	}
	p := campaignsPage{chrome: chromeFor(r, "Campaigns"), Now: s.Now()}
	for _, c := range items {
		p.Items = append(p.Items, viewCampaign(c))
	}
	next := ""
	if len(items) == campaignLimit {
		next = strconv.FormatInt(items[len(items)-1].ID, 10)
	}
	p.Pages = newPager(r, "/campaigns", next, pageWords)
	return s.render(w, http.StatusOK, "campaigns", p)
}

// campaignPage is one campaign with its linked cases and the decision form.
type campaignPage struct {
	chrome
	Now      time.Time
	Campaign campaignView
	Choices  []decisionChoice
	Decide   string // the button: "Decide for all 14 reports"
	Error    string
}

// campaignDecided confirms a decision after the redirect (?decided=1).
const campaignDecided = "Decision saved. Every reporter was told the outcome in their case."

func (s *Server) pageCampaign(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	p, err := s.campaignPage(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "campaign", p)
}

// campaignPage loads the campaign named in the path.
func (s *Server) campaignPage(r *http.Request) (*campaignPage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	c, err := s.Attachments.FindCampaign(r.Context(), id)
	if err != nil {
		return nil, err
	}
	p := &campaignPage{chrome: chromeFor(r, "Campaign #"+strconv.FormatInt(c.ID, 10)), Now: s.Now(),
		Campaign: viewCampaign(c), Choices: decisionChoices, Decide: "Decide for all " + plural(len(c.Cases)+c.HiddenCases,
			"report")}
	if len(c.Cases)+c.HiddenCases == 1 {
		p.Decide = "Decide for the 1 report"
	}
	if r.URL.Query().Get("decided") == "1" {
		p.Notice = campaignDecided
	}
	return p, nil
}

// postCampaignDecision records a verdict for every report in a campaign.
// An unticked "Resolve open cases" box leaves the cases open.
func (s *Server) postCampaignDecision(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	resolve := r.PostFormValue("resolve") == "1"
	d := ally.CampaignDecision{Verdict: r.PostFormValue("verdict"), Resolve: &resolve,
		Blocked: r.PostFormValue("blocked") == "1"}
	_, err = s.Attachments.DecideCampaign(r.Context(), id, d)
	if ally.ErrorCode(err) == ally.EINVALID {
		p, perr := s.campaignPage(r)
		if perr != nil {
			return perr
		}
		p.Error = pageMessage(err)
		if d.Verdict == "" {
			p.Error = "Please choose a verdict: malicious, suspicious, spam, clean or practice email."
		}
		return s.render(w, http.StatusBadRequest, "campaign", p)
	} else if err != nil {
		return err
	}
	return redirect(w, r, "/campaigns/"+strconv.FormatInt(id, 10)+"?decided=1")
}
