package report

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/waymark/waymark/internal/analysis"
)

// Limits of the PDF: the workbook has everything.
const (
	pdfIdeasPerTrend = 8
	pdfDots          = 20
	pdfDisagreements = 12
)

func (p *pdfWriter) cover() {
	r, f := p.r, p.f
	p.newPage()
	p.fill(accentC)
	f.Rect(0, 0, pageW, 10, "F")
	f.SetY(120)
	p.font("B", 11)
	p.textColor(accentC)
	p.text(margin, f.GetY(), r.T("report.title"), "L")
	f.SetY(f.GetY() + 14)
	p.font("B", 26)
	p.textColor(inkC)
	for _, l := range f.SplitText(clean(r.Workshop.Title, false), contentW) {
		y := f.GetY()
		p.text(margin, y+26, l, "L")
		f.SetY(y + 33)
	}
	if r.Organisation != "" {
		p.font("", 14)
		p.textColor(mutedC)
		y := f.GetY()
		p.text(margin, y+16, r.Organisation, "L")
		f.SetY(y + 26)
	}
	p.gap(18)

	facts := [][2]string{
		{r.T("report.cover.generated"), p.date()},
		{r.T("report.cover.library"), r.libraryLabel()},
		{r.T("report.cover.joined"), p.count(r.Joined)},
		{r.T("report.cover.answered"), p.count(r.Answered)},
		{r.T("report.cover.answers"), p.count(len(r.Answers))},
		{r.T("report.cover.trends"), p.count(len(r.Analysis.Trends))},
	}
	for _, kv := range facts {
		if kv[1] == "" {
			continue
		}
		y := f.GetY()
		p.font("B", 10)
		p.textColor(inkC)
		p.text(margin, y+10, kv[0], "L")
		p.font("", 10)
		p.text(margin+170, y+10, kv[1], "L")
		f.SetY(y + 16)
	}
	p.gap(14)
	if r.Workshop.Purpose != "" {
		p.font("B", 10)
		p.textColor(inkC)
		p.text(margin, f.GetY()+10, r.T("report.cover.purpose"), "L")
		p.gap(16)
		p.para(r.Workshop.Purpose, "", bodySize, inkC)
	}
	p.gap(6)
	p.font("B", 10)
	p.textColor(inkC)
	p.text(margin, f.GetY()+10, r.T("report.cover.in_brief"), "L")
	p.gap(16)
	a := r.Analysis
	for _, s := range []string{a.Ranking.Summary.String(r.Lang), a.Matrix.Summary.String(r.Lang), a.Radar.Summary.String(r.Lang)} {
		p.bullet(s)
	}
	if t := p.tensionSummary(); t != "" {
		p.bullet(t)
	}
}

// bullet writes a paragraph with a bullet.
func (p *pdfWriter) bullet(s string) {
	p.need(14)
	p.font("", bodySize)
	p.textColor(accentC)
	p.text(margin+2, p.f.GetY()+bodySize, "•", "L")
	p.paraAt(margin+14, contentW-14, s, "", bodySize, inkC)
}

func (p *pdfWriter) method() {
	r := p.r
	p.newPage()
	p.heading(r.T("report.method.title"), 40)
	for _, id := range []string{"report.method.scales", "report.method.stats", "report.method.priority", "report.method.matrix",
		"report.method.radar", "report.method.tensions"} {
		p.para(r.T(id), "", bodySize, inkC)
	}
	p.para(r.T("report.method.groups", "Min", r.MinGroupAnswers), "", bodySize, inkC)
	p.para(r.T("report.method.more"), "", bodySize, mutedC)
	p.gap(8)
}

func (p *pdfWriter) participation() {
	r := p.r
	p.heading(r.T("report.participation.title"), 60)
	p.para(r.T("report.participation.summary", "Joined", p.count(r.Joined), "Answered", p.count(r.Answered), "Groups", len(r.Groups)), "", bodySize, inkC)
	most := 1
	for _, g := range r.Groups {
		most = max(most, g.Joined, g.Answered)
	}
	var rows [][]tcell
	for _, g := range r.Groups {
		rows = append(rows, []tcell{tc(g.Name), tc(p.count(g.Joined)),
			{text: p.count(g.Answered), bar: float64(g.Answered) / float64(most)}})
	}
	rows = append(rows, []tcell{{text: r.T("report.participation.total"), bar: -1, bold: true},
		{text: p.count(r.Joined), bar: -1, bold: true}, {text: p.count(r.Answered), bar: -1, bold: true}})
	p.table([]column{{title: r.T("report.col.group"), w: 3}, {title: r.T("report.col.joined"), w: 1, align: "R"},
		{title: r.T("report.col.answered"), w: 3, align: "R", bar: true}}, rows)
}

func (p *pdfWriter) priorities() {
	r := p.r
	p.newPage()
	p.heading(r.T("report.priorities.title"), 80)
	p.para(r.Analysis.Ranking.Summary.String(r.Lang), "", bodySize, inkC)
	p.para(r.T("report.priorities.intro"), "", bodySize-0.5, mutedC)
	var rows [][]tcell
	for _, t := range r.Analysis.Ranking.Trends {
		rank := "–"
		if t.Rank > 0 {
			rank = strconv.Itoa(t.Rank)
		}
		title := r.TrendTitle(t.Key)
		if t.Decision != nil && t.Decision.Reason != "" {
			title += " — " + r.T("report.priorities.reason", "Reason", oneLine(t.Decision.Reason))
		}
		if len(t.Missing) > 0 {
			title += " — " + r.T("report.priorities.missing", "Questions", r.questionList(t.Missing))
		}
		idx := tcell{text: p.num(t.Index, 0), bar: -1}
		if t.Index.Valid() {
			idx.bar = float64(t.Index) / 100
			switch t.Standing {
			case analysis.Pinned:
				idx.fill = &pinnedC
			case analysis.Excluded:
				idx.fill = &excludedC
			}
		}
		rows = append(rows, []tcell{{text: rank, bar: -1, bold: t.Rank > 0 && t.Rank <= 3}, {text: title, bar: -1, bold: t.Rank > 0 && t.Rank <= 3}, idx,
			tc(p.num(times100(t.Impact), 0)), tc(p.num(times100(t.Urgency), 0)), tc(p.num(times100(t.Gap), 0)),
			tc(r.T("report.standing." + string(t.Standing)))})
	}
	p.table([]column{{title: r.T("report.col.rank"), w: 0.55, align: "R"}, {title: r.T("report.col.trend"), w: 3.7},
		{title: r.T("report.col.index"), w: 1.6, align: "R", bar: true}, {title: r.T("report.q.impact"), w: 0.9, align: "R"},
		{title: r.T("report.col.urgency"), w: 0.9, align: "R"}, {title: r.T("report.col.gap"), w: 0.8, align: "R"},
		{title: r.T("report.col.standing"), w: 1.15}}, rows)
}

// disagreement is one row of one group comparison.
type disagreement struct {
	question string
	row      analysis.GroupRow
	groups   []analysis.Group
	rel      float64 // range over the length of the scale
}

func (p *pdfWriter) disagreements() {
	r := p.r
	p.heading(r.T("report.groups.title"), 80)
	var all []disagreement
	for _, gc := range r.Analysis.Groups {
		q, _ := r.Question(gc.Question)
		span := float64(max(q.Max-q.Min, 1))
		for _, row := range gc.Rows {
			if row.Range.Valid() {
				all = append(all, disagreement{question: gc.Question, row: row, groups: gc.Groups, rel: float64(row.Range) / span})
			}
		}
	}
	if len(all) == 0 {
		p.para(r.T("report.groups.none", "Min", r.MinGroupAnswers), "", bodySize, inkC)
		return
	}
	slices.SortStableFunc(all, func(a, b disagreement) int {
		return cmp.Or(cmp.Compare(b.rel, a.rel), cmp.Compare(b.row.EtaSquared.Or(0), a.row.EtaSquared.Or(0)))
	})
	p.para(r.T("report.groups.intro", "Min", r.MinGroupAnswers), "", bodySize-0.5, mutedC)
	all = all[:min(len(all), pdfDisagreements)]
	mean := func(d disagreement, key string) string {
		for i, c := range d.row.Cells {
			if i < len(d.groups) && d.groups[i].Key == key {
				return r.GroupName(key) + " (" + p.num(c.Stats.Mean, 1) + ")"
			}
		}
		return r.GroupName(key)
	}
	var rows [][]tcell
	for _, d := range all {
		rows = append(rows, []tcell{tc(r.TrendTitle(d.row.Trend)), tc(r.QuestionName(d.question)), tc(mean(d, d.row.Lowest)),
			tc(mean(d, d.row.Highest)), tc(p.num(d.row.Range, 1)), tc(p.num(d.row.EtaSquared, 2))})
	}
	p.table([]column{{title: r.T("report.col.trend"), w: 3}, {title: r.T("report.col.question"), w: 1.3},
		{title: r.T("report.col.lowest_mean"), w: 1.8}, {title: r.T("report.col.highest_mean"), w: 1.8},
		{title: r.T("report.col.range"), w: 0.8, align: "R"}, {title: r.T("report.col.eta"), w: 0.9, align: "R"}}, rows)
}

func (p *pdfWriter) ideas() {
	r := p.r
	p.newPage()
	p.heading(r.T("report.ideas.title"), 60)
	ideas := r.ideasByTrend()
	if len(ideas) == 0 {
		p.para(r.T("report.ideas.none"), "", bodySize, inkC)
	} else {
		trends := 0
		for i := range ideas {
			if i == 0 || ideas[i].Trend != ideas[i-1].Trend {
				trends++
			}
		}
		p.para(r.T("report.ideas.summary", "Count", len(ideas), "Trends", trends, "Max", pdfIdeasPerTrend), "", bodySize, inkC)
	}
	if r.HiddenIdeas > 0 {
		p.para(r.T("report.ideas.hidden", "Count", r.HiddenIdeas), "", bodySize-0.5, mutedC)
	}
	for start := 0; start < len(ideas); {
		end := start
		for end < len(ideas) && ideas[end].Trend == ideas[start].Trend {
			end++
		}
		group := ideas[start:end]
		p.subheading(ideas[start].TrendTitle, 50)
		var rows [][]tcell
		for _, i := range group[:min(len(group), pdfIdeasPerTrend)] {
			rows = append(rows, []tcell{tc(i.Text), tc(strconv.Itoa(i.Upvotes)), tc(strconv.Itoa(i.Dots))})
		}
		p.table([]column{{title: r.T("report.col.idea"), w: 7}, {title: r.T("report.col.upvotes"), w: 0.9, align: "R"},
			{title: r.T("report.col.dots"), w: 0.8, align: "R"}}, rows)
		if n := len(group) - pdfIdeasPerTrend; n > 0 {
			p.para(r.T("report.ideas.more", "Count", n), "", smallSize+0.5, mutedC)
		}
		start = end
	}
}

func (p *pdfWriter) dots() {
	r := p.r
	p.heading(r.T("report.dots.title"), 60)
	dotted := r.dotted()
	if len(dotted) == 0 {
		p.para(r.T("report.dots.none"), "", bodySize, inkC)
		return
	}
	total := 0
	for _, i := range dotted {
		total += i.Dots
	}
	p.para(r.T("report.dots.summary", "Count", total, "Ideas", len(dotted), "Max", pdfDots), "", bodySize, inkC)
	most := float64(dotted[0].Dots)
	var rows [][]tcell
	for n, i := range dotted[:min(len(dotted), pdfDots)] {
		rows = append(rows, []tcell{tc(strconv.Itoa(n + 1)), tc(i.Text), tc(i.TrendTitle),
			{text: strconv.Itoa(i.Dots), bar: float64(i.Dots) / most}, tc(strconv.Itoa(i.Upvotes))})
	}
	p.table([]column{{title: r.T("report.col.rank"), w: 0.5, align: "R"}, {title: r.T("report.col.idea"), w: 5},
		{title: r.T("report.col.trend"), w: 2.4}, {title: r.T("report.col.dots"), w: 1.5, align: "R", bar: true},
		{title: r.T("report.col.upvotes"), w: 0.9, align: "R"}}, rows)
}
