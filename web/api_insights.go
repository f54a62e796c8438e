package web

import (
	"net/http"

	"github.com/allydesk/ally"
)

func (s *Server) apiMetrics(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	f, err := metricsFilter(r)
	if err != nil {
		return err
	}
	m, err := s.Metrics.Metrics(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// metricsFilter reads from, to (RFC 3339 or a date), department and kind.
func metricsFilter(r *http.Request) (ally.MetricsFilter, error) {
	q := r.URL.Query()
	f := ally.MetricsFilter{Department: q.Get("department"), Kind: ally.Kind(q.Get("kind"))}
	var err error
	if f.From, err = ally.ParseTimeParam("from", q.Get("from")); err != nil {
		return f, err
	}
	f.To, err = ally.ParseTimeParam("to", q.Get("to"))
	return f, err
}

func (s *Server) apiInsights(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	f, err := metricsFilter(r)
	if err != nil {
		return err
	}
	in, err := s.Insights.Insights(r.Context(), f.From, f.To)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}

func (s *Server) apiLessons(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	return idPage(w, r, func(before int64, n int) ([]*ally.Lesson, error) {
		return s.Insights.Lessons(r.Context(), before, n)
	}, func(l *ally.Lesson) int64 { return l.ID })
}

func (s *Server) apiPublishLesson(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	var n ally.NewLesson
	if err := decodeJSON(w, r, &n); err != nil {
		return err
	}
	l, err := s.Insights.PublishLesson(r.Context(), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, l)
	return nil
}
