package service

import (
	"context"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/waymark/waymark/internal/analysis"
	"github.com/waymark/waymark/internal/domain"
)

// Sectors chooses what the trend radar's sectors are.
type Sectors string

// The radar's sectors.
const (
	SectorsForces     Sectors = "forces"     // the library's driving forces (the default)
	SectorsCategories Sectors = "categories" // societal, digital, technology
)

// ParseSectors reads a ?sectors= value; anything unknown is the default.
func ParseSectors(s string) Sectors {
	if Sectors(s) == SectorsCategories {
		return SectorsCategories
	}
	return SectorsForces
}

// Results is a workshop's analysis and what it was made from: the live
// aggregates of its answers (the Tally, for everyone and per group), its
// frozen library version, and the facilitators' priority decisions.
type Results struct {
	Workshop  *domain.Workshop
	Version   *domain.Version
	Input     analysis.Input
	Decisions []domain.PriorityDecision
	Analysis  *analysis.Analysis
	// Joined is how many participants joined, per group key.
	Joined map[string]int
}

// ResultsOptions choose a results page's variants.
type ResultsOptions struct {
	Lang    string  // of trend, sector and group labels; default "en"
	Sectors Sectors // of the radar; default driving forces
}

// AnalysisInput returns what a workshop's analysis is made from: the
// Tally's results for everyone and for each participant group (in the
// workshop's order, labelled in lang), the workshop's questions, and each
// trend's label and radar sector from the workshop's frozen library
// version. Every member of the organisation may read it, whatever the role;
// another organisation's workshop gives ENOTFOUND.
//
// The copies for everyone and for each group are taken one after the other,
// so while answers arrive they may be a few answers apart; each is
// consistent in itself. The cost does not grow with the number of answers.
func (s *Service) AnalysisInput(ctx context.Context, a domain.Actor, workshopID string, opt ResultsOptions) (*Results, error) {
	if opt.Lang == "" {
		opt.Lang = "en"
	}
	w, err := s.store.Workshop(ctx, a.OrgID, workshopID)
	if err != nil {
		return nil, err
	}
	v, err := s.Version(ctx, domain.System(w.OrgID), w.VersionID)
	if err != nil {
		return nil, fmt.Errorf("service: results of workshop %s: version: %w", w.ID, err)
	}
	t, err := s.tally(ctx, w)
	if err != nil {
		return nil, fmt.Errorf("service: results of workshop %s: %w", w.ID, err)
	}
	r := &Results{Workshop: w, Version: v}
	r.Input.Everyone = t.Results("")
	for _, g := range w.Groups {
		r.Input.Groups = append(r.Input.Groups, analysis.GroupResults{Group: g.Key, Label: g.Name.String(opt.Lang), Results: t.Results(g.Key)})
	}
	r.Input.Questions = w.Questions
	if opt.Sectors == SectorsCategories {
		r.Input.Sectors, r.Input.Trends = analysis.CategorySectors(&v.Content, w.TrendKeys, opt.Lang)
	} else {
		r.Input.Sectors, r.Input.Trends = analysis.DrivingForceSectors(&v.Content, w.TrendKeys, opt.Lang)
	}
	if r.Decisions, err = s.store.PriorityDecisions(ctx, w.OrgID, w.ID); err != nil {
		return nil, err
	}
	if r.Joined, err = s.store.ParticipantCounts(ctx, w.ID); err != nil {
		return nil, err
	}
	return r, nil
}

// AnalysisDecisions returns the priority decisions as the analysis takes
// them.
func AnalysisDecisions(ds []domain.PriorityDecision) []analysis.Decision {
	out := make([]analysis.Decision, 0, len(ds))
	for _, d := range ds {
		out = append(out, analysis.Decision{TrendKey: d.TrendKey, Kind: analysis.DecisionKind(d.Kind), Reason: d.Reason,
			By: d.DecidedByName, At: d.DecidedAt})
	}
	return out
}

// WorkshopResults returns a workshop's whole analysis (see AnalysisInput
// for who may read it), with the facilitators' pins and exclusions applied
// to the ranking and the labels in opt.Lang.
func (s *Service) WorkshopResults(ctx context.Context, a domain.Actor, workshopID string, opt ResultsOptions) (*Results, error) {
	r, err := s.AnalysisInput(ctx, a, workshopID, opt)
	if err != nil {
		return nil, err
	}
	r.Analysis = analysis.Analyze(r.Input, analysis.Options{Lang: opt.Lang, Decisions: AnalysisDecisions(r.Decisions)})
	return r, nil
}

// WorkshopComparison compares two workshops of an organisation over the
// trends they share by key.
type WorkshopComparison struct {
	Before, After *domain.Workshop // the earlier and the later by creation
	Comparison    analysis.Comparison
}

// CompareWorkshops compares a workshop's results (with their Analysis,
// as WorkshopResults gives them) with another workshop of the actor's
// organisation, the earlier created as "before". The other being another
// organisation's (or missing) gives ENOTFOUND.
func (s *Service) CompareWorkshops(ctx context.Context, a domain.Actor, this *Results, otherID string, lang string) (*WorkshopComparison, error) {
	other, err := s.WorkshopResults(ctx, a, otherID, ResultsOptions{Lang: lang, Sectors: SectorsCategories})
	if err != nil {
		return nil, err
	}
	before, after := other, this
	if this.Workshop.CreatedAt.Before(other.Workshop.CreatedAt) {
		before, after = this, other
	}
	return &WorkshopComparison{Before: before.Workshop, After: after.Workshop,
		Comparison: analysis.CompareWorkshops(before.Analysis, after.Analysis)}, nil
}

// ComparableWorkshops lists the organisation's other workshops that share
// at least one trend (by key) with w, newest first.
func (s *Service) ComparableWorkshops(ctx context.Context, a domain.Actor, w *domain.Workshop) ([]domain.WorkshopSummary, error) {
	all, err := s.store.Workshops(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	var out []domain.WorkshopSummary
	for _, o := range all {
		if o.ID == w.ID {
			continue
		}
		if slices.ContainsFunc(o.TrendKeys, w.HasTrend) {
			out = append(out, o)
		}
	}
	return out, nil
}

// PriorityClear is the kind of decision that takes a pin or exclusion back.
const PriorityClear domain.PriorityKind = "clear"

// DecidePriority pins a trend of a workshop to the top of its priority
// ranking or excludes it (kind pin or exclude, with a reason that the
// ranking shows), or takes a decision back (kind PriorityClear, no reason
// needed). A new decision on a trend replaces the old; each is written to
// the audit log. Only owners and facilitators may; bad input gives
// domain.Problems with the fields trend, kind and reason; another
// organisation's workshop gives ENOTFOUND.
func (s *Service) DecidePriority(ctx context.Context, a domain.Actor, workshopID, trendKey string, kind domain.PriorityKind, reason string) error {
	if !a.Role.CanEditLibraries() {
		return forbidden("run workshops")
	}
	w, err := s.store.Workshop(ctx, a.OrgID, workshopID)
	if err != nil {
		return err
	}
	var ps domain.Problems
	if trendKey == "" {
		ps = append(ps, domain.Problem{Field: "trend", Message: "is required"})
	} else if !w.HasTrend(trendKey) {
		ps = append(ps, domain.Problem{Field: "trend", Message: fmt.Sprintf("%q is not a trend of this workshop", trendKey)})
	}
	if kind == PriorityClear {
		if len(ps) > 0 {
			return ps
		}
		if err := s.store.DeletePriorityDecision(ctx, a.OrgID, w.ID, trendKey); err != nil {
			return err
		}
		s.audit(ctx, a, "workshop.priority_clear", "workshop", w.ID, trendKey)
		s.schedulePresenter(w)
		return nil
	}
	d := analysis.Decision{TrendKey: trendKey, Kind: analysis.DecisionKind(kind), Reason: reason}
	for _, p := range d.Validate() {
		if p.Field != "trend" { // reported above, with the workshop's trends in mind
			ps = append(ps, p)
		}
	}
	if len(ps) > 0 {
		return ps
	}
	pd := &domain.PriorityDecision{WorkshopID: w.ID, TrendKey: trendKey, Kind: kind, Reason: d.Reason, DecidedBy: a.UserID, DecidedAt: s.now()}
	if err := s.store.SetPriorityDecision(ctx, a.OrgID, pd); err != nil {
		return err
	}
	detail := trendKey + ": " + d.Reason
	if utf8.RuneCountInString(detail) > 200 {
		detail = string([]rune(detail)[:199]) + "…"
	}
	s.audit(ctx, a, "workshop.priority_"+string(kind), "workshop", w.ID, detail)
	s.schedulePresenter(w)
	return nil
}
