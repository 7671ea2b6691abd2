package api

import (
	"context"

	"github.com/waymark/waymark/internal/domain"
)

// Inputs shared by several operations.
type (
	libraryPath struct {
		ID string `path:"id" maxLength:"64" doc:"The library's id." example:"0192f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10"`
	}
	versionPath struct {
		ID     string `path:"id" maxLength:"64" doc:"The library's id."`
		Number int    `path:"number" minimum:"1" doc:"The version's number within the library." example:"1"`
	}
)

// library returns a library the actor's organisation can see, with the
// versions it may see, newest first (the service hides other organisations'
// drafts). Everything the actor cannot see is ENOTFOUND, exactly like an id
// that does not exist.
func (a *API) library(ctx context.Context, act domain.Actor, id string) (*domain.Library, []domain.VersionInfo, error) {
	return a.svc.Library(ctx, act, id)
}

// versionNumber returns the version with the number among versions.
func versionNumber(versions []domain.VersionInfo, n int) (*domain.VersionInfo, error) {
	for i := range versions {
		if versions[i].Number == n {
			return &versions[i], nil
		}
	}
	// The message does not repeat the number, so that a draft hidden from
	// another organisation answers exactly like a number that is not there.
	return nil, domain.Errorf(domain.ENOTFOUND, "Library version not found.")
}

// defaultVersion is the version an export or a copy uses when none is
// named: the newest published one, or, when none is published, the draft
// for those who may edit it.
func defaultVersion(versions []domain.VersionInfo, canEdit bool) (*domain.VersionInfo, error) {
	for i := range versions {
		if versions[i].Status == domain.Published {
			return &versions[i], nil
		}
	}
	if canEdit && len(versions) > 0 {
		return &versions[0], nil
	}
	return nil, domain.Errorf(domain.ENOTFOUND, "This library has no published version yet.")
}

// draft returns the library's draft, which is always its newest version.
func draft(versions []domain.VersionInfo) *domain.VersionInfo {
	if len(versions) > 0 && versions[0].Status == domain.Draft {
		return &versions[0]
	}
	return nil
}

// mustOwn returns EFORBIDDEN for a library of another organisation, which
// may be read (it is public) but not changed.
func mustOwn(lib *domain.Library, act domain.Actor) error {
	if lib.OrgID != act.OrgID {
		return domain.Errorf(domain.EFORBIDDEN, "This library belongs to another organisation: you may read and copy it, not change it.")
	}
	return nil
}

// maxIDLen bounds ids in paths; longer ones cannot exist.
const maxIDLen = 64
