package store

import (
	"context"
	"os"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailscan"
)

// Issue 20 F7: an upload to a case the uploader may not add to is refused
// before the file is analysed.
func TestUploadIsNotAnalysedWithoutPermission(t *testing.T) {
	raw, err := os.ReadFile("testdata/parcel.eml")
	if err != nil {
		t.Fatal(err)
	}
	db, op := openMigrated(t), ally.NewOperatorContext(context.Background())
	var people []*ally.User
	for _, email := range []string{"alice@example.org", "bob@example.org"} {
		u, err := db.CreateUser(op, &ally.NewUser{Email: email, Name: email, Role: ally.RoleReporter,
			Department: "Sales", Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		people = append(people, u)
	}
	c, err := db.CreateCase(ally.NewContextWithUser(context.Background(), people[0]),
		&ally.NewCase{Kind: ally.KindSuspiciousEmail})
	if err != nil {
		t.Fatal(err)
	}
	real, analysed := analyse, 0
	analyse = func(in ally.NewAttachment, o mailscan.Options) *mailscan.Report { analysed++; return real(in, o) }
	defer func() { analyse = real }()
	_, err = db.AddAttachment(ally.NewContextWithUser(context.Background(), people[1]), c.Ref,
		ally.NewAttachment{Name: "parcel.eml", Data: raw})
	if ally.ErrorCode(err) != ally.ENOTFOUND || analysed != 0 {
		t.Fatalf("another reporter's upload: %v, analysed %d times (want not found, never analysed)", err, analysed)
	}
	if _, err := db.AddAttachment(ally.NewContextWithUser(context.Background(), people[0]), c.Ref,
		ally.NewAttachment{Name: "parcel.eml", Data: raw}); err != nil || analysed != 1 {
		t.Fatalf("the reporter's own upload: %v, analysed %d times", err, analysed)
	}
}
