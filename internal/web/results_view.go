package web

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/waymark/waymark/internal/analysis"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/workshop"
)

// resultsQuery is what the reader chose to see: the radar's sectors, the
// question the groups are compared on, and another workshop to compare
// with. It travels in the query string (and in hidden fields of the
// page's forms), so every view can be linked to.
type resultsQuery struct {
	Sectors  service.Sectors
	Question string
	Compare  string
}

func readResultsQuery(v url.Values) resultsQuery {
	return resultsQuery{Sectors: service.ParseSectors(v.Get("sectors")), Question: v.Get("question"), Compare: v.Get("compare")}
}

// encode returns the query string (without "?") with one value changed.
func (q resultsQuery) encode(kv ...string) string {
	v := url.Values{}
	if q.Sectors == service.SectorsCategories {
		v.Set("sectors", string(q.Sectors))
	}
	if q.Question != "" {
		v.Set("question", q.Question)
	}
	if q.Compare != "" {
		v.Set("compare", q.Compare)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v.Encode()
}

// option is one choice of a select.
type option struct {
	Value    string
	Label    string
	Selected bool
}

// legendItem is one entry of a chart's key: a small picture and its text.
type legendItem struct {
	Icon template.HTML
	Text string
}

// resultsPage is the results page of a workshop.
type resultsPage struct {
	Workshop     *domain.Workshop
	Version      *domain.Version
	Base         string // the workshop's path
	Path         string // the results page's path with the reader's choices
	Query        resultsQuery
	Live         bool   // the page follows the workshop's live stream
	RefreshURL   string // the live part, for the script
	CanDecide    bool
	Joined       int
	Active       int
	Empty        bool // no answer yet
	Decision     decisionForm
	Ranking      rankingView
	Matrix       matrixView
	Radar        radarView
	Distribution []distView
	Tensions     tensionsView
	Groups       groupsView
	Compare      compareView
	Ideas        ideasView
	Dots         dotsView
	// Report is set on the printable report, which leaves out the page's
	// forms and switches.
	Report        bool
	Participation []participationRow
	Downloads     []option // Value is the URL, Label the format's name
}

// participationRow is one participant group's turnout.
type participationRow struct {
	Group    domain.Text
	Joined   int
	Answered int
}

// decisionForm is the form that pins or excludes a trend.
type decisionForm struct {
	Trends []option
	Kind   string
	Reason string
	Errors map[string]string // field → message
	Max    int
}

// resultsBuilder builds the views of one workshop's analysis in the
// reader's language.
type resultsBuilder struct {
	c      *call
	lang   string
	res    *service.Results
	a      *analysis.Analysis
	titles map[string]domain.Text // trend key → title
}

func (b *resultsBuilder) title(key string) domain.Text {
	if t, ok := b.titles[key]; ok {
		return t
	}
	return domain.T(key, key)
}

func (b *resultsBuilder) label(key string) string { return b.title(key).String(b.lang) }

// num formats a statistic with decimals, "–" when absent.
func (b *resultsBuilder) num(n analysis.Num, decimals int) string { return n.Format(decimals, b.lang) }

// signed formats a present number with its sign (+1.5, −0.3).
func (b *resultsBuilder) signed(n analysis.Num, decimals int) string {
	if !n.Valid() {
		return "–"
	}
	s := n.Format(decimals, b.lang)
	if s != "0" && s != "0,0" && s != "0.0" && !strings.HasPrefix(s, "−") && !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}

// pct formats a share 0…1 as a whole percentage.
func (b *resultsBuilder) pct(share analysis.Num) string {
	if !share.Valid() {
		return "–"
	}
	n := strconv.Itoa(int(math.Round(100 * float64(share))))
	if b.lang == "sv" {
		return n + "\u00a0%"
	}
	return n + "%"
}

func count(n int64) string { return strconv.FormatInt(n, 10) }

// question returns the workshop's question with the key.
func (b *resultsBuilder) question(key string) (domain.Question, bool) {
	return b.res.Workshop.Question(key)
}

func (b *resultsBuilder) questionName(key string) string {
	if q, ok := b.question(key); ok {
		if n := b.c.T("workshops.q." + key); n != "workshops.q."+key {
			return n
		}
		return q.Label.String(b.lang)
	}
	return key
}

// --- priority ranking ---

type rankingView struct {
	SVG     template.HTML
	Summary string
	Rows    []rankingRow
	Legend  []legendItem
}

type rankingRow struct {
	Rank      string
	Title     domain.Text
	Index     string
	Impact    string
	Urgency   string
	Gap       string
	Standing  string
	Class     string // the standing, for styling
	Reason    string
	DecidedBy string
	DecidedAt string
	Missing   string // the questions with too few answers, when unrated
}

func (b *resultsBuilder) ranking() rankingView {
	rk := b.a.Ranking
	v := rankingView{Summary: rk.Summary.String(b.lang)}
	for _, r := range rk.Trends {
		row := rankingRow{Title: b.title(r.Key), Index: b.num(r.Index, 0), Impact: b.num(scale100(r.Impact), 0),
			Urgency: b.num(scale100(r.Urgency), 0), Gap: b.num(scale100(r.Gap), 0),
			Standing: b.c.T("results.standing." + string(r.Standing)), Class: string(r.Standing)}
		if r.Rank > 0 {
			row.Rank = strconv.Itoa(r.Rank)
		}
		if r.Decision != nil {
			row.Reason, row.DecidedBy = r.Decision.Reason, r.Decision.By
			if !r.Decision.At.IsZero() {
				row.DecidedAt = r.Decision.At.Format("2006-01-02")
			}
		}
		if len(r.Missing) > 0 {
			names := make([]string, len(r.Missing))
			for i, m := range r.Missing {
				names[i] = b.questionName(m)
			}
			row.Missing = strings.Join(names, ", ")
		}
		v.Rows = append(v.Rows, row)
	}
	v.SVG = b.rankingSVG()
	hatch := legendHatch("ranking-key", "wm-svg__hatch")
	v.Legend = []legendItem{
		{legendSwatch("wm-svg__bar"), b.c.T("results.ranking.key_ranked")},
		{legendSwatch("wm-svg__bar wm-svg__bar--pinned"), b.c.T("results.ranking.key_pinned")},
		{hatch, b.c.T("results.ranking.key_excluded")},
	}
	return v
}

func scale100(n analysis.Num) analysis.Num {
	if !n.Valid() {
		return n
	}
	return n * 100
}

// rankingSVG draws the ranking as bars of the index, 0…100, in ranking
// order; each row names its rank, the trend and, when it has one, the
// facilitator's decision in words.
func (b *resultsBuilder) rankingSVG() template.HTML {
	const (
		w, left, right = 480.0, 4.0, 36.0
		top, rowH      = 24.0, 36.0
	)
	rows := b.a.Ranking.Trends
	h := top + float64(len(rows))*rowH + 4
	plot := w - left - right
	var s svgBuf
	s.open("ranking-chart", w, h, "ranking-heading ranking-summary")
	fill := s.hatch("hatch", "wm-svg__hatch")
	for _, t := range []int{0, 25, 50, 75, 100} {
		x := left + plot*float64(t)/100
		s.line(x, top-6, x, h-4, "wm-svg__grid")
		anchor := "middle"
		if t == 0 {
			anchor = "start"
		}
		s.text(x, 12, "wm-svg__tick", anchor, strconv.Itoa(t))
	}
	for i, r := range rows {
		y := top + float64(i)*rowH
		label := b.label(r.Key)
		prefix := "–"
		if r.Rank > 0 {
			prefix = strconv.Itoa(r.Rank) + "."
		}
		status := ""
		if r.Standing != analysis.Ranked {
			status = " · " + b.c.T("results.standing."+string(r.Standing))
		}
		maxRunes := 60 - len([]rune(prefix+status))
		s.text(left, y+13, "wm-svg__label", "", prefix+" "+shortText(label, maxRunes)+status)
		if !r.Index.Valid() {
			continue
		}
		bw := plot * clamp01(float64(r.Index)/100)
		switch r.Standing {
		case analysis.Excluded:
			s.rect(left, y+18, bw, 12, "wm-svg__bar--excluded", "fill", fill)
		case analysis.Pinned:
			s.rect(left, y+18, bw, 12, "wm-svg__bar wm-svg__bar--pinned")
		default:
			s.rect(left, y+18, bw, 12, "wm-svg__bar")
		}
		s.text(left+bw+4, y+28, "wm-svg__value", "", b.num(r.Index, 0))
	}
	return s.html()
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

// --- impact × certainty matrix ---

type matrixView struct {
	SVG       template.HTML
	Summary   string
	Rows      []matrixRow
	Unplaced  []domain.Text
	Quadrants []legendItem
}

type matrixRow struct {
	Number    int
	Title     domain.Text
	Impact    string
	Certainty string
	Quadrant  string
}

func (b *resultsBuilder) matrix() matrixView {
	m := b.a.Matrix
	v := matrixView{Summary: m.Summary.String(b.lang)}
	for _, p := range m.Points {
		v.Rows = append(v.Rows, matrixRow{Number: p.Number, Title: b.title(p.Key),
			Impact: b.num(analysis.Num(p.Impact), 1), Certainty: b.num(analysis.Num(p.Certainty), 1), Quadrant: p.Quadrant.Name().String(b.lang)})
	}
	for _, u := range m.Unplaced {
		v.Unplaced = append(v.Unplaced, b.title(u.Key))
	}
	for _, q := range m.Quadrants {
		v.Quadrants = append(v.Quadrants, legendItem{legendSwatch("wm-svg__quad wm-svg__quad--" + string(q.Quadrant)),
			b.c.T("results.matrix.q." + string(q.Quadrant))})
	}
	var s svgBuf
	s.open("matrix-chart", m.Width, m.Height, "matrix-heading matrix-summary")
	for _, q := range m.Quadrants {
		s.rect(q.Area.X, q.Area.Y, q.Area.W, q.Area.H, "wm-svg__quad wm-svg__quad--"+string(q.Quadrant))
	}
	s.rect(m.Plot.X, m.Plot.Y, m.Plot.W, m.Plot.H, "wm-svg__frame")
	for _, q := range m.Quadrants {
		s.text(q.LabelBox.X+2, q.LabelBox.Y+q.LabelBox.H*0.75, "wm-svg__quad-name", "", q.Name.String(b.lang))
	}
	for _, t := range m.XTicks {
		s.line(t.Pos, m.Plot.Bottom(), t.Pos, m.Plot.Bottom()+5, "wm-svg__axis")
		s.text(t.Pos, m.Plot.Bottom()+18, "wm-svg__tick", "middle", strconv.Itoa(t.Value))
	}
	for _, t := range m.YTicks {
		s.line(m.Plot.X-5, t.Pos, m.Plot.X, t.Pos, "wm-svg__axis")
		s.text(m.Plot.X-8, t.Pos+4, "wm-svg__tick", "end", strconv.Itoa(t.Value))
	}
	s.text(m.XAxisTitle.X, m.XAxisTitle.Y, "wm-svg__axis-title", "middle", b.c.T("results.matrix.x"))
	s.WriteString(`<g transform="rotate(-90 ` + fnum(m.YAxisTitle.X) + ` ` + fnum(m.YAxisTitle.Y) + `)">`)
	s.text(m.YAxisTitle.X, m.YAxisTitle.Y+4, "wm-svg__axis-title", "middle", b.c.T("results.matrix.y"))
	s.WriteString(`</g>`)
	for _, p := range m.Points {
		if p.Leader != nil {
			s.line(p.Leader.X1, p.Leader.Y1, p.Leader.X2, p.Leader.Y2, "wm-svg__leader")
		}
	}
	for _, p := range m.Points {
		s.WriteString(`<g>`)
		s.title(fmt.Sprintf("%d. %s", p.Number, p.Label))
		s.circle(p.X, p.Y, p.R, "wm-svg__point")
		s.WriteString(`</g>`)
	}
	for _, p := range m.Points {
		s.text(p.TextX, p.TextY, "wm-svg__point-label", "", p.Short)
	}
	v.SVG = s.html()
	return v
}

// --- trend radar ---

type radarView struct {
	SVG           template.HTML
	Summary       string
	Categories    bool
	ForcesURL     string
	CategoriesURL string
	Legend        []legendItem
	Rings         string
	Rows          []radarRow
}

type radarRow struct {
	Number    int
	Title     domain.Text
	Sector    string
	Horizon   string
	Impact    string
	Direction string
}

// directionClass is the CSS modifier of a direction's colour.
func directionClass(d analysis.Direction) string { return "wm-svg__dir wm-svg__dir--" + string(d) }

func (b *resultsBuilder) radar(path string, q resultsQuery) radarView {
	rd := b.a.Radar
	v := radarView{Summary: rd.Summary.String(b.lang), Categories: q.Sectors == service.SectorsCategories,
		ForcesURL: path + "?" + q.encode("sectors", "") + "#radar", CategoriesURL: path + "?" + q.encode("sectors", string(service.SectorsCategories)) + "#radar"}
	for _, d := range []analysis.Direction{analysis.Threat, analysis.Opportunity, analysis.Both, analysis.DirectionUnknown} {
		v.Legend = append(v.Legend, legendItem{legendIcon(string(d.Shape()), directionClass(d)), d.Name().String(b.lang)})
	}
	var rings []string
	for _, r := range rd.Rings {
		rings = append(rings, r.Label)
	}
	v.Rings = strings.Join(rings, ", ")
	full := map[string]string{}
	for _, sc := range b.res.Input.Sectors {
		full[sc.Key] = sc.Label
	}
	for _, e := range rd.Entries {
		sector := rd.Sectors[e.Sector].Label
		if l, ok := full[rd.Sectors[e.Sector].Key]; ok {
			sector = l
		}
		t, _ := b.a.Trend(e.Key)
		v.Rows = append(v.Rows, radarRow{Number: e.Number, Title: b.title(e.Key), Sector: sector, Horizon: rd.Rings[e.Ring].Label,
			Impact: b.num(t.Question(b.a.Keys.Impact).Mean, 1), Direction: e.Direction.Name().String(b.lang)})
	}

	var s svgBuf
	s.open("radar-chart", rd.Width, rd.Height, "radar-heading radar-summary")
	for i := len(rd.Rings) - 1; i >= 0; i-- {
		s.circle(rd.Center.X, rd.Center.Y, rd.Rings[i].Outer, "wm-svg__ring wm-svg__ring--"+strconv.Itoa(i%2))
	}
	for _, sc := range rd.Sectors {
		if sc.Edge != (analysis.Line{}) {
			s.line(sc.Edge.X1, sc.Edge.Y1, sc.Edge.X2, sc.Edge.Y2, "wm-svg__edge")
		}
	}
	for _, r := range rd.Rings {
		s.rect(r.LabelBox.X, r.LabelBox.Y, r.LabelBox.W, r.LabelBox.H, "wm-svg__ring-label-bg")
		s.text(r.Text.X, r.Text.Y, "wm-svg__ring-label", "middle", r.Label)
	}
	for _, sc := range rd.Sectors {
		s.text(sc.TextX, sc.TextY, "wm-svg__sector-label", sc.Anchor, sc.Label)
	}
	for i, e := range rd.Entries {
		s.WriteString(`<g>`)
		row := v.Rows[i]
		s.title(fmt.Sprintf("%d. %s – %s, %s", e.Number, e.Label, row.Direction, row.Horizon))
		s.marker(string(e.Shape), e.X, e.Y, e.R, directionClass(e.Direction))
		fs := math.Min(11, math.Max(8, e.R*0.9))
		s.WriteString(`<text x="` + fnum(e.X) + `" y="` + fnum(e.Y+fs*0.35) + `" text-anchor="middle" font-size="` + fnum(fs) + `" class="wm-svg__entry-number">` + strconv.Itoa(e.Number) + `</text>`)
		s.WriteString(`</g>`)
	}
	v.SVG = s.html()
	return v
}

// --- distributions ---

type distView struct {
	ID      string
	Name    string
	Label   domain.Text
	SVG     template.HTML
	Summary string
	Legend  []legendItem
	Values  []string // column headers: the scale's values
	Rows    []distRow
}

type distRow struct {
	Title                                    domain.Text
	N, DontKnow                              string
	Counts                                   []string
	Mean, Median, SD, IQR, Consensus, DKRate string
}

// segmentClass returns the fill of value i of n: five steps from light to
// dark, so that order reads without the key.
func segmentClass(i, n int) string {
	step := 2
	if n > 1 {
		step = int(math.Round(float64(i) * 4 / float64(n-1)))
	}
	return "wm-svg__seg wm-svg__seg--" + strconv.Itoa(step)
}

func (b *resultsBuilder) distributions() []distView {
	var out []distView
	for _, q := range b.res.Workshop.Questions {
		v := distView{ID: "dist-" + q.Key, Name: b.questionName(q.Key), Label: q.Label}
		type best struct {
			key  string
			mean float64
		}
		var hi, lo *best
		var total int64
		for _, t := range b.a.Trends {
			st := t.Question(q.Key)
			row := distRow{Title: b.title(t.Key), N: count(st.Count), DontKnow: count(st.DontKnow), Mean: b.num(st.Mean, 1),
				Median: b.num(st.Median, 1), SD: b.num(st.SD, 2), IQR: b.num(st.IQR, 1), Consensus: b.num(st.Consensus, 2), DKRate: b.pct(st.DontKnowShare)}
			for _, c := range st.Counts {
				row.Counts = append(row.Counts, count(c))
			}
			v.Rows = append(v.Rows, row)
			total += st.Count
			if st.Mean.Valid() {
				m := float64(st.Mean)
				if hi == nil || m > hi.mean {
					hi = &best{t.Key, m}
				}
				if lo == nil || m < lo.mean {
					lo = &best{t.Key, m}
				}
			}
		}
		for x := q.Min; x <= q.Max; x++ {
			v.Values = append(v.Values, strconv.Itoa(x))
			v.Legend = append(v.Legend, legendItem{legendSwatch(segmentClass(x-q.Min, q.Max-q.Min+1)), q.ValueLabel(x, b.lang)})
		}
		if hi == nil {
			v.Summary = b.c.T("results.dist.summary_none", "Question", v.Name)
		} else {
			v.Summary = b.c.T("results.dist.summary", "Question", v.Name, "Count", total,
				"High", b.label(hi.key), "HighMean", b.num(analysis.Num(hi.mean), 1), "Low", b.label(lo.key), "LowMean", b.num(analysis.Num(lo.mean), 1))
		}
		v.SVG = b.distSVG(q, v.ID)
		out = append(out, v)
	}
	return out
}

// distSVG draws one question's answers as a bar per trend, split into the
// shares of each value (lowest on the left), with each share written on
// its segment where it fits; "don't know" answers are counted beside.
func (b *resultsBuilder) distSVG(q domain.Question, id string) template.HTML {
	const (
		w, left, right = 480.0, 4.0, 4.0
		rowH           = 38.0
	)
	trends := b.a.Trends
	h := float64(len(trends))*rowH + 4
	plot := w - left - right
	var s svgBuf
	s.open(id+"-chart", w, h, id+"-heading "+id+"-summary")
	n := q.Max - q.Min + 1
	for i, t := range trends {
		st := t.Question(q.Key)
		y := float64(i) * rowH
		note := b.c.T("results.dist.n", "Count", st.Count)
		if st.DontKnow > 0 {
			note += " · " + b.c.T("results.dist.dk", "Count", st.DontKnow)
		}
		s.text(left, y+13, "wm-svg__label", "", shortText(b.label(t.Key), 60-len([]rune(note))))
		s.text(w-right, y+13, "wm-svg__note", "end", note)
		if st.Count == 0 {
			s.rect(left, y+18, plot, 14, "wm-svg__empty-bar")
			continue
		}
		x := left
		for v, c := range st.Counts {
			if c == 0 {
				continue
			}
			sw := plot * float64(c) / float64(st.Count)
			cls := segmentClass(v, n)
			s.WriteString(`<g>`)
			s.title(fmt.Sprintf("%s: %d (%s)", q.ValueLabel(q.Min+v, b.lang), c, b.pct(st.Shares[v])))
			s.rect(x, y+18, sw, 14, cls)
			s.WriteString(`</g>`)
			if sw >= 30 {
				s.text(x+sw/2, y+29, cls+"-text", "middle", b.pct(st.Shares[v]))
			}
			x += sw
		}
	}
	return s.html()
}

// --- fields of tension ---

type tensionsView struct {
	SVG     template.HTML
	Summary string
	Rows    []tensionRow
	Legend  []legendItem
	Any     bool // the workshop has fields of tension
}

type tensionRow struct {
	Name, PoleA, PoleB domain.Text
	N                  string
	Now, Want, Gap     string
	SDNow, SDWant      string
}

func (b *resultsBuilder) tensions() tensionsView {
	v := tensionsView{Any: len(b.res.Workshop.Tensions) > 0}
	byKey := map[string]domain.Tension{}
	for _, t := range b.res.Version.Tensions {
		byKey[t.Key] = t
	}
	tension := func(key string) domain.Tension {
		if t, ok := byKey[key]; ok {
			return t
		}
		return domain.Tension{Key: key, Name: domain.T(key, key), PoleA: domain.T("−100", "−100"), PoleB: domain.T("+100", "+100")}
	}
	var widest *workshop.TensionSummary
	for i, ts := range b.res.Input.Everyone.Tensions {
		t := tension(ts.Key)
		v.Rows = append(v.Rows, tensionRow{Name: t.Name, PoleA: t.PoleA, PoleB: t.PoleB, N: count(ts.Count),
			Now: b.num(analysis.Num(ts.MeanNow()), 0), Want: b.num(analysis.Num(ts.MeanWant()), 0), Gap: b.signed(analysis.Num(ts.Gap()), 0),
			SDNow: b.num(analysis.Num(ts.StdDevNow()), 0), SDWant: b.num(analysis.Num(ts.StdDevWant()), 0)})
		if ts.Count > 0 && (widest == nil || math.Abs(ts.Gap()) > math.Abs(widest.Gap())) {
			widest = &b.res.Input.Everyone.Tensions[i]
		}
	}
	switch {
	case !v.Any:
		v.Summary = b.c.T("results.tensions.summary_none_chosen")
	case widest == nil:
		v.Summary = b.c.T("results.tensions.summary_none")
	default:
		t := tension(widest.Key)
		pole := t.PoleB
		if widest.Gap() < 0 {
			pole = t.PoleA
		}
		v.Summary = b.c.T("results.tensions.summary", "Name", t.Name.String(b.lang), "Now", b.num(analysis.Num(widest.MeanNow()), 0),
			"Want", b.num(analysis.Num(widest.MeanWant()), 0), "Gap", b.signed(analysis.Num(widest.Gap()), 0), "Pole", pole.String(b.lang))
	}
	v.Legend = []legendItem{
		{legendIcon(shapeRing, "wm-svg__now"), b.c.T("results.tensions.now")},
		{legendIcon(shapeDiamond, "wm-svg__want"), b.c.T("results.tensions.want")},
	}
	if !v.Any {
		return v
	}
	const (
		w, x0, x1 = 480.0, 16.0, 464.0
		rowH      = 84.0
	)
	h := float64(len(b.res.Input.Everyone.Tensions))*rowH + 4
	xOf := func(p float64) float64 { return x0 + (p+100)/200*(x1-x0) }
	var s svgBuf
	s.open("tensions-chart", w, h, "tensions-heading tensions-summary")
	arrow := s.arrowhead("arrow")
	for i, ts := range b.res.Input.Everyone.Tensions {
		t := tension(ts.Key)
		y := float64(i) * rowH
		s.text(4, y+14, "wm-svg__label wm-svg__label--strong", "", shortText(t.Name.String(b.lang), 60))
		s.line(x0, y+38, x1, y+38, "wm-svg__axis")
		for _, p := range []float64{-100, 0, 100} {
			s.line(xOf(p), y+32, xOf(p), y+44, "wm-svg__axis")
		}
		s.text(x0, y+60, "wm-svg__note", "start", shortText(t.PoleA.String(b.lang), 36))
		s.text(x1, y+60, "wm-svg__note", "end", shortText(t.PoleB.String(b.lang), 36))
		if ts.Count == 0 {
			s.text((x0+x1)/2, y+76, "wm-svg__note", "middle", b.c.T("results.tensions.nobody"))
			continue
		}
		now, want := xOf(ts.MeanNow()), xOf(ts.MeanWant())
		if math.Abs(want-now) > 12 {
			dir := 1.0
			if want < now {
				dir = -1
			}
			s.line(now+dir*7, y+38, want-dir*8, y+38, "wm-svg__gap", "marker-end", arrow)
		}
		s.WriteString(`<g>`)
		s.title(b.c.T("results.tensions.now") + ": " + b.num(analysis.Num(ts.MeanNow()), 0))
		s.marker(shapeRing, now, y+38, 6, "wm-svg__now")
		s.WriteString(`</g><g>`)
		s.title(b.c.T("results.tensions.want") + ": " + b.num(analysis.Num(ts.MeanWant()), 0))
		s.marker(shapeDiamond, want, y+38, 7, "wm-svg__want")
		s.WriteString(`</g>`)
		s.text((x0+x1)/2, y+76, "wm-svg__note", "middle", b.c.T("results.tensions.row_note", "Count", ts.Count, "Gap", b.signed(analysis.Num(ts.Gap()), 0)))
	}
	v.SVG = s.html()
	return v
}

// --- group comparison ---

type groupsView struct {
	Any       bool // the workshop has groups
	Questions []option
	Question  string // its name
	SVG       template.HTML
	Summary   string
	Groups    []domain.Group
	Rows      []groupRow
	Legend    []legendItem
	Min       int
	Hidden    int // suppressed cells
}

type groupRow struct {
	Title domain.Text
	Cells []groupCell
	Range string
	Eta   string
}

type groupCell struct {
	Text       string
	Suppressed bool
}

func groupClass(i int) string { return "wm-svg__group wm-svg__group--" + strconv.Itoa(i%6) }

func (b *resultsBuilder) groups(question string) groupsView {
	w := b.res.Workshop
	v := groupsView{Any: len(w.Groups) > 0, Groups: w.Groups, Question: b.questionName(question), Min: analysis.DefaultMinGroupAnswers}
	for _, q := range w.Questions {
		v.Questions = append(v.Questions, option{Value: q.Key, Label: b.questionName(q.Key), Selected: q.Key == question})
	}
	if !v.Any {
		v.Summary = b.c.T("results.groups.none")
		return v
	}
	var gc *analysis.GroupComparison
	for i := range b.a.Groups {
		if b.a.Groups[i].Question == question {
			gc = &b.a.Groups[i]
		}
	}
	if gc == nil {
		v.Summary = b.c.T("results.groups.none")
		return v
	}
	v.Summary = gc.Summary.String(b.lang)
	for i, g := range w.Groups {
		v.Legend = append(v.Legend, legendItem{legendIcon(groupShapes[i%len(groupShapes)], groupClass(i)), g.Name.String(b.lang)})
	}
	for _, r := range gc.Rows {
		row := groupRow{Title: b.title(r.Trend), Range: b.num(r.Range, 1), Eta: b.num(r.EtaSquared, 2)}
		for _, cell := range r.Cells {
			if cell.Suppressed {
				v.Hidden++
				row.Cells = append(row.Cells, groupCell{Text: b.c.T("results.groups.hidden_cell", "Count", cell.Stats.Count), Suppressed: true})
				continue
			}
			row.Cells = append(row.Cells, groupCell{Text: b.c.T("results.groups.cell", "Mean", b.num(cell.Stats.Mean, 1), "SD", b.num(cell.Stats.SD, 1), "Count", cell.Stats.Count)})
		}
		v.Rows = append(v.Rows, row)
	}
	q, _ := b.question(question)
	v.SVG = b.groupsSVG(gc, q)
	return v
}

// groupsSVG draws, per trend, each compared group's mean as its own shape
// on the question's scale, joined by the range between the lowest and the
// highest; suppressed groups are not drawn.
func (b *resultsBuilder) groupsSVG(gc *analysis.GroupComparison, q domain.Question) template.HTML {
	const (
		w, x0, x1 = 480.0, 16.0, 464.0
		top, rowH = 24.0, 44.0
	)
	lo, hi := q.Min, q.Max
	if hi <= lo {
		hi = lo + 1
	}
	xOf := func(m float64) float64 { return x0 + (m-float64(lo))/float64(hi-lo)*(x1-x0) }
	h := top + float64(len(gc.Rows))*rowH + 4
	var s svgBuf
	s.open("groups-chart", w, h, "groups-heading groups-summary")
	for v := lo; v <= hi; v++ {
		x := xOf(float64(v))
		s.line(x, top-6, x, h-4, "wm-svg__grid")
		s.text(x, 12, "wm-svg__tick", "middle", strconv.Itoa(v))
	}
	for i, r := range gc.Rows {
		y := top + float64(i)*rowH
		note := ""
		if r.Range.Valid() {
			note = b.c.T("results.groups.range", "Range", b.num(r.Range, 1))
		} else {
			note = b.c.T("results.groups.too_few")
		}
		s.text(4, y+13, "wm-svg__label", "", shortText(b.label(r.Trend), 58-len([]rune(note))))
		s.text(w-4, y+13, "wm-svg__note", "end", note)
		lowX, highX := math.Inf(1), math.Inf(-1)
		for _, c := range r.Cells {
			if !c.Suppressed && c.Stats.Mean.Valid() {
				x := xOf(float64(c.Stats.Mean))
				lowX, highX = math.Min(lowX, x), math.Max(highX, x)
			}
		}
		if highX > lowX {
			s.line(lowX, y+28, highX, y+28, "wm-svg__range")
		}
		for gi, c := range r.Cells {
			if c.Suppressed || !c.Stats.Mean.Valid() {
				continue
			}
			s.WriteString(`<g>`)
			s.title(gc.Groups[gi].Label + ": " + b.num(c.Stats.Mean, 1))
			s.marker(groupShapes[gi%len(groupShapes)], xOf(float64(c.Stats.Mean)), y+28, 6.5, groupClass(gi))
			s.WriteString(`</g>`)
		}
	}
	return s.html()
}

// --- two workshops compared ---

type compareView struct {
	Candidates []option
	Chosen     bool
	Before     string
	After      string
	SVG        template.HTML
	Summary    string
	Rows       []compareRow
	OnlyBefore []domain.Text
	OnlyAfter  []domain.Text
	Legend     []legendItem
}

type compareRow struct {
	Title                           domain.Text
	ImpactBefore, ImpactAfter       string
	ImpactChange                    string
	ReadinessBefore, ReadinessAfter string
	ReadinessChange                 string
	PriorityBefore, PriorityAfter   string
	PriorityChange                  string
	RankBefore, RankAfter           string
}

func (b *resultsBuilder) compare(candidates []domain.WorkshopSummary, chosen string, wc *service.WorkshopComparison) compareView {
	var v compareView
	for _, c := range candidates {
		v.Candidates = append(v.Candidates, option{Value: c.ID, Label: c.Title + " (" + c.CreatedAt.Format("2006-01-02") + ")", Selected: c.ID == chosen})
	}
	if wc == nil {
		return v
	}
	v.Chosen = true
	v.Before, v.After = wc.Before.Title, wc.After.Title
	cmpn := wc.Comparison
	v.Summary = cmpn.Summary.String(b.lang)
	rank := func(n int) string {
		if n <= 0 {
			return "–"
		}
		return strconv.Itoa(n)
	}
	for _, r := range cmpn.Rows {
		v.Rows = append(v.Rows, compareRow{Title: b.title(r.Key),
			ImpactBefore: b.num(r.Before.Impact, 1), ImpactAfter: b.num(r.After.Impact, 1), ImpactChange: b.signed(r.Impact, 1),
			ReadinessBefore: b.num(r.Before.Readiness, 1), ReadinessAfter: b.num(r.After.Readiness, 1), ReadinessChange: b.signed(r.Readiness, 1),
			PriorityBefore: b.num(r.Before.Priority, 0), PriorityAfter: b.num(r.After.Priority, 0), PriorityChange: b.signed(r.Priority, 0),
			RankBefore: rank(r.Before.Rank), RankAfter: rank(r.After.Rank)})
	}
	for _, k := range cmpn.OnlyBefore {
		v.OnlyBefore = append(v.OnlyBefore, b.title(k))
	}
	for _, k := range cmpn.OnlyAfter {
		v.OnlyAfter = append(v.OnlyAfter, b.title(k))
	}
	v.Legend = []legendItem{
		{legendIcon(shapeRing, "wm-svg__before"), b.c.T("results.compare.earlier_named", "Title", v.Before)},
		{legendIcon(shapeCircle, "wm-svg__after"), b.c.T("results.compare.later_named", "Title", v.After)},
	}
	v.SVG = b.compareSVG(cmpn)
	return v
}

// compareSVG draws each shared trend's priority index in the earlier
// workshop (a ring) and the later (a dot), joined by an arrow.
func (b *resultsBuilder) compareSVG(cmpn analysis.Comparison) template.HTML {
	const (
		w, x0, x1 = 480.0, 16.0, 464.0
		top, rowH = 24.0, 44.0
	)
	xOf := func(p float64) float64 { return x0 + clamp01(p/100)*(x1-x0) }
	h := top + float64(len(cmpn.Rows))*rowH + 4
	var s svgBuf
	s.open("compare-chart", w, h, "compare-heading compare-summary")
	arrow := s.arrowhead("arrow")
	for _, t := range []int{0, 25, 50, 75, 100} {
		x := xOf(float64(t))
		s.line(x, top-6, x, h-4, "wm-svg__grid")
		s.text(x, 12, "wm-svg__tick", "middle", strconv.Itoa(t))
	}
	for i, r := range cmpn.Rows {
		y := top + float64(i)*rowH
		note := b.c.T("results.compare.row_note", "Change", b.signed(r.Priority, 0))
		s.text(4, y+13, "wm-svg__label", "", shortText(b.label(r.Key), 58-len([]rune(note))))
		s.text(w-4, y+13, "wm-svg__note", "end", note)
		bp, ap := r.Before.Priority, r.After.Priority
		if bp.Valid() && ap.Valid() && math.Abs(xOf(float64(ap))-xOf(float64(bp))) > 14 {
			dir := 1.0
			if ap < bp {
				dir = -1
			}
			s.line(xOf(float64(bp))+dir*7, y+28, xOf(float64(ap))-dir*8, y+28, "wm-svg__gap", "marker-end", arrow)
		}
		if bp.Valid() {
			s.marker(shapeRing, xOf(float64(bp)), y+28, 6, "wm-svg__before")
		}
		if ap.Valid() {
			s.marker(shapeCircle, xOf(float64(ap)), y+28, 6, "wm-svg__after")
		}
	}
	return s.html()
}

// --- consequences, ideas and dots ---

type ideasView struct {
	Summary string
	Trends  []ideaTrend
	Hidden  int
}

type ideaTrend struct {
	Title domain.Text
	Ideas []domain.Idea
}

type dotsView struct {
	SVG     template.HTML
	Summary string
	Rows    []dotRow
}

type dotRow struct {
	Rank  int
	Text  string
	Title domain.Text
	Dots  int
	Votes int
}

func (b *resultsBuilder) ideas(all []domain.Idea) (ideasView, dotsView) {
	var iv ideasView
	var dv dotsView
	byTrend := map[string][]domain.Idea{}
	var visible []domain.Idea
	for _, i := range all {
		if i.Hidden {
			iv.Hidden++
			continue
		}
		byTrend[i.TrendKey] = append(byTrend[i.TrendKey], i)
		visible = append(visible, i)
	}
	byVotes := func(x, y domain.Idea) int {
		return cmp.Or(cmp.Compare(y.Upvotes, x.Upvotes), cmp.Compare(y.Dots, x.Dots), x.CreatedAt.Compare(y.CreatedAt))
	}
	for _, r := range b.a.Ranking.Trends { // the most important trends first
		ideas := byTrend[r.Key]
		if len(ideas) == 0 {
			continue
		}
		slices.SortStableFunc(ideas, byVotes)
		iv.Trends = append(iv.Trends, ideaTrend{Title: b.title(r.Key), Ideas: ideas})
	}
	if len(visible) == 0 {
		iv.Summary = b.c.T("results.ideas.summary_none")
	} else {
		top := slices.MinFunc(visible, byVotes)
		iv.Summary = b.c.T("results.ideas.summary", "Count", len(visible), "Trends", len(iv.Trends),
			"Top", shortText(top.Text, 80), "Upvotes", top.Upvotes)
	}

	var dotted []domain.Idea
	total := 0
	for _, i := range visible {
		if i.Dots > 0 {
			dotted = append(dotted, i)
			total += i.Dots
		}
	}
	slices.SortStableFunc(dotted, func(x, y domain.Idea) int {
		return cmp.Or(cmp.Compare(y.Dots, x.Dots), cmp.Compare(y.Upvotes, x.Upvotes), x.CreatedAt.Compare(y.CreatedAt))
	})
	for i, d := range dotted {
		dv.Rows = append(dv.Rows, dotRow{Rank: i + 1, Text: d.Text, Title: b.title(d.TrendKey), Dots: d.Dots, Votes: d.Upvotes})
	}
	if len(dotted) == 0 {
		dv.Summary = b.c.T("results.dots.summary_none")
		return iv, dv
	}
	dv.Summary = b.c.T("results.dots.summary", "Count", total, "Ideas", len(dotted), "Top", shortText(dotted[0].Text, 80), "Dots", dotted[0].Dots)
	const (
		w, left, right = 480.0, 4.0, 36.0
		rowH, shown    = 36.0, 10
	)
	n := min(len(dotted), shown)
	h := float64(n)*rowH + 4
	plot := w - left - right
	var s svgBuf
	s.open("dots-chart", w, h, "dots-heading dots-summary")
	most := float64(dotted[0].Dots)
	for i, d := range dotted[:n] {
		y := float64(i) * rowH
		s.text(left, y+13, "wm-svg__label", "", strconv.Itoa(i+1)+". "+shortText(strings.Join(strings.Fields(d.Text), " "), 58))
		bw := plot * float64(d.Dots) / most
		s.rect(left, y+18, bw, 12, "wm-svg__bar")
		s.text(left+bw+4, y+28, "wm-svg__value", "", strconv.Itoa(d.Dots))
	}
	dv.SVG = s.html()
	return iv, dv
}
