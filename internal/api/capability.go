package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

// Capability assessment: rounds over the capability areas of a published
// library version, each member's own answers, the demand links from trends
// to areas, and the resulting profile and readiness gaps
// (docs/method.md, "Capability assessment and readiness gaps").

const tagCapabilities = "Capabilities"

// capabilityBodyLimit bounds the bodies of the capability operations: a
// large library's demand links fit (every trend with every area).
const capabilityBodyLimit = 1 << 20

// AssessmentRound is a capability assessment round.
type AssessmentRound struct {
	ID          string    `json:"id" doc:"The round's id."`
	Title       string    `json:"title" doc:"The round's title." example:"Capability assessment 2026"`
	Description string    `json:"description" doc:"What the round is for."`
	LibraryID   string    `json:"library_id" doc:"The library whose version the round assesses."`
	VersionID   string    `json:"version_id" doc:"The published library version whose capability areas are assessed; it never changes."`
	CreatedAt   time.Time `json:"created_at" doc:"When the round was started."`
	UpdatedAt   time.Time `json:"updated_at" doc:"When its title or description last changed."`
}

func assessmentRound(r *domain.AssessmentRound) AssessmentRound {
	return AssessmentRound{ID: r.ID, Title: r.Title, Description: r.Description, LibraryID: r.LibraryID, VersionID: r.VersionID,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// AssessmentRoundSummary is a round as listed.
type AssessmentRoundSummary struct {
	AssessmentRound
	Assessors    int        `json:"assessors" doc:"How many people have answered."`
	LastAnswerAt *time.Time `json:"last_answer_at" nullable:"true" doc:"When the latest answer was given; null before the first."`
}

// AssessmentRoundList is the organisation's rounds.
type AssessmentRoundList struct {
	Rounds []AssessmentRoundSummary `json:"rounds" nullable:"false" doc:"The organisation's assessment rounds, newest first."`
}

// AssessmentRoundNew starts a round.
type AssessmentRoundNew struct {
	Title          string `json:"title" doc:"The round's title." example:"Capability assessment 2026"`
	Description    string `json:"description,omitempty" doc:"What the round is for and who is asked to assess."`
	VersionID      string `json:"version_id" doc:"A published version, with capability areas, of one of the organisation's own libraries."`
	CopyDemandFrom string `json:"copy_demand_from,omitempty" doc:"The id of an earlier round whose demand links to copy; links to trends or areas the version lacks are left out."`
}

// MaturitySpread describes the levels (1–5) assessors gave an area.
type MaturitySpread struct {
	Count int      `json:"count" doc:"How many assessors answered."`
	Mean  *float64 `json:"mean" nullable:"true" doc:"The mean level; null when nobody answered."`
	SD    *float64 `json:"sd" nullable:"true" doc:"The population standard deviation (dividing by the count); null when nobody answered."`
	Min   *int     `json:"min" nullable:"true" doc:"The lowest level given; null when nobody answered."`
	Max   *int     `json:"max" nullable:"true" doc:"The highest level given; null when nobody answered."`
}

func maturitySpread(s domain.Spread) MaturitySpread {
	out := MaturitySpread{Count: s.Count}
	if s.Valid() {
		mean, sd, lo, hi := s.Mean, s.SD, s.Min, s.Max
		out.Mean, out.SD, out.Min, out.Max = &mean, &sd, &lo, &hi
	}
	return out
}

// CapabilityAreaResult is what a round's assessors say about one area.
type CapabilityAreaResult struct {
	Key      string         `json:"key" doc:"The capability area's key in the library version." example:"data-sharing-standards"`
	Name     Text           `json:"name" doc:"The area's name."`
	Levels   []Text         `json:"levels" nullable:"false" doc:"The descriptors of maturity levels 1 to 5, in order."`
	Current  MaturitySpread `json:"current" doc:"The levels the organisation is at now, by the assessors."`
	Target   MaturitySpread `json:"target" doc:"The levels it needs to reach, by the assessors."`
	Assessed bool           `json:"assessed" doc:"Whether anybody has assessed the area."`
	Gap      *float64       `json:"gap" nullable:"true" doc:"max(0, mean target − mean current); null when nobody has assessed the area."`
}

// CapabilityGapPart is one area's share of a trend's readiness gap.
type CapabilityGapPart struct {
	Area         string  `json:"area" doc:"The capability area's key."`
	Demand       int     `json:"demand" doc:"How strongly the trend demands the area, 1 to 3."`
	AreaGap      float64 `json:"area_gap" doc:"The area's gap, max(0, mean target − mean current)."`
	Contribution float64 `json:"contribution" doc:"demand × area_gap."`
}

// CapabilityTrendGap is a trend's readiness gap.
type CapabilityTrendGap struct {
	Trend      string              `json:"trend" doc:"The trend's key."`
	Title      Text                `json:"title" doc:"The trend's title."`
	Gap        float64             `json:"gap" doc:"Σ over the assessed areas the trend demands of demand × area gap."`
	MaxGap     float64             `json:"max_gap" doc:"The largest the gap could be with the trend's demand: Σ demand × 4; 0 when the trend demands no area."`
	Parts      []CapabilityGapPart `json:"parts" nullable:"false" doc:"The assessed areas the trend demands, with their share of the gap."`
	Unassessed []string            `json:"unassessed" nullable:"false" doc:"Areas the trend demands that nobody has assessed: left out of gap, which is then a lower bound."`
}

// CapabilityDemandLink says how strongly a trend demands a capability area.
type CapabilityDemandLink struct {
	Trend string `json:"trend" doc:"A trend's key in the round's library version." example:"artificial-intelligence"`
	Area  string `json:"area" doc:"A capability area's key in the round's library version." example:"data-sharing-standards"`
	Level int    `json:"level" doc:"0 not at all (no link), 1 a little, 2 clearly, 3 strongly." example:"2"`
}

// CapabilityAnswer is one assessor's answer on one area.
type CapabilityAnswer struct {
	Area         string    `json:"area" doc:"The capability area's key."`
	AssessorName string    `json:"assessor_name" doc:"The assessor's display name; empty for a former member."`
	Mine         bool      `json:"mine" doc:"True for the token's user's own answers."`
	Current      int       `json:"current" doc:"The level the organisation is at now, 1 to 5."`
	Target       int       `json:"target" doc:"The level it needs to reach, 1 to 5."`
	Evidence     string    `json:"evidence" doc:"What shows it, as the assessor wrote it."`
	At           time.Time `json:"at" doc:"When the answer was given."`
}

// CapabilityProfile is a round with its results.
type CapabilityProfile struct {
	Round       AssessmentRound        `json:"round" doc:"The round."`
	Assessors   int                    `json:"assessors" doc:"How many people have answered."`
	Areas       []CapabilityAreaResult `json:"areas" nullable:"false" doc:"The capability profile: every area of the version, in its order."`
	Gaps        []CapabilityTrendGap   `json:"gaps" nullable:"false" doc:"The readiness gap of every trend of the version, largest first."`
	Demand      []CapabilityDemandLink `json:"demand" nullable:"false" doc:"The round's demand links, by trend and area key (level 0 is never listed)."`
	Assessments []CapabilityAnswer     `json:"assessments" nullable:"false" doc:"Every assessor's answers, with their evidence."`
}

func capabilityProfile(p *service.CapabilityProfile, act domain.Actor) CapabilityProfile {
	out := CapabilityProfile{Round: assessmentRound(p.Round), Assessors: p.Assessors, Areas: []CapabilityAreaResult{},
		Gaps: []CapabilityTrendGap{}, Demand: []CapabilityDemandLink{}, Assessments: []CapabilityAnswer{}}
	areas := map[string]domain.CapabilityArea{}
	for _, a := range p.Version.CapabilityAreas {
		areas[a.Key] = a
	}
	for _, r := range p.Areas {
		a := areas[r.AreaKey]
		res := CapabilityAreaResult{Key: r.AreaKey, Name: text(a.Name), Levels: texts(a.Levels[:]), Current: maturitySpread(r.Current),
			Target: maturitySpread(r.Target), Assessed: r.Assessed}
		if r.Assessed {
			gap := r.Gap
			res.Gap = &gap
		}
		out.Areas = append(out.Areas, res)
	}
	gaps := slices.Clone(p.Gaps)
	domain.SortGaps(gaps)
	for _, g := range gaps {
		tg := CapabilityTrendGap{Trend: g.TrendKey, Gap: g.Gap, MaxGap: g.MaxGap, Parts: []CapabilityGapPart{}, Unassessed: []string{}}
		if t, ok := p.Version.Trend(g.TrendKey); ok {
			tg.Title = text(t.Title)
		}
		for _, pt := range g.Parts {
			tg.Parts = append(tg.Parts, CapabilityGapPart{Area: pt.AreaKey, Demand: pt.Demand, AreaGap: pt.AreaGap, Contribution: pt.Contribution})
		}
		tg.Unassessed = append(tg.Unassessed, g.Unassessed...)
		out.Gaps = append(out.Gaps, tg)
	}
	for _, l := range p.Demand {
		out.Demand = append(out.Demand, CapabilityDemandLink{Trend: l.TrendKey, Area: l.AreaKey, Level: l.Level})
	}
	for _, x := range p.Assessments {
		out.Assessments = append(out.Assessments, CapabilityAnswer{Area: x.AreaKey, AssessorName: x.AssessorName,
			Mine: act.UserID != "" && x.AssessorID == act.UserID, Current: x.Current, Target: x.Target, Evidence: x.Evidence, At: x.At})
	}
	return out
}

// MyAssessments are the token's user's own answers in a round.
type MyAssessments struct {
	Assessments []MyAssessment `json:"assessments" nullable:"false" doc:"One answer per capability area, at least one. An answer replaces your earlier answer on the same area; areas left out keep theirs."`
}

// MyAssessment is one's own answer on one capability area.
type MyAssessment struct {
	Area     string `json:"area" doc:"A capability area's key in the round's library version." example:"data-sharing-standards"`
	Current  int    `json:"current" doc:"The level the organisation is at now, 1 to 5." example:"2"`
	Target   int    `json:"target" doc:"The level it needs to reach, 1 to 5." example:"4"`
	Evidence string `json:"evidence,omitempty" doc:"What shows it: documents, examples, measures; at most 2,000 characters."`
}

// CapabilityDemand is a round's demand links.
type CapabilityDemand struct {
	Demand []CapabilityDemandLink `json:"demand" nullable:"false" doc:"Every link the round is to have: they replace the round's links, so a pair left out (or level 0) has no link."`
}

type roundPath struct {
	ID string `path:"id" maxLength:"64" doc:"The assessment round's id."`
}

type (
	roundListOutput   struct{ Body AssessmentRoundList }
	roundCreateInput  struct{ Body AssessmentRoundNew }
	roundCreateOutput struct {
		Location string `header:"Location" doc:"The round's capability profile in the API."`
		Body     AssessmentRound
	}
	profileOutput struct{ Body CapabilityProfile }
	myAssessInput struct {
		ID   string `path:"id" maxLength:"64" doc:"The assessment round's id."`
		Body MyAssessments
	}
	demandInput struct {
		ID   string `path:"id" maxLength:"64" doc:"The assessment round's id."`
		Body CapabilityDemand
	}
)

func roundLocation(id string) string { return Prefix + "/assessment-rounds/" + id }

// registerCapability adds the capability assessment operations and their
// tag.
func (a *API) registerCapability() {
	doc := a.huma.OpenAPI()
	doc.Tags = append(doc.Tags, &huma.Tag{Name: tagCapabilities, Description: "Capability assessment: current and target " +
		"maturity (1–5) per capability area of a library version, from one assessor or many, with evidence; which trends " +
		"demand which capabilities (0–3); and the readiness gap of every trend."})
	huma.Register(a.huma, op{
		id: "list-assessment-rounds", method: http.MethodGet, path: "/assessment-rounds", tag: tagCapabilities,
		summary: "List the organisation's assessment rounds",
		description: "Lists the capability assessment rounds of the token's organisation, newest first, with how many " +
			"people have answered and when the latest answer came. Every member may read them.",
	}.operation(), a.roundList)
	huma.Register(a.huma, op{
		id: "create-assessment-round", method: http.MethodPost, path: "/assessment-rounds", tag: tagCapabilities,
		summary: "Start an assessment round",
		description: "Starts a capability assessment round over the capability areas of a published version of one of " +
			"the organisation's own libraries (version_id), optionally copying the demand links of an earlier round " +
			"(copy_demand_from). Problems answer 422 with one error per field (body.title, body.version_id, " +
			"body.copy_demand_from) and nothing is stored. Needs the owner or facilitator role.",
		status:  http.StatusCreated,
		errors:  []int{http.StatusForbidden, http.StatusUnprocessableEntity},
		maxBody: smallBodyLimit,
	}.operation(), a.roundCreate)
	huma.Register(a.huma, op{
		id: "get-capability-profile", method: http.MethodGet, path: "/assessment-rounds/{id}", tag: tagCapabilities, orgScoped: true,
		summary: "Get a round's capability profile and readiness gaps",
		description: "Returns the round with its results: per capability area the count, mean, standard deviation, lowest " +
			"and highest of the current and target levels and the gap; the readiness gap of every trend, largest first, " +
			"with its parts; the demand links; and every answer with its evidence. The formulas are in docs/method.md. " +
			"Every member may read it.",
		errors: []int{http.StatusNotFound},
	}.operation(), a.roundProfile)
	huma.Register(a.huma, op{
		id: "save-my-assessments", method: http.MethodPut, path: "/assessment-rounds/{id}/my-assessments", tag: tagCapabilities, orgScoped: true,
		summary: "Record your own assessment",
		description: "Records the token's user's own answers in the round: per capability area the current and target " +
			"maturity (1–5) and the evidence. Each answer replaces the user's earlier one on the same area; areas left " +
			"out keep theirs. The whole body is checked first: an unknown area, an area listed twice, a level outside " +
			"1–5 or evidence over 2,000 characters answers 422 with one error per problem (body.assessments[2].target) " +
			"and nothing is saved. Answers the updated profile. Needs the owner, facilitator or analyst role.",
		errors:  []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
		maxBody: capabilityBodyLimit,
	}.operation(), a.roundAssess)
	huma.Register(a.huma, op{
		id: "set-demand-links", method: http.MethodPut, path: "/assessment-rounds/{id}/demand-links", tag: tagCapabilities, orgScoped: true,
		summary: "Set which trends demand which capabilities",
		description: "Replaces the round's demand links: how strongly (0–3) each trend of the round's library version " +
			"demands each capability area. A pair left out, or with level 0, has no link. An unknown trend or area, a " +
			"level outside 0–3 or a pair listed twice answers 422 with one error per problem (body.demand[4].level) " +
			"and nothing is changed. Answers the updated profile. Needs the owner or facilitator role.",
		errors:  []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
		maxBody: capabilityBodyLimit,
	}.operation(), a.roundDemand)
}

func (a *API) roundList(ctx context.Context, _ *struct{}) (*roundListOutput, error) {
	rs, err := a.svc.AssessmentRounds(ctx, actor(ctx))
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	out := &roundListOutput{Body: AssessmentRoundList{Rounds: make([]AssessmentRoundSummary, len(rs))}}
	for i := range rs {
		out.Body.Rounds[i] = AssessmentRoundSummary{AssessmentRound: assessmentRound(&rs[i].AssessmentRound),
			Assessors: rs[i].Assessors, LastAnswerAt: rs[i].LastAnswerAt}
	}
	return out, nil
}

func (a *API) roundCreate(ctx context.Context, in *roundCreateInput) (*roundCreateOutput, error) {
	r := &domain.AssessmentRound{Title: in.Body.Title, Description: in.Body.Description, VersionID: in.Body.VersionID}
	if err := a.svc.CreateAssessmentRound(ctx, actor(ctx), r, in.Body.CopyDemandFrom); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was stored", map[string]string{"version": "version_id"})
	}
	return &roundCreateOutput{Location: roundLocation(r.ID), Body: assessmentRound(r)}, nil
}

// round checks that the round is the actor's organisation's, so that
// another organisation's round answers 404 to every role, exactly like one
// that does not exist, before the service checks the role.
func (a *API) round(ctx context.Context, act domain.Actor, id string) error {
	_, err := a.svc.Store().AssessmentRound(ctx, act.OrgID, id)
	return err
}

// profile returns the round's profile as the API shows it.
func (a *API) profile(ctx context.Context, act domain.Actor, id string) (*profileOutput, error) {
	p, err := a.svc.CapabilityProfile(ctx, act, id)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &profileOutput{Body: capabilityProfile(p, act)}, nil
}

func (a *API) roundProfile(ctx context.Context, in *roundPath) (*profileOutput, error) {
	return a.profile(ctx, actor(ctx), in.ID)
}

func (a *API) roundAssess(ctx context.Context, in *myAssessInput) (*profileOutput, error) {
	act := actor(ctx)
	if err := a.round(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	as := make([]domain.Assessment, len(in.Body.Assessments))
	for i, x := range in.Body.Assessments {
		as[i] = domain.Assessment{AreaKey: x.Area, Current: x.Current, Target: x.Target, Evidence: x.Evidence}
	}
	if err := a.svc.SaveMyAssessments(ctx, act, in.ID, as); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was saved", nil)
	}
	return a.profile(ctx, act, in.ID)
}

func (a *API) roundDemand(ctx context.Context, in *demandInput) (*profileOutput, error) {
	act := actor(ctx)
	if err := a.round(ctx, act, in.ID); err != nil {
		return nil, a.problem(ctx, err)
	}
	links := make([]domain.DemandLink, len(in.Body.Demand))
	for i, l := range in.Body.Demand {
		links[i] = domain.DemandLink{TrendKey: l.Trend, AreaKey: l.Area, Level: l.Level}
	}
	if err := a.svc.SetDemandLinks(ctx, act, in.ID, links); err != nil {
		return nil, a.bodyProblem(ctx, err, "nothing was changed", nil)
	}
	return a.profile(ctx, act, in.ID)
}
