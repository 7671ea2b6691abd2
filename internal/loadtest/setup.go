package loadtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
	"github.com/waymark/waymark/internal/service"
)

// WorkshopSpec shapes the workshop a load test runs against.
type WorkshopSpec struct {
	// Trends is the number of trends (1 … domain.MaxWorkshopTrends).
	Trends int
	// Questions is the number of rating questions (1 … domain.MaxQuestions):
	// the default questions first, then generated ones on a 1–5 scale.
	// Ignored when QuestionSet is given.
	Questions int
	// QuestionSet, when not empty, is used as the workshop's questions.
	QuestionSet []domain.Question
	// Phase is where the workshop is left: rating by default.
	Phase domain.Phase
	// HideResults leaves the results hidden from participants; by default
	// they are shown, so that aggregate "progress" events reach
	// participants' streams.
	HideResults bool
}

// Fixture is what Setup made.
type Fixture struct {
	Org         *domain.Organisation
	Facilitator domain.Actor
	Workshop    *domain.Workshop
}

// Setup creates, through the service, an organisation with a unique slug,
// a facilitator, a published library of spec.Trends generated trends and a
// workshop on it with spec's questions and the default groups, moved
// through the lobby to the rating phase (or spec.Phase) with the results
// shown to participants.
func Setup(ctx context.Context, svc *service.Service, spec WorkshopSpec) (*Fixture, error) {
	if spec.Trends < 1 || spec.Trends > domain.MaxWorkshopTrends {
		return nil, fmt.Errorf("loadtest: %d trends; give 1 to %d", spec.Trends, domain.MaxWorkshopTrends)
	}
	questions := spec.QuestionSet
	if len(questions) == 0 {
		if spec.Questions < 1 || spec.Questions > domain.MaxQuestions {
			return nil, fmt.Errorf("loadtest: %d questions; give 1 to %d", spec.Questions, domain.MaxQuestions)
		}
		questions = Questions(spec.Questions)
	}
	if spec.Phase == "" {
		spec.Phase = domain.PhaseRating
	}
	var b [4]byte
	rand.Read(b[:])
	suffix := hex.EncodeToString(b[:])
	org := &domain.Organisation{Slug: "loadtest-" + suffix, Name: "Load test " + suffix, Type: domain.Municipality, Country: "GB", SizeBand: domain.SizeMedium}
	if err := svc.CreateOrg(ctx, org); err != nil {
		return nil, fmt.Errorf("loadtest: create organisation: %w", err)
	}
	u, err := svc.CreateUser(ctx, service.NewUser{Email: "facilitator-" + suffix + "@loadtest.example", DisplayName: "Load test facilitator",
		Password: service.GeneratePassword()})
	if err != nil {
		return nil, fmt.Errorf("loadtest: create facilitator: %w", err)
	}
	if err := svc.SetMember(ctx, domain.System(org.ID), u.ID, domain.Facilitator); err != nil {
		return nil, fmt.Errorf("loadtest: add facilitator: %w", err)
	}
	fac := domain.Actor{UserID: u.ID, OrgID: org.ID, Role: domain.Facilitator}
	data, err := library.Marshal(Content(spec.Trends), library.FormatJSON)
	if err != nil {
		return nil, err
	}
	lib, vi, err := svc.Import(ctx, fac, "loadtest.json", data, library.FormatJSON, library.ParseOptions{})
	if err != nil {
		return nil, fmt.Errorf("loadtest: import library: %w", err)
	}
	v, err := svc.Version(ctx, fac, vi.ID)
	if err != nil {
		return nil, err
	}
	w := service.NewWorkshop(fac, lib, v, "en")
	w.Title, w.Purpose = "Load test", "Measure answers, live updates and durability"
	w.Questions = questions
	w.Tensions = nil
	if err := svc.CreateWorkshop(ctx, fac, w); err != nil {
		return nil, fmt.Errorf("loadtest: create workshop: %w", err)
	}
	for _, p := range domain.Phases[domain.PhaseLobby.Index() : spec.Phase.Index()+1] {
		if w, err = svc.SetPhase(ctx, fac, w.ID, p); err != nil {
			return nil, fmt.Errorf("loadtest: move workshop to %s: %w", p, err)
		}
	}
	if !spec.HideResults {
		if w, err = svc.SetShowResults(ctx, fac, w.ID, true); err != nil {
			return nil, fmt.Errorf("loadtest: show results: %w", err)
		}
	}
	return &Fixture{Org: org, Facilitator: fac, Workshop: w}, nil
}

// Questions returns n rating questions: the default ones first, then
// generated ones on a 1–5 scale.
func Questions(n int) []domain.Question {
	qs := domain.DefaultQuestions()
	if n <= len(qs) {
		return qs[:n]
	}
	for i := len(qs); i < n; i++ {
		qs = append(qs, domain.Question{Key: fmt.Sprintf("extra-%d", i+1),
			Label: domain.T(fmt.Sprintf("Extra question %d", i+1), fmt.Sprintf("Extra fråga %d", i+1)), Min: 1, Max: 5})
	}
	return qs
}

// Content returns a small valid library of n trends.
func Content(n int) *domain.Content {
	c := &domain.Content{
		Name:        domain.T("Load test trends", "Lasttesttrender"),
		Description: domain.T("Generated trends for load tests.", "Genererade trender för lasttester."),
		Attribution: domain.Attribution{SourceOrganisation: "Waymark", URL: "https://example.org/waymark", Licence: "CC BY 4.0"},
		Horizons:    domain.DefaultHorizons(),
	}
	for i := range 3 {
		c.DrivingForces = append(c.DrivingForces, domain.DrivingForce{Key: fmt.Sprintf("force-%d", i),
			Name: domain.T(fmt.Sprintf("Force %d", i), fmt.Sprintf("Kraft %d", i))})
	}
	for i := range n {
		c.Trends = append(c.Trends, domain.Trend{
			Key:           TrendKey(i),
			Title:         domain.T(fmt.Sprintf("Trend %d", i+1), fmt.Sprintf("Trend %d", i+1)),
			Summary:       domain.T("A generated trend.", "En genererad trend."),
			Category:      domain.Categories[i%len(domain.Categories)],
			DrivingForces: []string{fmt.Sprintf("force-%d", i%3)},
			Horizon:       c.Horizons[i%len(c.Horizons)].Key,
		})
	}
	return c
}

// TrendKey is the key of generated trend i.
func TrendKey(i int) string { return fmt.Sprintf("trend-%03d", i) }
