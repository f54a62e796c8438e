package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/allydesk/ally"
)

// handlerFunc is an HTTP handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// wrap makes h an http.Handler whose errors are logged and rendered (JSON
// under /api/, an HTML page elsewhere) and whose panics are recovered.
func (s *Server) wrap(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := r.Context().Value(routeKey{}).(*string); ok {
			*p = r.Pattern
		}
		defer func() {
			if p := recover(); p != nil {
				s.fail(w, r, fmt.Errorf("panic: %v\n%s", p, debug.Stack()))
			}
		}()
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// fail logs err (with detail when internal) and renders it for the client
// without internal detail.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := ally.ErrorCode(err)
	attrs := []any{slog.String("request_id", requestID(r.Context())), slog.String("method", r.Method),
		slog.String("path", r.URL.Path), slog.String("code", code)}
	switch {
	case code == ally.EINTERNAL:
		s.Log.Error("request failed", append(attrs, slog.String("error", err.Error()))...)
	case errors.Is(err, ally.ErrReadOnly): // waiting will not help: no Retry-After
		s.Log.Error("database read-only", append(attrs, slog.String("error", err.Error()))...)
	case code == ally.EUNAVAILABLE:
		s.Log.Warn("database unavailable", append(attrs, slog.String("error", err.Error()))...)
		w.Header().Set("Retry-After", "5")
	case sendsToSignIn(r, code):
		s.Log.Debug("sent to the sign-in page", attrs...)
	default:
		s.Log.Info("request refused", append(attrs, slog.String("message", ally.ErrorMessage(err)))...)
	}
	if wantsJSON(r) {
		writeJSON(w, statusFor(code), errorBody{Error: errorDetail{Code: code, Message: ally.ErrorMessage(err)}})
		return
	}
	s.renderError(w, r, statusFor(code), ally.ErrorMessage(err))
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// sendsToSignIn reports whether an error with code is answered with a
// redirect to the sign-in page: the normal way in, not a refusal.
func sendsToSignIn(r *http.Request, code string) bool {
	return code == ally.EUNAUTHORIZED && r.Method == http.MethodGet && !wantsJSON(r)
}

func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/readyz" || r.URL.Path == "/healthz" ||
		r.URL.Path == "/metrics"
}
