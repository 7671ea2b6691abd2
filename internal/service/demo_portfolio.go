package service

import (
	"context"
	"fmt"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/portfolio"
)

// The demo's portfolio: a capability assessment by three assessors, 27
// initiatives linked to the trends and capability areas of "Local public
// services 2035", and three scenarios over 2026–2035, two of them
// optimised, so that every portfolio page has something to show.
const (
	DemoRoundTitle      = "Digital maturity 2026"
	DemoBaselineName    = "Baseline"
	DemoBudgetCutName   = "Budget −20 %"
	DemoExtraStaffName  = "Extra staff"
	demoStartYear       = 2026
	demoEndYear         = 2035
	demoBaselineBudget  = 1_600_000
	demoBaselineFTEx100 = 1200
)

// demoAssessors are the demo's capability assessors besides its owner; they
// get random passwords nobody knows (they only hold answers).
var demoAssessors = []struct{ email, name string }{
	{"cio@example.org", "Chief information officer"},
	{"head.of.care@example.org", "Head of adult care"},
}

// demoMaturity is each assessor's current and target maturity per area.
var demoMaturity = [][]struct {
	area            string
	current, target int
	evidence        string
}{
	{ // the owner
		{"place-based-leadership", 2, 4, "Digital is planned organisation by organisation; the place board has no digital item."},
		{"digital-skills-and-capability", 2, 4, "Skills plans exist for IT staff only."},
		{"community-resilience", 3, 4, "Continuity plans for care and schools, not tested together."},
		{"innovation", 2, 3, "Pilots happen but rarely scale."},
		{"data-sharing-standards", 1, 4, "No shared data standards with health."},
	},
	{ // the CIO
		{"place-based-leadership", 2, 4, ""},
		{"digital-skills-and-capability", 3, 4, "Managers' training started in 2025."},
		{"community-resilience", 2, 4, "The ransomware exercise showed gaps in offline routines."},
		{"innovation", 3, 4, ""},
		{"data-sharing-standards", 2, 5, "Case data is locked in three supplier systems."},
	},
	{ // the head of adult care
		{"place-based-leadership", 1, 3, "Care and the hospital trust plan separately."},
		{"digital-skills-and-capability", 2, 3, "Care staff lack time for training."},
		{"community-resilience", 3, 4, ""},
		{"innovation", 2, 4, "Sensor trials were popular with families."},
		{"data-sharing-standards", 1, 4, "No shared care record."},
	},
}

// demoInitiative is one initiative of the demo's portfolio; dependencies
// name other initiatives by title.
type demoInitiative struct {
	title, description, owner  string
	trends                     map[string]int
	areas                      []string
	oneOff, recurring          int64
	fteX100                    int64
	duration, earliest, latest int
	dependsOn                  []string
	group                      string
	benefits                   [5]int // people, financial, risk reduction, resilience, equality
	risk                       domain.Risk
	status                     domain.InitiativeStatus
}

var demoInitiatives = []demoInitiative{
	{"Shared care record with the hospital trust", "One record of care and support that the council's care staff, the GP practices and the hospital can all read, with the resident's consent.", "Head of adult care",
		map[string]int{"ageing-population-care-demand": 3, "workforce-shortages": 1}, []string{"data-sharing-standards", "place-based-leadership"},
		450_000, 60_000, 200, 2, 2026, 2029, nil, "", [5]int{5, 2, 3, 3, 3}, domain.RiskMedium, domain.StatusApproved},
	{"Sensor-supported home care", "Opt-in night-time sensors in home care, agreed with each resident and family, so that visits go where they are needed.", "Head of adult care",
		map[string]int{"ageing-population-care-demand": 3, "workforce-shortages": 2, "sensors-and-digital-twins": 2}, []string{"innovation"},
		300_000, 80_000, 150, 2, 2026, 2030, nil, "", [5]int{4, 3, 2, 2, 2}, domain.RiskMedium, domain.StatusProposed},
	{"Security operations centre shared with neighbouring councils", "Round-the-clock security monitoring run together with three neighbouring councils.", "Chief information officer",
		map[string]int{"cyber-threats-critical-services": 3}, []string{"community-resilience"},
		250_000, 180_000, 100, 1, 2026, 2028, nil, "Security monitoring", [5]int{2, 1, 5, 5, 1}, domain.RiskLow, domain.StatusProposed},
	{"Managed security monitoring service", "Buy security monitoring as a service instead of running it with partners.", "Chief information officer",
		map[string]int{"cyber-threats-critical-services": 3}, []string{"community-resilience"},
		60_000, 240_000, 30, 1, 2026, 2028, nil, "Security monitoring", [5]int{2, 1, 4, 4, 1}, domain.RiskLow, domain.StatusProposed},
	{"Offline fallback routines for critical services", "Paper and offline routines for care, schools and water, exercised every year.", "Emergency planning",
		map[string]int{"cyber-threats-critical-services": 2, "climate-adaptation": 1}, []string{"community-resilience"},
		80_000, 10_000, 80, 1, 2026, 2029, nil, "", [5]int{3, 1, 4, 5, 2}, domain.RiskLow, domain.StatusApproved},
	{"Cyber exercise programme with partners", "A yearly ransomware exercise with the hospital trust, the police and the water company.", "Emergency planning",
		map[string]int{"cyber-threats-critical-services": 2}, []string{"place-based-leadership", "community-resilience"},
		40_000, 25_000, 30, 1, 2026, 2030, nil, "", [5]int{2, 1, 4, 4, 1}, domain.RiskLow, domain.StatusProposed},
	{"Data platform and shared data standards", "A data platform for the council's services with standards agreed with health and the police.", "Chief information officer",
		map[string]int{"proactive-services": 2, "widening-gaps": 1, "connected-places": 2}, []string{"data-sharing-standards", "innovation"},
		600_000, 120_000, 300, 2, 2026, 2028, nil, "", [5]int{3, 3, 2, 2, 2}, domain.RiskMedium, domain.StatusApproved},
	{"Proactive free school meals and benefits", "Offer free school meals and benefits automatically when the council already knows a family qualifies.", "Revenues and benefits",
		map[string]int{"proactive-services": 3, "widening-gaps": 3}, []string{"data-sharing-standards"},
		120_000, 20_000, 80, 1, 2027, 2031, []string{"Data platform and shared data standards"}, "", [5]int{5, 2, 1, 2, 5}, domain.RiskLow, domain.StatusProposed},
	{"Reminders before permits and benefits run out", "Remind residents by text or letter before a permit or a benefit runs out.", "Customer services",
		map[string]int{"proactive-services": 2}, nil,
		60_000, 15_000, 40, 1, 2027, 2032, []string{"Data platform and shared data standards"}, "", [5]int{3, 2, 1, 1, 3}, domain.RiskLow, domain.StatusProposed},
	{"Guidelines for AI at work, written with the unions", "Rules for generative AI at work that staff and managers agree on.", "Head of HR",
		map[string]int{"ai-changes-working-life": 3, "workforce-shortages": 1}, []string{"digital-skills-and-capability", "place-based-leadership"},
		30_000, 5_000, 30, 1, 2026, 2027, nil, "", [5]int{2, 1, 3, 2, 2}, domain.RiskLow, domain.StatusApproved},
	{"AI-assisted minute-taking in social work", "A pilot of AI-assisted notes in social work, evaluated with staff and residents.", "Head of children's services",
		map[string]int{"ai-changes-working-life": 3, "workforce-shortages": 2}, []string{"innovation"},
		90_000, 40_000, 60, 1, 2026, 2029, []string{"Guidelines for AI at work, written with the unions"}, "", [5]int{3, 3, 1, 1, 1}, domain.RiskMedium, domain.StatusProposed},
	{"AI case handling in benefits at scale", "Routine benefit cases handled with AI support, so that staff spend their time with people.", "Revenues and benefits",
		map[string]int{"ai-changes-working-life": 3, "workforce-shortages": 3}, []string{"innovation", "data-sharing-standards"},
		700_000, 150_000, 250, 2, 2028, 2032, []string{"AI-assisted minute-taking in social work", "Data platform and shared data standards"}, "", [5]int{3, 5, 1, 2, 2}, domain.RiskHigh, domain.StatusProposed},
	{"Digital skills for every manager", "What data and AI can and cannot do, for every manager, in two years.", "Head of HR",
		map[string]int{"ai-changes-working-life": 2, "workforce-shortages": 1}, []string{"digital-skills-and-capability"},
		150_000, 40_000, 100, 2, 2026, 2030, nil, "", [5]int{2, 2, 2, 3, 1}, domain.RiskLow, domain.StatusProposed},
	{"Apprenticeships in care technology and IT", "Grow our own staff with the college: apprenticeships in care technology and IT.", "Head of HR",
		map[string]int{"workforce-shortages": 3, "more-pathways-to-knowledge": 2}, []string{"digital-skills-and-capability"},
		100_000, 90_000, 100, 3, 2026, 2031, nil, "", [5]int{3, 2, 1, 3, 3}, domain.RiskLow, domain.StatusProposed},
	{"Digital helpers in libraries", "Staff in every library who help residents with digital services, five days a week.", "Libraries",
		map[string]int{"digital-exclusion": 3, "widening-gaps": 2}, []string{"community-resilience"},
		40_000, 110_000, 200, 1, 2026, 2030, nil, "", [5]int{5, 1, 1, 2, 5}, domain.RiskLow, domain.StatusInProgress},
	{"Assisted-digital standard for every new service", "Test every new service with residents who rarely use the internet, and keep a staffed alternative.", "Customer services",
		map[string]int{"digital-exclusion": 3}, []string{"place-based-leadership", "innovation"},
		30_000, 10_000, 50, 1, 2026, 2028, nil, "", [5]int{4, 1, 2, 1, 5}, domain.RiskLow, domain.StatusProposed},
	{"Open-source case management with other councils", "Move to an open-source case management system developed together with other councils.", "Chief information officer",
		map[string]int{"supplier-lock-in-digital-sovereignty": 3}, []string{"innovation", "data-sharing-standards"},
		800_000, 70_000, 300, 3, 2027, 2031, nil, "Case management", [5]int{2, 4, 3, 3, 1}, domain.RiskHigh, domain.StatusProposed},
	{"Renew the case management contract", "Renew the current supplier's contract for five more years.", "Procurement",
		map[string]int{"supplier-lock-in-digital-sovereignty": 1}, nil,
		200_000, 260_000, 100, 1, 2026, 2028, nil, "Case management", [5]int{1, 2, 2, 1, 1}, domain.RiskLow, domain.StatusProposed},
	{"Open formats and data export in every contract", "Require open formats and full data export in every new IT contract.", "Procurement",
		map[string]int{"supplier-lock-in-digital-sovereignty": 3}, []string{"data-sharing-standards"},
		20_000, 5_000, 20, 1, 2026, 2027, nil, "", [5]int{1, 2, 4, 3, 1}, domain.RiskLow, domain.StatusApproved},
	{"Flood-risk digital twin for care homes and schools", "A digital twin of flood risk that shows which care homes and schools to protect first.", "Emergency planning",
		map[string]int{"climate-adaptation": 3, "sensors-and-digital-twins": 3}, []string{"community-resilience", "innovation"},
		350_000, 60_000, 150, 2, 2027, 2032, []string{"Data platform and shared data standards"}, "", [5]int{3, 1, 5, 5, 2}, domain.RiskMedium, domain.StatusProposed},
	{"Weather warnings shared with the voluntary sector", "Send weather warnings automatically to voluntary groups that check on vulnerable residents.", "Emergency planning",
		map[string]int{"climate-adaptation": 2}, []string{"community-resilience", "place-based-leadership"},
		50_000, 10_000, 30, 1, 2026, 2030, nil, "", [5]int{3, 1, 3, 4, 3}, domain.RiskLow, domain.StatusProposed},
	{"Connected-places sensor network", "Sensors for air quality, traffic and building use, shared with partners as open data.", "Place and economy",
		map[string]int{"connected-places": 3, "sensors-and-digital-twins": 2}, []string{"innovation"},
		500_000, 90_000, 150, 2, 2028, 2033, []string{"Data platform and shared data standards"}, "", [5]int{2, 2, 2, 3, 1}, domain.RiskHigh, domain.StatusProposed},
	{"Open decisions in plain language", "Publish every decision with a plain-language summary and its data.", "Democratic services",
		map[string]int{"democracy-under-pressure": 3, "opinion-economy": 2}, []string{"place-based-leadership"},
		60_000, 20_000, 50, 1, 2026, 2030, nil, "", [5]int{3, 1, 2, 2, 3}, domain.RiskLow, domain.StatusProposed},
	{"Online safety support for councillors", "Advice, monitoring and support for councillors facing harassment online.", "Democratic services",
		map[string]int{"democracy-under-pressure": 3}, []string{"community-resilience"},
		30_000, 25_000, 30, 1, 2026, 2027, nil, "", [5]int{2, 1, 3, 2, 2}, domain.RiskLow, domain.StatusInProgress},
	{"Resident panel for digital services", "A standing panel of residents who test and shape the council's digital services.", "Customer services",
		map[string]int{"social-contract-renegotiated": 2, "proactive-services": 1}, []string{"place-based-leadership"},
		40_000, 30_000, 50, 1, 2026, 2031, nil, "", [5]int{3, 1, 1, 2, 4}, domain.RiskLow, domain.StatusProposed},
	{"Move the data centre to a shared public-sector cloud", "Close the council's own data centre and move to a cloud run by public bodies.", "Chief information officer",
		map[string]int{"supplier-lock-in-digital-sovereignty": 2, "cyber-threats-critical-services": 1}, []string{"innovation"},
		900_000, 150_000, 200, 2, 2027, 2031, nil, "", [5]int{1, 4, 2, 3, 1}, domain.RiskHigh, domain.StatusProposed},
	{"Autonomous bus trial", "A trial of a small autonomous bus between the rural villages and the hospital.", "Place and economy",
		map[string]int{"autonomous-systems": 3}, []string{"innovation"},
		400_000, 100_000, 100, 2, 2029, 2035, nil, "", [5]int{2, 1, 1, 1, 2}, domain.RiskHigh, domain.StatusProposed},
}

// demoPortfolio sets up the demo's portfolio when the organisation has no
// initiatives yet: settings on the library version lib v, the capability
// assessment, the initiatives, and three scenarios (baseline and budget
// cut optimised), with value scaled by the priorities of priorityWorkshop.
func (s *Service) demoPortfolio(ctx context.Context, owner domain.Actor, org *domain.Organisation, lib *domain.Library, v *domain.Version, priorityWorkshop string) error {
	existing, err := s.store.Initiatives(ctx, owner.OrgID)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return nil
	}
	st := &domain.PortfolioSettings{OrgID: owner.OrgID, Currency: domain.DefaultCurrency(org.Country), LibraryID: lib.ID, VersionID: v.ID,
		Criteria: domain.DefaultCriteria()}
	for i, w := range []float64{3, 2, 2, 2, 1} {
		st.Criteria[i].Weight = w
	}
	if err := s.SavePortfolioSettings(ctx, owner, st); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	if err := s.demoAssessment(ctx, owner, lib, v); err != nil {
		return fmt.Errorf("assessment: %w", err)
	}
	// A demo installed by an earlier release has the library without
	// capability areas: the initiatives then build none.
	hasArea := map[string]bool{}
	for _, a := range v.CapabilityAreas {
		hasArea[a.Key] = true
	}
	ids := map[string]string{}
	for _, d := range demoInitiatives {
		var areas []string
		for _, a := range d.areas {
			if hasArea[a] {
				areas = append(areas, a)
			}
		}
		in := &domain.Initiative{OrgID: owner.OrgID, Title: d.title, Description: d.description, Owner: d.owner, Areas: areas,
			OneOffCost: d.oneOff, RecurringCost: d.recurring, FTE: domain.FTE(d.fteX100), Duration: d.duration,
			EarliestStart: d.earliest, LatestStart: d.latest, ExclusiveGroup: d.group, Risk: d.risk, Status: d.status,
			Benefits: map[string]int{}}
		for _, t := range v.Trends { // in the library's order
			if n := d.trends[t.Key]; n > 0 {
				in.Trends = append(in.Trends, domain.TrendLink{TrendKey: t.Key, Strength: n})
			}
		}
		for i, c := range st.Criteria {
			in.Benefits[c.Key] = d.benefits[i]
		}
		for _, dep := range d.dependsOn {
			in.DependsOn = append(in.DependsOn, ids[dep])
		}
		if d.status == domain.StatusInProgress || d.status == domain.StatusApproved {
			in.Milestones = []domain.Milestone{
				{Title: "Business case agreed", Due: fmt.Sprintf("%d-03-31", d.earliest), Done: d.status == domain.StatusInProgress},
				{Title: "First service live", Due: fmt.Sprintf("%d-12-15", d.earliest)},
			}
		}
		if d.status == domain.StatusInProgress {
			in.RAG = domain.RAGAmber
		}
		if err := s.CreateInitiative(ctx, owner, in); err != nil {
			return fmt.Errorf("initiative %q: %w", d.title, err)
		}
		ids[d.title] = in.ID
	}

	base := domain.Scenario{OrgID: owner.OrgID, StartYear: demoStartYear, EndYear: demoEndYear,
		Budget: domain.MoneyCaps{Default: demoBaselineBudget}, FTE: &domain.FTECaps{Default: demoBaselineFTEx100},
		ScaleByPriority: priorityWorkshop != "", PriorityWorkshopID: priorityWorkshop, TrendWeight: 1}
	scenarios := []domain.Scenario{base, base, base}
	scenarios[0].Name, scenarios[0].Description = DemoBaselineName, "This year's budget for digital change and the staff we have, held flat to 2035."
	scenarios[1].Name, scenarios[1].Description = DemoBudgetCutName, "The medium-term financial plan's lower case: a fifth less money each year."
	scenarios[1].Budget.Default = demoBaselineBudget * 8 / 10
	scenarios[2].Name, scenarios[2].Description = DemoExtraStaffName, "The baseline budget with four more posts from 2027."
	scenarios[2].FTE = &domain.FTECaps{Default: demoBaselineFTEx100 + 400, Years: map[int]domain.FTE{demoStartYear: demoBaselineFTEx100}}
	for i := range scenarios {
		sc := &scenarios[i]
		if err := s.CreateScenario(ctx, owner, sc); err != nil {
			return fmt.Errorf("scenario %q: %w", sc.Name, err)
		}
		if i < 2 {
			if _, _, _, err := s.OptimiseScenario(ctx, owner, sc.ID, "en", portfolio.Options{}); err != nil {
				return fmt.Errorf("optimise %q: %w", sc.Name, err)
			}
		}
	}
	return nil
}

// demoAssessment makes the demo's capability assessment round with the
// owner's and two assessors' answers; its demand links are the library's.
func (s *Service) demoAssessment(ctx context.Context, owner domain.Actor, lib *domain.Library, v *domain.Version) error {
	if len(v.CapabilityAreas) == 0 {
		return nil
	}
	rounds, err := s.store.AssessmentRounds(ctx, owner.OrgID)
	if err != nil || len(rounds) > 0 {
		return err
	}
	r := &domain.AssessmentRound{OrgID: owner.OrgID, Title: DemoRoundTitle, LibraryID: lib.ID, VersionID: v.ID,
		Description: "The management team, the CIO and the head of adult care rate where we are and where we need to be by 2030."}
	// The round starts with the starter library's demand links.
	if err := s.CreateAssessmentRound(ctx, owner, r, ""); err != nil {
		return err
	}
	actors := []domain.Actor{owner}
	for _, p := range demoAssessors {
		u, err := s.store.UserByEmail(ctx, p.email)
		if domain.IsNotFound(err) {
			u, err = s.CreateUser(ctx, NewUser{Email: p.email, DisplayName: p.name, Password: GeneratePassword()})
		}
		if err != nil {
			return err
		}
		if err := s.store.SetMembership(ctx, &domain.Membership{OrgID: owner.OrgID, UserID: u.ID, Role: domain.Analyst}); err != nil {
			return err
		}
		actors = append(actors, domain.Actor{OrgID: owner.OrgID, UserID: u.ID, Role: domain.Analyst})
	}
	for i, a := range actors {
		var as []domain.Assessment
		for _, m := range demoMaturity[i] {
			as = append(as, domain.Assessment{AreaKey: m.area, Current: m.current, Target: m.target, Evidence: m.evidence})
		}
		if err := s.SaveMyAssessments(ctx, a, r.ID, as); err != nil {
			return err
		}
	}
	return nil
}
