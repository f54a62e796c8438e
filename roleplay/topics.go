package roleplay

import (
	"slices"
	"sort"
)

// Topic is something a trainee can ask about. A question sentence is about a
// topic when it matches one of the topic's cues (see Step for cue syntax).
// Question is a kind model question, used in the debrief.
type Topic struct {
	ID       string   `json:"id"`
	Label    string   `json:"label"`
	Cues     []string `json:"cues"`
	Question string   `json:"question"`
}

// topics is the vocabulary scenario facts are unlocked by.
var topics = []Topic{
	{"story", "what happened", []string{"what happened", "happen*", "walk through", "talk through", "tell me more",
		"in your own words", "what did you see", "what you saw", "from the start", "what's going on", "what is going on"},
		"Can you walk me through what happened, in your own words?"},
	{"time", "when it happened", []string{"when", "what time", "how long", "time", "since", "date", "day*"},
		"Do you remember roughly when this happened?"},
	{"password", "passwords and signing in", []string{"password*", "passcode", "log in", "login", "logged",
		"sign in", "signed", "credential*", "typed", "type", "entered", "enter"},
		"Did the page ask you to sign in or type a password?"},
	{"link", "the link or page", []string{"link*", "page", "site", "website", "url", "click*", "look* like"},
		"What did the page look like after you clicked?"},
	{"attachment", "the file and what it did", []string{"attachment*", "file*", "document*", "open*", "invoice*",
		"download*", "enable*", "macro*", "warning*", "pop*"},
		"What happened on screen when the file opened?"},
	{"mfa", "sign-in prompts on the phone", []string{"approv*", "prompt*", "notification*", "push", "authenticator",
		"phone", "buzz*", "accept*", "tap*", "mfa", "2fa", "request*"},
		"Did your phone ask you to approve a sign-in around that time?"},
	{"code", "codes shared", []string{"code*", "digit*", "number*", "text", "sms", "read out", "gave", "give"},
		"Did anyone ask you for a code or a number?"},
	{"sharing", "who else has it", []string{"forward*", "share*", "anyone else", "someone else", "colleague*", "others",
		"else", "sent it", "send it", "passed", "team*"},
		"Has this gone to anyone else, even to ask for help?"},
	{"recipient", "who received it", []string{"who", "recipient*", "address*", "sent to", "wrong person", "reply",
		"replied"},
		"Do you know who it went to?"},
	{"data", "what information it held", []string{"what was in", "contain*", "data", "information", "details",
		"names", "salar*", "spreadsheet", "inside", "on it", "stored", "saved"},
		"What kind of information was in it?"},
	{"device", "the device", []string{"laptop*", "device*", "computer*", "screen*", "lock*", "encrypt*", "pin", "bag"},
		"Was the laptop locked, and does it need a PIN to open?"},
	{"place", "where it happened", []string{"where", "train*", "station*", "seat*", "left", "location", "lost", "journey"},
		"Where were you when you last had it?"},
	{"caller", "the caller", []string{"caller", "call*", "who called", "voice", "said they", "rang", "phoned",
		"claim*", "name", "ring*"},
		"What did the caller say about who they were?"},
	{"actions", "what they did next", []string{"what did you do", "after that", "since then", "then what", "anything else",
		"what else", "did you do", "next", "afterwards", "tried", "try"},
		"What did you do after that? Anything at all helps."},
	{"account", "the account", []string{"account*", "email*", "mailbox", "inbox", "setting*", "rule*", "sent items",
		"reset*"},
		"Have you noticed anything odd in your email or account?"},
	{"feelings", "what is worrying them", []string{"worr*", "concern*", "on your mind", "how are you", "feel*", "afraid",
		"scared", "hesitat*", "hard to", "holding back", "nervous"},
		"Is anything else worrying you about this? It's fine to say."},
}

func topicByID(id string) (Topic, bool) {
	for _, t := range topics {
		if t.ID == id {
			return t, true
		}
	}
	return Topic{}, false
}

func topicIDs() []string {
	ids := make([]string, len(topics))
	for i, t := range topics {
		ids[i] = t.ID
	}
	sort.Strings(ids)
	return ids
}

// topicCues holds each topic's cues split into words, in vocabulary order.
var topicCues = func() [][][]string {
	out := make([][][]string, len(topics))
	for i, t := range topics {
		for _, c := range t.Cues {
			out[i] = append(out[i], cueWords(c))
		}
	}
	return out
}()

// topicsOf returns the topics a sentence touches, in vocabulary order.
func topicsOf(w []string) []string {
	var out []string
	for i, t := range topics {
		if slices.ContainsFunc(topicCues[i], func(cw []string) bool { return matchWords(w, cw) }) {
			out = append(out, t.ID)
		}
	}
	return out
}

// AllTopics returns the topic vocabulary facts can name.
func AllTopics() []Topic { return append([]Topic(nil), topics...) }
