package playbook

import (
	"maps"

	"github.com/allydesk/ally"
)

// Set is every playbook, by kind. Treat it and its playbooks as read-only:
// Default shares one Set between callers.
type Set struct {
	byKind map[string]*Playbook
}

// Get returns the playbook for a kind.
func (s *Set) Get(kind string) (*Playbook, bool) {
	p, ok := s.byKind[kind]
	return p, ok
}

// All returns every playbook in the order the report form shows the kinds
// (ally.Kinds).
func (s *Set) All() []*Playbook {
	out := make([]*Playbook, 0, len(s.byKind))
	for _, k := range ally.Kinds {
		if p, ok := s.byKind[string(k)]; ok {
			out = append(out, p)
		}
	}
	return out
}

// Kinds returns the kinds the set has a playbook for, in form order.
func (s *Set) Kinds() []string {
	out := make([]string, 0, len(s.byKind))
	for _, p := range s.All() {
		out = append(out, p.Kind)
	}
	return out
}

// with returns a new set holding s's playbooks, replaced or added to by o's.
func (s *Set) with(o *Set) *Set {
	out := &Set{byKind: make(map[string]*Playbook, len(s.byKind)+len(o.byKind))}
	maps.Copy(out.byKind, s.byKind)
	maps.Copy(out.byKind, o.byKind)
	return out
}
