package store_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/allydesk/ally"
)

func TestPractice(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		p := &ally.Practice{Scenario: "parcel-new-hire", Title: "A new hire", Session: json.RawMessage(`{"turns":[]}`)}
		err := f.db.StartPractice(f.as(f.alice), p)
		wantCode(t, err, ally.EFORBIDDEN)
		if err := f.db.StartPractice(f.as(f.resp), p); err != nil || p.ID == 0 {
			t.Fatal(p, err)
		}
		_, err = f.db.FindPractice(f.as(f.resp2), p.ID)
		wantCode(t, err, ally.ENOTFOUND)
		if got, err := f.db.FindPractice(f.as(f.lead), p.ID); err != nil || got.Trainee.Email != "rita@example.org" {
			t.Fatal(got, err)
		}
		score := 81
		p.Turns, p.Ended, p.Overall, p.Session = 3, "goals_met", &score, json.RawMessage(`{"turns":[1,2,3]}`)
		err = f.db.SavePractice(f.as(f.resp2), p)
		wantCode(t, err, ally.ENOTFOUND)
		if err := f.db.SavePractice(f.as(f.resp), p); err != nil {
			t.Fatal(err)
		}
		err = f.db.SavePractice(f.as(f.resp), p)
		wantCode(t, err, ally.ECONFLICT) // ended sessions are final
		got, _ := f.db.FindPractice(f.as(f.resp), p.ID)
		if got.Turns != 3 || *got.Overall != 81 || string(got.Session) != `{"turns":[1,2,3]}` {
			t.Fatalf("saved = %+v", got)
		}
		mine, _ := f.db.FindPractices(f.as(f.resp), false, 0, 10)
		others, _ := f.db.FindPractices(f.as(f.resp2), false, 0, 10)
		all, err := f.db.FindPractices(f.as(f.lead), true, 0, 10)
		if len(mine) != 1 || len(others) != 0 || err != nil || len(all) != 1 {
			t.Fatalf("mine %d others %d all %d %v", len(mine), len(others), len(all), err)
		}
		_, err = f.db.FindPractices(f.as(f.resp), true, 0, 10)
		wantCode(t, err, ally.EFORBIDDEN)
	})
}

// practise records a session for u, ended with score when it is not nil.
func practise(t *testing.T, f *fixture, u *ally.User, score *int) *ally.Practice {
	t.Helper()
	p := &ally.Practice{Scenario: "parcel-new-hire", Title: "A new hire", Session: json.RawMessage(`{"turns":[]}`)}
	if err := f.db.StartPractice(f.as(u), p); err != nil {
		t.Fatal(err)
	}
	if score != nil {
		p.Turns, p.Ended, p.Overall = 2, "stopped", score
		if err := f.db.SavePractice(f.as(u), p); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func practiceScore(n int) *int { return &n }

// Progress covers every session of every trainee, however many: the count,
// the newest ended session's score and the best; sessions still going count
// but score nothing. Only leads and admins may read it.
func TestPracticeProgress(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		if got, err := f.db.FindPracticeProgress(f.as(f.lead)); err != nil || len(got) != 0 {
			t.Fatalf("no sessions: %v, %v", got, err)
		}
		var rita []*ally.Practice
		for _, s := range []*int{practiceScore(60), practiceScore(90), practiceScore(70), nil} {
			rita = append(rita, practise(t, f, f.resp, s))
		}
		practise(t, f, f.resp2, nil) // the most recent session: Ravi comes first
		for _, u := range []*ally.User{f.lead, f.admin} {
			got, err := f.db.FindPracticeProgress(f.as(u))
			if err != nil {
				t.Fatal(err)
			}
			type row struct {
				Email                  string
				Sessions, Latest, Best int
			}
			var rows []row
			for _, p := range got {
				r := row{Email: p.Trainee.Email, Sessions: p.Sessions, Latest: -1, Best: -1}
				if p.Latest != nil {
					r.Latest = *p.Latest
				}
				if p.Best != nil {
					r.Best = *p.Best
				}
				if p.Trainee.Name == "" || p.TraineeID == 0 {
					t.Errorf("progress row without its trainee: %+v", p)
				}
				rows = append(rows, r)
			}
			want := []row{{"ravi@example.org", 1, -1, -1}, {"rita@example.org", 4, 70, 90}}
			if !reflect.DeepEqual(rows, want) {
				t.Errorf("%s sees progress %+v, want %+v", u.Email, rows, want)
			}
		}
		for _, u := range []*ally.User{f.resp, f.alice} {
			_, err := f.db.FindPracticeProgress(f.as(u))
			wantCode(t, err, ally.EFORBIDDEN)
		}
		_, err := f.db.FindPracticeProgress(context.Background())
		wantCode(t, err, ally.EUNAUTHORIZED)

		// The lists page by id: each page starts below the last one's cursor.
		first, err := f.db.FindPractices(f.as(f.resp), false, 0, 3)
		if err != nil || len(first) != 3 || first[0].ID != rita[3].ID || first[2].ID != rita[1].ID {
			t.Fatalf("first page %v, %v", first, err)
		}
		rest, err := f.db.FindPractices(f.as(f.resp), false, first[2].ID, 3)
		if err != nil || len(rest) != 1 || rest[0].ID != rita[0].ID {
			t.Fatalf("second page %v, %v", rest, err)
		}
	})
}
