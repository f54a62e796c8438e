package mailscan

import (
	"encoding/base64"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// writtenExamples are the written training mail (modelgen/written) made
// ready for learning, with their labels: hundreds of decisions each way.
var writtenExamples = sync.OnceValues(func() ([]*Example, []bool) {
	var ex []*Example
	var phish []bool
	for _, dir := range []string{"phish", "benign"} {
		files, _ := filepath.Glob(filepath.Join("modelgen", "written", dir, "*.eml"))
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			if e, err := NewExample(raw, Options{}); err == nil {
				ex = append(ex, e)
				phish = append(phish, dir == "phish")
			}
		}
	}
	return ex, phish
})

// informedModel is a model taught by a team that decided on the written
// mail, and then on extra (their labels in phish); onlySafe keeps only
// the written benign mail.
func informedModel(t *testing.T, onlySafe bool, extra []*Example, phish []bool) *OrgModel {
	t.Helper()
	ex, labels := writtenExamples()
	if len(ex) < 2*400 {
		t.Fatalf("only %d written examples", len(ex))
	}
	var learn []*Example
	var as []bool
	for i, e := range ex {
		if !onlySafe || !labels[i] {
			learn, as = append(learn, e), append(as, labels[i])
		}
	}
	m := NewOrgModel()
	now := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	m.Learn(learn, as, make([]string, len(learn)), now)
	if len(extra) > 0 {
		m.Learn(extra, phish, make([]string, len(extra)), now)
	}
	return m
}

// TestOrgModelInformedSay: a team that has decided on hundreds of emails
// each way is heard on smaller shifts than one decision, and its
// "phishing" counts for more the surer it is, within orgMaxSay; its
// "safe" never counts for more than the catalogue's weight. A team that
// only ever marked mail safe is heard as after one decision.
func TestOrgModelInformedSay(t *testing.T) {
	m := informedModel(t, false, nil, nil)
	shift := m.minShift()
	if want := math.Sqrt(orgInformed / m.informed()); shift >= orgMinShift || math.Abs(shift-max(want,
		orgMinShiftInformed)) > 1e-12 {
		t.Fatalf("informed by %v examples a side: shift %v", m.informed(), shift)
	}
	files, _ := filepath.Glob("testdata/eval/*/*.eml")
	smaller, graded := 0, 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := analyse(raw, Options{})
		if err != nil {
			t.Fatal(err)
		}
		d := m.delta(a.example(a.modelSignals()))
		r, _ := Analyze(raw, Options{Org: m})
		for _, s := range r.Signals {
			switch {
			case s.ID == "org-like-safe" && s.Weight != catalogue[s.ID].weight:
				t.Errorf("%s: org-like-safe weighs %d", f, s.Weight)
			case s.ID == "org-like-phish":
				if want := int(math.Round(35 * min(d/shift, 1+(orgMaxSay-1)*(1-orgInformed/m.informed())))); s.Weight != want ||
					s.Weight < 35 || float64(s.Weight) > 35*orgMaxSay {
					t.Errorf("%s: org-like-phish weighs %d for a shift of %.2f, want %d", f, s.Weight, d, want)
				}
				if s.Weight > 35 {
					graded++
				}
			}
			if strings.HasPrefix(s.ID, "org-") && math.Abs(d) < orgMinShift {
				smaller++
			}
		}
	}
	if smaller == 0 || graded == 0 {
		t.Errorf("of %d messages, %d heard on a shift under %v, %d weighed over 35", len(files), smaller, orgMinShift,
			graded)
	}
	if one := informedModel(t, true, nil, nil); one.Phish != 0 || one.minShift() != orgMinShift || one.phishSay(5) != 1 {
		t.Errorf("a team that only marked %d emails safe: shift %v, say %v", one.Safe, one.minShift(), one.phishSay(5))
	}
}

// withExe is a statement whose attachment is a program.
func withExe(n string) []byte {
	s := string(statement(n, "sam"))
	head, body, _ := strings.Cut(s, "\n\n")
	return []byte(head + "\nContent-Type: multipart/mixed; boundary=\"z\"\n\n--z\nContent-Type: text/plain\n\n" + body +
		"\n--z\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"statement-" + n +
		".exe\"\nContent-Transfer-Encoding: base64\n\n" + base64.StdEncoding.EncodeToString([]byte("MZ\x90\x00")) +
		"\n--z--\n")
}

// TestOrgModelSafeMarkBounded: when a well-informed team once marks a
// phishing email safe, the next of its campaign loses no more than one
// decision's worth (org-like-safe's −30), and one carrying a program
// keeps the floor of a critical signal.
func TestOrgModelSafeMarkBounded(t *testing.T) {
	marked := []*Example{mustExample(t, statement("4471", "alex")), mustExample(t, withExe("4471"))}
	m := informedModel(t, false, marked, []bool{false, false})
	if m.minShift() >= orgMinShift {
		t.Fatalf("the test needs a well-informed model; shift %v", m.minShift())
	}
	for i, raw := range [][]byte{statement("4502", "sam"), withExe("4502")} {
		before, _ := Analyze(raw, Options{})
		after, err := Analyze(raw, Options{Org: m})
		if err != nil {
			t.Fatal(err)
		}
		s, exe := signal(after, "org-like-safe"), signal(after, "executable-attachment") != nil
		if s == nil || s.Weight != catalogue["org-like-safe"].weight || exe != (i == 1) {
			t.Fatalf("message %d: signals %v", i, after.Signals)
		}
		if want := max(before.Score+s.Weight, 0); !exe && after.Score != want || exe && (after.Score < 50 ||
			after.Verdict == VerdictClean) {
			t.Errorf("message %d: %s %d before, %s %d after: %v", i, before.Verdict, before.Score, after.Verdict,
				after.Score, after.Signals)
		}
	}
}
