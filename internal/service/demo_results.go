package service

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/waymark/waymark/internal/domain"
)

// The demo install's two finished workshops: last year's and this year's
// assessment of "Local public services 2035", so that the results page has
// something to show and the comparison of two workshops has a pair.
const (
	DemoLastYearTitle = "Trend workshop 2025: local public services 2035"
	DemoThisYearTitle = "Trend workshop 2026: local public services 2035"
)

// demoTrendProfile is how the demo's participants see a trend: the mean of
// each question's answers (horizon as 0 now … 3 beyond ten years) and, per
// group, a shift of the impact and readiness means.
type demoTrendProfile struct {
	impact, direction, horizon, certainty, readiness float64
	impactShift, readinessShift                      map[string]float64
}

// demoProfiles is this year's picture; last year's moves a few trends (see
// demoLastYear). The numbers are invented but plausible for a mid-sized
// council: care demand and workforce shortages bite now, AI is rising,
// autonomous systems are far off.
var demoProfiles = map[string]demoTrendProfile{
	"democracy-under-pressure":             {3.6, -1.0, 1.2, 2.6, 2.4, map[string]float64{"members": 0.9, "residents": -0.4}, nil},
	"social-contract-renegotiated":         {3.3, -0.3, 1.8, 2.2, 2.3, nil, nil},
	"opinion-economy":                      {3.0, -0.9, 1.1, 2.8, 2.2, map[string]float64{"members": 0.7}, nil},
	"more-pathways-to-knowledge":           {2.7, 0.9, 1.9, 3.0, 3.1, nil, nil},
	"ageing-population-care-demand":        {4.6, -0.8, 0.4, 4.5, 2.3, map[string]float64{"staff": 0.3}, map[string]float64{"managers": 0.8, "staff": -0.6}},
	"workforce-shortages":                  {4.4, -1.3, 0.5, 4.1, 1.9, map[string]float64{"staff": 0.5, "residents": -0.8}, map[string]float64{"managers": 0.9, "staff": -0.7}},
	"climate-adaptation":                   {4.0, -1.1, 1.3, 3.7, 2.2, map[string]float64{"residents": 0.6, "partners": 0.4}, nil},
	"widening-gaps":                        {3.8, -1.2, 1.4, 3.2, 2.1, map[string]float64{"residents": 0.8}, nil},
	"connected-places":                     {2.9, 1.2, 1.7, 3.1, 2.8, nil, nil},
	"supplier-lock-in-digital-sovereignty": {3.4, -0.9, 1.2, 2.7, 2.0, map[string]float64{"residents": -1.2, "members": -0.6}, map[string]float64{"managers": 0.7}},
	"proactive-services":                   {3.5, 1.6, 1.6, 3.0, 2.4, map[string]float64{"residents": 0.6}, nil},
	"digital-exclusion":                    {3.7, -1.0, 0.6, 3.9, 2.6, map[string]float64{"residents": 1.0, "managers": -0.7}, map[string]float64{"managers": 0.8, "residents": -0.9}},
	"ai-changes-working-life":              {4.3, 0.7, 1.0, 2.1, 1.8, map[string]float64{"members": -0.5, "staff": 0.4}, map[string]float64{"managers": 0.6}},
	"autonomous-systems":                   {2.2, 0.6, 2.6, 1.8, 1.5, nil, nil},
	"cyber-threats-critical-services":      {4.5, -1.7, 0.3, 3.8, 2.4, map[string]float64{"residents": -0.7}, map[string]float64{"managers": 1.0, "staff": -0.4}},
	"sensors-and-digital-twins":            {2.6, 1.3, 2.0, 2.5, 1.7, nil, nil},
}

// demoLastYear is how last year's workshop differed: impact and readiness
// deltas per trend (this year minus last year is the negative of these).
var demoLastYear = map[string][2]float64{
	"ai-changes-working-life":         {-1.1, 0.1},
	"cyber-threats-critical-services": {-0.5, -0.3},
	"digital-exclusion":               {0.4, -0.5},
	"climate-adaptation":              {-0.4, 0},
	"workforce-shortages":             {-0.3, 0.3},
	"democracy-under-pressure":        {-0.6, 0.2},
}

// demoGroupSizes are the finished workshops' participants per group.
var demoGroupSizes = []struct {
	group string
	n     int
}{{"members", 9}, {"managers", 10}, {"staff", 14}, {"residents", 8}, {"partners", 6}}

// demoTensions: where the demo's participants place each field of tension
// now and where they want to be (−100 … 100).
var demoTensions = map[string][2]float64{
	"national-steering-local-autonomy":       {-30, 15},
	"efficiency-personal-contact":            {-10, 20},
	"openness-security":                      {-20, 5},
	"own-organisation-whole-place":           {-55, 20},
	"short-term-budget-long-term-investment": {-60, 10},
}

// demoIdeas are consequences and ideas that participants wrote, per trend.
var demoIdeas = map[string][]string{
	"ageing-population-care-demand": {
		"Sensor-based night checks in home care, agreed with each resident and family.",
		"A shared care record between the council, the GP practices and the hospital trust.",
		"Plan day-care places for 2030 now: the number of over-85s doubles.",
	},
	"workforce-shortages": {
		"Automate routine case handling in benefits so staff can spend time with people.",
		"Grow our own: apprenticeships in care and IT with the college.",
		"One recruitment campaign for the whole place instead of competing with the trust.",
	},
	"cyber-threats-critical-services": {
		"Exercise a ransomware attack on social care systems with partners every year.",
		"Offline fallback routines for care, water and schools.",
		"Buy security monitoring together with the neighbouring councils.",
	},
	"ai-changes-working-life": {
		"Guidelines for generative AI at work, written with the unions.",
		"Pilot AI-assisted minute-taking in social work, evaluated with staff.",
		"Train every manager in what AI can and cannot do.",
	},
	"digital-exclusion": {
		"Keep a staffed phone line and front desk for every digital service.",
		"Digital helpers in libraries five days a week.",
		"Test every new service with residents who rarely use the internet.",
	},
	"climate-adaptation": {
		"Map flood risk to care homes and schools with the digital twin.",
		"Share weather warnings with the voluntary sector automatically.",
	},
	"supplier-lock-in-digital-sovereignty": {
		"Require open formats and data export in every new contract.",
		"Move to an open-source case management system with other councils.",
	},
	"proactive-services": {
		"Offer free school meals automatically when we already know a family qualifies.",
		"Remind residents before a permit or benefit runs out.",
	},
	"widening-gaps": {
		"Publish service outcomes by neighbourhood every year.",
	},
	"democracy-under-pressure": {
		"Support for councillors facing online harassment.",
		"Open data on decisions in plain language.",
	},
}

// demoDecisions are this year's facilitator decisions on the ranking.
var demoDecisions = []struct {
	trend  string
	kind   domain.PriorityKind
	reason string
}{
	{"cyber-threats-critical-services", domain.PriorityPin, "The board asked for cyber resilience to lead the 2027 budget round after this year's incidents at neighbouring councils."},
	{"autonomous-systems", domain.PriorityExclude, "Outside the council's remit until national rules for autonomous vehicles are in place; reviewed again next year."},
}

// demoFinishedWorkshops makes the demo's two finished workshops when they
// do not exist yet: each is joined by 47 simulated participants who rate
// every trend, place the fields of tension, write ideas, upvote and place
// their dots, all through the same service calls as real participants.
func (s *Service) demoFinishedWorkshops(ctx context.Context, owner domain.Actor, lib *domain.Library, v *domain.Version) error {
	existing, err := s.store.Workshops(ctx, owner.OrgID)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, e := range existing {
		have[e.Title] = true
	}
	for i, title := range []string{DemoLastYearTitle, DemoThisYearTitle} {
		if have[title] {
			continue
		}
		if err := s.demoFinishedWorkshop(ctx, owner, lib, v, title, i == 0); err != nil {
			return fmt.Errorf("demo: %s: %w", title, err)
		}
	}
	return nil
}

func (s *Service) demoFinishedWorkshop(ctx context.Context, owner domain.Actor, lib *domain.Library, v *domain.Version, title string, lastYear bool) error {
	w := NewWorkshop(owner, lib, v, "en")
	w.Title = title
	w.Purpose = "Assess the trends that will shape our services to 2035 with members, managers, staff, residents and partners, and agree what to prioritise in the digital and technology plan."
	if err := s.CreateWorkshop(ctx, owner, w); err != nil {
		return err
	}
	seed := uint64(2026)
	if lastYear {
		seed = 2025
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	var err error
	if w, err = s.SetPhase(ctx, owner, w.ID, domain.PhaseLobby); err != nil {
		return err
	}
	type joined struct {
		p     *domain.Participant
		group string
	}
	var people []joined
	for _, g := range demoGroupSizes {
		n := g.n
		if lastYear {
			n -= 2 // a smaller round last year
		}
		for range n {
			_, _, p, err := s.Join(ctx, w.Code, g.group, "")
			if err != nil {
				return err
			}
			people = append(people, joined{p, g.group})
		}
	}

	if w, err = s.SetPhase(ctx, owner, w.ID, domain.PhaseRating); err != nil {
		return err
	}
	for _, pp := range people {
		var in []AnswerInput
		for _, key := range w.TrendKeys {
			pr, ok := demoProfiles[key]
			if !ok {
				pr = demoTrendProfile{3, 0, 1.5, 3, 3, nil, nil}
			}
			impact, readiness := pr.impact+pr.impactShift[pp.group], pr.readiness+pr.readinessShift[pp.group]
			if lastYear {
				d := demoLastYear[key]
				impact, readiness = impact+d[0], readiness+d[1]
			}
			for _, q := range w.Questions {
				mean, sd, dk := 3.0, 0.9, 0.03
				switch q.Key {
				case domain.QImpact:
					mean = impact
				case domain.QDirection:
					mean = pr.direction
				case domain.QHorizon:
					mean, sd = pr.horizon, 0.7
				case domain.QCertainty:
					mean, dk = pr.certainty, 0.08
				case domain.QReadiness:
					mean, dk = readiness, 0.10
				}
				a := AnswerInput{Trend: key, Question: q.Key}
				if rng.Float64() >= dk {
					x := int(math.Round(mean + rng.NormFloat64()*sd))
					x = max(q.Min, min(q.Max, x))
					a.Value = &x
				}
				in = append(in, a)
			}
		}
		if err := s.SubmitAnswers(ctx, w, pp.p, in); err != nil {
			return err
		}
	}

	if w, err = s.SetPhase(ctx, owner, w.ID, domain.PhaseTensions); err != nil {
		return err
	}
	for _, pp := range people {
		for _, key := range w.Tensions {
			m := demoTensions[key]
			now := clampTension(m[0] + rng.NormFloat64()*25)
			want := clampTension(m[1] + rng.NormFloat64()*20)
			if err := s.SaveTension(ctx, w, pp.p, key, now, want); err != nil {
				return err
			}
		}
	}

	if w, err = s.SetPhase(ctx, owner, w.ID, domain.PhaseConsequences); err != nil {
		return err
	}
	var ideas []*domain.Idea
	author := 0
	for _, key := range w.TrendKeys {
		for _, text := range demoIdeas[key] {
			idea, err := s.AddIdea(ctx, w, people[author%len(people)].p, key, text)
			if err != nil {
				return err
			}
			author += 7
			ideas = append(ideas, idea)
		}
	}
	// Each participant upvotes two or three ideas, popular ones more often.
	for _, pp := range people {
		for range 2 + rng.IntN(2) {
			i := min(len(ideas)-1, int(math.Abs(rng.NormFloat64())*float64(len(ideas))/2.5))
			if err := s.Upvote(ctx, w, pp.p, ideas[(i*5)%len(ideas)].ID, true); err != nil {
				return err
			}
		}
	}

	if w, err = s.SetPhase(ctx, owner, w.ID, domain.PhaseVoting); err != nil {
		return err
	}
	for _, pp := range people {
		dots := map[string]int{}
		for range w.Dots {
			i := min(len(ideas)-1, int(math.Abs(rng.NormFloat64())*float64(len(ideas))/3))
			dots[ideas[(i*3)%len(ideas)].ID]++
		}
		if err := s.SetDots(ctx, w, pp.p, dots); err != nil {
			return err
		}
	}

	if !lastYear {
		for _, d := range demoDecisions {
			if w.HasTrend(d.trend) {
				if err := s.DecidePriority(ctx, owner, w.ID, d.trend, d.kind, d.reason); err != nil {
					return err
				}
			}
		}
	}
	_, err = s.SetPhase(ctx, owner, w.ID, domain.PhaseClosed)
	return err
}

func clampTension(x float64) int {
	return max(domain.TensionMin, min(domain.TensionMax, int(math.Round(x))))
}
