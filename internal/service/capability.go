package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/waymark/waymark/internal/domain"
)

// Capability assessment. Who may do what:
//
//   - every member reads rounds, answers, demand links and results;
//   - owners and facilitators create, rename and delete rounds and set
//     their demand links (domain.Role.CanEditPortfolio), and may delete any
//     assessor's answer;
//   - owners, facilitators and analysts record and withdraw their own
//     answers (domain.Role.CanAssess): analysts often hold the evidence.
//
// Every change is written to the audit log.

// CapabilityProfile is a round with everything its pages show: the
// library version's capability areas (with their level descriptors) and
// trends, every answer, the demand links, the results per area and the
// readiness gap of every trend.
type CapabilityProfile struct {
	Round   *domain.AssessmentRound
	Version *domain.Version // shared: do not modify
	// Assessments are every assessor's answers, by assessor and area.
	Assessments []domain.Assessment
	// Mine are the actor's own answers, by area key, for the form.
	Mine   map[string]domain.Assessment
	Demand []domain.DemandLink
	// Areas are the results per capability area, in the version's order.
	Areas []domain.AreaResult
	// Gaps are the readiness gaps of the version's trends, in its order
	// (domain.SortGaps orders them largest first).
	Gaps []domain.TrendGap
	// Assessors is how many people have answered.
	Assessors int
}

// roundVersion returns the published version of an own library that a
// round or the portfolio uses, with problems at field for a version that
// is not the organisation's, is another organisation's public library, or
// is a draft.
func (s *Service) roundVersion(ctx context.Context, a domain.Actor, field, versionID string) (*domain.Version, error) {
	if versionID == "" {
		return nil, domain.Problems{{Field: field, Message: "is required"}}
	}
	v, err := s.Version(ctx, a, versionID)
	if err != nil {
		if domain.IsNotFound(err) {
			return nil, domain.Problems{{Field: field, Message: "is not a library version of this organisation"}}
		}
		return nil, err
	}
	lib, err := s.store.Library(ctx, a.OrgID, v.LibraryID)
	if err != nil {
		return nil, err
	}
	if lib.OrgID != a.OrgID {
		return nil, domain.Problems{{Field: field, Message: "belongs to another organisation; copy the library first"}}
	}
	if v.Status != domain.Published {
		return nil, domain.Problems{{Field: field, Message: "is a draft; publish it first, so that it cannot change"}}
	}
	return v, nil
}

// CreateAssessmentRound checks and stores a new round over the capability
// areas of a published version of one of the organisation's libraries
// (Problems at title, description and version). The round's demand links
// start as the library version's own. When copyDemandFrom names another
// round of the organisation, its demand links are copied instead, leaving
// out those whose trend or area the new version does not have (Problems at
// copy_demand_from when it is not a round of the organisation). Only
// owners and facilitators may.
func (s *Service) CreateAssessmentRound(ctx context.Context, a domain.Actor, r *domain.AssessmentRound, copyDemandFrom string) error {
	if !a.Role.CanEditPortfolio() {
		return forbidden("edit capability assessments")
	}
	ps := r.Validate()
	var v *domain.Version
	if r.VersionID != "" {
		var err error
		if v, err = s.roundVersion(ctx, a, "version", r.VersionID); err != nil {
			var vps domain.Problems
			if !errors.As(err, &vps) {
				return err
			}
			ps = append(ps, vps...)
		}
	}
	var links []domain.DemandLink
	if copyDemandFrom != "" {
		from, err := s.store.DemandLinks(ctx, a.OrgID, copyDemandFrom)
		switch {
		case domain.IsNotFound(err):
			ps = append(ps, domain.Problem{Field: "copy_demand_from", Message: "is not an assessment round of this organisation"})
		case err != nil:
			return err
		case v != nil:
			for _, l := range from {
				if _, ok := v.Trend(l.TrendKey); ok && v.HasCapabilityArea(l.AreaKey) {
					links = append(links, l)
				}
			}
		}
	}
	if len(ps) > 0 {
		return ps
	}
	if copyDemandFrom == "" {
		links = v.DemandLinks()
	}
	if len(v.CapabilityAreas) == 0 {
		return domain.Problems{{Field: "version", Message: "has no capability areas to assess"}}
	}
	r.OrgID, r.CreatedBy = a.OrgID, a.UserID
	if err := s.store.CreateAssessmentRound(ctx, r); err != nil {
		return err
	}
	if len(links) > 0 {
		if err := s.store.SetDemandLinks(ctx, a.OrgID, r.ID, links); err != nil {
			return err
		}
	}
	s.audit(ctx, a, "capability.round_create", "assessment_round", r.ID, r.Title)
	return nil
}

// UpdateAssessmentRound checks and saves a round's title and description;
// its version never changes. Only owners and facilitators may.
func (s *Service) UpdateAssessmentRound(ctx context.Context, a domain.Actor, r *domain.AssessmentRound) error {
	if !a.Role.CanEditPortfolio() {
		return forbidden("edit capability assessments")
	}
	old, err := s.store.AssessmentRound(ctx, a.OrgID, r.ID)
	if err != nil {
		return err
	}
	r.OrgID, r.VersionID = a.OrgID, old.VersionID
	if ps := r.Validate(); ps != nil {
		return ps
	}
	if err := s.store.UpdateAssessmentRound(ctx, r); err != nil {
		return err
	}
	s.audit(ctx, a, "capability.round_update", "assessment_round", r.ID, r.Title)
	return nil
}

// DeleteAssessmentRound deletes a round with its answers and demand links.
// Only owners and facilitators may.
func (s *Service) DeleteAssessmentRound(ctx context.Context, a domain.Actor, id string) error {
	if !a.Role.CanEditPortfolio() {
		return forbidden("edit capability assessments")
	}
	r, err := s.store.AssessmentRound(ctx, a.OrgID, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteAssessmentRound(ctx, a.OrgID, id); err != nil {
		return err
	}
	s.audit(ctx, a, "capability.round_delete", "assessment_round", id, r.Title)
	return nil
}

// AssessmentRounds lists the organisation's rounds, newest first, for
// every member.
func (s *Service) AssessmentRounds(ctx context.Context, a domain.Actor) ([]domain.AssessmentRoundSummary, error) {
	return s.store.AssessmentRounds(ctx, a.OrgID)
}

// CapabilityProfile returns a round with its answers, demand links,
// results per area and readiness gaps, for every member. Another
// organisation's round is ENOTFOUND.
func (s *Service) CapabilityProfile(ctx context.Context, a domain.Actor, roundID string) (*CapabilityProfile, error) {
	r, err := s.store.AssessmentRound(ctx, a.OrgID, roundID)
	if err != nil {
		return nil, err
	}
	v, err := s.Version(ctx, domain.System(a.OrgID), r.VersionID)
	if err != nil {
		return nil, fmt.Errorf("service: capability profile %s: version: %w", r.ID, err)
	}
	p := &CapabilityProfile{Round: r, Version: v, Mine: map[string]domain.Assessment{}}
	if p.Assessments, err = s.store.Assessments(ctx, a.OrgID, r.ID); err != nil {
		return nil, err
	}
	if p.Demand, err = s.store.DemandLinks(ctx, a.OrgID, r.ID); err != nil {
		return nil, err
	}
	assessors := map[string]bool{}
	for _, x := range p.Assessments {
		assessors[x.AssessorID] = true
		if x.AssessorID == a.UserID && a.UserID != "" {
			p.Mine[x.AreaKey] = x
		}
	}
	p.Assessors = len(assessors)
	p.Areas = domain.AssessmentResults(v.CapabilityAreas, p.Assessments)
	keys := make([]string, len(v.Trends))
	for i, t := range v.Trends {
		keys[i] = t.Key
	}
	p.Gaps = domain.ReadinessGaps(keys, p.Areas, p.Demand)
	return p, nil
}

// SaveMyAssessments records the actor's own answers in a round: for each
// capability area the current and target maturity (1–5) and the evidence.
// An answer replaces the actor's earlier answer on the same area; areas
// left out keep theirs. Problems are at assessments[i].area, .current,
// .target and .evidence. Owners, facilitators and analysts may; the
// command line, which is nobody, may not.
func (s *Service) SaveMyAssessments(ctx context.Context, a domain.Actor, roundID string, as []domain.Assessment) error {
	if !a.Role.CanAssess() {
		return forbidden("assess capabilities")
	}
	if a.UserID == "" {
		return domain.Errorf(domain.EINVALID, "Assessments are recorded by a signed-in person.")
	}
	r, err := s.store.AssessmentRound(ctx, a.OrgID, roundID)
	if err != nil {
		return err
	}
	v, err := s.Version(ctx, domain.System(a.OrgID), r.VersionID)
	if err != nil {
		return fmt.Errorf("service: assess round %s: version: %w", r.ID, err)
	}
	if ps := domain.ValidateAssessments(as, &v.Content); ps != nil {
		return ps
	}
	at := s.now()
	for i := range as {
		as[i].AssessorID, as[i].RoundID, as[i].At = a.UserID, r.ID, at
	}
	if err := s.store.SaveAssessments(ctx, a.OrgID, r.ID, as); err != nil {
		return err
	}
	s.audit(ctx, a, "capability.assess", "assessment_round", r.ID, fmt.Sprintf("%d areas", len(as)))
	return nil
}

// DeleteAssessment withdraws an assessor's answer on an area. Assessors
// (owners, facilitators, analysts) may withdraw their own; owners and
// facilitators anyone's.
func (s *Service) DeleteAssessment(ctx context.Context, a domain.Actor, roundID, assessorID, areaKey string) error {
	own := assessorID != "" && assessorID == a.UserID
	if !(own && a.Role.CanAssess()) && !a.Role.CanEditPortfolio() {
		return forbidden("edit capability assessments")
	}
	if err := s.store.DeleteAssessment(ctx, a.OrgID, roundID, assessorID, areaKey); err != nil {
		return err
	}
	s.audit(ctx, a, "capability.assessment_delete", "assessment_round", roundID, assessorID+": "+areaKey)
	return nil
}

// SetDemandLinks replaces a round's demand links: how strongly (0–3) each
// trend of the round's library version demands each capability area. A
// round starts with the library version's links, or those of an earlier
// round (CreateAssessmentRound), and the organisation adjusts them here,
// for this round only. Problems
// are at demand[i].trend, .area and .level. Only owners and facilitators
// may.
func (s *Service) SetDemandLinks(ctx context.Context, a domain.Actor, roundID string, links []domain.DemandLink) error {
	if !a.Role.CanEditPortfolio() {
		return forbidden("edit capability assessments")
	}
	r, err := s.store.AssessmentRound(ctx, a.OrgID, roundID)
	if err != nil {
		return err
	}
	v, err := s.Version(ctx, domain.System(a.OrgID), r.VersionID)
	if err != nil {
		return fmt.Errorf("service: demand links of round %s: version: %w", r.ID, err)
	}
	if ps := domain.ValidateDemand(links, &v.Content); ps != nil {
		return ps
	}
	norm := domain.NormalizeDemand(links)
	if err := s.store.SetDemandLinks(ctx, a.OrgID, r.ID, norm); err != nil {
		return err
	}
	s.audit(ctx, a, "capability.demand", "assessment_round", r.ID, fmt.Sprintf("%d links", len(norm)))
	return nil
}
