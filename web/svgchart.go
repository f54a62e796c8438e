package web

import (
	"math"
	"strconv"
	"strings"
)

// Charts are laid out here and drawn by the "chart" partial as SVG: no
// client-side chart library, no inline styles (colours come from classes in
// ally.css), and a table of the same numbers as the text alternative.

// chartPoint is one value of a chart: its label on the x axis, the value
// (nil when there is none, e.g. no case was acknowledged that week) and the
// value in words for the table.
type chartPoint struct {
	Label string
	Value *float64
	Text  string
}

// chartSpec describes a chart before it is laid out.
type chartSpec struct {
	ID    string // unique on the page: the title and desc ids derive from it
	Title string
	Desc  string
	Head  string // the table's value column heading
	// Tick writes a y-axis value in words ("20 min"); Step is the smallest
	// gap between ticks, above zero (1 for counts).
	Tick   func(float64) string
	Step   float64
	Points []chartPoint
}

// svgChart is a chart ready for the template: coordinates in the viewBox.
type svgChart struct {
	ID, Title, Desc, Head string
	Width, Height         float64
	Left, Right, Bottom   float64 // the plot area's edges
	AxisX, AxisY          float64 // where the y labels end and the x labels sit
	Bars                  []chartBar
	Lines                 []string // polyline points, one per run of values
	Dots                  []chartDot
	YTicks, XTicks        []chartTick
	Points                []chartPoint
	Empty                 bool // nothing to draw: the page says so instead
}

// chartBar is one bar.
type chartBar struct{ X, Y, W, H float64 }

// chartDot is one point of a line.
type chartDot struct{ X, Y float64 }

// chartTick is an axis label at a position along its axis.
type chartTick struct {
	Pos   float64
	Label string
}

// The viewBox and the plot area's margins.
const (
	chartW, chartH                = 640, 230
	chartLeft, chartRight         = 84, 12
	chartTop, chartBottom         = 14, 30
	chartMaxXLabels               = 6
	chartMaxBarW                  = 56
	chartYTicks                   = 4
	chartPlotW                    = chartW - chartLeft - chartRight
	chartPlotH            float64 = chartH - chartTop - chartBottom
)

// layoutChart places the axes and returns the chart with functions giving
// each point's x (its slot's centre) and a value's y, and the slot width.
func layoutChart(s chartSpec) (c svgChart, x func(int) float64, y func(float64) float64, slot float64) {
	c = svgChart{ID: s.ID, Title: s.Title, Desc: s.Desc, Head: s.Head, Points: s.Points,
		Width: chartW, Height: chartH, Left: chartLeft, Right: chartW - chartRight, Bottom: chartH - chartBottom,
		AxisX: chartLeft - 8, AxisY: chartH - chartBottom + 20}
	top := 0.0
	for _, p := range s.Points {
		if p.Value != nil {
			top = math.Max(top, *p.Value)
		}
	}
	c.Empty = !hasValue(s.Points)
	step := niceStep(top/chartYTicks, s.Step)
	top = math.Max(step, math.Ceil(top/step)*step)
	y = func(v float64) float64 { return round1(c.Bottom - v/top*chartPlotH) }
	for v := 0.0; v <= top+step/2; v += step {
		c.YTicks = append(c.YTicks, chartTick{Pos: y(v), Label: s.Tick(v)})
	}
	slot = chartPlotW / math.Max(1, float64(len(s.Points)))
	x = func(i int) float64 { return round1(chartLeft + slot*(float64(i)+.5)) }
	every := (len(s.Points) + chartMaxXLabels - 1) / chartMaxXLabels
	for i, p := range s.Points {
		if i%every == 0 {
			c.XTicks = append(c.XTicks, chartTick{Pos: x(i), Label: p.Label})
		}
	}
	return c, x, y, slot
}

// barChart lays out one bar per point; points without a value get none.
func barChart(s chartSpec) svgChart {
	c, x, y, slot := layoutChart(s)
	w := round1(math.Min(slot*.6, chartMaxBarW))
	for i, p := range s.Points {
		if p.Value == nil || *p.Value <= 0 {
			continue
		}
		top := y(*p.Value)
		c.Bars = append(c.Bars, chartBar{X: round1(x(i) - w/2), Y: top, W: w, H: round1(c.Bottom - top)})
	}
	return c
}

// lineChart joins consecutive values with a line and marks each with a
// dot; a point without a value breaks the line.
func lineChart(s chartSpec) svgChart {
	c, x, y, _ := layoutChart(s)
	run := ""
	for i, p := range s.Points {
		if p.Value == nil {
			c.Lines, run = appendRun(c.Lines, run), ""
			continue
		}
		d := chartDot{X: x(i), Y: y(*p.Value)}
		c.Dots = append(c.Dots, d)
		if run != "" {
			run += " "
		}
		run += ftoa(d.X) + "," + ftoa(d.Y)
	}
	c.Lines = appendRun(c.Lines, run)
	return c
}

// appendRun keeps a run of points that makes a line (two points or more).
func appendRun(lines []string, run string) []string {
	if strings.Contains(run, " ") {
		return append(lines, run)
	}
	return lines
}

func hasValue(ps []chartPoint) bool {
	for _, p := range ps {
		if p.Value != nil {
			return true
		}
	}
	return false
}

// niceStep rounds a raw tick step up to 1, 2 or 5 times a power of ten, and
// to at least least (which must be above zero).
func niceStep(raw, least float64) float64 {
	if raw <= least {
		return least
	}
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*pow >= raw {
			return m * pow
		}
	}
	return 10 * pow
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
