package tone

import (
	"unicode"
	"unicode/utf8"
)

// token is one word of a text: lowercased, apostrophes normalised, with its
// place in code points (start, end) and bytes (bstart, bend).
type token struct {
	w            string
	id           uint32 // vocabulary id of w, 0 if no rule names it
	start, end   int
	bstart, bend int
	sent, clause int
	after        rune // punctuation right after the word, 0 if none
	letters      bool // holds at least one letter
	neg          bool // a word of the class "negation" (set by the engine)
}

// span is a run of tokens [first, last], inclusive.
type span struct{ first, last int }

// byteRange is a half-open range of bytes.
type byteRange struct{ lo, hi int }

// sentence is a span of tokens and whether it ends with a question mark.
type sentence struct {
	span
	question bool
}

// doc is a tokenised text, reused through a pool.
type doc struct {
	toks    []token
	sents   []sentence
	clauses []span
	low     []byte
	offs    []byteRange // each token's word in low
	runes   int         // length of the text in code points
	lastEnd []int       // per rule: the token after its last finding (used by Check)
	feat    featureList // the learned layer's features of one run
	orgFeat []uint32    // the organisation layer's features of one sentence
	orgDots []int32     // per organisation example: features shared with orgFeat
}

// clauseWords start a new clause: what precedes them does not negate what follows.
var clauseWords = map[string]bool{"but": true, "however": true, "although": true, "though": true}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == '‘' }

// tokenise splits text into words, sentences and clauses in one pass.
func (d *doc) tokenise(text string) {
	d.toks, d.sents, d.clauses, d.low, d.offs = d.toks[:0], d.sents[:0], d.clauses[:0], d.low[:0], d.offs[:0]
	sentStart, clauseStart := 0, 0
	endClause := func() {
		if n := len(d.toks); n > clauseStart {
			d.clauses = append(d.clauses, span{clauseStart, n - 1})
			clauseStart = n
		}
	}
	endSentence := func(question bool) {
		endClause()
		if n := len(d.toks); n > sentStart {
			d.sents = append(d.sents, sentence{span{sentStart, n - 1}, question})
			sentStart = n
		}
	}
	cp := 0 // code point index of the rune at byte i
	inWord := false
	var cur token
	var lowStart int
	prev := rune(0)
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		next := rune(0)
		if j := i + size; j < len(text) {
			if next = rune(text[j]); next >= utf8.RuneSelf {
				next, _ = utf8.DecodeRuneInString(text[j:])
			}
		}
		word := isWordRune(r) ||
			(inWord && (isApostrophe(r) || r == '&' || r == '-') && isWordRune(next) && isWordRune(prev))
		if word {
			if !inWord {
				inWord = true
				cur = token{start: cp, bstart: i}
				lowStart = len(d.low)
			}
			switch {
			case isApostrophe(r):
				d.low = append(d.low, '\'')
			case r < utf8.RuneSelf:
				if r >= 'A' {
					cur.letters = true
					r |= 0x20 // ASCII lowercase
				}
				d.low = append(d.low, byte(r))
			default:
				cur.letters = cur.letters || unicode.IsLetter(r)
				d.low = utf8.AppendRune(d.low, unicode.ToLower(r))
			}
		} else {
			if inWord {
				inWord = false
				cur.end, cur.bend = cp, i
				d.pushWord(&cur, lowStart, &clauseStart)
			}
			d.punct(r, next, endSentence, endClause)
		}
		prev = r
		i += size
		cp++
	}
	if inWord {
		cur.end, cur.bend = cp, len(text)
		d.pushWord(&cur, lowStart, &clauseStart)
	}
	endSentence(false)
	d.runes = cp
	s := string(d.low)
	for k := range d.toks {
		d.toks[k].w = s[d.offs[k].lo:d.offs[k].hi]
	}
}

// pushWord appends a finished word, starting a new clause at clause words.
func (d *doc) pushWord(t *token, lowStart int, clauseStart *int) {
	if clauseWords[string(d.low[lowStart:])] && len(d.toks) > *clauseStart {
		d.clauses = append(d.clauses, span{*clauseStart, len(d.toks) - 1})
		*clauseStart = len(d.toks)
	}
	t.sent, t.clause = len(d.sents), len(d.clauses)
	d.toks = append(d.toks, *t)
	d.offs = append(d.offs, byteRange{lowStart, len(d.low)})
}

// punct handles a non-word rune: it records the first punctuation after a
// word and ends sentences and clauses.
func (d *doc) punct(r, next rune, endSentence func(bool), endClause func()) {
	if n := len(d.toks); n > 0 && d.toks[n-1].after == 0 && !unicode.IsSpace(r) {
		d.toks[n-1].after = r
	}
	switch r {
	case '?':
		endSentence(true)
	case '!', '\n':
		endSentence(false)
	case '.', '…':
		if next == 0 || unicode.IsSpace(next) || next == '"' || next == '\'' || next == ')' {
			endSentence(false)
		}
	case ',', ';', ':', '(', ')', '—', '–', '"', '“', '”':
		endClause()
	case '-':
		if next == ' ' {
			endClause()
		}
	}
}
