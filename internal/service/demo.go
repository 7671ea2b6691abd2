package service

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"

	"github.com/waymark/waymark/internal/auth"
	"github.com/waymark/waymark/internal/domain"
)

// Demo install: one organisation, its owner and the starter libraries.
const (
	DemoOrgSlug = "demo"
	DemoOrgName = "Demo Council"
	DemoEmail   = "demo@example.org"
)

// DemoResult says what Demo did.
type DemoResult struct {
	Org *domain.Organisation
	// Password is set when Demo chose or reset the owner's password, and is
	// empty when an existing password was left alone.
	Password  string
	Generated bool // Password was generated, not given
	Libraries []domain.Library
	Workshop  *domain.Workshop // the demo workshop open for joining (two finished ones exist too)
}

// Demo sets up the demo organisation, its owner and the starter libraries,
// and is safe to run again: existing things are kept. A non-empty password
// sets the owner's password (also on later runs); an empty one generates a
// password only when the owner is first created.
func (s *Service) Demo(ctx context.Context, password string) (*DemoResult, error) {
	res := &DemoResult{}
	org, err := s.store.OrgBySlug(ctx, DemoOrgSlug)
	if domain.IsNotFound(err) {
		org = &domain.Organisation{Slug: DemoOrgSlug, Name: DemoOrgName, Type: domain.Municipality, Country: "GB", SizeBand: domain.SizeMedium}
		err = s.CreateOrg(ctx, org)
	}
	if err != nil {
		return nil, err
	}
	res.Org = org
	u, err := s.store.UserByEmail(ctx, DemoEmail)
	switch {
	case domain.IsNotFound(err):
		if password == "" {
			password, res.Generated = GeneratePassword(), true
		}
		if u, err = s.CreateUser(ctx, NewUser{Email: DemoEmail, DisplayName: "Demo Owner", Password: password}); err != nil {
			return nil, err
		}
		res.Password = password
	case err != nil:
		return nil, err
	case password != "":
		if msg := auth.CheckPasswordRules(password); msg != "" {
			return nil, invalid("WAYMARK_DEMO_PASSWORD", msg)
		}
		if u.PasswordHash, err = auth.HashPassword(password); err != nil {
			return nil, err
		}
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return nil, err
		}
		if err := s.store.ResetLoginFailures(ctx, u.ID); err != nil {
			return nil, err
		}
		res.Password = password
	}
	if err := s.store.SetMembership(ctx, &domain.Membership{OrgID: org.ID, UserID: u.ID, Role: domain.Owner}); err != nil {
		return nil, err
	}
	owner := domain.Actor{OrgID: org.ID, UserID: u.ID, Role: domain.Owner}
	if res.Libraries, err = s.InstallStarters(ctx, owner); err != nil {
		return nil, err
	}
	if res.Workshop, err = s.demoWorkshop(ctx, owner, res.Libraries); err != nil {
		return nil, err
	}
	if err := s.demoPortfolioOf(ctx, owner, org, res.Libraries); err != nil {
		return nil, fmt.Errorf("demo: portfolio: %w", err)
	}
	return res, nil
}

// DemoWorkshopTitle is the title of the demo's workshop open for joining.
const DemoWorkshopTitle = "Demo workshop: local public services 2035"

// demoWorkshop makes the demo's finished workshops when they are missing
// and returns its workshop open for joining, making it when there is none:
// six trends and the fields of tension of "Local public services 2035".
func (s *Service) demoWorkshop(ctx context.Context, owner domain.Actor, libs []domain.Library) (*domain.Workshop, error) {
	var lib *domain.Library
	for i := range libs {
		if libs[i].StarterKey == "local-services-2035" {
			lib = &libs[i]
		}
	}
	if lib == nil || lib.Published == nil {
		return nil, nil
	}
	v, err := s.Version(ctx, owner, lib.Published.ID)
	if err != nil {
		return nil, err
	}
	if err := s.demoFinishedWorkshops(ctx, owner, lib, v); err != nil {
		return nil, err
	}
	existing, err := s.store.Workshops(ctx, owner.OrgID)
	if err != nil {
		return nil, err
	}
	for _, e := range existing {
		if e.Title == DemoWorkshopTitle {
			w := e.Workshop
			return &w, nil
		}
	}
	w := NewWorkshop(owner, lib, v, "en")
	w.Title = DemoWorkshopTitle
	w.Purpose = "Try Waymark: join on your phone with the code, rate the trends and see the presenter view update."
	if len(w.TrendKeys) > 6 {
		w.TrendKeys = w.TrendKeys[:6]
	}
	if err := s.CreateWorkshop(ctx, owner, w); err != nil {
		return nil, err
	}
	return s.SetPhase(ctx, owner, w.ID, domain.PhaseLobby)
}

// demoPortfolioOf sets up the demo's portfolio on "Local public services
// 2035", with values scaled by the priorities of this year's finished
// workshop.
func (s *Service) demoPortfolioOf(ctx context.Context, owner domain.Actor, org *domain.Organisation, libs []domain.Library) error {
	for i := range libs {
		lib := &libs[i]
		if lib.StarterKey != "local-services-2035" || lib.Published == nil {
			continue
		}
		v, err := s.Version(ctx, owner, lib.Published.ID)
		if err != nil {
			return err
		}
		ws, err := s.store.Workshops(ctx, owner.OrgID)
		if err != nil {
			return err
		}
		priorities := ""
		for _, w := range ws {
			if w.Title == DemoThisYearTitle {
				priorities = w.ID
			}
		}
		return s.demoPortfolio(ctx, owner, org, lib, v, priorities)
	}
	return nil
}

// GeneratePassword returns 20 random base32 characters (100 bits) in groups
// of five, easy to read and type.
func GeneratePassword() string {
	b := make([]byte, 13)
	rand.Read(b)
	s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:20]
	return s[:5] + "-" + s[5:10] + "-" + s[10:15] + "-" + s[15:]
}
