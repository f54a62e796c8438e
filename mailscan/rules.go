package mailscan

import (
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"go.yaml.in/yaml/v3"
)

//go:embed cues.yaml
var cuesYAML []byte

//go:embed lists.yaml
var listsYAML []byte

//go:embed brands.yaml
var brandsYAML []byte

// brand is an organisation often impersonated.
type brand struct {
	Name    string   `yaml:"name"`
	Keys    []string `yaml:"keys"`
	Domains []string `yaml:"domains"`
}

// lists holds the reference lists from lists.yaml, as sets.
type lists struct {
	brands          []brand
	brandByKey      map[string]*brand
	brandByDomain   map[string]*brand
	serviceWords    set
	roleNames       set
	freemail        set
	shorteners      set
	freeHosting     set
	senderPlatforms set
	riskyTLDs       set
	executableExt   set
	htmlExt         set
	macroExt        set
	archiveExt      set
	trackers        set
	weakKeys        set
	wordKeys        set
	functionWords   set                  // the organisation's model does not learn from them
	celebrities     set                  // famous names scams borrow, as phrases normalised by tokenize
	typos           map[string][]typoKey // see typoOf
}

type set map[string]bool

func newSet(items []string) set {
	s := make(set, len(items))
	for _, it := range items {
		s[strings.ToLower(it)] = true
	}
	return s
}

// newPhraseSet builds a set of phrases normalised as tokenize does.
func newPhraseSet(items []string) set {
	s := make(set, len(items))
	for _, it := range items {
		s[strings.Join(tokenize(it), " ")] = true
	}
	return s
}

// hasSuffixDomain reports whether host or one of its parent domains is in s.
func (s set) hasSuffixDomain(host string) bool {
	for h := host; h != ""; {
		if s[h] {
			return true
		}
		_, rest, ok := strings.Cut(h, ".")
		if !ok {
			return false
		}
		h = rest
	}
	return false
}

// rules are the compiled data files; built once at start-up.
var rules = mustLoadRules()

type compiledRules struct {
	lists
	cues *cueMatcher
}

func mustLoadRules() *compiledRules {
	var br struct {
		Brands   []brand  `yaml:"brands"`
		WordKeys []string `yaml:"word_keys"`
	}
	if err := yaml.Unmarshal(brandsYAML, &br); err != nil {
		panic(fmt.Sprintf("mailscan: brands.yaml: %v", err))
	}
	var raw struct {
		ServiceWords    []string            `yaml:"service_words"`
		RoleNames       []string            `yaml:"role_names"`
		Freemail        []string            `yaml:"freemail"`
		Shorteners      []string            `yaml:"shorteners"`
		FreeHosting     []string            `yaml:"free_hosting"`
		SenderPlatforms []string            `yaml:"sender_platforms"`
		RiskyTLDs       []string            `yaml:"risky_tlds"`
		ExecutableExt   []string            `yaml:"executable_ext"`
		HTMLExt         []string            `yaml:"html_ext"`
		MacroExt        []string            `yaml:"macro_ext"`
		ArchiveExt      []string            `yaml:"archive_ext"`
		Trackers        []string            `yaml:"trackers"`
		WeakKeys        []string            `yaml:"weak_keys"`
		FunctionWords   map[string][]string `yaml:"function_words"`
		Celebrities     []string            `yaml:"celebrities"`
	}
	if err := yaml.Unmarshal(listsYAML, &raw); err != nil {
		panic(fmt.Sprintf("mailscan: lists.yaml: %v", err))
	}
	var cues map[string]map[string][]string
	if err := yaml.Unmarshal(cuesYAML, &cues); err != nil {
		panic(fmt.Sprintf("mailscan: cues.yaml: %v", err))
	}
	r := &compiledRules{lists: lists{
		brands:          br.Brands,
		brandByKey:      map[string]*brand{},
		brandByDomain:   map[string]*brand{},
		serviceWords:    newSet(raw.ServiceWords),
		roleNames:       newPhraseSet(raw.RoleNames),
		freemail:        newSet(raw.Freemail),
		shorteners:      newSet(raw.Shorteners),
		freeHosting:     newSet(raw.FreeHosting),
		senderPlatforms: newSet(raw.SenderPlatforms),
		riskyTLDs:       newSet(raw.RiskyTLDs),
		executableExt:   newSet(raw.ExecutableExt),
		htmlExt:         newSet(raw.HTMLExt),
		macroExt:        newSet(raw.MacroExt),
		archiveExt:      newSet(raw.ArchiveExt),
		trackers:        newSet(raw.Trackers),
		weakKeys:        newSet(raw.WeakKeys),
		wordKeys:        newSet(br.WordKeys),
		celebrities:     newPhraseSet(raw.Celebrities),
		functionWords:   newPhraseSet(slices.Concat(slices.Collect(maps.Values(raw.FunctionWords))...)),
		typos:           map[string][]typoKey{},
	}, cues: newCueMatcher(cues)}
	for i := range r.brands {
		b := &r.brands[i]
		for _, k := range b.Keys {
			r.brandByKey[k] = b
			if len(k) >= 6 && !r.weakKeys[k] && !r.wordKeys[k] {
				for _, v := range oneDeleted(k) {
					r.typos[v] = append(r.typos[v], typoKey{k, b})
				}
			}
		}
		for _, d := range b.Domains {
			r.brandByDomain[d] = b
		}
	}
	return r
}

// claimKey returns the brand a word names on its own (in a subject, a body
// or a subdomain): not a weak key or an ordinary word.
func (l *lists) claimKey(tok string) *brand {
	b := l.brandByKey[tok]
	if b == nil || l.weakKeys[tok] || l.wordKeys[tok] {
		return nil
	}
	return b
}

// typoKey is a brand key reachable from a spelling one edit away.
type typoKey struct {
	key   string
	brand *brand
}

// oneDeleted returns s itself and s with each one byte deleted.
func oneDeleted(s string) []string {
	out := []string{s}
	for i := range len(s) {
		out = append(out, s[:i]+s[i+1:])
	}
	return out
}

// typoOf returns the brand whose key tok misspells by one edit (insertion,
// deletion, substitution or swap), looking it up by deletion variants
// rather than comparing with every key.
func (l *lists) typoOf(tok string) *brand {
	for _, v := range oneDeleted(tok) {
		for _, t := range l.typos[v] {
			if editDistance1(tok, t.key) {
				return t.brand
			}
		}
	}
	return nil
}

// ownedBy reports whether host belongs to brand b.
func (b *brand) ownedBy(host string) bool {
	for _, d := range b.Domains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// cueWord is one word of a cue phrase; prefix words end in * in the data.
type cueWord struct {
	text   string
	prefix bool
}

type cuePhrase struct {
	id                int
	group, lang, text string
	words             []cueWord
}

// cueMatcher finds cue phrases in tokenised text, indexed by first word.
type cueMatcher struct {
	byFirst  map[string][]*cuePhrase
	byStart  map[string][]*cuePhrase // phrases whose first word is a prefix, by its first 3 bytes
	nPhrases int
}

// prefixKeyLen is how many leading bytes index prefix phrases; prefix
// words in the data must be at least this long.
const prefixKeyLen = 3

func newCueMatcher(groups map[string]map[string][]string) *cueMatcher {
	m := &cueMatcher{byFirst: map[string][]*cuePhrase{}, byStart: map[string][]*cuePhrase{}}
	for group, langs := range groups {
		for lang, phrases := range langs {
			for _, text := range phrases {
				var words []cueWord
				for _, w := range tokenize(strings.ReplaceAll(text, "*", "\x00")) {
					words = append(words, cueWord{strings.TrimRight(w, "\x00"), strings.HasSuffix(w, "\x00")})
				}
				if len(words) == 0 {
					continue
				}
				p := &cuePhrase{id: m.nPhrases, group: group, lang: lang, text: text, words: words}
				m.nPhrases++
				if words[0].prefix {
					if len(words[0].text) < prefixKeyLen {
						panic(fmt.Sprintf("mailscan: cues.yaml: prefix %q shorter than %d letters", text, prefixKeyLen))
					}
					k := words[0].text[:prefixKeyLen]
					m.byStart[k] = append(m.byStart[k], p)
				} else {
					m.byFirst[words[0].text] = append(m.byFirst[words[0].text], p)
				}
			}
		}
	}
	return m
}

// cueHit is one matched phrase.
type cueHit struct{ group, lang, text string }

// match returns the phrases found in the tokens, each phrase at most once.
func (m *cueMatcher) match(tokens []string) []cueHit {
	seen := make([]bool, m.nPhrases)
	var hits []cueHit
	try := func(p *cuePhrase, i int) {
		if seen[p.id] || i+len(p.words) > len(tokens) {
			return
		}
		for j, w := range p.words {
			t := tokens[i+j]
			if t != w.text && !(w.prefix && strings.HasPrefix(t, w.text)) {
				return
			}
		}
		seen[p.id] = true
		hits = append(hits, cueHit{p.group, p.lang, p.text})
	}
	for i, t := range tokens {
		for _, p := range m.byFirst[t] {
			try(p, i)
		}
		if len(t) >= prefixKeyLen {
			for _, p := range m.byStart[t[:prefixKeyLen]] {
				try(p, i)
			}
		}
	}
	return hits
}

// tokenize lower-cases text, folds accents and splits it into words. Text
// is read as it looks: compatibility forms (mathematical bold 𝐏𝐚𝐲,
// full-width Ｐａｙ, circled letters) are folded by NFKC, Cyrillic and Greek
// look-alikes inside Latin words become Latin, and invisible characters
// (zero-width spaces, soft hyphens) are dropped rather than splitting a word.
// The NUL byte is kept inside words (it marks prefixes in cue data); ':' is
// kept as its own token so "password:" can be told from "password". The
// tokens share one backing string.
func tokenize(text string) []string {
	buf := make([]byte, 0, len(text)+16)
	for _, r := range text {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			buf = append(buf, byte(r))
		case r >= 'A' && r <= 'Z':
			buf = append(buf, byte(r+32))
		default:
			buf = appendFolded(buf, r)
		}
	}
	return strings.Fields(string(buf))
}

// appendFolded appends rune r to a token buffer as tokenize reads it.
func appendFolded(buf []byte, r rune) []byte {
	switch {
	case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == 0:
		return append(buf, byte(r))
	case r >= 'A' && r <= 'Z':
		return append(buf, byte(r+32))
	case r == ':':
		return append(buf, ' ', ':', ' ')
	case r < 0x80:
		return append(buf, ' ')
	case isInvisible(r) || unicode.Is(unicode.Mn, r):
		// Invisible characters and combining marks (a̷, e̸) are dropped
		// rather than splitting the word they were put in.
		return buf
	case compatLetter(r):
		// Enclosed, full-width, mathematical and squared letters: their
		// NFKC form is the plain letter (or a short string of them).
		for _, c := range norm.NFKC.String(string(r)) {
			if !compatLetter(c) {
				buf = appendFolded(buf, c)
			}
		}
		return buf
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		if c, ok := lookalikeLetters[r]; ok {
			return append(buf, byte(c))
		}
		return append(buf, fold(unicode.ToLower(r))...)
	default:
		return append(buf, ' ')
	}
}

// compatLetter reports whether r is in a block of letters styled for
// looks (enclosed, full-width, mathematical, squared), whose NFKC form is
// plain.
func compatLetter(r rune) bool {
	return r >= 0x2460 && r <= 0x24ff || r >= 0xff00 && r <= 0xffef || r >= 0x1d400 && r <= 0x1d7ff ||
		r >= 0x1f100 && r <= 0x1f1ff
}

// isInvisible reports whether r is a zero-width or other invisible format
// character, used to break up words so filters miss them.
func isInvisible(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u034f', '\u180e',
		'\u2061', '\u2062', '\u2063', '\u2064':
		return true
	}
	return false
}

// lookalikeLetters maps Cyrillic, Greek and other letters that render like
// Latin ones (upper and lower case) to the Latin letter, so "Раураl" and
// "aᥴcount" read as "paypal" and "account". Only letters whose look is
// near-identical are listed: real Russian or Greek words mostly become
// nonsense, which no cue matches.
var lookalikeLetters = func() map[rune]rune {
	m := map[rune]rune{}
	for latin, alikes := range map[rune]string{
		'a': "аАαΑɑ", 'b': "ЬВβΒ", 'c': "сСϲᥴⅽ", 'd': "ԁⅾ", 'e': "еЕεΕ", 'h': "һНΗ", 'i': "іІιΙӏɩ",
		'j': "јЈ", 'k': "кКκΚ", 'l': "ⅼǀ", 'm': "мМΜⅿ", 'n': "ΝոП", 'o': "оОοΟօ", 'p': "рРρΡ",
		'q': "ԛ", 's': "ѕЅ", 't': "тТτΤ", 'u': "υս", 'v': "ѵνⅴ", 'w': "ԝѡ", 'x': "хХχΧⅹ",
		'y': "уУγΥ", 'z': "ΖẓȥZ",
	} {
		for _, r := range alikes {
			if r >= 0x80 {
				m[r] = latin
			}
		}
	}
	return m
}()

// fold maps an accented Latin letter to its base letters.
func fold(r rune) string {
	if s, ok := foldTable[r]; ok {
		return s
	}
	return string(r)
}

var foldTable = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o"}
	for base, accented := range map[string]string{
		"a": "àáâãäåā", "c": "çćč", "e": "èéêëēė", "i": "ìíîïī", "n": "ñń",
		"o": "òóôõöō", "u": "ùúûüū", "y": "ýÿ", "s": "šś", "z": "žźż",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()
