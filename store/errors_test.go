package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// TestErrorsNameTheirOperation checks that a store error says where it came
// from, once, and that the domain code and the user's message read through
// the wrapping unchanged.
func TestErrorsNameTheirOperation(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ref := ally.CaseRef(999999)
		_, err := f.db.FindCase(f.as(f.alice), ref)
		if !strings.HasPrefix(err.Error(), "store: find case: ") || ally.ErrorCode(err) != ally.ENOTFOUND ||
			ally.ErrorMessage(err) != "No case "+ref+" was found, or it is not shared with you." {
			t.Fatalf("find case: %v (code %q, message %q)", err, ally.ErrorCode(err), ally.ErrorMessage(err))
		}

		// CreateUser goes through the same work as CreateUsers, yet is named once.
		_, err = f.db.CreateUser(ally.NewOperatorContext(context.Background()), &ally.NewUser{Email: f.alice.Email,
			Name: "Again", Role: ally.RoleReporter, Password: "long enough password"})
		if !strings.HasPrefix(err.Error(), "store: create user: ") || strings.Count(err.Error(), "store:") != 1 ||
			ally.ErrorCode(err) != ally.ECONFLICT {
			t.Fatalf("create user: %v", err)
		}

		// An error that is not a domain error stays internal, and still named.
		ctx, cancel := context.WithCancel(f.as(f.lead))
		cancel()
		_, err = f.db.FindCases(ctx, ally.CaseFilter{})
		if !strings.HasPrefix(err.Error(), "store: find cases: ") || !errors.Is(err, context.Canceled) ||
			ally.ErrorCode(err) != ally.EINTERNAL || ally.ErrorMessage(err) != "internal error" {
			t.Fatalf("find cases, cancelled: %v", err)
		}
	})
}
