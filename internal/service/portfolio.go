package service

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/waymark/waymark/internal/domain"
)

// The portfolio: settings, initiatives and scenarios. Who may do what:
//
//   - every member reads the settings, initiatives, scenarios and stored
//     results;
//   - owners and facilitators change the settings (currency, benefit
//     criteria and their weights, the library version initiatives link
//     to), initiatives (including their tracking: status, RAG, milestones)
//     and scenarios (domain.Role.CanEditPortfolio);
//   - owners, facilitators and analysts run the optimiser on a scenario
//     and keep its result (domain.Role.CanOptimise).
//
// Every change is written to the audit log.

// Portfolio is the organisation's settings with the library version its
// initiatives link to (nil when none is chosen).
type Portfolio struct {
	Settings *domain.PortfolioSettings
	Version  *domain.Version // shared: do not modify
}

// Portfolio returns the organisation's settings (with the defaults where
// it has saved none) and their library version, for every member.
func (s *Service) Portfolio(ctx context.Context, a domain.Actor) (*Portfolio, error) {
	st, err := s.store.PortfolioSettings(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	p := &Portfolio{Settings: st}
	if st.VersionID != "" {
		if p.Version, err = s.Version(ctx, domain.System(a.OrgID), st.VersionID); err != nil {
			return nil, fmt.Errorf("service: portfolio of %s: version: %w", a.OrgID, err)
		}
	}
	return p, nil
}

// refs returns what initiatives are checked against.
func (p *Portfolio) refs(initiatives []domain.Initiative) domain.PortfolioRefs {
	r := domain.PortfolioRefs{Criteria: p.Settings.Criteria, Initiatives: initiatives}
	if p.Version != nil {
		r.Content = &p.Version.Content
	}
	return r
}

// SavePortfolioSettings checks and saves the currency, the benefit
// criteria with their weights, and the library version initiatives link
// to. Problems are at currency, criteria[i].key, .name, .weight and
// version; a new version (or none) must still have every trend and
// capability area that initiatives link to, and each one missing is a
// problem at version. Scores on a criterion that is removed are kept but
// count for nothing and are not shown; adding the criterion back restores
// them. Only owners and facilitators may.
func (s *Service) SavePortfolioSettings(ctx context.Context, a domain.Actor, st *domain.PortfolioSettings) error {
	if !a.Role.CanEditPortfolio() {
		return forbidden("edit the portfolio")
	}
	st.OrgID = a.OrgID
	ps := st.Validate()
	var content *domain.Content
	if st.VersionID != "" {
		v, err := s.roundVersion(ctx, a, "version", st.VersionID)
		var vps domain.Problems
		switch {
		case errors.As(err, &vps):
			ps = append(ps, vps...)
		case err != nil:
			return err
		default:
			content = &v.Content
		}
	}
	if len(ps) > 0 {
		return ps
	}
	ins, err := s.store.Initiatives(ctx, a.OrgID)
	if err != nil {
		return err
	}
	for _, in := range ins {
		for _, l := range in.Trends {
			if _, ok := trendOf(content, l.TrendKey); !ok {
				ps = append(ps, domain.Problem{Field: "version", Message: fmt.Sprintf("the initiative %q links the trend %q, which this version does not have", in.Title, l.TrendKey)})
			}
		}
		for _, k := range in.Areas {
			if content == nil || !content.HasCapabilityArea(k) {
				ps = append(ps, domain.Problem{Field: "version", Message: fmt.Sprintf("the initiative %q builds the capability area %q, which this version does not have", in.Title, k)})
			}
		}
	}
	if len(ps) > 0 {
		return ps
	}
	if err := s.store.SavePortfolioSettings(ctx, st); err != nil {
		return err
	}
	s.audit(ctx, a, "portfolio.settings", "portfolio", a.OrgID, st.Currency)
	return nil
}

func trendOf(c *domain.Content, key string) (domain.Trend, bool) {
	if c == nil {
		return domain.Trend{}, false
	}
	return c.Trend(key)
}

// visibleBenefits drops scores on criteria the organisation no longer has.
func visibleBenefits(in *domain.Initiative, criteria []domain.BenefitCriterion) {
	maps.DeleteFunc(in.Benefits, func(k string, _ int) bool {
		return !slices.ContainsFunc(criteria, func(c domain.BenefitCriterion) bool { return c.Key == k })
	})
	if len(in.Benefits) == 0 {
		in.Benefits = nil
	}
}

// Initiatives lists the organisation's initiatives, oldest first, for
// every member. Scores on removed criteria are left out.
func (s *Service) Initiatives(ctx context.Context, a domain.Actor) ([]domain.Initiative, error) {
	st, err := s.store.PortfolioSettings(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	ins, err := s.store.Initiatives(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	for i := range ins {
		visibleBenefits(&ins[i], st.Criteria)
	}
	return ins, nil
}

// Initiative returns one of the organisation's initiatives, for every
// member; another organisation's is ENOTFOUND. Scores on removed criteria
// are left out.
func (s *Service) Initiative(ctx context.Context, a domain.Actor, id string) (*domain.Initiative, error) {
	in, err := s.store.Initiative(ctx, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	st, err := s.store.PortfolioSettings(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	visibleBenefits(in, st.Criteria)
	return in, nil
}

// CreateInitiative checks (domain.Initiative.Validate, against the
// portfolio's library version, criteria and the organisation's other
// initiatives) and stores a new initiative. A title another initiative
// has is ECONFLICT. Only owners and facilitators may.
func (s *Service) CreateInitiative(ctx context.Context, a domain.Actor, in *domain.Initiative) error {
	if !a.Role.CanEditPortfolio() {
		return forbidden("edit the portfolio")
	}
	p, err := s.Portfolio(ctx, a)
	if err != nil {
		return err
	}
	ins, err := s.store.Initiatives(ctx, a.OrgID)
	if err != nil {
		return err
	}
	in.ID, in.OrgID, in.CreatedBy = "", a.OrgID, a.UserID
	if ps := in.Validate(p.refs(ins)); ps != nil {
		return ps
	}
	if len(ins) >= domain.MaxInitiatives {
		return domain.Errorf(domain.ECONFLICT, "An organisation can have at most %d initiatives.", domain.MaxInitiatives)
	}
	if err := s.store.CreateInitiative(ctx, in); err != nil {
		return err
	}
	s.audit(ctx, a, "initiative.create", "initiative", in.ID, in.Title)
	return nil
}

// UpdateInitiative checks and saves an initiative as CreateInitiative
// does, when in.Revision is the revision it was read at (ECONFLICT when
// someone else changed it meanwhile). A dependency that makes a cycle, on
// itself or on an initiative of the same exclusive group is a problem at
// depends_on. Another organisation's initiative is ENOTFOUND. Only owners
// and facilitators may.
func (s *Service) UpdateInitiative(ctx context.Context, a domain.Actor, in *domain.Initiative) error {
	if !a.Role.CanEditPortfolio() {
		return forbidden("edit the portfolio")
	}
	stored, err := s.store.Initiative(ctx, a.OrgID, in.ID)
	if err != nil {
		return err
	}
	p, err := s.Portfolio(ctx, a)
	if err != nil {
		return err
	}
	ins, err := s.store.Initiatives(ctx, a.OrgID)
	if err != nil {
		return err
	}
	in.OrgID = a.OrgID
	if ps := in.Validate(p.refs(ins)); ps != nil {
		return ps
	}
	// Scores on removed criteria are not shown, so the caller could not
	// send them: keep them, so that adding the criterion back restores them.
	for k, v := range stored.Benefits {
		if _, ok := p.Settings.Criterion(k); !ok {
			if in.Benefits == nil {
				in.Benefits = map[string]int{}
			}
			in.Benefits[k] = v
		}
	}
	err = s.store.UpdateInitiative(ctx, in)
	visibleBenefits(in, p.Settings.Criteria)
	if err != nil {
		return err
	}
	s.audit(ctx, a, "initiative.update", "initiative", in.ID, in.Title)
	return nil
}

// InitiativeTracking is what the tracking page changes of an initiative.
type InitiativeTracking struct {
	ID         string
	Revision   int64 // the revision the page was read at
	Status     domain.InitiativeStatus
	RAG        domain.RAG
	Milestones []domain.Milestone
}

// TrackInitiative saves an initiative's status, RAG and milestones only,
// when Revision is the revision it was read at (ECONFLICT otherwise), and
// returns the initiative as saved. Problems are at status, rag and
// milestones[i].title and .due. Only owners and facilitators may.
func (s *Service) TrackInitiative(ctx context.Context, a domain.Actor, t InitiativeTracking) (*domain.Initiative, error) {
	if !a.Role.CanEditPortfolio() {
		return nil, forbidden("edit the portfolio")
	}
	in, err := s.Initiative(ctx, a, t.ID)
	if err != nil {
		return nil, err
	}
	in.Revision, in.Status, in.RAG, in.Milestones = t.Revision, t.Status, t.RAG, t.Milestones
	if ps := in.ValidateTracking(); ps != nil {
		return nil, ps
	}
	if err := s.store.UpdateInitiativeTracking(ctx, in); err != nil {
		return nil, err
	}
	s.audit(ctx, a, "initiative.track", "initiative", in.ID, fmt.Sprintf("%s %s", in.Status, cmp.Or(string(in.RAG), "–")))
	return in, nil
}

// DeleteInitiative deletes an initiative and takes it out of every
// scenario's forced choices. ECONFLICT when other initiatives depend on
// it. Only owners and facilitators may.
func (s *Service) DeleteInitiative(ctx context.Context, a domain.Actor, id string) error {
	if !a.Role.CanEditPortfolio() {
		return forbidden("edit the portfolio")
	}
	in, err := s.store.Initiative(ctx, a.OrgID, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteInitiative(ctx, a.OrgID, id); err != nil {
		return err
	}
	s.audit(ctx, a, "initiative.delete", "initiative", id, in.Title)
	return nil
}

// Scenarios lists the organisation's scenarios with their stored results,
// oldest first, for every member; compare each result's
// PortfolioRevision with Portfolio's Settings.Revision
// (domain.Scenario.ResultCurrent) to tell an out-of-date result.
func (s *Service) Scenarios(ctx context.Context, a domain.Actor) ([]domain.Scenario, error) {
	return s.store.Scenarios(ctx, a.OrgID)
}

// Scenario returns one of the organisation's scenarios with its stored
// result, for every member; another organisation's is ENOTFOUND.
func (s *Service) Scenario(ctx context.Context, a domain.Actor, id string) (*domain.Scenario, error) {
	return s.store.Scenario(ctx, a.OrgID, id)
}

// checkScenario validates a scenario and its priority workshop.
func (s *Service) checkScenario(ctx context.Context, a domain.Actor, sc *domain.Scenario) error {
	ins, err := s.store.Initiatives(ctx, a.OrgID)
	if err != nil {
		return err
	}
	ps := sc.Validate(ins)
	if sc.PriorityWorkshopID != "" {
		if _, err := s.store.Workshop(ctx, a.OrgID, sc.PriorityWorkshopID); domain.IsNotFound(err) {
			ps = append(ps, domain.Problem{Field: "priority_workshop", Message: "is not a workshop of this organisation"})
		} else if err != nil {
			return err
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// CreateScenario checks (domain.Scenario.Validate; Problems at name,
// start_year, end_year, budget.default, budget.years.Y, fte.default,
// fte.years.Y, forced.ID, priority_workshop, trend_weight) and stores a new
// scenario. A name another scenario has is ECONFLICT. Only owners and
// facilitators may.
func (s *Service) CreateScenario(ctx context.Context, a domain.Actor, sc *domain.Scenario) error {
	if !a.Role.CanEditPortfolio() {
		return forbidden("edit the portfolio")
	}
	sc.ID, sc.OrgID, sc.CreatedBy = "", a.OrgID, a.UserID
	if err := s.checkScenario(ctx, a, sc); err != nil {
		return err
	}
	if err := s.store.CreateScenario(ctx, sc); err != nil {
		return err
	}
	s.audit(ctx, a, "scenario.create", "scenario", sc.ID, sc.Name)
	return nil
}

// UpdateScenario checks and saves a scenario as CreateScenario does, when
// sc.Revision is the revision it was read at (ECONFLICT otherwise). The
// stored result is cleared: it was for the old assumptions. Another
// organisation's scenario is ENOTFOUND. Only owners and facilitators may.
func (s *Service) UpdateScenario(ctx context.Context, a domain.Actor, sc *domain.Scenario) error {
	if !a.Role.CanEditPortfolio() {
		return forbidden("edit the portfolio")
	}
	if _, err := s.store.Scenario(ctx, a.OrgID, sc.ID); err != nil {
		return err
	}
	sc.OrgID = a.OrgID
	if err := s.checkScenario(ctx, a, sc); err != nil {
		return err
	}
	if err := s.store.UpdateScenario(ctx, sc); err != nil {
		return err
	}
	s.audit(ctx, a, "scenario.update", "scenario", sc.ID, sc.Name)
	return nil
}

// DeleteScenario deletes a scenario. Only owners and facilitators may.
func (s *Service) DeleteScenario(ctx context.Context, a domain.Actor, id string) error {
	if !a.Role.CanEditPortfolio() {
		return forbidden("edit the portfolio")
	}
	sc, err := s.store.Scenario(ctx, a.OrgID, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteScenario(ctx, a.OrgID, id); err != nil {
		return err
	}
	s.audit(ctx, a, "scenario.delete", "scenario", id, sc.Name)
	return nil
}

// SaveScenarioResult keeps an optimiser's result file (JSON) as the
// result of the scenario at revision, computed from the portfolio at
// portfolioRevision. ECONFLICT when the scenario changed since revision.
// Owners, facilitators and analysts may. OptimiseScenario does all of it.
func (s *Service) SaveScenarioResult(ctx context.Context, a domain.Actor, id string, revision int64, data []byte, portfolioRevision int64) error {
	if !a.Role.CanOptimise() {
		return forbidden("optimise scenarios")
	}
	r := &domain.ScenarioResult{Data: data, At: s.now(), PortfolioRevision: portfolioRevision}
	if err := s.store.SetScenarioResult(ctx, a.OrgID, id, revision, r); err != nil {
		return err
	}
	s.audit(ctx, a, "scenario.optimise", "scenario", id, fmt.Sprintf("portfolio revision %d", portfolioRevision))
	return nil
}
