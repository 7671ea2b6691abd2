package service

import (
	"context"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/workshop"
)

// errNoSuchCode is what every lookup by an unknown or malformed join code
// answers, the same message Join gives.
var errNoSuchCode = domain.Errorf(domain.ENOTFOUND, "There is no open workshop with that code. Check the code and try again.")

// WorkshopByCode returns the workshop that a join code (as typed: any case,
// with or without separators) opens, for the join page: its title, purpose,
// groups and whether it asks for names. Closed workshops and unknown or
// malformed codes give ENOTFOUND. A workshop still in draft is returned; Join
// refuses it with ECONFLICT.
func (s *Service) WorkshopByCode(ctx context.Context, code string) (*domain.Workshop, error) {
	norm, ok := workshop.NormalizeCode(code)
	if !ok {
		return nil, errNoSuchCode
	}
	w, err := s.store.WorkshopByCode(ctx, norm)
	if domain.IsNotFound(err) {
		return nil, errNoSuchCode
	}
	return w, err
}

// WorkshopContent returns the frozen library version a workshop asks about,
// for participants' screens: trend titles and summaries, fields of tension
// and their poles. The caller has already proved access to the workshop (a
// participant token or membership); the version is read in the workshop's
// own organisation.
func (s *Service) WorkshopContent(ctx context.Context, w *domain.Workshop) (*domain.Version, error) {
	return s.Version(ctx, domain.System(w.OrgID), w.VersionID)
}
