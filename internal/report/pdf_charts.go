package report

import (
	"math"
	"strconv"

	"github.com/go-pdf/fpdf"

	"github.com/waymark/waymark/internal/analysis"
)

// matrixNumberedFrom is the number of trends from which the matrix labels
// its points with their numbers (the table below names them) instead of
// their titles, which would crowd the chart.
const matrixNumberedFrom = 13

// matrix draws the impact × certainty matrix. The layout is the analysis
// package's (ImpactCertaintyMatrix, with its label placement), made again
// here with the PDF font's measurements so that labels fit exactly.
func (p *pdfWriter) matrix() {
	r, f := p.r, p.f
	a := r.Analysis
	p.newPage()
	p.heading(r.T("report.matrix.title"), 300)
	var trends []analysis.MatrixTrend
	for _, rt := range a.Ranking.Trends { // most important first: they get the best label places
		t, ok := a.Trend(rt.Key)
		if !ok {
			continue
		}
		trends = append(trends, analysis.MatrixTrend{Key: t.Key, Label: clean(r.TrendTitle(t.Key), false),
			Impact: t.Question(a.Keys.Impact), Certainty: t.Question(a.Keys.Certainty)})
	}
	numbered := len(trends) >= matrixNumberedFrom
	if !numbered {
		// Titles, after the number that the table below has.
		n := 0
		for i, t := range trends {
			if t.Impact.Mean.Valid() && t.Certainty.Mean.Valid() {
				n++
				trends[i].Label = strconv.Itoa(n) + ". " + t.Label
			}
		}
	}
	const fs = 8.0
	p.font("", fs)
	opt := analysis.MatrixOptions{Width: contentW - 72, Height: 330, FontSize: fs, PointRadius: 4,
		Numbered: numbered, Measure: p.measure, Lang: r.Lang}
	if len(a.Matrix.Points)+len(a.Matrix.Unplaced) > 0 {
		it, ct := a.Matrix.ImpactThreshold, a.Matrix.CertaintyThreshold
		opt.ImpactThreshold, opt.CertaintyThreshold = &it, &ct
	}
	m := analysis.ImpactCertaintyMatrix(trends, opt)
	p.para(m.Summary.String(r.Lang), "", bodySize, inkC)
	p.para(r.T("report.matrix.intro"), "", bodySize-0.5, mutedC)

	s := math.Min(1, contentW/m.Width)
	p.need(m.Height*s + 8)
	ox, oy := margin, f.GetY()
	X := func(x float64) float64 { return ox + x*s }
	Y := func(y float64) float64 { return oy + y*s }
	for _, q := range m.Quadrants {
		p.fill(quadrantCs[q.Quadrant])
		f.Rect(X(q.Area.X), Y(q.Area.Y), q.Area.W*s, q.Area.H*s, "F")
	}
	p.draw(mutedC)
	f.SetLineWidth(0.6)
	f.Rect(X(m.Plot.X), Y(m.Plot.Y), m.Plot.W*s, m.Plot.H*s, "D")
	p.font("", fs*s)
	p.textColor(inkC)
	for _, q := range m.Quadrants {
		p.text(X(q.LabelBox.X+2), Y(q.LabelBox.Y+q.LabelBox.H*0.75), q.Name.String(r.Lang), "L")
	}
	p.font("", smallSize)
	p.textColor(mutedC)
	f.SetLineWidth(0.5)
	for _, t := range m.XTicks {
		f.Line(X(t.Pos), Y(m.Plot.Bottom()), X(t.Pos), Y(m.Plot.Bottom()+5))
		p.text(X(t.Pos), Y(m.Plot.Bottom()+16), strconv.Itoa(t.Value), "C")
	}
	for _, t := range m.YTicks {
		f.Line(X(m.Plot.X-5), Y(t.Pos), X(m.Plot.X), Y(t.Pos))
		p.text(X(m.Plot.X-8), Y(t.Pos)+2.5, strconv.Itoa(t.Value), "R")
	}
	p.font("B", 9)
	p.textColor(inkC)
	p.text(X(m.XAxisTitle.X), Y(m.XAxisTitle.Y), r.T("report.matrix.x"), "C")
	f.TransformBegin()
	f.TransformRotate(90, X(m.YAxisTitle.X), Y(m.YAxisTitle.Y))
	p.text(X(m.YAxisTitle.X), Y(m.YAxisTitle.Y)+3, r.T("report.matrix.y"), "C")
	f.TransformEnd()

	p.draw(mutedC)
	f.SetLineWidth(0.5)
	for _, pt := range m.Points {
		if l := pt.Leader; l != nil {
			f.Line(X(l.X1), Y(l.Y1), X(l.X2), Y(l.Y2))
		}
	}
	p.fill(pinnedC)
	p.draw(whiteC)
	f.SetLineWidth(0.8)
	for _, pt := range m.Points {
		f.Circle(X(pt.X), Y(pt.Y), pt.R*s, "FD")
	}
	p.font("", fs*s)
	p.textColor(inkC)
	for _, pt := range m.Points {
		p.text(X(pt.TextX), Y(pt.TextY), pt.Short, "L")
	}
	f.SetY(oy + m.Height*s + 8)

	var rows [][]tcell
	for _, pt := range m.Points {
		rows = append(rows, []tcell{tc(strconv.Itoa(pt.Number)), tc(r.TrendTitle(pt.Key)), tc(p.num(analysis.Num(pt.Impact), 1)),
			tc(p.num(analysis.Num(pt.Certainty), 1)), tc(pt.Quadrant.Name().String(r.Lang))})
	}
	p.table([]column{{title: r.T("report.col.number"), w: 0.5, align: "R"}, {title: r.T("report.col.trend"), w: 5},
		{title: r.T("report.col.mean_impact"), w: 1.1, align: "R"}, {title: r.T("report.col.mean_certainty"), w: 1.1, align: "R"},
		{title: r.T("report.col.quadrant"), w: 1.6}}, rows)
	for _, u := range m.Unplaced {
		p.para(r.T("report.matrix.unplaced", "Trend", r.TrendTitle(u.Key), "Questions", r.questionList(u.Missing)), "", bodySize-0.5, mutedC)
	}
}

// radar draws the trend radar from the analysis's geometry, scaled to
// the page.
func (p *pdfWriter) radar() {
	r, f := p.r, p.f
	rd := r.Analysis.Radar
	p.newPage()
	p.heading(r.T("report.radar.title"), 300)
	p.para(rd.Summary.String(r.Lang), "", bodySize, inkC)
	p.para(r.T("report.radar.intro"), "", bodySize-0.5, mutedC)
	if len(rd.Entries) == 0 || rd.Width <= 0 || rd.Height <= 0 {
		return
	}
	s := math.Min(contentW/rd.Width, 440/rd.Height)
	p.need(rd.Height*s + 40)
	ox, oy := margin+(contentW-rd.Width*s)/2, f.GetY()
	X := func(x float64) float64 { return ox + x*s }
	Y := func(y float64) float64 { return oy + y*s }
	p.draw(ruleC)
	f.SetLineWidth(0.5)
	for i := len(rd.Rings) - 1; i >= 0; i-- {
		p.fill(ringCs[i%2])
		f.Circle(X(rd.Center.X), Y(rd.Center.Y), rd.Rings[i].Outer*s, "FD")
	}
	p.draw(mutedC)
	for _, sc := range rd.Sectors {
		if sc.Edge != (analysis.Line{}) {
			f.Line(X(sc.Edge.X1), Y(sc.Edge.Y1), X(sc.Edge.X2), Y(sc.Edge.Y2))
		}
	}
	fs := rd.FontSize * s
	p.font("", fs)
	for _, ring := range rd.Rings {
		b := ring.LabelBox
		p.fill(whiteC)
		f.Rect(X(b.X), Y(b.Y), b.W*s, b.H*s, "F")
		p.textColor(mutedC)
		p.text(X(ring.Text.X), Y(ring.Text.Y), ring.Label, "C")
	}
	p.font("B", fs)
	p.textColor(inkC)
	for _, sc := range rd.Sectors {
		align := map[string]string{"start": "L", "middle": "C", "end": "R"}[sc.Anchor]
		p.font("B", fs)
		label := sc.Label
		if p.width(label) > sc.LabelBox.W*s {
			p.font("", fs)
		}
		p.text(X(sc.TextX), Y(sc.TextY), label, align)
	}
	f.SetLineWidth(0.8)
	for _, e := range rd.Entries {
		p.shape(e.Shape, X(e.X), Y(e.Y), e.R*s, directionCs[e.Direction])
		nfs := math.Min(11, math.Max(8, e.R*0.9)) * s
		p.font("B", nfs)
		if e.Shape == analysis.Ring {
			p.textColor(inkC)
		} else {
			p.textColor(whiteC)
		}
		cy := Y(e.Y)
		if e.Shape == analysis.Triangle {
			cy += e.R * s * 0.2 // the triangle's body is low in its circle
		}
		p.text(X(e.X), cy+nfs*0.35, strconv.Itoa(e.Number), "C")
	}
	f.SetY(oy + rd.Height*s + 6)

	// The key: shapes and colours of the directions, and what size and
	// rings mean.
	p.need(30)
	y := f.GetY()
	x := margin
	p.font("", bodySize-0.5)
	for _, d := range []analysis.Direction{analysis.Threat, analysis.Opportunity, analysis.Both, analysis.DirectionUnknown} {
		p.shape(d.Shape(), x+6, y+6, 5.5, directionCs[d])
		p.textColor(inkC)
		p.font("", bodySize-0.5)
		name := r.directionName(d)
		p.text(x+16, y+9.5, name, "L")
		x += 16 + p.width(name) + 18
	}
	f.SetY(y + 18)
	p.para(r.T("report.radar.key"), "", bodySize-0.5, mutedC)

	var rows [][]tcell
	for _, e := range rd.Entries {
		t, _ := r.Analysis.Trend(e.Key)
		rows = append(rows, []tcell{tc(strconv.Itoa(e.Number)), tc(r.TrendTitle(e.Key)), tc(r.sectorName(rd.Sectors[e.Sector])),
			tc(rd.Rings[e.Ring].Label), tc(p.num(t.Question(r.Analysis.Keys.Impact).Mean, 1)), tc(r.directionName(e.Direction))})
	}
	p.table([]column{{title: r.T("report.col.number"), w: 0.5, align: "R"}, {title: r.T("report.col.trend"), w: 4},
		{title: r.T("report.col.sector"), w: 2.2}, {title: r.T("report.col.horizon"), w: 1.5},
		{title: r.T("report.col.mean_impact"), w: 1, align: "R"}, {title: r.T("report.col.direction"), w: 1.2}}, rows)
}

// shape draws a radar marker inscribed in the circle at x, y of radius
// rad: a triangle for threats, a filled circle for opportunities, a
// diamond for both, an outline for not known.
func (p *pdfWriter) shape(sh analysis.Shape, x, y, rad float64, c rgb) {
	f := p.f
	p.fill(c)
	p.draw(c)
	switch sh {
	case analysis.Triangle:
		h := rad * math.Sqrt(3) / 2
		f.Polygon([]fpdf.PointType{{X: x, Y: y - rad}, {X: x + h, Y: y + rad/2}, {X: x - h, Y: y + rad/2}}, "F")
	case analysis.Diamond:
		f.Polygon([]fpdf.PointType{{X: x, Y: y - rad}, {X: x + rad, Y: y}, {X: x, Y: y + rad}, {X: x - rad, Y: y}}, "F")
	case analysis.Circle:
		f.Circle(x, y, rad, "F")
	default:
		p.fill(whiteC)
		f.SetLineWidth(1.2)
		f.Circle(x, y, rad-0.6, "FD")
		f.SetLineWidth(0.8)
	}
}

// tensions draws each field of tension as a line from pole A (−100) to
// pole B (+100) with where the participants place the organisation now
// (a ring) and where they want it (a diamond), and the table.
func (p *pdfWriter) tensions() {
	r, f := p.r, p.f
	p.newPage()
	p.heading(r.T("report.tensions.title"), 80)
	if len(r.Tensions) == 0 {
		p.para(r.T("report.tensions.none"), "", bodySize, inkC)
		return
	}
	if s := p.tensionSummary(); s != "" {
		p.para(s, "", bodySize, inkC)
	}
	p.para(r.T("report.tensions.intro"), "", bodySize-0.5, mutedC)
	// The key.
	y := f.GetY()
	p.ring(margin+6, y+6, 4.5)
	p.font("", bodySize-0.5)
	p.textColor(inkC)
	now := r.T("report.tensions.now")
	p.text(margin+16, y+9.5, now, "L")
	x := margin + 16 + p.width(now) + 18
	p.diamond(x+6, y+6, 5.5)
	p.text(x+16, y+9.5, r.T("report.tensions.want"), "L")
	f.SetY(y + 22)

	x0, x1 := margin+12, margin+contentW-12
	xOf := func(v float64) float64 { return x0 + (v+100)/200*(x1-x0) }
	for _, t := range r.Tensions {
		p.need(70)
		y := f.GetY()
		p.font("B", 10)
		p.textColor(inkC)
		p.text(margin, y+10, p.fit(t.Name, contentW), "L")
		ay := y + 28
		p.draw(mutedC)
		f.SetLineWidth(0.8)
		f.Line(x0, ay, x1, ay)
		for _, v := range []float64{-100, 0, 100} {
			f.Line(xOf(v), ay-5, xOf(v), ay+5)
		}
		p.font("", smallSize+0.5)
		p.textColor(mutedC)
		p.text(x0, ay+16, p.fit(t.PoleA, contentW/2-16), "L")
		p.text(x1, ay+16, p.fit(t.PoleB, contentW/2-16), "R")
		note := r.T("report.tensions.nobody")
		if t.Count > 0 && t.MeanNow.Valid() && t.MeanWant.Valid() {
			xn, xw := xOf(float64(t.MeanNow)), xOf(float64(t.MeanWant))
			if math.Abs(xw-xn) > 12 {
				dir := 1.0
				if xw < xn {
					dir = -1
				}
				p.arrow(xn+dir*6, ay, xw-dir*7, ay)
			}
			p.ring(xn, ay, 4.5)
			p.diamond(xw, ay, 5.5)
			note = r.T("report.tensions.row_note", "Count", t.Count, "Now", p.num(t.MeanNow, 0), "Want", p.num(t.MeanWant, 0),
				"Gap", p.signed(t.Gap, 0))
		}
		p.font("", smallSize+0.5)
		p.textColor(inkC)
		p.text((x0+x1)/2, ay+16, note, "C")
		f.SetY(y + 60)
	}
	p.gap(6)
	var rows [][]tcell
	for _, t := range r.Tensions {
		rows = append(rows, []tcell{tc(t.Name + " (" + t.PoleA + " ↔ " + t.PoleB + ")"), tc(p.count(int(t.Count))),
			tc(p.num(t.MeanNow, 0)), tc(p.num(t.MeanWant, 0)), tc(p.signed(t.Gap, 0)), tc(p.num(t.SDNow, 0)), tc(p.num(t.SDWant, 0))})
	}
	p.table([]column{{title: r.T("report.col.tension"), w: 4}, {title: r.T("report.col.placed"), w: 1, align: "R"},
		{title: r.T("report.col.now"), w: 1, align: "R"}, {title: r.T("report.col.want"), w: 1, align: "R"},
		{title: r.T("report.col.gap"), w: 0.8, align: "R"}, {title: r.T("report.col.sd_now"), w: 1.1, align: "R"},
		{title: r.T("report.col.sd_want"), w: 1.1, align: "R"}}, rows)
}

func (p *pdfWriter) ring(x, y, rad float64) {
	p.fill(whiteC)
	p.draw(inkC)
	p.f.SetLineWidth(1.6)
	p.f.Circle(x, y, rad, "FD")
}

func (p *pdfWriter) diamond(x, y, rad float64) {
	p.fill(accentC)
	p.draw(accentC)
	p.f.Polygon([]fpdf.PointType{{X: x, Y: y - rad}, {X: x + rad, Y: y}, {X: x, Y: y + rad}, {X: x - rad, Y: y}}, "F")
}

// arrow draws a line with an arrowhead at its end.
func (p *pdfWriter) arrow(x1, y1, x2, y2 float64) {
	f := p.f
	p.draw(accentC)
	p.fill(accentC)
	f.SetLineWidth(1.4)
	d := math.Hypot(x2-x1, y2-y1)
	if d == 0 {
		return
	}
	ux, uy := (x2-x1)/d, (y2-y1)/d
	const head = 6.0
	f.Line(x1, y1, x2-ux*head, y2-uy*head)
	f.Polygon([]fpdf.PointType{{X: x2, Y: y2}, {X: x2 - ux*head - uy*3.5, Y: y2 - uy*head + ux*3.5},
		{X: x2 - ux*head + uy*3.5, Y: y2 - uy*head - ux*3.5}}, "F")
}

// tensionSummary names the field of tension with the widest gap between
// now and wanted.
func (p *pdfWriter) tensionSummary() string {
	r := p.r
	var widest *Tension
	for i, t := range r.Tensions {
		if t.Gap.Valid() && (widest == nil || math.Abs(float64(t.Gap)) > math.Abs(float64(widest.Gap))) {
			widest = &r.Tensions[i]
		}
	}
	if widest == nil {
		return ""
	}
	pole := widest.PoleB
	if widest.Gap < 0 {
		pole = widest.PoleA
	}
	return r.T("report.tensions.summary", "Name", widest.Name, "Now", p.num(widest.MeanNow, 0), "Want", p.num(widest.MeanWant, 0),
		"Gap", p.signed(widest.Gap, 0), "Pole", pole)
}
