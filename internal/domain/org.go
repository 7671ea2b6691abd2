package domain

import (
	"net/mail"
	"strings"
	"time"
)

// OrgType is the kind of public-service organisation.
type OrgType string

// Organisation types, in display order.
const (
	Municipality  OrgType = "municipality"
	Region        OrgType = "region"
	HospitalTrust OrgType = "hospital_trust"
	Police        OrgType = "police"
	FireRescue    OrgType = "fire_rescue"
	Housing       OrgType = "housing"
	Voluntary     OrgType = "voluntary"
	Association   OrgType = "association"
	OtherOrg      OrgType = "other"
)

// OrgTypes lists the valid organisation types in display order.
var OrgTypes = []OrgType{Municipality, Region, HospitalTrust, Police, FireRescue, Housing, Voluntary, Association, OtherOrg}

// SizeBand is the rough size of an organisation by staff or population served.
type SizeBand string

// Size bands, in display order; "" means not stated.
const (
	SizeSmall  SizeBand = "small"  // under 250 staff or 20,000 residents
	SizeMedium SizeBand = "medium" // under 2,500 staff or 100,000 residents
	SizeLarge  SizeBand = "large"
)

// SizeBands lists the valid size bands in display order.
var SizeBands = []SizeBand{SizeSmall, SizeMedium, SizeLarge}

// Organisation is a tenant: every piece of data belongs to exactly one.
type Organisation struct {
	ID        string
	Slug      string
	Name      string
	Type      OrgType
	Country   string // ISO 3166-1 alpha-2, upper case, or ""
	SizeBand  SizeBand
	CreatedAt time.Time
}

// Validate checks an organisation before it is stored.
func (o *Organisation) Validate() error {
	var ps Problems
	o.Name = strings.TrimSpace(o.Name)
	o.Slug = strings.TrimSpace(o.Slug)
	o.Country = strings.ToUpper(strings.TrimSpace(o.Country))
	if o.Name == "" {
		ps = append(ps, Problem{Field: "name", Message: "is required"})
	} else if len(o.Name) > MaxNameLen {
		ps = append(ps, Problem{Field: "name", Message: "is too long"})
	}
	if !ValidKey(o.Slug) {
		ps = append(ps, Problem{Field: "slug", Message: "must be lower-case letters, digits and hyphens"})
	}
	if o.Type == "" {
		o.Type = OtherOrg
	}
	if !validOrgType(o.Type) {
		ps = append(ps, Problem{Field: "type", Message: "must be one of municipality, region, hospital_trust, police, fire_rescue, housing, voluntary, association, other"})
	}
	if o.Country != "" && (len(o.Country) != 2 || o.Country[0] < 'A' || o.Country[0] > 'Z' || o.Country[1] < 'A' || o.Country[1] > 'Z') {
		ps = append(ps, Problem{Field: "country", Message: "must be a two-letter country code such as SE or GB"})
	}
	if o.SizeBand != "" && o.SizeBand != SizeSmall && o.SizeBand != SizeMedium && o.SizeBand != SizeLarge {
		ps = append(ps, Problem{Field: "size_band", Message: "must be small, medium or large"})
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

func validOrgType(t OrgType) bool {
	for _, v := range OrgTypes {
		if v == t {
			return true
		}
	}
	return false
}

// Role is what a member may do in an organisation.
type Role string

// Roles, from most to least powerful.
const (
	Owner       Role = "owner"       // everything, including members, tokens and settings
	Facilitator Role = "facilitator" // edits libraries, runs workshops
	Analyst     Role = "analyst"     // reads everything, writes analyses and reports
	Viewer      Role = "viewer"      // reads
)

// Roles lists the valid roles from most to least powerful.
var Roles = []Role{Owner, Facilitator, Analyst, Viewer}

// ValidRole reports whether r is one of Roles.
func ValidRole(r Role) bool { return r == Owner || r == Facilitator || r == Analyst || r == Viewer }

// CanEditLibraries reports whether the role may edit drafts, publish, import
// and copy libraries.
func (r Role) CanEditLibraries() bool { return r == Owner || r == Facilitator }

// CanManageMembers reports whether the role may invite and remove members.
func (r Role) CanManageMembers() bool { return r == Owner }

// User is a person with a local account.
type User struct {
	ID           string
	Email        string // lower case
	DisplayName  string
	PasswordHash string // argon2id in PHC string format; "" when the account has no password
	Language     string // preferred interface language, "" for the browser's
	CreatedAt    time.Time
}

// NormalizeEmail returns a trimmed, lower-case address and whether it is a
// plausible email address.
func NormalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s, "@") {
		return s, false
	}
	return s, true
}

// Membership ties a user to an organisation with a role.
type Membership struct {
	OrgID     string
	UserID    string
	Role      Role
	CreatedAt time.Time

	Org  *Organisation // filled by listings of a user's memberships
	User *User         // filled by listings of an organisation's members
}

// Invitation lets the holder of a link join an organisation once, before it
// expires. Only a hash of the token is stored.
type Invitation struct {
	ID         string
	OrgID      string
	Email      string
	Role       Role
	TokenHash  string
	InvitedBy  string // user id
	CreatedAt  time.Time
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	AcceptedBy string
}

// APIToken is a personal token for the JSON API, scoped to one organisation.
// Only a hash of the secret is stored; the secret is shown once.
type APIToken struct {
	ID         string
	OrgID      string
	UserID     string
	Name       string
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}
