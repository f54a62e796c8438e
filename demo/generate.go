package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/tone"
)

// Options shape the generated cases.
type Options struct {
	Cases int           // how many cases
	Span  time.Duration // spread over this long before Now
	Now   time.Time
	Seed  uint64
	// Progress, when set, is called after each batch.
	Progress func(done, total int)
	// Indexing, when set, is called once every case is in and a large load
	// starts rebuilding the indexes, which takes a while.
	Indexing func()
}

// batchSize is how many cases go in one import transaction.
const batchSize = 20000

// EnsureAccounts creates any demo account that does not exist yet and
// returns every demo user in the order of Accounts.
func EnsureAccounts(ctx context.Context, db *store.DB) ([]*ally.User, error) {
	users := make([]*ally.User, len(Accounts))
	var missing []*ally.NewUser
	var at []int
	for i, a := range Accounts {
		u, err := db.FindUserByEmail(ctx, a.Email)
		switch {
		case ally.ErrorCode(err) == ally.ENOTFOUND:
			missing = append(missing, &ally.NewUser{Email: a.Email, Name: a.Name, Role: a.Role,
				Department: a.Department, Password: Password})
			at = append(at, i)
		case err != nil:
			return nil, err
		default:
			users[i] = u
		}
	}
	created, err := db.CreateUsers(ctx, missing)
	if err != nil {
		return nil, err
	}
	for k, u := range created {
		users[at[k]] = u
	}
	return users, nil
}

// Load creates the demo accounts (if missing) and o.Cases cases.
func Load(ctx context.Context, db *store.DB, o Options) error {
	users, err := EnsureAccounts(ctx, db)
	if err != nil {
		return err
	}
	g := newGenerator(users, o)
	load := func() error {
		// Generate the next batch while the database writes this one.
		batches := make(chan []store.ImportCase, 1)
		go func() {
			defer close(batches)
			for done := 0; done < o.Cases; done += batchSize {
				batches <- g.batch(min(batchSize, o.Cases-done), done, o.Cases)
			}
		}()
		done := 0
		for b := range batches {
			if err := db.ImportCases(ctx, b); err != nil {
				for range batches { // let the generator finish
				}
				return fmt.Errorf("loading demo cases: %w", err)
			}
			done += len(b)
			if o.Progress != nil {
				o.Progress(done, o.Cases)
			}
		}
		return nil
	}
	if o.Cases >= bulkThreshold {
		return db.BulkLoad(ctx, func() error {
			err := load()
			if err == nil && o.Indexing != nil {
				o.Indexing()
			}
			return err
		})
	}
	return load()
}

// bulkThreshold is the load size from which indexes are rebuilt once at the
// end rather than updated row by row.
const bulkThreshold = 50000

type generator struct {
	o          Options
	rng        *rand.Rand
	reporters  []*ally.User
	responders []*ally.User
	weights    int
	tones      map[string]*tone.Result
}

func newGenerator(users []*ally.User, o Options) *generator {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Span == 0 {
		o.Span = 90 * 24 * time.Hour
	}
	g := &generator{o: o, rng: rand.New(rand.NewPCG(o.Seed, 42)), tones: map[string]*tone.Result{}}
	for _, u := range users {
		if u.Role == ally.RoleReporter {
			g.reporters = append(g.reporters, u)
		} else if u.Role == ally.RoleResponder || u.Role == ally.RoleLead {
			g.responders = append(g.responders, u)
		}
	}
	for _, s := range stories {
		g.weights += s.weight
	}
	return g
}

func (g *generator) pick(n int) int { return g.rng.IntN(n) }

func (g *generator) story() *story {
	w := g.pick(g.weights)
	for i := range stories {
		if w -= stories[i].weight; w < 0 {
			return &stories[i]
		}
	}
	return &stories[0]
}

// blaming is the occasional message the tone engine should catch, so the
// demo's tone figures are not all perfect.
const blaming = "Why did you click that link? You should have known better after the training."

// toneOf checks a text once and reuses the result (bulk loads repeat texts).
func (g *generator) toneOf(text string) *tone.Result {
	if r, ok := g.tones[text]; ok {
		return r
	}
	r := tone.Default().Check(text, tone.AudienceReporter)
	g.tones[text] = &r
	return &r
}

// batch generates n cases; i is the index of the first in the whole run,
// used to spread reporting times evenly from oldest to newest.
func (g *generator) batch(n, first, total int) []store.ImportCase {
	out := make([]store.ImportCase, n)
	for k := range out {
		age := time.Duration(float64(g.o.Span) * float64(total-first-k) / float64(total))
		out[k] = g.one(g.o.Now.Add(-age).Add(-time.Duration(g.pick(600)) * time.Second))
	}
	return out
}

func (g *generator) one(reported time.Time) store.ImportCase {
	s := g.story()
	rep := g.reporters[g.pick(len(g.reporters))]
	resp := g.responders[g.pick(len(g.responders))]
	reported = reported.UTC().Truncate(time.Millisecond)
	c := ally.Case{Kind: s.kind, Summary: s.summary[g.pick(len(s.summary))], Details: s.details[g.pick(len(s.details))],
		Status: ally.StatusNew, Severity: ally.Severities[g.pick(3)], Department: rep.Department, ReporterID: rep.ID,
		ReportedAt: reported, UpdatedAt: reported, Answers: map[string]string{}}
	if s.answers != nil {
		for k, v := range s.answers[g.pick(len(s.answers))] {
			c.Answers[k] = v
		}
	}
	if c.Kind.SelfReported() && c.Kind != ally.KindLostDevice {
		c.Answers["under_pressure"] = []string{"yes", "yes", "no", "no", "not sure"}[g.pick(5)]
	}
	if c.Kind == ally.KindEnteredCredentials || c.Answers["typed_password"] == "yes" || c.Answers["approved"] == "yes" {
		c.Severity = ally.SeverityHigh
	}
	c.Confidential = c.Kind == ally.KindMisdirectedData && g.pick(3) == 0
	delay := time.Duration(2+g.pick(90)) * time.Minute
	if g.pick(10) == 0 {
		delay = time.Duration(24+g.pick(72)) * time.Hour // waited to report
	}
	occurred := reported.Add(-delay)
	c.OccurredAt = &occurred
	ic := store.ImportCase{}
	add := func(typ ally.EntryType, author int64, body string, internal bool, at time.Time, t *tone.Result) {
		ic.Entries = append(ic.Entries, ally.Entry{Type: typ, Body: body, Internal: internal, CreatedAt: at, Tone: t})
		ic.AuthorID = append(ic.AuthorID, author)
	}
	add(ally.EntrySystem, 0, "Reported by "+rep.Name+".", false, reported, nil)
	now := g.o.Now
	steps := []struct {
		st    ally.Status
		after time.Duration
	}{
		{ally.StatusAcknowledged, time.Duration(1+g.pick(40)) * time.Minute},
		{ally.StatusInvestigating, time.Duration(5+g.pick(60)) * time.Minute},
		{ally.StatusContained, time.Duration(10+g.pick(240)) * time.Minute},
		{ally.StatusResolved, time.Duration(1+g.pick(30)) * time.Hour},
		{ally.StatusClosed, time.Duration(1+g.pick(72)) * time.Hour},
	}
	at := reported
	for _, step := range steps {
		next := at.Add(step.after)
		if next.After(now) || (now.Sub(reported) < 48*time.Hour && g.pick(4) == 0) {
			break
		}
		at = next
		if step.st == ally.StatusAcknowledged {
			c.AssigneeID = resp.ID
			body := fmt.Sprintf(replies[g.pick(len(replies))], rep.FirstName())
			if g.pick(20) == 0 {
				body = blaming
			}
			add(ally.EntryMessage, resp.ID, body, false, at, g.toneOf(body))
			add(ally.EntryNote, resp.ID, notes[g.pick(len(notes))], true, at.Add(time.Minute), nil)
		}
		_ = c.SetStatus(step.st, at)
		if step.st == ally.StatusResolved {
			add(ally.EntryMessage, rep.ID, reporterReplies[g.pick(len(reporterReplies))], false, at.Add(-time.Minute), nil)
			if g.pick(10) < 7 {
				ic.Feedback = &ally.Feedback{Rating: []int{5, 5, 5, 4, 4, 3, 2}[g.pick(7)],
					Comment: comments[g.pick(len(comments))], CreatedAt: at}
			}
		}
	}
	c.UpdatedAt = at
	ic.Case = c
	return ic
}
