package service

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/waymark/waymark/internal/auth"
	"github.com/waymark/waymark/internal/domain"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// Secret prefixes, so a leaked secret says what it is.
const (
	apiTokenPrefix   = "wm_"
	invitationPrefix = "wmi_"
)

// CreateOrg validates and stores a new organisation.
func (s *Service) CreateOrg(ctx context.Context, o *domain.Organisation) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if err := s.store.CreateOrg(ctx, o); err != nil {
		if domain.ErrorCode(err) == domain.ECONFLICT {
			return domain.Problems{{Field: "slug", Message: fmt.Sprintf("%q is already taken", o.Slug)}}
		}
		return err
	}
	s.audit(ctx, domain.System(o.ID), "org.create", "organisation", o.ID, o.Name)
	return nil
}

// UpdateOrg saves an organisation's details. Only owners may.
func (s *Service) UpdateOrg(ctx context.Context, a domain.Actor, o *domain.Organisation) error {
	if a.Role != domain.Owner || o.ID != a.OrgID {
		return forbidden("change the organisation's details")
	}
	if err := o.Validate(); err != nil {
		return err
	}
	if err := s.store.UpdateOrg(ctx, o); err != nil {
		return err
	}
	s.audit(ctx, a, "org.update", "organisation", o.ID, o.Name)
	return nil
}

// NewUser describes an account to create.
type NewUser struct {
	Email       string
	DisplayName string
	Password    string
	Language    string
}

// CreateUser validates and stores a new account with an argon2id password
// hash. Problems name the field that is wrong.
func (s *Service) CreateUser(ctx context.Context, nu NewUser) (*domain.User, error) {
	var ps domain.Problems
	email, ok := domain.NormalizeEmail(nu.Email)
	if !ok {
		ps = append(ps, domain.Problem{Field: "email", Message: "is not a valid email address"})
	}
	name := strings.TrimSpace(nu.DisplayName)
	if name == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	if utf8.RuneCountInString(name) > domain.MaxNameLen {
		ps = append(ps, domain.Problem{Field: "display_name", Message: "is too long"})
	}
	if msg := auth.CheckPasswordRules(nu.Password); msg != "" {
		ps = append(ps, domain.Problem{Field: "password", Message: msg})
	}
	if nu.Language != "" && !domain.ValidLanguage(nu.Language) {
		nu.Language = ""
	}
	if len(ps) > 0 {
		return nil, ps
	}
	hash, err := auth.HashPassword(nu.Password)
	if err != nil {
		return nil, err
	}
	u := &domain.User{Email: email, DisplayName: name, PasswordHash: hash, Language: nu.Language}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if domain.ErrorCode(err) == domain.ECONFLICT {
			return nil, domain.Problems{{Field: "email", Message: "already has an account"}}
		}
		return nil, err
	}
	return u, nil
}

// SetMember gives a user a role in an organisation (adding them if needed).
// Only owners may; the last owner cannot step down.
func (s *Service) SetMember(ctx context.Context, a domain.Actor, userID string, role domain.Role) error {
	if !a.Role.CanManageMembers() {
		return forbidden("manage members")
	}
	if !domain.ValidRole(role) {
		return invalid("role", "must be owner, facilitator, analyst or viewer")
	}
	if role != domain.Owner {
		if err := s.keepAnOwner(ctx, a.OrgID, userID); err != nil {
			return err
		}
	}
	if err := s.store.SetMembership(ctx, &domain.Membership{OrgID: a.OrgID, UserID: userID, Role: role}); err != nil {
		return err
	}
	s.audit(ctx, a, "member.role", "user", userID, string(role))
	return nil
}

// keepAnOwner returns ECONFLICT if userID is the organisation's only owner.
func (s *Service) keepAnOwner(ctx context.Context, orgID, userID string) error {
	members, err := s.store.Members(ctx, orgID)
	if err != nil {
		return err
	}
	owners, isOwner := 0, false
	for _, m := range members {
		if m.Role == domain.Owner {
			owners++
			isOwner = isOwner || m.UserID == userID
		}
	}
	if isOwner && owners == 1 {
		return domain.Errorf(domain.ECONFLICT, "An organisation needs at least one owner: make someone else owner first.")
	}
	return nil
}

// RemoveMember takes a user out of the organisation. Only owners may.
func (s *Service) RemoveMember(ctx context.Context, a domain.Actor, userID string) error {
	if !a.Role.CanManageMembers() {
		return forbidden("manage members")
	}
	if err := s.store.RemoveMembership(ctx, a.OrgID, userID); err != nil {
		return err
	}
	s.audit(ctx, a, "member.remove", "user", userID, "")
	return nil
}

// SignIn checks an email address and password. It returns EUNAUTHORIZED with
// the same message whether the address is unknown or the password wrong, and
// ETOOMANY while the account's backoff after repeated failures lasts. Each
// account backs off on its own, so guessing at one locks out no one else.
func (s *Service) SignIn(ctx context.Context, email, password string) (*domain.User, error) {
	email, _ = domain.NormalizeEmail(email)
	bad := domain.Errorf(domain.EUNAUTHORIZED, "The email address or password is not right.")
	u, err := s.store.UserByEmail(ctx, email)
	if domain.IsNotFound(err) {
		auth.CheckDummyPassword(password)
		return nil, bad
	}
	if err != nil {
		return nil, err
	}
	n, last, err := s.store.LoginFailures(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if wait := auth.RetryAfter(n, last, s.now()); wait > 0 {
		return nil, &domain.Error{Code: domain.ETOOMANY, Message: fmt.Sprintf(
			"Too many failed attempts for this account. Try again in %d seconds.", int(wait.Seconds()+0.999))}
	}
	ok, err := false, error(nil)
	if u.PasswordHash != "" {
		ok, err = auth.CheckPassword(u.PasswordHash, password)
		if err != nil {
			return nil, fmt.Errorf("service: sign in: %w", err)
		}
	} else {
		auth.CheckDummyPassword(password)
	}
	if !ok {
		if _, err := s.store.RecordLoginFailure(ctx, u.ID, s.now()); err != nil {
			return nil, err
		}
		return nil, bad
	}
	if n > 0 {
		if err := s.store.ResetLoginFailures(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// SetLanguage remembers a user's interface language.
func (s *Service) SetLanguage(ctx context.Context, userID, lang string) error {
	if !domain.ValidLanguage(lang) {
		return invalid("lang", "must be en or sv")
	}
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	u.Language = lang
	return s.store.UpdateUser(ctx, u)
}

// UpdateProfile changes a user's display name and, when newPassword is not
// empty, the password (which needs the current one).
func (s *Service) UpdateProfile(ctx context.Context, userID, displayName, currentPassword, newPassword string) error {
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	var ps domain.Problems
	name := strings.TrimSpace(displayName)
	if name == "" {
		ps = append(ps, domain.Problem{Field: "display_name", Message: "is required"})
	} else if utf8.RuneCountInString(name) > domain.MaxNameLen {
		ps = append(ps, domain.Problem{Field: "display_name", Message: "is too long"})
	}
	if newPassword != "" {
		if ok, _ := auth.CheckPassword(u.PasswordHash, currentPassword); !ok {
			ps = append(ps, domain.Problem{Field: "current_password", Message: "is not right"})
		}
		if msg := auth.CheckPasswordRules(newPassword); msg != "" {
			ps = append(ps, domain.Problem{Field: "new_password", Message: msg})
		}
	}
	if len(ps) > 0 {
		return ps
	}
	u.DisplayName = name
	if newPassword != "" {
		if u.PasswordHash, err = auth.HashPassword(newPassword); err != nil {
			return err
		}
	}
	return s.store.UpdateUser(ctx, u)
}

// Invite creates an invitation to the actor's organisation and returns it
// with the secret for the link, which is shown once. Only owners may.
func (s *Service) Invite(ctx context.Context, a domain.Actor, email string, role domain.Role) (*domain.Invitation, string, error) {
	if !a.Role.CanManageMembers() {
		return nil, "", forbidden("invite members")
	}
	var ps domain.Problems
	email, ok := domain.NormalizeEmail(email)
	if !ok {
		ps = append(ps, domain.Problem{Field: "email", Message: "is not a valid email address"})
	}
	if !domain.ValidRole(role) {
		ps = append(ps, domain.Problem{Field: "role", Message: "must be owner, facilitator, analyst or viewer"})
	}
	if len(ps) > 0 {
		return nil, "", ps
	}
	secret, hash, err := auth.NewSecret(invitationPrefix)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	inv := &domain.Invitation{OrgID: a.OrgID, Email: email, Role: role, TokenHash: hash, InvitedBy: a.UserID, ExpiresAt: now.Add(InvitationTTL)}
	if err := s.store.CreateInvitation(ctx, inv); err != nil {
		return nil, "", err
	}
	s.audit(ctx, a, "invitation.create", "invitation", inv.ID, email+" as "+string(role))
	return inv, secret, nil
}

// RevokeInvitation deletes an unused invitation. Only owners may.
func (s *Service) RevokeInvitation(ctx context.Context, a domain.Actor, id string) error {
	if !a.Role.CanManageMembers() {
		return forbidden("manage invitations")
	}
	if err := s.store.RevokeInvitation(ctx, a.OrgID, id); err != nil {
		return err
	}
	s.audit(ctx, a, "invitation.revoke", "invitation", id, "")
	return nil
}

// Invitation returns the usable invitation behind a link secret, with its
// organisation. A used or expired invitation gives EINVALID with a message
// that says which; an unknown secret gives ENOTFOUND.
func (s *Service) Invitation(ctx context.Context, secret string) (*domain.Invitation, *domain.Organisation, error) {
	inv, err := s.store.InvitationByTokenHash(ctx, auth.HashSecret(secret))
	if err != nil {
		return nil, nil, err
	}
	if inv.AcceptedAt != nil {
		return nil, nil, domain.Errorf(domain.EINVALID, "This invitation has already been used.")
	}
	if !s.now().Before(inv.ExpiresAt) {
		return nil, nil, domain.Errorf(domain.EINVALID, "This invitation has expired. Ask for a new one.")
	}
	org, err := s.store.OrgByID(ctx, inv.OrgID)
	if err != nil {
		return nil, nil, err
	}
	return inv, org, nil
}

// AcceptInvitation makes the user a member with the invited role. The link
// works once.
func (s *Service) AcceptInvitation(ctx context.Context, secret, userID string) (*domain.Membership, error) {
	inv, _, err := s.Invitation(ctx, secret)
	if err != nil {
		return nil, err
	}
	m, err := s.store.AcceptInvitation(ctx, inv.ID, userID, s.now())
	if err != nil {
		return nil, err
	}
	s.audit(ctx, domain.Actor{OrgID: inv.OrgID, UserID: userID}, "invitation.accept", "invitation", inv.ID, string(inv.Role))
	return m, nil
}

// SignUpWithInvitation creates an account for the invited address and
// accepts the invitation with it.
func (s *Service) SignUpWithInvitation(ctx context.Context, secret, displayName, password, lang string) (*domain.User, error) {
	inv, _, err := s.Invitation(ctx, secret)
	if err != nil {
		return nil, err
	}
	u, err := s.CreateUser(ctx, NewUser{Email: inv.Email, DisplayName: displayName, Password: password, Language: lang})
	if err != nil {
		return nil, err
	}
	if _, err := s.AcceptInvitation(ctx, secret, u.ID); err != nil {
		return nil, err
	}
	return u, nil
}

// CreateAPIToken makes a personal API token for the actor in the actor's
// organisation and returns the secret, which is shown once.
func (s *Service) CreateAPIToken(ctx context.Context, a domain.Actor, name string) (string, *domain.APIToken, error) {
	if a.UserID == "" {
		return "", nil, forbidden("create API tokens without an account")
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API token " + s.now().Format("2006-01-02")
	}
	if utf8.RuneCountInString(name) > domain.MaxNameLen {
		return "", nil, invalid("name", "is too long")
	}
	secret, hash, err := auth.NewSecret(apiTokenPrefix)
	if err != nil {
		return "", nil, err
	}
	t := &domain.APIToken{OrgID: a.OrgID, UserID: a.UserID, Name: name, TokenHash: hash}
	if err := s.store.CreateAPIToken(ctx, t); err != nil {
		return "", nil, err
	}
	s.audit(ctx, a, "token.create", "api_token", t.ID, name)
	return secret, t, nil
}

// RevokeAPIToken revokes one of the actor's tokens.
func (s *Service) RevokeAPIToken(ctx context.Context, a domain.Actor, id string) error {
	if err := s.store.RevokeAPIToken(ctx, a.OrgID, a.UserID, id, s.now()); err != nil {
		return err
	}
	s.audit(ctx, a, "token.revoke", "api_token", id, "")
	return nil
}

// ActorForToken returns who an API token acts as: its user, in its
// organisation, with the role the user has there now. A revoked token, or
// one whose user has left the organisation, gives EUNAUTHORIZED.
func (s *Service) ActorForToken(ctx context.Context, secret string) (domain.Actor, error) {
	bad := domain.Errorf(domain.EUNAUTHORIZED, "The API token is not valid.")
	if !strings.HasPrefix(secret, apiTokenPrefix) {
		return domain.Actor{}, bad
	}
	t, err := s.store.APITokenByHash(ctx, auth.HashSecret(secret))
	if domain.IsNotFound(err) {
		return domain.Actor{}, bad
	} else if err != nil {
		return domain.Actor{}, err
	}
	m, err := s.store.Membership(ctx, t.OrgID, t.UserID)
	if domain.IsNotFound(err) {
		return domain.Actor{}, bad
	} else if err != nil {
		return domain.Actor{}, err
	}
	if t.LastUsedAt == nil || s.now().Sub(*t.LastUsedAt) > time.Minute {
		if err := s.store.TouchAPIToken(ctx, t.ID, s.now()); err != nil {
			s.log.WarnContext(ctx, "token touch failed", "err", err)
		}
	}
	return domain.Actor{UserID: t.UserID, OrgID: t.OrgID, Role: m.Role}, nil
}

// ActorFor returns the actor for a signed-in user in the organisation with
// the slug, or ENOTFOUND when the user is not a member (so that other
// organisations' spaces look like they do not exist).
func (s *Service) ActorFor(ctx context.Context, userID, orgSlug string) (domain.Actor, *domain.Organisation, error) {
	org, err := s.store.OrgBySlug(ctx, orgSlug)
	if err != nil {
		return domain.Actor{}, nil, err
	}
	m, err := s.store.Membership(ctx, org.ID, userID)
	if err != nil {
		return domain.Actor{}, nil, err
	}
	return domain.Actor{UserID: userID, OrgID: org.ID, Role: m.Role}, org, nil
}
