package tone

// Kind is a kind of blame the learned layer names: its id, the finding
// category it reports under, why it hurts, and a kinder clause to use in
// place of the one that blames.
type Kind struct {
	ID       string
	Category string
	Message  string
	Wording  string
}

// Kinds are the kinds of blame the model is trained to tell apart. The ids
// are those of the training corpus (tone/corpus/README.md).
var Kinds = []Kind{
	{"advice", CategoryCounterfact,
		"Advice about next time, given after a mistake, reads as a telling-off for this time.",
		"if anything like this turns up again, a quick call to us always helps"},
	{"passive", CategoryFault,
		"This names a person as the cause, which reads as blame even in the third person or a root-cause note.",
		"the message was built to look real, and it got through our filters"},
	{"training", CategoryShaming,
		"Pointing to training or policy the person was given implies they should have known better.",
		"these tricks are hard to spot, and we're always happy to help"},
	{"sarcasm", CategoryCondescension,
		"Sarcasm, faint praise or a \"not to lecture you, but\" disclaimer still lands as blame.",
		"thank you for telling us, it really helps"},
	{"shaming", CategoryShaming,
		"Naming, counting or comparing people shames them and teaches everyone to stay quiet.",
		"these messages reach lots of people, and reports like yours help us all"},
	{"threat", CategoryThreat,
		"A threat of escalation or consequences makes people hide mistakes instead of reporting them.",
		"reporting never gets anyone into trouble, and we'll handle the rest"},
	{"damage", CategoryFault,
		"Laying the damage at the person's door makes them feel it is theirs to carry.",
		"we're working on the impact now, and your report helps us contain it"},
}

// kindIndex returns the index of the kind with this id, or -1.
func kindIndex(id string) int {
	for i, k := range Kinds {
		if k.ID == id {
			return i
		}
	}
	return -1
}
