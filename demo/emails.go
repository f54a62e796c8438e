package demo

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
)

//go:embed emails/*.eml
var emails embed.FS

// AttachEmails uploads a sample reported email, as its reporter, to each
// suspicious-email case reported since `since`, so that analyses,
// campaigns and lure insights have something to show. It returns how many
// it attached.
func AttachEmails(ctx context.Context, db *store.DB, since time.Time) (int, error) {
	names, err := fs.Glob(emails, "emails/*.eml")
	if err != nil || len(names) == 0 {
		return 0, fmt.Errorf("demo emails: %v", err)
	}
	lead, err := db.FindUserByEmail(ctx, Accounts[2].Email)
	if err != nil {
		return 0, err
	}
	page, err := db.FindCases(ally.NewContextWithUser(ctx, lead), ally.CaseFilter{Kind: ally.KindSuspiciousEmail,
		Limit: ally.MaxLimit})
	if err != nil {
		return 0, err
	}
	n := 0
	for i, c := range page.Items {
		if c.ReportedAt.Before(since) {
			break
		}
		reporter, err := db.FindUserByEmail(ctx, c.Reporter.Email)
		if err != nil {
			return n, err
		}
		name := names[i%len(names)]
		raw, _ := emails.ReadFile(name)
		if _, err := db.AddAttachment(ally.NewContextWithUser(ctx, reporter), c.Ref,
			ally.NewAttachment{Name: name[len("emails/"):], ContentType: "message/rfc822", Data: raw}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
