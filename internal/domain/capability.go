package domain

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Capability assessment: an organisation judges, area by area, how mature
// it is now and how mature it wants to be (1–5, with the level descriptors
// of the library's capability areas), from one assessor or many; says how
// strongly each trend demands each area (0–3); and reads the readiness gap
// of every trend from the two. The formulas are in docs/method.md
// ("Capability assessment and readiness gaps").

// Limits of capability assessment.
const (
	MaturityMin    = 1    // the lowest maturity level
	MaturityMax    = 5    // the highest maturity level
	DemandMax      = 3    // the strongest demand of a trend on an area
	MaxEvidenceLen = 2000 // characters of an evidence note
	// MaxDemandLinks bounds the demand links of one round: every trend
	// with every area of a large library would be far more.
	MaxDemandLinks = 20000
)

// CanEditPortfolio reports whether the role may create, change and delete
// initiatives, benefit criteria, the portfolio's currency and library
// version, scenarios, assessment rounds and their demand links: owners and
// facilitators.
func (r Role) CanEditPortfolio() bool { return r == Owner || r == Facilitator }

// CanAssess reports whether the role may record its own capability
// assessments in a round: owners, facilitators and analysts (analysts are
// the people most likely to hold the evidence). Viewers read.
func (r Role) CanAssess() bool { return r == Owner || r == Facilitator || r == Analyst }

// CanOptimise reports whether the role may run the optimiser on a scenario
// and keep its result: owners, facilitators and analysts. Changing the
// scenario itself needs CanEditPortfolio.
func (r Role) CanOptimise() bool { return r == Owner || r == Facilitator || r == Analyst }

// AssessmentRound is one capability assessment of an organisation: a form
// over the capability areas of a published library version that several
// assessors answer. Each assessor has one answer per area; a new answer
// replaces the old.
type AssessmentRound struct {
	ID          string
	OrgID       string
	Title       string
	Description string
	LibraryID   string
	VersionID   string // a published version of a library the organisation owns
	CreatedBy   string // user id; "" for the command line or a deleted user
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// AssessmentRoundSummary is a round in a list, with how many assessors
// have answered and when the latest answer came.
type AssessmentRoundSummary struct {
	AssessmentRound
	Assessors    int
	LastAnswerAt *time.Time
}

// Validate checks a round's title and description, trimming white space.
func (r *AssessmentRound) Validate() Problems {
	var ps Problems
	r.Title = strings.TrimSpace(r.Title)
	r.Description = strings.TrimSpace(r.Description)
	switch {
	case r.Title == "":
		ps = append(ps, Problem{Field: "title", Message: "is required"})
	case utf8.RuneCountInString(r.Title) > MaxNameLen:
		ps = append(ps, Problem{Field: "title", Message: fmt.Sprintf("is longer than %d characters", MaxNameLen)})
	}
	if utf8.RuneCountInString(r.Description) > MaxTextLen {
		ps = append(ps, Problem{Field: "description", Message: fmt.Sprintf("is longer than %d characters", MaxTextLen)})
	}
	if r.VersionID == "" {
		ps = append(ps, Problem{Field: "version", Message: "is required"})
	}
	return orNil(ps)
}

// Assessment is one assessor's judgement of one capability area in a
// round: the maturity now and the maturity wanted (each 1–5), and the
// evidence behind it.
type Assessment struct {
	RoundID      string
	AssessorID   string // a user
	AssessorName string // the user's display name, filled by listings
	AreaKey      string
	Current      int
	Target       int
	Evidence     string
	At           time.Time
}

// ValidateAssessments checks one assessor's answers against the round's
// library version: known areas, each once, levels 1–5, evidence not too
// long. Problems are at assessments[i].area, .current, .target and
// .evidence. It trims the evidence.
func ValidateAssessments(as []Assessment, c *Content) Problems {
	var ps Problems
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if len(as) == 0 {
		add("assessments", "assess at least one capability area")
	}
	seen := map[string]bool{}
	for i := range as {
		a := &as[i]
		f := fmt.Sprintf("assessments[%d]", i)
		a.Evidence = strings.TrimSpace(a.Evidence)
		switch {
		case a.AreaKey == "":
			add(f+".area", "is required")
		case !c.HasCapabilityArea(a.AreaKey):
			add(f+".area", "%q is not a capability area of the library version", a.AreaKey)
		case seen[a.AreaKey]:
			add(f+".area", "%q is listed twice", a.AreaKey)
		}
		seen[a.AreaKey] = true
		if a.Current < MaturityMin || a.Current > MaturityMax {
			add(f+".current", "must be between %d and %d", MaturityMin, MaturityMax)
		}
		if a.Target < MaturityMin || a.Target > MaturityMax {
			add(f+".target", "must be between %d and %d", MaturityMin, MaturityMax)
		}
		if utf8.RuneCountInString(a.Evidence) > MaxEvidenceLen {
			add(f+".evidence", "is longer than %d characters", MaxEvidenceLen)
		}
	}
	return orNil(ps)
}

// HasCapabilityArea reports whether the content has a capability area with
// the key.
func (c *Content) HasCapabilityArea(key string) bool {
	return slices.ContainsFunc(c.CapabilityAreas, func(a CapabilityArea) bool { return a.Key == key })
}

// DemandLink says how strongly a trend demands a capability area: 1 a
// little, 2 clearly, 3 strongly. No link is demand 0.
type DemandLink struct {
	TrendKey string
	AreaKey  string
	Level    int
}

// NormalizeDemand returns the links without those of level 0, sorted by
// trend and area key: the form a round keeps.
func NormalizeDemand(links []DemandLink) []DemandLink {
	out := make([]DemandLink, 0, len(links))
	for _, l := range links {
		if l.Level != 0 {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b DemandLink) int {
		return cmp.Or(cmp.Compare(a.TrendKey, b.TrendKey), cmp.Compare(a.AreaKey, b.AreaKey))
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

// ValidateDemand checks demand links against a library version: known
// trends and areas, levels 0–3, each pair once. Problems are at
// demand[i].trend, .area and .level, i being the position in links.
func ValidateDemand(links []DemandLink, c *Content) Problems {
	var ps Problems
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if len(links) > MaxDemandLinks {
		add("demand", "has more than %d items", MaxDemandLinks)
		return ps
	}
	seen := map[[2]string]bool{}
	for i, l := range links {
		f := fmt.Sprintf("demand[%d]", i)
		okTrend, okArea := true, true
		if _, ok := c.Trend(l.TrendKey); !ok {
			add(f+".trend", "%q is not a trend of the library version", l.TrendKey)
			okTrend = false
		}
		if !c.HasCapabilityArea(l.AreaKey) {
			add(f+".area", "%q is not a capability area of the library version", l.AreaKey)
			okArea = false
		}
		if l.Level < 0 || l.Level > DemandMax {
			add(f+".level", "must be between %d and %d", 0, DemandMax)
		}
		k := [2]string{l.TrendKey, l.AreaKey}
		if okTrend && okArea && seen[k] {
			add(f, "%q → %q is listed twice", l.TrendKey, l.AreaKey)
		}
		seen[k] = true
	}
	return orNil(ps)
}

// Spread describes the levels assessors gave: how many, their mean, the
// population standard deviation (dividing by the count, as for workshop
// answers), the lowest and the highest. With Count 0 every other field is
// 0 and means nothing: show "–".
type Spread struct {
	Count int     `json:"count"`
	Mean  float64 `json:"mean"`
	SD    float64 `json:"sd"`
	Min   int     `json:"min"`
	Max   int     `json:"max"`
}

// Valid reports whether the spread has at least one value.
func (s Spread) Valid() bool { return s.Count > 0 }

// SpreadOf returns the spread of values.
func SpreadOf(values []int) Spread {
	if len(values) == 0 {
		return Spread{}
	}
	s := Spread{Count: len(values), Min: values[0], Max: values[0]}
	sum := 0
	for _, v := range values {
		sum += v
		s.Min, s.Max = min(s.Min, v), max(s.Max, v)
	}
	s.Mean = float64(sum) / float64(len(values))
	ss := 0.0
	for _, v := range values {
		d := float64(v) - s.Mean
		ss += d * d
	}
	s.SD = math.Sqrt(ss / float64(len(values)))
	return s
}

// AreaResult is what a round's assessors say about one capability area.
type AreaResult struct {
	AreaKey string `json:"area"`
	Current Spread `json:"current"`
	Target  Spread `json:"target"`
	// Gap is max(0, mean target − mean current); 0 when nobody assessed
	// the area (then Assessed is false).
	Gap      float64 `json:"gap"`
	Assessed bool    `json:"assessed"`
}

// AssessmentResults summarises a round's assessments area by area, in the
// order of areas (the library version's capability areas); assessments of
// other areas are left out.
func AssessmentResults(areas []CapabilityArea, as []Assessment) []AreaResult {
	cur, tgt := map[string][]int{}, map[string][]int{}
	for _, a := range as {
		cur[a.AreaKey] = append(cur[a.AreaKey], a.Current)
		tgt[a.AreaKey] = append(tgt[a.AreaKey], a.Target)
	}
	out := make([]AreaResult, len(areas))
	for i, ar := range areas {
		r := AreaResult{AreaKey: ar.Key, Current: SpreadOf(cur[ar.Key]), Target: SpreadOf(tgt[ar.Key])}
		if r.Current.Valid() && r.Target.Valid() {
			r.Assessed = true
			r.Gap = max(0, r.Target.Mean-r.Current.Mean)
		}
		out[i] = r
	}
	return out
}

// GapPart is one capability area's share of a trend's readiness gap.
type GapPart struct {
	AreaKey string `json:"area"`
	Demand  int    `json:"demand"`
	// AreaGap is the area's max(0, mean target − mean current).
	AreaGap float64 `json:"area_gap"`
	// Contribution is Demand × AreaGap.
	Contribution float64 `json:"contribution"`
}

// TrendGap is a trend's readiness gap: Σ over areas of demand(trend, area)
// × max(0, mean target − mean current).
type TrendGap struct {
	TrendKey string  `json:"trend"`
	Gap      float64 `json:"gap"`
	// Parts are the assessed areas the trend demands, in area order.
	Parts []GapPart `json:"parts"`
	// Unassessed lists areas the trend demands that nobody has assessed
	// yet: they are left out of Gap, which is therefore a lower bound.
	Unassessed []string `json:"unassessed,omitempty"`
	// MaxGap is the largest the gap could be with the trend's demand:
	// Σ demand × (MaturityMax − MaturityMin), for scaling bars; 0 when the
	// trend demands no area.
	MaxGap float64 `json:"max_gap"`
}

// ReadinessGaps returns the readiness gap of every trend, in the order of
// trendKeys, from the round's area results and demand links. A trend that
// demands no area has gap 0 and no parts.
func ReadinessGaps(trendKeys []string, results []AreaResult, demand []DemandLink) []TrendGap {
	byTrend := map[string]map[string]int{}
	for _, l := range demand {
		if l.Level <= 0 {
			continue
		}
		if byTrend[l.TrendKey] == nil {
			byTrend[l.TrendKey] = map[string]int{}
		}
		byTrend[l.TrendKey][l.AreaKey] = l.Level
	}
	out := make([]TrendGap, len(trendKeys))
	for i, tk := range trendKeys {
		g := TrendGap{TrendKey: tk}
		for _, r := range results {
			d := byTrend[tk][r.AreaKey]
			if d == 0 {
				continue
			}
			g.MaxGap += float64(d * (MaturityMax - MaturityMin))
			if !r.Assessed {
				g.Unassessed = append(g.Unassessed, r.AreaKey)
				continue
			}
			c := float64(d) * r.Gap
			g.Parts = append(g.Parts, GapPart{AreaKey: r.AreaKey, Demand: d, AreaGap: r.Gap, Contribution: c})
			g.Gap += c
		}
		out[i] = g
	}
	return out
}

// SortGaps orders gaps largest first; equal gaps keep their order.
func SortGaps(gs []TrendGap) {
	slices.SortStableFunc(gs, func(a, b TrendGap) int { return cmp.Compare(b.Gap, a.Gap) })
}

// CapabilityStore keeps capability assessment rounds, the assessors'
// answers and the rounds' demand links. Every method takes the caller's
// organisation and answers ENOTFOUND for another organisation's round
// exactly as for a round that does not exist.
type CapabilityStore interface {
	// CreateAssessmentRound stores a new round, setting ID, LibraryID (from
	// the version), CreatedAt and UpdatedAt. Returns ENOTFOUND unless
	// VersionID is a version of a library r.OrgID owns, and EINVALID if
	// that version is a draft.
	CreateAssessmentRound(ctx context.Context, r *AssessmentRound) error
	// UpdateAssessmentRound saves a round's title and description (the
	// version never changes) and sets UpdatedAt.
	UpdateAssessmentRound(ctx context.Context, r *AssessmentRound) error
	// AssessmentRound returns one of the organisation's rounds.
	AssessmentRound(ctx context.Context, orgID, id string) (*AssessmentRound, error)
	// AssessmentRounds lists the organisation's rounds, newest first, with
	// the number of assessors and the time of the latest answer.
	AssessmentRounds(ctx context.Context, orgID string) ([]AssessmentRoundSummary, error)
	// DeleteAssessmentRound deletes a round with its answers and demand
	// links.
	DeleteAssessmentRound(ctx context.Context, orgID, id string) error

	// SaveAssessments stores an assessor's answers in a round in one
	// transaction, setting each one's RoundID and, when zero, At: for each
	// assessor and area the last write wins. Returns EINVALID for a level
	// outside 1–5, an empty area key or assessor, or an assessor who is
	// not a user. The caller checks the areas against the version.
	SaveAssessments(ctx context.Context, orgID, roundID string, as []Assessment) error
	// DeleteAssessment removes an assessor's answer on an area; removing
	// one that does not exist changes nothing.
	DeleteAssessment(ctx context.Context, orgID, roundID, assessorID, areaKey string) error
	// Assessments lists a round's answers by assessor and area, with
	// AssessorName filled.
	Assessments(ctx context.Context, orgID, roundID string) ([]Assessment, error)

	// SetDemandLinks replaces a round's demand links with links (level 0
	// means no link and is not kept). Returns EINVALID for a level outside
	// 0–3 or an empty key. The caller checks the keys against the version.
	SetDemandLinks(ctx context.Context, orgID, roundID string, links []DemandLink) error
	// DemandLinks lists a round's demand links by trend and area key.
	DemandLinks(ctx context.Context, orgID, roundID string) ([]DemandLink, error)
}

// orNil returns ps, or nil when it is empty, so that a valid input gives a
// nil error and not an empty Problems.
func orNil(ps Problems) Problems {
	if len(ps) == 0 {
		return nil
	}
	return ps
}
