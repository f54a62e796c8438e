package roleplay

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"sort"
)

//go:embed defaults/*.yaml
var defaults embed.FS

// Library is a set of scenarios by id.
type Library struct {
	byID map[string]*Scenario
}

// Default returns the embedded scenarios.
func Default() *Library {
	sub, _ := fs.Sub(defaults, "defaults")
	lib, err := Load(sub)
	if err != nil {
		panic("roleplay: embedded scenarios are broken: " + err.Error())
	}
	return lib
}

// Load reads every *.yaml and *.yml file in fsys, one scenario per file. Two files
// with the same id are an error.
func Load(fsys fs.FS) (*Library, error) {
	lib := &Library{byID: map[string]*Scenario{}}
	return lib, lib.add(fsys, false)
}

// LoadDir returns the embedded scenarios together with every *.yaml and
// *.yml file in dir. A file whose id matches a default replaces it; other files add
// scenarios.
func LoadDir(dir string) (*Library, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	lib := Default()
	return lib, lib.add(os.DirFS(dir), true)
}

func (l *Library) add(fsys fs.FS, replace bool) error {
	names, _ := fs.Glob(fsys, "*.yaml") // the patterns are valid, so Glob cannot fail
	yml, _ := fs.Glob(fsys, "*.yml")
	names = append(names, yml...)
	sort.Strings(names)
	loaded := map[string]string{} // id -> file, within this folder
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sc, err := Parse(b)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if prev, dup := loaded[sc.ID]; dup {
			return fmt.Errorf("%s: id %q is already used by %s", name, sc.ID, prev)
		}
		if _, exists := l.byID[sc.ID]; exists && !replace {
			return fmt.Errorf("%s: id %q is already used", name, sc.ID)
		}
		loaded[sc.ID] = name
		l.byID[sc.ID] = sc
	}
	return nil
}

// List returns every scenario, sorted by id.
func (l *Library) List() []*Scenario {
	out := make([]*Scenario, 0, len(l.byID))
	for _, sc := range l.byID {
		out = append(out, sc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// IDs returns every scenario id, sorted.
func (l *Library) IDs() []string {
	ids := make([]string, 0, len(l.byID))
	for _, sc := range l.List() {
		ids = append(ids, sc.ID)
	}
	return ids
}

// Get returns the scenario with the given id.
func (l *Library) Get(id string) (*Scenario, bool) {
	sc, ok := l.byID[id]
	return sc, ok
}
