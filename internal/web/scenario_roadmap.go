package web

import (
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/scenario"
)

// The roadmap: a scenario's plan to the horizon year as a Gantt-style
// chart, with years across and a swimlane per capability area of the
// portfolio's library version. An initiative that builds several areas is
// drawn once, in the lane of the first of them in the library's order
// (scenario.BuildRoadmap); the table beside lists all its areas. A bar
// runs from the start year for the initiative's duration; a thin hatched
// bar after it shows the years it still costs its recurring cost. The
// status is the bar's pattern (proposed: outlined; approved: filled; in
// progress: filled and striped) and the RAG rating a shape beside the
// title, each named in the legend and in words in the table. Dependencies
// are arrows from the end of one bar to the start of the other.

// scRoadmapPage is the roadmap page.
type scRoadmapPage struct {
	Scenario  *domain.Scenario
	Base      string
	HasPlan   bool
	Stale     bool
	NoVersion bool
	Summary   string
	SVG       template.HTML
	Legend    []legendItem
	Lanes     []scLaneView
	Downloads []option
	Currency  string
	Years     []int
}

// scLaneView is one lane of the table.
type scLaneView struct {
	ID    string
	Name  string
	Items []scRoadItem
}

// scRoadItem is one initiative of the table.
type scRoadItem struct {
	ID         string
	Title      string
	Known      bool
	Years      string
	Recurring  string // the years it costs its recurring cost after it ends
	Status     string
	RAG        pfRAG
	OtherAreas string
	DependsOn  string
	OneOff     string
	Cost       string
	FTE        string
	Value      string
	Forced     bool
}

// scRoadmapData reads the scenario and lays out its roadmap.
func (s *Server) scRoadmapData(r *http.Request, c *call) (*scLoad, *scenario.Roadmap, *scenario.Result, error) {
	l, err := s.scLoad(r, c)
	if err != nil {
		return nil, nil, nil, err
	}
	res, err := scReadResult(l.scenario)
	if err != nil || res == nil || !res.HasPlan() {
		return l, nil, res, err
	}
	var areas []domain.CapabilityArea
	if v := l.portfolio.Version; v != nil {
		areas = v.CapabilityAreas
	}
	rm := scenario.BuildRoadmap(res, l.scenario.StartYear, l.scenario.EndYear, l.initiatives, areas)
	return l, rm, res, nil
}

// laneName is a lane's name in the page's language.
func (c *call) laneName(l scenario.Lane) string {
	if l.Area == "" {
		return c.T("scenario.roadmap.no_area")
	}
	return l.Name.String(c.lang)
}

func (s *Server) scenarioRoadmap(w http.ResponseWriter, r *http.Request, c *call) error {
	l, rm, _, err := s.scRoadmapData(r, c)
	if err != nil {
		return err
	}
	sc, st := l.scenario, l.portfolio.Settings
	base := c.orgPath("/scenarios/%s", sc.ID)
	d := &scRoadmapPage{Scenario: sc, Base: base, Stale: sc.Result != nil && !sc.ResultCurrent(st.Revision),
		NoVersion: l.portfolio.Version == nil, Currency: st.Currency}
	title := c.T("scenario.roadmap.title_of", "Name", sc.Name)
	if rm == nil {
		return s.render(w, c, http.StatusOK, "scenario_roadmap", title, d)
	}
	d.HasPlan = true
	d.Downloads = []option{
		{Value: base + "/roadmap.xlsx", Label: c.T("scenario.roadmap.download_xlsx")},
		{Value: base + "/roadmap.csv", Label: c.T("scenario.roadmap.download_csv")},
	}
	areaName := map[string]string{}
	for _, ln := range rm.Lanes {
		areaName[ln.Area] = c.laneName(ln)
	}
	titles := map[string]string{}
	for _, in := range l.initiatives {
		titles[in.ID] = in.Title
	}
	deps, top, topN := 0, "", 0
	for i, ln := range rm.Lanes {
		lv := scLaneView{ID: "lane-" + strconv.Itoa(i), Name: c.laneName(ln)}
		if len(ln.Items) > topN && ln.Area != "" {
			top, topN = lv.Name, len(ln.Items)
		}
		for _, it := range ln.Items {
			row := scRoadItem{ID: it.ID, Title: it.Title, Known: it.Known, Years: scYears(it.Start, it.End), Value: scValue(it.Value, c.lang),
				Forced: it.Forced, Status: "–", RAG: c.pfRAGTag(it.RAG), OneOff: "–", Cost: "–", FTE: "–", Recurring: "–"}
			if it.Known {
				row.Status = c.T("portfolio.status." + string(it.Status))
				row.OneOff, row.Cost = pfMoney(it.OneOffCost, st.Currency, c.lang), pfMoney(it.RecurringCost, st.Currency, c.lang)
				row.FTE = pfFTE(it.FTE, c.lang)
				if it.RecurringCost > 0 && it.End < rm.End {
					row.Recurring = scYears(it.End+1, rm.End)
				}
			}
			var others []string
			for _, a := range it.Areas[min(1, len(it.Areas)):] {
				others = append(others, areaName[a])
			}
			row.OtherAreas = strings.Join(others, ", ")
			var on []string
			for _, dep := range it.DependsOn {
				on = append(on, titles[dep])
			}
			deps += len(on)
			row.DependsOn = strings.Join(on, ", ")
			lv.Items = append(lv.Items, row)
		}
		d.Lanes = append(d.Lanes, lv)
	}
	areas := 0
	for _, ln := range rm.Lanes {
		if ln.Area != "" && len(ln.Items) > 0 {
			areas++
		}
	}
	horizon := scYears(rm.Start, rm.End)
	switch {
	case rm.Items == 0:
		d.Summary = c.T("scenario.roadmap.summary_empty", "Years", horizon)
	case top == "":
		d.Summary = c.T("scenario.roadmap.summary_no_areas", "Count", rm.Items, "Years", horizon, "Deps", deps)
	default:
		d.Summary = c.T("scenario.roadmap.summary", "Count", rm.Items, "Years", horizon, "Areas", areas, "Top", top, "TopCount", topN, "Deps", deps)
	}
	d.SVG = c.roadmapSVG(rm)
	d.Legend = []legendItem{
		{scBarIcon("wm-sc-bar wm-sc-bar--proposed"), c.T("scenario.roadmap.key_proposed")},
		{scBarIcon("wm-sc-bar wm-sc-bar--approved"), c.T("scenario.roadmap.key_approved")},
		{scBarIcon("wm-sc-bar wm-sc-bar--in_progress"), c.T("scenario.roadmap.key_in_progress")},
		{scTailIcon(), c.T("scenario.roadmap.key_recurring")},
		{scArrowIcon(), c.T("scenario.roadmap.key_dependency")},
		{legendIcon(shapeSquare, "wm-sc-rag wm-sc-rag--red"), c.T("portfolio.rag.red")},
		{legendIcon(shapeTriangle, "wm-sc-rag wm-sc-rag--amber"), c.T("portfolio.rag.amber")},
		{legendIcon(shapeCircle, "wm-sc-rag wm-sc-rag--green"), c.T("portfolio.rag.green")},
	}
	return s.render(w, c, http.StatusOK, "scenario_roadmap", title, d)
}

// Legend icons of the roadmap's marks.
func scBarIcon(class string) template.HTML {
	return template.HTML(`<svg class="wm-legend__icon wm-sc-icon" viewBox="0 0 28 16" width="28" height="16" aria-hidden="true" focusable="false"><rect x="1" y="2" width="26" height="12" class="` +
		esc(class) + `"/>` + scStripes(class, 1, 2, 26, 12) + `</svg>`)
}

func scTailIcon() template.HTML {
	return template.HTML(`<svg class="wm-legend__icon wm-sc-icon" viewBox="0 0 28 16" width="28" height="16" aria-hidden="true" focusable="false"><rect x="1" y="5" width="26" height="6" class="wm-sc-tail"/></svg>`)
}

func scArrowIcon() template.HTML {
	return template.HTML(`<svg class="wm-legend__icon wm-sc-icon" viewBox="0 0 28 16" width="28" height="16" aria-hidden="true" focusable="false"><path d="M2 4V10H21" class="wm-sc-dep"/><path d="M20 6L26 10L20 14z" class="wm-sc-dep-head"/></svg>`)
}

// scStripes draws the white stripes of an in-progress bar over the
// rectangle, and nothing for other bars.
func scStripes(class string, x, y, w, h float64) string {
	if !strings.Contains(class, "in_progress") {
		return ""
	}
	var b strings.Builder
	for sx := x + 6; sx < x+w+h; sx += 8 {
		x1, y1 := sx, y
		x2, y2 := sx-h, y+h
		// Clip the stripe to the rectangle.
		if x1 > x+w {
			y1 += x1 - (x + w)
			x1 = x + w
		}
		if x2 < x {
			y2 -= x - x2
			x2 = x
		}
		if y2 <= y1 {
			continue
		}
		b.WriteString(`<line x1="` + fnum(x1) + `" y1="` + fnum(y1) + `" x2="` + fnum(x2) + `" y2="` + fnum(y2) + `" class="wm-sc-stripe"/>`)
	}
	return b.String()
}

// roadmapSVG draws the roadmap.
func (c *call) roadmapSVG(rm *scenario.Roadmap) template.HTML {
	const (
		labelW = 236.0 // initiative titles
		ragW   = 22.0  // the RAG shape
		top    = 30.0  // the year axis
		laneH  = 26.0  // a lane's heading
		rowH   = 26.0
		barH   = 16.0
		right  = 8.0
	)
	years := rm.End - rm.Start + 1
	yearW := max(28.0, min(72.0, 660.0/float64(max(years, 1))))
	x0 := labelW + ragW
	w := x0 + float64(years)*yearW + right
	rows := 0
	for _, ln := range rm.Lanes {
		rows += max(1, len(ln.Items))
	}
	h := top + float64(len(rm.Lanes))*laneH + float64(rows)*rowH + 6
	xOf := func(year int) float64 { return x0 + float64(year-rm.Start)*yearW }

	var s svgBuf
	s.open("roadmap-chart", w, h, "roadmap-heading roadmap-summary")
	arrow := s.arrowhead("arrow")
	// Year columns, labelled at the top; every other year shaded lightly
	// by the grid lines alone.
	step := 1
	if yearW < 40 {
		step = 2
	}
	for y := rm.Start; y <= rm.End; y++ {
		x := xOf(y)
		s.line(x, top-6, x, h-4, "wm-svg__grid")
		if (y-rm.Start)%step == 0 {
			s.text(x+yearW/2, top-12, "wm-svg__tick", "middle", itoa(y))
		}
	}
	s.line(xOf(rm.End+1), top-6, xOf(rm.End+1), h-4, "wm-svg__grid")

	type pos struct{ y, x1, x2 float64 }
	at := map[string]pos{}
	y := top
	maxChars := 35 // about (labelW − 8) / 6.4 px a character
	for _, ln := range rm.Lanes {
		s.rect(0, y, w, laneH, "wm-sc-lane")
		s.text(6, y+17, "wm-svg__label wm-svg__label--strong", "", shortText(c.laneName(ln), int(w/7.2)))
		y += laneH
		if len(ln.Items) == 0 {
			s.text(x0+4, y+17, "wm-svg__note", "", c.T("scenario.roadmap.lane_empty"))
			y += rowH
			continue
		}
		for _, it := range ln.Items {
			cy := y + rowH/2
			s.WriteString(`<g>`)
			s.title(c.roadmapTip(it))
			s.text(6, cy+4, "wm-svg__label", "", shortText(it.Title, maxChars))
			switch it.RAG {
			case domain.RAGRed:
				s.marker(shapeSquare, labelW+ragW/2, cy, 6, "wm-sc-rag wm-sc-rag--red")
			case domain.RAGAmber:
				s.marker(shapeTriangle, labelW+ragW/2, cy, 6.5, "wm-sc-rag wm-sc-rag--amber")
			case domain.RAGGreen:
				s.marker(shapeCircle, labelW+ragW/2, cy, 5.5, "wm-sc-rag wm-sc-rag--green")
			}
			bx, bw := xOf(it.Start)+2, float64(it.End-it.Start+1)*yearW-4
			if it.RecurringCost > 0 && it.End < rm.End {
				s.rect(xOf(it.End+1), cy-3, xOf(rm.End+1)-xOf(it.End+1)-2, 6, "wm-sc-tail")
			}
			class := "wm-sc-bar wm-sc-bar--approved"
			if it.Known {
				switch it.Status {
				case domain.StatusProposed:
					class = "wm-sc-bar wm-sc-bar--proposed"
				case domain.StatusInProgress:
					class = "wm-sc-bar wm-sc-bar--in_progress"
				}
			}
			s.rect(bx, cy-barH/2, bw, barH, class)
			s.WriteString(scStripes(class, bx, cy-barH/2, bw, barH))
			s.WriteString(`</g>`)
			at[it.ID] = pos{cy, bx, bx + bw}
			y += rowH
		}
	}
	// Dependencies: from near the end of the bar it waits for, down (or
	// up) to the row of the one that waits, then across to its start.
	for _, ln := range rm.Lanes {
		for _, it := range ln.Items {
			to := at[it.ID]
			for _, d := range it.DependsOn {
				from, ok := at[d]
				if !ok {
					continue
				}
				sx := from.x2 - min(8, (from.x2-from.x1)/3)
				sy := from.y + barH/2
				if to.y < from.y {
					sy = from.y - barH/2
				}
				s.WriteString(`<path d="M` + fnum(sx) + ` ` + fnum(sy) + `V` + fnum(to.y) + `H` + fnum(to.x1-1) +
					`" class="wm-sc-dep" marker-end="` + arrow + `"/>`)
			}
		}
	}
	return s.html()
}

// roadmapTip is the tooltip of an initiative's bar.
func (c *call) roadmapTip(it scenario.Item) string {
	parts := []string{it.Title, scYears(it.Start, it.End)}
	if it.Known {
		parts = append(parts, c.T("portfolio.status."+string(it.Status)))
		if it.RAG != domain.RAGNone {
			parts = append(parts, c.T("portfolio.rag."+string(it.RAG)))
		}
	}
	return strings.Join(parts, " · ")
}

func itoa(n int) string { return strconv.Itoa(n) }

// scRoadmapHeaders are the message ids of the export's columns before the
// yearly costs.
var scRoadmapHeaders = []string{"scenario.export.area", "scenario.export.other_areas", "scenario.export.initiative",
	"scenario.export.owner", "scenario.export.start", "scenario.export.end", "scenario.export.duration",
	"scenario.export.status", "scenario.export.rag", "scenario.export.one_off", "scenario.export.recurring",
	"scenario.export.fte", "scenario.export.value", "scenario.export.forced", "scenario.export.depends_on"}

// scExportRow is one initiative of the exports: text and numbers in the
// order of scRoadmapHeaders, then its cost in each year of the horizon.
func (c *call) scExportRows(rm *scenario.Roadmap, titles map[string]string) [][]any {
	areaName := map[string]string{}
	for _, ln := range rm.Lanes {
		areaName[ln.Area] = c.laneName(ln)
	}
	var out [][]any
	for _, row := range rm.Rows() {
		it := row.Item
		var others, deps []string
		for _, a := range it.Areas[min(1, len(it.Areas)):] {
			others = append(others, areaName[a])
		}
		for _, d := range it.DependsOn {
			deps = append(deps, titles[d])
		}
		status, rag := "", ""
		if it.Known {
			status = c.T("portfolio.status." + string(it.Status))
			if it.RAG != domain.RAGNone {
				rag = c.T("portfolio.rag." + string(it.RAG))
			}
		}
		forced := ""
		if it.Forced {
			forced = c.T("scenario.export.yes")
		}
		r := []any{c.laneName(row.Lane), strings.Join(others, ", "), it.Title, it.Owner, it.Start, it.End, it.End - it.Start + 1,
			status, rag, it.OneOffCost, it.RecurringCost, scFTENumber(it.FTE), scRound(it.Value), forced, strings.Join(deps, ", ")}
		for y := rm.Start; y <= rm.End; y++ {
			var cost int64
			if y == it.Start {
				cost += it.OneOffCost
			}
			if y >= it.Start {
				cost += it.RecurringCost
			}
			r = append(r, cost)
		}
		out = append(out, r)
	}
	return out
}

func scFTENumber(f domain.FTE) float64 { return float64(f) / float64(domain.FTEUnit) }

func scRound(x float64) float64 { return math.Round(x*100) / 100 }

// scExportHeader is the header row: the columns in the page's language,
// then a column per year.
func (c *call) scExportHeader(rm *scenario.Roadmap) []string {
	var h []string
	for _, id := range scRoadmapHeaders {
		h = append(h, c.T(id))
	}
	for y := rm.Start; y <= rm.End; y++ {
		h = append(h, c.T("scenario.export.cost_in", "Year", y))
	}
	return h
}

// scFileName is the download's name: "roadmap-baseline-2026-2035.xlsx".
func scFileName(sc *domain.Scenario, ext string) string {
	name := domain.Slugify(sc.Name)
	if name == "" {
		name = "scenario"
	}
	return "roadmap-" + name + "-" + itoa(sc.StartYear) + "-" + itoa(sc.EndYear) + "." + ext
}
