// Package signals holds the signal types: for each kind of alert another
// security tool sends about a person, the question Ally asks them, what
// "yes" and "no" mean, how long to wait, and the case it becomes. Types are
// data: embedded YAML defaults, overridable from signals/*.yaml in the
// playbooks folder, checked by Lint (run by ally playbook lint). Pure: no
// I/O besides reading the folder.
package signals

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/playbook"
	"go.yaml.in/yaml/v3"
)

// Defaults when a type leaves them out.
const (
	DefaultTimeout     = 30 * time.Minute
	DefaultQuiet       = 21 * time.Hour // Securitybot's choice
	DefaultDedupWindow = time.Hour
)

// Placeholders lists what a type's wording may contain, each in braces:
//
//	{first_name}  the person's first name
//	{summary}     what the tool saw, in its words, e.g. "a sign-in to your account from Lisbon"
//	{when}        when it happened, e.g. "03:12 on 7 December (UTC)"
//	{source}      the tool that saw it, e.g. "okta"
var Placeholders = []string{"first_name", "summary", "when", "source"}

// SampleVars fill a type's wording before the tone engine reads it.
var SampleVars = map[string]string{"first_name": "Sam", "summary": "a sign-in to your account from Lisbon",
	"when": "03:12 on 7 December", "source": "okta"}

// Type is one kind of signal.
type Type struct {
	ID       string `yaml:"id" json:"id"`
	Title    string `yaml:"title" json:"title"`
	Question string `yaml:"question" json:"question"` // asked of the person
	Yes      string `yaml:"yes" json:"yes"`           // shown after "yes, that was me"
	No       string `yaml:"no" json:"no"`             // shown after "no" or "not sure"
	// Timeout is how long to wait for an answer before escalating.
	Timeout string `yaml:"timeout" json:"timeout"`
	// Quiet is how long the same type is not asked again of a person who
	// said yes.
	Quiet string `yaml:"quiet" json:"quiet"`
	// DedupWindow is how long the same dedup_key is the same signal.
	DedupWindow string `yaml:"dedup_window" json:"dedup_window"`
	// Severity and Kind are the case's when the signal escalates.
	Severity string `yaml:"severity" json:"severity"`
	Kind     string `yaml:"kind" json:"kind"`
}

// TimeoutOrDefault returns the type's timeout.
func (t *Type) TimeoutOrDefault() time.Duration { return orDefault(t.Timeout, DefaultTimeout) }

// QuietOrDefault returns how long a yes keeps the type quiet for a person.
func (t *Type) QuietOrDefault() time.Duration { return orDefault(t.Quiet, DefaultQuiet) }

// DedupOrDefault returns the type's dedup window.
func (t *Type) DedupOrDefault() time.Duration { return orDefault(t.DedupWindow, DefaultDedupWindow) }

func orDefault(s string, d time.Duration) time.Duration {
	if v, err := playbook.ParseDuration(s); err == nil && v > 0 {
		return v
	}
	return d
}

// Ask fills the type's question for a person.
func (t *Type) Ask(vars map[string]string) string { return playbook.Fill(t.Question, vars) }

// Set is every signal type, by id. Treat it as read-only.
type Set struct {
	byID map[string]*Type
}

// Get returns a type by id.
func (s *Set) Get(id string) (*Type, bool) {
	t, ok := s.byID[id]
	return t, ok
}

// All returns every type, by id.
func (s *Set) All() []*Type {
	out := make([]*Type, 0, len(s.byID))
	for _, id := range s.IDs() {
		out = append(out, s.byID[id])
	}
	return out
}

// IDs returns every type's id, sorted.
func (s *Set) IDs() []string {
	ids := make([]string, 0, len(s.byID))
	for id := range s.byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

//go:embed defaults/*.yaml
var defaults embed.FS

// DefaultFS returns the embedded default type files.
func DefaultFS() fs.FS {
	sub, err := fs.Sub(defaults, "defaults")
	if err != nil {
		panic("signals: " + err.Error())
	}
	return sub
}

// Default returns the embedded types, parsed once and shared.
func Default() *Set { return defaultSet() }

var defaultSet = sync.OnceValue(func() *Set {
	s, err := load(DefaultFS(), "")
	if err != nil {
		panic("signals: embedded defaults are broken: " + err.Error())
	}
	return s
})

// Dir is where a playbooks folder keeps its signal types.
func Dir(playbooks string) string { return filepath.Join(playbooks, "signals") }

// LoadDir returns the built-in types with those in Dir(playbooks) replacing
// or adding to them by id. A folder without signals/ uses the built-in
// ones. Its error is playbook.Problems naming each problem, or a read error.
// It does not check wording: Lint does.
func LoadDir(playbooks string) (*Set, error) {
	dir := Dir(playbooks)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	s, err := load(os.DirFS(dir), dir)
	if err != nil {
		return nil, err
	}
	out := &Set{byID: map[string]*Type{}}
	for id, t := range Default().byID {
		out.byID[id] = t
	}
	for id, t := range s.byID {
		out.byID[id] = t
	}
	return out, nil
}

// file is one type file, decoded or not.
type file struct {
	name string
	t    *Type
	err  error
}

func load(fsys fs.FS, dir string) (*Set, error) {
	files, err := readFiles(fsys, dir)
	if err != nil {
		return nil, err
	}
	if ps := checkFiles(files, nil); len(ps) > 0 {
		return nil, ps
	}
	s := &Set{byID: map[string]*Type{}}
	for _, f := range files {
		s.byID[f.t.ID] = f.t
	}
	return s, nil
}

func readFiles(fsys fs.FS, dir string) ([]file, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var files []file
	for _, e := range entries {
		if ext := path.Ext(e.Name()); e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		name := e.Name()
		if dir != "" {
			name = filepath.Join(dir, name)
		}
		t, err := decode(b)
		files = append(files, file{name: name, t: t, err: err})
	}
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.name, b.name) })
	return files, nil
}

// decode reads one type: one YAML document with only known fields.
func decode(b []byte) (*Type, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var t Type
	if err := dec.Decode(&t); errors.Is(err, io.EOF) {
		return nil, errors.New("is empty; write one signal type (see docs/signals.md)")
	} else if err != nil {
		return nil, fmt.Errorf("is not a valid signal type: %v", err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("holds more than one YAML document; write one signal type per file")
	}
	return &t, nil
}

// kinds lists the case kinds a type can become.
func kinds() []string {
	out := make([]string, len(ally.Kinds))
	for i, k := range ally.Kinds {
		out[i] = string(k)
	}
	return out
}
