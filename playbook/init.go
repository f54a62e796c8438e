package playbook

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrExists is returned by WriteDefaults when it would overwrite files.
var ErrExists = errors.New("files already exist")

// WriteDefaults writes the embedded default playbooks into dir as editable
// files, creating dir if needed, and returns the paths written. Unless
// force is set it writes nothing when any of the files already exists, and
// returns an error wrapping ErrExists that names them.
func WriteDefaults(dir string, force bool) ([]string, error) {
	src := DefaultFS()
	names, err := Files(src)
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(names))
	var existing []string
	for i, name := range names {
		paths[i] = filepath.Join(dir, name)
		if _, err := os.Lstat(paths[i]); err == nil {
			existing = append(existing, paths[i])
		}
	}
	if len(existing) > 0 && !force {
		return nil, fmt.Errorf("%w: %s", ErrExists, strings.Join(existing, ", "))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for i, name := range names {
		b, err := fs.ReadFile(src, name)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(paths[i], b, 0o644); err != nil {
			return nil, err
		}
	}
	return paths, nil
}
