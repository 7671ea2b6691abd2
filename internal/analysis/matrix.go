package analysis

import (
	"fmt"
	"math"
	"strings"

	"github.com/waymark/waymark/internal/domain"
)

// Quadrant is a quadrant of the impact × certainty matrix.
type Quadrant string

// The quadrants. A mean on a threshold counts as high.
const (
	ActNow           Quadrant = "act-now"           // high impact, high certainty
	PrepareScenarios Quadrant = "prepare-scenarios" // high impact, low certainty
	Watch            Quadrant = "watch"             // low impact, low certainty
	Routine          Quadrant = "routine"           // low impact, high certainty
)

// Quadrants lists the quadrants in reading order: the top row left to right
// (prepare scenarios, act now), then the bottom row (watch, routine).
var Quadrants = []Quadrant{PrepareScenarios, ActNow, Watch, Routine}

// Name returns the quadrant's name in English and Swedish.
func (q Quadrant) Name() domain.Text {
	switch q {
	case ActNow:
		return domain.T("Act now", "Agera nu")
	case PrepareScenarios:
		return domain.T("Prepare scenarios", "Förbered scenarier")
	case Watch:
		return domain.T("Watch", "Bevaka")
	case Routine:
		return domain.T("Routine", "Rutin")
	}
	return domain.T(string(q), string(q))
}

// QuadrantOf returns the quadrant of a trend's mean impact and certainty
// for the thresholds: at or above a threshold is high.
func QuadrantOf(impact, certainty, impactThreshold, certaintyThreshold float64) Quadrant {
	hiI, hiC := impact >= impactThreshold, certainty >= certaintyThreshold
	switch {
	case hiI && hiC:
		return ActNow
	case hiI:
		return PrepareScenarios
	case hiC:
		return Routine
	}
	return Watch
}

// MatrixTrend is one trend for the matrix.
type MatrixTrend struct {
	Key       string
	Label     string
	Impact    Stats
	Certainty Stats
}

// MatrixOptions set the matrix's size and thresholds. Zero values take the
// defaults.
type MatrixOptions struct {
	Width, Height float64 // the plotting area; default 480 × 400
	FontSize      float64 // of the labels; default 12
	PointRadius   float64 // default 5
	MaxLabelRunes int     // labels longer than this are shortened with "…" (the table has them whole); default 28
	// Numbered labels each point with its Number instead of its title, for
	// crowded matrices read with the table beside them.
	Numbered bool
	// ImpactThreshold and CertaintyThreshold divide high from low; nil is
	// the midpoint of the question's scale (3 on 1…5).
	ImpactThreshold, CertaintyThreshold *float64
	Measure                             MeasureFunc // default EstimateText
	Lang                                string      // of the quadrant names that are measured; default "en"
}

func (o *MatrixOptions) defaults() {
	if o.Width <= 0 {
		o.Width = 480
	}
	if o.Height <= 0 {
		o.Height = 400
	}
	if o.FontSize <= 0 {
		o.FontSize = 12
	}
	if o.PointRadius <= 0 {
		o.PointRadius = 5
	}
	if o.MaxLabelRunes <= 0 {
		o.MaxLabelRunes = 28
	}
	if o.Measure == nil {
		o.Measure = EstimateText
	}
	if o.Lang == "" {
		o.Lang = "en"
	}
}

// Matrix is the geometry of the impact × certainty matrix: certainty
// runs along the x axis (low on the left), impact up the y axis (low at
// the bottom), so act now is the top right.
type Matrix struct {
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	Plot   Rect    `json:"plot"`  // the plotting area, split into the quadrants
	Inset  float64 `json:"inset"` // from the plot's edges to the ends of the scales

	ImpactMin          int           `json:"impact_min"` // the impact scale, up the y axis
	ImpactMax          int           `json:"impact_max"`
	CertaintyMin       int           `json:"certainty_min"` // the certainty scale, along the x axis
	CertaintyMax       int           `json:"certainty_max"`
	ImpactThreshold    float64       `json:"impact_threshold"`
	CertaintyThreshold float64       `json:"certainty_threshold"`
	XTicks             []Tick        `json:"x_ticks"`      // certainty, under the plot
	YTicks             []Tick        `json:"y_ticks"`      // impact, left of the plot
	XAxisTitle         Point         `json:"x_axis_title"` // centre of the x axis title
	YAxisTitle         Point         `json:"y_axis_title"` // centre of the y axis title, to be rotated −90°
	Quadrants          []QuadrantBox `json:"quadrants"`
	Points             []MatrixPoint `json:"points"`
	// Unplaced are the trends without a mean impact or certainty; the
	// table lists them, the chart cannot.
	Unplaced []Unplaced  `json:"unplaced"`
	FontSize float64     `json:"font_size"`
	Summary  domain.Text `json:"summary"`
}

// Tick is a value of a scale and its position along its axis.
type Tick struct {
	Value int     `json:"value"`
	Pos   float64 `json:"pos"`
}

// QuadrantBox is one quadrant's area and the box of its name, in its outer
// corner. Draw the names before the points.
type QuadrantBox struct {
	Quadrant Quadrant    `json:"quadrant"`
	Name     domain.Text `json:"name"`
	Area     Rect        `json:"area"`
	LabelBox Rect        `json:"label_box"`
	Count    int         `json:"count"` // trends in it
}

// MatrixPoint is one trend in the matrix. Its marker is a circle at X, Y
// of radius R; its label (Short) sits in LabelBox, text starting at its
// left edge with the baseline at TextY; Leader, when set, joins a label
// placed away from its point.
type MatrixPoint struct {
	Key       string   `json:"key"`
	Number    int      `json:"number"` // place among the points, from 1, in the order given
	Label     string   `json:"label"`
	Short     string   `json:"short"` // the label drawn: shortened, or the number when Numbered
	Impact    float64  `json:"impact"`
	Certainty float64  `json:"certainty"`
	Quadrant  Quadrant `json:"quadrant"`
	X         float64  `json:"x"`
	Y         float64  `json:"y"`
	R         float64  `json:"r"`
	LabelBox  Rect     `json:"label_box"`
	TextX     float64  `json:"text_x"`
	TextY     float64  `json:"text_y"`
	Leader    *Line    `json:"leader,omitempty"`
	InGutter  bool     `json:"in_gutter"`
}

// Unplaced is a trend a chart cannot place, and the questions it lacks
// values for.
type Unplaced struct {
	Key     string   `json:"key"`
	Label   string   `json:"label"`
	Missing []string `json:"missing"`
}

// Margins of the matrix around its plotting area.
const (
	matrixLeft   = 64 // tick values and the rotated y axis title
	matrixTop    = 8
	matrixBottom = 56 // tick values and the x axis title
	matrixRight  = 8
)

// ImpactCertaintyMatrix lays out the trends in the matrix. Points are at
// their mean certainty (x) and mean impact (y); labels never overlap each
// other, a marker or a quadrant name (see PlaceLabels), and are placed in
// the order of trends, so pass the most important first. Trends without a
// mean impact or certainty are listed in Unplaced.
func ImpactCertaintyMatrix(trends []MatrixTrend, opt MatrixOptions) Matrix {
	opt.defaults()
	m := Matrix{ImpactMin: 1, ImpactMax: 5, CertaintyMin: 1, CertaintyMax: 5, FontSize: opt.FontSize}
	for _, t := range trends { // the scales: those of the first trend
		m.ImpactMin, m.ImpactMax = t.Impact.Min, t.Impact.Max
		m.CertaintyMin, m.CertaintyMax = t.Certainty.Min, t.Certainty.Max
		break
	}
	m.ImpactThreshold = float64(m.ImpactMin+m.ImpactMax) / 2
	if opt.ImpactThreshold != nil {
		m.ImpactThreshold = *opt.ImpactThreshold
	}
	m.CertaintyThreshold = float64(m.CertaintyMin+m.CertaintyMax) / 2
	if opt.CertaintyThreshold != nil {
		m.CertaintyThreshold = *opt.CertaintyThreshold
	}
	m.Plot = Rect{matrixLeft, matrixTop, opt.Width, opt.Height}
	// The ends of the scales are inset from the plot's edges far enough
	// that no marker can reach under a quadrant's name in a corner.
	_, nameH := opt.Measure("Xy", opt.FontSize)
	inset := math.Ceil(2 + nameH + labelGap + opt.PointRadius + 1)
	m.Inset = inset
	xOf := func(c float64) float64 {
		return m.Plot.X + inset + frac(c, m.CertaintyMin, m.CertaintyMax)*(m.Plot.W-2*inset)
	}
	yOf := func(i float64) float64 {
		return m.Plot.Bottom() - inset - frac(i, m.ImpactMin, m.ImpactMax)*(m.Plot.H-2*inset)
	}
	for v := m.CertaintyMin; v <= m.CertaintyMax; v++ {
		m.XTicks = append(m.XTicks, Tick{v, xOf(float64(v))})
	}
	for v := m.ImpactMin; v <= m.ImpactMax; v++ {
		m.YTicks = append(m.YTicks, Tick{v, yOf(float64(v))})
	}
	m.XAxisTitle = Point{m.Plot.X + m.Plot.W/2, m.Plot.Bottom() + 44}
	m.YAxisTitle = Point{20, m.Plot.Y + m.Plot.H/2}

	// Quadrants, split at the thresholds (kept inside the plot).
	tx := clamp(xOf(m.CertaintyThreshold), m.Plot.X, m.Plot.Right())
	ty := clamp(yOf(m.ImpactThreshold), m.Plot.Y, m.Plot.Bottom())
	areas := map[Quadrant]Rect{
		PrepareScenarios: {m.Plot.X, m.Plot.Y, tx - m.Plot.X, ty - m.Plot.Y},
		ActNow:           {tx, m.Plot.Y, m.Plot.Right() - tx, ty - m.Plot.Y},
		Watch:            {m.Plot.X, ty, tx - m.Plot.X, m.Plot.Bottom() - ty},
		Routine:          {tx, ty, m.Plot.Right() - tx, m.Plot.Bottom() - ty},
	}
	var fixed []Rect
	qIdx := map[Quadrant]int{}
	for _, q := range Quadrants {
		a := areas[q]
		w, h := opt.Measure(q.Name().String(opt.Lang), opt.FontSize)
		box := Rect{a.X + 2, a.Y + 2, w, h}
		if q == ActNow || q == Routine {
			box.X = a.Right() - 2 - w
		}
		if q == Watch || q == Routine {
			box.Y = a.Bottom() - 2 - h
		}
		qIdx[q] = len(m.Quadrants)
		m.Quadrants = append(m.Quadrants, QuadrantBox{Quadrant: q, Name: q.Name(), Area: a, LabelBox: box})
		fixed = append(fixed, box)
	}

	var items []LabelItem
	for _, t := range trends {
		var missing []string
		if !t.Impact.Mean.Valid() {
			missing = append(missing, domain.QImpact)
		}
		if !t.Certainty.Mean.Valid() {
			missing = append(missing, domain.QCertainty)
		}
		if len(missing) > 0 {
			m.Unplaced = append(m.Unplaced, Unplaced{Key: t.Key, Label: t.Label, Missing: missing})
			continue
		}
		i, c := float64(t.Impact.Mean), float64(t.Certainty.Mean)
		p := MatrixPoint{Key: t.Key, Number: len(m.Points) + 1, Label: t.Label, Short: shorten(t.Label, opt.MaxLabelRunes),
			Impact: i, Certainty: c, Quadrant: QuadrantOf(i, c, m.ImpactThreshold, m.CertaintyThreshold),
			X: xOf(c), Y: yOf(i), R: opt.PointRadius}
		if opt.Numbered {
			p.Short = fmt.Sprint(p.Number)
		}
		m.Quadrants[qIdx[p.Quadrant]].Count++
		w, h := opt.Measure(p.Short, opt.FontSize)
		items = append(items, LabelItem{X: p.X, Y: p.Y, R: p.R, W: w, H: h})
		m.Points = append(m.Points, p)
	}
	gutter := Point{m.Plot.Right() + 16, m.Plot.Y}
	lay := PlaceLabels(items, m.Plot, fixed, gutter)
	m.Width = m.Plot.Right() + matrixRight
	m.Height = m.Plot.Bottom() + matrixBottom
	for i, l := range lay.Labels {
		p := &m.Points[i]
		p.LabelBox, p.Leader, p.InGutter = l.Box, l.Leader, l.InGutter
		p.TextX, p.TextY = l.Box.X+2, l.Box.Y+l.Box.H*0.75
		if l.InGutter {
			m.Width = max(m.Width, l.Box.Right()+matrixRight)
		}
	}
	m.Height = max(m.Height, lay.GutterBottom+matrixTop)
	m.Summary = m.summary()
	return m
}

// frac maps v on min…max onto 0…1, clamped.
func frac(v float64, lo, hi int) float64 {
	if hi <= lo {
		return 0.5
	}
	return clamp((v-float64(lo))/float64(hi-lo), 0, 1)
}

func (m Matrix) summary() domain.Text {
	text := func(lang string) string {
		var parts []string
		for _, q := range m.Quadrants {
			parts = append(parts, fmt.Sprintf("%d %s", q.Count, strings.ToLower(q.Name.String(lang))))
		}
		var b strings.Builder
		n := len(m.Points)
		if lang == "sv" {
			fmt.Fprintf(&b, "%d %s i matrisen: %s", n, plural(n, "trend", "trender"), strings.Join(parts, ", "))
			if k := len(m.Unplaced); k > 0 {
				fmt.Fprintf(&b, "; %d utan tillräckligt många svar för att placeras", k)
			}
		} else {
			fmt.Fprintf(&b, "%d %s in the matrix: %s", n, plural(n, "trend", "trends"), strings.Join(parts, ", "))
			if k := len(m.Unplaced); k > 0 {
				fmt.Fprintf(&b, "; %d without enough answers to place", k)
			}
		}
		b.WriteString(".")
		return b.String()
	}
	return domain.T(text("en"), text("sv"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
