package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

// pfInitiativeForm is the create and edit form of an initiative. Values
// holds the text inputs as typed, so that a rejected form shows them again.
type pfInitiativeForm struct {
	IsNew    bool
	ID       string
	Title    string // of the stored initiative, for the heading and back link
	Revision int64
	Values   map[string]string
	Currency string
	// Version is the portfolio's library version (nil: none chosen, and
	// nothing to link).
	Version     *domain.Version
	TrendGroups []pfTrendGroup
	Areas       []pfCheck
	Depends     []pfCheck
	Benefits    []pfBenefit
	Groups      []string // exclusive groups in use, for the list
	Risks       []option
	Statuses    []option
	Errors      []pfError
	Problems    map[string]string
	// Stale is set when someone else changed the initiative meanwhile.
	Stale bool
}

// pfTrendGroup is the trends of one category, each with a select of how
// strongly the initiative addresses it.
type pfTrendGroup struct {
	Category domain.Category
	Trends   []pfTrendChoice
}

type pfTrendChoice struct {
	Key     string
	Title   domain.Text
	Options []option
}

// pfCheck is one checkbox of a group.
type pfCheck struct {
	Value   string
	Label   string
	Text    domain.Text // when the label is a library text
	Checked bool
}

// pfBenefit is one benefit criterion with its 0–5 radios.
type pfBenefit struct {
	Key     string
	Name    domain.Text
	Weight  string
	Options []option
}

// pfInitiativeInputs are the initiative's plain inputs in form order.
var pfInitiativeInputs = []string{"title", "description", "owner", "one_off_cost", "recurring_cost", "fte", "duration",
	"earliest_start", "latest_start"}

// pfInitiativeValues are the text inputs of a stored initiative.
func pfInitiativeValues(in *domain.Initiative, lang string) map[string]string {
	v := map[string]string{"title": in.Title, "description": in.Description, "owner": in.Owner,
		"one_off_cost": strconv.FormatInt(in.OneOffCost, 10), "recurring_cost": strconv.FormatInt(in.RecurringCost, 10),
		"fte": pfFTE(in.FTE, lang), "duration": strconv.Itoa(in.Duration), "exclusive_group": in.ExclusiveGroup,
		"risk": string(in.Risk), "status": string(in.Status)}
	if in.EarliestStart != 0 {
		v["earliest_start"] = strconv.Itoa(in.EarliestStart)
	}
	if in.LatestStart != 0 {
		v["latest_start"] = strconv.Itoa(in.LatestStart)
	}
	for _, l := range in.Trends {
		v["trend."+l.TrendKey] = strconv.Itoa(l.Strength)
	}
	for k, b := range in.Benefits {
		v["benefit."+k] = strconv.Itoa(b)
	}
	return v
}

// newInitiativeForm builds the form around values, with areas and
// dependencies checked.
func (c *call) newInitiativeForm(p *service.Portfolio, all []domain.Initiative, self string, values map[string]string, areas, deps []string) *pfInitiativeForm {
	f := &pfInitiativeForm{ID: self, Values: values, Currency: p.Settings.Currency, Version: p.Version,
		Risks: c.pfRiskOptions(values["risk"]), Statuses: c.pfStatusOptions(values["status"])}
	if v := p.Version; v != nil {
		for _, cat := range domain.Categories {
			g := pfTrendGroup{Category: cat}
			for _, t := range v.Trends {
				if t.Category == cat {
					g.Trends = append(g.Trends, pfTrendChoice{Key: t.Key, Title: t.Title,
						Options: c.pfScaleOptions(0, domain.MaxStrength, "portfolio.strength.", pfOr(values["trend."+t.Key], "0"))})
				}
			}
			if len(g.Trends) > 0 {
				f.TrendGroups = append(f.TrendGroups, g)
			}
		}
		for _, a := range v.CapabilityAreas {
			f.Areas = append(f.Areas, pfCheck{Value: a.Key, Text: a.Name, Checked: slices.Contains(areas, a.Key)})
		}
	}
	groups := map[string]bool{}
	for _, o := range all {
		if g := o.ExclusiveGroup; g != "" && !groups[strings.ToLower(g)] {
			groups[strings.ToLower(g)] = true
			f.Groups = append(f.Groups, g)
		}
		if o.ID != self {
			f.Depends = append(f.Depends, pfCheck{Value: o.ID, Label: o.Title, Checked: slices.Contains(deps, o.ID)})
		}
	}
	slices.Sort(f.Groups)
	for _, cr := range p.Settings.Criteria {
		f.Benefits = append(f.Benefits, pfBenefit{Key: cr.Key, Name: cr.Name, Weight: pfDecimal(cr.Weight, c.lang),
			Options: c.pfScaleOptions(0, domain.MaxBenefitScore, "portfolio.score.", pfOr(values["benefit."+cr.Key], "0"))})
	}
	return f
}

func pfOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// readInitiative fills in from the posted form: the plain fields, the
// trend strengths of the portfolio's version (in its order; trendKeys[i]
// is the key of in.Trends[i]), the areas, dependencies and benefits.
// Problems are the numbers that could not be read, at the domain's fields.
func (c *call) readInitiative(f url.Values, p *service.Portfolio, in *domain.Initiative) (values map[string]string, trendKeys []string, ps domain.Problems) {
	values = map[string]string{}
	for _, k := range append(pfInitiativeInputs, "exclusive_group", "risk", "status") {
		values[k] = f.Get(k)
	}
	bad := func(field, msg string) {
		ps = append(ps, domain.Problem{Field: field, Message: msg})
	}
	in.Title, in.Description, in.Owner = values["title"], values["description"], values["owner"]
	in.ExclusiveGroup = values["exclusive_group"]
	in.Risk, in.Status = domain.Risk(values["risk"]), domain.InitiativeStatus(values["status"])
	for _, m := range []struct {
		name string
		to   *int64
	}{{"one_off_cost", &in.OneOffCost}, {"recurring_cost", &in.RecurringCost}} {
		v, ok, blank := pfParseWhole(values[m.name])
		switch {
		case blank:
			*m.to = 0
		case !ok:
			bad(m.name, c.T("portfolio.error.money"))
		default:
			*m.to = v
		}
	}
	in.FTE = 0
	if strings.TrimSpace(values["fte"]) != "" {
		fte, err := domain.ParseFTE(values["fte"])
		if err != nil {
			ps = append(ps, domain.Problem{Field: "fte", Message: domain.ErrorMessage(err)})
		}
		in.FTE = fte
	}
	for _, m := range []struct {
		name string
		to   *int
	}{{"duration", &in.Duration}, {"earliest_start", &in.EarliestStart}, {"latest_start", &in.LatestStart}} {
		v, ok := pfParseInt(values[m.name])
		if !ok {
			if strings.TrimSpace(values[m.name]) == "" {
				bad(m.name, c.T("portfolio.error.whole_required"))
			} else {
				bad(m.name, c.T("portfolio.error.whole"))
			}
		}
		*m.to = v
	}
	in.Trends = nil
	if p.Version != nil {
		for _, t := range p.Version.Trends {
			raw := f.Get("trend." + t.Key)
			values["trend."+t.Key] = raw
			if raw == "" || raw == "0" {
				continue
			}
			n, err := strconv.Atoi(raw)
			if err != nil {
				bad(fmt.Sprintf("trends[%d].strength", len(in.Trends)), c.T("portfolio.error.strength"))
			}
			in.Trends = append(in.Trends, domain.TrendLink{TrendKey: t.Key, Strength: n})
			trendKeys = append(trendKeys, t.Key)
		}
	}
	in.Areas = nil
	for _, a := range f["areas"] {
		if a != "" {
			in.Areas = append(in.Areas, a)
		}
	}
	in.DependsOn = nil
	for _, d := range f["depends_on"] {
		if d != "" {
			in.DependsOn = append(in.DependsOn, d)
		}
	}
	in.Benefits = map[string]int{}
	for _, cr := range p.Settings.Criteria {
		raw := f.Get("benefit." + cr.Key)
		values["benefit."+cr.Key] = raw
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			bad("benefits."+cr.Key, c.T("portfolio.error.score"))
		}
		in.Benefits[cr.Key] = n
	}
	return values, trendKeys, ps
}

// pfInitiativeField maps an initiative problem to its input.
func pfInitiativeField(trendKeys []string) func(string) string {
	return func(field string) string {
		switch {
		case slices.Contains(pfInitiativeInputs, field), field == "exclusive_group", field == "risk", field == "status":
			return field
		case strings.HasPrefix(field, "trends["):
			var i int
			if _, err := fmt.Sscanf(field, "trends[%d]", &i); err == nil && i >= 0 && i < len(trendKeys) {
				return "trend-" + trendKeys[i]
			}
			return "trends"
		case field == "trends":
			return "trends"
		case strings.HasPrefix(field, "areas"):
			return "areas"
		case strings.HasPrefix(field, "depends_on"):
			return "depends_on"
		case strings.HasPrefix(field, "benefits."):
			return "benefit-" + strings.TrimPrefix(field, "benefits.")
		}
		return ""
	}
}

// order lists the form's inputs in page order, for the error summary.
func (f *pfInitiativeForm) order() []string {
	order := []string{"title", "description", "owner", "trends"}
	for _, g := range f.TrendGroups {
		for _, t := range g.Trends {
			order = append(order, "trend-"+t.Key)
		}
	}
	order = append(order, "areas", "one_off_cost", "recurring_cost", "fte", "duration", "earliest_start", "latest_start",
		"depends_on", "exclusive_group")
	for _, b := range f.Benefits {
		order = append(order, "benefit-"+b.Key)
	}
	return append(order, "risk", "status")
}

// label names an input of the form in the error summary.
func (f *pfInitiativeForm) label(c *call) func(string) string {
	return func(id string) string {
		switch {
		case strings.HasPrefix(id, "trend-"):
			key := strings.TrimPrefix(id, "trend-")
			for _, g := range f.TrendGroups {
				for _, t := range g.Trends {
					if t.Key == key {
						return t.Title.String(c.lang)
					}
				}
			}
			return key
		case strings.HasPrefix(id, "benefit-"):
			key := strings.TrimPrefix(id, "benefit-")
			for _, b := range f.Benefits {
				if b.Key == key {
					return c.T("portfolio.f.benefit_on", "Criterion", b.Name.String(c.lang))
				}
			}
			return key
		}
		return c.T("portfolio.f." + id)
	}
}
