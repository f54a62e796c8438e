package playbook

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"sync"
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
	if ps := checkFiles(files, nil); len(ps) > 0 {
		return nil, ps
	}
	s := &Set{byKind: make(map[string]*Playbook, len(files))}
	for _, f := range files {
		s.byKind[f.p.Kind] = f.p
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

// file is one playbook file, decoded (p) or not (err).
type file struct {
	name string
	p    *Playbook
	err  error
}

// checkFiles returns the problems in files: Check on each, one playbook per
// kind, and the wording when tc is not nil.
func checkFiles(files []file, tc ToneChecker) Problems {
	var ps Problems
	for _, f := range files {
		if f.err != nil {
			ps = append(ps, Problem{File: f.name, Message: f.err.Error()})
			continue
		}
		ps = append(ps, Check(f.name, f.p)...)
		if tc != nil {
			ps = append(ps, wording(f.name, f.p, tc)...)
		}
	}
	return append(ps, duplicateKinds(files)...)
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
		p, err := Decode(b)
		files = append(files, file{name: name, p: p, err: err})
	}
	return files, nil
}

func duplicateKinds(files []file) []Problem {
	var ps []Problem
	first := map[string]string{}
	for _, f := range files {
		if f.err != nil || f.p.Kind == "" {
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

// in returns ps with every file named inside dir.
func (ps Problems) in(dir string) Problems {
	out := make(Problems, len(ps))
	for i, p := range ps {
		p.File = filepath.Join(dir, p.File)
		out[i] = p
	}
	return out
}
