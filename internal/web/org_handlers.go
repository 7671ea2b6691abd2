package web

import (
	"net/http"
	"strings"

	"github.com/waymark/waymark/internal/domain"
)

type membersData struct {
	Members     []domain.Membership
	Invitations []domain.Invitation
	CanManage   bool
	Roles       []domain.Role
	InviteLink  string // shown once after an invitation is made
	Email       string
	Role        string
	Problems    map[string]string
}

func (s *Server) membersPage(w http.ResponseWriter, r *http.Request, c *call, status int, d membersData) error {
	ms, err := s.svc.Store().Members(r.Context(), c.org.ID)
	if err != nil {
		return err
	}
	d.Members, d.CanManage, d.Roles = ms, c.actor.Role.CanManageMembers(), domain.Roles
	if d.CanManage {
		if d.Invitations, err = s.svc.Store().PendingInvitations(r.Context(), c.org.ID, s.svc.Now()); err != nil {
			return err
		}
	}
	return s.render(w, c, status, "members", c.T("members.title"), d)
}

func (s *Server) memberList(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.membersPage(w, r, c, http.StatusOK, membersData{Role: string(domain.Viewer)})
}

// memberInvite makes an invitation and shows its link once: Waymark sends
// no email, so the owner passes the link on.
func (s *Server) memberInvite(w http.ResponseWriter, r *http.Request, c *call) error {
	email, role := r.PostFormValue("email"), r.PostFormValue("role")
	_, secret, err := s.svc.Invite(r.Context(), c.actor, email, domain.Role(role))
	if ps, ok := asProblems(err); ok {
		return s.membersPage(w, r, c, http.StatusUnprocessableEntity, membersData{Email: email, Role: role, Problems: c.problemMap(ps)})
	}
	if err != nil {
		return err
	}
	link := s.absoluteURL(r, "/invite/"+secret)
	return s.membersPage(w, r, c, http.StatusOK, membersData{InviteLink: link, Role: string(domain.Viewer)})
}

func (s *Server) memberRole(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.requireMember(r, c, r.PathValue("user")); err != nil {
		return err
	}
	if err := s.svc.SetMember(r.Context(), c.actor, r.PathValue("user"), domain.Role(r.PostFormValue("role"))); err != nil {
		return err
	}
	c.setFlash(c.T("members.role_saved"))
	return redirect(w, r, c.orgPath("/members"))
}

func (s *Server) memberRemove(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.svc.RemoveMember(r.Context(), c.actor, r.PathValue("user")); err != nil {
		return err
	}
	c.setFlash(c.T("members.removed"))
	if r.PathValue("user") == c.user.ID {
		return redirect(w, r, "/")
	}
	return redirect(w, r, c.orgPath("/members"))
}

// requireMember returns ENOTFOUND unless userID is a member of the caller's
// organisation, so ids of other organisations' people behave as unknown.
func (s *Server) requireMember(r *http.Request, c *call, userID string) error {
	_, err := s.svc.Store().Membership(r.Context(), c.org.ID, userID)
	return err
}

func (s *Server) invitationRevoke(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.svc.RevokeInvitation(r.Context(), c.actor, r.PathValue("id")); err != nil {
		return err
	}
	c.setFlash(c.T("members.invitation_revoked"))
	return redirect(w, r, c.orgPath("/members"))
}

// absoluteURL makes a link to share outside the browser.
func (s *Server) absoluteURL(r *http.Request, path string) string {
	if s.baseURL != "" {
		return strings.TrimSuffix(s.baseURL, "/") + path
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

type tokensData struct {
	Tokens   []domain.APIToken
	Secret   string // shown once after creation
	Name     string
	Problems map[string]string
}

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request, c *call, status int, d tokensData) error {
	ts, err := s.svc.Store().APITokens(r.Context(), c.org.ID, c.user.ID)
	if err != nil {
		return err
	}
	d.Tokens = ts
	return s.render(w, c, status, "tokens", c.T("tokens.title"), d)
}

func (s *Server) tokenList(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.tokensPage(w, r, c, http.StatusOK, tokensData{})
}

func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request, c *call) error {
	name := r.PostFormValue("name")
	secret, _, err := s.svc.CreateAPIToken(r.Context(), c.actor, name)
	if ps, ok := asProblems(err); ok {
		return s.tokensPage(w, r, c, http.StatusUnprocessableEntity, tokensData{Name: name, Problems: c.problemMap(ps)})
	}
	if err != nil {
		return err
	}
	return s.tokensPage(w, r, c, http.StatusOK, tokensData{Secret: secret})
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.svc.RevokeAPIToken(r.Context(), c.actor, r.PathValue("id")); err != nil {
		return err
	}
	c.setFlash(c.T("tokens.revoked"))
	return redirect(w, r, c.orgPath("/tokens"))
}

type settingsData struct {
	Org       domain.Organisation
	CanManage bool
	Types     []domain.OrgType
	Sizes     []domain.SizeBand
	Problems  map[string]string
}

func (s *Server) settingsShow(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.render(w, c, http.StatusOK, "settings", c.T("settings.title"), settingsData{Org: *c.org,
		CanManage: c.actor.Role == domain.Owner, Types: domain.OrgTypes, Sizes: domain.SizeBands})
}

func (s *Server) settingsSave(w http.ResponseWriter, r *http.Request, c *call) error {
	o := *c.org
	o.Name = r.PostFormValue("name")
	o.Type = domain.OrgType(r.PostFormValue("type"))
	o.Country = r.PostFormValue("country")
	o.SizeBand = domain.SizeBand(r.PostFormValue("size_band"))
	err := s.svc.UpdateOrg(r.Context(), c.actor, &o)
	if ps, ok := asProblems(err); ok {
		return s.render(w, c, http.StatusUnprocessableEntity, "settings", c.T("settings.title"), settingsData{Org: o,
			CanManage: true, Types: domain.OrgTypes, Sizes: domain.SizeBands, Problems: c.problemMap(ps)})
	}
	if err != nil {
		return err
	}
	c.setFlash(c.T("settings.saved"))
	return redirect(w, r, c.orgPath("/settings"))
}

func (s *Server) auditShow(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.actor.Role != domain.Owner {
		return domain.Errorf(domain.EFORBIDDEN, "Only owners can read the audit log.")
	}
	entries, err := s.svc.Store().AuditLog(r.Context(), c.org.ID, 200)
	if err != nil {
		return err
	}
	members, err := s.svc.Store().Members(r.Context(), c.org.ID)
	if err != nil {
		return err
	}
	names := make(map[string]string, len(members))
	for _, m := range members {
		names[m.UserID] = m.User.DisplayName
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		rows[i] = auditRow{AuditEntry: e, Who: names[e.UserID]}
		switch {
		case e.UserID == "":
			rows[i].Who = c.T("audit.system")
		case rows[i].Who == "":
			rows[i].Who = c.T("audit.former_member")
		}
	}
	return s.render(w, c, http.StatusOK, "audit", c.T("audit.title"), rows)
}

// auditRow is an audit entry with the name of who did it.
type auditRow struct {
	domain.AuditEntry
	Who string
}
