package llm

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/allydesk/ally/roleplay"
)

// fakeServer answers chat completions with reply and records the requests.
func fakeServer(t *testing.T, status int, reply string) (*httptest.Server, *[]chatRequest) {
	t.Helper()
	var got []chatRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		var req chatRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Error(err)
		}
		got = append(got, req)
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]string{"role": "assistant", "content": reply}}}})
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

func TestVoicedSession(t *testing.T) {
	srv, got := fakeServer(t, http.StatusOK, "  Oh gosh. I typed my password, at 09:14.  ")
	v, err := New(srv.URL+"/v1/", "tiny")
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := roleplay.Default().Get("parcel-link-new-hire")
	s := roleplay.Start(sc)
	s.Say("That sounds really stressful. Thank you for calling, you're not in trouble.")
	turn, err := s.SayVoiced(context.Background(), "Can you walk me through what happened after you clicked the link?", v)
	if err != nil || turn.Reply != "Oh gosh. I typed my password, at 09:14." || turn.Revealed != "typed_password" {
		t.Fatalf("turn %+v, err %v", turn, err)
	}
	if d := s.Debrief(); d.Transcript[1].Reply != turn.Reply || d.Scores.FactsGathered == 0 {
		t.Errorf("debrief does not carry the voiced reply: %+v", d.Transcript[1])
	}
	req := (*got)[0]
	sys := req.Messages[0].Content
	if req.Model != "tiny" || req.Messages[0].Role != "system" || !strings.Contains(sys, "You are Sam") ||
		!strings.Contains(sys, "tell them this in your own words") || !strings.Contains(sys, "09:14") {
		t.Errorf("system prompt %q", sys)
	}
	// Opening, first exchange, and this turn's message last.
	roles := []string{}
	for _, m := range req.Messages[1:] {
		roles = append(roles, m.Role)
	}
	if strings.Join(roles, ",") != "assistant,user,assistant,user" || !strings.HasPrefix(req.Messages[4].Content, "Can you walk me") {
		t.Errorf("history roles %v", roles)
	}
	// Hidden facts never reach the model.
	for _, m := range req.Messages {
		if strings.Contains(m.Content, "Jo on my team") {
			t.Errorf("an untold fact reached the model: %q", m.Content)
		}
	}
}

func TestVoiceFailureKeepsEngineLine(t *testing.T) {
	srv, _ := fakeServer(t, http.StatusInternalServerError, "nope")
	v, _ := New(srv.URL+"/v1", "tiny")
	sc, _ := roleplay.Default().Get("lost-laptop-train")
	s := roleplay.Start(sc)
	turn, err := s.SayVoiced(context.Background(), "Where did you last have it?", v)
	if err == nil || !strings.Contains(err.Error(), "500") || turn.Reply == "" || turn.Reply == "nope" {
		t.Errorf("turn %+v, err %v", turn, err)
	}
	s.Stop()
	if turn, err := s.SayVoiced(context.Background(), "Hello?", v); err != nil || turn.N != 0 {
		t.Errorf("after the end: %+v, %v", turn, err)
	}
}

func TestNewRejectsBadURLs(t *testing.T) {
	for _, u := range []string{"", "localhost:8080", "ftp://x/v1", "http://"} {
		if _, err := New(u, "m"); err == nil {
			t.Errorf("New(%q) succeeded", u)
		}
	}
}

// FuzzParseReply feeds arbitrary endpoint answers to the parser.
func FuzzParseReply(f *testing.F) {
	f.Add([]byte(`{"choices":[{"message":{"role":"assistant","content":"Hi."}}]}`))
	f.Add([]byte(`{"choices":[]}`))
	f.Add([]byte(`{"choices":[{"message":{"content":7}}]}`))
	f.Add([]byte(`<html>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		text, ok := parseReply(data)
		if !ok && text != "" {
			t.Fatalf("failed parse returned %q", text)
		}
	})
}
