package web

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/waymark/waymark/internal/domain"
)

// The scenario form: the create form on the list (name, description,
// horizon, default budget and FTE cap) and the whole settings form on the
// scenario's page, which adds per-year overrides, forced choices and
// scaling by a workshop's trend priorities. Both post the same names:
//
//	name, description, start_year, end_year, budget_default, fte_default,
//	budget-YYYY, fte-YYYY (overrides of one year; blank is the default),
//	forced-ID (in, out or blank), scale_by_priority (1), priority_workshop,
//	trend_weight, revision.
//
// Input ids are the names, so that a problem links to its input.

// scForm is a scenario form with its values and problems.
type scForm struct {
	Values    map[string]string // input name → value as typed
	Errors    map[string]string // input id → its first message
	Summary   []pfError
	Years     []scYearInput
	Forced    []scForcedInput
	Workshops []option
	Revision  int64
	Currency  string
	// Stale is set when someone else saved the scenario meanwhile.
	Stale bool
}

// scYearInput is one year's budget and FTE override.
type scYearInput struct {
	Year      int
	BudgetID  string
	FTEID     string
	Budget    string
	FTE       string
	BudgetErr string
	FTEErr    string
}

// scForcedInput is one initiative's forced choice.
type scForcedInput struct {
	ID      string // the input's id and name
	Title   string
	Status  string // the initiative's status in words
	Options []option
	Error   string
}

// scFormInputs are the plain inputs, in page order.
var scFormInputs = []string{"name", "description", "start_year", "end_year", "budget_default", "fte_default",
	"scale_by_priority", "priority_workshop", "trend_weight"}

// scScenarioValues are the inputs of a stored scenario.
func scScenarioValues(sc *domain.Scenario, lang string) map[string]string {
	v := map[string]string{"name": sc.Name, "description": sc.Description,
		"start_year": strconv.Itoa(sc.StartYear), "end_year": strconv.Itoa(sc.EndYear),
		"budget_default": strconv.FormatInt(sc.Budget.Default, 10), "priority_workshop": sc.PriorityWorkshopID}
	for y, b := range sc.Budget.Years {
		v["budget-"+strconv.Itoa(y)] = strconv.FormatInt(b, 10)
	}
	if sc.FTE != nil {
		v["fte_default"] = pfFTE(sc.FTE.Default, lang)
		for y, f := range sc.FTE.Years {
			v["fte-"+strconv.Itoa(y)] = pfFTE(f, lang)
		}
	}
	for id, f := range sc.Forced {
		v["forced-"+id] = string(f)
	}
	if sc.ScaleByPriority {
		v["scale_by_priority"] = "1"
	}
	if sc.ScaleByPriority || sc.TrendWeight != 0 {
		v["trend_weight"] = pfDecimal(sc.TrendWeight, lang)
	}
	return v
}

// yearOf returns the year of an override input's name ("budget-2027").
func scYearOf(name, prefix string) (int, bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok || len(rest) != 4 {
		return 0, false
	}
	y, err := strconv.Atoi(rest)
	return y, err == nil && y >= domain.MinYear && y <= domain.MaxYear
}

// readScenario fills sc in from the posted form and returns the values as
// typed and the problems of numbers that could not be read, at the
// domain's fields. Overrides are read for every year posted (the form
// shows those of the horizon it was drawn for). Forced choices are read
// for the organisation's initiatives; full says the form had them and the
// other settings of the scenario page.
func (c *call) readScenario(f url.Values, sc *domain.Scenario, ins []domain.Initiative, full bool) (map[string]string, domain.Problems) {
	values := map[string]string{}
	for _, k := range scFormInputs {
		values[k] = strings.TrimSpace(f.Get(k))
	}
	var ps domain.Problems
	bad := func(field, msg string) { ps = append(ps, domain.Problem{Field: field, Message: msg}) }
	sc.Name, sc.Description = values["name"], f.Get("description")
	values["description"] = f.Get("description")
	for _, m := range []struct {
		name string
		to   *int
	}{{"start_year", &sc.StartYear}, {"end_year", &sc.EndYear}} {
		v, ok := pfParseInt(values[m.name])
		switch {
		case values[m.name] == "":
			bad(m.name, c.T("scenario.error.year_required"))
		case !ok:
			bad(m.name, c.T("scenario.error.year"))
		}
		*m.to = v
	}
	money := func(field, raw string) (int64, bool) {
		v, ok, blank := pfParseWhole(raw)
		switch {
		case blank:
			return 0, false
		case !ok:
			bad(field, c.T("scenario.error.money"))
			return 0, false
		}
		return v, true
	}
	staff := func(field, raw string) (domain.FTE, bool) {
		if strings.TrimSpace(raw) == "" {
			return 0, false
		}
		v, err := domain.ParseFTE(raw)
		if err != nil {
			bad(field, domain.ErrorMessage(err))
			return 0, false
		}
		return v, true
	}
	sc.Budget = domain.MoneyCaps{}
	if v, ok := money("budget.default", values["budget_default"]); ok {
		sc.Budget.Default = v
	} else if values["budget_default"] == "" {
		bad("budget.default", c.T("scenario.error.budget_required"))
	}
	var fteDefault *domain.FTE
	if v, ok := staff("fte.default", values["fte_default"]); ok {
		fteDefault = &v
	}
	budgetYears, fteYears := map[int]int64{}, map[int]domain.FTE{}
	overrides := false
	for _, name := range slices.Sorted(maps.Keys(f)) {
		raw := strings.TrimSpace(f.Get(name))
		if y, ok := scYearOf(name, "budget-"); ok {
			values[name] = raw
			if v, ok := money("budget.years."+strconv.Itoa(y), raw); ok {
				budgetYears[y] = v
			}
		}
		if y, ok := scYearOf(name, "fte-"); ok {
			values[name] = raw
			if raw != "" {
				overrides = true
			}
			if v, ok := staff("fte.years."+strconv.Itoa(y), raw); ok {
				fteYears[y] = v
			}
		}
	}
	if len(budgetYears) > 0 {
		sc.Budget.Years = budgetYears
	}
	sc.FTE = nil
	switch {
	case fteDefault != nil:
		sc.FTE = &domain.FTECaps{Default: *fteDefault}
		if len(fteYears) > 0 {
			sc.FTE.Years = fteYears
		}
	case overrides && values["fte_default"] == "":
		bad("fte.default", c.T("scenario.error.fte_default"))
	}
	if !full {
		return values, ps
	}
	sc.Forced = map[string]domain.Force{}
	for _, in := range ins {
		raw := f.Get("forced-" + in.ID)
		values["forced-"+in.ID] = raw
		if raw != "" {
			sc.Forced[in.ID] = domain.Force(raw)
		}
	}
	sc.ScaleByPriority = values["scale_by_priority"] == "1"
	sc.PriorityWorkshopID = values["priority_workshop"]
	sc.TrendWeight = 0
	if raw := values["trend_weight"]; raw != "" {
		if v, ok := pfParseDecimal(raw); ok {
			sc.TrendWeight = v
		} else {
			bad("trend_weight", c.T("scenario.error.number"))
		}
	}
	return values, ps
}

// scField maps a problem's field to the input it is about.
func scField(field string) string {
	switch {
	case field == "budget.default":
		return "budget_default"
	case field == "fte.default":
		return "fte_default"
	case strings.HasPrefix(field, "budget.years."):
		return "budget-" + strings.TrimPrefix(field, "budget.years.")
	case strings.HasPrefix(field, "fte.years."):
		return "fte-" + strings.TrimPrefix(field, "fte.years.")
	case strings.HasPrefix(field, "forced."):
		return "forced-" + strings.TrimPrefix(field, "forced.")
	case slices.Contains(scFormInputs, field):
		return field
	}
	return ""
}

// newScenarioForm builds the form around values: an override input for
// every year of the horizon the values give (or the scenario's, when they
// give none that can be read) and every year that has a value; a forced
// choice per initiative; the organisation's finished workshops.
func (c *call) newScenarioForm(values map[string]string, sc *domain.Scenario, ins []domain.Initiative, workshops []domain.WorkshopSummary, currency string) *scForm {
	f := &scForm{Values: values, Errors: map[string]string{}, Revision: sc.Revision, Currency: currency}
	start, okStart := pfParseInt(values["start_year"])
	end, okEnd := pfParseInt(values["end_year"])
	if !okStart || !okEnd || start < domain.MinYear || end > domain.MaxYear || end < start || end-start+1 > domain.MaxHorizonYears {
		start, end = sc.StartYear, sc.EndYear
	}
	years := map[int]bool{}
	for y := start; y <= end && y-start < domain.MaxHorizonYears; y++ {
		years[y] = true
	}
	for name, v := range values {
		if v == "" {
			continue
		}
		if y, ok := scYearOf(name, "budget-"); ok {
			years[y] = true
		} else if y, ok := scYearOf(name, "fte-"); ok {
			years[y] = true
		}
	}
	for _, y := range slices.Sorted(maps.Keys(years)) {
		ys := strconv.Itoa(y)
		f.Years = append(f.Years, scYearInput{Year: y, BudgetID: "budget-" + ys, FTEID: "fte-" + ys,
			Budget: values["budget-"+ys], FTE: values["fte-"+ys]})
	}
	for _, in := range ins {
		id := "forced-" + in.ID
		cur := values[id]
		f.Forced = append(f.Forced, scForcedInput{ID: id, Title: in.Title, Status: c.T("portfolio.status." + string(in.Status)),
			Options: []option{
				{Value: "", Label: c.T("scenario.forced.free"), Selected: cur == ""},
				{Value: string(domain.ForceIn), Label: c.T("scenario.forced.in"), Selected: cur == string(domain.ForceIn)},
				{Value: string(domain.ForceOut), Label: c.T("scenario.forced.out"), Selected: cur == string(domain.ForceOut)},
			}})
	}
	chosen := values["priority_workshop"]
	f.Workshops = []option{{Value: "", Label: c.T("scenario.f.no_workshop"), Selected: chosen == ""}}
	for _, w := range workshops {
		if w.Phase != domain.PhaseClosed && w.ID != chosen {
			continue
		}
		label := w.Title
		if w.Phase != domain.PhaseClosed {
			label = c.T("scenario.f.workshop_open", "Title", w.Title)
		}
		f.Workshops = append(f.Workshops, option{Value: w.ID, Label: label, Selected: w.ID == chosen})
	}
	return f
}

// setProblems puts problems beside their inputs and in the summary, in
// page order.
func (f *scForm) setProblems(c *call, ps domain.Problems) {
	order := []string{"name", "description", "start_year", "end_year", "budget_default"}
	for _, y := range f.Years {
		order = append(order, y.BudgetID)
	}
	order = append(order, "fte_default")
	for _, y := range f.Years {
		order = append(order, y.FTEID)
	}
	for _, in := range f.Forced {
		order = append(order, in.ID)
	}
	order = append(order, "scale_by_priority", "priority_workshop", "trend_weight")
	f.Summary, f.Errors = c.pfErrors(ps, scField, f.label(c), order)
	for i := range f.Years {
		y := &f.Years[i]
		y.BudgetErr, y.FTEErr = f.Errors[y.BudgetID], f.Errors[y.FTEID]
	}
	for i := range f.Forced {
		f.Forced[i].Error = f.Errors[f.Forced[i].ID]
	}
}

// label names an input in the error summary.
func (f *scForm) label(c *call) func(string) string {
	return func(id string) string {
		if y, ok := scYearOf(id, "budget-"); ok {
			return c.T("scenario.f.budget_year", "Year", y)
		}
		if y, ok := scYearOf(id, "fte-"); ok {
			return c.T("scenario.f.fte_year", "Year", y)
		}
		if strings.HasPrefix(id, "forced-") {
			for _, in := range f.Forced {
				if in.ID == id {
					return c.T("scenario.f.forced_of", "Title", in.Title)
				}
			}
			return c.T("scenario.f.forced")
		}
		return c.T("scenario.f." + id)
	}
}
