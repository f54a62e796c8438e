package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/allydesk/ally"
)

// Live updates (Server-Sent Events): how often a quiet stream says it is
// alive (so that proxies and browsers keep it open), and how long one
// stream lasts before the browser reconnects, signing in afresh.
const (
	liveHeartbeat = 15 * time.Second
	liveLifetime  = 5 * time.Minute
)

// pageEvents streams "case" events about the cases the user may see: each
// only a reference and whether it is new or changed, so the page reads the
// case itself with the user's permissions. It works behind a plain reverse
// proxy: no buffering (X-Accel-Buffering: no), a heartbeat comment while
// quiet, and EventSource's own reconnection.
func (s *Server) pageEvents(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	if s.Live == nil {
		return ally.Errorf(ally.ENOTFOUND, "Live updates are off on this server; reload the page to see changes.")
	}
	ctx, cancel := context.WithTimeout(r.Context(), liveLifetime)
	defer cancel()
	events, err := s.Live.Subscribe(ctx)
	if err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	beat := s.heartbeat
	if beat <= 0 {
		beat = liveHeartbeat
	}
	send := func(format string, args ...any) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(2 * beat)) // longer than the server's write timeout allows
		_, err := fmt.Fprintf(w, format, args...)
		return err == nil && rc.Flush() == nil
	}
	if !send("retry: 3000\n: connected\n\n") {
		return nil
	}
	tick := time.NewTicker(beat)
	defer tick.Stop()
	for {
		ok := true
		select {
		case <-ctx.Done():
			return nil
		case <-s.streamsClosed:
			return nil // the browser reconnects (retry), to an instance still serving
		case ev := <-events:
			b, _ := json.Marshal(ev)
			ok = send("event: case\ndata: %s\n\n", b)
		case <-tick.C:
			ok = send(": heartbeat\n\n")
		}
		if !ok {
			return nil
		}
	}
}

// CloseStreams ends every live-update stream, now and from now on: the
// browsers reconnect after the retry delay, to another instance or to this
// one once it is back. A server that is shutting down calls it
// (http.Server.RegisterOnShutdown), so that it need not wait for streams
// that would otherwise stay open for liveLifetime.
func (s *Server) CloseStreams() { s.closeStreams.Do(func() { close(s.streamsClosed) }) }
