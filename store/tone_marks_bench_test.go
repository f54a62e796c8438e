package store_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
	"github.com/allydesk/ally/tone"
)

// BenchmarkRecentReplies reads the leads' tone page (50 replies, each with
// the latest mark of its words) on each engine, with 20,000 tone examples
// stored (texts of about 300 characters) and every other reply marked.
func BenchmarkRecentReplies(b *testing.B) {
	const examples, replies = 20_000, 50
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			ctx := ally.NewOperatorContext(context.Background())
			db := storetest.Open(b, engine, store.Options{})
			fillToneBench(b, ctx, db, examples, replies)
			got, err := db.RecentReplies(ctx, 0, replies)
			marked := 0
			for _, m := range got {
				if m.Marked != nil {
					marked++
				}
			}
			if err != nil || len(got) != replies || marked != replies/2 {
				b.Fatalf("%d replies, %d marked, %v; want %d, %d", len(got), marked, err, replies, replies/2)
			}
			for b.Loop() {
				if _, err := db.RecentReplies(ctx, 0, replies); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// fillToneBench stores n tone examples and one case with the given number
// of replies to its reporter, every other one's words among the examples.
func fillToneBench(b *testing.B, ctx context.Context, db *store.DB, n, replies int) {
	pad := strings.Repeat("We looked at the message you sent and it was a phishing attempt. ", 4)
	text := func(i int) string { return fmt.Sprintf("Reply %d. %s", i, pad) }
	items := make([]tone.Labelled, n)
	for i := range items {
		items[i] = tone.Labelled{Text: text(i), Blame: i%3 == 0}
	}
	if _, err := db.AddToneExamples(ctx, items, 0); err != nil {
		b.Fatal(err)
	}
	if err := db.ExecForTest(ctx, `INSERT INTO users (email, name, role, password_hash, created_at)
		VALUES ('r@example.org', 'Reporter', 'reporter', '', 0)`); err != nil {
		b.Fatal(err)
	}
	ids, err := db.QueryForTest(ctx, "SELECT id FROM users WHERE email = 'r@example.org'")
	if err != nil || len(ids) != 1 {
		b.Fatalf("reporter %v %v", ids, err)
	}
	reporter, _ := strconv.ParseInt(ids[0][0], 10, 64)
	at := time.Now().Add(-time.Hour)
	ic := store.ImportCase{Case: ally.Case{Kind: ally.KindSuspiciousEmail, Summary: "A suspicious email",
		Status: ally.StatusAcknowledged, Severity: ally.SeverityLow, ReporterID: reporter, ReportedAt: at,
		AcknowledgedAt: &at, UpdatedAt: at}}
	for i := range replies {
		body := "Unmarked reply " + strconv.Itoa(i) + ". " + pad
		if i%2 == 0 {
			body = text(n - 1 - i*37)
		}
		ic.Entries = append(ic.Entries, ally.Entry{Type: ally.EntryMessage, Body: body, CreatedAt: at,
			Tone: &tone.Result{}})
		ic.AuthorID = append(ic.AuthorID, 0)
	}
	if err := db.ImportCases(ctx, []store.ImportCase{ic}); err != nil {
		b.Fatal(err)
	}
	if err := db.ExecForTest(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
}
