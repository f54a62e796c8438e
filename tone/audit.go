package tone

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/allydesk/ally/csvsafe"
)

// AuditGroup sums up the tone of one group of texts (a team, a month, an
// author...): how many blame, and which rules fire most.
type AuditGroup struct {
	Group       string         `json:"group"`
	Messages    int            `json:"messages"`
	Blaming     int            `json:"blaming"`
	BlameRate   float64        `json:"blame_rate"`
	MeanWarmth  float64        `json:"mean_warmth"`
	TopPatterns []PatternCount `json:"top_patterns"`

	warmth int
	rules  map[string]int
}

// PatternCount is how many texts of a group a rule fired on.
type PatternCount struct {
	Rule  string `json:"rule"`
	Count int    `json:"count"`
}

// AuditReport is the audit of every group, in first-seen order, and of all
// texts together.
type AuditReport struct {
	Groups []*AuditGroup `json:"groups"`
	Total  *AuditGroup   `json:"total"`
}

// topPatterns is how many rules a group lists.
const topPatterns = 3

// AuditCSV reads a CSV file with a header row, checks the text in column
// textCol of each row and sums the results per value of column groupCol
// (all rows in one group when groupCol is empty). progress, if not nil, is
// called now and then with the rows done and the total.
func (e *Engine) AuditCSV(r io.Reader, aud Audience, textCol, groupCol string, progress func(done,
	total int)) (*AuditReport, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("the CSV file is empty: it needs a header row naming its columns")
	}
	if err != nil {
		return nil, err
	}
	ti, err := column(header, textCol)
	if err != nil {
		return nil, err
	}
	gi := -1
	if groupCol != "" {
		if gi, err = column(header, groupCol); err != nil {
			return nil, err
		}
	}
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	rep := &AuditReport{Total: &AuditGroup{Group: "all", rules: map[string]int{}}}
	byName := map[string]*AuditGroup{}
	for n, rec := range rows {
		if ti >= len(rec) {
			continue
		}
		name := "all"
		if gi >= 0 && gi < len(rec) {
			name = rec[gi]
		}
		g := byName[name]
		if g == nil {
			g = &AuditGroup{Group: name, rules: map[string]int{}}
			byName[name] = g
			rep.Groups = append(rep.Groups, g)
		}
		res := e.Check(rec[ti], aud)
		g.add(&res)
		rep.Total.add(&res)
		if progress != nil && ((n+1)%500 == 0 || n+1 == len(rows)) {
			progress(n+1, len(rows))
		}
	}
	for _, g := range append(rep.Groups, rep.Total) {
		g.finish()
	}
	return rep, nil
}

// column finds a header by name, ignoring case and surrounding space.
func column(header []string, name string) (int, error) {
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(name)) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("no column %q in the CSV header (columns: %s)", name, strings.Join(header, ", "))
}

func (g *AuditGroup) add(res *Result) {
	g.Messages++
	g.warmth += res.Scores.Warmth
	if res.Blame {
		g.Blaming++
	}
	seen := map[string]bool{}
	for _, f := range res.Findings {
		if IsBlaming(f.Category) && !seen[f.Rule] {
			seen[f.Rule] = true
			g.rules[f.Rule]++
		}
	}
}

func (g *AuditGroup) finish() {
	if g.Messages > 0 {
		g.BlameRate = float64(g.Blaming) / float64(g.Messages)
		g.MeanWarmth = float64(g.warmth) / float64(g.Messages)
	}
	g.TopPatterns = []PatternCount{}
	for rule, n := range g.rules {
		g.TopPatterns = append(g.TopPatterns, PatternCount{rule, n})
	}
	sort.Slice(g.TopPatterns, func(a, b int) bool {
		pa, pb := g.TopPatterns[a], g.TopPatterns[b]
		return pa.Count > pb.Count || (pa.Count == pb.Count && pa.Rule < pb.Rule)
	})
	if len(g.TopPatterns) > topPatterns {
		g.TopPatterns = g.TopPatterns[:topPatterns]
	}
}

// WriteText prints the report as an aligned table.
func (rep *AuditReport) WriteText(w io.Writer) error {
	rows := append(rep.Groups, rep.Total)
	width := len("group")
	for _, g := range rows {
		width = max(width, len(g.Group))
	}
	if _, err := fmt.Fprintf(w, "%-*s  %8s  %7s  %10s  %6s  %s\n", width, "group", "messages", "blaming", "blame rate",
		"warmth", "top patterns"); err != nil {
		return err
	}
	for _, g := range rows {
		if _, err := fmt.Fprintf(w, "%-*s  %8d  %7d  %9.1f%%  %6.0f  %s\n", width, g.Group, g.Messages, g.Blaming,
			100*g.BlameRate, g.MeanWarmth, g.patterns()); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSV prints one row per group and a last row for all texts.
func (rep *AuditReport) WriteCSV(w io.Writer) error {
	cw := csvsafe.NewWriter(w)
	_ = cw.Write([]string{"group", "messages", "blaming", "blame_rate", "mean_warmth", "top_patterns"})
	for _, g := range append(rep.Groups, rep.Total) {
		_ = cw.Write([]string{g.Group, strconv.Itoa(g.Messages), strconv.Itoa(g.Blaming),
			strconv.FormatFloat(g.BlameRate, 'f', 4, 64), strconv.FormatFloat(g.MeanWarmth, 'f', 1, 64), g.patterns()})
	}
	cw.Flush()
	return cw.Error()
}

// patterns lists the top rules as "rule (n), rule (n)", or "-".
func (g *AuditGroup) patterns() string {
	if len(g.TopPatterns) == 0 {
		return "-"
	}
	parts := make([]string, len(g.TopPatterns))
	for i, p := range g.TopPatterns {
		parts[i] = fmt.Sprintf("%s (%d)", p.Rule, p.Count)
	}
	return strings.Join(parts, ", ")
}

// LineCol turns a code-point offset in text into a 1-based line and column
// (columns count code points).
func LineCol(text string, offset int) (line, col int) {
	line, col = 1, 1
	i := 0
	for _, r := range text {
		if i == offset {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i++
	}
	return line, col
}
