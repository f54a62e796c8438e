package main

import (
	"strings"
	"testing"

	"github.com/allydesk/ally/store/storetest"
)

// ally verify names a drifted count of mail sent and a tone example's wrong
// text hash, and says how to set them right; ally verify --repair sets the
// count to what the rows say and the hash to the words', prints what it
// changed, then finds all well; a second repair changes nothing.
func TestVerifyRepair(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			if code, _, errs := runCmd(t, "", "migrate", "--db", dsn); code != 0 {
				t.Fatalf("migrate: %d %s", code, errs)
			}
			// An older instance's sends, taken back out of the count: 3 counted, none there.
			rawExec(t, engine, dsn, "INSERT INTO counters (name, label, shard, n) VALUES ('done', 'outbox', 0, 3)")
			// A tone example whose hash was changed around Ally.
			rawExec(t, engine, dsn, "INSERT INTO tone_examples (text, text_hash, blame, kind, created_at) "+
				"VALUES ('Thanks for telling us.', 42, FALSE, '', 0)")
			code, out, _ := runCmd(t, "", "verify", "--db", dsn)
			if code != 1 || !strings.Contains(out, `"outbox" is counted as 3 but there are 0 (ally verify --repair sets it right`) ||
				!strings.Contains(out, "(the tone page does not show their marks): 1 (ally verify --repair sets it right") ||
				!strings.Contains(out, "2 problem(s) found; each says how to set it right.") {
				t.Fatalf("verify: %d %s", code, out)
			}
			code, out, errs := runCmd(t, "", "verify", "--repair", "--db", dsn)
			want := "Repaired the count of mail sent: it said 3, the rows say 0; it now says 0.\n" +
				"The count of webhooks delivered (0) matches the rows; left as it is.\n" +
				"Repaired the text hashes of 1 tone example(s): they now match their words.\n" +
				"All is well: references, counts and stored files check out.\n"
			if code != 0 || out != want {
				t.Fatalf("verify --repair: %d %q %s, want %q", code, out, errs, want)
			}
			code, out, _ = runCmd(t, "", "verify", "--repair", "--db", dsn)
			if code != 0 || !strings.Contains(out, "Nothing to repair.") || strings.Contains(out, "Repaired") ||
				!strings.Contains(out, "The tone examples' text hashes match their words; left as they are.") {
				t.Fatalf("a second verify --repair: %d %s", code, out)
			}
			code, out, _ = runCmd(t, "", "verify", "--repair", "--format", "json", "--db", dsn)
			if code != 0 || !strings.Contains(out, `"repaired": [`) || !strings.Contains(out, `"kept": 0`) ||
				!strings.Contains(out, `"repaired_tone_hashes": 0`) {
				t.Fatalf("verify --repair --format json: %d %s", code, out)
			}
		})
	}
}
