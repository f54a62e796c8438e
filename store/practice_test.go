package store_test

import (
	"encoding/json"
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
