package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"
)

// streamer holds every request open until CloseStreams, as an event
// stream does.
type streamer struct{ closed chan struct{} }

func (s *streamer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusOK)
	w.(http.Flusher).Flush()
	<-s.closed
}

func (s *streamer) CloseStreams() { close(s.closed) }

// An open event stream does not hold a shutdown for serveShutdown: the
// handler is told to close its streams when the shutdown starts, and the
// stop is clean (no "context deadline exceeded").
func TestShutdownClosesStreams(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serveUntilDone(ctx, ln, &streamer{closed: make(chan struct{})}, slog.New(slog.DiscardHandler), 0)
	}()
	res, err := http.Get("http://" + ln.Addr().String() + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("stopping with a stream open: %v", err)
		}
	case <-time.After(serveShutdown - time.Second):
		t.Fatal("the shutdown waited for the open stream")
	}
	_, _ = io.Copy(io.Discard, res.Body)
}
