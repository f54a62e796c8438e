// Package llm lets a local language model voice a role-play persona through
// an OpenAI-compatible chat endpoint (llama.cpp, Ollama, vLLM, LM Studio...).
// The deterministic engine in package roleplay still decides and scores
// everything; the model only words the reply.
package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/allydesk/ally/roleplay"
)

// Voice speaks through a chat-completions endpoint. It implements
// roleplay.Voice.
type Voice struct {
	endpoint string
	model    string
	client   *http.Client
}

// New returns a Voice for the API at baseURL (such as
// "http://127.0.0.1:11434/v1"; "/chat/completions" is added) and the named
// model.
func New(baseURL, model string) (*Voice, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http or https URL like http://127.0.0.1:11434/v1", baseURL)
	}
	return &Voice{endpoint: strings.TrimSuffix(baseURL, "/") + "/chat/completions", model: model,
		client: &http.Client{Timeout: 60 * time.Second}}, nil
}

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model       string    `json:"model"`
	Messages    []message `json:"messages"`
	Temperature float64   `json:"temperature"`
	MaxTokens   int       `json:"max_tokens"`
}

type chatResponse struct {
	Choices []struct {
		Message message `json:"message"`
	} `json:"choices"`
}

// maxResponse caps the bytes read from the endpoint.
const maxResponse = 1 << 20

// Speak asks the model for the persona's reply.
func (v *Voice) Speak(ctx context.Context, req roleplay.VoiceRequest) (string, error) {
	body, err := json.Marshal(chatRequest{Model: v.model, Messages: messages(req), Temperature: 0.7, MaxTokens: 200})
	if err != nil {
		return "", err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, v.endpoint, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	hreq.Header.Set("Content-Type", "application/json")
	resp, err := v.client.Do(hreq)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return "", err
	}
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("%s answered %s", v.endpoint, resp.Status)
	}
	text, ok := parseReply(data)
	if !ok {
		return "", fmt.Errorf("%s sent no chat completion", v.endpoint)
	}
	return text, nil
}

// parseReply returns the first choice's message from a chat completion.
func parseReply(data []byte) (string, bool) {
	var cr chatResponse
	if err := json.Unmarshal(data, &cr); err != nil || len(cr.Choices) == 0 {
		return "", false
	}
	return cr.Choices[0].Message.Content, true
}

// messages builds the chat: a system prompt that sets the character and what
// they may say, then the conversation with the persona as the assistant.
func messages(req roleplay.VoiceRequest) []message {
	p := req.Persona
	var sys strings.Builder
	fmt.Fprintf(&sys, "You are %s, %s. You are calling your company's security desk: %s. "+
		"Your temperament is %s, and right now you feel %s. Stay in character as this employee. "+
		"Answer in one to three short, plain sentences. Never say you are an AI.\n", p.Name, p.Role, req.Title,
		p.Temperament, req.State)
	if len(req.Told) > 0 {
		fmt.Fprintf(&sys, "What you have told them so far: %s\n", strings.Join(req.Told, " "))
	}
	if req.NewFact != "" {
		fmt.Fprintf(&sys, "In this reply, tell them this in your own words: %q\n", req.NewFact)
	} else {
		sys.WriteString("Do not reveal any new detail about what happened in this reply.\n")
	}
	fmt.Fprintf(&sys, "Your reply must mean the same as, and sound as %s as: %q", req.State, req.Line)
	msgs := []message{{Role: "system", Content: sys.String()}}
	for _, e := range req.History {
		role := "assistant"
		if e.Trainee {
			role = "user"
		}
		msgs = append(msgs, message{Role: role, Content: e.Text})
	}
	return msgs
}
