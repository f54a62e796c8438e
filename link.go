package ally

import (
	"context"
	"time"
)

// LinkType is how two cases are linked.
type LinkType string

// Link types.
const (
	// LinkDuplicate: the case reports what another case already covers;
	// the other case survives, and the duplicate's reporter follows it.
	LinkDuplicate LinkType = "duplicate"
	// LinkRelated: the cases are about connected events.
	LinkRelated LinkType = "related"
)

// NewLink links the case it is sent to with the case Ref: as a duplicate
// of it (Ref survives), or as related.
type NewLink struct {
	Ref  string   `json:"ref"`
	Type LinkType `json:"type"`
}

// Validate checks a new link and returns EINVALID naming the first bad
// field.
func (n *NewLink) Validate() error {
	switch {
	case n.Ref == "":
		return Errorf(EINVALID, "ref: is required; give the reference of the other case, e.g. AL-1042.")
	case n.Type != LinkDuplicate && n.Type != LinkRelated:
		return Errorf(EINVALID, "type: %q is not a link type; use duplicate or related.", n.Type)
	}
	return nil
}

// Link is one case linked to another, seen from the case it is listed on.
type Link struct {
	Ref     string   `json:"ref"` // the other case
	Summary string   `json:"summary"`
	Status  Status   `json:"status"`
	Type    LinkType `json:"type"`
	// Role says which end the other case is: "survivor" (this case is its
	// duplicate), "duplicate" (it duplicates this case) or "related".
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	// Campaign is the email campaign both cases reported, for a related
	// link that comes from it: derived from the campaign at each read,
	// never stored, so it follows the campaign as reports join it.
	Campaign int64 `json:"campaign,omitempty"`
}

// MaxCampaignLinks is how many of a campaign's other cases a case lists
// as related; the campaign's own page lists them all.
const MaxCampaignLinks = 20

// The ends of a link, as Link.Role names the other case.
const (
	RoleSurvivor  = "survivor"
	RoleDuplicate = "duplicate"
	RoleRelated   = "related"
)

// DuplicateJoined is what the reporter of a case marked a duplicate is
// told: kindly, that their report counts and where things go on.
const DuplicateJoined = "Thank you for telling us. Someone else told us about the same thing, so we are " +
	"handling both reports together. Your report still helps, and we will keep you posted here."

// DuplicateFinished is what the reporter of a duplicate is told when the
// case it joined is finished.
const DuplicateFinished = "Good news: the team has sorted out what you told us about, together with the " +
	"other reports of it. Thank you again for telling us."

// BulkLink is the link half of a bulk request: every case of the request
// becomes a duplicate of DuplicateOf, or, when it is empty, of the case
// among them reported first (DefaultSurvivor), which a responder reads as
// the original report.
type BulkLink struct {
	DuplicateOf string `json:"duplicate_of"`
}

// DefaultSurvivor is the case of cs that survives when a bulk link names
// none: the one reported first (the lower reference on a tie), or nil.
func DefaultSurvivor(cs []*Case) *Case {
	var first *Case
	for _, c := range cs {
		if first == nil || c.ReportedAt.Before(first.ReportedAt) ||
			(c.ReportedAt.Equal(first.ReportedAt) && c.ID < first.ID) {
			first = c
		}
	}
	return first
}

// LinkService links cases. Every method reads the signed-in user from the
// context and applies the rules in authz.go.
type LinkService interface {
	// LinkCases links case ref with l.Ref: as its duplicate (the duplicate's
	// reporter is told kindly and follows the surviving case) or as related.
	// Errors: ENOTFOUND, EFORBIDDEN, EINVALID, ECONFLICT.
	LinkCases(ctx context.Context, ref string, l NewLink) (*Link, error)
	// LinkDuplicates marks each of refs (at most MaxBulk) a duplicate of one
	// surviving case, each on its own as LinkCases would: the result for
	// each reference says whether it was done or why not; the survivor, if
	// listed, is done and marked Survivor. Errors (for the whole request):
	// EINVALID (refs, or a survivor not found), EFORBIDDEN.
	LinkDuplicates(ctx context.Context, refs []string, l BulkLink) ([]BulkResult, error)
	// Links lists the cases linked with ref that the user may see, oldest
	// link first. Errors: ENOTFOUND.
	Links(ctx context.Context, ref string) ([]*Link, error)
}
