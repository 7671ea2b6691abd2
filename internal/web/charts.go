package web

import (
	"fmt"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/workshop"
)

// distChart is a bar chart of one question's answers, in SVG units. The
// counts are written on the bars and the labels under them, so the chart
// reads without colour; "don't know" is a separate bar.
type distChart struct {
	Width, Height int
	Bars          []distBar
	Summary       string // one line for screen readers and the figure caption
}

type distBar struct {
	X, Y, W, H int
	LabelY     int
	Value      string // the value's label
	Count      int64
	DontKnow   bool
}

const (
	chartBarW   = 56
	chartGap    = 8
	chartPlotH  = 120
	chartLabelH = 36
)

// distributionChart lays out the bars of d for question q in lang.
func distributionChart(d workshop.Distribution, q domain.Question, lang string, dontKnow string) distChart {
	n := len(d.Counts) + 1
	// The last label ("Don't know") is wider than a bar: leave room for it.
	c := distChart{Width: n*(chartBarW+chartGap) + chartGap + 32, Height: chartPlotH + chartLabelH}
	max := d.DontKnow
	for _, v := range d.Counts {
		if v > max {
			max = v
		}
	}
	bar := func(i int, count int64, label string, dk bool) distBar {
		h := 0
		if max > 0 {
			h = int(count * int64(chartPlotH-16) / max)
		}
		return distBar{X: chartGap + i*(chartBarW+chartGap), Y: chartPlotH - h, W: chartBarW, H: h,
			LabelY: chartPlotH + 16, Value: label, Count: count, DontKnow: dk}
	}
	for i, count := range d.Counts {
		c.Bars = append(c.Bars, bar(i, count, fmt.Sprint(q.Min+i), false))
	}
	c.Bars = append(c.Bars, bar(len(d.Counts), d.DontKnow, dontKnow, true))
	c.Summary = fmt.Sprintf("%s: %d", q.Label.String(lang), d.Count)
	return c
}
