package roleplay

// reactions sets how strongly a temperament reacts, in percent of the base
// effect (100 = as described in docs/roleplay.md).
type reactions struct {
	blame    int    // trust lost and stress gained from blame
	warmth   int    // trust gained and stress lost from acknowledgement and reassurance
	jargon   int    // stress gained from jargon
	steps    int    // stress lost from clear first steps
	wordy    int    // stress gained from a wordy message
	needsAck bool   // questions earn no trust until feelings are acknowledged
	opener   string // how a better phrasing starts with this temperament
}

var temperaments = map[Temperament]reactions{
	Anxious: {blame: 100, warmth: 130, jargon: 150, steps: 120, wordy: 100,
		opener: "That sounds really stressful. Thank you for telling me so quickly."},
	Defensive: {blame: 150, warmth: 100, jargon: 100, steps: 100, wordy: 100,
		opener: "Thank you for raising this. It can happen to anyone, and you're not in trouble."},
	Embarrassed: {blame: 130, warmth: 150, jargon: 100, steps: 100, wordy: 100,
		opener: "Thank you for telling me. These scams fool lots of people, and you're not in trouble."},
	Angry: {blame: 130, warmth: 100, jargon: 150, steps: 120, wordy: 150, needsAck: true,
		opener: "You have every right to be annoyed, and I'm sorry this happened."},
	Rushed: {blame: 100, warmth: 80, jargon: 100, steps: 150, wordy: 250,
		opener: "Thanks for calling. I know you're busy, so I'll be quick."},
}
