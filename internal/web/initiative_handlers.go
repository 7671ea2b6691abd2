package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

// pfListPage is the list of the organisation's initiatives.
type pfListPage struct {
	CanEdit    bool
	Rows       []pfListRow
	Total      int
	Status     string
	Statuses   []option
	Currency   string
	HasVersion bool
}

type pfListRow struct {
	ID        string
	Title     string
	Owner     string
	Status    string
	RAG       pfRAG
	Window    string
	OneOff    string
	Recurring string
	FTE       string
	Benefit   string
}

// pfWindow writes a start window: "2027–2029", or "2027" when it is one
// year.
func pfWindow(in *domain.Initiative) string {
	if in.EarliestStart == in.LatestStart {
		return strconv.Itoa(in.EarliestStart)
	}
	return strconv.Itoa(in.EarliestStart) + "–" + strconv.Itoa(in.LatestStart)
}

func (s *Server) initiativeList(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := s.svc.Portfolio(r.Context(), c.actor)
	if err != nil {
		return err
	}
	ins, err := s.svc.Initiatives(r.Context(), c.actor)
	if err != nil {
		return err
	}
	status := r.URL.Query().Get("status")
	if !slices.Contains(domain.InitiativeStatuses, domain.InitiativeStatus(status)) {
		status = ""
	}
	st := p.Settings
	d := &pfListPage{CanEdit: c.actor.Role.CanEditPortfolio(), Total: len(ins), Status: status, Currency: st.Currency,
		HasVersion: p.Version != nil,
		Statuses:   append([]option{{Value: "", Label: c.T("portfolio.list.all_statuses"), Selected: status == ""}}, c.pfStatusOptions(status)...)}
	for i := range ins {
		in := &ins[i]
		if status != "" && string(in.Status) != status {
			continue
		}
		d.Rows = append(d.Rows, pfListRow{ID: in.ID, Title: in.Title, Owner: in.Owner,
			Status: c.T("portfolio.status." + string(in.Status)), RAG: c.pfRAGTag(in.RAG), Window: pfWindow(in),
			OneOff: pfMoney(in.OneOffCost, st.Currency, c.lang), Recurring: pfMoney(in.RecurringCost, st.Currency, c.lang),
			FTE: pfFTE(in.FTE, c.lang), Benefit: pfDecimal(pfWeightedBenefit(in, st.Criteria), c.lang)})
	}
	return s.render(w, c, http.StatusOK, "initiative_list", c.T("portfolio.list.title"), d)
}

// pfLoad reads the portfolio and its initiatives.
func (s *Server) pfLoad(r *http.Request, c *call) (*service.Portfolio, []domain.Initiative, error) {
	p, err := s.svc.Portfolio(r.Context(), c.actor)
	if err != nil {
		return nil, nil, err
	}
	ins, err := s.svc.Initiatives(r.Context(), c.actor)
	if err != nil {
		return nil, nil, err
	}
	return p, ins, nil
}

func (s *Server) initiativeNewForm(w http.ResponseWriter, r *http.Request, c *call) error {
	if !c.actor.Role.CanEditPortfolio() {
		return errPortfolioForbidden()
	}
	p, ins, err := s.pfLoad(r, c)
	if err != nil {
		return err
	}
	year := s.svc.Now().Year() + 1
	values := map[string]string{"duration": "1", "earliest_start": strconv.Itoa(year), "latest_start": strconv.Itoa(year + 2),
		"one_off_cost": "0", "recurring_cost": "0", "fte": "0", "risk": string(domain.RiskLow), "status": string(domain.StatusProposed)}
	f := c.newInitiativeForm(p, ins, "", values, nil, nil)
	f.IsNew = true
	return s.render(w, c, http.StatusOK, "initiative_form", c.T("portfolio.new.title"), f)
}

func (s *Server) initiativeCreate(w http.ResponseWriter, r *http.Request, c *call) error {
	if !c.actor.Role.CanEditPortfolio() {
		return errPortfolioForbidden()
	}
	p, ins, err := s.pfLoad(r, c)
	if err != nil {
		return err
	}
	in := &domain.Initiative{}
	values, trendKeys, ps := c.readInitiative(r.PostForm, p, in)
	status := http.StatusUnprocessableEntity
	if len(ps) > 0 {
		check := *in
		ps = pfMergeProblems(ps, check.Validate(pfRefs(p, ins)))
	} else if err := s.svc.CreateInitiative(r.Context(), c.actor, in); err != nil {
		var ok bool
		if ps, ok = asProblems(err); !ok {
			if domain.ErrorCode(err) != domain.ECONFLICT {
				return err
			}
			// A title in use, or too many initiatives.
			field := "title"
			if len(ins) >= domain.MaxInitiatives {
				field = ""
			}
			ps, status = domain.Problems{{Field: field, Message: domain.ErrorMessage(err)}}, http.StatusConflict
		}
	}
	if len(ps) > 0 {
		f := c.newInitiativeForm(p, ins, "", values, in.Areas, in.DependsOn)
		f.IsNew = true
		f.Errors, f.Problems = c.pfErrors(ps, pfInitiativeField(trendKeys), f.label(c), f.order())
		return s.render(w, c, status, "initiative_form", c.T("portfolio.new.title"), f)
	}
	c.setFlash(c.T("portfolio.new.created", "Title", in.Title))
	return redirect(w, r, c.orgPath("/initiatives/%s", in.ID))
}

// pfRefs is what an initiative is checked against, for forms that are not
// sent to the service because some of their numbers could not be read.
func pfRefs(p *service.Portfolio, ins []domain.Initiative) domain.PortfolioRefs {
	refs := domain.PortfolioRefs{Criteria: p.Settings.Criteria, Initiatives: ins}
	if p.Version != nil {
		refs.Content = &p.Version.Content
	}
	return refs
}

func (s *Server) initiativeEditForm(w http.ResponseWriter, r *http.Request, c *call) error {
	if !c.actor.Role.CanEditPortfolio() {
		return errPortfolioForbidden()
	}
	in, err := s.svc.Initiative(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	p, ins, err := s.pfLoad(r, c)
	if err != nil {
		return err
	}
	f := c.newInitiativeForm(p, ins, in.ID, pfInitiativeValues(in, c.lang), in.Areas, in.DependsOn)
	f.Title, f.Revision = in.Title, in.Revision
	return s.render(w, c, http.StatusOK, "initiative_form", c.T("portfolio.edit.title", "Title", in.Title), f)
}

func (s *Server) initiativeSave(w http.ResponseWriter, r *http.Request, c *call) error {
	if !c.actor.Role.CanEditPortfolio() {
		return errPortfolioForbidden()
	}
	old, err := s.svc.Initiative(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	p, ins, err := s.pfLoad(r, c)
	if err != nil {
		return err
	}
	// Everything but the tracking (RAG and milestones) comes from the form.
	in := *old
	values, trendKeys, ps := c.readInitiative(r.PostForm, p, &in)
	in.Revision, _ = strconv.ParseInt(r.PostFormValue("revision"), 10, 64)
	status, stale := http.StatusUnprocessableEntity, false
	if len(ps) > 0 {
		check := in
		ps = pfMergeProblems(ps, check.Validate(pfRefs(p, ins)))
	} else if err := s.svc.UpdateInitiative(r.Context(), c.actor, &in); err != nil {
		var ok bool
		if ps, ok = asProblems(err); !ok {
			if domain.ErrorCode(err) != domain.ECONFLICT {
				return err
			}
			// Someone else saved it since this form was read, or the title
			// is another initiative's.
			stale = in.Revision != old.Revision
			field := "title"
			if stale {
				field = ""
			}
			ps, status = domain.Problems{{Field: field, Message: domain.ErrorMessage(err)}}, http.StatusConflict
		}
	}
	if len(ps) > 0 {
		f := c.newInitiativeForm(p, ins, old.ID, values, in.Areas, in.DependsOn)
		f.Title, f.Revision, f.Stale = old.Title, in.Revision, stale
		f.Errors, f.Problems = c.pfErrors(ps, pfInitiativeField(trendKeys), f.label(c), f.order())
		return s.render(w, c, status, "initiative_form", c.T("portfolio.edit.title", "Title", old.Title), f)
	}
	c.setFlash(c.T("portfolio.edit.saved"))
	return redirect(w, r, c.orgPath("/initiatives/%s", in.ID))
}

// pfShowPage is one initiative with everything about it.
type pfShowPage struct {
	In         *domain.Initiative
	CanEdit    bool
	Status     string
	RAG        pfRAG
	Risk       string
	HasVersion bool
	Trends     []pfShowTrend
	Areas      []domain.Text
	Depends    []pfLink
	Dependants []pfLink
	Window     string
	OneOff     string
	Recurring  string
	FTE        string
	Benefits   []pfShowBenefit
	Weighted   string
	Milestones []pfMilestone
	// Delete page: why it cannot be deleted.
	Error string
}

type pfShowTrend struct {
	Title    domain.Text
	Strength string
}

type pfLink struct {
	ID    string
	Title string
}

type pfShowBenefit struct {
	Name   domain.Text
	Score  int
	Weight string
}

// pfMilestone is a milestone as pages show it.
type pfMilestone struct {
	Title   string
	Due     string
	Done    bool
	Overdue bool
}

// pfMilestones marks the milestones that are overdue on today
// (2006-01-02): due before it and not done.
func pfMilestones(ms []domain.Milestone, today string) []pfMilestone {
	out := make([]pfMilestone, len(ms))
	for i, m := range ms {
		_, dated := m.DueDate()
		out[i] = pfMilestone{Title: m.Title, Due: m.Due, Done: m.Done, Overdue: dated && !m.Done && m.Due < today}
	}
	return out
}

func (s *Server) pfToday() string { return s.svc.Now().UTC().Format("2006-01-02") }

func (s *Server) pfShowData(r *http.Request, c *call) (*pfShowPage, error) {
	in, err := s.svc.Initiative(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	p, ins, err := s.pfLoad(r, c)
	if err != nil {
		return nil, err
	}
	st := p.Settings
	d := &pfShowPage{In: in, CanEdit: c.actor.Role.CanEditPortfolio(), Status: c.T("portfolio.status." + string(in.Status)),
		RAG: c.pfRAGTag(in.RAG), Risk: c.T("portfolio.risk." + string(in.Risk)), HasVersion: p.Version != nil,
		Window: pfWindow(in), OneOff: pfMoney(in.OneOffCost, st.Currency, c.lang),
		Recurring: pfMoney(in.RecurringCost, st.Currency, c.lang), FTE: pfFTE(in.FTE, c.lang),
		Weighted: pfDecimal(pfWeightedBenefit(in, st.Criteria), c.lang), Milestones: pfMilestones(in.Milestones, s.pfToday())}
	for _, l := range in.Trends {
		t := pfShowTrend{Title: domain.T(l.TrendKey, l.TrendKey), Strength: c.T("portfolio.strength." + strconv.Itoa(l.Strength))}
		if p.Version != nil {
			if tr, ok := p.Version.Trend(l.TrendKey); ok {
				t.Title = tr.Title
			}
		}
		d.Trends = append(d.Trends, t)
	}
	for _, k := range in.Areas {
		name := domain.T(k, k)
		if p.Version != nil {
			for _, a := range p.Version.CapabilityAreas {
				if a.Key == k {
					name = a.Name
				}
			}
		}
		d.Areas = append(d.Areas, name)
	}
	byID := map[string]string{}
	for _, o := range ins {
		byID[o.ID] = o.Title
		if slices.Contains(o.DependsOn, in.ID) {
			d.Dependants = append(d.Dependants, pfLink{ID: o.ID, Title: o.Title})
		}
	}
	for _, id := range in.DependsOn {
		d.Depends = append(d.Depends, pfLink{ID: id, Title: byID[id]})
	}
	for _, cr := range st.Criteria {
		d.Benefits = append(d.Benefits, pfShowBenefit{Name: cr.Name, Score: in.Benefits[cr.Key], Weight: pfDecimal(cr.Weight, c.lang)})
	}
	return d, nil
}

func (s *Server) initiativeShow(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.pfShowData(r, c)
	if err != nil {
		return err
	}
	return s.render(w, c, http.StatusOK, "initiative_show", d.In.Title, d)
}

func (s *Server) initiativeDeleteForm(w http.ResponseWriter, r *http.Request, c *call) error {
	if !c.actor.Role.CanEditPortfolio() {
		return errPortfolioForbidden()
	}
	d, err := s.pfShowData(r, c)
	if err != nil {
		return err
	}
	return s.render(w, c, http.StatusOK, "initiative_delete", c.T("portfolio.delete.title", "Title", d.In.Title), d)
}

func (s *Server) initiativeDelete(w http.ResponseWriter, r *http.Request, c *call) error {
	if !c.actor.Role.CanEditPortfolio() {
		return errPortfolioForbidden()
	}
	in, err := s.svc.Initiative(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	err = s.svc.DeleteInitiative(r.Context(), c.actor, in.ID)
	if domain.ErrorCode(err) == domain.ECONFLICT {
		d, derr := s.pfShowData(r, c)
		if derr != nil {
			return derr
		}
		d.Error = c.errorMessage(err)
		return s.render(w, c, http.StatusConflict, "initiative_delete", c.T("portfolio.delete.title", "Title", d.In.Title), d)
	}
	if err != nil {
		return err
	}
	c.setFlash(c.T("portfolio.delete.done", "Title", in.Title))
	return redirect(w, r, c.orgPath("/initiatives"))
}
