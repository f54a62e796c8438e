package playbook

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

//go:embed defaults/*.yaml
var defaults embed.FS

// Default returns the embedded playbooks.
func Default() *Set {
	sub, _ := fs.Sub(defaults, "defaults")
	s, err := Load(sub)
	if err != nil {
		panic("playbook: embedded defaults are broken: " + err.Error())
	}
	return s
}

// Load reads every *.yaml file in fsys, one playbook per file.
func Load(fsys fs.FS) (*Set, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	s := &Set{byKind: map[string]*Playbook{}}
	sort.Strings(names)
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var p Playbook
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if p.Kind == "" {
			return nil, fmt.Errorf("%s: kind is missing", name)
		}
		if _, dup := s.byKind[p.Kind]; dup {
			return nil, fmt.Errorf("%s: a second playbook for kind %q", name, p.Kind)
		}
		s.byKind[p.Kind] = &p
		s.order = append(s.order, p.Kind)
	}
	return s, nil
}

// ParseDuration reads durations such as "30m", "4h", "2d" (days) and "1w".
func ParseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if n, unit := s[:len(s)-1], s[len(s)-1]; unit == 'd' || unit == 'w' {
		v, err := strconv.Atoi(n)
		if err != nil || v < 0 {
			return 0, fmt.Errorf("%q is not a duration like 30m, 4h or 2d", s)
		}
		day := 24 * time.Hour
		if unit == 'w' {
			day *= 7
		}
		return time.Duration(v) * day, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration like 30m, 4h or 2d", s)
	}
	return d, nil
}

func equalFold(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
