package ally

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/allydesk/ally/mailscan"
)

// MaxAttachment is the largest file accepted, in bytes.
const MaxAttachment = 25 << 20

// Attachment is a file added to a case. Reported emails are analysed on
// receipt: reporters see the plain summary, responders the full analysis.
type Attachment struct {
	ID              int64            `json:"id"`
	Name            string           `json:"name"`
	ContentType     string           `json:"content_type"`
	Size            int64            `json:"size"`
	SHA256          string           `json:"sha256"`
	Uploader        Person           `json:"uploader"`
	CreatedAt       time.Time        `json:"created_at"`
	Verdict         string           `json:"verdict,omitempty"`
	ReporterSummary string           `json:"reporter_summary,omitempty"`
	CampaignID      *int64           `json:"campaign_id,omitempty"`
	Analysis        *mailscan.Report `json:"analysis,omitempty"` // responders only
}

// NewAttachment is a file being uploaded.
type NewAttachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Campaign groups reports of the same or near-identical email so that one
// decision serves every reporter.
type Campaign struct {
	ID           int64  `json:"id"`
	Subject      string `json:"subject"`
	SenderDomain string `json:"sender_domain"`
	Verdict      string `json:"verdict"` // pending, malicious, suspicious, spam, clean or simulation
	Blocked      bool   `json:"blocked"` // a responder blocked it for everyone (CampaignDecision.Blocked)
	Reports      int    `json:"reports"`
	// AutoVerdict and AutoScore are the automatic analysis of the
	// campaign's most worrying reported email (empty and 0 for campaigns
	// older than the analysis kept them).
	AutoVerdict string     `json:"auto_verdict"`
	AutoScore   int        `json:"auto_score"`
	FirstSeen   time.Time  `json:"first_seen"`
	LastSeen    time.Time  `json:"last_seen"`
	DecidedBy   *Person    `json:"decided_by"`
	DecidedAt   *time.Time `json:"decided_at"`
	Cases       []string   `json:"cases,omitempty"` // refs the caller may open, on a single campaign
	// HiddenCases counts the linked confidential cases the caller may not
	// open, on a single campaign.
	HiddenCases int `json:"hidden_cases,omitempty"`
}

// CampaignPending is the verdict of an undecided campaign.
const CampaignPending = "pending"

// CampaignDecision is a responder's verdict on a campaign.
type CampaignDecision struct {
	Verdict string `json:"verdict"` // malicious, suspicious, spam, clean or simulation
	// Resolve resolves every open linked case (default true).
	Resolve *bool `json:"resolve"`
	// Blocked says a responder blocked the email for everyone; only then do
	// reporters hear that it was blocked (malicious, suspicious, spam).
	Blocked bool `json:"blocked"`
}

// AttachmentService stores files on cases and groups reported emails.
type AttachmentService interface {
	// AddAttachment stores a file on a case; emails are analysed and
	// grouped into a campaign. Errors: ENOTFOUND, EINVALID, ETOOLARGE.
	AddAttachment(ctx context.Context, ref string, a NewAttachment) (*Attachment, error)
	// Attachments lists a case's files. Errors: ENOTFOUND.
	Attachments(ctx context.Context, ref string) ([]*Attachment, error)
	// AttachmentData returns a file's metadata and bytes. Errors: ENOTFOUND.
	AttachmentData(ctx context.Context, ref string, id int64) (*Attachment, []byte, error)
	// ExportIndicators exports the indicators of an analysed email on a
	// case (see ExportIndicators), for responders. Errors: EFORBIDDEN,
	// ENOTFOUND (no such analysed email), EINVALID (format).
	ExportIndicators(ctx context.Context, ref string, id int64, format string) (*Export, error)
	// FindCampaigns lists campaigns, most recent first, for responders.
	// Errors: EFORBIDDEN.
	FindCampaigns(ctx context.Context, before int64, limit int) ([]*Campaign, error)
	// FindCampaign returns one campaign with its case refs. Errors:
	// EFORBIDDEN, ENOTFOUND.
	FindCampaign(ctx context.Context, id int64) (*Campaign, error)
	// DecideCampaign records a verdict, tells every linked reporter the
	// outcome in their case, and resolves open cases unless told not to.
	// Errors: EFORBIDDEN, ENOTFOUND, EINVALID.
	DecideCampaign(ctx context.Context, id int64, d CampaignDecision) (*Campaign, error)
	// MarkFalseAlarm records that the analysed email id on case ref is
	// safe (a false alarm): the organisation's mail model learns it, and
	// the case's timeline says so. Errors: EFORBIDDEN, ENOTFOUND.
	MarkFalseAlarm(ctx context.Context, ref string, id int64) error
}

// AnalysisNote is the internal note that records the analysis r of the
// attached email name for responders: verdict, score and signals.
func AnalysisNote(name string, r *mailscan.Report) string {
	if len(r.Signals) == 0 {
		return fmt.Sprintf("Email analysis of %s: %s (score %d). No signals.", name, r.Verdict, r.Score)
	}
	ids := make([]string, 0, len(r.Signals))
	for _, s := range r.Signals {
		ids = append(ids, s.ID)
	}
	return fmt.Sprintf("Email analysis of %s: %s (score %d). Signals: %s.", name, r.Verdict, r.Score,
		strings.Join(ids, ", "))
}
