package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// httpMetrics are the server's Prometheus collectors, in their own registry
// so that several servers (as in tests) do not collide.
type httpMetrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	handler  http.Handler // serves the registry in Prometheus' text format
}

func newHTTPMetrics() *httpMetrics {
	m := &httpMetrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ally_http_requests_total", Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ally_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	m.registry.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	return m
}

func (m *httpMetrics) observe(route string, code int, took time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.duration.WithLabelValues(route).Observe(took.Seconds())
}

// registerCollectors adds the figures of the server's services to its
// /metrics: cases, and the outbox, webhooks and signals when it has them.
func (s *Server) registerCollectors() {
	if s.Services.Metrics != nil {
		s.metrics.registry.MustRegister(&caseCollector{src: s.Services.Metrics})
	}
	if s.Outbox != nil {
		s.metrics.registry.MustRegister(&outboxCollector{src: s.Outbox, now: time.Now})
	}
	if s.Webhooks != nil {
		s.metrics.registry.MustRegister(&webhookCollector{src: s.Webhooks, now: time.Now})
	}
	if s.Signals != nil {
		s.metrics.registry.MustRegister(&signalCollector{src: s.Signals})
	}
}

// Register adds further collectors (such as the case metrics) to the
// server's /metrics.
func (s *Server) Register(c ...prometheus.Collector) {
	s.metrics.registry.MustRegister(c...)
}
