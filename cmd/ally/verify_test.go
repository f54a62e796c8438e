package main

import (
	"strings"
	"testing"

	"github.com/allydesk/ally/store/storetest"
)

// ally verify names a drifted count of mail sent and says how to set it
// right; ally verify --repair sets it to what the rows say and prints what
// it changed, then finds all well; a second repair changes nothing.
func TestVerifyRepair(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			if code, _, errs := runCmd(t, "", "migrate", "--db", dsn); code != 0 {
				t.Fatalf("migrate: %d %s", code, errs)
			}
			// An older instance's sends, taken back out of the count: 3 counted, none there.
			rawExec(t, engine, dsn, "INSERT INTO counters (name, label, shard, n) VALUES ('done', 'outbox', 0, 3)")
			code, out, _ := runCmd(t, "", "verify", "--db", dsn)
			if code != 1 || !strings.Contains(out, `"outbox" is counted as 3 but there are 0 (ally verify --repair sets it right`) ||
				!strings.Contains(out, "1 problem(s) found; each says how to set it right.") {
				t.Fatalf("verify: %d %s", code, out)
			}
			code, out, errs := runCmd(t, "", "verify", "--repair", "--db", dsn)
			want := "Repaired the count of mail sent: it said 3, the rows say 0; it now says 0.\n" +
				"The count of webhooks delivered (0) matches the rows; left as it is.\n" +
				"All is well: references, counts and stored files check out.\n"
			if code != 0 || out != want {
				t.Fatalf("verify --repair: %d %q %s, want %q", code, out, errs, want)
			}
			code, out, _ = runCmd(t, "", "verify", "--repair", "--db", dsn)
			if code != 0 || !strings.Contains(out, "Nothing to repair.") || strings.Contains(out, "Repaired") {
				t.Fatalf("a second verify --repair: %d %s", code, out)
			}
			code, out, _ = runCmd(t, "", "verify", "--repair", "--format", "json", "--db", dsn)
			if code != 0 || !strings.Contains(out, `"repaired": [`) || !strings.Contains(out, `"kept": 0`) {
				t.Fatalf("verify --repair --format json: %d %s", code, out)
			}
		})
	}
}
