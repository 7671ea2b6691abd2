package domain

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The portfolio: an organisation's initiatives, the criteria that weigh
// their benefits, and the scenarios (horizon, yearly caps, forced choices)
// the optimiser in internal/portfolio chooses a roadmap under. Amounts of
// money are whole units of the organisation's currency; staff effort is
// whole hundredths of a full-time equivalent, so that sums and caps are
// exact.

// Limits of the portfolio. They match internal/portfolio's, so that every
// portfolio the store holds is one the optimiser takes.
const (
	MinYear          = 2000
	MaxYear          = 2100
	MaxHorizonYears  = 50                // years of a scenario's planning horizon
	MaxDuration      = 50                // years an initiative lasts
	MaxMoney         = 1_000_000_000_000 // 10^12 currency units in any one amount
	MaxFTE           = 100_000 * FTEUnit // FTE amounts, in hundredths
	MaxBenefitScore  = 5
	MaxStrength      = 3 // how strongly an initiative addresses a trend
	MaxCriteria      = 50
	MaxWeight        = 100 // of a benefit criterion
	MaxTrendWeight   = 10  // λ, how much trend priority scales value
	MaxInitiatives   = 500 // per organisation
	MaxMilestones    = 100 // per initiative
	MaxInitiativeRef = 200 // trend links, areas or dependencies of one initiative
)

// FTE is staff effort in hundredths of a full-time equivalent per year:
// 150 is 1.5 FTE.
type FTE int64

// FTEUnit is one full-time equivalent.
const FTEUnit FTE = 100

// Float returns the effort in FTE.
func (f FTE) Float() float64 { return float64(f) / float64(FTEUnit) }

// String formats the effort as a decimal number of FTE with a point:
// "1.5", "2", "0.25".
func (f FTE) String() string { return strconv.FormatFloat(f.Float(), 'f', -1, 64) }

// ParseFTE reads a number of FTE with at most two decimals, with a decimal
// point or comma ("1.5", "1,25", "2"). The error message is one for
// people.
func ParseFTE(s string) (FTE, error) {
	orig := strings.TrimSpace(s)
	whole, frac, hasFrac := strings.Cut(strings.Replace(orig, ",", ".", 1), ".")
	bad := func() (FTE, error) {
		return 0, Errorf(EINVALID, "%q is not a number of FTE with at most two decimals.", orig)
	}
	if whole == "" && !hasFrac || len(frac) > 2 || hasFrac && frac == "" && whole == "" {
		return bad()
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return bad()
			}
		}
	}
	if len(whole) > 12 {
		return bad()
	}
	w, _ := strconv.ParseInt(cmp.Or(whole, "0"), 10, 64)
	for len(frac) < 2 {
		frac += "0"
	}
	h, _ := strconv.ParseInt(frac, 10, 64)
	return FTE(w)*FTEUnit + FTE(h), nil
}

// DefaultCurrency is the currency of a new organisation's portfolio, by
// its country: SEK in Sweden, GBP in the United Kingdom, NOK in Norway, DKK
// in Denmark, EUR elsewhere.
func DefaultCurrency(country string) string {
	switch strings.ToUpper(country) {
	case "SE":
		return "SEK"
	case "GB":
		return "GBP"
	case "NO":
		return "NOK"
	case "DK":
		return "DKK"
	}
	return "EUR"
}

// BenefitCriterion is a criterion initiatives score 0–5 on, with the
// organisation's weight (0–100; 0 keeps the criterion but makes it count
// for nothing).
type BenefitCriterion struct {
	Key    string  `json:"key"`
	Name   Text    `json:"name"`
	Weight float64 `json:"weight"`
}

// DefaultCriteria are the benefit criteria of an organisation that has not
// set its own, each of weight 1.
func DefaultCriteria() []BenefitCriterion {
	return []BenefitCriterion{
		{Key: "people", Name: T("Outcomes for people", "Nytta för människor"), Weight: 1},
		{Key: "financial", Name: T("Financial", "Ekonomisk nytta"), Weight: 1},
		{Key: "risk-reduction", Name: T("Risk reduction", "Minskad risk"), Weight: 1},
		{Key: "resilience", Name: T("Resilience", "Motståndskraft"), Weight: 1},
		{Key: "equality", Name: T("Equality", "Jämlikhet"), Weight: 1},
	}
}

// PortfolioSettings are an organisation's portfolio-wide settings. An
// organisation that never saved them has the defaults: the currency of its
// country, the default criteria and no library version.
type PortfolioSettings struct {
	OrgID    string
	Currency string // ISO 4217, e.g. "SEK"
	// LibraryID and VersionID name the published version of an own library
	// whose trends and capability areas initiatives link to; "" for none
	// (then initiatives link to none).
	LibraryID string
	VersionID string
	Criteria  []BenefitCriterion
	// Revision increases with every change to the settings or to any
	// initiative: a scenario's result computed at an older revision is out
	// of date.
	Revision  int64
	UpdatedAt time.Time // zero when never saved
}

// Criterion returns the criterion with the key.
func (s *PortfolioSettings) Criterion(key string) (BenefitCriterion, bool) {
	i := slices.IndexFunc(s.Criteria, func(c BenefitCriterion) bool { return c.Key == key })
	if i < 0 {
		return BenefitCriterion{}, false
	}
	return s.Criteria[i], true
}

// Validate checks the currency and the criteria, normalising the currency
// to upper case and trimming names. The version is checked by the caller.
func (s *PortfolioSettings) Validate() Problems {
	var ps Problems
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	s.Currency = strings.ToUpper(strings.TrimSpace(s.Currency))
	if !validCurrency(s.Currency) {
		add("currency", "must be a three-letter currency code such as SEK, GBP or EUR")
	}
	if len(s.Criteria) == 0 {
		add("criteria", "give at least one benefit criterion")
	}
	if len(s.Criteria) > MaxCriteria {
		add("criteria", "has more than %d items", MaxCriteria)
	}
	seen := map[string]bool{}
	for i := range s.Criteria {
		c := &s.Criteria[i]
		f := fmt.Sprintf("criteria[%d]", i)
		c.Name = c.Name.Trimmed()
		switch {
		case !ValidKey(c.Key):
			add(f+".key", "%q must be lower-case letters, digits and hyphens, at most %d characters", c.Key, MaxKeyLen)
		case seen[c.Key]:
			add(f+".key", "%q is used twice", c.Key)
		}
		seen[c.Key] = true
		if c.Name.IsZero() {
			add(f+".name", "is required in English or Swedish")
		} else if utf8.RuneCountInString(c.Name.EN) > MaxNameLen || utf8.RuneCountInString(c.Name.SV) > MaxNameLen {
			add(f+".name", "is longer than %d characters", MaxNameLen)
		}
		if math.IsNaN(c.Weight) || c.Weight < 0 || c.Weight > MaxWeight {
			add(f+".weight", "must be a number between 0 and %d", MaxWeight)
		}
	}
	return orNil(ps)
}

func validCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range 3 {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// Risk is how risky an initiative is judged to be.
type Risk string

// Risks, from least to most.
const (
	RiskLow    Risk = "low"
	RiskMedium Risk = "medium"
	RiskHigh   Risk = "high"
)

// Risks lists the risks from least to most.
var Risks = []Risk{RiskLow, RiskMedium, RiskHigh}

// InitiativeStatus is where an initiative is in its life.
type InitiativeStatus string

// Initiative statuses, in life order.
const (
	StatusProposed   InitiativeStatus = "proposed"
	StatusApproved   InitiativeStatus = "approved"
	StatusInProgress InitiativeStatus = "in_progress"
	StatusDone       InitiativeStatus = "done"
	StatusStopped    InitiativeStatus = "stopped"
)

// InitiativeStatuses lists the statuses in life order.
var InitiativeStatuses = []InitiativeStatus{StatusProposed, StatusApproved, StatusInProgress, StatusDone, StatusStopped}

// RAG is a red, amber or green rating of how an initiative is going; ""
// means not rated.
type RAG string

// RAG ratings.
const (
	RAGNone  RAG = ""
	RAGRed   RAG = "red"
	RAGAmber RAG = "amber"
	RAGGreen RAG = "green"
)

// RAGs lists the ratings, red first.
var RAGs = []RAG{RAGRed, RAGAmber, RAGGreen}

// TrendLink says how strongly (1–3) an initiative addresses a trend.
type TrendLink struct {
	TrendKey string `json:"trend"`
	Strength int    `json:"strength"`
}

// Milestone is a step of an initiative that tracking follows.
type Milestone struct {
	Title string `json:"title"`
	Due   string `json:"due,omitempty"` // a date, 2006-01-02, or ""
	Done  bool   `json:"done,omitempty"`
}

// DueDate returns the milestone's due date at midnight UTC, if it has one.
func (m Milestone) DueDate() (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, m.Due)
	return t, err == nil
}

// Initiative is a proposed digital or technology action of an
// organisation, with what it costs, what it takes, what it gives, what it
// addresses and how it is going.
type Initiative struct {
	ID          string
	OrgID       string
	Title       string // unique within the organisation
	Description string
	Owner       string // free text: a person or a team
	// Trends are the trends it addresses, 1–3 each (0 is no link and is
	// dropped), keys of the portfolio's library version.
	Trends []TrendLink
	// Areas are the capability areas it builds, keys of the portfolio's
	// library version.
	Areas []string
	// OneOffCost is spent in the start year; RecurringCost every year from
	// the start year on (to the end of any horizon).
	OneOffCost    int64
	RecurringCost int64
	// FTE is the staff effort in each year of its Duration.
	FTE      FTE
	Duration int // years, at least 1
	// EarliestStart and LatestStart bound the start year, both included.
	EarliestStart int
	LatestStart   int
	// DependsOn lists initiatives (ids) that must be finished before this
	// one starts.
	DependsOn []string
	// ExclusiveGroup names a set of mutually exclusive options: at most one
	// initiative of a group is chosen. Groups match ignoring case; "" is
	// none.
	ExclusiveGroup string
	// Benefits scores the initiative 0–5 on benefit criteria, by key.
	Benefits   map[string]int
	Risk       Risk
	Status     InitiativeStatus
	RAG        RAG
	Milestones []Milestone
	// Revision increases with every change; an update must name the
	// revision it started from.
	Revision  int64
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Trend returns the strength of the initiative's link to a trend (0: none).
func (in *Initiative) Trend(key string) int {
	for _, l := range in.Trends {
		if l.TrendKey == key {
			return l.Strength
		}
	}
	return 0
}

// PortfolioRefs is what an initiative is checked against.
type PortfolioRefs struct {
	// Content is the portfolio's library version; nil when none is chosen.
	Content *Content
	// Criteria are the organisation's benefit criteria.
	Criteria []BenefitCriterion
	// Initiatives are the organisation's initiatives as stored; the one
	// being checked, if among them by ID, is taken as it is being changed.
	Initiatives []Initiative
}

// Validate checks an initiative against its organisation's portfolio and
// returns every problem, each with its field path (title, trends[2].trend,
// benefits.people, depends_on[0], milestones[1].due, …). It trims texts,
// drops trend links of strength 0 and sorts nothing. Empty Risk and Status
// become low and proposed.
func (in *Initiative) Validate(refs PortfolioRefs) Problems {
	var ps Problems
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	in.Title = strings.TrimSpace(in.Title)
	in.Description = strings.TrimSpace(in.Description)
	in.Owner = strings.TrimSpace(in.Owner)
	in.ExclusiveGroup = strings.TrimSpace(in.ExclusiveGroup)
	in.Risk = cmp.Or(in.Risk, RiskLow)
	in.Status = cmp.Or(in.Status, StatusProposed)

	switch {
	case in.Title == "":
		add("title", "is required")
	case utf8.RuneCountInString(in.Title) > MaxNameLen:
		add("title", "is longer than %d characters", MaxNameLen)
	}
	if utf8.RuneCountInString(in.Description) > MaxTextLen {
		add("description", "is longer than %d characters", MaxTextLen)
	}
	if utf8.RuneCountInString(in.Owner) > MaxNameLen {
		add("owner", "is longer than %d characters", MaxNameLen)
	}

	// Trends and capability areas.
	if len(in.Trends) > MaxInitiativeRef {
		add("trends", "has more than %d items", MaxInitiativeRef)
	}
	if len(in.Areas) > MaxInitiativeRef {
		add("areas", "has more than %d items", MaxInitiativeRef)
	}
	if refs.Content == nil && slices.ContainsFunc(in.Trends, func(l TrendLink) bool { return l.Strength != 0 }) {
		add("trends", "choose the portfolio's library version in the portfolio settings first")
	}
	if refs.Content == nil && len(in.Areas) > 0 {
		add("areas", "choose the portfolio's library version in the portfolio settings first")
	}
	seen := map[string]bool{}
	for i, l := range in.Trends {
		f := fmt.Sprintf("trends[%d]", i)
		if l.Strength < 0 || l.Strength > MaxStrength {
			add(f+".strength", "must be between %d and %d", 0, MaxStrength)
		}
		if refs.Content == nil || l.Strength == 0 {
			continue
		}
		if _, ok := refs.Content.Trend(l.TrendKey); !ok {
			add(f+".trend", "%q is not a trend of the portfolio's library version", l.TrendKey)
		} else if seen[l.TrendKey] {
			add(f+".trend", "%q is listed twice", l.TrendKey)
		}
		seen[l.TrendKey] = true
	}
	seen = map[string]bool{}
	for i, k := range in.Areas {
		if refs.Content == nil {
			break
		}
		f := fmt.Sprintf("areas[%d]", i)
		if !refs.Content.HasCapabilityArea(k) {
			add(f, "%q is not a capability area of the portfolio's library version", k)
		} else if seen[k] {
			add(f, "%q is listed twice", k)
		}
		seen[k] = true
	}

	// Costs, effort and timing.
	money := func(field string, v int64) {
		if v < 0 {
			add(field, "cannot be negative")
		} else if v > MaxMoney {
			add(field, "must be at most %d", int64(MaxMoney))
		}
	}
	money("one_off_cost", in.OneOffCost)
	money("recurring_cost", in.RecurringCost)
	if in.FTE < 0 {
		add("fte", "cannot be negative")
	} else if in.FTE > MaxFTE {
		add("fte", "must be at most %d FTE", int64(MaxFTE/FTEUnit))
	}
	if in.Duration < 1 || in.Duration > MaxDuration {
		add("duration", "must be between 1 and %d", MaxDuration)
	}
	okEarliest := in.EarliestStart >= MinYear && in.EarliestStart <= MaxYear
	okLatest := in.LatestStart >= MinYear && in.LatestStart <= MaxYear
	if !okEarliest {
		add("earliest_start", "must be a year between %d and %d", MinYear, MaxYear)
	}
	if !okLatest {
		add("latest_start", "must be a year between %d and %d", MinYear, MaxYear)
	}
	if okEarliest && okLatest && in.LatestStart < in.EarliestStart {
		add("latest_start", "must not be before the earliest start year")
	}

	// Dependencies and the exclusive group.
	if utf8.RuneCountInString(in.ExclusiveGroup) > MaxNameLen {
		add("exclusive_group", "is longer than %d characters", MaxNameLen)
	}
	if len(in.DependsOn) > MaxInitiativeRef {
		add("depends_on", "has more than %d items", MaxInitiativeRef)
	}
	others := make(map[string]*Initiative, len(refs.Initiatives))
	for i := range refs.Initiatives {
		if o := &refs.Initiatives[i]; o.ID != in.ID || in.ID == "" {
			others[o.ID] = o
		}
	}
	seen = map[string]bool{}
	depsOK := true
	for i, id := range in.DependsOn {
		f := fmt.Sprintf("depends_on[%d]", i)
		o := others[id]
		switch {
		case id != "" && id == in.ID:
			add(f, "an initiative cannot depend on itself")
			depsOK = false
		case o == nil:
			add(f, "is not an initiative of this organisation")
			depsOK = false
		case seen[id]:
			add(f, "%q is listed twice", o.Title)
		case in.ExclusiveGroup != "" && strings.EqualFold(o.ExclusiveGroup, in.ExclusiveGroup):
			add(f, "%q is in the same mutually exclusive group, so the two can never both be chosen", o.Title)
		}
		seen[id] = true
	}
	if in.ExclusiveGroup != "" && in.ID != "" {
		for _, o := range refs.Initiatives {
			if o.ID != in.ID && slices.Contains(o.DependsOn, in.ID) && strings.EqualFold(o.ExclusiveGroup, in.ExclusiveGroup) {
				add("exclusive_group", "%q depends on this initiative and is in the same group, so the two can never both be chosen", o.Title)
			}
		}
	}
	if depsOK && in.ID != "" && len(in.DependsOn) > 0 {
		edges := map[string][]string{in.ID: in.DependsOn}
		for id, o := range others {
			edges[id] = o.DependsOn
		}
		if cyc := DependencyCycle(edges, in.ID); cyc != nil {
			titles := make([]string, len(cyc))
			for i, id := range cyc {
				titles[i] = in.Title
				if o := others[id]; o != nil {
					titles[i] = o.Title
				}
			}
			add("depends_on", "makes a cycle: %s", strings.Join(titles, " → "))
		}
	}

	// Benefits, risk, status, RAG and milestones.
	for _, k := range slices.Sorted(maps.Keys(in.Benefits)) {
		f := "benefits." + k
		if !slices.ContainsFunc(refs.Criteria, func(c BenefitCriterion) bool { return c.Key == k }) {
			add(f, "%q is not a benefit criterion of this organisation", k)
		} else if v := in.Benefits[k]; v < 0 || v > MaxBenefitScore {
			add(f, "must be between %d and %d", 0, MaxBenefitScore)
		}
	}
	if !slices.Contains(Risks, in.Risk) {
		add("risk", "must be low, medium or high")
	}
	if !slices.Contains(InitiativeStatuses, in.Status) {
		add("status", "must be proposed, approved, in_progress, done or stopped")
	}
	if in.RAG != RAGNone && !slices.Contains(RAGs, in.RAG) {
		add("rag", "must be red, amber or green")
	}
	ps = append(ps, validateMilestones(in.Milestones)...)
	if len(ps) > 0 {
		return ps
	}
	in.Trends = slices.DeleteFunc(in.Trends, func(l TrendLink) bool { return l.Strength == 0 })
	if len(in.Trends) == 0 {
		in.Trends = nil
	}
	return nil
}

// validateMilestones checks milestones, trimming their texts.
func validateMilestones(ms []Milestone) Problems {
	var ps Problems
	if len(ms) > MaxMilestones {
		ps = append(ps, Problem{Field: "milestones", Message: fmt.Sprintf("has more than %d items", MaxMilestones)})
	}
	for i := range ms {
		m := &ms[i]
		f := fmt.Sprintf("milestones[%d]", i)
		m.Title, m.Due = strings.TrimSpace(m.Title), strings.TrimSpace(m.Due)
		switch {
		case m.Title == "":
			ps = append(ps, Problem{Field: f + ".title", Message: "is required"})
		case utf8.RuneCountInString(m.Title) > MaxNameLen:
			ps = append(ps, Problem{Field: f + ".title", Message: fmt.Sprintf("is longer than %d characters", MaxNameLen)})
		}
		if _, ok := m.DueDate(); m.Due != "" && !ok {
			ps = append(ps, Problem{Field: f + ".due", Message: fmt.Sprintf("%q is not a date like 2026-05-17", m.Due)})
		}
	}
	return ps
}

// ValidateTracking checks what the tracking page changes: status, RAG and
// milestones, with the same messages and fields as Validate.
func (in *Initiative) ValidateTracking() Problems {
	var ps Problems
	if !slices.Contains(InitiativeStatuses, in.Status) {
		ps = append(ps, Problem{Field: "status", Message: "must be proposed, approved, in_progress, done or stopped"})
	}
	if in.RAG != RAGNone && !slices.Contains(RAGs, in.RAG) {
		ps = append(ps, Problem{Field: "rag", Message: "must be red, amber or green"})
	}
	ps = append(ps, validateMilestones(in.Milestones)...)
	return orNil(ps)
}

// DependencyCycle returns a cycle through start in the graph (id → ids it
// depends on) as the ids from start back to start, e.g. [a b c a], or nil
// when there is none. Ids without an entry have no dependencies.
func DependencyCycle(edges map[string][]string, start string) []string {
	// Depth-first from start, remembering the path; only a cycle through
	// start matters, as only start's dependencies are new.
	visited := map[string]bool{}
	var path []string
	var visit func(id string) bool
	visit = func(id string) bool {
		path = append(path, id)
		for _, d := range edges[id] {
			if d == start {
				path = append(path, start)
				return true
			}
			if !visited[d] {
				visited[d] = true
				if visit(d) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		return false
	}
	if visit(start) {
		return path
	}
	return nil
}

// Force says whether a scenario must or must not include an initiative.
type Force string

// Forces.
const (
	ForceIn  Force = "in"
	ForceOut Force = "out"
)

// YearlyCaps is a cap per year: Default in every year, except the years
// in Years.
type YearlyCaps[T int64 | FTE] struct {
	Default T
	Years   map[int]T
}

// At returns the cap in a year.
func (c YearlyCaps[T]) At(year int) T {
	if v, ok := c.Years[year]; ok {
		return v
	}
	return c.Default
}

// MoneyCaps is a yearly budget cap, in the organisation's currency.
type MoneyCaps = YearlyCaps[int64]

// FTECaps is a yearly staff cap.
type FTECaps = YearlyCaps[FTE]

// Scenario is a named set of assumptions the optimiser chooses a roadmap
// under — baseline, budget −20 %, extra staff — with the result of its
// last optimisation, so that scenarios can be compared side by side.
type Scenario struct {
	ID          string
	OrgID       string
	Name        string // unique within the organisation
	Description string
	// StartYear and EndYear are the planning horizon, both included.
	StartYear int
	EndYear   int
	Budget    MoneyCaps
	// FTE caps staff effort; nil when it is not capped.
	FTE *FTECaps
	// Forced holds initiatives (by id) that must be in or out of the plan.
	Forced map[string]Force
	// ScaleByPriority scales each initiative's value by the priority of
	// the trends it addresses, from PriorityWorkshopID's ranking, with
	// weight TrendWeight (λ in docs/formats.md).
	ScaleByPriority    bool
	PriorityWorkshopID string
	TrendWeight        float64
	// Result is the last optimisation's, or nil: never optimised, or
	// changed since.
	Result *ScenarioResult
	// Revision increases with every change; an update must name the
	// revision it started from.
	Revision  int64
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ScenarioResult is a stored optimisation of a scenario.
type ScenarioResult struct {
	// Data is the optimiser's result file (waymark.portfolio/v1, kind
	// "result") as JSON.
	Data []byte
	At   time.Time
	// PortfolioRevision is the portfolio's revision (PortfolioSettings.
	// Revision) the result was computed from.
	PortfolioRevision int64
}

// ResultCurrent reports whether the scenario has a result and it was
// computed from the portfolio as it is at portfolioRevision.
func (s *Scenario) ResultCurrent(portfolioRevision int64) bool {
	return s.Result != nil && s.Result.PortfolioRevision == portfolioRevision
}

// Validate checks a scenario against the organisation's initiatives and
// returns every problem with its field path (name, end_year,
// budget.years.2027, fte.default, forced.<id>, …). It trims texts; an
// empty TrendWeight becomes 1 when ScaleByPriority is set. Whether the
// priority workshop is the organisation's is the caller's to check.
func (s *Scenario) Validate(initiatives []Initiative) Problems {
	var ps Problems
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	s.Name = strings.TrimSpace(s.Name)
	s.Description = strings.TrimSpace(s.Description)
	switch {
	case s.Name == "":
		add("name", "is required")
	case utf8.RuneCountInString(s.Name) > MaxNameLen:
		add("name", "is longer than %d characters", MaxNameLen)
	}
	if utf8.RuneCountInString(s.Description) > MaxTextLen {
		add("description", "is longer than %d characters", MaxTextLen)
	}
	okStart := s.StartYear >= MinYear && s.StartYear <= MaxYear
	okEnd := s.EndYear >= MinYear && s.EndYear <= MaxYear
	if !okStart {
		add("start_year", "must be a year between %d and %d", MinYear, MaxYear)
	}
	if !okEnd {
		add("end_year", "must be a year between %d and %d", MinYear, MaxYear)
	}
	horizon := okStart && okEnd
	switch {
	case horizon && s.EndYear < s.StartYear:
		add("end_year", "must not be before the first year")
		horizon = false
	case horizon && s.EndYear-s.StartYear+1 > MaxHorizonYears:
		add("end_year", "the planning horizon can be at most %d years", MaxHorizonYears)
		horizon = false
	}
	year := func(field string, y int) {
		if horizon && (y < s.StartYear || y > s.EndYear) {
			add(field, "is outside the planning horizon %d–%d", s.StartYear, s.EndYear)
		}
	}
	money := func(field string, v int64) {
		if v < 0 {
			add(field, "cannot be negative")
		} else if v > MaxMoney {
			add(field, "must be at most %d", int64(MaxMoney))
		}
	}
	money("budget.default", s.Budget.Default)
	for _, y := range slices.Sorted(maps.Keys(s.Budget.Years)) {
		f := fmt.Sprintf("budget.years.%d", y)
		year(f, y)
		money(f, s.Budget.Years[y])
	}
	if s.FTE != nil {
		fte := func(field string, v FTE) {
			if v < 0 {
				add(field, "cannot be negative")
			} else if v > MaxFTE {
				add(field, "must be at most %d FTE", int64(MaxFTE/FTEUnit))
			}
		}
		fte("fte.default", s.FTE.Default)
		for _, y := range slices.Sorted(maps.Keys(s.FTE.Years)) {
			f := fmt.Sprintf("fte.years.%d", y)
			year(f, y)
			fte(f, s.FTE.Years[y])
		}
	}
	known := make(map[string]bool, len(initiatives))
	for _, in := range initiatives {
		known[in.ID] = true
	}
	for _, id := range slices.Sorted(maps.Keys(s.Forced)) {
		f := "forced." + id
		if !known[id] {
			add(f, "is not an initiative of this organisation")
		} else if v := s.Forced[id]; v != ForceIn && v != ForceOut {
			add(f, "must be in or out")
		}
	}
	if s.ScaleByPriority {
		if s.TrendWeight == 0 {
			s.TrendWeight = 1
		}
		if s.PriorityWorkshopID == "" {
			add("priority_workshop", "choose the workshop whose trend priorities scale the value")
		}
	}
	if math.IsNaN(s.TrendWeight) || s.TrendWeight < 0 || s.TrendWeight > MaxTrendWeight {
		add("trend_weight", "must be a number between 0 and %d", MaxTrendWeight)
	}
	return orNil(ps)
}

// PortfolioStore keeps an organisation's portfolio settings, initiatives
// and scenarios. Every method takes the caller's organisation and answers
// ENOTFOUND for another organisation's initiative or scenario exactly as
// for one that does not exist. Every change to the settings or to an
// initiative increments the portfolio's Revision.
type PortfolioStore interface {
	// PortfolioSettings returns the organisation's settings, with the
	// defaults (DefaultCurrency of its country, DefaultCriteria) where it
	// has not saved its own. Returns ENOTFOUND for an organisation that
	// does not exist.
	PortfolioSettings(ctx context.Context, orgID string) (*PortfolioSettings, error)
	// SavePortfolioSettings stores currency, criteria and version, and sets
	// Revision, UpdatedAt and LibraryID (from the version, "" without).
	// Returns ENOTFOUND unless VersionID is "" or a version of a library
	// s.OrgID owns, and EINVALID if it is a draft.
	SavePortfolioSettings(ctx context.Context, s *PortfolioSettings) error

	// CreateInitiative stores a new initiative, setting ID, Revision and
	// timestamps. Returns ECONFLICT if the title is taken in the
	// organisation or it has MaxInitiatives already; EINVALID
	// (Problems at depends_on) for a dependency that is not an initiative
	// of the organisation.
	CreateInitiative(ctx context.Context, in *Initiative) error
	// UpdateInitiative saves everything but ID, OrgID, CreatedBy and
	// CreatedAt, when in.Revision is the stored revision (ECONFLICT
	// otherwise), and sets Revision and UpdatedAt. Returns ECONFLICT if
	// the title is taken; EINVALID (Problems at depends_on) for a
	// dependency that is not an initiative of the organisation, or one
	// that makes a cycle.
	UpdateInitiative(ctx context.Context, in *Initiative) error
	// UpdateInitiativeTracking saves only Status, RAG and Milestones, with
	// the same revision check.
	UpdateInitiativeTracking(ctx context.Context, in *Initiative) error
	// Initiative returns one of the organisation's initiatives.
	Initiative(ctx context.Context, orgID, id string) (*Initiative, error)
	// Initiatives lists the organisation's initiatives, oldest first.
	Initiatives(ctx context.Context, orgID string) ([]Initiative, error)
	// DeleteInitiative deletes an initiative and takes it out of every
	// scenario's forced choices. Returns ECONFLICT if other initiatives
	// depend on it.
	DeleteInitiative(ctx context.Context, orgID, id string) error

	// CreateScenario stores a new scenario, setting ID, Revision and
	// timestamps; Result is not stored. Returns ECONFLICT if the name is
	// taken; EINVALID (Problems at forced, priority_workshop) for a forced
	// initiative or a workshop that is not the organisation's.
	CreateScenario(ctx context.Context, s *Scenario) error
	// UpdateScenario saves everything but ID, OrgID, CreatedBy, CreatedAt
	// and Result, when s.Revision is the stored revision (ECONFLICT
	// otherwise); it clears the stored result, which was for the old
	// settings, and sets Revision, UpdatedAt and Result (nil).
	UpdateScenario(ctx context.Context, s *Scenario) error
	// SetScenarioResult stores the result of optimising the scenario at
	// revision. Returns ECONFLICT if the scenario changed since.
	SetScenarioResult(ctx context.Context, orgID, id string, revision int64, r *ScenarioResult) error
	// Scenario returns one of the organisation's scenarios with its result.
	Scenario(ctx context.Context, orgID, id string) (*Scenario, error)
	// Scenarios lists the organisation's scenarios, oldest first, with
	// their results.
	Scenarios(ctx context.Context, orgID string) ([]Scenario, error)
	// DeleteScenario deletes a scenario.
	DeleteScenario(ctx context.Context, orgID, id string) error
}
