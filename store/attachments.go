package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"path"
	"path/filepath"
	"strings"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailscan"
	"github.com/allydesk/ally/outlookmsg"
	"github.com/allydesk/ally/playbook"
)

// AddAttachment implements ally.AttachmentService.
func (db *DB) AddAttachment(ctx context.Context, ref string, in ally.NewAttachment) (_ *ally.Attachment, err error) {
	defer wrap(&err, "add attachment")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case len(in.Data) == 0:
		return nil, ally.Errorf(ally.EINVALID, "file: is empty; choose a file to upload.")
	case len(in.Data) > ally.MaxAttachment:
		return nil, ally.Errorf(ally.ETOOLARGE, "file: is larger than %d MB.", ally.MaxAttachment>>20)
	}
	// Permission first: a file for a case the uploader may not add to is
	// not analysed at all (checked again below, in the write).
	if err := db.withRead(ctx, func(tx *Tx) error { _, err := tx.attachableCase(ctx, u, ref); return err }); err != nil {
		return nil, err
	}
	report := analyse(in, db.analysisOptions(ctx))
	var a *ally.Attachment
	err = db.withTx(ctx, func(tx *Tx) error {
		c, err := tx.attachableCase(ctx, u, ref)
		if err != nil {
			return err
		}
		a, err = tx.attach(ctx, u, c, in, report)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !ally.CanSeeInternal(u) {
		a.Analysis = nil
	}
	return a, nil
}

// attachableCase is the case ref if u may add files to it.
func (tx *Tx) attachableCase(ctx context.Context, u *ally.User, ref string) (*ally.Case, error) {
	c, err := tx.visibleCase(ctx, ref)
	if err != nil {
		return nil, err
	}
	if !ally.CanAttach(u, c) {
		return nil, ally.Errorf(ally.ENOTFOUND, "No case %s was found, or it is not shared with you.", ref)
	}
	return c, nil
}

// analyse returns the analysis of a file that looks like an email, or nil
// (a variable so that a test can count the analyses). An Outlook .msg file
// is analysed as the email it holds; the file itself is stored as it came.
var analyse = func(in ally.NewAttachment, opts mailscan.Options) *mailscan.Report {
	data := in.Data
	if strings.EqualFold(path.Ext(in.Name), ".msg") || strings.EqualFold(in.ContentType, "application/vnd.ms-outlook") {
		if eml, err := outlookmsg.ToEML(in.Data); err == nil {
			data, in.Name = eml, strings.TrimSuffix(in.Name, path.Ext(in.Name))+".eml"
		}
	}
	if !mailscan.LooksLikeEmail(in.Name, in.ContentType, data) {
		return nil
	}
	report, err := mailscan.Analyze(data, opts)
	if err != nil {
		return nil // not an email after all: keep the file, skip the analysis
	}
	return report
}

// attach stores a file (analysed already when it is an email: report) on
// case c for u, with its timeline entries, campaign and audit record.
func (tx *Tx) attach(ctx context.Context, u *ally.User, c *ally.Case, in ally.NewAttachment,
	report *mailscan.Report) (*ally.Attachment, error) {
	in.Name = cleanName(in.Name)
	sum := sha256.Sum256(in.Data)
	a := &ally.Attachment{Name: in.Name, ContentType: cleanType(in.ContentType), Size: int64(len(in.Data)),
		SHA256: hex.EncodeToString(sum[:]), Uploader: u.Person()}
	if _, err := tx.exec(ctx, "INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
		a.SHA256, a.Size, in.Data); err != nil {
		return nil, err
	}
	var analysis, verdict any
	if report != nil {
		report.Source = a.Name
		b, _ := json.Marshal(report)
		analysis, verdict = string(b), report.Verdict
		a.Verdict, a.ReporterSummary, a.Analysis = report.Verdict, report.ReporterSummary, report
	}
	a.CreatedAt = tx.now
	var err error
	if a.ID, err = tx.insert(ctx, `INSERT INTO attachments (case_id, name, content_type, size, sha256, uploader_id,
		analysis, verdict, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, a.Name, a.ContentType, a.Size, a.SHA256, u.ID, analysis, verdict, millis(tx.now)); err != nil {
		return nil, err
	}
	if err := tx.audit(ctx, "case.attachment", c.Ref, a.Name+" sha256="+a.SHA256); err != nil {
		return nil, err
	}
	events := []string{playbook.EventFileAttached}
	if report != nil {
		events = append(events, playbook.EventEmailAttached)
	}
	if err := tx.tickDoneBy(ctx, c, u, events); err != nil {
		return nil, err
	}
	if report == nil {
		_, err := tx.addEntry(ctx, c.ID, ally.EntrySystem, u.ID, "Added the file "+a.Name+".", false, nil)
		return a, err
	}
	return a, tx.emailReceived(ctx, c, a, report)
}

// emailReceived puts an analysed email on the timeline and into a campaign.
func (tx *Tx) emailReceived(ctx context.Context, c *ally.Case, a *ally.Attachment, r *mailscan.Report) error {
	if _, err := tx.addEntry(ctx, c.ID, ally.EntrySystem, 0, "We checked the email you sent us. "+r.ReporterSummary,
		false, nil); err != nil {
		return err
	}
	if _, err := tx.addEntry(ctx, c.ID, ally.EntryNote, 0, ally.AnalysisNote(a.Name, r), true, nil); err != nil {
		return err
	}
	if sev, reason := ally.SeverityAfterAnalysis(c, a.Name, r.Verdict, r.Score); reason != "" {
		c.Severity = sev
		if _, err := tx.addEntry(ctx, c.ID, ally.EntrySeverity, 0, reason, true, nil); err != nil {
			return err
		}
		if err := tx.saveCase(ctx, c); err != nil {
			return err
		}
		if err := tx.audit(ctx, "case.severity", c.Ref, string(sev)+" (email analysis)"); err != nil {
			return err
		}
	}
	camp, err := tx.joinCampaign(ctx, r)
	if err != nil {
		return err
	}
	a.CampaignID = &camp.ID
	if _, err := tx.exec(ctx, "UPDATE attachments SET campaign_id = ? WHERE id = ?", camp.ID, a.ID); err != nil {
		return err
	}
	if camp.Verdict != ally.CampaignPending { // already decided: tell this reporter too
		return tx.tellOutcome(ctx, c, ally.CampaignDecision{Verdict: camp.Verdict, Blocked: camp.Blocked}, camp.decider)
	}
	return nil
}

// Attachments implements ally.AttachmentService.
func (db *DB) Attachments(ctx context.Context, ref string) (_ []*ally.Attachment, err error) {
	defer wrap(&err, "attachments")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	var out []*ally.Attachment
	full := ally.CanSeeInternal(u)
	err = db.readFew(ctx, func(tx *Tx) error {
		c, err := tx.visibleCase(ctx, ref)
		if err != nil {
			return err
		}
		out, err = collect(ctx, tx, func(row scanner) (*ally.Attachment, error) { return scanAttachment(row, full) },
			attachmentSelect+" WHERE a.case_id = ? ORDER BY a.id", c.ID)
		return err
	})
	return out, err
}

// ExportIndicators implements ally.AttachmentService.
func (db *DB) ExportIndicators(ctx context.Context, ref string, id int64, format string) (_ *ally.Export, err error) {
	defer wrap(&err, "export indicators")
	if _, err := ally.Allowed(ctx, ally.CanTriage, "Only responders can export indicators."); err != nil {
		return nil, err
	}
	items, err := db.Attachments(ctx, ref)
	if err != nil {
		return nil, err
	}
	for _, a := range items {
		if a.ID == id && a.Analysis != nil {
			return ally.ExportIndicators(a.Analysis, format, db.opts.Now())
		}
	}
	return nil, ally.Errorf(ally.ENOTFOUND, "File %d on this case is not an analysed email.", id)
}

// AttachmentData implements ally.AttachmentService.
func (db *DB) AttachmentData(ctx context.Context, ref string, id int64) (_ *ally.Attachment, _ []byte, err error) {
	defer wrap(&err, "attachment data")
	var a *ally.Attachment
	var data []byte
	err = db.withRead(ctx, func(tx *Tx) error {
		c, err := tx.visibleCase(ctx, ref)
		if err != nil {
			return err
		}
		a, err = scanAttachment(tx.queryRow(ctx, attachmentSelect+" WHERE a.case_id = ? AND a.id = ?", c.ID, id), false)
		if errors.Is(err, sql.ErrNoRows) {
			return ally.Errorf(ally.ENOTFOUND, "Case %s has no file %d.", c.Ref, id)
		} else if err != nil {
			return err
		}
		return tx.queryRow(ctx, "SELECT data FROM blobs WHERE sha256 = ?", a.SHA256).Scan(&data)
	})
	return a, data, err
}

const attachmentSelect = `SELECT a.id, a.name, a.content_type, a.size, a.sha256, a.analysis, a.campaign_id,
	a.created_at,
	u.email, u.name, u.department FROM attachments a JOIN users u ON u.id = a.uploader_id`

func scanAttachment(row scanner, full bool) (*ally.Attachment, error) {
	var a ally.Attachment
	var analysis sql.NullString
	var campaign sql.NullInt64
	var at int64
	if err := row.Scan(&a.ID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &analysis, &campaign, &at,
		&a.Uploader.Email, &a.Uploader.Name, &a.Uploader.Department); err != nil {
		return nil, err
	}
	a.CreatedAt = fromMillis(at)
	if campaign.Valid {
		a.CampaignID = &campaign.Int64
	}
	if analysis.Valid {
		var r mailscan.Report
		if err := json.Unmarshal([]byte(analysis.String), &r); err != nil {
			return nil, err
		}
		a.Verdict, a.ReporterSummary = r.Verdict, r.ReporterSummary
		if full {
			a.Analysis = &r
		}
	}
	return &a, nil
}

// cleanName keeps a file's base name, printable and at most 200 bytes.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if len(name) > 200 {
		name = name[:200]
	}
	if name == "" || name == "." || name == "/" {
		name = "upload"
	}
	return strings.ToValidUTF8(name, "")
}

func cleanType(t string) string {
	if t == "" || len(t) > 100 {
		return "application/octet-stream"
	}
	return t
}
