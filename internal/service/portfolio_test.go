package service_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/portfolio"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/store/storetest"
)

func newInitiative(title string) *domain.Initiative {
	return &domain.Initiative{Title: title, OneOffCost: 400, RecurringCost: 100, FTE: 100, Duration: 2,
		EarliestStart: 2026, LatestStart: 2030, Benefits: map[string]int{"people": 3}}
}

// withVersion saves the portfolio settings with the fixture's version.
func withVersion(t *testing.T, f *portfolioFixture) *domain.PortfolioSettings {
	t.Helper()
	p, err := f.svc.Portfolio(t.Context(), f.owner)
	if err != nil {
		t.Fatal(err)
	}
	st := p.Settings
	st.VersionID = f.version
	if err := f.svc.SavePortfolioSettings(t.Context(), f.owner, st); err != nil {
		t.Fatal(err)
	}
	return st
}

// Ensures owners and facilitators edit the portfolio, analysts may
// optimise but not edit, and viewers only read.
func TestPortfolioRoles(t *testing.T) {
	f := newPortfolioFixture(t)
	ctx := t.Context()
	for _, a := range []domain.Actor{f.analyst, f.viewer} {
		wantCode(t, f.svc.CreateInitiative(ctx, a, newInitiative("X")), domain.EFORBIDDEN, string(a.Role)+" creating an initiative")
		wantCode(t, f.svc.CreateScenario(ctx, a, &domain.Scenario{Name: "S", StartYear: 2026, EndYear: 2030}), domain.EFORBIDDEN, string(a.Role)+" creating a scenario")
		wantCode(t, f.svc.SavePortfolioSettings(ctx, a, &domain.PortfolioSettings{Currency: "SEK", Criteria: domain.DefaultCriteria()}), domain.EFORBIDDEN, string(a.Role)+" saving settings")
	}
	in := newInitiative("Platform")
	if err := f.svc.CreateInitiative(ctx, f.facilitator, in); err != nil {
		t.Fatal(err)
	}
	sc := &domain.Scenario{Name: "Baseline", StartYear: 2026, EndYear: 2030, Budget: domain.MoneyCaps{Default: 1000}}
	if err := f.svc.CreateScenario(ctx, f.owner, sc); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.TrackInitiative(ctx, f.analyst, service.InitiativeTracking{ID: in.ID, Revision: in.Revision, Status: domain.StatusApproved})
	wantCode(t, err, domain.EFORBIDDEN, "analyst tracking")
	wantCode(t, f.svc.DeleteInitiative(ctx, f.viewer, in.ID), domain.EFORBIDDEN, "viewer deleting")
	_, _, _, err = f.svc.OptimiseScenario(ctx, f.viewer, sc.ID, "en", portfolio.Options{})
	wantCode(t, err, domain.EFORBIDDEN, "viewer optimising")
	if _, _, _, err := f.svc.OptimiseScenario(ctx, f.analyst, sc.ID, "en", portfolio.Options{}); err != nil {
		t.Errorf("analyst optimising: %v", err)
	}
	for _, read := range []func() error{
		func() error { _, err := f.svc.Initiatives(ctx, f.viewer); return err },
		func() error { _, err := f.svc.Scenarios(ctx, f.viewer); return err },
		func() error { _, err := f.svc.Portfolio(ctx, f.viewer); return err },
	} {
		if err := read(); err != nil {
			t.Errorf("viewer reading: %v", err)
		}
	}
}

// Ensures the service reports every rule of an initiative with its field
// and exact message, checks trend and capability keys against the
// portfolio's library version, and refuses dependencies on another
// organisation's initiatives and cycles.
func TestInitiativeValidation(t *testing.T) {
	f := newPortfolioFixture(t)
	ctx := t.Context()
	in := newInitiative("Data platform")
	in.Trends = []domain.TrendLink{{TrendKey: storetest.TrendAI, Strength: 2}}
	wantProblems(t, f.svc.CreateInitiative(ctx, f.owner, in),
		domain.Problems{{Field: "trends", Message: "choose the portfolio's library version in the portfolio settings first"}}, "links without a version")
	withVersion(t, f)
	in.Areas = []string{storetest.AreaData}
	if err := f.svc.CreateInitiative(ctx, f.owner, in); err != nil {
		t.Fatal(err)
	}
	theirs := newInitiative("Theirs")
	if err := f.svc.CreateInitiative(ctx, f.other, theirs); err != nil {
		t.Fatal(err)
	}

	bad := newInitiative("Broken")
	bad.Trends = []domain.TrendLink{{TrendKey: "storms", Strength: 2}}
	bad.Areas = []string{"roads"}
	bad.EarliestStart, bad.LatestStart = 2030, 2028
	bad.DependsOn = []string{in.ID, theirs.ID}
	bad.Benefits = map[string]int{"people": 7}
	wantProblems(t, f.svc.CreateInitiative(ctx, f.owner, bad), domain.Problems{
		{Field: "trends[0].trend", Message: `"storms" is not a trend of the portfolio's library version`},
		{Field: "areas[0]", Message: `"roads" is not a capability area of the portfolio's library version`},
		{Field: "latest_start", Message: "must not be before the earliest start year"},
		{Field: "depends_on[1]", Message: "is not an initiative of this organisation"},
		{Field: "benefits.people", Message: "must be between 0 and 5"},
	}, "a broken initiative")

	next := newInitiative("Portal")
	next.DependsOn = []string{in.ID}
	if err := f.svc.CreateInitiative(ctx, f.owner, next); err != nil {
		t.Fatal(err)
	}
	in.DependsOn = []string{next.ID}
	wantProblems(t, f.svc.UpdateInitiative(ctx, f.owner, in),
		domain.Problems{{Field: "depends_on", Message: "makes a cycle: Data platform → Portal → Data platform"}}, "a cycle")
	in.DependsOn = nil
	wantCode(t, f.svc.CreateInitiative(ctx, f.owner, newInitiative("Portal")), domain.ECONFLICT, "a taken title")

	// Another organisation's initiative is not found, exactly as a missing one.
	_, ref := f.svc.Initiative(ctx, f.owner, "00000000-0000-7000-8000-000000000000")
	wantCode(t, ref, domain.ENOTFOUND, "a missing initiative")
	steal := *theirs
	for what, err := range map[string]error{
		"reading":  func() error { _, err := f.svc.Initiative(ctx, f.owner, theirs.ID); return err }(),
		"updating": f.svc.UpdateInitiative(ctx, f.owner, &steal),
		"tracking": func() error {
			_, err := f.svc.TrackInitiative(ctx, f.owner, service.InitiativeTracking{ID: theirs.ID, Revision: 1, Status: domain.StatusDone})
			return err
		}(),
		"deleting": f.svc.DeleteInitiative(ctx, f.owner, theirs.ID),
	} {
		if err == nil || err.Error() != ref.Error() {
			t.Errorf("%s another organisation's initiative: %v, want %v", what, err, ref)
		}
	}

	// A stale form.
	stale := *next
	next.Owner = "CDO"
	if err := f.svc.UpdateInitiative(ctx, f.owner, next); err != nil {
		t.Fatal(err)
	}
	stale.Owner = "Someone else"
	wantCode(t, f.svc.UpdateInitiative(ctx, f.owner, &stale), domain.ECONFLICT, "a stale update")

	got, err := f.svc.TrackInitiative(ctx, f.facilitator, service.InitiativeTracking{ID: next.ID, Revision: next.Revision,
		Status: domain.StatusInProgress, RAG: domain.RAGAmber, Milestones: []domain.Milestone{{Title: "Pilot", Due: "2027-03-31"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != domain.StatusInProgress || got.RAG != domain.RAGAmber || got.Owner != "CDO" || len(got.Milestones) != 1 {
		t.Errorf("after tracking: %+v", got)
	}
	_, err = f.svc.TrackInitiative(ctx, f.facilitator, service.InitiativeTracking{ID: next.ID, Revision: got.Revision, Status: "paused"})
	wantProblems(t, err, domain.Problems{{Field: "status", Message: "must be proposed, approved, in_progress, done or stopped"}}, "a bad status")
	actions := auditActions(t, f.db, f.org.ID)
	for _, want := range []string{"portfolio.settings", "initiative.create", "initiative.update", "initiative.track"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit log %v lacks %s", actions, want)
		}
	}
}

// Ensures a new library version (or none) must keep every trend and area
// initiatives link to, and that scores on a removed criterion stop showing
// and come back with it.
func TestPortfolioSettingsRules(t *testing.T) {
	f := newPortfolioFixture(t)
	ctx := t.Context()
	st := withVersion(t, f)
	in := newInitiative("Care robots")
	in.Trends = []domain.TrendLink{{TrendKey: storetest.TrendAgeing, Strength: 3}}
	in.Areas = []string{storetest.AreaLeadership}
	in.Benefits = map[string]int{"people": 4, "equality": 2}
	if err := f.svc.CreateInitiative(ctx, f.owner, in); err != nil {
		t.Fatal(err)
	}
	// A version without the trend and the area.
	c := storetest.RichContent()
	c.Trends = c.Trends[1:]
	c.CapabilityAreas = c.CapabilityAreas[:1]
	_, v2 := storetest.MustLibrary(t, f.db, f.org.ID, c)
	st.VersionID = v2.ID
	wantProblems(t, f.svc.SavePortfolioSettings(ctx, f.owner, st), domain.Problems{
		{Field: "version", Message: `the initiative "Care robots" links the trend "ageing-population", which this version does not have`},
		{Field: "version", Message: `the initiative "Care robots" builds the capability area "leadership", which this version does not have`},
	}, "a version without the links")
	st.VersionID = ""
	if err := f.svc.SavePortfolioSettings(ctx, f.owner, st); err == nil {
		t.Error("clearing the version while initiatives link to it was taken")
	}
	st.VersionID, st.Currency = f.otherVersion, "sek"
	wantProblems(t, f.svc.SavePortfolioSettings(ctx, f.owner, st),
		domain.Problems{{Field: "version", Message: "is not a library version of this organisation"}}, "another organisation's version")

	st.VersionID = f.version
	st.Criteria = slices.DeleteFunc(st.Criteria, func(c domain.BenefitCriterion) bool { return c.Key == "equality" })
	if err := f.svc.SavePortfolioSettings(ctx, f.owner, st); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.Initiative(ctx, f.viewer, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Benefits, map[string]int{"people": 4}) {
		t.Errorf("benefits with equality removed: %v", got.Benefits)
	}
	// Saving the initiative as read keeps working.
	if err := f.svc.UpdateInitiative(ctx, f.owner, got); err != nil {
		t.Errorf("saving an initiative as read: %v", err)
	}
	st.Criteria = append(st.Criteria, domain.BenefitCriterion{Key: "equality", Name: domain.T("Equality", "Jämlikhet"), Weight: 2})
	if err := f.svc.SavePortfolioSettings(ctx, f.owner, st); err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.Portfolio(ctx, f.viewer)
	if err != nil {
		t.Fatal(err)
	}
	if p.Settings.Currency != "SEK" || p.Version == nil || p.Version.ID != f.version {
		t.Errorf("settings: %+v", p.Settings)
	}
}

// Ensures scenarios are checked with exact fields and messages, that
// optimising stores a result computed from the current portfolio, that a
// change to an initiative makes it out of date, and that changing the
// scenario clears it.
func TestOptimiseScenario(t *testing.T) {
	f := newPortfolioFixture(t)
	ctx := t.Context()
	withVersion(t, f)
	ws := storetest.MustWorkshop(t, f.db, f.org.ID, "PORT0001")
	otherWS := storetest.MustWorkshop(t, f.db, f.other.OrgID, "PORT0002")
	var ins []*domain.Initiative
	for i, title := range []string{"A", "B", "C"} {
		in := newInitiative(title)
		in.Benefits = map[string]int{"people": 5 - i}
		in.Trends = []domain.TrendLink{{TrendKey: storetest.TrendAI, Strength: 3}}
		if err := f.svc.CreateInitiative(ctx, f.owner, in); err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in)
	}
	bad := &domain.Scenario{Name: "Bad", StartYear: 2026, EndYear: 2030, Budget: domain.MoneyCaps{Default: -1},
		ScaleByPriority: true, PriorityWorkshopID: otherWS.ID, Forced: map[string]domain.Force{"nope": domain.ForceIn}}
	wantProblems(t, f.svc.CreateScenario(ctx, f.owner, bad), domain.Problems{
		{Field: "budget.default", Message: "cannot be negative"},
		{Field: "forced.nope", Message: "is not an initiative of this organisation"},
		{Field: "priority_workshop", Message: "is not a workshop of this organisation"},
	}, "a bad scenario")

	// 400 + 100 in the first year of each: at most two start in one year.
	sc := &domain.Scenario{Name: "Baseline", StartYear: 2026, EndYear: 2030, Budget: domain.MoneyCaps{Default: 1000},
		FTE: &domain.FTECaps{Default: 300}, ScaleByPriority: true, PriorityWorkshopID: ws.ID}
	if err := f.svc.CreateScenario(ctx, f.owner, sc); err != nil {
		t.Fatal(err)
	}
	m, res, data, err := f.svc.OptimiseScenario(ctx, f.analyst, sc.ID, "sv", portfolio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != portfolio.Optimal || !res.HasPlan || len(m.Portfolio.Initiatives) != 3 || len(m.Excluded) != 0 {
		t.Fatalf("result %+v, model %+v", res, m)
	}
	var file struct {
		Format, Kind string
	}
	if err := json.Unmarshal(data, &file); err != nil || file.Format != portfolio.Format || file.Kind != "result" {
		t.Errorf("result file %s: %v", data, err)
	}
	got, err := f.svc.Scenario(ctx, f.viewer, sc.ID)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.Portfolio(ctx, f.viewer)
	if err != nil {
		t.Fatal(err)
	}
	if got.Result == nil || string(got.Result.Data) != string(data) || !got.ResultCurrent(p.Settings.Revision) {
		t.Fatalf("stored result %+v at portfolio revision %d", got.Result, p.Settings.Revision)
	}

	// Changing an initiative makes the result out of date; changing the
	// scenario clears it.
	ins[2].OneOffCost = 0
	if err := f.svc.UpdateInitiative(ctx, f.owner, ins[2]); err != nil {
		t.Fatal(err)
	}
	p, _ = f.svc.Portfolio(ctx, f.viewer)
	if got.ResultCurrent(p.Settings.Revision) {
		t.Error("the result is still current after an initiative changed")
	}
	got.Budget.Default = 800
	if err := f.svc.UpdateScenario(ctx, f.owner, got); err != nil {
		t.Fatal(err)
	}
	got, _ = f.svc.Scenario(ctx, f.viewer, sc.ID)
	if got.Result != nil {
		t.Error("changing the scenario kept its result")
	}
	wantCode(t, f.svc.SaveScenarioResult(ctx, f.owner, sc.ID, 1, data, p.Settings.Revision), domain.ECONFLICT, "a result of an old revision")
	if !slices.Contains(auditActions(t, f.db, f.org.ID), "scenario.optimise") {
		t.Error("optimising is not in the audit log")
	}
}

// Ensures a scenario's optimiser input leaves out what cannot be in any
// plan with the reason (done, stopped, outside the horizon, depending on
// those), drops dependencies on done initiatives, cuts start windows to the
// horizon, groups exclusive options ignoring case, and refuses forcing in
// one that is left out.
func TestBuildScenarioModel(t *testing.T) {
	st := &domain.PortfolioSettings{Currency: "SEK", Criteria: domain.DefaultCriteria(), Revision: 42}
	in := func(id, title string, mod func(*domain.Initiative)) domain.Initiative {
		x := domain.Initiative{ID: id, Title: title, Duration: 2, EarliestStart: 2024, LatestStart: 2040,
			Status: domain.StatusProposed, Benefits: map[string]int{"people": 3, "removed": 5},
			Trends: []domain.TrendLink{{TrendKey: "ai", Strength: 2}, {TrendKey: "other", Strength: 1}}}
		if mod != nil {
			mod(&x)
		}
		return x
	}
	ins := []domain.Initiative{
		in("done", "Done", func(x *domain.Initiative) { x.Status = domain.StatusDone }),
		in("stopped", "Stopped", func(x *domain.Initiative) { x.Status = domain.StatusStopped }),
		in("late", "Late", func(x *domain.Initiative) { x.EarliestStart, x.LatestStart = 2036, 2038 }),
		in("long", "Long", func(x *domain.Initiative) { x.Duration = 11 }),
		in("after-done", "After done", func(x *domain.Initiative) { x.DependsOn = []string{"done"}; x.ExclusiveGroup = "Platform" }),
		in("after-stopped", "After stopped", func(x *domain.Initiative) { x.DependsOn = []string{"stopped"} }),
		in("chain", "Chain", func(x *domain.Initiative) { x.DependsOn = []string{"after-stopped"} }),
		in("free", "Free", func(x *domain.Initiative) { x.ExclusiveGroup = "platform" }),
		in("alone", "Alone", func(x *domain.Initiative) { x.ExclusiveGroup = "Solo" }),
	}
	sc := &domain.Scenario{Name: "S", StartYear: 2026, EndYear: 2035, Budget: domain.MoneyCaps{Default: 100},
		Forced: map[string]domain.Force{"free": domain.ForceOut}}
	m, ps := service.BuildScenarioModel(st, ins, sc, nil, "en")
	if ps != nil {
		t.Fatal(ps)
	}
	wantEx := []service.Exclusion{
		{ID: "done", Title: "Done", Reason: "it is done"},
		{ID: "stopped", Title: "Stopped", Reason: "it is stopped"},
		{ID: "late", Title: "Late", Reason: "it cannot start and finish within the planning horizon 2026–2035"},
		{ID: "long", Title: "Long", Reason: "it cannot start and finish within the planning horizon 2026–2035"},
		{ID: "after-stopped", Title: "After stopped", Reason: `it depends on "Stopped", which cannot be in the plan`},
		{ID: "chain", Title: "Chain", Reason: `it depends on "After stopped", which cannot be in the plan`},
	}
	if !reflect.DeepEqual(m.Excluded, wantEx) {
		t.Errorf("excluded:\n got  %+v\n want %+v", m.Excluded, wantEx)
	}
	p := m.Portfolio
	if m.Revision != 42 || p.Currency != "SEK" || p.Horizon != (portfolio.Horizon{Start: 2026, End: 2035}) || len(p.Initiatives) != 3 {
		t.Fatalf("model %+v", p)
	}
	ad := p.Initiatives[0]
	if ad.Key != "after-done" || ad.DependsOn != nil || ad.EarliestStart != 2026 || ad.LatestStart != 2035 ||
		!reflect.DeepEqual(ad.Benefits, map[string]float64{"people": 3}) || ad.Trends != nil {
		t.Errorf("after-done: %+v", ad)
	}
	if p.Initiatives[1].Force != portfolio.ForcedOut || p.Trends != nil || p.TrendWeight != 0 {
		t.Errorf("free: %+v; trends %v", p.Initiatives[1], p.Trends)
	}
	if !reflect.DeepEqual(p.Groups, []portfolio.Group{{Key: "platform", Initiatives: []string{"after-done", "free"}}}) {
		t.Errorf("groups: %+v", p.Groups)
	}
	if ps := p.Validate(); len(ps) > 0 {
		t.Errorf("the model is not valid for the optimiser: %v", ps)
	}

	// Scaling by priority keeps links to the ranking's trends only.
	sc.ScaleByPriority, sc.TrendWeight = true, 0.5
	m, _ = service.BuildScenarioModel(st, ins, sc, []portfolio.Trend{{Key: "ai", Title: "AI", Priority: 80}}, "en")
	if m.Portfolio.TrendWeight != 0.5 || !reflect.DeepEqual(m.Portfolio.Initiatives[0].Trends, map[string]int{"ai": 2}) {
		t.Errorf("with priorities: %+v", m.Portfolio.Initiatives[0])
	}
	if ps := m.Portfolio.Validate(); len(ps) > 0 {
		t.Errorf("the model with priorities is not valid: %v", ps)
	}

	sc.Forced = map[string]domain.Force{"chain": domain.ForceIn, "done": domain.ForceIn}
	_, ps = service.BuildScenarioModel(st, ins, sc, nil, "en")
	want := domain.Problems{
		{Field: "forced.done", Message: `"Done" is forced in, but it is done`},
		{Field: "forced.chain", Message: `"Chain" is forced in, but it depends on "After stopped", which cannot be in the plan`},
	}
	if !reflect.DeepEqual(ps, want) {
		t.Errorf("forcing in left-out initiatives:\n got  %v\n want %v", ps, want)
	}
}

// Ensures the budget step of the marginal values is 5 % of the default cap
// rounded to two significant digits, and at least 1.
func TestBudgetStep(t *testing.T) {
	for cap, want := range map[int64]int64{1_600_000: 80_000, 1_280_000: 64_000, 2_345_678: 120_000, 1000: 50, 10: 1, 0: 1} {
		if got := service.BudgetStep(cap); got != want {
			t.Errorf("BudgetStep(%d) = %d, want %d", cap, got, want)
		}
	}
}
