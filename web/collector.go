package web

import (
	"context"
	"time"

	"github.com/allydesk/ally"
	"github.com/prometheus/client_golang/prometheus"
)

// caseCollector reports the database's running case totals on each scrape,
// so every instance behind a load balancer reports the same figures.
type caseCollector struct {
	src ally.MetricsService
}

var (
	reportedDesc = prometheus.NewDesc("ally_cases_reported_total", "Cases reported, by kind.", []string{"kind"}, nil)
	ackDesc      = prometheus.NewDesc("ally_time_to_acknowledge_seconds", "Time from report to first acknowledgement.",
		nil, nil)
	mailDesc = prometheus.NewDesc("ally_mail_reports_total",
		"Messages read from the report mailbox, by outcome (case, simulation, ignored).", []string{"outcome"}, nil)
)

func (c *caseCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- reportedDesc
	ch <- ackDesc
	ch <- mailDesc
}

// scrapeContext is what a collector reads the database with: the server's
// own operator, for at most five seconds a scrape.
func scrapeContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	return ally.NewOperatorContext(ctx), cancel
}

func (c *caseCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := scrapeContext()
	defer cancel()
	counters, err := c.src.Counters(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(reportedDesc, err)
		return
	}
	for _, k := range ally.Kinds {
		ch <- prometheus.MustNewConstMetric(reportedDesc, prometheus.CounterValue, float64(counters.ReportedByKind[k]),
			string(k))
	}
	buckets := map[float64]uint64{}
	var cum uint64
	for i, bound := range ally.AckBuckets {
		cum += counters.AckBuckets[i]
		buckets[bound] = cum
	}
	for _, o := range []ally.MailOutcome{ally.MailOpened, ally.MailSimulation, ally.MailIgnored} {
		n := float64(counters.MailByOutcome[string(o)])
		ch <- prometheus.MustNewConstMetric(mailDesc, prometheus.CounterValue, n, string(o))
	}
	ch <- prometheus.MustNewConstHistogram(ackDesc, counters.AckCount, counters.AckSumSeconds, buckets)
}
