package web

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/waymark/waymark/internal/analysis"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

// capabilityPage is an assessment round's page.
type capabilityPage struct {
	Round     *domain.AssessmentRound
	Version   *domain.Version
	Base      string // the round's path
	CanEdit   bool   // owners and facilitators: demand links, rename, delete
	CanAssess bool   // owners, facilitators and analysts
	Assessors int
	Profile   capabilityProfileView
	Gaps      capabilityGapsView
	Evidence  []capabilityAreaAnswers
	Form      *capabilityAssessForm
	Mine      []capabilityMine
	// Errors are the assessment form's problems, for the summary at the
	// top of the page.
	Errors []capabilityError
}

// capabilityProfileView is the capability profile: mean current and target
// maturity per area with the spread of the answers.
type capabilityProfileView struct {
	Summary string
	SVG     template.HTML
	Legend  []legendItem
	Rows    []capabilityAreaRow
}

// capabilityAreaRow is one area of the profile's table.
type capabilityAreaRow struct {
	Name     domain.Text
	Assessed bool
	Count    int
	Current  capabilitySpread
	Target   capabilitySpread
	Gap      string
}

// capabilitySpread is a spread of levels, formatted; "–" when nobody
// answered.
type capabilitySpread struct {
	Mean, SD, Min, Max string
}

// capabilityGapsView is the readiness gap of every trend that demands a
// capability area, largest first.
type capabilityGapsView struct {
	Summary    string
	SVG        template.HTML
	Legend     []legendItem
	Rows       []capabilityGapRow
	Undemanded []domain.Text // trends that demand no area
}

// capabilityGapRow is one trend's readiness gap and its parts.
type capabilityGapRow struct {
	Rank       int
	Title      domain.Text
	Gap, Max   string
	Parts      []capabilityGapPart
	Unassessed []domain.Text
}

// capabilityGapPart is one area's share of a trend's gap.
type capabilityGapPart struct {
	Area         domain.Text
	Demand       int
	AreaGap      string
	Contribution string
}

// capabilityAreaAnswers is one area with its level descriptors and every
// assessor's answer.
type capabilityAreaAnswers struct {
	Key         string
	Name        domain.Text
	Description domain.Text
	Levels      [5]domain.Text
	Answers     []capabilityAnswer
}

// capabilityAnswer is one assessor's answer on an area.
type capabilityAnswer struct {
	Assessor        string
	Current, Target int
	Evidence        string
	At              time.Time
}

// capabilityMine is one of the reader's own answers, which they may
// withdraw.
type capabilityMine struct {
	Key             string
	Name            domain.Text
	Current, Target int
}

// capabilityAssessForm is the reader's own assessment: per area the
// current and target maturity and the evidence.
type capabilityAssessForm struct {
	Areas []capabilityAssessArea
	Max   int // characters of an evidence note
}

// capabilityAssessArea is one area of the form.
type capabilityAssessArea struct {
	Key                                      string
	Name, Description                        domain.Text
	Levels                                   []capabilityLevel
	Current, Target                          string // "1" … "5", "" when not chosen
	Evidence                                 string
	CurrentError, TargetError, EvidenceError string
	Saved                                    *time.Time // when the reader last answered it
}

// capabilityLevel is one maturity level with its descriptor.
type capabilityLevel struct {
	Value string
	Text  domain.Text
}

// capabilityBuilder builds the views of one round in the reader's
// language.
type capabilityBuilder struct {
	c      *call
	lang   string
	p      *service.CapabilityProfile
	areas  map[string]domain.CapabilityArea
	trends map[string]domain.Trend
}

func (b *capabilityBuilder) num(x float64) string { return analysis.Num(x).Format(1, b.lang) }

// whole formats a number that is always whole, such as a largest
// possible gap.
func (b *capabilityBuilder) whole(x float64) string { return analysis.Num(x).Format(0, b.lang) }

func (b *capabilityBuilder) areaName(key string) domain.Text {
	if a, ok := b.areas[key]; ok {
		return a.Name
	}
	return domain.T(key, key)
}

func (b *capabilityBuilder) trendTitle(key string) domain.Text {
	if t, ok := b.trends[key]; ok {
		return t.Title
	}
	return domain.T(key, key)
}

// capabilityPageData builds a round's page; form, when not nil, is a
// rejected assessment to show again with its problems errs.
func (s *Server) capabilityPageData(c *call, p *service.CapabilityProfile, form *capabilityAssessForm, errs []capabilityError) *capabilityPage {
	b := &capabilityBuilder{c: c, lang: c.lang, p: p, areas: map[string]domain.CapabilityArea{}, trends: map[string]domain.Trend{}}
	for _, a := range p.Version.CapabilityAreas {
		b.areas[a.Key] = a
	}
	for _, t := range p.Version.Trends {
		b.trends[t.Key] = t
	}
	d := &capabilityPage{Round: p.Round, Version: p.Version, Base: c.orgPath("/capabilities/%s", p.Round.ID),
		CanEdit: c.actor.Role.CanEditPortfolio(), CanAssess: c.actor.Role.CanAssess() && c.actor.UserID != "",
		Assessors: p.Assessors, Errors: errs}
	d.Profile = b.profile()
	d.Gaps = b.gaps()
	d.Evidence = b.evidence()
	if d.CanAssess {
		if form == nil {
			form = newCapabilityAssessForm(p)
		}
		d.Form = form
		for _, a := range p.Version.CapabilityAreas {
			if m, ok := p.Mine[a.Key]; ok {
				d.Mine = append(d.Mine, capabilityMine{Key: a.Key, Name: a.Name, Current: m.Current, Target: m.Target})
			}
		}
	}
	return d
}

// --- the capability profile ---

func (b *capabilityBuilder) spread(s domain.Spread) capabilitySpread {
	if !s.Valid() {
		return capabilitySpread{Mean: "–", SD: "–", Min: "–", Max: "–"}
	}
	return capabilitySpread{Mean: b.num(s.Mean), SD: b.num(s.SD), Min: strconv.Itoa(s.Min), Max: strconv.Itoa(s.Max)}
}

func (b *capabilityBuilder) profile() capabilityProfileView {
	var v capabilityProfileView
	var widest *domain.AreaResult
	for i, r := range b.p.Areas {
		row := capabilityAreaRow{Name: b.areaName(r.AreaKey), Assessed: r.Assessed, Count: r.Current.Count,
			Current: b.spread(r.Current), Target: b.spread(r.Target), Gap: "–"}
		if r.Assessed {
			row.Gap = b.num(r.Gap)
			if widest == nil || r.Gap > widest.Gap {
				widest = &b.p.Areas[i]
			}
		}
		v.Rows = append(v.Rows, row)
	}
	switch {
	case widest == nil:
		v.Summary = b.c.T("capability.profile.summary_none")
	case widest.Gap == 0:
		v.Summary = b.c.T("capability.profile.summary_no_gap", "Count", b.p.Assessors)
	default:
		v.Summary = b.c.T("capability.profile.summary", "Count", b.p.Assessors, "Area", b.areaName(widest.AreaKey).String(b.lang),
			"Current", b.num(widest.Current.Mean), "Target", b.num(widest.Target.Mean), "Gap", b.num(widest.Gap))
	}
	v.Legend = []legendItem{
		{legendIcon(shapeRing, "wm-svg__now"), b.c.T("capability.profile.key_current")},
		{legendIcon(shapeDiamond, "wm-svg__want"), b.c.T("capability.profile.key_target")},
		{capabilityRangeIcon(), b.c.T("capability.profile.key_range")},
	}
	v.SVG = b.profileSVG()
	return v
}

// capabilityRangeIcon is the legend's picture of a spread: a line with an
// end mark at each end.
func capabilityRangeIcon() template.HTML {
	var s svgBuf
	s.WriteString(`<svg class="wm-legend__icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">`)
	s.line(1, 8, 15, 8, "wm-svg__range")
	s.line(1, 4, 1, 12, "wm-svg__range")
	s.line(15, 4, 15, 12, "wm-svg__range")
	return s.html()
}

// profileSVG draws, per area, the mean current maturity (a ring) and the
// mean target (a diamond) on the scale 1–5, each on its own line with the
// lowest and highest answer as a bar behind it, and a line of text with
// the numbers.
func (b *capabilityBuilder) profileSVG() template.HTML {
	const (
		w, x0, x1 = 480.0, 16.0, 464.0
		top, rowH = 26.0, 92.0
	)
	areas := b.p.Areas
	h := top + float64(len(areas))*rowH
	xOf := func(level float64) float64 {
		return x0 + (level-domain.MaturityMin)/(domain.MaturityMax-domain.MaturityMin)*(x1-x0)
	}
	var s svgBuf
	s.open("profile-chart", w, h, "profile-heading profile-summary")
	for l := domain.MaturityMin; l <= domain.MaturityMax; l++ {
		s.text(xOf(float64(l)), 14, "wm-svg__tick", "middle", strconv.Itoa(l))
	}
	for i, r := range areas {
		y := top + float64(i)*rowH
		s.text(4, y+12, "wm-svg__label wm-svg__label--strong", "", shortText(b.areaName(r.AreaKey).String(b.lang), 64))
		for l := domain.MaturityMin; l <= domain.MaturityMax; l++ {
			s.line(xOf(float64(l)), y+22, xOf(float64(l)), y+64, "wm-svg__grid")
		}
		if !r.Assessed {
			s.text((x0+x1)/2, y+48, "wm-svg__note", "middle", b.c.T("capability.profile.not_assessed"))
			continue
		}
		lane := func(sp domain.Spread, ly float64, shape, class, name string) {
			lo, hi := xOf(float64(sp.Min)), xOf(float64(sp.Max))
			if sp.Max > sp.Min {
				s.line(lo, ly, hi, ly, "wm-svg__range")
				s.line(lo, ly-5, lo, ly+5, "wm-svg__range")
				s.line(hi, ly-5, hi, ly+5, "wm-svg__range")
			}
			s.WriteString(`<g>`)
			s.title(b.c.T("capability.profile.point", "Name", name, "Mean", b.num(sp.Mean), "Min", sp.Min, "Max", sp.Max))
			s.marker(shape, xOf(sp.Mean), ly, 7, class)
			s.WriteString(`</g>`)
		}
		lane(r.Current, y+32, shapeRing, "wm-svg__now", b.c.T("capability.current"))
		lane(r.Target, y+54, shapeDiamond, "wm-svg__want", b.c.T("capability.target"))
		s.text((x0+x1)/2, y+82, "wm-svg__note", "middle", b.c.T("capability.profile.row_note", "Count", r.Current.Count,
			"Current", b.num(r.Current.Mean), "Target", b.num(r.Target.Mean), "Gap", b.num(r.Gap)))
	}
	return s.html()
}

// --- readiness gaps by trend ---

func (b *capabilityBuilder) gaps() capabilityGapsView {
	var v capabilityGapsView
	gs := slices.Clone(b.p.Gaps)
	domain.SortGaps(gs)
	withGap := 0
	var shown []domain.TrendGap
	for _, g := range gs {
		if g.MaxGap == 0 {
			v.Undemanded = append(v.Undemanded, b.trendTitle(g.TrendKey))
			continue
		}
		shown = append(shown, g)
		if g.Gap > 0 {
			withGap++
		}
		row := capabilityGapRow{Rank: len(shown), Title: b.trendTitle(g.TrendKey), Gap: b.num(g.Gap), Max: b.whole(g.MaxGap)}
		for _, pt := range g.Parts {
			row.Parts = append(row.Parts, capabilityGapPart{Area: b.areaName(pt.AreaKey), Demand: pt.Demand,
				AreaGap: b.num(pt.AreaGap), Contribution: b.num(pt.Contribution)})
		}
		for _, k := range g.Unassessed {
			row.Unassessed = append(row.Unassessed, b.areaName(k))
		}
		v.Rows = append(v.Rows, row)
	}
	switch {
	case len(shown) == 0:
		v.Summary = b.c.T("capability.gaps.summary_no_demand")
	case b.p.Assessors == 0:
		v.Summary = b.c.T("capability.gaps.summary_unassessed")
	case withGap == 0:
		v.Summary = b.c.T("capability.gaps.summary_zero")
	default:
		top := shown[0]
		v.Summary = b.c.T("capability.gaps.summary", "Trend", b.trendTitle(top.TrendKey).String(b.lang), "Gap", b.num(top.Gap),
			"Max", b.whole(top.MaxGap), "Count", withGap)
	}
	if len(shown) == 0 {
		return v
	}
	v.Legend = []legendItem{
		{legendSwatch("wm-svg__bar"), b.c.T("capability.gaps.key_gap")},
		{legendSwatch("wm-capability__track"), b.c.T("capability.gaps.key_max")},
	}
	v.SVG = b.gapsSVG(shown)
	return v
}

// gapsSVG draws each trend's readiness gap as a bar, largest first, over a
// lighter bar of the largest gap its demand allows; all on one scale.
func (b *capabilityBuilder) gapsSVG(gs []domain.TrendGap) template.HTML {
	const (
		w, left, right = 480.0, 4.0, 4.0
		top, rowH      = 24.0, 40.0
	)
	scale := 0.0
	for _, g := range gs {
		scale = max(scale, g.MaxGap)
	}
	h := top + float64(len(gs))*rowH + 4
	plot := w - left - right
	var s svgBuf
	s.open("gaps-chart", w, h, "gaps-heading gaps-summary")
	ticks := []float64{0, 0.25, 0.5, 0.75, 1}
	for _, t := range ticks {
		x := left + plot*t
		anchor := "middle"
		switch t {
		case 0:
			anchor = "start"
		case 1:
			anchor = "end"
		}
		s.text(x, 12, "wm-svg__tick", anchor, analysis.Num(scale*t).Format(0, b.lang))
	}
	for i, g := range gs {
		y := top + float64(i)*rowH
		label := strconv.Itoa(i+1) + ". " + shortText(b.trendTitle(g.TrendKey).String(b.lang), 46)
		if len(g.Unassessed) > 0 {
			label += " *"
		}
		s.text(left, y+13, "wm-svg__label", "", label)
		s.text(w-right, y+13, "wm-svg__value", "end", b.c.T("capability.gaps.of", "Gap", b.num(g.Gap), "Max", b.whole(g.MaxGap)))
		for _, t := range ticks {
			s.line(left+plot*t, y+16, left+plot*t, y+36, "wm-svg__grid")
		}
		s.WriteString(`<g>`)
		s.title(b.c.T("capability.gaps.point", "Trend", b.trendTitle(g.TrendKey).String(b.lang), "Gap", b.num(g.Gap), "Max", b.whole(g.MaxGap)))
		s.rect(left, y+19, plot*clamp01(g.MaxGap/scale), 14, "wm-capability__track")
		s.rect(left, y+19, plot*clamp01(g.Gap/scale), 14, "wm-svg__bar")
		s.WriteString(`</g>`)
	}
	return s.html()
}

// --- answers and evidence ---

func (b *capabilityBuilder) evidence() []capabilityAreaAnswers {
	out := make([]capabilityAreaAnswers, 0, len(b.p.Version.CapabilityAreas))
	for _, a := range b.p.Version.CapabilityAreas {
		aa := capabilityAreaAnswers{Key: a.Key, Name: a.Name, Description: a.Description, Levels: a.Levels}
		for _, x := range b.p.Assessments {
			if x.AreaKey != a.Key {
				continue
			}
			name := x.AssessorName
			if name == "" {
				name = b.c.T("capability.evidence.unknown")
			}
			aa.Answers = append(aa.Answers, capabilityAnswer{Assessor: name, Current: x.Current, Target: x.Target, Evidence: x.Evidence, At: x.At})
		}
		out = append(out, aa)
	}
	return out
}

// --- the reader's own assessment ---

func capabilityLevels(a domain.CapabilityArea) []capabilityLevel {
	out := make([]capabilityLevel, 0, len(a.Levels))
	for i, t := range a.Levels {
		out = append(out, capabilityLevel{Value: strconv.Itoa(i + domain.MaturityMin), Text: t})
	}
	return out
}

// newCapabilityAssessForm is the form filled with the reader's earlier
// answers.
func newCapabilityAssessForm(p *service.CapabilityProfile) *capabilityAssessForm {
	f := &capabilityAssessForm{Max: domain.MaxEvidenceLen}
	for _, a := range p.Version.CapabilityAreas {
		fa := capabilityAssessArea{Key: a.Key, Name: a.Name, Description: a.Description, Levels: capabilityLevels(a)}
		if m, ok := p.Mine[a.Key]; ok {
			fa.Current, fa.Target, fa.Evidence = strconv.Itoa(m.Current), strconv.Itoa(m.Target), m.Evidence
			at := m.At
			fa.Saved = &at
		}
		f.Areas = append(f.Areas, fa)
	}
	return f
}

// readCapabilityAssessment reads the posted form: for each area of the
// round's version current:KEY and target:KEY (1–5) and evidence:KEY. An
// area with none of the three is left out (the reader's earlier answer on
// it stays). It returns the form as posted, the answers for the service
// and the area key of each answer.
func readCapabilityAssessment(v url.Values, p *service.CapabilityProfile) (*capabilityAssessForm, []domain.Assessment, []string) {
	f := newCapabilityAssessForm(p)
	var as []domain.Assessment
	var keys []string
	for i := range f.Areas {
		fa := &f.Areas[i]
		fa.Current = strings.TrimSpace(v.Get("current:" + fa.Key))
		fa.Target = strings.TrimSpace(v.Get("target:" + fa.Key))
		fa.Evidence = v.Get("evidence:" + fa.Key)
		if fa.Current == "" && fa.Target == "" && strings.TrimSpace(fa.Evidence) == "" {
			continue
		}
		a := domain.Assessment{AreaKey: fa.Key, Evidence: fa.Evidence}
		a.Current, _ = strconv.Atoi(fa.Current) // not a level: 0, which the service refuses
		a.Target, _ = strconv.Atoi(fa.Target)
		as = append(as, a)
		keys = append(keys, fa.Key)
	}
	return f, as, keys
}

// setProblems puts the service's problems beside the inputs, in the
// reader's language, and returns them in the form's order for the error
// summary.
func (f *capabilityAssessForm) setProblems(c *call, ps domain.Problems, keys []string) []capabilityError {
	byKey := map[string]*capabilityAssessArea{}
	for i := range f.Areas {
		byKey[f.Areas[i].Key] = &f.Areas[i]
	}
	var other []capabilityError
	for _, p := range ps {
		if p.Field == "assessments" && len(f.Areas) > 0 {
			fa := &f.Areas[0]
			if fa.CurrentError == "" {
				fa.CurrentError = c.T("capability.error.none")
			}
			continue
		}
		i, part, ok := indexedField(p.Field, "assessments")
		if !ok || i >= len(keys) || byKey[keys[i]] == nil {
			other = append(other, capabilityError{Text: c.s.cat.Message(c.lang, p.Message)})
			continue
		}
		fa := byKey[keys[i]]
		name := fa.Name.String(c.lang)
		switch part {
		case "current":
			if fa.CurrentError == "" {
				fa.CurrentError = capabilityLevelError(fa.Current, c.T("capability.error.current_missing", "Area", name),
					c.T("capability.error.current_level", "Area", name, "Min", domain.MaturityMin, "Max", domain.MaturityMax))
			}
		case "target":
			if fa.TargetError == "" {
				fa.TargetError = capabilityLevelError(fa.Target, c.T("capability.error.target_missing", "Area", name),
					c.T("capability.error.target_level", "Area", name, "Min", domain.MaturityMin, "Max", domain.MaturityMax))
			}
		case "evidence":
			if fa.EvidenceError == "" {
				fa.EvidenceError = c.T("capability.error.evidence_long", "Area", name, "Max", domain.MaxEvidenceLen)
			}
		default:
			other = append(other, capabilityError{Text: c.s.cat.Message(c.lang, p.Message)})
		}
	}
	var out []capabilityError
	for _, fa := range f.Areas {
		if fa.CurrentError != "" {
			out = append(out, capabilityError{Anchor: "current-" + fa.Key + "-1", Text: fa.CurrentError})
		}
		if fa.TargetError != "" {
			out = append(out, capabilityError{Anchor: "target-" + fa.Key + "-1", Text: fa.TargetError})
		}
		if fa.EvidenceError != "" {
			out = append(out, capabilityError{Anchor: "evidence-" + fa.Key, Text: fa.EvidenceError})
		}
	}
	return append(out, other...)
}

// capabilityLevelError is the message for a maturity level: missing when
// none was chosen, invalid when what came is not a level 1–5.
func capabilityLevelError(raw, missing, invalid string) string {
	if raw == "" {
		return missing
	}
	return invalid
}
