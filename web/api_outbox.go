package web

import (
	"net/http"
	"time"

	"github.com/allydesk/ally"
	"github.com/prometheus/client_golang/prometheus"
)

// apiOutbox lists outgoing mail, newest first, with the totals (admins).
func (s *Server) apiOutbox(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	if s.Outbox == nil {
		return ally.Errorf(ally.ENOTFOUND,
			"Mail is off on this server; start ally serve with --report-address to turn it on.")
	}
	q := r.URL.Query()
	f := ally.OutboxFilter{Status: q.Get("status"), Cursor: q.Get("cursor")}
	var err error
	if f.Limit, err = listLimit(r, ally.MaxLimit); err != nil {
		return err
	}
	page, err := s.Outbox.FindOutbox(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// outboxCollector reports the outbox's backlog on each scrape.
type outboxCollector struct {
	src ally.OutboxService
	now func() time.Time
}

var (
	outboxDesc = prometheus.NewDesc("ally_outbox_messages",
		"Outgoing mail in the outbox, by status (queued, sent, failed).", []string{"status"}, nil)
	outboxAgeDesc = prometheus.NewDesc("ally_outbox_oldest_queued_age_seconds",
		"Age of the oldest queued message; 0 when nothing is queued.", nil, nil)
)

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxDesc
	ch <- outboxAgeDesc
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := scrapeContext()
	defer cancel()
	s, err := c.src.OutboxStats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxDesc, err)
		return
	}
	for status, n := range map[string]int{ally.MailQueued: s.Queued, ally.MailSent: s.Sent, ally.MailFailed: s.Failed} {
		ch <- prometheus.MustNewConstMetric(outboxDesc, prometheus.GaugeValue, float64(n), status)
	}
	age := 0.0
	if s.OldestQueued != nil {
		age = c.now().Sub(*s.OldestQueued).Seconds()
	}
	ch <- prometheus.MustNewConstMetric(outboxAgeDesc, prometheus.GaugeValue, age)
}
