package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/allydesk/ally"
	"github.com/prometheus/client_golang/prometheus"
)

var errSignalsOff = ally.Errorf(ally.ENOTFOUND, "Signals are not set up on this server.")

// signalType is one type as GET /api/v1/signal-types lists it.
type signalType struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Question string `json:"question"`
	Timeout  int64  `json:"timeout"` // seconds
	Severity string `json:"severity"`
	Kind     string `json:"kind"`
}

func (s *Server) apiSignalTypes(w http.ResponseWriter, _ *http.Request, _ *ally.User) error {
	out := []signalType{}
	for _, t := range s.SignalTypes.All() {
		out = append(out, signalType{ID: t.ID, Title: t.Title, Question: t.Question,
			Timeout: int64(t.TimeoutOrDefault() / time.Second), Severity: t.Severity, Kind: t.Kind})
	}
	writeList(w, out)
	return nil
}

// parseSignal reads a signal's JSON body strictly (one object, known
// fields) and checks it; it is fuzzed (FuzzParseSignal).
func parseSignal(b []byte) (*ally.NewSignal, error) {
	var n ally.NewSignal
	if err := decodeJSONBody(bytes.NewReader(b), &n); err != nil {
		return nil, err
	}
	return &n, n.Validate()
}

func (s *Server) apiSendSignal(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if s.Signals == nil {
		return errSignalsOff
	}
	if !ally.CanSendSignals(u) { // before reading the body
		return ally.Errorf(ally.EFORBIDDEN, "Only integrations send signals; make a token with: "+
			"ally token create --integration NAME")
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return ally.Errorf(ally.EUNSUPPORTED, "Send the signal as JSON with Content-Type: application/json.")
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, ally.MaxSignalBody))
	var large *http.MaxBytesError
	if errors.As(err, &large) {
		return ally.Errorf(ally.ETOOLARGE, "The signal is larger than %d KiB; send its details in short.",
			ally.MaxSignalBody>>10)
	} else if err != nil {
		return err
	}
	n, err := parseSignal(b)
	if err != nil {
		return err
	}
	sig, err := s.Signals.SendSignal(r.Context(), n)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if sig.Duplicate {
		status = http.StatusOK
	}
	writeJSON(w, status, sig)
	return nil
}

func (s *Server) apiGetSignal(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	if s.Signals == nil {
		return errSignalsOff
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sig, err := s.Signals.FindSignal(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sig)
	return nil
}

func (s *Server) apiWebhooks(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	if s.Webhooks == nil {
		return errSignalsOff
	}
	hooks, err := s.Webhooks.FindWebhooks(r.Context())
	if err != nil {
		return err
	}
	writeList(w, hooks)
	return nil
}

func (s *Server) apiCreateWebhook(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	if s.Webhooks == nil {
		return errSignalsOff
	}
	var n ally.NewWebhook
	if err := decodeJSON(w, r, &n); err != nil {
		return err
	}
	hook, err := s.Webhooks.CreateWebhook(r.Context(), &n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, hook)
	return nil
}

// webhookAction runs do on the webhook named in the path and answers with
// what it returns (nothing: 204).
func (s *Server) webhookAction(w http.ResponseWriter, r *http.Request, do func(id int64) (any, error)) error {
	if s.Webhooks == nil {
		return errSignalsOff
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	out, err := do(id)
	if err != nil {
		return err
	}
	if out == nil {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiDeleteWebhook(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	return s.webhookAction(w, r, func(id int64) (any, error) { return nil, s.Webhooks.DeleteWebhook(r.Context(), id) })
}

func (s *Server) apiEnableWebhook(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	return s.webhookAction(w, r, func(id int64) (any, error) { return s.Webhooks.EnableWebhook(r.Context(), id) })
}

func (s *Server) apiTestWebhook(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	return s.webhookAction(w, r, func(id int64) (any, error) { return s.Webhooks.TestWebhook(r.Context(), id) })
}

func (s *Server) apiRotateWebhook(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	return s.webhookAction(w, r, func(id int64) (any, error) {
		overlap := 24 * time.Hour
		if v := r.URL.Query().Get("overlap"); v != "" {
			secs, err := strconv.ParseInt(v, 10, 64)
			if err != nil || secs < 0 {
				return nil, fieldError("overlap", "must be a number of seconds, e.g. 86400 for a day.")
			}
			overlap = time.Duration(secs) * time.Second
		}
		return s.Webhooks.RotateWebhookSecret(r.Context(), id, overlap)
	})
}

func (s *Server) apiWebhookDeliveries(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	return s.webhookAction(w, r, func(id int64) (any, error) {
		before, err := beforeCursorOr(r, "before")
		if err != nil {
			return nil, err
		}
		limit, err := listLimit(r, ally.MaxLimit)
		if err != nil {
			return nil, err
		}
		ds, err := s.Webhooks.WebhookDeliveries(r.Context(), id, before, limit+1)
		if err != nil {
			return nil, err
		}
		return ally.NewPage(ds, limit, ally.IDCursor(func(d *ally.WebhookDelivery) int64 { return d.ID })), nil
	})
}

// webhookCollector reports the webhook delivery backlog on each scrape: a
// receiver that is down shows as a growing queue and age.
type webhookCollector struct {
	src ally.WebhookService
	now func() time.Time
}

var (
	webhookDesc = prometheus.NewDesc("ally_webhook_deliveries",
		"Webhook and chat deliveries, by status (queued, delivered, failed).", []string{"status"}, nil)
	webhookAgeDesc = prometheus.NewDesc("ally_webhook_oldest_queued_age_seconds",
		"Age of the oldest queued delivery; 0 when nothing is queued.", nil, nil)
)

func (c *webhookCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- webhookDesc
	ch <- webhookAgeDesc
}

func (c *webhookCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := scrapeContext()
	defer cancel()
	st, err := c.src.WebhookStats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(webhookDesc, err)
		return
	}
	for status, n := range map[string]int{ally.DeliveryQueued: st.Queued, ally.DeliveryDelivered: st.Delivered,
		ally.DeliveryFailed: st.Failed} {
		ch <- prometheus.MustNewConstMetric(webhookDesc, prometheus.GaugeValue, float64(n), status)
	}
	age := 0.0
	if st.OldestQueued != nil {
		age = c.now().Sub(*st.OldestQueued).Seconds()
	}
	ch <- prometheus.MustNewConstMetric(webhookAgeDesc, prometheus.GaugeValue, age)
}

// apiSignalStats sums up the signals of the last ?days= days (default 30).
func (s *Server) apiSignalStats(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	if s.Signals == nil {
		return errSignalsOff
	}
	days := 30
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 366 {
			return fieldError("days", "must be a whole number from 1 to 366.")
		}
		days = n
	}
	to := s.Now()
	st, err := s.Signals.SignalStats(r.Context(), to.AddDate(0, 0, -days), to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// signalCollector reports the signal figures since the start, on each
// scrape.
type signalCollector struct{ src ally.SignalService }

var (
	signalsDesc = prometheus.NewDesc("ally_signals",
		"Signals received, by outcome (received, answered, confirmed, escalated, escalations_real).",
		[]string{"outcome"}, nil)
	signalAnswerDesc = prometheus.NewDesc("ally_signal_median_answer_seconds",
		"Median time from a signal to the person's answer; 0 when nobody answered.", nil, nil)
)

func (c *signalCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- signalsDesc
	ch <- signalAnswerDesc
}

func (c *signalCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := scrapeContext()
	defer cancel()
	st, err := c.src.SignalStats(ctx, time.Unix(0, 0), time.Now().Add(time.Hour))
	if err != nil {
		ch <- prometheus.NewInvalidMetric(signalsDesc, err)
		return
	}
	for outcome, n := range map[string]int{"received": st.Received, "answered": st.Answered,
		"confirmed": st.Confirmed, "escalated": st.Escalated, "escalations_real": st.Real} {
		ch <- prometheus.MustNewConstMetric(signalsDesc, prometheus.GaugeValue, float64(n), outcome)
	}
	median := 0.0
	if st.MedianAnswerSeconds != nil {
		median = *st.MedianAnswerSeconds
	}
	ch <- prometheus.MustNewConstMetric(signalAnswerDesc, prometheus.GaugeValue, median)
}
