package web

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
	"github.com/waymark/waymark/internal/service"
)

func (c *call) orgPath(format string, args ...any) string {
	return "/o/" + c.org.Slug + fmt.Sprintf(format, args...)
}

type orgHomeData struct {
	Libraries []domain.Library
	Starters  []service.StarterInfo
}

func (s *Server) orgHome(w http.ResponseWriter, r *http.Request, c *call) error {
	s.sessions.Put(r.Context(), "org", c.org.Slug)
	own, err := s.svc.Store().Libraries(r.Context(), c.org.ID)
	if err != nil {
		return err
	}
	return s.render(w, c, http.StatusOK, "org_home", c.org.Name, orgHomeData{Libraries: own})
}

type libraryListData struct {
	Own       []domain.Library
	Public    []domain.Library
	Starters  []starterRow
	CanEdit   bool
	Installed map[string]string // starter key → library id
}

type starterRow struct {
	Key         string
	Name        domain.Text
	Description domain.Text
	Attribution domain.Attribution
	Trends      int
	LibraryID   string // set when installed
}

func (s *Server) libraryList(w http.ResponseWriter, r *http.Request, c *call) error {
	own, public, err := s.svc.Libraries(r.Context(), c.actor)
	if err != nil {
		return err
	}
	installed := map[string]string{}
	for _, l := range own {
		if l.StarterKey != "" {
			installed[l.StarterKey] = l.ID
		}
	}
	var starters []starterRow
	for _, st := range s.starters {
		starters = append(starters, starterRow{Key: st.Key, Name: st.Content.Name, Description: st.Content.Description,
			Attribution: st.Content.Attribution, Trends: len(st.Content.Trends), LibraryID: installed[st.Key]})
	}
	return s.render(w, c, http.StatusOK, "library_list", c.T("libraries.title"), libraryListData{
		Own: own, Public: public, Starters: starters, CanEdit: c.actor.Role.CanEditLibraries()})
}

func (s *Server) starterInstall(w http.ResponseWriter, r *http.Request, c *call) error {
	lib, err := s.svc.InstallStarter(r.Context(), c.actor, r.PathValue("key"))
	if err != nil {
		return err
	}
	c.setFlash(c.T("libraries.installed", "Name", lib.Name.String(c.lang)))
	return redirect(w, r, c.orgPath("/libraries/%s", lib.ID))
}

type importData struct {
	Format   string
	Lang     string
	File     string
	Problems domain.Problems
	Formats  []string
}

func (s *Server) libraryImportForm(w http.ResponseWriter, r *http.Request, c *call) error {
	if !c.actor.Role.CanEditLibraries() {
		return domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to import libraries.")
	}
	return s.render(w, c, http.StatusOK, "library_import", c.T("import.title"), importData{})
}

// libraryImport takes an uploaded file, checks all of it and stores it, or
// shows every problem found and stores nothing.
func (s *Server) libraryImport(w http.ResponseWriter, r *http.Request, c *call) error {
	if !c.actor.Role.CanEditLibraries() {
		return domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to import libraries.")
	}
	d := importData{Format: r.FormValue("format"), Lang: r.FormValue("lang")}
	fail := func(ps domain.Problems) error {
		d.Problems = ps
		return s.render(w, c, http.StatusUnprocessableEntity, "library_import", c.T("import.title"), d)
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return fail(domain.Problems{{Message: c.T("import.too_large")}})
		}
		return fail(domain.Problems{{Field: "file", Message: c.T("import.no_file")}})
	}
	defer file.Close()
	d.File = filepath.Base(hdr.Filename)
	data, err := io.ReadAll(io.LimitReader(file, library.MaxFileSize+1))
	if err != nil {
		return err
	}
	var format library.Format
	if d.Format != "" {
		if format, err = library.ParseFormat(d.Format); err != nil {
			return fail(domain.Problems{{Field: "format", Message: err.Error()}})
		}
	}
	opt := library.ParseOptions{Name: strings.TrimSuffix(d.File, filepath.Ext(d.File))}
	if d.Lang == "sv" {
		opt.Lang = "sv"
	}
	lib, _, err := s.svc.Import(r.Context(), c.actor, d.File, data, format, opt)
	if ps, ok := asProblems(err); ok {
		return fail(ps)
	}
	if err != nil {
		return err
	}
	c.setFlash(c.T("import.done", "Name", lib.Name.String(c.lang)))
	return redirect(w, r, c.orgPath("/libraries/%s", lib.ID))
}

// libraryContext loads a library, its versions and the version asked for
// (?v=id), or the current one.
type libraryContext struct {
	Library  *domain.Library
	Versions []domain.VersionInfo
	Version  *domain.Version
	Own      bool // the caller's organisation owns the library
	CanEdit  bool // the caller may edit it (owner organisation, role)
	Draft    *domain.VersionInfo
}

func (s *Server) loadLibrary(r *http.Request, c *call) (*libraryContext, error) {
	lib, versions, err := s.svc.Library(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	lc := &libraryContext{Library: lib, Versions: versions, Own: lib.OrgID == c.org.ID}
	lc.CanEdit = lc.Own && c.actor.Role.CanEditLibraries()
	if len(versions) > 0 && versions[0].Status == domain.Draft {
		lc.Draft = &versions[0]
	}
	vid := r.URL.Query().Get("v")
	if vid == "" {
		cur := service.CurrentVersion(versions, lc.CanEdit)
		if cur == nil {
			return nil, domain.Errorf(domain.ENOTFOUND, "This library has no published version yet.")
		}
		vid = cur.ID
	}
	v, err := s.svc.Version(r.Context(), c.actor, vid)
	if err != nil {
		return nil, err
	}
	if v.LibraryID != lib.ID {
		return nil, errNotFound
	}
	lc.Version = v
	return lc, nil
}

type libraryShowData struct {
	*libraryContext
	Filter     service.TrendFilter
	Trends     []trendCard
	Categories []domain.Category
	Formats    []string
	NewLabel   string
}

// trendCard is one trend in a library's list, prepared in Go so that the
// template does little per card: a library page lists up to thousands.
type trendCard struct {
	Key        string
	Href       string
	Title      template.HTML // with a translation-gap mark when needed
	TitleText  string
	Category   domain.Category
	CatLabel   string
	IsNew      bool
	Summary    template.HTML
	Meta       string // driving forces · horizon
	Forces     string // keys, space-separated, for the instant filter
	First      bool   // first and last in the version: no move up or down
	Last       bool
	FilterText string // words the instant filter searches, both languages
}

// filterText is what the instant filter searches for a trend: the same
// fields as service.FilterTrends, so that typing and submitting the filter
// find the same trends.
func filterText(t domain.Trend) string {
	parts := []string{t.Key, t.Title.EN, t.Title.SV, t.Summary.EN, t.Summary.SV, t.Description.EN, t.Description.SV}
	parts = append(parts, t.Tags...)
	for _, ind := range t.Indicators {
		parts = append(parts, ind.EN, ind.SV)
	}
	return strings.Join(parts, " ")
}

func (s *Server) trendCards(c *call, base string, v *domain.Version, trends []domain.Trend) []trendCard {
	forces := make(map[string]string, len(v.DrivingForces))
	for _, f := range v.DrivingForces {
		forces[f.Key] = f.Name.String(c.lang)
	}
	horizons := make(map[string]string, len(v.Horizons))
	for _, h := range v.Horizons {
		horizons[h.Key] = h.Name.String(c.lang)
	}
	mark := s.pages.gapMarker[c.lang]
	labels := map[domain.Category]string{}
	for _, cat := range domain.Categories {
		labels[cat] = c.T("category." + string(cat))
	}
	cards := make([]trendCard, len(trends))
	for i, t := range trends {
		var meta []string
		for _, k := range t.DrivingForces {
			meta = append(meta, forces[k])
		}
		m := strings.Join(meta, ", ")
		if h := horizons[t.Horizon]; h != "" {
			if m != "" {
				m += " · "
			}
			m += h
		}
		cards[i] = trendCard{
			Key: t.Key, Href: base + "/trends/" + url.PathEscape(t.Key) + "?v=" + v.ID,
			Title: mark(t.Title), TitleText: t.Title.String(c.lang), Category: t.Category, CatLabel: labels[t.Category], IsNew: t.IsNew,
			Summary: mark(t.Summary), Meta: m, Forces: strings.Join(t.DrivingForces, " "),
			FilterText: filterText(t),
			First:      t.Key == v.Trends[0].Key, Last: t.Key == v.Trends[len(v.Trends)-1].Key,
		}
	}
	return cards
}

func (s *Server) libraryShow(w http.ResponseWriter, r *http.Request, c *call) error {
	lc, err := s.loadLibrary(r, c)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := service.TrendFilter{Force: q.Get("force"), Query: strings.TrimSpace(q.Get("q"))}
	for _, cat := range q["category"] {
		if domain.ValidCategory(domain.Category(cat)) {
			f.Categories = append(f.Categories, domain.Category(cat))
		}
	}
	base := c.orgPath("/libraries/%s", lc.Library.ID)
	d := libraryShowData{libraryContext: lc, Filter: f, Categories: domain.Categories, Formats: []string{"json", "csv", "radar"},
		Trends: s.trendCards(c, base, lc.Version, service.FilterTrends(&lc.Version.Content, f)), NewLabel: c.T("trends.new")}
	return s.render(w, c, http.StatusOK, "library_show", lc.Version.Name.String(c.lang), d)
}

type trendShowData struct {
	*libraryContext
	Trend      domain.Trend
	Forces     []domain.DrivingForce
	Horizon    domain.Text
	Demands    []trendDemand // in the order of the library's capability areas
	Prev, Next string
}

// trendDemand is one capability area a trend demands, and how strongly.
type trendDemand struct {
	Area  domain.Text
	Level int
}

func (s *Server) trendShow(w http.ResponseWriter, r *http.Request, c *call) error {
	lc, err := s.loadLibrary(r, c)
	if err != nil {
		return err
	}
	key := r.PathValue("key")
	d := trendShowData{libraryContext: lc}
	found := false
	for i, t := range lc.Version.Trends {
		if t.Key == key {
			d.Trend, found = t, true
			if i > 0 {
				d.Prev = lc.Version.Trends[i-1].Key
			}
			if i+1 < len(lc.Version.Trends) {
				d.Next = lc.Version.Trends[i+1].Key
			}
		}
	}
	if !found {
		return errNotFound
	}
	for _, k := range d.Trend.DrivingForces {
		if f, ok := lc.Version.DrivingForce(k); ok {
			d.Forces = append(d.Forces, f)
		}
	}
	if h, ok := lc.Version.HorizonByKey(d.Trend.Horizon); ok {
		d.Horizon = h.Name
	}
	for _, a := range lc.Version.CapabilityAreas {
		if l := d.Trend.Demand(a.Key); l > 0 {
			d.Demands = append(d.Demands, trendDemand{Area: a.Name, Level: l})
		}
	}
	return s.render(w, c, http.StatusOK, "trend_show", d.Trend.Title.String(c.lang), d)
}

func (s *Server) versionList(w http.ResponseWriter, r *http.Request, c *call) error {
	lc, err := s.loadLibrary(r, c)
	if err != nil {
		return err
	}
	return s.render(w, c, http.StatusOK, "version_list", c.T("versions.title"), lc)
}

type diffData struct {
	*libraryContext
	From, To *domain.Version
	Changes  []domain.Change
}

func (s *Server) versionDiff(w http.ResponseWriter, r *http.Request, c *call) error {
	lc, err := s.loadLibrary(r, c)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	from, to, changes, err := s.svc.Diff(r.Context(), c.actor, q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	if from.LibraryID != lc.Library.ID {
		return errNotFound
	}
	return s.render(w, c, http.StatusOK, "version_diff", c.T("diff.title"), diffData{libraryContext: lc, From: from, To: to, Changes: changes})
}

// libraryExport downloads a version in a format.
func (s *Server) libraryExport(w http.ResponseWriter, r *http.Request, c *call) error {
	lc, err := s.loadLibrary(r, c)
	if err != nil {
		return err
	}
	format, err := library.ParseFormat(r.URL.Query().Get("format"))
	if err != nil {
		return domain.Errorf(domain.EINVALID, "%s", err.Error())
	}
	data, name, err := s.svc.Export(r.Context(), c.actor, lc.Version.ID, format)
	if err != nil {
		return err
	}
	return sendDownload(w, format.ContentType(), name, data)
}

func (s *Server) draftStart(w http.ResponseWriter, r *http.Request, c *call) error {
	v, err := s.svc.StartDraft(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	c.setFlash(c.T("draft.started", "Number", v.Number))
	return redirect(w, r, c.orgPath("/libraries/%s", r.PathValue("id")))
}

func (s *Server) draftPublish(w http.ResponseWriter, r *http.Request, c *call) error {
	lc, err := s.loadLibrary(r, c)
	if err != nil {
		return err
	}
	if lc.Draft == nil {
		return domain.Errorf(domain.ECONFLICT, "There is no draft to publish.")
	}
	if err := s.svc.Publish(r.Context(), c.actor, lc.Draft.ID); err != nil {
		return err
	}
	c.setFlash(c.T("draft.published", "Number", lc.Draft.Number))
	return redirect(w, r, c.orgPath("/libraries/%s", lc.Library.ID))
}

func (s *Server) draftDiscard(w http.ResponseWriter, r *http.Request, c *call) error {
	lc, err := s.loadLibrary(r, c)
	if err != nil {
		return err
	}
	if lc.Draft == nil {
		return domain.Errorf(domain.ECONFLICT, "There is no draft to discard.")
	}
	if err := s.svc.DiscardDraft(r.Context(), c.actor, lc.Draft.ID); err != nil {
		return err
	}
	c.setFlash(c.T("draft.discarded"))
	return redirect(w, r, c.orgPath("/libraries/%s", lc.Library.ID))
}

func (s *Server) libraryCopy(w http.ResponseWriter, r *http.Request, c *call) error {
	lib, err := s.svc.Copy(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	c.setFlash(c.T("libraries.copied", "Name", lib.Name.String(c.lang)))
	return redirect(w, r, c.orgPath("/libraries/%s", lib.ID))
}

func (s *Server) libraryVisibility(w http.ResponseWriter, r *http.Request, c *call) error {
	id := r.PathValue("id")
	if err := s.svc.SetVisibility(r.Context(), c.actor, id, domain.Visibility(r.PostFormValue("visibility"))); err != nil {
		return err
	}
	c.setFlash(c.T("libraries.visibility_saved"))
	return redirect(w, r, c.orgPath("/libraries/%s", id))
}

func (s *Server) libraryDelete(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.svc.DeleteLibrary(r.Context(), c.actor, r.PathValue("id")); err != nil {
		return err
	}
	c.setFlash(c.T("libraries.deleted"))
	return redirect(w, r, c.orgPath("/libraries"))
}
