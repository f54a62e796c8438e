package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/backupfile"
	"github.com/allydesk/ally/demo"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
	"github.com/allydesk/ally/tone"
)

var operator = ally.NewOperatorContext(context.Background())

// demoDB is a database of engine holding the demo organisation: cases of
// every kind and state, messages, tasks, ratings, reported emails and their
// campaigns.
func demoDB(t *testing.T, engine string) *store.DB {
	t.Helper()
	db := storetest.Open(t, engine, store.Options{})
	now := time.Now()
	if err := demo.Load(operator, db, demo.Options{Cases: 300, Now: now, Span: 30 * 24 * time.Hour, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.AttachEmails(operator, db, now.Add(-30*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	return db
}

// restoreNew restores the backup b into a new, empty database of engine,
// closed when the test ends, and returns it with how many rows it loaded.
func restoreNew(t *testing.T, engine string, b []byte) (*store.DB, int64) {
	t.Helper()
	dst, err := store.Open(context.Background(), storetest.DSN(t, engine), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dst.Close() })
	n, err := dst.Restore(operator, bytes.NewReader(b), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	return dst, n
}

func backup(t *testing.T, db *store.DB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := db.Backup(operator, &buf, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// contents reads a backup back as table → rows, with booleans as 0 and 1 so
// that backups of the two engines compare.
func contents(t *testing.T, b []byte) map[string][][]any {
	t.Helper()
	r, err := backupfile.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][][]any{}
	for {
		tb, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out[tb.Name] = [][]any{}
		for {
			row, err := r.Row()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			// By column name: the engines may order a table's columns
			// differently (a column added later comes last on one).
			named := make([]any, len(row))
			for i, v := range row {
				switch x := v.(type) {
				case bool:
					v = map[bool]int64{false: 0, true: 1}[x]
				case []byte:
					v = string(x)
				}
				named[i] = fmt.Sprintf("%s=%v", tb.Columns[i], v)
			}
			slices.SortFunc(named, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
			out[tb.Name] = append(out[tb.Name], named)
		}
		// The engines order text differently; compare rows as sets.
		slices.SortFunc(out[tb.Name], func(a, b []any) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	}
}

// A backup restores, on either engine, to a database whose own backup holds
// exactly the same rows, and which works: new cases get fresh references.
func TestBackupRestoresOnEitherEngine(t *testing.T) {
	for _, from := range storetest.Engines() {
		src := demoDB(t, from)
		if _, err := src.AddToneExamples(operator, []tone.Labelled{{Text: "Thanks for telling us."},
			{Text: "You should have known better.", Blame: true}}, 0); err != nil {
			t.Fatal(err)
		}
		b := backup(t, src)
		want := contents(t, b)
		if len(want["cases"]) != 300 || len(want["blobs"]) == 0 || len(want["campaigns"]) == 0 ||
			len(want["tone_examples"]) != 2 {
			t.Fatalf("the backup of %s holds %d cases, %d blobs, %d campaigns, %d tone examples", from,
				len(want["cases"]), len(want["blobs"]), len(want["campaigns"]), len(want["tone_examples"]))
		}
		for _, to := range storetest.Engines() {
			t.Run(from+"→"+to, func(t *testing.T) {
				dst, n := restoreNew(t, to, b)
				got := contents(t, backup(t, dst))
				var total int
				for name, rows := range want {
					total += len(rows)
					if !reflect.DeepEqual(got[name], rows) {
						t.Errorf("table %s: %d rows after restore, %d before, or they differ", name, len(got[name]), len(rows))
					}
				}
				if int(n) != total {
					t.Errorf("restore says it loaded %d rows; the backup holds %d", n, total)
				}
				if problems, err := dst.Verify(operator, nil); err != nil || len(problems) > 0 {
					t.Fatalf("verify after restore: %v %v", problems, err)
				}
				lead, err := dst.FindUserByEmail(operator, "lee.morgan@example.com")
				if err != nil {
					t.Fatal(err)
				}
				c, err := dst.CreateCase(ally.NewContextWithUser(context.Background(), lead), &ally.NewCase{Kind: ally.KindOther})
				if err != nil || c.Ref != ally.CaseRef(301) {
					t.Fatalf("a new case after the restore: %+v %v", c, err)
				}
			})
		}
	}
}

// A database that holds anything is replaced only with force; a damaged or
// foreign file changes nothing.
func TestRestoreRefusesToOverwrite(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			f := newFixture(t, e)
			mustCase(t, f, f.alice, ally.NewCase{Kind: ally.KindClickedLink, Summary: "kept"})
			other := storetest.Open(t, e, store.Options{})
			if _, err := other.CreateUser(operator, &ally.NewUser{Email: "x@example.org", Name: "X",
				Role: ally.RoleReporter, Password: "correct horse battery"}); err != nil {
				t.Fatal(err)
			}
			b := backup(t, other)
			_, err := f.db.Restore(operator, bytes.NewReader(b), false, nil)
			wantCode(t, err, ally.ECONFLICT)
			for _, bad := range [][]byte{b[:len(b)/2], []byte("not a backup"), nil} {
				_, err := f.db.Restore(operator, bytes.NewReader(bad), true, nil)
				wantCode(t, err, ally.EINVALID)
			}
			if _, err := f.db.FindUserByEmail(operator, "alice@example.org"); err != nil {
				t.Fatalf("a refused restore changed the database: %v", err)
			}
			if _, err := f.db.Restore(ally.NewContextWithUser(context.Background(), f.admin), bytes.NewReader(b), true,
				nil); ally.ErrorCode(err) != ally.EFORBIDDEN {
				t.Fatalf("an admin (not the operator) restored: %v", err)
			}
			if _, err := f.db.Restore(operator, bytes.NewReader(b), true, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := f.db.FindUserByEmail(operator, "alice@example.org"); ally.ErrorCode(err) != ally.ENOTFOUND {
				t.Fatalf("after a forced restore the old data is still there: %v", err)
			}
		})
	}
}

// A backup taken while 8 writers create cases holds every case whose
// creation was acknowledged before the backup began, intact.
func TestBackupDuringWrites(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			f := newFixture(t, e)
			var mu sync.Mutex
			acked := map[string]string{} // ref → summary
			var stop atomic.Bool
			var wg sync.WaitGroup
			for w := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; !stop.Load(); i++ {
						summary := fmt.Sprintf("writer %d case %d", w, i)
						c, err := f.db.CreateCase(f.as(f.alice), &ally.NewCase{Kind: ally.KindClickedLink, Summary: summary})
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						acked[c.Ref] = summary
						mu.Unlock()
					}
				}()
			}
			// Take the backup once the writers are well under way.
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				mu.Lock()
				n := len(acked)
				mu.Unlock()
				if n >= 40 || time.Now().After(deadline) {
					break
				}
			}
			mu.Lock()
			before := make(map[string]string, len(acked))
			for k, v := range acked {
				before[k] = v
			}
			mu.Unlock()
			b := backup(t, f.db)
			stop.Store(true)
			wg.Wait()
			dst, _ := restoreNew(t, e, b)
			lead, _ := dst.FindUserByEmail(operator, "lee@example.org")
			as := ally.NewContextWithUser(context.Background(), lead)
			for ref, summary := range before {
				c, err := dst.FindCase(as, ref)
				if err != nil || c.Summary != summary {
					t.Fatalf("case %s acknowledged before the backup: %+v %v", ref, c, err)
				}
			}
			if len(before) < 40 {
				t.Fatalf("only %d cases were written before the backup; the test proves little", len(before))
			}
			t.Logf("%d cases acknowledged before the backup, all restored", len(before))
		})
	}
}

// Verify finds a damaged stored file, a row pointing nowhere, a count that
// disagrees with the cases and a file no attachment uses — and nothing on
// the healthy database.
func TestVerifyFindsDamage(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			dsn := storetest.DSN(t, e)
			db, err := store.Open(context.Background(), dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			if err := demo.Load(operator, db, demo.Options{Cases: 60, Now: time.Now(), Span: 7 * 24 * time.Hour, Seed: 5}); err != nil {
				t.Fatal(err)
			}
			if _, err := demo.AttachEmails(operator, db, time.Now().Add(-7*24*time.Hour)); err != nil {
				t.Fatal(err)
			}
			if problems, err := db.Verify(operator, nil); err != nil || len(problems) > 0 {
				t.Fatalf("a healthy database: %v %v", problems, err)
			}
			raw := rawDB(t, e, dsn)
			for _, q := range []string{
				"UPDATE case_counts SET n = n + 2 WHERE status = (SELECT min(status) FROM case_counts)",
				"UPDATE blobs SET data = ? WHERE sha256 = (SELECT min(sha256) FROM blobs)",
				"INSERT INTO blobs (sha256, size, data) VALUES ('0000', 1, ?)",
				"UPDATE case_tasks SET case_id = 999999 WHERE case_id = (SELECT min(case_id) FROM case_tasks)",
			} {
				var args []any
				if strings.Contains(q, "?") {
					args = append(args, []byte("x"))
					if e == "postgres" {
						q = strings.Replace(q, "?", "$1", 1)
					}
				}
				if _, err := raw.Exec(q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			problems, err := db.Verify(operator, nil)
			if err != nil {
				t.Fatal(err)
			}
			found := map[string]int{}
			for _, p := range problems {
				found[p.Check]++
			}
			if found["counts"] != 1 || found["files"] != 3 || found["references"] != 1 {
				t.Fatalf("verify found %v: %+v", found, problems)
			}
			wantCode(t, func() error { _, err := db.Verify(ally.NewContextWithUser(context.Background(), nil), nil); return err }(),
				ally.EUNAUTHORIZED)
		})
	}
}

// rawDB opens dsn around Ally's store, with reference checks off, so a test
// can damage what the store would never write.
func rawDB(t *testing.T, engine, dsn string) *sql.DB {
	t.Helper()
	driver := map[string]string{"sqlite": "sqlite", "postgres": "pgx"}[engine]
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	raw.SetMaxOpenConns(1)
	off := "PRAGMA foreign_keys = OFF"
	if engine == "postgres" {
		off = "SET session_replication_role = replica"
	}
	if _, err := raw.Exec(off); err != nil {
		t.Fatal(err)
	}
	return raw
}
