package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

// capabilityListPage is the list of an organisation's assessment rounds
// with the form that starts one.
type capabilityListPage struct {
	Rounds  []capabilityRoundRow
	CanEdit bool
	Form    capabilityNewForm
}

// capabilityRoundRow is a round in the list, with its library version.
type capabilityRoundRow struct {
	domain.AssessmentRoundSummary
	Library domain.Text
	Version int
}

// capabilityNewForm is the form that starts a round.
type capabilityNewForm struct {
	Title, Description string
	Version            string // the chosen version's id
	CopyFrom           string // a round whose demand links to copy, or ""
	Versions           []capabilityVersionChoice
	Copies             []option
	Problems           map[string]string // field → message
}

// capabilityVersionChoice is a published version of one of the
// organisation's libraries that has capability areas.
type capabilityVersionChoice struct {
	ID     string
	Name   domain.Text
	Number int
	Areas  int
	Trends int
}

// capabilityError is one entry of an error summary: the input it points at
// and the message.
type capabilityError struct {
	Anchor string
	Text   string
}

func (s *Server) capabilityList(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.capabilityListData(r, c, capabilityNewForm{})
	if err != nil {
		return err
	}
	return s.render(w, c, http.StatusOK, "capability_list", c.T("capability.title"), d)
}

// capabilityListData builds the list page around the form (empty, or as
// posted when the service rejected it).
func (s *Server) capabilityListData(r *http.Request, c *call, form capabilityNewForm) (*capabilityListPage, error) {
	ctx := r.Context()
	rounds, err := s.svc.AssessmentRounds(ctx, c.actor)
	if err != nil {
		return nil, err
	}
	d := &capabilityListPage{CanEdit: c.actor.Role.CanEditPortfolio(), Form: form}
	for _, rs := range rounds {
		row := capabilityRoundRow{AssessmentRoundSummary: rs}
		v, err := s.svc.Version(ctx, domain.System(c.org.ID), rs.VersionID)
		switch {
		case err == nil:
			row.Library, row.Version = v.Name, v.Number
		case !domain.IsNotFound(err):
			return nil, err
		}
		d.Rounds = append(d.Rounds, row)
		d.Form.Copies = append(d.Form.Copies, option{Value: rs.ID, Label: rs.Title, Selected: rs.ID == form.CopyFrom})
	}
	if !d.CanEdit {
		return d, nil
	}
	own, err := s.svc.Store().Libraries(ctx, c.org.ID)
	if err != nil {
		return nil, err
	}
	for _, l := range own {
		if l.Published == nil {
			continue
		}
		v, err := s.svc.Version(ctx, c.actor, l.Published.ID)
		if err != nil {
			return nil, err
		}
		if len(v.CapabilityAreas) == 0 {
			continue
		}
		d.Form.Versions = append(d.Form.Versions, capabilityVersionChoice{ID: v.ID, Name: l.Name, Number: v.Number,
			Areas: len(v.CapabilityAreas), Trends: len(v.Trends)})
	}
	if d.Form.Version == "" && len(d.Form.Versions) > 0 {
		d.Form.Version = d.Form.Versions[0].ID
	}
	return d, nil
}

// capabilityCreate starts a round. Problems show the list page again with
// the form as posted (422).
func (s *Server) capabilityCreate(w http.ResponseWriter, r *http.Request, c *call) error {
	f := r.PostForm
	form := capabilityNewForm{Title: f.Get("title"), Description: f.Get("description"), Version: f.Get("version"),
		CopyFrom: f.Get("copy_demand_from")}
	round := &domain.AssessmentRound{Title: form.Title, Description: form.Description, VersionID: form.Version}
	err := s.svc.CreateAssessmentRound(r.Context(), c.actor, round, form.CopyFrom)
	if ps, ok := asProblems(err); ok {
		form.Problems = c.problemMap(ps)
		d, err := s.capabilityListData(r, c, form)
		if err != nil {
			return err
		}
		return s.render(w, c, http.StatusUnprocessableEntity, "capability_list", c.T("capability.error.title_prefix", "Title", c.T("capability.title")), d)
	}
	if err != nil {
		return err
	}
	c.setFlash(c.T("capability.created", "Title", round.Title))
	return redirect(w, r, c.orgPath("/capabilities/%s", round.ID))
}

// capabilityShow is a round's page: the capability profile, the readiness
// gaps by trend, the answers with their evidence, and the reader's own
// assessment form.
func (s *Server) capabilityShow(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := s.svc.CapabilityProfile(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, c, http.StatusOK, "capability_round", p.Round.Title, s.capabilityPageData(c, p, nil, nil))
}

// capabilityAssess saves the reader's own assessment. Every problem shows
// the page again with the form as posted and the messages (422); nothing
// is saved then.
func (s *Server) capabilityAssess(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	p, err := s.svc.CapabilityProfile(ctx, c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	form, answers, keys := readCapabilityAssessment(r.PostForm, p)
	err = s.svc.SaveMyAssessments(ctx, c.actor, p.Round.ID, answers)
	if ps, ok := asProblems(err); ok {
		errs := form.setProblems(c, ps, keys)
		return s.render(w, c, http.StatusUnprocessableEntity, "capability_round",
			c.T("capability.error.title_prefix", "Title", p.Round.Title), s.capabilityPageData(c, p, form, errs))
	}
	if err != nil {
		return err
	}
	c.setFlash(c.T("capability.assess.saved", "Count", len(answers)))
	return redirect(w, r, c.orgPath("/capabilities/%s", p.Round.ID))
}

// capabilityWithdraw withdraws the reader's own answer on one area.
func (s *Server) capabilityWithdraw(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	p, err := s.svc.CapabilityProfile(ctx, c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	key := r.PostFormValue("area")
	name := key
	for _, a := range p.Version.CapabilityAreas {
		if a.Key == key {
			name = a.Name.String(c.lang)
		}
	}
	if err := s.svc.DeleteAssessment(ctx, c.actor, p.Round.ID, c.actor.UserID, key); err != nil {
		return err
	}
	c.setFlash(c.T("capability.assess.withdrawn", "Area", name))
	return redirect(w, r, c.orgPath("/capabilities/%s", p.Round.ID))
}

// capabilityDemandPage is the demand links of a round: an editor for
// owners and facilitators, a table for everyone else.
type capabilityDemandPage struct {
	Round   *domain.AssessmentRound
	Version *domain.Version
	Base    string
	CanEdit bool
	Trends  []capabilityDemandTrend
	Areas   []domain.CapabilityArea
	Levels  []option // 0–3 with their names
	Errors  []capabilityError
}

// capabilityDemandTrend is one trend's row of demand links.
type capabilityDemandTrend struct {
	Key   string
	Title domain.Text
	Cells []capabilityDemandCell
}

// capabilityDemandCell is how strongly a trend demands one area: a select
// of the editor.
type capabilityDemandCell struct {
	Name    string // the form field, d:TREND:AREA
	ID      string
	AreaKey string
	Area    domain.Text
	Value   string // the level, or what was posted
	Error   string
}

func (s *Server) capabilityDemandData(c *call, p *service.CapabilityProfile) *capabilityDemandPage {
	d := &capabilityDemandPage{Round: p.Round, Version: p.Version, Base: c.orgPath("/capabilities/%s", p.Round.ID),
		CanEdit: c.actor.Role.CanEditPortfolio(), Areas: p.Version.CapabilityAreas}
	for l, label := range []string{c.T("capability.demand.level_0"), c.T("capability.demand.level_1"),
		c.T("capability.demand.level_2"), c.T("capability.demand.level_3")} {
		d.Levels = append(d.Levels, option{Value: strconv.Itoa(l), Label: label})
	}
	level := map[[2]string]int{}
	for _, l := range p.Demand {
		level[[2]string{l.TrendKey, l.AreaKey}] = l.Level
	}
	for _, t := range p.Version.Trends {
		row := capabilityDemandTrend{Key: t.Key, Title: t.Title}
		for _, a := range p.Version.CapabilityAreas {
			row.Cells = append(row.Cells, capabilityDemandCell{Name: "d:" + t.Key + ":" + a.Key, ID: "d-" + t.Key + "-" + a.Key,
				AreaKey: a.Key, Area: a.Name, Value: strconv.Itoa(level[[2]string{t.Key, a.Key}])})
		}
		d.Trends = append(d.Trends, row)
	}
	return d
}

func (s *Server) capabilityDemandForm(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := s.svc.CapabilityProfile(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, c, http.StatusOK, "capability_demand", c.T("capability.demand.title")+": "+p.Round.Title, s.capabilityDemandData(c, p))
}

// capabilityDemandSave replaces the round's demand links with the editor's
// (a link the form leaves out keeps its level). Problems show the editor
// again as posted (422) and save nothing.
func (s *Server) capabilityDemandSave(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	p, err := s.svc.CapabilityProfile(ctx, c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := s.capabilityDemandData(c, p)
	var links []domain.DemandLink
	var cells []*capabilityDemandCell
	for ti := range d.Trends {
		t := &d.Trends[ti]
		for ci := range t.Cells {
			cell := &t.Cells[ci]
			if vs, ok := r.PostForm[cell.Name]; ok && len(vs) > 0 {
				cell.Value = strings.TrimSpace(vs[0])
			}
			n, err := strconv.Atoi(cell.Value)
			if err != nil {
				n = -1 // not a level: the service says what is allowed
			}
			links = append(links, domain.DemandLink{TrendKey: t.Key, AreaKey: cell.AreaKey, Level: n})
			cells = append(cells, cell)
		}
	}
	err = s.svc.SetDemandLinks(ctx, c.actor, p.Round.ID, links)
	if ps, ok := asProblems(err); ok {
		for _, pr := range ps {
			i, part, ok := indexedField(pr.Field, "demand")
			if !ok || i >= len(cells) || part != "level" {
				d.Errors = append(d.Errors, capabilityError{Text: c.s.cat.Message(c.lang, pr.Message)})
				continue
			}
			cell := cells[i]
			if cell.Error == "" {
				cell.Error = c.T("capability.error.demand_level", "Max", domain.DemandMax)
				d.Errors = append(d.Errors, capabilityError{Anchor: cell.ID, Text: c.T("capability.error.demand_level_in",
					"Trend", d.Trends[i/len(d.Areas)].Title.String(c.lang), "Area", cell.Area.String(c.lang), "Max", domain.DemandMax)})
			}
		}
		return s.render(w, c, http.StatusUnprocessableEntity, "capability_demand",
			c.T("capability.error.title_prefix", "Title", c.T("capability.demand.title")+": "+p.Round.Title), d)
	}
	if err != nil {
		return err
	}
	c.setFlash(c.T("capability.demand.saved"))
	return redirect(w, r, c.orgPath("/capabilities/%s", p.Round.ID))
}

// indexedField splits "list[3].part" into 3 and "part" when list is the
// given name.
func indexedField(field, list string) (int, string, bool) {
	rest, ok := strings.CutPrefix(field, list+"[")
	if !ok {
		return 0, "", false
	}
	num, part, ok := strings.Cut(rest, "]")
	if !ok {
		return 0, "", false
	}
	i, err := strconv.Atoi(num)
	if err != nil || i < 0 {
		return 0, "", false
	}
	return i, strings.TrimPrefix(part, "."), true
}

// capabilityEditPage is the form that renames a round, with its delete
// button.
type capabilityEditPage struct {
	Round              *domain.AssessmentRound
	Base               string
	Title, Description string
	Problems           map[string]string
}

// capabilityRound returns one of the organisation's rounds for the pages
// that change it: ENOTFOUND for another organisation's, EFORBIDDEN for
// those who may not change rounds.
func (s *Server) capabilityRound(r *http.Request, c *call) (*domain.AssessmentRound, error) {
	round, err := s.svc.Store().AssessmentRound(r.Context(), c.org.ID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !c.actor.Role.CanEditPortfolio() {
		return nil, domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to %s.", "edit capability assessments")
	}
	return round, nil
}

func (s *Server) capabilityEditForm(w http.ResponseWriter, r *http.Request, c *call) error {
	round, err := s.capabilityRound(r, c)
	if err != nil {
		return err
	}
	d := &capabilityEditPage{Round: round, Base: c.orgPath("/capabilities/%s", round.ID), Title: round.Title, Description: round.Description}
	return s.render(w, c, http.StatusOK, "capability_edit", c.T("capability.edit.title"), d)
}

func (s *Server) capabilityEditSave(w http.ResponseWriter, r *http.Request, c *call) error {
	old, err := s.capabilityRound(r, c)
	if err != nil {
		return err
	}
	round := *old
	round.Title, round.Description = r.PostFormValue("title"), r.PostFormValue("description")
	err = s.svc.UpdateAssessmentRound(r.Context(), c.actor, &round)
	if ps, ok := asProblems(err); ok {
		d := &capabilityEditPage{Round: old, Base: c.orgPath("/capabilities/%s", old.ID), Title: r.PostFormValue("title"),
			Description: r.PostFormValue("description"), Problems: c.problemMap(ps)}
		return s.render(w, c, http.StatusUnprocessableEntity, "capability_edit", c.T("capability.error.title_prefix", "Title", c.T("capability.edit.title")), d)
	}
	if err != nil {
		return err
	}
	c.setFlash(c.T("capability.edit.saved"))
	return redirect(w, r, c.orgPath("/capabilities/%s", round.ID))
}

func (s *Server) capabilityDelete(w http.ResponseWriter, r *http.Request, c *call) error {
	round, err := s.svc.Store().AssessmentRound(r.Context(), c.org.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.svc.DeleteAssessmentRound(r.Context(), c.actor, round.ID); err != nil {
		return err
	}
	c.setFlash(c.T("capability.deleted", "Title", round.Title))
	return redirect(w, r, c.orgPath("/capabilities"))
}
