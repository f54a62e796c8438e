package store

import (
	"context"

	"github.com/allydesk/ally"
)

// LinkDuplicates implements ally.LinkService: the bulk update's transaction
// (eachCase: one commit, a savepoint for each case) around the single link's
// path (link), so that each duplicate's reporter is told, its status follows
// the survivor and the link is audited exactly as when linked by hand.
func (db *DB) LinkDuplicates(ctx context.Context, refs []string, l ally.BulkLink) (_ []ally.BulkResult, err error) {
	defer wrap(&err, "link duplicates")
	u, err := ally.Allowed(ctx, ally.CanLinkCases, "Only responders can link cases, one at a time or together.")
	if err != nil {
		return nil, err
	}
	if err := ally.ValidateBulkRefs(refs); err != nil {
		return nil, err
	}
	notices := db.linkNotices(u)
	var out []ally.BulkResult
	err = db.withTx(ctx, func(tx *Tx) error {
		survivor, err := tx.bulkSurvivor(ctx, refs, l.DuplicateOf)
		if err != nil {
			return err
		}
		kept := map[string]bool{}
		out, err = tx.eachCase(ctx, refs, func(ref string) error {
			c, err := tx.visibleCase(ctx, ref)
			if err != nil {
				return err
			}
			if c.ID == survivor.ID { // survivor is nil only when no case of refs is visible
				kept[ref] = true
				return nil
			}
			_, err = tx.link(ctx, u, c, survivor, ally.LinkDuplicate, notices)
			return err
		})
		for i := range out {
			out[i].Survivor = kept[out[i].Ref]
		}
		return err
	})
	return out, err
}

// bulkSurvivor is the case named to survive, or else the one of refs the
// caller may see that ally.DefaultSurvivor picks (nil if none). A named case
// the caller may not see is refused as one that does not exist.
func (tx *Tx) bulkSurvivor(ctx context.Context, refs []string, named string) (*ally.Case, error) {
	if named != "" {
		c, err := tx.visibleCase(ctx, named)
		if ally.ErrorCode(err) == ally.ENOTFOUND {
			return nil, ally.Errorf(ally.EINVALID,
				"link.duplicate_of: no case %s was found, or it is not shared with you.", named)
		}
		return c, err
	}
	var seen []*ally.Case
	for _, ref := range refs {
		c, err := tx.visibleCase(ctx, ref)
		switch {
		case ally.ErrorCode(err) == ally.ENOTFOUND: // reported for that reference alone
		case err != nil:
			return nil, err
		default:
			seen = append(seen, c)
		}
	}
	return ally.DefaultSurvivor(seen), nil
}
