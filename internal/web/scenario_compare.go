package web

import (
	"math"
	"net/http"
	"slices"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/scenario"
)

// scComparePage sets two scenarios' plans side by side: the value of each,
// the value lost, and the initiatives that drop out, come in and move.
type scComparePage struct {
	OptionsA, OptionsB []option
	A, B               *domain.Scenario
	// Ready is set when both scenarios have a plan to compare.
	Ready     bool
	Same      bool     // the same scenario twice
	NoPlan    []string // chosen scenarios without a plan
	Summary   string
	ValueA    string
	ValueB    string
	Lost      string
	LostShare string
	Direction string // lost, gained or equal
	StatusA   string
	StatusB   string
	StaleA    bool
	StaleB    bool
	Counts    []scCount
	Rows      []scCompareRow
	Settings  []scCompareSetting
	Years     []scCompareYear
}

type scCount struct {
	Kind  string
	Label string
	Count int
}

// scCompareRow is an initiative in either plan.
type scCompareRow struct {
	ID    string
	Title string
	Kind  string // scenario.ChangeKind
	Label string // the change in words
	A     string // its years in A, "–" when not in A's plan
	B     string
	Value string
	Known bool
}

type scCompareSetting struct {
	Label string
	A, B  string
}

type scCompareYear struct {
	Year                     int
	CapA, UsedA, CapB, UsedB string
}

func (s *Server) scenarioCompare(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	p, err := s.svc.Portfolio(ctx, c.actor)
	if err != nil {
		return err
	}
	scs, err := s.svc.Scenarios(ctx, c.actor)
	if err != nil {
		return err
	}
	ins, err := s.svc.Initiatives(ctx, c.actor)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	idA, idB := q.Get("a"), q.Get("b")
	d := &scComparePage{}
	for i := range scs {
		sc := &scs[i]
		d.OptionsA = append(d.OptionsA, option{Value: sc.ID, Label: sc.Name, Selected: sc.ID == idA})
		d.OptionsB = append(d.OptionsB, option{Value: sc.ID, Label: sc.Name, Selected: sc.ID == idB})
		if sc.ID == idA {
			d.A = sc
		}
		if sc.ID == idB {
			d.B = sc
		}
	}
	// A scenario the organisation does not have is not found, as on every
	// page that names one.
	if idA != "" && d.A == nil || idB != "" && d.B == nil {
		return domain.Errorf(domain.ENOTFOUND, "Scenario not found.")
	}
	title := c.T("scenario.compare.title")
	if d.A == nil || d.B == nil {
		return s.render(w, c, http.StatusOK, "scenario_compare", title, d)
	}
	d.Same = d.A.ID == d.B.ID
	ra, err := scReadResult(d.A)
	if err != nil {
		return err
	}
	rb, err := scReadResult(d.B)
	if err != nil {
		return err
	}
	for _, x := range []struct {
		sc *domain.Scenario
		r  *scenario.Result
	}{{d.A, ra}, {d.B, rb}} {
		if x.r == nil || !x.r.HasPlan() {
			d.NoPlan = append(d.NoPlan, x.sc.Name)
		}
	}
	if len(d.NoPlan) > 0 {
		return s.render(w, c, http.StatusOK, "scenario_compare", title, d)
	}
	d.Ready = true
	lang, cur := c.lang, p.Settings.Currency
	cmp := scenario.Compare(ra, rb)
	d.ValueA, d.ValueB = scValue(cmp.ValueA, lang), scValue(cmp.ValueB, lang)
	d.Lost, d.LostShare = scValue(math.Abs(cmp.Lost), lang), scPercent(math.Abs(cmp.LostShare()), lang)
	d.StatusA, d.StatusB = c.scStatusText(ra), c.scStatusText(rb)
	d.StaleA, d.StaleB = !d.A.ResultCurrent(p.Settings.Revision), !d.B.ResultCurrent(p.Settings.Revision)
	switch {
	case math.Abs(cmp.Lost) < 0.005:
		d.Direction = "equal"
	case cmp.Lost > 0:
		d.Direction = "lost"
	default:
		d.Direction = "gained"
	}
	for _, k := range scenario.ChangeKinds {
		d.Counts = append(d.Counts, scCount{Kind: string(k), Label: c.T("scenario.change." + string(k)), Count: cmp.Count[k]})
	}
	args := []any{"A", d.A.Name, "B", d.B.Name, "Value", d.Lost, "Share", d.LostShare,
		"Dropped", cmp.Count[scenario.DropsOut], "Added", cmp.Count[scenario.ComesIn], "Moved", cmp.Count[scenario.Moves],
		"Same", cmp.Count[scenario.Same]}
	switch d.Direction {
	case "lost":
		d.Summary = c.T("scenario.compare.summary_lost", args...)
	case "gained":
		d.Summary = c.T("scenario.compare.summary_gained", args...)
	default:
		d.Summary = c.T("scenario.compare.summary_equal", args...)
	}
	known := map[string]string{}
	for _, in := range ins {
		known[in.ID] = in.Title
	}
	for _, ch := range cmp.Changes {
		row := scCompareRow{ID: ch.Key, Title: ch.Title, Kind: string(ch.Kind), Label: c.T("scenario.change." + string(ch.Kind)), A: "–", B: "–"}
		if t, ok := known[ch.Key]; ok {
			row.Title, row.Known = t, true
		}
		if ch.A != nil {
			row.A, row.Value = scYears(ch.A.Start, ch.A.End), scValue(ch.A.Value, lang)
		}
		if ch.B != nil {
			row.B = scYears(ch.B.Start, ch.B.End)
			if ch.A == nil {
				row.Value = scValue(ch.B.Value, lang)
			}
		}
		d.Rows = append(d.Rows, row)
	}
	fte := func(sc *domain.Scenario) string {
		if sc.FTE == nil {
			return c.T("scenario.fte.uncapped")
		}
		return pfFTE(sc.FTE.Default, lang)
	}
	d.Settings = []scCompareSetting{
		{c.T("scenario.f.horizon"), scYears(d.A.StartYear, d.A.EndYear), scYears(d.B.StartYear, d.B.EndYear)},
		{c.T("scenario.f.budget_default_in", "Currency", cur), pfMoney(d.A.Budget.Default, cur, lang), pfMoney(d.B.Budget.Default, cur, lang)},
		{c.T("scenario.f.fte_default"), fte(d.A), fte(d.B)},
		{c.T("scenario.compare.chosen"), c.T("scenario.compare.chosen_n", "Count", len(ra.Plan)), c.T("scenario.compare.chosen_n", "Count", len(rb.Plan))},
	}
	years := map[int]*scCompareYear{}
	var order []int
	row := func(y int) *scCompareYear {
		if years[y] == nil {
			years[y] = &scCompareYear{Year: y, CapA: "–", UsedA: "–", CapB: "–", UsedB: "–"}
			order = append(order, y)
		}
		return years[y]
	}
	for _, y := range ra.Years {
		r := row(y.Year)
		r.CapA, r.UsedA = pfMoney(y.Budget.Cap, cur, lang), pfMoney(y.Budget.Used, cur, lang)
	}
	for _, y := range rb.Years {
		r := row(y.Year)
		r.CapB, r.UsedB = pfMoney(y.Budget.Cap, cur, lang), pfMoney(y.Budget.Used, cur, lang)
	}
	slices.Sort(order)
	for _, y := range order {
		d.Years = append(d.Years, *years[y])
	}
	return s.render(w, c, http.StatusOK, "scenario_compare", title, d)
}
