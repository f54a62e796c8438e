package webhook_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

var linkRE = regexp.MustCompile(`/signals/(\d+)/([A-Za-z0-9_-]+)`)

// TestSignalsEndToEnd is issue 15's "done when": a new-country sign-in
// asks the person in the app and by email; "yes" closes it and silences the
// repeat; "no" and a timeout each open a case with first aid and tell the
// responders by a signed webhook and by chat, while both receivers fail
// part of the way; nothing is lost.
func TestSignalsEndToEnd(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			c := &clock{t: time.Now().Truncate(time.Millisecond)}
			db := storetest.Open(t, e, store.Options{Now: c.now, Mail: mailtext.Default(),
				PublicURL: "https://ally.test"})
			w := &world{db: db, clock: c, op: ally.NewOperatorContext(context.Background())}
			signalsEndToEnd(t, w)
		})
	}
}

func signalsEndToEnd(t *testing.T, w *world) {
	sam, err := w.db.CreateUser(w.op, &ally.NewUser{Email: "sam@example.org", Name: "Sam Lee",
		Role: ally.RoleReporter, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := w.db.IssueIntegrationToken(w.op, "okta", 0)
	if err != nil {
		t.Fatal(err)
	}
	okta, err := w.db.FindUserByToken(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	flaky := newReceiver(t, "", func(n int) int {
		if n <= 2 {
			return 503
		}
		return 200
	})
	hook := w.hook(t, flaky.URL, ally.EventSignalEscalated)
	flaky.secrets = []string{hook.Secret}
	var mu sync.Mutex
	var lines []string
	tries := 0
	chat := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if tries++; tries == 1 {
			rw.WriteHeader(http.StatusInternalServerError)
			return
		}
		var m struct{ Text string }
		_ = json.NewDecoder(r.Body).Decode(&m)
		lines = append(lines, m.Text)
	}))
	defer chat.Close()
	if _, err := w.db.CreateWebhook(w.op, &ally.NewWebhook{URL: chat.URL, Format: ally.FormatSlack,
		Events: []string{ally.EventSignalEscalated}}); err != nil {
		t.Fatal(err)
	}
	as := ally.NewContextWithUser(context.Background(), okta)
	lisbon := &ally.NewSignal{Source: "okta", Type: "new_place_sign_in", SubjectEmail: sam.Email,
		Summary: "a sign-in to your account from Lisbon"}

	// Asked in the app and by email; "yes" closes it; the repeat is quiet.
	s1, err := w.db.SendSignal(as, lisbon)
	if err != nil {
		t.Fatal(err)
	}
	notes, err := w.db.MySignals(ally.NewContextWithUser(context.Background(), sam))
	if err != nil || len(notes) != 1 || !strings.Contains(notes[0].Question, "from Lisbon") {
		t.Fatalf("in-app: %+v, %v", notes, err)
	}
	id, token := mailedLink(t, w, s1.ID)
	if got, err := w.db.AnswerSignal(context.Background(), id, token, ally.AnswerYes); err != nil ||
		got.Status != ally.SignalConfirmed {
		t.Fatalf("yes: %+v, %v", got, err)
	}
	if again, err := w.db.SendSignal(as, lisbon); err != nil || !again.Quiet {
		t.Fatalf("repeat: %+v, %v", again, err)
	}

	// "No" to an approved sign-in prompt: a case with first aid.
	s2, err := w.db.SendSignal(as, &ally.NewSignal{Source: "okta", Type: "mfa_approved", SubjectEmail: sam.Email,
		Summary: "approved from a new phone"})
	if err != nil {
		t.Fatal(err)
	}
	id, token = mailedLink(t, w, s2.ID)
	no, err := w.db.AnswerSignal(context.Background(), id, token, ally.AnswerNo)
	if err != nil || no.CaseRef == "" {
		t.Fatalf("no: %+v, %v", no, err)
	}
	// No answer in time: a case too.
	s3, err := w.db.SendSignal(as, &ally.NewSignal{Source: "okta", Type: "password_changed", SubjectEmail: sam.Email,
		Summary: "from an unknown device", Timeout: 60})
	if err != nil {
		t.Fatal(err)
	}
	w.clock.advance(2 * time.Minute)
	if n, err := w.db.EscalateDue(w.op, 10); err != nil || n != 1 {
		t.Fatalf("timeout: %d, %v", n, err)
	}
	late, _ := w.db.FindSignal(as, s3.ID)
	for _, ref := range []string{no.CaseRef, late.CaseRef} {
		kase, err := w.db.FindCase(ally.NewContextWithUser(context.Background(), sam), ref)
		if err != nil || len(kase.Guidance.Steps) == 0 || kase.Severity != ally.SeverityHigh {
			t.Fatalf("case %s: %+v, %v", ref, kase, err)
		}
	}
	acks := 0
	page, _ := w.db.FindOutbox(w.op, ally.OutboxFilter{})
	for _, m := range page.Items {
		if m.Kind == mailtext.Acknowledge && m.To == sam.Email && strings.Contains(m.Body, "What you can do now") {
			acks++
		}
	}
	if acks != 2 {
		t.Fatalf("acknowledgements with first aid: %d", acks)
	}

	// Both receivers fail at first; the worker retries until all arrive.
	wk := w.worker(t, w.db)
	for range 10 {
		drain(t, wk, func() bool { return nothingDue(t, w) })
		if st, _ := w.db.WebhookStats(w.op); st.Queued == 0 {
			break
		}
		w.clock.advance(time.Hour)
	}
	if flaky.got() != 2 {
		t.Fatalf("webhook receiver got %d of 2", flaky.got())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != 2 || !strings.Contains(strings.Join(lines, "\n"), no.CaseRef) ||
		!strings.Contains(strings.Join(lines, "\n"), late.CaseRef) {
		t.Fatalf("chat lines %q", lines)
	}
	for _, b := range flaky.bodies {
		var ev struct {
			Type string
			Data map[string]any
		}
		if err := json.Unmarshal(b, &ev); err != nil || ev.Type != ally.EventSignalEscalated ||
			ev.Data["severity"] != "high" {
			t.Fatalf("webhook body %s", b)
		}
	}
}

// nothingDue reports whether every queued delivery waits for a later
// attempt: the worker has done all it can until the clock moves.
func nothingDue(t *testing.T, w *world) bool {
	hooks, err := w.db.FindWebhooks(w.op)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hooks {
		for _, d := range deliveries(t, w, h) {
			if d.Status == ally.DeliveryQueued && (d.NextAt == nil || !d.NextAt.After(w.clock.now())) {
				return false
			}
		}
	}
	return true
}

// mailedLink is the answer link mailed for signal id.
func mailedLink(t *testing.T, w *world, id int64) (int64, string) {
	t.Helper()
	page, err := w.db.FindOutbox(w.op, ally.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range page.Items {
		if l := linkRE.FindStringSubmatch(m.Body); m.Kind == mailtext.SignalAsk && l != nil &&
			l[1] == strconv.FormatInt(id, 10) {
			return id, l[2]
		}
	}
	t.Fatalf("no question mailed for signal %d", id)
	return 0, ""
}
