package domain

import (
	"context"
	"time"
)

// Store is everything Waymark keeps. One implementation serves SQLite and
// PostgreSQL. Every method that reads organisation data takes the caller's
// organisation id and returns ENOTFOUND for objects of other organisations,
// exactly as for objects that do not exist.
type Store interface {
	OrgStore
	UserStore
	LibraryStore
	WorkshopStore
	DecisionStore
	CapabilityStore
	PortfolioStore
	AuditStore
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	Close() error
}

// OrgStore keeps organisations and memberships.
type OrgStore interface {
	// CreateOrg stores a new organisation, setting ID and CreatedAt.
	// Returns ECONFLICT if the slug is taken.
	CreateOrg(ctx context.Context, o *Organisation) error
	// UpdateOrg saves name, type, country and size band of an organisation.
	UpdateOrg(ctx context.Context, o *Organisation) error
	// OrgBySlug returns ENOTFOUND if there is no such organisation.
	OrgBySlug(ctx context.Context, slug string) (*Organisation, error)
	OrgByID(ctx context.Context, id string) (*Organisation, error)

	// SetMembership adds a user to an organisation or changes the role.
	// Returns ECONFLICT if it would take the owner role from the last owner.
	SetMembership(ctx context.Context, m *Membership) error
	// Membership returns ENOTFOUND if the user is not a member.
	Membership(ctx context.Context, orgID, userID string) (*Membership, error)
	// Memberships lists a user's organisations by name, with Org filled.
	Memberships(ctx context.Context, userID string) ([]Membership, error)
	// Members lists an organisation's members by display name, with User filled.
	Members(ctx context.Context, orgID string) ([]Membership, error)
	// RemoveMembership returns ENOTFOUND if the user is not a member and
	// ECONFLICT if it would leave the organisation without an owner.
	RemoveMembership(ctx context.Context, orgID, userID string) error

	// CreateInvitation stores an invitation, setting ID and CreatedAt.
	CreateInvitation(ctx context.Context, inv *Invitation) error
	// InvitationByTokenHash finds an invitation by the hash of its secret,
	// whatever its state; callers check expiry and use.
	InvitationByTokenHash(ctx context.Context, tokenHash string) (*Invitation, error)
	// PendingInvitations lists an organisation's unused, unexpired invitations.
	PendingInvitations(ctx context.Context, orgID string, now time.Time) ([]Invitation, error)
	// RevokeInvitation deletes an unused invitation of the organisation.
	RevokeInvitation(ctx context.Context, orgID, id string) error
	// AcceptInvitation marks the invitation used by userID and gives that
	// user the invited role, in one transaction. Returns ECONFLICT if it was
	// already used and EINVALID if it expired before now.
	AcceptInvitation(ctx context.Context, id, userID string, now time.Time) (*Membership, error)
}

// UserStore keeps accounts, sessions and API tokens.
type UserStore interface {
	// CreateUser stores a new user, setting ID and CreatedAt. Returns
	// ECONFLICT if the email address is taken.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser saves display name, language and password hash.
	UpdateUser(ctx context.Context, u *User) error
	UserByID(ctx context.Context, id string) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)

	// LoginFailures returns the number of failed sign-ins since the last
	// success and the time of the latest one.
	LoginFailures(ctx context.Context, userID string) (n int, last time.Time, err error)
	// RecordLoginFailure counts one more failed sign-in at the given time and
	// returns the new count.
	RecordLoginFailure(ctx context.Context, userID string, at time.Time) (int, error)
	// ResetLoginFailures clears the count after a successful sign-in.
	ResetLoginFailures(ctx context.Context, userID string) error

	// CreateAPIToken stores a token, setting ID and CreatedAt.
	CreateAPIToken(ctx context.Context, t *APIToken) error
	// APITokenByHash finds an unrevoked token by the hash of its secret.
	APITokenByHash(ctx context.Context, tokenHash string) (*APIToken, error)
	// APITokens lists a user's tokens in an organisation, newest first.
	APITokens(ctx context.Context, orgID, userID string) ([]APIToken, error)
	// RevokeAPIToken revokes one of the user's tokens in the organisation.
	RevokeAPIToken(ctx context.Context, orgID, userID, id string, at time.Time) error
	// TouchAPIToken records that a token was used.
	TouchAPIToken(ctx context.Context, id string, at time.Time) error

	// Sessions, for the session manager: opaque data by token until expiry.
	FindSession(ctx context.Context, token string) ([]byte, bool, error)
	CommitSession(ctx context.Context, token string, data []byte, expiry time.Time) error
	DeleteSession(ctx context.Context, token string) error
	// DeleteExpiredSessions removes sessions that expired before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) error
}

// LibraryStore keeps trend libraries and their versions. A library is
// visible to an organisation when it owns it or when it is public; only the
// owner may change it.
type LibraryStore interface {
	// CreateLibrary stores a new library owned by lib.OrgID with content as
	// version 1 in the given status, in one transaction. It sets lib.ID,
	// timestamps, and the library's name, description and attribution from
	// content.
	CreateLibrary(ctx context.Context, lib *Library, content *Content, status VersionStatus, note string) (*VersionInfo, error)
	// Libraries lists the libraries an organisation owns, by name, with
	// Latest and Published filled.
	Libraries(ctx context.Context, orgID string) ([]Library, error)
	// PublicLibraries lists public libraries of other organisations.
	PublicLibraries(ctx context.Context, orgID string) ([]Library, error)
	// LibraryOwner returns the id of the organisation that owns a library.
	// It is for the command line, which acts for the owner; requests from
	// people never use it.
	LibraryOwner(ctx context.Context, libraryID string) (string, error)
	// Library returns a library the organisation can see.
	Library(ctx context.Context, orgID, id string) (*Library, error)
	// SetLibraryVisibility changes who can see an owned library.
	SetLibraryVisibility(ctx context.Context, orgID, id string, v Visibility) error
	// DeleteLibrary deletes an owned library with all its versions.
	DeleteLibrary(ctx context.Context, orgID, id string) error

	// Versions lists a visible library's versions, newest first.
	Versions(ctx context.Context, orgID, libraryID string) ([]VersionInfo, error)
	// Version returns one version of a visible library with its content.
	Version(ctx context.Context, orgID, versionID string) (*Version, error)
	// CreateDraft starts a new draft of an owned library as a copy of the
	// version fromID. Returns ECONFLICT if the library already has a draft.
	CreateDraft(ctx context.Context, orgID, libraryID, fromID string) (*VersionInfo, error)
	// SaveDraft replaces the whole content of a draft. Returns ECONFLICT if
	// the version is published.
	SaveDraft(ctx context.Context, orgID, versionID string, content *Content, note string) error
	// PublishVersion freezes a draft. Returns ECONFLICT if already published.
	PublishVersion(ctx context.Context, orgID, versionID string, at time.Time) error
	// DeleteDraft removes a draft; version 1 cannot be deleted this way.
	DeleteDraft(ctx context.Context, orgID, versionID string) error
}

// AuditEntry records who did what to which object.
type AuditEntry struct {
	ID         string
	OrgID      string
	UserID     string // "" for the command line or the system
	Action     string // e.g. "library.import", "member.role"
	ObjectType string
	ObjectID   string
	Detail     string // short, human-readable
	At         time.Time
}

// AuditStore keeps the audit log.
type AuditStore interface {
	// Audit appends an entry, setting ID (and At when zero).
	Audit(ctx context.Context, e *AuditEntry) error
	// AuditLog lists an organisation's newest entries first.
	AuditLog(ctx context.Context, orgID string, limit int) ([]AuditEntry, error)
}
