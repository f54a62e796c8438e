package web

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// points makes chart points from values; a negative value means "none".
func points(vs ...float64) []chartPoint {
	out := make([]chartPoint, len(vs))
	for i, v := range vs {
		out[i] = chartPoint{Label: fmt.Sprintf("w%d", i+1), Text: "none"}
		if v >= 0 {
			out[i].Value, out[i].Text = &v, fmt.Sprint(v)
		}
	}
	return out
}

func spec(ps []chartPoint) chartSpec {
	return chartSpec{ID: "c", Title: "T", Desc: "D", Head: "H", Tick: ftoa, Step: 1, Points: ps}
}

func TestChartEmpty(t *testing.T) {
	for name, ps := range map[string][]chartPoint{"no points": nil, "no values": points(-1, -1)} {
		b, l := barChart(spec(ps)), lineChart(spec(ps))
		if !b.Empty || !l.Empty || len(b.Bars) != 0 || len(l.Lines) != 0 || len(l.Dots) != 0 {
			t.Errorf("%s: empty=%v/%v bars=%d lines=%d dots=%d", name, b.Empty, l.Empty, len(b.Bars), len(l.Lines), len(l.Dots))
		}
		if len(b.YTicks) == 0 || b.YTicks[0].Label != "0" {
			t.Errorf("%s: y ticks %+v", name, b.YTicks)
		}
	}
	if c := barChart(spec(points(0, 0))); c.Empty || len(c.Bars) != 0 {
		t.Errorf("zero values are data (nothing reported) but draw no bars: empty=%v bars=%d", c.Empty, len(c.Bars))
	}
}

func TestChartOnePoint(t *testing.T) {
	b := barChart(spec(points(7)))
	if len(b.Bars) != 1 || b.Empty {
		t.Fatalf("bars: %+v", b.Bars)
	}
	bar := b.Bars[0]
	if bar.W > chartMaxBarW || bar.X < b.Left || bar.X+bar.W > b.Right || bar.Y+bar.H != b.Bottom {
		t.Errorf("the one bar is outside the plot: %+v in [%v, %v]", bar, b.Left, b.Right)
	}
	if mid := bar.X + bar.W/2; mid != round1((b.Left+b.Right)/2) {
		t.Errorf("the one bar is not centred: %v", mid)
	}
	l := lineChart(spec(points(7)))
	if len(l.Dots) != 1 || len(l.Lines) != 0 {
		t.Errorf("one point: %d dots, %d lines (a line needs two points)", len(l.Dots), len(l.Lines))
	}
	if len(b.XTicks) != 1 || b.XTicks[0].Label != "w1" {
		t.Errorf("x ticks: %+v", b.XTicks)
	}
}

func TestChartValuesScale(t *testing.T) {
	c := barChart(spec(points(5, 10, 2.5)))
	// Ticks are 0, 2, 4 … 10: the largest value meets the top of the plot,
	// and heights are in proportion to the values.
	if top := c.YTicks[len(c.YTicks)-1]; top.Label != "10" || top.Pos != chartTop {
		t.Errorf("top tick: %+v", top)
	}
	h := func(i int) float64 { return c.Bars[i].H }
	if h(1) != chartPlotH || h(0) != h(1)/2 || h(2) != h(1)/4 {
		t.Errorf("bar heights %v, %v, %v for 5, 10, 2.5", h(0), h(1), h(2))
	}
	if !(c.Bars[0].X < c.Bars[1].X && c.Bars[1].X < c.Bars[2].X) {
		t.Error("bars are not in order")
	}
	big := barChart(spec(points(1234)))
	if top := big.YTicks[len(big.YTicks)-1]; top.Label != "1500" || big.Bars[0].Y <= chartTop {
		t.Errorf("1234 scales to a top of %q with the bar at y=%v", top.Label, big.Bars[0].Y)
	}
	if n := len(barChart(spec(points(3))).YTicks); n != 4 { // 0, 1, 2, 3: counts tick in whole numbers
		t.Errorf("counts up to 3 have %d ticks", n)
	}
}

func TestLineBreaksWhereValuesAreMissing(t *testing.T) {
	c := lineChart(spec(points(1, 2, -1, 4, 5, -1, 6)))
	if len(c.Dots) != 5 || len(c.Lines) != 2 {
		t.Fatalf("%d dots and %d lines, want 5 and 2", len(c.Dots), len(c.Lines))
	}
	if n := strings.Count(c.Lines[0], ","); n != 2 {
		t.Errorf("the first line has %d points: %q", n, c.Lines[0])
	}
}

func TestChartXLabelsThin(t *testing.T) {
	c := barChart(spec(points(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14)))
	if len(c.XTicks) > chartMaxXLabels || c.XTicks[0].Label != "w1" {
		t.Errorf("%d x labels: %+v", len(c.XTicks), c.XTicks)
	}
	if len(c.Points) != 14 {
		t.Errorf("the table lost points: %d", len(c.Points))
	}
}

func TestNiceStep(t *testing.T) {
	for _, c := range []struct{ raw, least, want float64 }{
		{0, 1, 1}, {0.3, 1, 1}, {1.2, 1, 2}, {3, 1, 5}, {7, 1, 10}, {12, 1, 20}, {308.5, 1, 500}, {0.03, 0.01, 0.05},
	} {
		if got := niceStep(c.raw, c.least); got != c.want {
			t.Errorf("niceStep(%v, %v) = %v, want %v", c.raw, c.least, got, c.want)
		}
	}
}

// TestChartRenders draws a chart through the partial: an image with a
// title and description, and the same numbers in a table.
func TestChartRenders(t *testing.T) {
	var buf bytes.Buffer
	c := lineChart(spec(points(3, -1, 4)))
	c.Title, c.Desc = "Replies <fast>", "Median & more"
	if err := views["dashboard"].ExecuteTemplate(&buf, "chart", c); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`role="img" aria-labelledby="c-t c-d"`, `<title id="c-t">Replies &lt;fast&gt;</title>`,
		`<desc id="c-d">Median &amp; more</desc>`, `<th scope="row">w2</th><td>none</td>`, `<circle class="chart-dot"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the chart lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "style") {
		t.Error("the chart has a style attribute")
	}
	buf.Reset()
	if err := views["dashboard"].ExecuteTemplate(&buf, "chart", barChart(spec(nil))); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "No data for this period yet.") || strings.Contains(buf.String(), "<svg") {
		t.Error("an empty chart draws an image")
	}
}
