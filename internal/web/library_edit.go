package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/waymark/waymark/internal/domain"
)

// itemForm is the edit form of one content item. Values holds the form's
// fields by input name, so that a rejected form shows what was typed.
type itemForm struct {
	*libraryContext
	Kind       string
	Key        string // "" for a new item
	Values     map[string]string
	Forces     []string // selected driving forces (trends)
	Problems   map[string]string
	Errors     domain.Problems // all problems, for the summary
	Categories []domain.Category
	// DemandLevels are the choices of a trend's demand on a capability
	// area, 0 (no link) to 3.
	DemandLevels []option
}

// demandLevels returns the choices of a demand control in the page's
// language, the words the assessment round's demand page uses.
func (c *call) demandLevels() []option {
	labels := []string{c.T("capability.demand.level_0"), c.T("capability.demand.level_1"),
		c.T("capability.demand.level_2"), c.T("capability.demand.level_3")}
	out := make([]option, 0, len(labels))
	for l, label := range labels {
		out = append(out, option{Value: strconv.Itoa(l), Label: label})
	}
	return out
}

// editableDraft loads the library and insists on an open draft that the
// caller may edit.
func (s *Server) editableDraft(r *http.Request, c *call) (*libraryContext, error) {
	lc, err := s.loadLibrary(r, c)
	if err != nil {
		return nil, err
	}
	if !lc.CanEdit {
		return nil, domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to edit this library.")
	}
	if lc.Draft == nil {
		return nil, domain.Errorf(domain.ECONFLICT, "Start a new draft before editing: published versions never change.")
	}
	if lc.Version.ID != lc.Draft.ID {
		v, err := s.svc.Version(r.Context(), c.actor, lc.Draft.ID)
		if err != nil {
			return nil, err
		}
		lc.Version = v
	}
	return lc, nil
}

func (s *Server) detailsEditForm(w http.ResponseWriter, r *http.Request, c *call) error {
	lc, err := s.editableDraft(r, c)
	if err != nil {
		return err
	}
	v := lc.Version
	f := itemForm{libraryContext: lc, Kind: "details", Values: map[string]string{
		"name_en": v.Name.EN, "name_sv": v.Name.SV, "description_en": v.Description.EN, "description_sv": v.Description.SV,
		"source_organisation": v.Attribution.SourceOrganisation, "url": v.Attribution.URL, "licence": v.Attribution.Licence}}
	return s.render(w, c, http.StatusOK, "item_edit", c.T("edit.details"), f)
}

func (s *Server) detailsSave(w http.ResponseWriter, r *http.Request, c *call) error {
	lc, err := s.editableDraft(r, c)
	if err != nil {
		return err
	}
	vals := formValues(r, "name_en", "name_sv", "description_en", "description_sv", "source_organisation", "url", "licence")
	err = s.svc.EditDraft(r.Context(), c.actor, lc.Draft.ID, func(ct *domain.Content) error {
		ct.Name = domain.T(vals["name_en"], vals["name_sv"]).Trimmed()
		ct.Description = domain.T(vals["description_en"], vals["description_sv"]).Trimmed()
		ct.Attribution = domain.Attribution{SourceOrganisation: vals["source_organisation"], URL: vals["url"], Licence: vals["licence"]}
		return nil
	})
	if ps, ok := asProblems(err); ok {
		f := itemForm{libraryContext: lc, Kind: "details", Values: vals, Problems: c.formProblems(ps), Errors: ps}
		return s.render(w, c, http.StatusUnprocessableEntity, "item_edit", c.T("edit.details"), f)
	}
	if err != nil {
		return err
	}
	c.setFlash(c.T("edit.saved"))
	return redirect(w, r, c.orgPath("/libraries/%s", lc.Library.ID))
}

func (s *Server) itemEditForm(w http.ResponseWriter, r *http.Request, c *call) error {
	lc, err := s.editableDraft(r, c)
	if err != nil {
		return err
	}
	kind, key := r.PathValue("kind"), r.PathValue("key")
	if !domain.ValidKind(kind) {
		return errNotFound
	}
	f := itemForm{libraryContext: lc, Kind: kind, Values: map[string]string{}, Categories: domain.Categories, DemandLevels: c.demandLevels()}
	if key != "new" {
		vals, forces, ok := itemValues(&lc.Version.Content, kind, key)
		if !ok {
			return errNotFound
		}
		f.Key, f.Values, f.Forces = key, vals, forces
	} else if kind == domain.KindTrend {
		f.Values["category"] = string(domain.Societal)
	}
	return s.render(w, c, http.StatusOK, "item_edit", c.T("edit."+kind), f)
}

// itemSave adds (key "new") or changes one item of the draft, checking the
// whole draft before saving.
func (s *Server) itemSave(w http.ResponseWriter, r *http.Request, c *call) error {
	lc, err := s.editableDraft(r, c)
	if err != nil {
		return err
	}
	kind, key := r.PathValue("kind"), r.PathValue("key")
	if !domain.ValidKind(kind) {
		return errNotFound
	}
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "The form could not be read.")
	}
	vals := map[string]string{}
	for k := range r.PostForm {
		vals[k] = r.PostForm.Get(k)
	}
	forces := r.PostForm["driving_forces"]
	newKey := key
	err = s.svc.EditDraft(r.Context(), c.actor, lc.Draft.ID, func(ct *domain.Content) error {
		if key == "new" {
			newKey = strings.TrimSpace(vals["key"])
			if newKey == "" {
				newKey = ct.UniqueKey(kind, domain.Slugify(firstNonEmpty(vals["name_en"], vals["title_en"], vals["name_sv"], vals["title_sv"])))
			}
		}
		return applyItem(ct, kind, key, newKey, vals, forces)
	})
	if ps, ok := asProblems(err); ok {
		f := itemForm{libraryContext: lc, Kind: kind, Values: vals, Forces: forces, Problems: c.formProblems(ps), Errors: ps, Categories: domain.Categories,
			DemandLevels: c.demandLevels()}
		if key != "new" {
			f.Key = key
		}
		return s.render(w, c, http.StatusUnprocessableEntity, "item_edit", c.T("edit."+kind), f)
	}
	if err != nil {
		return err
	}
	c.setFlash(c.T("edit.saved"))
	return redirect(w, r, c.orgPath("/libraries/%s#%s-%s", lc.Library.ID, kind, newKey))
}

func (s *Server) itemMove(w http.ResponseWriter, r *http.Request, c *call) error {
	lc, err := s.editableDraft(r, c)
	if err != nil {
		return err
	}
	kind, key := r.PathValue("kind"), r.PathValue("key")
	delta := 1
	if r.PostFormValue("direction") == "up" {
		delta = -1
	}
	if err := s.svc.EditDraft(r.Context(), c.actor, lc.Draft.ID, func(ct *domain.Content) error {
		return ct.MoveItem(kind, key, delta)
	}); err != nil {
		return err
	}
	return redirect(w, r, c.orgPath("/libraries/%s#%s-%s", lc.Library.ID, kind, key))
}

func (s *Server) itemRemove(w http.ResponseWriter, r *http.Request, c *call) error {
	lc, err := s.editableDraft(r, c)
	if err != nil {
		return err
	}
	kind, key := r.PathValue("kind"), r.PathValue("key")
	if err := s.svc.EditDraft(r.Context(), c.actor, lc.Draft.ID, func(ct *domain.Content) error {
		return ct.RemoveItem(kind, key)
	}); err != nil {
		return err
	}
	c.setFlash(c.T("edit.removed"))
	return redirect(w, r, c.orgPath("/libraries/%s", lc.Library.ID))
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

func formValues(r *http.Request, names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = r.PostFormValue(n)
	}
	return m
}

var (
	indexPattern = regexp.MustCompile(`\[\d+\]`)
	levelPattern = regexp.MustCompile(`^levels\[(\d)\]`)
)

// bilingualFields are the text fields edited as an English and a Swedish
// input; a problem with the whole text points at the English one.
var bilingualFields = map[string]bool{"name": true, "title": true, "summary": true, "description": true,
	"pole_a": true, "pole_b": true, "indicators": true, "questions": true}

// formProblems maps content problems to form inputs: "title.en" → title_en,
// "title" → title_en, "sources[2].url" → sources, "levels[2].sv" → level3_sv.
func (c *call) formProblems(ps domain.Problems) map[string]string {
	m := map[string]string{}
	for _, p := range ps {
		f := p.Field
		if lm := levelPattern.FindStringSubmatch(f); lm != nil {
			f = "level" + string(rune(lm[1][0]+1)) + strings.TrimPrefix(f, lm[0])
		}
		f = indexPattern.ReplaceAllString(f, "")
		switch {
		case strings.HasPrefix(f, "sources"), strings.HasPrefix(f, "driving_forces"), strings.HasPrefix(f, "tags"):
			f, _, _ = strings.Cut(f, ".")
		case strings.HasPrefix(f, "demands"):
			f = "demands" // the fieldset of the demand links
		case strings.HasPrefix(f, "attribution."):
			f = strings.TrimPrefix(f, "attribution.")
		}
		if bilingualFields[f] {
			f += ".en"
		}
		f = strings.ReplaceAll(f, ".", "_")
		if _, ok := m[f]; !ok {
			m[f] = c.s.cat.Message(c.lang, p.Message)
		}
	}
	return m
}

// splitLines returns the non-empty, trimmed lines of s.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// pairLines pairs the lines of an English and a Swedish list by position.
func pairLines(en, sv string) []domain.Text {
	a, b := splitLines(en), splitLines(sv)
	out := make([]domain.Text, max(len(a), len(b)))
	for i := range out {
		if i < len(a) {
			out[i].EN = a[i]
		}
		if i < len(b) {
			out[i].SV = b[i]
		}
	}
	return out
}

func unpairLines(ts []domain.Text) (en, sv string) {
	var a, b []string
	for _, t := range ts {
		a = append(a, t.EN)
		b = append(b, t.SV)
	}
	return strings.Join(a, "\n"), strings.Join(b, "\n")
}

func text(vals map[string]string, name string) domain.Text {
	return domain.T(vals[name+"_en"], vals[name+"_sv"]).Trimmed()
}

func putText(vals map[string]string, name string, t domain.Text) {
	vals[name+"_en"], vals[name+"_sv"] = t.EN, t.SV
}

// applyItem writes form values into the item of the kind with key (or a new
// item with newKey when key is "new").
func applyItem(ct *domain.Content, kind, key, newKey string, vals map[string]string, forces []string) error {
	idx := -1
	if key != "new" {
		for i, k := range ct.Keys(kind) {
			if k == key {
				idx = i
			}
		}
		if idx < 0 {
			return errNotFound
		}
	}
	switch kind {
	case domain.KindHorizon:
		h := domain.Horizon{Key: newKey, Name: text(vals, "name")}
		if idx < 0 {
			ct.Horizons = append(ct.Horizons, h)
		} else {
			ct.Horizons[idx] = h
		}
	case domain.KindDrivingForce:
		f := domain.DrivingForce{Key: newKey, Name: text(vals, "name"), Description: text(vals, "description")}
		if idx < 0 {
			ct.DrivingForces = append(ct.DrivingForces, f)
		} else {
			ct.DrivingForces[idx] = f
		}
	case domain.KindTension:
		t := domain.Tension{Key: newKey, Name: text(vals, "name"), PoleA: text(vals, "pole_a"), PoleB: text(vals, "pole_b"),
			Description: text(vals, "description")}
		if idx < 0 {
			ct.Tensions = append(ct.Tensions, t)
		} else {
			ct.Tensions[idx] = t
		}
	case domain.KindTrend:
		t := domain.Trend{Key: newKey, Title: text(vals, "title"), Summary: text(vals, "summary"), Description: text(vals, "description"),
			Category: domain.Category(vals["category"]), DrivingForces: forces, Horizon: vals["horizon"],
			Indicators: pairLines(vals["indicators_en"], vals["indicators_sv"]),
			Questions:  pairLines(vals["questions_en"], vals["questions_sv"])}
		for _, l := range splitLines(vals["sources"]) {
			parts := strings.Split(l, "|")
			src := domain.Source{Title: strings.TrimSpace(parts[0])}
			if len(parts) > 1 {
				src.URL = strings.TrimSpace(parts[1])
			}
			if len(parts) > 2 {
				src.Date = strings.TrimSpace(parts[2])
			}
			t.Sources = append(t.Sources, src)
		}
		for _, tag := range strings.Split(vals["tags"], ",") {
			if tag = strings.TrimSpace(tag); tag != "" {
				t.Tags = append(t.Tags, tag)
			}
		}
		var old domain.Trend
		if idx >= 0 {
			old = ct.Trends[idx]
			t.IsNew, t.Movement = old.IsNew, old.Movement
		}
		t.Demands = formDemands(ct.CapabilityAreas, vals, old)
		if idx < 0 {
			ct.Trends = append(ct.Trends, t)
		} else {
			ct.Trends[idx] = t
		}
	case domain.KindCapabilityArea:
		a := domain.CapabilityArea{Key: newKey, Name: text(vals, "name"), Description: text(vals, "description")}
		for l := range a.Levels {
			a.Levels[l] = text(vals, "level"+string(rune('1'+l)))
		}
		if idx < 0 {
			ct.CapabilityAreas = append(ct.CapabilityAreas, a)
		} else {
			ct.CapabilityAreas[idx] = a
		}
	}
	return nil
}

// demandInput is the name of the trend form's control for the demand on
// the capability area: demands_data-sharing.
func demandInput(area string) string { return "demands_" + area }

// formDemands reads the trend form's demand controls, one per capability
// area of the draft: 0 (or empty) is no link, 1–3 a link; anything else is
// kept as an invalid level for Validate to report. An area without a
// control in the form (added since the form was opened) keeps the trend's
// old link.
func formDemands(areas []domain.CapabilityArea, vals map[string]string, old domain.Trend) []domain.Demand {
	var out []domain.Demand
	for _, a := range areas {
		level := old.Demand(a.Key)
		if v, ok := vals[demandInput(a.Key)]; ok {
			v = strings.TrimSpace(v)
			switch n, err := strconv.Atoi(v); {
			case v == "":
				level = 0
			case err != nil:
				level = -1
			default:
				level = n
			}
		}
		if level != 0 {
			out = append(out, domain.Demand{Area: a.Key, Level: level})
		}
	}
	domain.SortDemands(out)
	return out
}

// itemValues fills an edit form from an existing item.
func itemValues(ct *domain.Content, kind, key string) (map[string]string, []string, bool) {
	vals := map[string]string{"key": key}
	switch kind {
	case domain.KindHorizon:
		for _, h := range ct.Horizons {
			if h.Key == key {
				putText(vals, "name", h.Name)
				return vals, nil, true
			}
		}
	case domain.KindDrivingForce:
		for _, f := range ct.DrivingForces {
			if f.Key == key {
				putText(vals, "name", f.Name)
				putText(vals, "description", f.Description)
				return vals, nil, true
			}
		}
	case domain.KindTension:
		for _, t := range ct.Tensions {
			if t.Key == key {
				putText(vals, "name", t.Name)
				putText(vals, "pole_a", t.PoleA)
				putText(vals, "pole_b", t.PoleB)
				putText(vals, "description", t.Description)
				return vals, nil, true
			}
		}
	case domain.KindTrend:
		for _, t := range ct.Trends {
			if t.Key == key {
				putText(vals, "title", t.Title)
				putText(vals, "summary", t.Summary)
				putText(vals, "description", t.Description)
				vals["category"], vals["horizon"] = string(t.Category), t.Horizon
				vals["indicators_en"], vals["indicators_sv"] = unpairLines(t.Indicators)
				vals["questions_en"], vals["questions_sv"] = unpairLines(t.Questions)
				var src []string
				for _, s := range t.Sources {
					src = append(src, strings.TrimRight(strings.Join([]string{s.Title, s.URL, s.Date}, " | "), " |"))
				}
				vals["sources"] = strings.Join(src, "\n")
				vals["tags"] = strings.Join(t.Tags, ", ")
				for _, a := range ct.CapabilityAreas {
					vals[demandInput(a.Key)] = strconv.Itoa(t.Demand(a.Key))
				}
				return vals, t.DrivingForces, true
			}
		}
	case domain.KindCapabilityArea:
		for _, a := range ct.CapabilityAreas {
			if a.Key == key {
				putText(vals, "name", a.Name)
				putText(vals, "description", a.Description)
				for l, d := range a.Levels {
					putText(vals, "level"+string(rune('1'+l)), d)
				}
				return vals, nil, true
			}
		}
	}
	return nil, nil, false
}

// formFields are the names of every form input that can carry an error;
// the error summary names each in the page's language (field.<name>).
var formFields = []string{
	"_", "email", "password", "display_name", "current_password", "new_password", "name", "slug", "role", "country", "type",
	"size_band", "key", "file", "format", "category", "horizon", "driving_forces", "sources", "tags", "url", "licence",
	"source_organisation", "visibility", "lang", "demands",
	"purpose", "trends", "tensions", "questions", "groups", "mode", "opens_at", "closes_at", "language", "dots", "version",
	"group", "text", "now", "want", "answers", "trend", "question", "value", "code",
	"name_en", "name_sv", "description_en", "description_sv", "title_en", "title_sv", "summary_en", "summary_sv",
	"pole_a_en", "pole_a_sv", "pole_b_en", "pole_b_sv", "indicators_en", "indicators_sv", "questions_en", "questions_sv",
	"level1_en", "level1_sv", "level2_en", "level2_sv", "level3_en", "level3_sv", "level4_en", "level4_sv", "level5_en", "level5_sv",
}
