package store_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// TestToneMarksFoundAfterHashMigration: a database from before migration
// 0020, with marks stored by that build (duplicates of the same words, long
// and non-ASCII words, more examples than one fill batch), migrates; every
// example then holds its text's hash, the leads' page still shows each
// reply's latest mark, and a new mark replaces the old duplicates.
func TestToneMarksFoundAfterHashMigration(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := ally.NewOperatorContext(context.Background())
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink})
		words := []string{
			"Thanks for telling us so quickly.",
			"Merci d’avoir signalé ce courriel — c’était bien du hameçonnage. 🙏",
			strings.Repeat("We checked the link you clicked and nothing was installed. ", 60),
			"This one was never marked.",
		}
		var ids []int64
		for i, w := range words {
			e, err := f.db.AddMessage(f.as(f.resp), c.Ref, ally.NewMessage{Body: w, Confirmed: true})
			if err != nil {
				t.Fatal(err)
			}
			ids, words[i] = append(ids, e.ID), e.Body // as stored (trimmed)
		}
		for _, q := range []string{"DROP INDEX tone_examples_hash", "ALTER TABLE tone_examples DROP COLUMN text_hash",
			"DELETE FROM schema_migrations WHERE version = 20"} {
			if err := f.db.ExecForTest(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		old := func(text string, blame bool) string {
			return fmt.Sprintf("('%s', %t, '', 0)", strings.ReplaceAll(text, "'", "''"), blame)
		}
		rows := []string{old(words[0], true), old(words[1], false), old(words[0], false), old(words[2], true),
			old(words[1], true)}
		for i := range 1200 {
			rows = append(rows, old("Other words "+strconv.Itoa(i), i%2 == 0))
		}
		if err := f.db.ExecForTest(ctx, "INSERT INTO tone_examples (text, blame, kind, created_at) VALUES "+
			strings.Join(rows, ", ")); err != nil {
			t.Fatal(err)
		}
		applied, err := f.db.Migrate(ctx)
		if err != nil || len(applied) != 1 || applied[0] != "0020_tone_text_hash.sql" {
			t.Fatalf("migrate: %v %v", applied, err)
		}
		stored, err := f.db.QueryForTest(ctx, "SELECT text, text_hash FROM tone_examples")
		if err != nil || len(stored) != len(rows) {
			t.Fatalf("%d examples after the migration (%v), want %d", len(stored), err, len(rows))
		}
		for _, r := range stored {
			if want := strconv.FormatInt(store.TextHashForTest(r[0]), 10); r[1] != want {
				t.Fatalf("example %.40q has hash %s, want %s", r[0], r[1], want)
			}
		}
		wantMarks(t, f, ids, "fine", "blaming", "blaming", "none")

		if err := f.db.MarkTone(f.as(f.lead), ids[1], false); err != nil {
			t.Fatal(err)
		}
		wantMarks(t, f, ids, "fine", "fine", "blaming", "none")
		n, err := f.db.QueryForTest(ctx, "SELECT count(*) FROM tone_examples WHERE text_hash = "+
			strconv.FormatInt(store.TextHashForTest(words[1]), 10))
		if err != nil || n[0][0] != "1" {
			t.Fatalf("%v examples of the words marked again (%v), want 1: the mark replaces both old ones", n, err)
		}
	})
}

// TestToneMarksCompareTheWords: another text that happens to share a
// message's hash is not taken for its mark, and marking the message does
// not replace it.
func TestToneMarksCompareTheWords(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := ally.NewOperatorContext(context.Background())
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink})
		words := "Thanks for telling us so quickly."
		e, err := f.db.AddMessage(f.as(f.resp), c.Ref, ally.NewMessage{Body: words})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.ExecForTest(ctx, fmt.Sprintf("INSERT INTO tone_examples (text, text_hash, blame, kind, "+
			"created_at) VALUES ('Other words', %d, TRUE, '', 0)", store.TextHashForTest(words))); err != nil {
			t.Fatal(err)
		}
		wantMarks(t, f, []int64{e.ID}, "none")
		if err := f.db.MarkTone(f.as(f.lead), e.ID, false); err != nil {
			t.Fatal(err)
		}
		wantMarks(t, f, []int64{e.ID}, "fine")
		ex, err := f.db.ToneExamples(ctx)
		if err != nil || len(ex) != 2 || ex[0].Text != "Other words" || !ex[0].Blame || ex[1].Text != words {
			t.Fatalf("examples %+v, %v; want the other words kept, then the mark", ex, err)
		}
	})
}

// wantMarks checks the leads' page shows the replies with ids (the newest
// last) marked as want says: "blaming", "fine" or "none".
func wantMarks(t *testing.T, f *fixture, ids []int64, want ...string) {
	t.Helper()
	got, err := f.db.RecentReplies(f.as(f.lead), 0, 50)
	if err != nil || len(got) != len(ids) {
		t.Fatalf("recent replies: %d, %v; want %d", len(got), err, len(ids))
	}
	for i, m := range got {
		k := len(ids) - 1 - i // newest first
		mark := "none"
		if m.Marked != nil {
			mark = map[bool]string{true: "blaming", false: "fine"}[*m.Marked]
		}
		if m.ID != ids[k] || mark != want[k] {
			t.Errorf("reply %d (%.30q): marked %s, want %s", m.ID, m.Body, mark, want[k])
		}
	}
}

// TestToneHashesAfterRestore: a backup made before migration 0020 restores
// (into either engine) with every example's hash filled in, which Verify
// finds right; a hash changed around the store is then a problem it reports.
func TestToneHashesAfterRestore(t *testing.T) {
	for _, from := range storetest.Engines() {
		src, err := store.Open(context.Background(), storetest.DSN(t, from), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		if _, err := src.MigrateToForTest(operator, 19); err != nil {
			t.Fatal(err)
		}
		if err := src.ExecForTest(operator, "INSERT INTO tone_examples (text, blame, kind, created_at) VALUES "+
			"('Thanks for telling us.', FALSE, '', 0), ('You should have known better.', TRUE, '', 0)"); err != nil {
			t.Fatal(err)
		}
		b := backup(t, src)
		for _, to := range storetest.Engines() {
			t.Run(from+"→"+to, func(t *testing.T) {
				dst, _ := restoreNew(t, to, b)
				stored, err := dst.QueryForTest(operator, "SELECT text, text_hash FROM tone_examples ORDER BY id")
				if err != nil || len(stored) != 2 {
					t.Fatalf("examples after the restore: %v %v", stored, err)
				}
				for _, r := range stored {
					if want := strconv.FormatInt(store.TextHashForTest(r[0]), 10); r[1] != want {
						t.Fatalf("example %q has hash %s after the restore, want %s", r[0], r[1], want)
					}
				}
				if problems, err := dst.Verify(operator, nil); err != nil || len(problems) > 0 {
					t.Fatalf("verify after restore: %v %v", problems, err)
				}
				if err := dst.ExecForTest(operator, "UPDATE tone_examples SET text_hash = text_hash + 1 WHERE blame"); err != nil {
					t.Fatal(err)
				}
				problems, err := dst.Verify(operator, nil)
				if err != nil || len(problems) != 1 || problems[0].Check != "tone examples" ||
					!strings.HasSuffix(problems[0].Detail, ": 1") {
					t.Fatalf("verify after a hash was changed: %+v %v", problems, err)
				}
			})
		}
	}
}

// TestToneMarksOfAnOlderInstance: an instance from before migration 0020,
// still serving during a rolling deploy, stores a mark without a hash; the
// leads' page finds it all the same, Verify finds nothing wrong, and the
// next mark fills it in (and replaces it, being of the same words).
func TestToneMarksOfAnOlderInstance(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := ally.NewOperatorContext(context.Background())
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink})
		words := []string{"Thanks for telling us so quickly.", "We are looking at it now."}
		var ids []int64
		for _, w := range words {
			e, err := f.db.AddMessage(f.as(f.resp), c.Ref, ally.NewMessage{Body: w})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, e.ID)
		}
		for _, w := range words {
			if err := f.db.ExecForTest(ctx, "INSERT INTO tone_examples (text, blame, kind, created_at) VALUES ('"+
				w+"', FALSE, '', 0)"); err != nil {
				t.Fatal(err)
			}
		}
		wantMarks(t, f, ids, "fine", "fine")
		if problems, err := f.db.Verify(ctx, nil); err != nil || len(problems) > 0 {
			t.Fatalf("verify with examples not yet hashed: %v %v", problems, err)
		}
		if err := f.db.MarkTone(f.as(f.lead), ids[0], true); err != nil {
			t.Fatal(err)
		}
		wantMarks(t, f, ids, "blaming", "fine")
		stored, err := f.db.QueryForTest(ctx, "SELECT text, text_hash FROM tone_examples ORDER BY id")
		if err != nil || len(stored) != 2 || stored[0][0] != words[1] || stored[1][0] != words[0] {
			t.Fatalf("examples after the mark: %v %v; want the other words, then the new mark", stored, err)
		}
		for _, r := range stored {
			if want := strconv.FormatInt(store.TextHashForTest(r[0]), 10); r[1] != want {
				t.Fatalf("example %q has hash %s after the mark, want %s", r[0], r[1], want)
			}
		}
	})
}

// TestRepairToneHashes: hashes changed around the store, in more examples
// than one batch, are what Verify reports, naming the repair as the fix;
// RepairToneHashes (the operator's alone) sets exactly those to their words'
// and is audited, leaving an example an older instance stored without a hash
// to the next mark. The leads' page shows the marks again, Verify is content,
// and a second repair changes nothing.
func TestRepairToneHashes(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink})
		words := []string{"Thanks for telling us so quickly.", "We are looking at it now.", "You should have known."}
		var ids []int64
		for _, w := range words {
			e, err := f.db.AddMessage(f.as(f.resp), c.Ref, ally.NewMessage{Body: w, Confirmed: true})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, e.ID)
		}
		for _, id := range ids[:2] {
			if err := f.db.MarkTone(f.as(f.lead), id, false); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []string{
			"UPDATE tone_examples SET text_hash = text_hash + 1",
			"INSERT INTO tone_examples (text, blame, kind, created_at) VALUES ('" + words[2] + "', TRUE, '', 0)",
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
				INSERT INTO tone_examples (text, text_hash, blame, kind, created_at)
				SELECT 'Other words ' || i, i, FALSE, '', 0 FROM n`,
		} {
			if err := f.db.ExecForTest(operator, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		wantMarks(t, f, ids, "none", "none", "blaming")
		problems, err := f.db.Verify(operator, nil)
		if err != nil || len(problems) != 1 || !strings.HasSuffix(problems[0].Detail, ": 1202") ||
			!strings.HasPrefix(problems[0].Fix, "ally verify --repair sets it right") {
			t.Fatalf("verify before the repair: %+v %v", problems, err)
		}
		if _, err := f.db.RepairToneHashes(f.as(f.admin)); ally.ErrorCode(err) != ally.EFORBIDDEN {
			t.Fatalf("an admin repaired the tone hashes: %v", err)
		}

		if n, err := f.db.RepairToneHashes(operator); err != nil || n != 1202 {
			t.Fatalf("repaired %d tone hashes (%v), want 1202", n, err)
		}
		wantMarks(t, f, ids, "fine", "fine", "blaming")
		if problems, err := f.db.Verify(operator, nil); err != nil || len(problems) > 0 {
			t.Fatalf("verify after the repair: %+v %v", problems, err)
		}
		stored, err := f.db.QueryForTest(operator, "SELECT text, text_hash FROM tone_examples ORDER BY id")
		if err != nil || len(stored) != 1203 {
			t.Fatalf("%d examples after the repair (%v), want 1203", len(stored), err)
		}
		for _, r := range stored {
			want := strconv.FormatInt(store.TextHashForTest(r[0]), 10)
			if r[0] == words[2] {
				want = "0" // the older instance's, left to the next mark
			}
			if r[1] != want {
				t.Fatalf("example %q has hash %s after the repair, want %s", r[0], r[1], want)
			}
		}
		audit, err := f.db.FindAudit(f.as(f.admin), 0, 50)
		if err != nil || audit[0].Action != "tone.hashes.repair" ||
			audit[0].Detail != "1202 text hashes set to their words'" {
			t.Fatalf("audit: %+v %v", audit[0], err)
		}

		if n, err := f.db.RepairToneHashes(operator); err != nil || n != 0 {
			t.Fatalf("a second repair set %d tone hashes (%v)", n, err)
		}
		if again, _ := f.db.FindAudit(f.as(f.admin), 0, 50); again[0].ID != audit[0].ID {
			t.Fatalf("a second repair was audited: %+v", again[0])
		}
	})
}

// TestLatestMarksPlanUsesTheHashIndex: with 20,000 examples and the
// planner's statistics, the marks of a page of messages are found through
// tone_examples_hash on each engine (PostgreSQL's EXPLAIN too), never by
// reading every example. (TestLatestMarksUseTheHashIndex checks SQLite's
// plan without statistics.)
func TestLatestMarksPlanUsesTheHashIndex(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		for _, q := range []string{
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
				INSERT INTO tone_examples (text, text_hash, blame, kind, created_at)
				SELECT 'Other words ' || i, i, FALSE, '', 0 FROM n`,
			"ANALYZE",
		} {
			if err := f.db.ExecForTest(operator, q); err != nil {
				t.Fatal(err)
			}
		}
		plan := enginePlan(t, f, f.db.LatestMarksForTest(3), 0, store.TextHashForTest("Thanks."), 7)
		joined := strings.Join(plan, "; ")
		if !strings.Contains(joined, "tone_examples_hash") || strings.Contains(joined, "Seq Scan") ||
			strings.Contains(joined, "SCAN tone_examples") {
			t.Fatalf("the marks are not found through tone_examples_hash: %q", plan)
		}
	})
}
