package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/playbook"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// TestSLAFixedWhenItStarts: a case keeps the targets it was given when it
// was reported, under the playbook of the day; editing the playbook changes
// new cases only, and a severity change fixes the new severity's targets.
func TestSLAFixedWhenItStarts(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			dsn, ctx := storetest.DSN(t, e), context.Background()
			now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
			clock := func() time.Time { return now }
			before, add := openWithClock(t, dsn, clock)
			alice, rita := add("alice@example.org", ally.RoleReporter), add("rita@example.org", ally.RoleResponder)
			old, err := before.CreateCase(alice, &ally.NewCase{Kind: ally.KindClickedLink})
			if err != nil {
				t.Fatal(err)
			}
			if old.Severity != ally.SeverityMedium || !old.SLA.AcknowledgeBy.Equal(now.Add(time.Hour)) {
				t.Fatalf("the first case: %s %+v", old.Severity, old.SLA)
			}

			// A lead gives medium clicked links three hours, and Ally restarts with it.
			set := editedClickedLink(t)
			after, err := store.Open(ctx, dsn, store.Options{Now: clock, Playbooks: set})
			if err != nil {
				t.Fatal(err)
			}
			defer after.Close()
			now = now.Add(2 * time.Hour) // the old case is overdue on its own target, not on the new one
			got, err := after.FindCase(rita, old.Ref)
			if err != nil {
				t.Fatal(err)
			}
			if !got.SLA.AcknowledgeBy.Equal(*old.SLA.AcknowledgeBy) || got.SLA.PlaybookVersion != old.SLA.PlaybookVersion ||
				len(got.SLA.Breached) != 1 {
				t.Fatalf("editing the playbook changed an existing case: %+v, was %+v", got.SLA, old.SLA)
			}
			fresh, err := after.CreateCase(alice, &ally.NewCase{Kind: ally.KindClickedLink})
			if err != nil {
				t.Fatal(err)
			}
			if !fresh.SLA.AcknowledgeBy.Equal(now.Add(3*time.Hour)) || fresh.SLA.PlaybookVersion == old.SLA.PlaybookVersion {
				t.Fatalf("a new case under the edited playbook: %+v (old version %s)", fresh.SLA, old.SLA.PlaybookVersion)
			}
			high := ally.SeverityHigh
			raised, err := after.UpdateCase(rita, old.Ref, ally.CaseUpdate{Severity: &high})
			if err != nil {
				t.Fatal(err)
			}
			if !raised.SLA.AcknowledgeBy.Equal(old.ReportedAt.Add(10*time.Minute)) ||
				!raised.SLA.ResolveBy.Equal(old.ReportedAt.Add(12*time.Hour)) ||
				raised.SLA.PlaybookVersion != fresh.SLA.PlaybookVersion {
				t.Fatalf("after the severity change: %+v", raised.SLA)
			}
			if again, _ := after.FindCase(rita, old.Ref); !again.SLA.ResolveBy.Equal(*raised.SLA.ResolveBy) {
				t.Fatalf("the new targets were not stored: %+v", again.SLA)
			}
		})
	}
}

// editedClickedLink is the default playbooks with clicked_link's targets
// edited: medium 3h/3d (was 1h/2d), high 10m/12h (was 15m/1d).
func editedClickedLink(t *testing.T) *playbook.Set {
	t.Helper()
	dir := t.TempDir()
	raw, err := os.ReadFile("../playbook/defaults/clicked_link.yaml")
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(raw), "medium: {acknowledge: 1h, resolve: 2d}",
		"medium: {acknowledge: 3h, resolve: 3d}", 1)
	edited = strings.Replace(edited, "high: {acknowledge: 15m, resolve: 1d}",
		"high: {acknowledge: 10m, resolve: 12h}", 1)
	if edited == string(raw) {
		t.Fatal("the playbook's SLA lines moved; update this test")
	}
	if err := os.WriteFile(filepath.Join(dir, "clicked_link.yaml"), []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	set, err := playbook.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestMetricsUseStoredTargets: the team's SLA figures judge each case by the
// targets stored on it, so editing a playbook afterwards leaves past
// breaches as they were (issue 18).
func TestMetricsUseStoredTargets(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			dsn, ctx := storetest.DSN(t, e), context.Background()
			t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
			now := t0
			clock := func() time.Time { return now }
			before, add := openWithClock(t, dsn, clock)
			alice, rita := add("alice@example.org", ally.RoleReporter), add("rita@example.org", ally.RoleResponder)
			lead := add("lena@example.org", ally.RoleLead)
			// Medium clicked links: acknowledge within 1h. One is seen after 2h (missed),
			// one after 30 min (met), one never and is now 2½h old (missed).
			acked := ally.StatusAcknowledged
			for _, seenAfter := range []time.Duration{2 * time.Hour, 30 * time.Minute, 0} {
				now = t0
				c, err := before.CreateCase(alice, &ally.NewCase{Kind: ally.KindClickedLink})
				if err != nil {
					t.Fatal(err)
				}
				if seenAfter > 0 {
					now = t0.Add(seenAfter)
					if _, err := before.UpdateCase(rita, c.Ref, ally.CaseUpdate{Status: &acked}); err != nil {
						t.Fatal(err)
					}
				}
			}
			now = t0.Add(150 * time.Minute)
			period := ally.MetricsFilter{From: t0.Add(-time.Hour), To: t0.Add(24 * time.Hour)}
			m, err := before.Metrics(lead, period)
			if err != nil {
				t.Fatal(err)
			}
			if m.SLA.AcknowledgeN != 3 || val(m.SLA.AcknowledgedWithinTarget) != 0.3333 {
				t.Fatalf("before the edit: %+v", m.SLA)
			}

			// The lead gives medium clicked links three hours; past breaches stay breaches.
			after, err := store.Open(ctx, dsn, store.Options{Now: clock, Playbooks: editedClickedLink(t)})
			if err != nil {
				t.Fatal(err)
			}
			defer after.Close()
			m2, err := after.Metrics(lead, period)
			if err != nil {
				t.Fatal(err)
			}
			if m2.SLA.AcknowledgeN != 3 || val(m2.SLA.AcknowledgedWithinTarget) != 0.3333 ||
				m2.SLA.ResolveN != m.SLA.ResolveN {
				t.Fatalf("editing the playbook rewrote the team's SLA figures: %+v, was %+v", m2.SLA, m.SLA)
			}
		})
	}
}

// openWithClock opens and migrates the database at dsn with the default
// playbooks and this clock, and returns it with a way to add an account
// (in Sales) and get its context.
func openWithClock(t *testing.T, dsn string, clock func() time.Time) (*store.DB,
	func(email string, role ally.Role) context.Context) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	op := ally.NewOperatorContext(ctx)
	return db, func(email string, role ally.Role) context.Context {
		t.Helper()
		u, err := db.CreateUser(op, &ally.NewUser{Email: email, Name: email, Role: role, Department: "Sales",
			Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		return ally.NewContextWithUser(ctx, u)
	}
}
