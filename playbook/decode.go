package playbook

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Decode reads one playbook from YAML, rejecting unknown fields and more
// than one document. Its error says what is wrong in a line a person can
// act on, naming the line and field where YAML tells them.
func Decode(b []byte) (*Playbook, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var p Playbook
	switch err := dec.Decode(&p); {
	case errors.Is(err, io.EOF):
		return nil, errors.New("the file is empty; write one playbook in it")
	case err != nil:
		return nil, errors.New(yamlMessage(err))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("holds more than one document (---); write one playbook per file")
	}
	sum := sha256.Sum256(b)
	p.Version = hex.EncodeToString(sum[:6])
	return &p, nil
}

var (
	unknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)
	wrongShape   = regexp.MustCompile(`cannot unmarshal (!!\w+ .*?)into (\[\]|map\[)?\S+$`)
	yamlShapes   = strings.NewReplacer("!!str", "text", "!!seq", "a list", "!!map", "a mapping",
		"!!int", "a number", "!!float", "a number", "!!bool", "true or false")
)

// yamlMessage turns a yaml.v3 error into a line a person can act on.
func yamlMessage(err error) string {
	msgs := []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for i, m := range msgs {
		m = unknownField.ReplaceAllString(m, `unknown field "$1" (check its spelling and indentation)`)
		if sub := wrongShape.FindStringSubmatchIndex(m); sub != nil {
			want := "a single value"
			if sub[4] >= 0 {
				want = map[string]string{"[]": "a list", "map[": "a mapping"}[m[sub[4]:sub[5]]]
			}
			m = m[:sub[0]] + "found " + m[sub[2]:sub[3]] + "where " + want + " belongs"
		}
		msgs[i] = yamlShapes.Replace(m)
	}
	return strings.Join(msgs, "; ")
}
