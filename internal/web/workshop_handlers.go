package web

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/live"
	"github.com/waymark/waymark/internal/qr"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/workshop"
)

type workshopListData struct {
	Workshops []domain.WorkshopSummary
	CanEdit   bool
}

func (s *Server) workshopList(w http.ResponseWriter, r *http.Request, c *call) error {
	ws, err := s.svc.Workshops(r.Context(), c.actor)
	if err != nil {
		return err
	}
	return s.render(w, c, http.StatusOK, "workshop_list", c.T("workshops.title"), workshopListData{Workshops: ws, CanEdit: c.actor.Role.CanEditLibraries()})
}

// workshopForm is the create and edit form of a workshop.
type workshopForm struct {
	Workshop  *domain.Workshop
	Library   *domain.Library
	Version   *domain.Version
	Libraries []domain.Library // step 1 of "new": libraries with a published version
	Questions []domain.Question
	GroupText string // "English | Swedish" per line
	OpensAt   string // datetime-local values
	ClosesAt  string
	Frozen    bool
	Problems  map[string]string
	IsNew     bool
}

func (f *workshopForm) HasTrend(k string) bool    { return slices.Contains(f.Workshop.TrendKeys, k) }
func (f *workshopForm) HasTension(k string) bool  { return slices.Contains(f.Workshop.Tensions, k) }
func (f *workshopForm) HasQuestion(k string) bool { _, ok := f.Workshop.Question(k); return ok }

const datetimeLocal = "2006-01-02T15:04"

func (s *Server) workshopNewForm(w http.ResponseWriter, r *http.Request, c *call) error {
	if !c.actor.Role.CanEditLibraries() {
		return domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to create workshops.")
	}
	f := &workshopForm{IsNew: true, Questions: domain.DefaultQuestions()}
	vid := r.URL.Query().Get("version")
	if vid == "" {
		own, err := s.svc.Store().Libraries(r.Context(), c.org.ID)
		if err != nil {
			return err
		}
		for _, l := range own {
			if l.Published != nil {
				f.Libraries = append(f.Libraries, l)
			}
		}
		return s.render(w, c, http.StatusOK, "workshop_form", c.T("workshops.new"), f)
	}
	v, err := s.svc.Version(r.Context(), c.actor, vid)
	if err != nil {
		return err
	}
	lib, _, err := s.svc.Library(r.Context(), c.actor, v.LibraryID)
	if err != nil {
		return err
	}
	f.Library, f.Version = lib, v
	f.Workshop = service.NewWorkshop(c.actor, lib, v, c.lang)
	f.GroupText = groupText(f.Workshop.Groups)
	return s.render(w, c, http.StatusOK, "workshop_form", c.T("workshops.new"), f)
}

// readWorkshopForm fills w from the posted form and returns the form data
// to show again when the service rejects it.
func (s *Server) readWorkshopForm(r *http.Request, c *call, w *domain.Workshop) *workshopForm {
	f := r.PostForm
	w.Title, w.Purpose = f.Get("title"), f.Get("purpose")
	w.VersionID = f.Get("version")
	w.TrendKeys, w.Tensions = f["trends"], f["tensions"]
	w.Questions = nil
	for _, q := range domain.DefaultQuestions() {
		if slices.Contains(f["questions"], q.Key) {
			w.Questions = append(w.Questions, q)
		}
	}
	w.Groups = parseGroups(f.Get("groups"))
	w.Mode = domain.WorkshopMode(f.Get("mode"))
	w.Language = f.Get("language")
	w.Anonymous = f.Get("named") == ""
	w.Dots, _ = strconv.Atoi(f.Get("dots"))
	w.OpensAt, w.ClosesAt = nil, nil
	form := &workshopForm{Workshop: w, Questions: domain.DefaultQuestions(), GroupText: f.Get("groups"),
		OpensAt: f.Get("opens_at"), ClosesAt: f.Get("closes_at")}
	if w.Mode == domain.Async {
		if t, err := time.ParseInLocation(datetimeLocal, f.Get("opens_at"), time.UTC); err == nil {
			w.OpensAt = &t
		}
		if t, err := time.ParseInLocation(datetimeLocal, f.Get("closes_at"), time.UTC); err == nil {
			w.ClosesAt = &t
		}
	}
	return form
}

// rootFields points problems about parts of a list at the list's input:
// "groups[0].key" → "groups".
func rootFields(ps domain.Problems) domain.Problems {
	out := make(domain.Problems, len(ps))
	for i, p := range ps {
		if j := strings.IndexAny(p.Field, "[."); j > 0 {
			p.Field = p.Field[:j]
		}
		out[i] = p
	}
	return out
}

// parseGroups reads "English | Swedish" lines into groups with keys made
// from the English name.
func parseGroups(text string) []domain.Group {
	var gs []domain.Group
	used := map[string]bool{}
	for _, line := range splitLines(text) {
		en, sv, _ := strings.Cut(line, "|")
		name := domain.T(strings.TrimSpace(en), strings.TrimSpace(sv))
		key := domain.Slugify(name.EN)
		if key == "" {
			key = domain.Slugify(name.SV)
		}
		base := key
		for n := 2; used[key]; n++ {
			key = fmt.Sprintf("%s-%d", base, n)
		}
		used[key] = true
		gs = append(gs, domain.Group{Key: key, Name: name})
	}
	return gs
}

func groupText(gs []domain.Group) string {
	var lines []string
	for _, g := range gs {
		lines = append(lines, g.Name.EN+" | "+g.Name.SV)
	}
	return strings.Join(lines, "\n")
}

func (s *Server) workshopCreate(w http.ResponseWriter, r *http.Request, c *call) error {
	ws := &domain.Workshop{}
	f := s.readWorkshopForm(r, c, ws)
	f.IsNew = true
	err := s.svc.CreateWorkshop(r.Context(), c.actor, ws)
	if ps, ok := asProblems(err); ok {
		if err := s.fillFormVersion(r, c, f); err != nil {
			return err
		}
		f.Problems = c.problemMap(rootFields(ps))
		return s.render(w, c, http.StatusUnprocessableEntity, "workshop_form", c.T("workshops.new"), f)
	}
	if err != nil {
		return err
	}
	c.setFlash(c.T("workshops.created", "Title", ws.Title))
	return redirect(w, r, c.orgPath("/workshops/%s", ws.ID))
}

// fillFormVersion loads the library version a re-shown form needs.
func (s *Server) fillFormVersion(r *http.Request, c *call, f *workshopForm) error {
	v, err := s.svc.Version(r.Context(), c.actor, f.Workshop.VersionID)
	if err != nil {
		return err
	}
	lib, _, err := s.svc.Library(r.Context(), c.actor, v.LibraryID)
	if err != nil {
		return err
	}
	f.Library, f.Version = lib, v
	return nil
}

func (s *Server) workshopEditForm(w http.ResponseWriter, r *http.Request, c *call) error {
	if !c.actor.Role.CanEditLibraries() {
		return domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to edit workshops.")
	}
	ws, err := s.svc.Workshop(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	f := &workshopForm{Workshop: ws, Questions: domain.DefaultQuestions(), GroupText: groupText(ws.Groups), Frozen: ws.QuestionsFrozen}
	if ws.OpensAt != nil {
		f.OpensAt = ws.OpensAt.UTC().Format(datetimeLocal)
	}
	if ws.ClosesAt != nil {
		f.ClosesAt = ws.ClosesAt.UTC().Format(datetimeLocal)
	}
	if err := s.fillFormVersion(r, c, f); err != nil {
		return err
	}
	return s.render(w, c, http.StatusOK, "workshop_form", c.T("workshops.edit"), f)
}

func (s *Server) workshopSave(w http.ResponseWriter, r *http.Request, c *call) error {
	old, err := s.svc.Workshop(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	ws := *old
	f := s.readWorkshopForm(r, c, &ws)
	f.Frozen = old.QuestionsFrozen
	err = s.svc.UpdateWorkshop(r.Context(), c.actor, &ws, r.PostFormValue("override") != "")
	if ps, ok := asProblems(err); ok {
		if err := s.fillFormVersion(r, c, f); err != nil {
			return err
		}
		f.Problems = c.problemMap(rootFields(ps))
		return s.render(w, c, http.StatusUnprocessableEntity, "workshop_form", c.T("workshops.edit"), f)
	}
	if domain.ErrorCode(err) == domain.ECONFLICT {
		if err := s.fillFormVersion(r, c, f); err != nil {
			return err
		}
		f.Problems = map[string]string{"questions": c.errorMessage(err)}
		return s.render(w, c, http.StatusConflict, "workshop_form", c.T("workshops.edit"), f)
	}
	if err != nil {
		return err
	}
	c.setFlash(c.T("workshops.saved"))
	return redirect(w, r, c.orgPath("/workshops/%s", ws.ID))
}

// workshopRunData is the facilitator's page of a workshop.
type workshopRunData struct {
	Workshop *domain.Workshop
	Version  *domain.Version
	Progress *service.Progress
	Ideas    []domain.Idea
	Code     string
	JoinURL  string
	QR       template.HTML
	Next     domain.Phase
	Prev     domain.Phase
	CanRun   bool
	Trends   map[string]domain.Trend
	Groups   []groupCount
	Phases   []domain.Phase // the phases a workshop runs through
}

type groupCount struct {
	Name  domain.Text
	Count int
}

func (s *Server) workshopRunData(r *http.Request, c *call) (*workshopRunData, error) {
	ctx := r.Context()
	ws, err := s.svc.Workshop(ctx, c.actor, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	v, err := s.svc.Version(ctx, domain.System(c.org.ID), ws.VersionID)
	if err != nil {
		return nil, err
	}
	p, err := s.svc.WorkshopProgress(ctx, ws)
	if err != nil {
		return nil, err
	}
	d := &workshopRunData{Workshop: ws, Version: v, Progress: p, Code: workshop.FormatCode(ws.Code),
		JoinURL: s.absoluteURL(r, "/join/"+ws.Code), CanRun: c.actor.Role.CanEditLibraries(), Trends: map[string]domain.Trend{},
		Phases: domain.Phases[1:]}
	svg, err := qr.SVG(d.JoinURL, c.T("workshops.qr_label", "URL", d.JoinURL))
	if err == nil {
		d.QR = template.HTML(svg)
	}
	for _, t := range v.Trends {
		d.Trends[t.Key] = t
	}
	for _, g := range ws.Groups {
		d.Groups = append(d.Groups, groupCount{Name: g.Name, Count: p.Joined[g.Key]})
	}
	if i := ws.Phase.Index(); i+1 < len(domain.Phases) {
		d.Next = domain.Phases[i+1]
		if d.Next == domain.PhaseTensions && len(ws.Tensions) == 0 {
			d.Next = domain.PhaseConsequences
		}
	}
	if i := ws.Phase.Index(); i > 1 && ws.Phase != domain.PhaseClosed {
		d.Prev = domain.Phases[i-1]
	}
	if d.Ideas, err = s.svc.AllIdeas(ctx, c.actor, ws.ID); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) workshopRun(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.workshopRunData(r, c)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("fragment") == "1" {
		return s.renderBlock(w, c, "workshop_run", "run_live", d)
	}
	return s.render(w, c, http.StatusOK, "workshop_run", d.Workshop.Title, d)
}

func (s *Server) workshopPhase(w http.ResponseWriter, r *http.Request, c *call) error {
	ws, err := s.svc.SetPhase(r.Context(), c.actor, r.PathValue("id"), domain.Phase(r.PostFormValue("phase")))
	if err != nil {
		return err
	}
	c.setFlash(c.T("workshops.phase_now", "Phase", c.T("phase."+string(ws.Phase))))
	return redirect(w, r, c.orgPath("/workshops/%s", ws.ID))
}

func (s *Server) workshopResults(w http.ResponseWriter, r *http.Request, c *call) error {
	ws, err := s.svc.SetShowResults(r.Context(), c.actor, r.PathValue("id"), r.PostFormValue("show") == "1")
	if err != nil {
		return err
	}
	return redirect(w, r, c.orgPath("/workshops/%s", ws.ID))
}

func (s *Server) workshopDuplicate(w http.ResponseWriter, r *http.Request, c *call) error {
	ws, err := s.svc.DuplicateWorkshop(r.Context(), c.actor, r.PathValue("id"), c.T("workshops.copy_suffix"))
	if err != nil {
		return err
	}
	c.setFlash(c.T("workshops.duplicated"))
	return redirect(w, r, c.orgPath("/workshops/%s/edit", ws.ID))
}

func (s *Server) workshopDelete(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.svc.DeleteWorkshop(r.Context(), c.actor, r.PathValue("id")); err != nil {
		return err
	}
	c.setFlash(c.T("workshops.deleted"))
	return redirect(w, r, c.orgPath("/workshops"))
}

func (s *Server) workshopIdeaHidden(w http.ResponseWriter, r *http.Request, c *call) error {
	id := r.PathValue("id")
	if err := s.svc.HideIdea(r.Context(), c.actor, id, r.PathValue("idea"), r.PostFormValue("hidden") == "1"); err != nil {
		return err
	}
	return redirect(w, r, c.orgPath("/workshops/%s#ideas", id))
}

// workshopPresent is the presenter view for the big screen. With
// ?fragment=1 it returns only the live part, which the page's script
// fetches again whenever the stream says something changed.
func (s *Server) workshopPresent(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.workshopRunData(r, c)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("fragment") == "1" {
		return s.renderBlock(w, c, "workshop_present", "present_live", d)
	}
	return s.render(w, c, http.StatusOK, "workshop_present", d.Workshop.Title, d)
}

// workshopEvents streams the presenter topic to the facilitator's pages.
func (s *Server) workshopEvents(w http.ResponseWriter, r *http.Request, c *call) error {
	ws, err := s.svc.Workshop(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return live.ServeSSE(w, r, s.svc.Broker(), service.PresenterTopic(ws.ID), live.SSEOptions{})
}
