package mailscan

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestRarListingMemoryBound: an archive of 200,000 empty entries (4.5 MB)
// is listed in bounded memory (the whole listing once took 184 MB), and an
// ordinary archive of 400 entries with content is still listed whole.
func TestRarListingMemoryBound(t *testing.T) {
	var many []rarEntry
	for i := range 200000 {
		many = append(many, rarEntry{fmt.Sprintf("%x", i), "", false})
	}
	raw := withAttachment("many.rar", "application/octet-stream", rar5(many, false))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := mustAnalyze(t, raw, Options{})
	runtime.ReadMemStats(&after)
	if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 80 {
		t.Errorf("listing 200,000 entries allocated %d MB", mb)
	}
	if n := len(r.Attachments[0].Entries); n != 500 || !strings.Contains(strings.Join(r.Limits, " "), "more than 500 archive entries") {
		t.Errorf("%d entries listed, limits %q", n, r.Limits)
	}

	var ordinary []rarEntry
	for i := range 400 {
		ordinary = append(ordinary, rarEntry{fmt.Sprintf("reports/2026/quarterly-report-%03d.pdf", i), strings.Repeat("data ", 2000), false})
	}
	r = mustAnalyze(t, withAttachment("reports.rar", "application/octet-stream", rar5(ordinary, false)), Options{})
	if n := len(r.Attachments[0].Entries); n != 400 || len(r.Limits) != 0 {
		t.Errorf("ordinary archive: %d entries listed, limits %q", n, r.Limits)
	}
}
