package service_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// portfolioFixture is an organisation with a member of every role, a
// published RichContent library version, and another organisation with
// its own.
type portfolioFixture struct {
	svc                                 *service.Service
	db                                  *store.DB
	org                                 *domain.Organisation
	owner, facilitator, analyst, viewer domain.Actor
	version                             string // a published RichContent version of org
	other                               domain.Actor
	otherVersion                        string
}

func newPortfolioFixture(t *testing.T) *portfolioFixture {
	t.Helper()
	db := storetest.Open(t, storetest.SQLite)
	f := &portfolioFixture{svc: service.New(db, nil, nil), db: db}
	f.org = storetest.MustOrg(t, db, "home")
	actor := func(org *domain.Organisation, email string, role domain.Role) domain.Actor {
		u := storetest.MustUser(t, db, email)
		storetest.MustMember(t, db, org.ID, u.ID, role)
		return domain.Actor{UserID: u.ID, OrgID: org.ID, Role: role}
	}
	f.owner = actor(f.org, "owner@example.org", domain.Owner)
	f.facilitator = actor(f.org, "facilitator@example.org", domain.Facilitator)
	f.analyst = actor(f.org, "analyst@example.org", domain.Analyst)
	f.viewer = actor(f.org, "viewer@example.org", domain.Viewer)
	_, v := storetest.MustLibrary(t, db, f.org.ID, storetest.RichContent())
	f.version = v.ID
	other := storetest.MustOrg(t, db, "away")
	f.other = actor(other, "other@example.org", domain.Owner)
	_, ov := storetest.MustLibrary(t, db, other.ID, storetest.RichContent())
	f.otherVersion = ov.ID
	return f
}

// wantProblems fails t unless err is exactly the problems want.
func wantProblems(t *testing.T, err error, want domain.Problems, what string) {
	t.Helper()
	var ps domain.Problems
	if !errors.As(err, &ps) || !slices.Equal(ps, want) {
		t.Errorf("%s: error %v, want problems %v", what, err, want)
	}
}

func wantCode(t *testing.T, err error, code, what string) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Errorf("%s: error %v has code %q, want %q", what, err, got, code)
	}
}

func auditActions(t *testing.T, db *store.DB, orgID string) []string {
	t.Helper()
	log, err := db.AuditLog(context.Background(), orgID, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range log {
		out = append(out, e.Action)
	}
	return out
}

// Ensures only owners and facilitators manage rounds and demand links,
// that owners, facilitators and analysts record their own answers and
// viewers none, and that an assessor may withdraw their own answer while
// only owners and facilitators withdraw others'.
func TestCapabilityRoles(t *testing.T) {
	f := newPortfolioFixture(t)
	ctx := t.Context()
	for _, a := range []domain.Actor{f.analyst, f.viewer} {
		wantCode(t, f.svc.CreateAssessmentRound(ctx, a, &domain.AssessmentRound{Title: "R", VersionID: f.version}, ""), domain.EFORBIDDEN, string(a.Role)+" creating a round")
	}
	r := &domain.AssessmentRound{Title: "Round", VersionID: f.version}
	if err := f.svc.CreateAssessmentRound(ctx, f.facilitator, r, ""); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.svc.SetDemandLinks(ctx, f.analyst, r.ID, nil), domain.EFORBIDDEN, "analyst setting demand")
	wantCode(t, f.svc.UpdateAssessmentRound(ctx, f.analyst, r), domain.EFORBIDDEN, "analyst renaming")
	wantCode(t, f.svc.DeleteAssessmentRound(ctx, f.viewer, r.ID), domain.EFORBIDDEN, "viewer deleting")
	answer := []domain.Assessment{{AreaKey: storetest.AreaData, Current: 2, Target: 4}}
	wantCode(t, f.svc.SaveMyAssessments(ctx, f.viewer, r.ID, answer), domain.EFORBIDDEN, "viewer assessing")
	for _, a := range []domain.Actor{f.owner, f.facilitator, f.analyst} {
		if err := f.svc.SaveMyAssessments(ctx, a, r.ID, []domain.Assessment{{AreaKey: storetest.AreaData, Current: 2, Target: 4}}); err != nil {
			t.Errorf("%s assessing: %v", a.Role, err)
		}
	}
	wantCode(t, f.svc.DeleteAssessment(ctx, f.analyst, r.ID, f.owner.UserID, storetest.AreaData), domain.EFORBIDDEN, "analyst withdrawing another's answer")
	if err := f.svc.DeleteAssessment(ctx, f.analyst, r.ID, f.analyst.UserID, storetest.AreaData); err != nil {
		t.Errorf("analyst withdrawing their own: %v", err)
	}
	if err := f.svc.DeleteAssessment(ctx, f.facilitator, r.ID, f.owner.UserID, storetest.AreaData); err != nil {
		t.Errorf("facilitator withdrawing another's: %v", err)
	}
	p, err := f.svc.CapabilityProfile(ctx, f.viewer, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Assessors != 1 || len(p.Assessments) != 1 || p.Assessments[0].AssessorID != f.facilitator.UserID {
		t.Errorf("after withdrawals: %+v", p.Assessments)
	}
	if err := f.svc.DeleteAssessmentRound(ctx, f.owner, r.ID); err != nil {
		t.Fatal(err)
	}
}

// Ensures a round's profile has the hand-computed means, gaps and
// readiness gaps, the actor's own answers for the form, and demand links
// copied from an earlier round; and that the changes are in the audit log.
func TestCapabilityProfile(t *testing.T) {
	f := newPortfolioFixture(t)
	ctx := t.Context()
	first := &domain.AssessmentRound{Title: "2025", VersionID: f.version}
	if err := f.svc.CreateAssessmentRound(ctx, f.owner, first, ""); err != nil {
		t.Fatal(err)
	}
	links := []domain.DemandLink{
		{TrendKey: storetest.TrendAI, AreaKey: storetest.AreaData, Level: 3},
		{TrendKey: storetest.TrendAI, AreaKey: storetest.AreaLeadership, Level: 1},
		{TrendKey: storetest.TrendAgeing, AreaKey: storetest.AreaLeadership, Level: 2},
		{TrendKey: storetest.TrendSVOnly, AreaKey: storetest.AreaData, Level: 0},
	}
	if err := f.svc.SetDemandLinks(ctx, f.facilitator, first.ID, links); err != nil {
		t.Fatal(err)
	}
	r := &domain.AssessmentRound{Title: "2026", VersionID: f.version}
	if err := f.svc.CreateAssessmentRound(ctx, f.owner, r, first.ID); err != nil {
		t.Fatal(err)
	}
	save := func(a domain.Actor, data, lead [2]int) {
		t.Helper()
		err := f.svc.SaveMyAssessments(ctx, a, r.ID, []domain.Assessment{
			{AreaKey: storetest.AreaData, Current: data[0], Target: data[1], Evidence: "Evidence of " + string(a.Role)},
			{AreaKey: storetest.AreaLeadership, Current: lead[0], Target: lead[1]},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	save(f.owner, [2]int{1, 4}, [2]int{3, 3})
	save(f.analyst, [2]int{3, 4}, [2]int{2, 4})
	save(f.analyst, [2]int{2, 5}, [2]int{2, 4}) // changes their mind on data

	p, err := f.svc.CapabilityProfile(ctx, f.analyst, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Demand) != 3 {
		t.Errorf("copied demand links: %+v", p.Demand)
	}
	// data: current 1, 2 → 1.5; target 4, 5 → 4.5; gap 3.
	// leadership: current 3, 2 → 2.5; target 3, 4 → 3.5; gap 1.
	if d := p.Areas[0]; d.AreaKey != storetest.AreaData || d.Current.Mean != 1.5 || d.Target.Mean != 4.5 || d.Gap != 3 || d.Current.Count != 2 {
		t.Errorf("data: %+v", d)
	}
	if l := p.Areas[1]; l.AreaKey != storetest.AreaLeadership || l.Current.Mean != 2.5 || l.Target.Mean != 3.5 || l.Gap != 1 || l.Target.SD != 0.5 {
		t.Errorf("leadership: %+v", l)
	}
	gaps := map[string]float64{}
	for _, g := range p.Gaps {
		gaps[g.TrendKey] = g.Gap
	}
	// AI: 3 × 3 + 1 × 1 = 10; ageing: 2 × 1 = 2; sv-only: none.
	if gaps[storetest.TrendAI] != 10 || gaps[storetest.TrendAgeing] != 2 || gaps[storetest.TrendSVOnly] != 0 || len(p.Gaps) != 3 {
		t.Errorf("readiness gaps: %v", gaps)
	}
	if p.Assessors != 2 || p.Mine[storetest.AreaData].Current != 2 || p.Mine[storetest.AreaData].Evidence != "Evidence of analyst" {
		t.Errorf("assessors %d, mine %+v", p.Assessors, p.Mine)
	}
	if math.IsNaN(p.Areas[0].Current.SD) {
		t.Error("SD is NaN")
	}
	actions := auditActions(t, f.db, f.org.ID)
	for _, want := range []string{"capability.round_create", "capability.demand", "capability.assess"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit log %v lacks %s", actions, want)
		}
	}
}

// Ensures a round started without an earlier one to copy from starts with
// the library version's demand links, that adjusting them changes the round
// only, and that a round copying from an earlier one takes that round's
// links instead of the library's.
func TestRoundStartsWithLibraryDemand(t *testing.T) {
	f := newPortfolioFixture(t)
	ctx := t.Context()
	first := &domain.AssessmentRound{Title: "2025", VersionID: f.version}
	if err := f.svc.CreateAssessmentRound(ctx, f.owner, first, ""); err != nil {
		t.Fatal(err)
	}
	got, err := f.db.DemandLinks(ctx, f.org.ID, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.Version(ctx, f.owner, f.version)
	if err != nil {
		t.Fatal(err)
	}
	if want := v.DemandLinks(); len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("round links %v, want the library's %v", got, want)
	}
	adjusted := []domain.DemandLink{{TrendKey: storetest.TrendSVOnly, AreaKey: storetest.AreaData, Level: 2}}
	if err := f.svc.SetDemandLinks(ctx, f.owner, first.ID, adjusted); err != nil {
		t.Fatal(err)
	}
	if v2, _ := f.svc.Version(ctx, f.owner, f.version); !slices.Equal(v2.DemandLinks(), v.DemandLinks()) {
		t.Error("adjusting a round changed the library's links")
	}
	second := &domain.AssessmentRound{Title: "2026", VersionID: f.version}
	if err := f.svc.CreateAssessmentRound(ctx, f.owner, second, first.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.db.DemandLinks(ctx, f.org.ID, second.ID); !slices.Equal(got, adjusted) {
		t.Errorf("copied links %v, want %v", got, adjusted)
	}
}

// Ensures bad rounds, answers and demand links are refused with exact
// fields and messages, and that another organisation's round is
// ENOTFOUND exactly as a missing one.
func TestCapabilityValidation(t *testing.T) {
	f := newPortfolioFixture(t)
	ctx := t.Context()
	lib, err := f.db.Library(ctx, f.org.ID, mustVersionLibrary(t, f, f.version))
	if err != nil {
		t.Fatal(err)
	}
	draft, err := f.db.CreateDraft(ctx, f.org.ID, lib.ID, f.version)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		round *domain.AssessmentRound
		copy  string
		want  domain.Problems
	}{
		{&domain.AssessmentRound{Title: " ", VersionID: f.version}, "", domain.Problems{{Field: "title", Message: "is required"}}},
		{&domain.AssessmentRound{Title: "R"}, "", domain.Problems{{Field: "version", Message: "is required"}}},
		{&domain.AssessmentRound{Title: "R", VersionID: draft.ID}, "", domain.Problems{{Field: "version", Message: "is a draft; publish it first, so that it cannot change"}}},
		{&domain.AssessmentRound{Title: "R", VersionID: f.otherVersion}, "", domain.Problems{{Field: "version", Message: "is not a library version of this organisation"}}},
		{&domain.AssessmentRound{Title: "R", VersionID: f.version}, "00000000-0000-7000-8000-000000000000",
			domain.Problems{{Field: "copy_demand_from", Message: "is not an assessment round of this organisation"}}},
	} {
		wantProblems(t, f.svc.CreateAssessmentRound(ctx, f.owner, c.round, c.copy), c.want, c.want[0].Field)
	}
	r := &domain.AssessmentRound{Title: "Round", VersionID: f.version}
	if err := f.svc.CreateAssessmentRound(ctx, f.owner, r, ""); err != nil {
		t.Fatal(err)
	}
	wantProblems(t, f.svc.SaveMyAssessments(ctx, f.owner, r.ID, []domain.Assessment{{AreaKey: "roads", Current: 2, Target: 6}}),
		domain.Problems{
			{Field: "assessments[0].area", Message: `"roads" is not a capability area of the library version`},
			{Field: "assessments[0].target", Message: "must be between 1 and 5"},
		}, "a bad answer")
	wantProblems(t, f.svc.SetDemandLinks(ctx, f.owner, r.ID, []domain.DemandLink{{TrendKey: "storms", AreaKey: storetest.AreaData, Level: 2}}),
		domain.Problems{{Field: "demand[0].trend", Message: `"storms" is not a trend of the library version`}}, "a bad demand link")
	err = f.svc.SaveMyAssessments(ctx, domain.System(f.org.ID), r.ID, []domain.Assessment{{AreaKey: storetest.AreaData, Current: 1, Target: 2}})
	if domain.ErrorMessage(err) != "Assessments are recorded by a signed-in person." {
		t.Errorf("the command line assessing: %v", err)
	}

	_, ref := f.svc.CapabilityProfile(ctx, f.owner, "00000000-0000-7000-8000-000000000000")
	wantCode(t, ref, domain.ENOTFOUND, "a missing round")
	_, err = f.svc.CapabilityProfile(ctx, f.other, r.ID)
	if err == nil || err.Error() != ref.Error() {
		t.Errorf("another organisation's round: %v, want %v", err, ref)
	}
	for what, err := range map[string]error{
		"assessing": f.svc.SaveMyAssessments(ctx, f.other, r.ID, []domain.Assessment{{AreaKey: storetest.AreaData, Current: 1, Target: 2}}),
		"demand":    f.svc.SetDemandLinks(ctx, f.other, r.ID, nil),
		"renaming":  f.svc.UpdateAssessmentRound(ctx, f.other, &domain.AssessmentRound{ID: r.ID, Title: "Theirs"}),
		"deleting":  f.svc.DeleteAssessmentRound(ctx, f.other, r.ID),
	} {
		if err == nil || err.Error() != ref.Error() {
			t.Errorf("another organisation %s: %v, want %v", what, err, ref)
		}
	}
}

func mustVersionLibrary(t *testing.T, f *portfolioFixture, versionID string) string {
	t.Helper()
	v, err := f.db.Version(t.Context(), f.org.ID, versionID)
	if err != nil {
		t.Fatal(err)
	}
	return v.LibraryID
}
