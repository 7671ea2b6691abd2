package api

import (
	"math"
	"strconv"
	"time"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

// The portfolio's models: its settings (currency, library version,
// benefit criteria) and initiatives with their tracking.

// BenefitCriterion is a criterion initiatives' benefits are scored on.
type BenefitCriterion struct {
	Key    string  `json:"key" doc:"Unique within the organisation: lower-case letters, digits and hyphens. Initiatives' benefits are keyed by it." example:"people"`
	Name   Text    `json:"name" doc:"The criterion's name."`
	Weight float64 `json:"weight" doc:"How much a point on it counts, 0 to 100; 0 keeps the criterion but makes it count for nothing." example:"1"`
}

// PortfolioSettings are an organisation's portfolio-wide settings.
type PortfolioSettings struct {
	Currency  string             `json:"currency" doc:"ISO 4217 code of the currency costs are in, whole units." example:"SEK"`
	LibraryID *string            `json:"library_id" nullable:"true" doc:"The library of version_id; null without one."`
	VersionID *string            `json:"version_id" nullable:"true" doc:"The published library version whose trends and capability areas initiatives link to; null for none."`
	Criteria  []BenefitCriterion `json:"criteria" nullable:"false" doc:"The benefit criteria initiatives are scored 0 to 5 on, in order."`
	Revision  int64              `json:"revision" doc:"Increases with every change to the settings or to any initiative; a scenario result computed at an older revision is out of date."`
	UpdatedAt *time.Time         `json:"updated_at" nullable:"true" doc:"When the settings were last saved; null when never (the defaults are in force)."`
}

func portfolioSettings(s *domain.PortfolioSettings) PortfolioSettings {
	out := PortfolioSettings{Currency: s.Currency, Criteria: make([]BenefitCriterion, len(s.Criteria)), Revision: s.Revision}
	if s.VersionID != "" {
		out.LibraryID, out.VersionID = &s.LibraryID, &s.VersionID
	}
	if !s.UpdatedAt.IsZero() {
		out.UpdatedAt = &s.UpdatedAt
	}
	for i, c := range s.Criteria {
		out.Criteria[i] = BenefitCriterion{Key: c.Key, Name: text(c.Name), Weight: c.Weight}
	}
	return out
}

// BenefitCriterionSettings is a benefit criterion as an owner or
// facilitator sets it.
type BenefitCriterionSettings struct {
	Key    string   `json:"key" maxLength:"64" doc:"Unique: lower-case letters, digits and hyphens. Keep a criterion's key to rename it; scores on a key that is left out are kept and come back when it is added again." example:"people"`
	Name   Text     `json:"name" doc:"The name, in English, Swedish or both."`
	Weight *float64 `json:"weight,omitempty" doc:"0 to 100. Default: 1." example:"1"`
}

// PortfolioSettingsChange replaces the portfolio settings.
type PortfolioSettingsChange struct {
	Currency  string                     `json:"currency" maxLength:"16" doc:"A three-letter ISO 4217 code, any case." example:"SEK"`
	VersionID string                     `json:"version_id,omitempty" maxLength:"64" doc:"A published version of one of the organisation's libraries; left out or empty for none. Every trend and capability area initiatives link to must be in it."`
	Criteria  []BenefitCriterionSettings `json:"criteria" maxItems:"60" nullable:"false" doc:"The benefit criteria, in order; at least one."`
}

func (c *PortfolioSettingsChange) apply(s *domain.PortfolioSettings) {
	s.Currency, s.VersionID = c.Currency, c.VersionID
	s.Criteria = make([]domain.BenefitCriterion, len(c.Criteria))
	for i, cr := range c.Criteria {
		w := 1.0
		if cr.Weight != nil {
			w = *cr.Weight
		}
		s.Criteria[i] = domain.BenefitCriterion{Key: cr.Key, Name: domain.T(cr.Name.EN, cr.Name.SV), Weight: w}
	}
}

// InitiativeTrend says how strongly an initiative addresses a trend.
type InitiativeTrend struct {
	Trend    string `json:"trend" maxLength:"64" doc:"The key of a trend of the portfolio's library version." example:"ai-changes-working-life"`
	Strength int    `json:"strength" doc:"1 (a little) to 3 (strongly); 0 removes the link." example:"2"`
}

// InitiativeMilestone is a step of an initiative that tracking follows.
type InitiativeMilestone struct {
	Title string `json:"title" maxLength:"1000" doc:"What is to be reached." example:"Supplier chosen"`
	Due   string `json:"due,omitempty" maxLength:"32" doc:"The due date, YYYY-MM-DD; left out for none." example:"2027-03-31"`
	Done  bool   `json:"done,omitempty" doc:"Whether it has been reached."`
}

// Initiative is a proposed digital or technology action with its costs,
// effort, benefits, links and tracking.
type Initiative struct {
	ID              string                `json:"id" doc:"The initiative's id."`
	Title           string                `json:"title" doc:"Unique within the organisation." example:"Shared data platform"`
	Description     string                `json:"description" doc:"What it is and why."`
	Owner           string                `json:"owner" doc:"A person or a team."`
	Trends          []InitiativeTrend     `json:"trends" nullable:"false" doc:"The trends of the portfolio's library version it addresses, with how strongly."`
	Areas           []string              `json:"areas" nullable:"false" doc:"Keys of the capability areas of the portfolio's library version it builds."`
	OneOffCost      int64                 `json:"one_off_cost" doc:"Spent in the start year, in whole units of the portfolio's currency." example:"1200000"`
	RecurringCost   int64                 `json:"recurring_cost" doc:"Spent every year from the start year on." example:"150000"`
	FTE             float64               `json:"fte" doc:"Staff effort in full-time equivalents in each year it runs, with at most two decimals." example:"1.5"`
	Duration        int                   `json:"duration" doc:"Years it runs." example:"2"`
	EarliestStart   int                   `json:"earliest_start" doc:"The first year it may start." example:"2027"`
	LatestStart     int                   `json:"latest_start" doc:"The last year it may start." example:"2029"`
	DependsOn       []string              `json:"depends_on" nullable:"false" doc:"Ids of initiatives that must be finished before it starts."`
	ExclusiveGroup  string                `json:"exclusive_group" doc:"A group of mutually exclusive options (at most one is chosen; names match ignoring case); empty for none."`
	Benefits        map[string]int        `json:"benefits" doc:"Scores 0 to 5 by benefit criterion key."`
	WeightedBenefit float64               `json:"weighted_benefit" doc:"Σ weight × score over the organisation's criteria: the value the optimiser gives it (before any scaling by trend priority)." example:"6"`
	Risk            string                `json:"risk" enum:"low,medium,high" doc:"How risky it is judged to be."`
	Status          string                `json:"status" enum:"proposed,approved,in_progress,done,stopped" doc:"Where it is in its life."`
	RAG             string                `json:"rag" doc:"How it is going: red, amber or green; empty when not rated." example:"amber"`
	Milestones      []InitiativeMilestone `json:"milestones" nullable:"false" doc:"The steps tracking follows, in order."`
	Revision        int64                 `json:"revision" doc:"Increases with every change; a change must name the revision it starts from."`
	CreatedAt       time.Time             `json:"created_at" doc:"When it was created."`
	UpdatedAt       time.Time             `json:"updated_at" doc:"When it last changed."`
}

func initiativeModel(in *domain.Initiative, criteria []domain.BenefitCriterion) Initiative {
	out := Initiative{ID: in.ID, Title: in.Title, Description: in.Description, Owner: in.Owner,
		Trends: make([]InitiativeTrend, len(in.Trends)), Areas: in.Areas, OneOffCost: in.OneOffCost,
		RecurringCost: in.RecurringCost, FTE: float64(in.FTE) / float64(domain.FTEUnit), Duration: in.Duration,
		EarliestStart: in.EarliestStart, LatestStart: in.LatestStart, DependsOn: in.DependsOn,
		ExclusiveGroup: in.ExclusiveGroup, Benefits: in.Benefits, Risk: string(in.Risk), Status: string(in.Status),
		RAG: string(in.RAG), Milestones: make([]InitiativeMilestone, len(in.Milestones)), Revision: in.Revision,
		CreatedAt: in.CreatedAt, UpdatedAt: in.UpdatedAt}
	for i, l := range in.Trends {
		out.Trends[i] = InitiativeTrend{Trend: l.TrendKey, Strength: l.Strength}
	}
	for i, m := range in.Milestones {
		out.Milestones[i] = InitiativeMilestone(m)
	}
	if out.Areas == nil {
		out.Areas = []string{}
	}
	if out.DependsOn == nil {
		out.DependsOn = []string{}
	}
	if out.Benefits == nil {
		out.Benefits = map[string]int{}
	}
	for _, c := range criteria {
		out.WeightedBenefit += c.Weight * float64(in.Benefits[c.Key])
	}
	out.WeightedBenefit = math.Round(out.WeightedBenefit*1e6) / 1e6
	return out
}

// InitiativeFields are the fields of an initiative a client sets. In a
// creation every field left out takes its default; in a change every
// field left out keeps its value.
type InitiativeFields struct {
	Title          *string               `json:"title,omitempty" maxLength:"1000" doc:"Required when creating; unique, at most 200 characters." example:"Shared data platform"`
	Description    *string               `json:"description,omitempty" maxLength:"40000" doc:"At most 20,000 characters."`
	Owner          *string               `json:"owner,omitempty" maxLength:"1000" doc:"A person or a team."`
	Trends         []InitiativeTrend     `json:"trends,omitempty" maxItems:"200" nullable:"false" doc:"The trends it addresses; replaces the list. Needs a library version in the portfolio settings."`
	Areas          []string              `json:"areas,omitempty" maxItems:"200" nullable:"false" doc:"Keys of the capability areas it builds; replaces the list."`
	OneOffCost     *int64                `json:"one_off_cost,omitempty" doc:"Whole units of the portfolio's currency, 0 to 10^12. Default: 0."`
	RecurringCost  *int64                `json:"recurring_cost,omitempty" doc:"Per year from the start year on. Default: 0."`
	FTE            *float64              `json:"fte,omitempty" doc:"Full-time equivalents per year, with at most two decimals. Default: 0." example:"1.5"`
	Duration       *int                  `json:"duration,omitempty" doc:"Years, 1 to 50; required when creating." example:"2"`
	EarliestStart  *int                  `json:"earliest_start,omitempty" doc:"Year, 2000 to 2100; required when creating." example:"2027"`
	LatestStart    *int                  `json:"latest_start,omitempty" doc:"Year, not before earliest_start; required when creating." example:"2029"`
	DependsOn      []string              `json:"depends_on,omitempty" maxItems:"200" nullable:"false" doc:"Ids of the organisation's initiatives that must finish first; replaces the list. No cycles, and none of the same exclusive group."`
	ExclusiveGroup *string               `json:"exclusive_group,omitempty" maxLength:"1000" doc:"Name of a group of mutually exclusive options; empty for none."`
	Benefits       map[string]int        `json:"benefits,omitempty" doc:"Scores 0 to 5 by benefit criterion key; replaces the scores."`
	Risk           *string               `json:"risk,omitempty" enum:"low,medium,high" doc:"Default: low."`
	Status         *string               `json:"status,omitempty" enum:"proposed,approved,in_progress,done,stopped" doc:"Default: proposed."`
	RAG            *string               `json:"rag,omitempty" maxLength:"16" doc:"red, amber or green; empty for not rated."`
	Milestones     []InitiativeMilestone `json:"milestones,omitempty" maxItems:"150" nullable:"false" doc:"Replaces the milestones."`
}

// apply sets the fields f gives on in; problems are values that cannot be
// taken (an FTE with more than two decimals).
func (f *InitiativeFields) apply(in *domain.Initiative) domain.Problems {
	var ps domain.Problems
	set := func(to *string, v *string) {
		if v != nil {
			*to = *v
		}
	}
	set(&in.Title, f.Title)
	set(&in.Description, f.Description)
	set(&in.Owner, f.Owner)
	set(&in.ExclusiveGroup, f.ExclusiveGroup)
	if f.Trends != nil {
		in.Trends = make([]domain.TrendLink, len(f.Trends))
		for i, l := range f.Trends {
			in.Trends[i] = domain.TrendLink{TrendKey: l.Trend, Strength: l.Strength}
		}
	}
	if f.Areas != nil {
		in.Areas = f.Areas
	}
	if f.OneOffCost != nil {
		in.OneOffCost = *f.OneOffCost
	}
	if f.RecurringCost != nil {
		in.RecurringCost = *f.RecurringCost
	}
	if f.FTE != nil {
		fte, p := initiativeFTE(*f.FTE)
		if p != nil {
			ps = append(ps, *p)
		}
		in.FTE = fte
	}
	for _, n := range []struct {
		to *int
		v  *int
	}{{&in.Duration, f.Duration}, {&in.EarliestStart, f.EarliestStart}, {&in.LatestStart, f.LatestStart}} {
		if n.v != nil {
			*n.to = *n.v
		}
	}
	if f.DependsOn != nil {
		in.DependsOn = f.DependsOn
	}
	if f.Benefits != nil {
		in.Benefits = f.Benefits
	}
	if f.Risk != nil {
		in.Risk = domain.Risk(*f.Risk)
	}
	if f.Status != nil {
		in.Status = domain.InitiativeStatus(*f.Status)
	}
	if f.RAG != nil {
		in.RAG = domain.RAG(*f.RAG)
	}
	if f.Milestones != nil {
		in.Milestones = initiativeMilestones(f.Milestones)
	}
	return ps
}

func initiativeMilestones(ms []InitiativeMilestone) []domain.Milestone {
	out := make([]domain.Milestone, len(ms))
	for i, m := range ms {
		out[i] = domain.Milestone(m)
	}
	return out
}

// initiativeFTE turns a number of FTE into hundredths: exact for at most
// two decimals, a problem otherwise. Amounts out of range are left to the
// domain's checks, which name the limits.
func initiativeFTE(x float64) (domain.FTE, *domain.Problem) {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return 0, &domain.Problem{Field: "fte", Message: "must be a number"}
	case x < 0:
		return -1, nil
	case x > float64(domain.MaxFTE/domain.FTEUnit):
		return domain.MaxFTE + 1, nil
	}
	f, err := domain.ParseFTE(strconv.FormatFloat(x, 'f', -1, 64))
	if err != nil {
		return 0, &domain.Problem{Field: "fte", Message: domain.ErrorMessage(err)}
	}
	return f, nil
}

// initiativeRefs is what an initiative is checked against, for changes
// not sent to the service because a value could not be taken, so that
// every problem is reported at once.
func initiativeRefs(p *service.Portfolio, ins []domain.Initiative) domain.PortfolioRefs {
	refs := domain.PortfolioRefs{Criteria: p.Settings.Criteria, Initiatives: ins}
	if p.Version != nil {
		refs.Content = &p.Version.Content
	}
	return refs
}

// InitiativeChange changes some of an initiative's fields.
type InitiativeChange struct {
	Revision int64 `json:"revision" doc:"The revision the change starts from, as last read; when someone changed the initiative since, the change answers 409 and nothing changes."`
	InitiativeFields
}

// InitiativeTrackingChange changes an initiative's tracking: status, RAG
// and milestones.
type InitiativeTrackingChange struct {
	Revision   int64                 `json:"revision" doc:"The revision the change starts from, as last read; 409 when it is out of date."`
	Status     *string               `json:"status,omitempty" enum:"proposed,approved,in_progress,done,stopped" doc:"The new status; left out to keep it."`
	RAG        *string               `json:"rag,omitempty" maxLength:"16" doc:"red, amber or green, or empty for not rated; left out to keep it."`
	Milestones []InitiativeMilestone `json:"milestones,omitempty" maxItems:"150" nullable:"false" doc:"Replaces the milestones; left out to keep them, [] for none."`
}

// InitiativeList is the organisation's initiatives.
type InitiativeList struct {
	Currency    string       `json:"currency" doc:"The currency costs are in." example:"SEK"`
	Initiatives []Initiative `json:"initiatives" nullable:"false" doc:"The initiatives, oldest first."`
}
