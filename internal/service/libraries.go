package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
	"github.com/waymark/waymark/internal/library/starter"
)

// Libraries returns the libraries the actor's organisation owns and the
// public libraries of other organisations.
func (s *Service) Libraries(ctx context.Context, a domain.Actor) (own, public []domain.Library, err error) {
	if own, err = s.store.Libraries(ctx, a.OrgID); err != nil {
		return nil, nil, err
	}
	if public, err = s.store.PublicLibraries(ctx, a.OrgID); err != nil {
		return nil, nil, err
	}
	return own, public, nil
}

// Library returns a library the actor can see and the versions the actor
// may see, newest first: every version for the owner organisation, the
// published ones for others. A public library with no published version
// does not exist for other organisations (ENOTFOUND).
func (s *Service) Library(ctx context.Context, a domain.Actor, id string) (*domain.Library, []domain.VersionInfo, error) {
	lib, err := s.store.Library(ctx, a.OrgID, id)
	if err != nil {
		return nil, nil, err
	}
	versions, err := s.store.Versions(ctx, a.OrgID, id)
	if err != nil {
		return nil, nil, err
	}
	if lib.OrgID != a.OrgID {
		versions = slices.DeleteFunc(versions, func(v domain.VersionInfo) bool { return v.Status != domain.Published })
		if len(versions) == 0 {
			return nil, nil, domain.Errorf(domain.ENOTFOUND, "Library not found.")
		}
	}
	return lib, versions, nil
}

// Version returns a version the actor may see, with content. Drafts of
// other organisations' public libraries are ENOTFOUND, as if they did not
// exist. The result is shared: callers must not modify it (Clone it first).
func (s *Service) Version(ctx context.Context, a domain.Actor, versionID string) (*domain.Version, error) {
	if v, ok := s.published.Get(versionID); ok {
		// The content is immutable; only who may see it can change.
		if _, err := s.store.Library(ctx, a.OrgID, v.LibraryID); err != nil {
			return nil, err
		}
		return v, nil
	}
	v, err := s.store.Version(ctx, a.OrgID, versionID)
	if err != nil {
		return nil, err
	}
	if v.Status == domain.Published {
		s.published.Add(versionID, v)
	}
	if v.Status != domain.Published {
		lib, err := s.store.Library(ctx, a.OrgID, v.LibraryID)
		if err != nil {
			return nil, err
		}
		if lib.OrgID != a.OrgID {
			return nil, domain.Errorf(domain.ENOTFOUND, "There is no such version.")
		}
	}
	return v, nil
}

// CurrentVersion returns the version to show for a library: the draft for
// those who may edit it, else the newest published version.
func CurrentVersion(versions []domain.VersionInfo, canEdit bool) *domain.VersionInfo {
	for i := range versions {
		if canEdit || versions[i].Status == domain.Published {
			return &versions[i]
		}
	}
	return nil
}

// Import parses a library file in the given format (detected from the file
// when empty), checks all of it, and stores it as a new library of the
// actor's organisation with one published version. Invalid input returns
// domain.Problems listing every problem, and nothing is stored.
func (s *Service) Import(ctx context.Context, a domain.Actor, file string, data []byte, format library.Format, opt library.ParseOptions) (*domain.Library, *domain.VersionInfo, error) {
	if !a.Role.CanEditLibraries() {
		return nil, nil, forbidden("import libraries")
	}
	if format == "" {
		f, err := library.Detect(file, data)
		if err != nil {
			return nil, nil, domain.Problems{{File: file, Message: err.Error()}}
		}
		format = f
	}
	content, problems := library.Parse(file, data, format, opt)
	if len(problems) > 0 {
		return nil, nil, problems
	}
	lib := &domain.Library{OrgID: a.OrgID, Visibility: domain.Private}
	v, err := s.store.CreateLibrary(ctx, lib, content, domain.Published, "Imported from "+file)
	if err != nil {
		return nil, nil, err
	}
	s.audit(ctx, a, "library.import", "library", lib.ID, fmt.Sprintf("%s (%s, %d trends)", file, format, len(content.Trends)))
	return lib, v, nil
}

// Export writes a version the actor can see in the format, returning the
// bytes and a suggested file name.
func (s *Service) Export(ctx context.Context, a domain.Actor, versionID string, format library.Format) ([]byte, string, error) {
	v, err := s.Version(ctx, a, versionID)
	if err != nil {
		return nil, "", err
	}
	data, err := library.Marshal(&v.Content, format)
	if err != nil {
		return nil, "", err
	}
	base := domain.Slugify(v.Name.String("en"))
	if base == "" {
		base = "library"
	}
	return data, fmt.Sprintf("%s-v%d%s", base, v.Number, format.Extension()), nil
}

// InstallStarter installs one of the starter libraries that ship with
// Waymark into the actor's organisation, as a published library. It is
// idempotent: an organisation that has it already gets the one it has.
func (s *Service) InstallStarter(ctx context.Context, a domain.Actor, key string) (*domain.Library, error) {
	if !a.Role.CanEditLibraries() {
		return nil, forbidden("install libraries")
	}
	st, ok := starter.ByKey(key)
	if !ok {
		return nil, domain.Errorf(domain.ENOTFOUND, "There is no starter library %q.", key)
	}
	own, err := s.store.Libraries(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	for i := range own {
		if own[i].StarterKey == key {
			return &own[i], nil
		}
	}
	content, problems := library.Parse(key+".json", st.JSON, library.FormatJSON, library.ParseOptions{})
	if len(problems) > 0 {
		return nil, fmt.Errorf("service: starter library %s is invalid: %w", key, problems)
	}
	lib := &domain.Library{OrgID: a.OrgID, Visibility: domain.Private, StarterKey: key}
	if _, err := s.store.CreateLibrary(ctx, lib, content, domain.Published, "Starter library"); err != nil {
		return nil, err
	}
	s.audit(ctx, a, "library.install", "library", lib.ID, key)
	return lib, nil
}

// InstallStarters installs every starter library the organisation lacks.
func (s *Service) InstallStarters(ctx context.Context, a domain.Actor) ([]domain.Library, error) {
	var libs []domain.Library
	for _, st := range starter.All() {
		lib, err := s.InstallStarter(ctx, a, st.Key)
		if err != nil {
			return nil, err
		}
		libs = append(libs, *lib)
	}
	return libs, nil
}

// StarterContent returns the content of every starter library, for the
// catalogue page.
func StarterContent() ([]StarterInfo, error) {
	var out []StarterInfo
	for _, st := range starter.All() {
		c, problems := library.Parse(st.Key+".json", st.JSON, library.FormatJSON, library.ParseOptions{})
		if len(problems) > 0 {
			return nil, fmt.Errorf("service: starter library %s is invalid: %w", st.Key, problems)
		}
		out = append(out, StarterInfo{Key: st.Key, Content: c})
	}
	return out, nil
}

// StarterInfo is a starter library in the catalogue.
type StarterInfo struct {
	Key     string
	Content *domain.Content
}

// Copy copies the newest published version of a library the actor can see
// (typically another organisation's public library) into the actor's
// organisation as a new private library.
func (s *Service) Copy(ctx context.Context, a domain.Actor, libraryID string) (*domain.Library, error) {
	if !a.Role.CanEditLibraries() {
		return nil, forbidden("copy libraries")
	}
	_, versions, err := s.Library(ctx, a, libraryID)
	if err != nil {
		return nil, err
	}
	cur := CurrentVersion(versions, false)
	if cur == nil {
		return nil, domain.Errorf(domain.ECONFLICT, "This library has no published version to copy yet.")
	}
	v, err := s.Version(ctx, a, cur.ID)
	if err != nil {
		return nil, err
	}
	lib := &domain.Library{OrgID: a.OrgID, Visibility: domain.Private}
	if _, err := s.store.CreateLibrary(ctx, lib, &v.Content, domain.Published, fmt.Sprintf("Copied from version %d", v.Number)); err != nil {
		return nil, err
	}
	s.audit(ctx, a, "library.copy", "library", lib.ID, "from "+libraryID)
	return lib, nil
}

// StartDraft returns the library's draft, starting one as a copy of the
// newest version when there is none. Only owners and facilitators may.
func (s *Service) StartDraft(ctx context.Context, a domain.Actor, libraryID string) (*domain.VersionInfo, error) {
	if !a.Role.CanEditLibraries() {
		return nil, forbidden("edit libraries")
	}
	lib, versions, err := s.Library(ctx, a, libraryID)
	if err != nil {
		return nil, err
	}
	if lib.OrgID != a.OrgID {
		return nil, forbidden("edit another organisation's library; copy it first")
	}
	if len(versions) == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "The library has no versions.")
	}
	if versions[0].Status == domain.Draft {
		return &versions[0], nil
	}
	v, err := s.store.CreateDraft(ctx, a.OrgID, libraryID, versions[0].ID)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, a, "library.draft", "library_version", v.ID, fmt.Sprintf("version %d", v.Number))
	return v, nil
}

// EditDraft applies edit to a draft's content, checks the whole result, and
// saves it. Invalid results return domain.Problems and change nothing.
func (s *Service) EditDraft(ctx context.Context, a domain.Actor, versionID string, edit func(*domain.Content) error) error {
	if !a.Role.CanEditLibraries() {
		return forbidden("edit libraries")
	}
	v, err := s.store.Version(ctx, a.OrgID, versionID)
	if err != nil {
		return err
	}
	if v.Status != domain.Draft {
		return domain.Errorf(domain.ECONFLICT, "Version %d is published and never changes. Start a new draft to edit.", v.Number)
	}
	c := v.Content.Clone()
	if err := edit(c); err != nil {
		return err
	}
	if cps := c.Validate(); len(cps) > 0 {
		ps := make(domain.Problems, len(cps))
		for i, p := range cps {
			ps[i] = domain.Problem{Where: p.Ref.JSONPath(), Field: p.Ref.Field, Message: p.Message}
		}
		return ps
	}
	return s.store.SaveDraft(ctx, a.OrgID, versionID, c, v.Note)
}

// Publish freezes a draft so workshops can use it.
func (s *Service) Publish(ctx context.Context, a domain.Actor, versionID string) error {
	if !a.Role.CanEditLibraries() {
		return forbidden("publish libraries")
	}
	if err := s.store.PublishVersion(ctx, a.OrgID, versionID, s.now()); err != nil {
		return err
	}
	s.audit(ctx, a, "library.publish", "library_version", versionID, "")
	return nil
}

// DiscardDraft deletes a draft.
func (s *Service) DiscardDraft(ctx context.Context, a domain.Actor, versionID string) error {
	if !a.Role.CanEditLibraries() {
		return forbidden("edit libraries")
	}
	if err := s.store.DeleteDraft(ctx, a.OrgID, versionID); err != nil {
		return err
	}
	s.audit(ctx, a, "library.discard", "library_version", versionID, "")
	return nil
}

// SetVisibility makes an owned library public or private. Only owners may.
func (s *Service) SetVisibility(ctx context.Context, a domain.Actor, libraryID string, v domain.Visibility) error {
	if a.Role != domain.Owner {
		return forbidden("share libraries")
	}
	if v != domain.Public && v != domain.Private {
		return invalid("visibility", "must be public or private")
	}
	if err := s.store.SetLibraryVisibility(ctx, a.OrgID, libraryID, v); err != nil {
		return err
	}
	s.audit(ctx, a, "library.visibility", "library", libraryID, string(v))
	return nil
}

// DeleteLibrary deletes an owned library with every version. Only owners may.
func (s *Service) DeleteLibrary(ctx context.Context, a domain.Actor, libraryID string) error {
	if a.Role != domain.Owner {
		return forbidden("delete libraries")
	}
	if err := s.store.DeleteLibrary(ctx, a.OrgID, libraryID); err != nil {
		return err
	}
	s.audit(ctx, a, "library.delete", "library", libraryID, "")
	return nil
}

// Diff returns what changed between two versions of the same library.
func (s *Service) Diff(ctx context.Context, a domain.Actor, fromID, toID string) (*domain.Version, *domain.Version, []domain.Change, error) {
	from, err := s.Version(ctx, a, fromID)
	if err != nil {
		return nil, nil, nil, err
	}
	to, err := s.Version(ctx, a, toID)
	if err != nil {
		return nil, nil, nil, err
	}
	if from.LibraryID != to.LibraryID {
		return nil, nil, nil, domain.Errorf(domain.EINVALID, "The two versions belong to different libraries.")
	}
	return from, to, domain.Diff(&from.Content, &to.Content), nil
}

// TrendFilter selects trends on a library page.
type TrendFilter struct {
	Categories []domain.Category // any of these; empty for all
	Force      string            // a driving force key; "" for all
	Query      string            // free text in either language; "" for all
}

// Active reports whether the filter selects anything less than everything.
func (f TrendFilter) Active() bool {
	return len(f.Categories) > 0 || f.Force != "" || strings.TrimSpace(f.Query) != ""
}

// FilterTrends returns the trends of c that match f, in order. Free text
// matches every word against key, title, summary, description, tags and
// indicators, in English and Swedish, ignoring case.
func FilterTrends(c *domain.Content, f TrendFilter) []domain.Trend {
	words := strings.Fields(strings.ToLower(f.Query))
	var out []domain.Trend
	for _, t := range c.Trends {
		if len(f.Categories) > 0 && !slices.Contains(f.Categories, t.Category) {
			continue
		}
		if f.Force != "" && !slices.Contains(t.DrivingForces, f.Force) {
			continue
		}
		if !matchesAll(t, words) {
			continue
		}
		out = append(out, t)
	}
	return out
}

func matchesAll(t domain.Trend, words []string) bool {
	for _, w := range words {
		if !matches(t, w) {
			return false
		}
	}
	return true
}

func matches(t domain.Trend, w string) bool {
	if strings.Contains(t.Key, w) || t.Title.Contains(w) || t.Summary.Contains(w) || t.Description.Contains(w) {
		return true
	}
	for _, tag := range t.Tags {
		if strings.Contains(strings.ToLower(tag), w) {
			return true
		}
	}
	for _, ind := range t.Indicators {
		if ind.Contains(w) {
			return true
		}
	}
	return false
}
