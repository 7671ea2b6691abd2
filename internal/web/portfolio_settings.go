package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

// pfCriterionRow is one benefit criterion of the settings form: an
// existing one (Key set) or an empty row for a new one.
type pfCriterionRow struct {
	Row    int
	Key    string
	NameEN string
	NameSV string
	Weight string
	Remove bool
}

// Name is the row's name in both languages.
func (r pfCriterionRow) Name() domain.Text { return domain.T(r.NameEN, r.NameSV) }

// pfBlankCriteria is how many empty rows the settings form offers for new
// criteria.
const pfBlankCriteria = 2

// pfSettingsPage is the portfolio settings page: a form for owners and
// facilitators, a summary for everyone else.
type pfSettingsPage struct {
	CanEdit    bool
	Settings   *domain.PortfolioSettings
	Version    *domain.Version
	Library    string // the version's library, named in the page's language
	Currency   string
	Versions   []option
	Rows       []pfCriterionRow
	Currencies []string
	Errors     []pfError
	Problems   map[string]string
}

// pfCurrencies are offered in the currency field's list; any ISO 4217 code
// is accepted.
var pfCurrencies = []string{"SEK", "NOK", "DKK", "EUR", "GBP", "ISK", "CHF", "USD"}

func (s *Server) portfolioSettings(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := s.svc.Portfolio(r.Context(), c.actor)
	if err != nil {
		return err
	}
	d, err := s.pfSettingsPage(r, c, p)
	if err != nil {
		return err
	}
	for i, cr := range p.Settings.Criteria {
		d.Rows = append(d.Rows, pfCriterionRow{Row: i, Key: cr.Key, NameEN: cr.Name.EN, NameSV: cr.Name.SV,
			Weight: pfDecimal(cr.Weight, c.lang)})
	}
	d.Rows = pfAddBlankCriteria(d.Rows)
	return s.render(w, c, http.StatusOK, "portfolio_settings", c.T("portfolio.settings.title"), d)
}

// pfSettingsPage fills what the page shows besides the form's values.
func (s *Server) pfSettingsPage(r *http.Request, c *call, p *service.Portfolio) (*pfSettingsPage, error) {
	d := &pfSettingsPage{CanEdit: c.actor.Role.CanEditPortfolio(), Settings: p.Settings, Version: p.Version,
		Currency: p.Settings.Currency, Currencies: pfCurrencies}
	if !d.CanEdit {
		if p.Version != nil {
			d.Library = p.Version.Name.String(c.lang)
		}
		return d, nil
	}
	libs, err := s.svc.Store().Libraries(r.Context(), c.org.ID)
	if err != nil {
		return nil, err
	}
	d.Versions = []option{{Value: "", Label: c.T("portfolio.settings.no_version"), Selected: p.Settings.VersionID == ""}}
	for _, l := range libs {
		if l.Published == nil {
			continue
		}
		_, versions, err := s.svc.Library(r.Context(), c.actor, l.ID)
		if err != nil {
			return nil, err
		}
		for _, v := range versions {
			if v.Status != domain.Published {
				continue
			}
			d.Versions = append(d.Versions, option{Value: v.ID, Selected: v.ID == p.Settings.VersionID,
				Label: c.T("portfolio.settings.version_option", "Library", l.Name.String(c.lang), "Number", v.Number, "Trends", v.TrendCount)})
		}
	}
	return d, nil
}

func pfAddBlankCriteria(rows []pfCriterionRow) []pfCriterionRow {
	for range pfBlankCriteria {
		rows = append(rows, pfCriterionRow{Row: len(rows)})
	}
	return rows
}

// pfMaxRows bounds the rows a posted form may claim to have.
const pfMaxRows = 200

// pfRows reads the number of rows a repeating form says it has.
func pfRows(f url.Values) int {
	n, err := strconv.Atoi(f.Get("rows"))
	if err != nil || n < 0 {
		return 0
	}
	return min(n, pfMaxRows)
}

// readCriteria reads the criteria rows of the settings form: each row
// kept, renamed, reweighted or removed, and new rows added with a key made
// from their name. rowOf[i] is the form row of criteria[i]; problems are
// the numbers that could not be read.
func (c *call) readCriteria(f url.Values) (rows []pfCriterionRow, criteria []domain.BenefitCriterion, rowOf []int, ps domain.Problems) {
	used := map[string]bool{}
	n := pfRows(f)
	for i := range n {
		key := strings.TrimSpace(f.Get(fmt.Sprintf("c%d-key", i)))
		if key != "" {
			used[key] = true
		}
	}
	for i := range n {
		at := func(name string) string { return f.Get(fmt.Sprintf("c%d-%s", i, name)) }
		row := pfCriterionRow{Row: i, Key: strings.TrimSpace(at("key")), NameEN: at("name_en"), NameSV: at("name_sv"),
			Weight: at("weight"), Remove: at("remove") != ""}
		rows = append(rows, row)
		if row.Remove {
			continue
		}
		name := domain.T(row.NameEN, row.NameSV).Trimmed()
		if row.Key == "" {
			if name.IsZero() && strings.TrimSpace(row.Weight) == "" {
				continue // an empty row for a new criterion
			}
			base := domain.Slugify(firstNonEmpty(name.EN, name.SV))
			if base == "" {
				base = "criterion"
			}
			if len(base) > domain.MaxKeyLen-4 {
				base = strings.Trim(base[:domain.MaxKeyLen-4], "-")
			}
			row.Key = base
			for k := 2; used[row.Key]; k++ {
				row.Key = fmt.Sprintf("%s-%d", base, k)
			}
			used[row.Key] = true
		}
		weight := 1.0
		if strings.TrimSpace(row.Weight) != "" || rows[i].Key != "" {
			v, ok := pfParseDecimal(row.Weight)
			if !ok {
				ps = append(ps, domain.Problem{Field: fmt.Sprintf("criteria[%d].weight", len(criteria)),
					Message: c.T("portfolio.error.number")})
			}
			weight = v
		}
		criteria = append(criteria, domain.BenefitCriterion{Key: row.Key, Name: name, Weight: weight})
		rowOf = append(rowOf, i)
	}
	return rows, criteria, rowOf, ps
}

func (s *Server) portfolioSettingsSave(w http.ResponseWriter, r *http.Request, c *call) error {
	if !c.actor.Role.CanEditPortfolio() {
		return errPortfolioForbidden()
	}
	p, err := s.svc.Portfolio(r.Context(), c.actor)
	if err != nil {
		return err
	}
	f := r.PostForm
	st := *p.Settings
	st.Currency, st.VersionID = f.Get("currency"), f.Get("version")
	rows, criteria, rowOf, ps := c.readCriteria(f)
	st.Criteria = criteria
	if len(ps) > 0 {
		// Nothing is saved: show what else is wrong too.
		check := st
		check.Criteria = append([]domain.BenefitCriterion(nil), criteria...)
		ps = pfMergeProblems(ps, check.Validate())
	} else if err := s.svc.SavePortfolioSettings(r.Context(), c.actor, &st); err != nil {
		var ok bool
		if ps, ok = asProblems(err); !ok {
			return err
		}
	}
	if len(ps) > 0 {
		d, err := s.pfSettingsPage(r, c, p)
		if err != nil {
			return err
		}
		d.Currency, d.Rows = f.Get("currency"), rows
		for i := range d.Versions {
			d.Versions[i].Selected = d.Versions[i].Value == st.VersionID
		}
		if len(rows) == 0 || rows[len(rows)-1].Key != "" {
			d.Rows = pfAddBlankCriteria(d.Rows)
		}
		d.Errors, d.Problems = c.pfErrors(ps, pfSettingsField(rowOf), c.pfSettingsLabel, pfSettingsOrder(d.Rows))
		return s.render(w, c, http.StatusUnprocessableEntity, "portfolio_settings", c.T("portfolio.settings.title"), d)
	}
	c.setFlash(c.T("portfolio.settings.saved"))
	return redirect(w, r, c.orgPath("/portfolio/settings"))
}

// pfSettingsField maps a settings problem to its input.
func pfSettingsField(rowOf []int) func(string) string {
	return func(field string) string {
		switch field {
		case "currency", "version", "criteria":
			return field
		}
		var i int
		var rest string
		if _, err := fmt.Sscanf(field, "criteria[%d].%s", &i, &rest); err == nil && i >= 0 && i < len(rowOf) {
			if rest == "weight" {
				return fmt.Sprintf("c%d-weight", rowOf[i])
			}
			return fmt.Sprintf("c%d-name_en", rowOf[i])
		}
		return "criteria"
	}
}

func pfSettingsOrder(rows []pfCriterionRow) []string {
	order := []string{"currency", "version", "criteria"}
	for _, r := range rows {
		order = append(order, fmt.Sprintf("c%d-name_en", r.Row), fmt.Sprintf("c%d-name_sv", r.Row), fmt.Sprintf("c%d-weight", r.Row))
	}
	return order
}

func (c *call) pfSettingsLabel(id string) string {
	switch id {
	case "currency", "version", "criteria":
		return c.T("portfolio.settings." + id)
	}
	var row int
	var input string
	if _, err := fmt.Sscanf(id, "c%d-%s", &row, &input); err == nil {
		return c.T("portfolio.settings.criterion_n", "Number", row+1) + ", " + c.T("portfolio.settings.f."+input)
	}
	return id
}
