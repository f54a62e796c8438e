package tone

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// RuleFile is the YAML form of a rule set: word classes, warmth signals,
// jargon with plain alternatives, and rules. A user's file uses the same
// shape; it is merged with the defaults (see Merge).
type RuleFile struct {
	Classes map[string][]string `yaml:"classes,omitempty"`
	Signals map[string][]string `yaml:"signals,omitempty"`
	Jargon  []JargonSpec        `yaml:"jargon,omitempty"`
	Rules   []RuleSpec          `yaml:"rules,omitempty"`
}

// JargonSpec names technical terms and the plain words to use instead. Each
// becomes a warning rule "jargon-<id>" for the reporter audience; a term is
// not flagged when an explanation in brackets follows it.
type JargonSpec struct {
	ID    string   `yaml:"id"`
	Terms []string `yaml:"terms"`
	Plain string   `yaml:"plain"`
}

// RuleSpec is one rule as written in YAML. Patterns find candidates; the
// other fields say in which context a candidate counts. Every list of
// patterns uses the syntax described on pattern.
type RuleSpec struct {
	ID         string   `yaml:"id"`
	Category   string   `yaml:"category"`
	Severity   Severity `yaml:"severity"`
	Audience   Audience `yaml:"audience,omitempty"` // empty: every audience
	Message    string   `yaml:"message"`
	Suggestion string   `yaml:"suggestion"`
	Patterns   []string `yaml:"patterns,omitempty"`
	// Except drops a candidate when one of these matches at its start.
	Except []string `yaml:"except,omitempty"`
	// Negatable (default true) drops a candidate with a negation word
	// (class "negation") shortly before it in the same clause.
	Negatable *bool `yaml:"negatable,omitempty"`
	// NotBefore and NeedsBefore look at the few words before the candidate,
	// in its clause.
	NotBefore   []string `yaml:"not_before,omitempty"`
	NeedsBefore []string `yaml:"needs_before,omitempty"`
	// NotInClause, NeedsInClause, NotInSentence and NeedsInSentence look
	// anywhere in the candidate's clause or sentence.
	NotInClause     []string `yaml:"not_in_clause,omitempty"`
	NeedsInClause   []string `yaml:"needs_in_clause,omitempty"`
	NotInSentence   []string `yaml:"not_in_sentence,omitempty"`
	NeedsInSentence []string `yaml:"needs_in_sentence,omitempty"`
	// NegationAfter also drops a candidate with a negation word just after
	// it in the same clause ("disciplinary action is not...").
	NegationAfter bool `yaml:"negation_after,omitempty"`
	// NotNearby looks a few words around the candidate, across sentences
	// ("Really? That's great news.").
	NotNearby []string `yaml:"not_nearby,omitempty"`
	// Question requires the sentence to end with "?".
	Question bool `yaml:"question,omitempty"`
	// Then requires this punctuation right after the candidate, e.g. "?".
	Then string `yaml:"then,omitempty"`
	// NotThen drops a candidate followed right away by this punctuation.
	NotThen string `yaml:"not_then,omitempty"`
	// NotAfter drops a candidate when one of these matches right after it.
	NotAfter []string `yaml:"not_after,omitempty"`
	// AtStart requires the candidate to begin its sentence.
	AtStart bool `yaml:"at_start,omitempty"`
	// MaxWords limits the sentence's length in words.
	MaxWords int `yaml:"max_words,omitempty"`
	// Disabled removes a default rule of the same id.
	Disabled bool     `yaml:"disabled,omitempty"`
	Examples Examples `yaml:"examples"`
}

// Examples are texts a rule must flag (Match) and must leave alone (Clean).
type Examples struct {
	Match []string `yaml:"match,omitempty"`
	Clean []string `yaml:"clean,omitempty"`
}

// Categories of findings. The blaming ones make Result.Blame true when a
// finding of theirs is at error level.
const (
	CategoryBlame         = "blame" // blaming questions
	CategoryCounterfact   = "counterfactual"
	CategoryJudgement     = "judgement"
	CategoryFault         = "fault"
	CategoryThreat        = "threat"
	CategoryShaming       = "shaming"
	CategoryCondescension = "condescension"
	CategoryJargon        = "jargon"
	CategoryReadability   = "readability"
	CategoryWarmth        = "warmth"
)

var blamingCategories = []string{CategoryBlame, CategoryCounterfact, CategoryJudgement,
	CategoryFault, CategoryThreat, CategoryShaming, CategoryCondescension}

var knownCategories = append(slices.Clone(blamingCategories), CategoryJargon, CategoryReadability, CategoryWarmth)

// IsBlaming reports whether findings of this category count as blame.
func IsBlaming(category string) bool { return slices.Contains(blamingCategories, category) }

// ParseRules reads a rule file in YAML, rejecting unknown fields.
func ParseRules(r io.Reader) (*RuleFile, error) {
	var f RuleFile
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && err != io.EOF {
		return nil, fmt.Errorf("rule file: %w", err)
	}
	seen := map[string]bool{}
	for _, r := range f.Rules {
		if seen[r.ID] {
			return nil, fmt.Errorf("rule file: rule %s is defined twice", r.ID)
		}
		seen[r.ID] = true
	}
	return &f, nil
}

// Merge returns base with over applied: classes and signals of the same name
// are replaced, jargon and rules of the same id are replaced (a rule with
// disabled: true removes it), and new ones are added.
func Merge(base, over *RuleFile) *RuleFile {
	out := &RuleFile{
		Classes: mergeMap(base.Classes, over.Classes),
		Signals: mergeMap(base.Signals, over.Signals),
		Jargon:  mergeByID(base.Jargon, over.Jargon, func(j JargonSpec) string { return j.ID }),
		Rules:   mergeByID(base.Rules, over.Rules, func(r RuleSpec) string { return r.ID }),
	}
	out.Rules = slices.DeleteFunc(out.Rules, func(r RuleSpec) bool { return r.Disabled })
	return out
}

func mergeMap(base, over map[string][]string) map[string][]string {
	out := make(map[string][]string, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

func mergeByID[T any](base, over []T, id func(T) string) []T {
	out := slices.Clone(base)
	for _, o := range over {
		i := slices.IndexFunc(out, func(b T) bool { return id(b) == id(o) })
		if i >= 0 {
			out[i] = o
		} else {
			out = append(out, o)
		}
	}
	return out
}

// validate checks the fields every rule needs.
func (s *RuleSpec) validate() error {
	switch {
	case s.ID == "":
		return fmt.Errorf("a rule has no id")
	case !slices.Contains(knownCategories, s.Category):
		return fmt.Errorf("rule %s: category %q is not one of %s", s.ID, s.Category, strings.Join(knownCategories, ", "))
	case s.Severity != SeverityError && s.Severity != SeverityWarning && s.Severity != SeverityInfo:
		return fmt.Errorf("rule %s: severity %q must be error, warning or info", s.ID, s.Severity)
	case s.Audience != "" && s.Audience != AudienceReporter && s.Audience != AudienceResponder:
		return fmt.Errorf("rule %s: audience %q must be reporter or responder", s.ID, s.Audience)
	case s.Message == "" || s.Suggestion == "":
		return fmt.Errorf("rule %s: message and suggestion are both required", s.ID)
	case len([]rune(s.Then)) > 1 || len([]rune(s.NotThen)) > 1:
		return fmt.Errorf("rule %s: then and not_then must be one punctuation mark each", s.ID)
	}
	return nil
}
