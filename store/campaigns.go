package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailscan"
)

// campaign is a campaign row with what only the store needs.
type campaign struct {
	ally.Campaign
	fp      mailscan.Fingerprint
	decider *ally.User
	linked  []*ally.Case // every case that reported it, with only what visibility needs
}

// showTo is the campaign as u may see it (ally.Campaign.ShowTo).
func (c *campaign) showTo(u *ally.User) *ally.Campaign { return c.ShowTo(u, c.linked) }

// campaignSelect reads campaigns with their report counts, which are counted
// from the attachments that joined them (no running count on the campaign
// row, which every report of a wave would have to wait to update).
const campaignSelect = campaignColumns +
	`(SELECT count(*) FROM attachments a WHERE a.campaign_id = c.id)` + campaignFrom

// campaignMatch reads campaigns without counting their reports, for
// matching a new report against recent campaigns.
const campaignMatch = campaignColumns + "0" + campaignFrom

const campaignColumns = `SELECT c.id, c.subject, c.sender_domain, c.fingerprint, c.verdict, c.blocked,
	c.decided_at, c.first_seen, c.last_seen, `

const campaignFrom = `, c.auto_verdict, c.auto_score, u.id, u.email, u.name, u.role, u.department
	FROM campaigns c LEFT JOIN users u ON u.id = c.decided_by`

// lastSeenStep is how stale a campaign's last_seen may be: it is moved on
// at most once a step, so that a wave of reports does not queue on the row.
const lastSeenStep = time.Minute

func scanCampaign(row scanner) (*campaign, error) {
	var c campaign
	var fp string
	var decided sql.NullInt64
	var first, last int64
	var uid sql.NullInt64
	var email, name, role, dept sql.NullString
	if err := row.Scan(&c.ID, &c.Subject, &c.SenderDomain, &fp, &c.Verdict, &c.Blocked, &decided, &first, &last,
		&c.Reports, &c.AutoVerdict, &c.AutoScore, &uid, &email, &name, &role, &dept); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(fp), &c.fp); err != nil {
		return nil, err
	}
	c.FirstSeen, c.LastSeen, c.DecidedAt = fromMillis(first), fromMillis(last), fromNullMillis(decided)
	if uid.Valid {
		c.decider = &ally.User{ID: uid.Int64, Email: email.String, Name: name.String, Role: ally.Role(role.String),
			Department: dept.String}
		p := c.decider.Person()
		c.DecidedBy = &p
	}
	return &c, nil
}

// joinCampaign finds the recent campaign this report belongs to, or starts one.
func (tx *Tx) joinCampaign(ctx context.Context, r *mailscan.Report) (*campaign, error) {
	rows, err := tx.query(ctx, campaignMatch+" WHERE c.last_seen >= ? ORDER BY c.last_seen DESC LIMIT 500",
		millis(tx.now.Add(-ally.CampaignWindow-lastSeenStep)))
	if err != nil {
		return nil, err
	}
	var found *campaign
	for rows.Next() && found == nil {
		c, err := scanCampaign(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if mailscan.Similar(c.fp, r.Fingerprint) {
			found = c
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if found != nil {
		found.Reports++
		if found.TakesAutoVerdict(r.Score) {
			// A more worrying email is the campaign's automatic verdict;
			// the row is written only then, not for every report.
			found.AutoVerdict, found.AutoScore = r.Verdict, r.Score
			if _, err := tx.exec(ctx, "UPDATE campaigns SET auto_verdict = ?, auto_score = ? WHERE id = ?",
				r.Verdict, r.Score, found.ID); err != nil {
				return nil, err
			}
		}
		_, err := tx.exec(ctx, "UPDATE campaigns SET last_seen = ? WHERE id = ? AND last_seen < ?", millis(tx.now),
			found.ID, millis(tx.now.Add(-lastSeenStep)))
		return found, err
	}
	fp, _ := json.Marshal(r.Fingerprint)
	c := &campaign{Campaign: ally.Campaign{Subject: r.Subject, SenderDomain: r.Fingerprint.SenderDomain,
		Verdict: ally.CampaignPending, Reports: 1, AutoVerdict: r.Verdict, AutoScore: r.Score, FirstSeen: tx.now,
		LastSeen: tx.now}, fp: r.Fingerprint}
	c.ID, err = tx.insert(ctx, `INSERT INTO campaigns (subject, sender_domain, fingerprint, verdict, first_seen,
		last_seen, auto_verdict, auto_score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.Subject, c.SenderDomain, string(fp),
		c.Verdict, millis(tx.now), millis(tx.now), c.AutoVerdict, c.AutoScore)
	return c, err
}

// tellOutcome posts the decision's outcome to one case and, if it says so,
// resolves it.
func (tx *Tx) tellOutcome(ctx context.Context, c *ally.Case, d ally.CampaignDecision, by *ally.User) error {
	if by == nil {
		return nil
	}
	out := d.Outcome()
	tx.verdict = &d // the mail for this message is the verdict's own (mailMessage)
	_, err := tx.postMessage(ctx, c, by, out, tx.db.outcomeTone[out.Body])
	tx.verdict = nil
	if err != nil {
		return err
	}
	if d.Resolves() && c.Status.Open() {
		return tx.moveCase(ctx, c, ally.StatusResolved, by)
	}
	return nil
}

// FindCampaigns implements ally.AttachmentService.
func (db *DB) FindCampaigns(ctx context.Context, before int64, limit int) (_ []*ally.Campaign, err error) {
	defer wrap(&err, "find campaigns")
	u, err := ally.Allowed(ctx, ally.CanSeeCampaigns, "Only responders can see campaigns.")
	if err != nil {
		return nil, err
	}
	var out []*ally.Campaign
	err = db.withRead(ctx, func(tx *Tx) error {
		found, err := collect(ctx, tx, scanCampaign,
			campaignSelect+" WHERE c.id < ? ORDER BY c.id DESC LIMIT ?", newestFirst(before), limit)
		for _, c := range found {
			if err == nil {
				c.linked, err = tx.linkedCases(ctx, c.ID)
				out = append(out, c.showTo(u))
			}
		}
		return err
	})
	return out, err
}

// FindCampaign implements ally.AttachmentService.
func (db *DB) FindCampaign(ctx context.Context, id int64) (_ *ally.Campaign, err error) {
	defer wrap(&err, "find campaign")
	u, err := ally.Allowed(ctx, ally.CanSeeCampaigns, "Only responders can see campaigns.")
	if err != nil {
		return nil, err
	}
	var c *campaign
	err = db.withRead(ctx, func(tx *Tx) error {
		var err error
		c, err = tx.campaign(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c.showTo(u), nil
}

func (tx *Tx) campaign(ctx context.Context, id int64) (*campaign, error) {
	c, err := scanCampaign(tx.queryRow(ctx, campaignSelect+" WHERE c.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ally.Errorf(ally.ENOTFOUND, "No campaign %d was found.", id)
	} else if err != nil {
		return nil, err
	}
	c.linked, err = tx.linkedCases(ctx, id)
	return c, err
}

// linkedCases lists the cases that reported campaign id, with only what
// visibility needs.
func (tx *Tx) linkedCases(ctx context.Context, id int64) ([]*ally.Case, error) {
	return collect(ctx, tx, func(row scanner) (*ally.Case, error) {
		var k ally.Case
		var assignee sql.NullInt64
		if err := row.Scan(&k.ID, &k.ReporterID, &assignee, &k.Confidential); err != nil {
			return nil, err
		}
		k.Ref, k.AssigneeID = ally.CaseRef(k.ID), assignee.Int64
		return &k, nil
	}, `SELECT k.id, k.reporter_id, k.assignee_id, k.confidential FROM cases k
		WHERE k.id IN (SELECT case_id FROM attachments WHERE campaign_id = ?) ORDER BY k.id`, id)
}

// DecideCampaign implements ally.AttachmentService.
func (db *DB) DecideCampaign(ctx context.Context, id int64, d ally.CampaignDecision) (_ *ally.Campaign, err error) {
	defer wrap(&err, "decide campaign")
	u, err := ally.Allowed(ctx, ally.CanSeeCampaigns, "Only responders can decide on a campaign.")
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	var c *campaign
	err = db.withTx(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.campaign(ctx, id); err != nil {
			return err
		}
		c.Verdict, c.Blocked, c.decider = d.Verdict, d.Blocked, u
		if _, err := tx.exec(ctx, `UPDATE campaigns SET verdict = ?, blocked = ?, decided_by = ?, decided_at = ?
			WHERE id = ?`, d.Verdict, d.Blocked, u.ID, millis(tx.now), id); err != nil {
			return err
		}
		now, p := tx.now, u.Person()
		c.DecidedAt, c.DecidedBy = &now, &p
		seen, _ := ally.CampaignCasesFor(u, c.linked)
		for _, linked := range seen {
			kase, err := scanCase(tx.queryRow(ctx, caseSelect+" WHERE c.id = ?", linked.ID))
			if err != nil {
				return err
			}
			if err := tx.tellOutcome(ctx, kase, d, u); err != nil {
				return err
			}
		}
		// The mail model learns phishing from malicious and suspicious
		// decisions and safe mail from clean ones; spam and practice emails
		// teach it neither.
		if phish, learns := map[string]bool{"malicious": true, "suspicious": true, "clean": false}[d.Verdict]; learns {
			if err := tx.learnFromCampaign(ctx, id, seen, phish); err != nil {
				return err
			}
		}
		if err := tx.emit(ctx, ally.EventCampaignDecided, nil, map[string]any{"campaign": fmt.Sprint(id),
			"verdict": d.Verdict, "link": tx.db.link(fmt.Sprint("/campaigns/", id))}); err != nil {
			return err
		}
		detail := d.Verdict
		if d.Blocked {
			detail += " blocked"
		}
		return tx.audit(ctx, "campaign.decide", fmt.Sprint("campaign ", id), detail)
	})
	if err != nil {
		return nil, err
	}
	return c.showTo(u), nil
}

// maxLearnPerDecision bounds the reported emails one decision teaches the
// organisation's mail model (each is analysed again inside the decision).
const maxLearnPerDecision = 20

// learnFromCampaign teaches the organisation's mail model the decision on
// campaign id: its reported emails on the cases the decider may see (up to
// maxLearnPerDecision distinct files) are phishing or spam, or safe.
func (tx *Tx) learnFromCampaign(ctx context.Context, id int64, seen []*ally.Case, phish bool) error {
	visible := map[int64]bool{}
	for _, k := range seen {
		visible[k.ID] = true
	}
	type file struct {
		caseID int64
		sha    string
	}
	files, err := collect(ctx, tx, func(row scanner) (file, error) {
		var f file
		return f, row.Scan(&f.caseID, &f.sha)
	}, "SELECT case_id, sha256 FROM attachments WHERE campaign_id = ? ORDER BY id", id)
	if err != nil {
		return err
	}
	var lessons []MailLesson
	taken := map[string]bool{}
	for _, f := range files {
		if !visible[f.caseID] || taken[f.sha] || len(taken) == maxLearnPerDecision {
			continue
		}
		taken[f.sha] = true
		var data []byte
		if err := tx.queryRow(ctx, "SELECT data FROM blobs WHERE sha256 = ?", f.sha).Scan(&data); err != nil {
			return err
		}
		if e, err := mailscan.NewExample(data, mailscan.Options{}); err == nil {
			lessons = append(lessons, MailLesson{Example: e, Phish: phish})
		}
	}
	if len(lessons) == 0 {
		return nil
	}
	_, err = tx.learnMail(ctx, lessons, fmt.Sprint("campaign ", id))
	return err
}
