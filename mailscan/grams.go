package mailscan

import (
	"math"
	"unicode/utf8"
)

// Character n-grams: beside each whole word, the models read the word's
// character 3- to 5-grams, with its start and end marked ("^pa", "pas",
// …, "rd$" for "password"), so that an inflected, misspelt, joined or
// foreign form of a word ("passwort", "senha", "verifique") shares weight
// with the forms seen in training. Each n-gram is hashed into one of
// GramBuckets buckets, so a model's n-gram weights are a fixed-size table
// whatever it learns. The n-grams of a message weigh as one block: each
// counts gramScale/sqrt(n) for n n-grams of its distinct words, so a long
// message does not outweigh a short one. Explanations never name an
// n-gram: its weight is added to the word it came from.
const (
	gramBits = 18
	// GramBuckets is how many n-gram buckets a model has.
	GramBuckets = 1 << gramBits
	gramMin     = 3
	gramMax     = 5
	// maxWordGrams is the most n-grams one usable word (≤ 24 bytes, so at
	// most 26 characters with its marks) has.
	maxWordGrams = 3 * (maxUsableLen + 2)
	maxUsableLen = 24
)

// Marks at the start and end of a word: bytes a token never holds.
const (
	gramStart = '\x02'
	gramEnd   = '\x03'
)

// FNV-1a, 32 bits.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// appendWordGrams appends the buckets of the character 3- to 5-grams of a
// usable word (marked at both ends) to dst. A word's characters are its
// UTF-8 runes; an invalid byte counts as one character.
func appendWordGrams(dst []uint32, word string) []uint32 {
	if len(word) > maxUsableLen {
		return dst
	}
	var b [maxUsableLen + 2]byte
	b[0] = gramStart
	n := 1 + copy(b[1:], word)
	b[n] = gramEnd
	n++
	var at [maxUsableLen + 3]uint8 // where each character starts, then the end
	k := 0
	for i := 0; i < n; k++ {
		at[k] = uint8(i)
		if b[i] < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRune(b[i:n])
			i += size
		}
	}
	at[k] = uint8(n)
	for i := 0; i+gramMin <= k; i++ {
		h := uint32(fnvOffset)
		for j := 1; j <= gramMax && i+j <= k; j++ {
			for _, c := range b[at[i+j-1]:at[i+j]] {
				h = (h ^ uint32(c)) * fnvPrime
			}
			if j >= gramMin {
				dst = append(dst, (h^h>>gramBits)&(GramBuckets-1))
			}
		}
	}
	return dst
}

// gramValue is what one n-gram of a message with n n-grams counts for, so
// that all of them together weigh scale.
func gramValue(n int, scale float64) float64 {
	if n == 0 {
		return 0
	}
	return scale / math.Sqrt(float64(n))
}

// gramSum is the sum of table's weights for the n-grams of word.
func gramSum(table []float32, word string) float64 {
	var buf [maxWordGrams]uint32
	s := 0.0
	for _, g := range appendWordGrams(buf[:0], word) {
		s += float64(table[g])
	}
	return s
}
