package practice_test

import (
	"context"
	"strings"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/practice"
	"github.com/allydesk/ally/roleplay"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// TestSayAndStop plays sessions through the service on a real store: bad
// replies keep nothing, only the trainee plays (a lead reads), the end is scored, and an
// ended session takes no more turns.
func TestSayAndStop(t *testing.T) {
	db := storetest.Open(t, "sqlite", store.Options{})
	as := func(email string, role ally.Role) context.Context {
		u, err := db.CreateUser(ally.NewOperatorContext(context.Background()), &ally.NewUser{Email: email, Name: email, Role: role,
			Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		return ally.NewContextWithUser(context.Background(), u)
	}
	trainee, other := as("sam@example.org", ally.RoleResponder), as("omar@example.org", ally.RoleResponder)
	reporter, lead := as("rita@example.org", ally.RoleReporter), as("lee@example.org", ally.RoleLead)
	svc := &practice.Service{Store: db, Scenarios: roleplay.Default()}
	scenario := roleplay.Default().List()[0].ID

	if _, err := svc.Start(reporter, scenario); ally.ErrorCode(err) != ally.EFORBIDDEN {
		t.Fatalf("reporter starts: %v, want forbidden", err)
	}
	if _, err := svc.Start(trainee, "no-such-scenario"); ally.ErrorCode(err) != ally.EINVALID {
		t.Fatalf("unknown scenario: %v, want invalid", err)
	}
	p, err := svc.Start(trainee, scenario)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		reply string
		code  string
	}{
		{"empty reply", trainee, "  \n ", ally.EINVALID},
		{"overlong reply", trainee, strings.Repeat("é", practice.MaxReply+1), ally.EINVALID},
		{"another responder: not theirs to see", other, "Hello, I'm here to help.", ally.ENOTFOUND},
		{"a lead may read, not play", lead, "Hello, I'm here to help.", ally.EFORBIDDEN},
		{"a reporter", reporter, "Hello", ally.EFORBIDDEN},
	} {
		if _, err := svc.Say(tc.ctx, p.ID, tc.reply); ally.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if got, _ := db.FindPractice(trainee, p.ID); got.Turns != 0 {
		t.Fatalf("refused replies were kept: %d turns", got.Turns)
	}
	p, err = svc.Say(trainee, p.ID, "  Thank you for calling. You did the right thing telling us.  ")
	if err != nil || p.Turns != 1 || p.Ended != "" || p.Overall != nil {
		t.Fatalf("first turn: %v %+v", err, p)
	}
	if _, sess, _ := svc.Resume(trainee, p.ID); sess.Turns[0].Trainee != "Thank you for calling. You did the right thing telling us." {
		t.Errorf("reply not trimmed: %q", sess.Turns[0].Trainee)
	}
	if _, err := svc.Stop(lead, p.ID); ally.ErrorCode(err) != ally.EFORBIDDEN {
		t.Errorf("someone else stops: %v", err)
	}
	p, err = svc.Stop(trainee, p.ID)
	if err != nil || p.Ended != string(roleplay.EndStopped) || p.Overall == nil {
		t.Fatalf("stop: %v %+v", err, p)
	}
	if kept, _ := db.FindPractice(trainee, p.ID); kept.Ended != p.Ended || kept.Overall == nil || *kept.Overall != *p.Overall {
		t.Errorf("stop not kept: %+v", kept)
	}
	if _, err := svc.Say(trainee, p.ID, "One more thing"); ally.ErrorCode(err) != ally.ECONFLICT {
		t.Errorf("say after the end: %v, want conflict", err)
	}
	if _, err := svc.Stop(trainee, p.ID); ally.ErrorCode(err) != ally.ECONFLICT {
		t.Errorf("stop after the end: %v, want conflict", err)
	}
}
