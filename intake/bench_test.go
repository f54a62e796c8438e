package intake_test

import (
	"context"
	"fmt"
	"net/smtp"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/intake"
	"github.com/allydesk/ally/mailtext"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/store/storetest"
)

// BenchmarkSMTPIntake measures reports end to end: received over SMTP by
// the listener, parsed, the reported email analysed, the case, attachment,
// campaign and deduplication row durably stored with the acknowledgement
// queued in the outbox, and 250 sent back. Eight
// relay connections send at once, each reusing its connection.
func BenchmarkSMTPIntake(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			reported, err := os.ReadFile("../demo/emails/parcel.eml")
			if err != nil {
				b.Fatal(err)
			}
			r := newRigWith(b, engine, store.Options{Mail: mailtext.Default(), PublicURL: "https://ally.test"})
			addr := r.listen(b, intake.SMTPConfig{})
			const conns = 8
			var next atomic.Int64
			var wg sync.WaitGroup
			errs := make(chan error, conns)
			b.ResetTimer()
			for range conns {
				wg.Go(func() {
					c, err := smtp.Dial(addr)
					if err != nil {
						errs <- err
						return
					}
					defer c.Close()
					for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
						msg := report("sam@example.org", fmt.Sprintf("bench-%d@example.org", i), string(reported))
						if err := sendOn(c, msg); err != nil {
							errs <- err
							return
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			close(errs)
			for err := range errs {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
			if s, err := r.db.OutboxStats(ally.NewOperatorContext(context.Background())); err != nil || s.Queued != b.N {
				b.Fatalf("%d acknowledgements queued for %d reports (%v)", s.Queued, b.N, err)
			}
			if n := len(r.cases(b)); n != min(b.N, 200) { // the lead's first page holds at most 200
				b.Fatalf("%d cases for %d reports", n, b.N)
			}
		})
	}
}

// sendOn sends one message on an open SMTP connection.
func sendOn(c *smtp.Client, msg string) error {
	if err := c.Mail("sam@example.org"); err != nil {
		return err
	}
	if err := c.Rcpt("report@example.org"); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(strings.ReplaceAll(msg, "\r\n", "\n"))); err != nil {
		return err
	}
	return w.Close()
}
