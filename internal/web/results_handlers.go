package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/waymark/waymark/internal/analysis"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

// matrixNumberedFrom is the number of trends from which the matrix labels
// its points with their numbers (the table beside names them) instead of
// their titles, which would crowd the chart.
const matrixNumberedFrom = 13

// resultsShow is a workshop's results page: the priority ranking, the
// impact × certainty matrix, the trend radar, the distributions, the fields
// of tension, the group comparison, the comparison with another workshop,
// and the ideas and dots. With ?fragment=1 it returns only the live part,
// which workshop.js fetches again whenever the presenter stream says
// something changed.
func (s *Server) resultsShow(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.resultsData(r, c, r.URL.Query(), nil)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("fragment") == "1" {
		return s.renderBlock(w, c, "results", "results_live", d)
	}
	return s.render(w, c, http.StatusOK, "results", c.T("results.title")+": "+d.Workshop.Title, d)
}

// resultsDecide pins or excludes a trend, or takes the decision back. A
// decision without a reason shows the page again with the problem (422).
func (s *Server) resultsDecide(w http.ResponseWriter, r *http.Request, c *call) error {
	f := r.PostForm
	trend, kind, reason := f.Get("trend"), domain.PriorityKind(f.Get("kind")), f.Get("reason")
	err := s.svc.DecidePriority(r.Context(), c.actor, r.PathValue("id"), trend, kind, reason)
	if ps, ok := asProblems(err); ok {
		form := &decisionForm{Kind: string(kind), Reason: reason, Errors: map[string]string{}}
		for _, p := range ps {
			switch p.Field {
			case "trend":
				form.Errors["trend"] = c.T("results.error.trend")
			case "kind":
				form.Errors["kind"] = c.T("results.error.kind")
			case "reason":
				if strings.TrimSpace(reason) == "" {
					form.Errors["reason"] = c.T("results.error.reason")
				} else {
					form.Errors["reason"] = c.T("results.error.reason_long", "Max", domain.MaxDecisionReasonLen)
				}
			}
		}
		d, err := s.resultsData(r, c, f, form)
		if err != nil {
			return err
		}
		for i := range d.Decision.Trends {
			d.Decision.Trends[i].Selected = d.Decision.Trends[i].Value == trend
		}
		return s.render(w, c, http.StatusUnprocessableEntity, "results", c.T("results.title")+": "+d.Workshop.Title, d)
	}
	if err != nil {
		return err
	}
	ws, err := s.svc.Workshop(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	title := trend
	if v, err := s.svc.WorkshopContent(r.Context(), ws); err == nil {
		if t, ok := v.Trend(trend); ok {
			title = t.Title.String(c.lang)
		}
	}
	switch kind {
	case domain.PriorityPin:
		c.setFlash(c.T("results.decide.saved_pin", "Trend", title))
	case domain.PriorityExclude:
		c.setFlash(c.T("results.decide.saved_exclude", "Trend", title))
	default:
		c.setFlash(c.T("results.decide.saved_clear", "Trend", title))
	}
	q := readResultsQuery(f).encode()
	to := c.orgPath("/workshops/%s/results", ws.ID)
	if q != "" {
		to += "?" + q
	}
	return redirect(w, r, to+"#ranking")
}

// resultsData builds every view of the results page from the query (or
// the posted form) v; form, when not nil, is a rejected decision to show
// again.
func (s *Server) resultsData(r *http.Request, c *call, v url.Values, form *decisionForm) (*resultsPage, error) {
	ctx := r.Context()
	q := readResultsQuery(v)
	res, err := s.svc.AnalysisInput(ctx, c.actor, r.PathValue("id"), service.ResultsOptions{Lang: c.lang, Sectors: q.Sectors})
	if err != nil {
		return nil, err
	}
	ws := res.Workshop
	opt := analysis.Options{Lang: c.lang, Decisions: service.AnalysisDecisions(res.Decisions)}
	opt.Matrix.Numbered = len(ws.TrendKeys) >= matrixNumberedFrom
	res.Analysis = analysis.Analyze(res.Input, opt)

	if _, ok := ws.Question(q.Question); !ok {
		q.Question = ""
		if _, ok := ws.Question(domain.QImpact); ok {
			q.Question = domain.QImpact
		} else if len(ws.Questions) > 0 {
			q.Question = ws.Questions[0].Key
		}
	}
	if q.Compare == ws.ID {
		q.Compare = ""
	}
	base := c.orgPath("/workshops/%s", ws.ID)
	path := base + "/results"
	d := &resultsPage{Workshop: ws, Version: res.Version, Base: base, Query: q, CanDecide: c.actor.Role.CanEditLibraries(),
		Active: res.Input.Everyone.Progress.Participants}
	if enc := q.encode(); enc != "" {
		d.Path = path + "?" + enc
		d.RefreshURL = path + "?" + enc + "&fragment=1"
	} else {
		d.Path = path
		d.RefreshURL = path + "?fragment=1"
	}
	d.Live = ws.Phase != domain.PhaseDraft && ws.Phase != domain.PhaseClosed
	for _, n := range res.Joined {
		d.Joined += n
	}
	d.Empty = d.Active == 0
	d.Downloads = c.downloads(base)
	for _, g := range ws.Groups {
		d.Participation = append(d.Participation, participationRow{Group: g.Name, Joined: res.Joined[g.Key], Answered: res.Input.Everyone.Progress.Groups[g.Key]})
	}

	b := &resultsBuilder{c: c, lang: c.lang, res: res, a: res.Analysis, titles: make(map[string]domain.Text, len(res.Version.Trends))}
	for _, t := range res.Version.Trends {
		b.titles[t.Key] = t.Title
	}
	d.Ranking = b.ranking()
	d.Matrix = b.matrix()
	d.Radar = b.radar(path, q)
	d.Distribution = b.distributions()
	d.Tensions = b.tensions()
	d.Groups = b.groups(q.Question)

	candidates, err := s.svc.ComparableWorkshops(ctx, c.actor, ws)
	if err != nil {
		return nil, err
	}
	var wc *service.WorkshopComparison
	if q.Compare != "" {
		if wc, err = s.svc.CompareWorkshops(ctx, c.actor, res, q.Compare, c.lang); err != nil {
			return nil, err
		}
	}
	d.Compare = b.compare(candidates, q.Compare, wc)

	ideas, err := s.svc.AllIdeas(ctx, c.actor, ws.ID)
	if err != nil {
		return nil, err
	}
	d.Ideas, d.Dots = b.ideas(ideas)

	if form == nil {
		form = &decisionForm{Kind: string(domain.PriorityPin)}
	}
	form.Max = domain.MaxDecisionReasonLen
	for _, k := range ws.TrendKeys {
		form.Trends = append(form.Trends, option{Value: k, Label: b.label(k)})
	}
	d.Decision = *form
	return d, nil
}
