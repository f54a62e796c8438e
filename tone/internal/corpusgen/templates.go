package main

import (
	_ "embed"
	"fmt"
	"strings"
)

//go:embed templates.txt
var templatesTxt string

// parseTemplates reads templates.txt: the blaming templates and the kind
// ones, each by kind, in the order written.
func parseTemplates(src string) (blame, kind map[string][]string, err error) {
	blame, kind = map[string][]string{}, map[string][]string{}
	var cur map[string][]string
	var name string
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section, id, _ := strings.Cut(strings.Trim(line, "[]"), " ")
			switch section {
			case "blame":
				cur = blame
			case "kind":
				cur = kind
			default:
				return nil, nil, fmt.Errorf("templates.txt:%d: section %q must be [blame KIND] or [kind NAME]", n+1, line)
			}
			name = id
		case cur == nil:
			return nil, nil, fmt.Errorf("templates.txt:%d: a template before any section", n+1)
		default:
			cur[name] = append(cur[name], line)
		}
	}
	return blame, kind, nil
}
