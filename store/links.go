package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/tone"
)

var _ ally.LinkService = (*DB)(nil)

// LinkCases implements ally.LinkService. Marking a case a duplicate tells
// its reporter kindly (a reply, mailed as replies are) and from then on its
// status follows the surviving case (followDuplicates); a survivor already
// finished finishes it at once.
func (db *DB) LinkCases(ctx context.Context, ref string, l ally.NewLink) (_ *ally.Link, err error) {
	defer wrap(&err, "link cases")
	u, err := ally.Allowed(ctx, ally.CanLinkCases, "Only responders can link cases.")
	if err != nil {
		return nil, err
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	notices := db.linkNotices(u)
	var out *ally.Link
	err = db.withTx(ctx, func(tx *Tx) error {
		c, err := tx.visibleCase(ctx, ref)
		if err != nil {
			return err
		}
		other, err := tx.visibleCase(ctx, l.Ref)
		if err != nil {
			return ally.Errorf(ally.ENOTFOUND, "ref: no case %s was found, or it is not shared with you.", l.Ref)
		}
		out, err = tx.link(ctx, u, c, other, l.Type, notices)
		return err
	})
	return out, err
}

// linkNotices are what the reporter of a duplicate is told, checked once
// for a request however many cases it links.
type linkNotices struct{ joined, finished checkedNotice }

func (db *DB) linkNotices(u *ally.User) linkNotices {
	return linkNotices{joined: db.notice(u, ally.DuplicateJoined), finished: db.notice(u, ally.DuplicateFinished)}
}

// link links case c with other as u, after checkLink: the timeline entries
// on both, for a duplicate the kind word to its reporter and the survivor's
// status, and the audit record. It returns the link as c lists it.
func (tx *Tx) link(ctx context.Context, u *ally.User, c, other *ally.Case, typ ally.LinkType,
	n linkNotices) (*ally.Link, error) {
	if err := tx.checkLink(ctx, c, other, typ); err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO case_links (case_id, other_id, type, created_by, created_at)
		VALUES (?, ?, ?, ?, ?)`, c.ID, other.ID, typ, u.ID, millis(tx.now)); err != nil {
		return nil, err
	}
	here, there := "Linked as related to "+other.Ref+".", c.Ref+" was linked as related to this case."
	if typ == ally.LinkDuplicate {
		here, there = "Marked as a duplicate of "+other.Ref+".", c.Ref+" was marked as a duplicate of this case."
	}
	if _, err := tx.addEntry(ctx, c.ID, ally.EntrySystem, u.ID, here, true, nil); err != nil {
		return nil, err
	}
	if _, err := tx.addEntry(ctx, other.ID, ally.EntrySystem, u.ID, there, true, nil); err != nil {
		return nil, err
	}
	role := ally.RoleRelated
	if typ == ally.LinkDuplicate {
		role = ally.RoleSurvivor
		if _, err := tx.postMessage(ctx, c, u, n.joined.m, n.joined.checked); err != nil {
			return nil, err
		}
		if err := tx.follow(ctx, c, other.Status, u, n.finished); err != nil {
			return nil, err
		}
	}
	if err := tx.audit(ctx, "case.link", c.Ref, string(typ)+" "+other.Ref); err != nil {
		return nil, err
	}
	return &ally.Link{Ref: other.Ref, Summary: other.Summary, Status: other.Status, Type: typ, Role: role,
		CreatedAt: tx.now}, nil
}

// checkedNotice is one of Ally's own messages to a reporter, tone-checked
// once, as a responder's reply would be.
type checkedNotice struct {
	m       ally.NewMessage
	checked *tone.Result
}

// notice prepares text as u's reply.
func (db *DB) notice(u *ally.User, text string) checkedNotice {
	m := ally.NewMessage{Body: text}
	return checkedNotice{m: m, checked: db.checkMessage(u, m)}
}

// checkLink refuses a link that cannot be: a case with itself, two cases
// already linked, a duplicate of two cases, or a duplicate chain.
func (tx *Tx) checkLink(ctx context.Context, c, other *ally.Case, typ ally.LinkType) error {
	if c.ID == other.ID {
		return ally.Errorf(ally.EINVALID, "ref: a case cannot be linked with itself; give the other case's reference.")
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM case_links WHERE (case_id = ? AND other_id = ?)
		OR (case_id = ? AND other_id = ?)`, c.ID, other.ID, other.ID, c.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return ally.Errorf(ally.ECONFLICT, "%s and %s are already linked.", c.Ref, other.Ref)
	}
	if typ != ally.LinkDuplicate {
		return nil
	}
	if !c.Status.Open() {
		return ally.Errorf(ally.ECONFLICT, "%s is already finished; only an open case can be marked a duplicate.", c.Ref)
	}
	if survivor, err := tx.survivorOf(ctx, c.ID); err != nil {
		return err
	} else if survivor != 0 {
		return ally.Errorf(ally.ECONFLICT, "%s is already linked as a duplicate of %s.", c.Ref, ally.CaseRef(survivor))
	}
	if survivor, err := tx.survivorOf(ctx, other.ID); err != nil {
		return err
	} else if survivor != 0 {
		return ally.Errorf(ally.EINVALID, "ref: %s is itself a duplicate of %s; mark it a duplicate of %s instead.",
			other.Ref, ally.CaseRef(survivor), ally.CaseRef(survivor))
	}
	if err := tx.queryRow(ctx, "SELECT count(*) FROM case_links WHERE other_id = ? AND type = ?", c.ID,
		ally.LinkDuplicate).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return ally.Errorf(ally.ECONFLICT, "%s has duplicates of its own; it cannot become a duplicate.", c.Ref)
	}
	return nil
}

// survivorOf is the id of the case id duplicates, or 0.
func (tx *Tx) survivorOf(ctx context.Context, id int64) (int64, error) {
	var s int64
	err := tx.queryRow(ctx, "SELECT other_id FROM case_links WHERE case_id = ? AND type = ?", id,
		ally.LinkDuplicate).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return s, err
}

// follow moves duplicate d to the surviving case's status st where the
// lifecycle allows; finishing it tells its reporter (finished) first.
func (tx *Tx) follow(ctx context.Context, d *ally.Case, st ally.Status, by *ally.User, finished checkedNotice) error {
	if !d.Status.CanMoveTo(st) || st == ally.StatusNew || st == ally.StatusAcknowledged {
		return nil // a survivor that is new or just seen tells a duplicate nothing new
	}
	if ally.NeedsOutcome(d.Status, st) {
		if _, err := tx.postMessage(ctx, d, by, finished.m, finished.checked); err != nil {
			return err
		}
	}
	return tx.moveCase(ctx, d, st, by)
}

// followDuplicates moves every duplicate of c to c's status (see follow).
func (tx *Tx) followDuplicates(ctx context.Context, c *ally.Case, by *ally.User) error {
	var ids []int64
	rows, err := tx.query(ctx, "SELECT case_id FROM case_links WHERE other_id = ? AND type = ? ORDER BY case_id", c.ID,
		ally.LinkDuplicate)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return err
	}
	finished := tx.db.notice(by, ally.DuplicateFinished)
	for _, id := range ids {
		d, err := scanCase(tx.queryRow(ctx, caseSelect+" WHERE c.id = ?", id))
		if err != nil {
			return err
		}
		if err := tx.follow(ctx, d, c.Status, by, finished); err != nil {
			return err
		}
	}
	return nil
}

// Links implements ally.LinkService.
func (db *DB) Links(ctx context.Context, ref string) (_ []*ally.Link, err error) {
	defer wrap(&err, "links")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	var out []*ally.Link
	err = db.readFew(ctx, func(tx *Tx) error {
		c, err := tx.visibleCase(ctx, ref)
		if err != nil {
			return err
		}
		type row struct {
			caseID, otherID, at int64
			typ                 ally.LinkType
		}
		rs, err := collect(ctx, tx, func(s scanner) (row, error) {
			var r row
			return r, s.Scan(&r.caseID, &r.otherID, &r.typ, &r.at)
		}, `SELECT case_id, other_id, type, created_at FROM case_links WHERE case_id = ? OR other_id = ?
			ORDER BY created_at, case_id, other_id`, c.ID, c.ID)
		if err != nil {
			return err
		}
		for _, r := range rs {
			id, role := r.otherID, ally.RoleSurvivor
			if r.otherID == c.ID {
				id, role = r.caseID, ally.RoleDuplicate
			}
			if r.typ == ally.LinkRelated {
				role = ally.RoleRelated
			}
			o, err := scanCase(tx.queryRow(ctx, caseSelect+" WHERE c.id = ?", id))
			if err != nil {
				return err
			}
			if ally.CanSeeCase(u, o) {
				out = append(out, &ally.Link{Ref: o.Ref, Summary: o.Summary, Status: o.Status, Type: r.typ, Role: role,
					CreatedAt: fromMillis(r.at)})
			}
		}
		campaign, err := tx.campaignLinks(ctx, u, c.ID, out)
		out = append(out, campaign...)
		return err
	})
	return out, err
}

// campaignLinks lists, as related, the cases that reported an email of
// the same campaign as case id, first reported first, that u may see and
// that linked does not already list; at most ally.MaxCampaignLinks.
func (tx *Tx) campaignLinks(ctx context.Context, u *ally.User, id int64, linked []*ally.Link) ([]*ally.Link, error) {
	type row struct{ caseID, campaign, at int64 }
	visible, args := visibility(u)
	rs, err := collect(ctx, tx, func(s scanner) (row, error) {
		var r row
		return r, s.Scan(&r.caseID, &r.campaign, &r.at)
	}, `SELECT o.case_id, min(o.campaign_id), min(o.created_at) FROM attachments a
		JOIN attachments o ON o.campaign_id = a.campaign_id AND o.case_id <> a.case_id
		JOIN cases c ON c.id = o.case_id
		WHERE a.case_id = ? AND a.campaign_id IS NOT NULL AND `+visible+`
		GROUP BY o.case_id ORDER BY o.case_id LIMIT ?`,
		append(append([]any{id}, args...), ally.MaxCampaignLinks+len(linked))...)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, l := range linked {
		seen[l.Ref] = true
	}
	var out []*ally.Link
	for _, r := range rs {
		if len(out) == ally.MaxCampaignLinks || seen[ally.CaseRef(r.caseID)] {
			continue
		}
		o, err := scanCase(tx.queryRow(ctx, caseSelect+" WHERE c.id = ?", r.caseID))
		if err != nil {
			return nil, err
		}
		out = append(out, &ally.Link{Ref: o.Ref, Summary: o.Summary, Status: o.Status, Type: ally.LinkRelated,
			Role: ally.RoleRelated, CreatedAt: fromMillis(r.at), Campaign: r.campaign})
	}
	return out, nil
}
