package store_test

import (
	"context"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// BenchmarkCreateCase reports a clicked link (its playbook gives the case
// eight tasks) on each engine: the report's own write path, one durable
// commit each.
func BenchmarkCreateCase(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			db := storetest.Open(b, engine, store.Options{})
			op := ally.NewOperatorContext(context.Background())
			u, err := db.CreateUser(op, &ally.NewUser{Email: "rita@example.org", Name: "Rita Reporter",
				Role: ally.RoleReporter, Password: "correct horse battery"})
			if err != nil {
				b.Fatal(err)
			}
			ctx := ally.NewContextWithUser(context.Background(), u)
			for b.Loop() {
				if _, err := db.CreateCase(ctx, &ally.NewCase{Kind: ally.KindClickedLink,
					Details: "I clicked a link in an invoice email"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
