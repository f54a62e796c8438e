package playbook

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

//go:embed defaults/*.yaml
var defaults embed.FS

// DefaultFS returns the embedded default playbook files, one per kind.
func DefaultFS() fs.FS {
	sub, err := fs.Sub(defaults, "defaults")
	if err != nil {
		panic("playbook: " + err.Error())
	}
	return sub
}

// Default returns the embedded playbooks, parsed once and shared.
func Default() *Set { return defaultSet() }

var defaultSet = sync.OnceValue(func() *Set {
	s, err := Load(DefaultFS())
	if err != nil {
		panic("playbook: embedded defaults are broken: " + err.Error())
	}
	return s
})

// LoadDir starts from the embedded defaults and replaces or adds playbooks
// by kind from the *.yaml and *.yml files in dir. Its error names the file
// and field of every problem found (see Problems); an unreadable dir is an
// error too. It does not check wording: run Lint for that.
func LoadDir(dir string) (*Set, error) {
	s, err := Load(os.DirFS(dir))
	if err != nil {
		var ps Problems
		if errors.As(err, &ps) {
			return nil, ps.in(dir)
		}
		return nil, err
	}
	return Default().with(s), nil
}

// Load reads every playbook file in the top folder of fsys, one playbook per
// file, and checks each (see Check). Its error is Problems when a file is
// invalid, or the error from reading fsys.
func Load(fsys fs.FS) (*Set, error) {
	files, err := readFiles(fsys)
	if err != nil {
		return nil, err
	}
	s := &Set{byKind: map[string]*Playbook{}}
	var ps Problems
	for _, f := range files {
		if f.p == nil {
			ps = append(ps, f.problems...)
			continue
		}
		ps = append(ps, Check(f.name, f.p)...)
		s.byKind[f.p.Kind] = f.p
	}
	if ps = append(ps, duplicateKinds(files)...); len(ps) > 0 {
		return nil, ps
	}
	return s, nil
}

// Files lists the playbook files (*.yaml, *.yml) in the top folder of fsys,
// sorted. Its error means fsys could not be read.
func Files(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if ext := path.Ext(e.Name()); !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// file is one decoded playbook file: p is nil when it could not be decoded.
type file struct {
	name     string
	p        *Playbook
	problems []Problem
}

func readFiles(fsys fs.FS) ([]file, error) {
	names, err := Files(fsys)
	if err != nil {
		return nil, err
	}
	files := make([]file, 0, len(names))
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		p, problem := Decode(b)
		f := file{name: name, p: p}
		if problem != "" {
			f.problems = []Problem{{File: name, Message: problem}}
		}
		files = append(files, f)
	}
	return files, nil
}

// Decode reads one playbook from YAML, rejecting unknown fields and more
// than one document. On failure it returns nil and why, naming the line and
// field where YAML tells them.
func Decode(b []byte) (*Playbook, string) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var p Playbook
	switch err := dec.Decode(&p); {
	case errors.Is(err, io.EOF):
		return nil, "the file is empty; write one playbook in it"
	case err != nil:
		return nil, yamlMessage(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, "holds more than one document (---); write one playbook per file"
	}
	return &p, ""
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

func duplicateKinds(files []file) []Problem {
	var ps []Problem
	first := map[string]string{}
	for _, f := range files {
		if f.p == nil || f.p.Kind == "" {
			continue
		}
		if prev, dup := first[f.p.Kind]; dup {
			ps = append(ps, Problem{File: f.name, Field: "kind",
				Message: fmt.Sprintf("%q already has a playbook in %s; keep one file per kind", f.p.Kind, prev)})
			continue
		}
		first[f.p.Kind] = f.name
	}
	return ps
}

// ParseDuration reads durations such as "30m", "4h", "1h30m", "2d" (days)
// and "1w" (weeks). Negative durations are refused; "" is zero.
func ParseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("%q is not a duration like 30m, 4h or 2d", s)
	if s == "" {
		return 0, nil
	}
	if n, unit := s[:len(s)-1], s[len(s)-1]; unit == 'd' || unit == 'w' {
		day := 24 * time.Hour
		if unit == 'w' {
			day *= 7
		}
		v, err := strconv.ParseInt(n, 10, 64)
		if err != nil || v < 0 || v > math.MaxInt64/int64(day) || strings.HasPrefix(n, "+") {
			return 0, bad
		}
		return time.Duration(v) * day, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, bad
	}
	return d, nil
}

func equalFold(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// in returns ps with every file named inside dir.
func (ps Problems) in(dir string) Problems {
	out := make(Problems, len(ps))
	for i, p := range ps {
		p.File = filepath.Join(dir, p.File)
		out[i] = p
	}
	return out
}
