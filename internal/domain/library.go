package domain

import (
	"slices"
	"strings"
	"time"
)

// Visibility says who can see a library.
type Visibility string

const (
	// Private libraries are seen by members of the owner organisation only.
	Private Visibility = "private"
	// Public libraries are seen by every signed-in user and can be copied.
	Public Visibility = "public"
)

// Library is a named, versioned collection of driving forces, fields of
// tension, trends and capability areas, owned by one organisation.
type Library struct {
	ID          string
	OrgID       string // owner organisation
	Name        Text
	Description Text
	Attribution Attribution
	Visibility  Visibility
	StarterKey  string // set when installed from a starter library, e.g. "public-sector-digital"
	CreatedAt   time.Time
	UpdatedAt   time.Time

	// Filled by listings: the newest version and the newest published one.
	Latest    *VersionInfo
	Published *VersionInfo
}

// Attribution credits where a library's content comes from.
type Attribution struct {
	SourceOrganisation string `json:"source_organisation,omitempty"`
	URL                string `json:"url,omitempty"`
	Licence            string `json:"licence,omitempty"`
}

// VersionStatus is the life-cycle state of a library version.
type VersionStatus string

const (
	// Draft versions can be edited by owners and facilitators.
	Draft VersionStatus = "draft"
	// Published versions never change; editing one starts a new draft.
	Published VersionStatus = "published"
)

// VersionInfo describes one version of a library without its content.
type VersionInfo struct {
	ID          string
	LibraryID   string
	Number      int // 1, 2, 3 … within the library
	Status      VersionStatus
	Note        string // what changed, written by the editor
	CreatedAt   time.Time
	PublishedAt *time.Time
	TrendCount  int
}

// Version is one version of a library with all its content, items in display
// order. The content's name, description and attribution are those the
// library had when the version was last saved.
type Version struct {
	VersionInfo
	Content
}

// Category of a trend.
type Category string

const (
	Societal   Category = "societal"
	Digital    Category = "digital"
	Technology Category = "technology"
)

// Categories lists the valid trend categories in display order.
var Categories = []Category{Societal, Digital, Technology}

// ValidCategory reports whether c is one of Categories.
func ValidCategory(c Category) bool {
	return c == Societal || c == Digital || c == Technology
}

// Horizon is a time horizon (a ring of a radar), e.g. "within 3 years".
type Horizon struct {
	Key  string
	Name Text
}

// DrivingForce is a broad area of change, e.g. demography.
type DrivingForce struct {
	Key         string
	Name        Text
	Description Text
}

// Tension is a field of tension: a dilemma between two legitimate poles.
type Tension struct {
	Key         string
	Name        Text
	PoleA       Text
	PoleB       Text
	Description Text
}

// Source is a dated reference backing a trend. Date is free-form ISO 8601:
// "2024", "2024-05" or "2024-05-17".
type Source struct {
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
	Date  string `json:"date,omitempty"`
}

// Trend is a direction of change with evidence.
type Trend struct {
	Key           string
	Title         Text
	Summary       Text
	Description   Text
	Category      Category
	DrivingForces []string // keys of DrivingForce in the same version
	Horizon       string   // key of a Horizon in the same version, or ""
	Indicators    []Text
	Sources       []Source
	Questions     []Text // discussion questions
	Tags          []string
	IsNew         bool   // radar: new in this edition
	Movement      string // radar status: "", "new", "moved in", "moved out", "no change"
	// Demands says how strongly the trend demands capability areas of the
	// same version, sorted by area key (SortDemands); an area it does not
	// demand is left out.
	Demands []Demand
}

// Demand is how strongly a trend demands one capability area of its
// library version: 1 a little, 2 clearly, 3 strongly. No link (0) is not
// stored.
type Demand struct {
	Area  string `json:"area"`
	Level int    `json:"level"`
}

// SortDemands sorts demands by area key, the order content keeps them in.
func SortDemands(ds []Demand) {
	slices.SortStableFunc(ds, func(a, b Demand) int { return strings.Compare(a.Area, b.Area) })
}

// Demand returns how strongly the trend demands the area: 0 when it does
// not.
func (t *Trend) Demand(area string) int {
	for _, d := range t.Demands {
		if d.Area == area {
			return d.Level
		}
	}
	return 0
}

// DemandLinks returns the demand links the content's trends carry, in the
// form an assessment round keeps (NormalizeDemand).
func (c *Content) DemandLinks() []DemandLink {
	var out []DemandLink
	for _, t := range c.Trends {
		for _, d := range t.Demands {
			out = append(out, DemandLink{TrendKey: t.Key, AreaKey: d.Area, Level: d.Level})
		}
	}
	return NormalizeDemand(out)
}

// CapabilityArea is an area the organisation must be able to act in, with a
// descriptor for each maturity level 1–5 (Levels[0] is level 1).
type CapabilityArea struct {
	Key         string
	Name        Text
	Description Text
	Levels      [5]Text
}

// Trend returns the trend with the given key.
func (c *Content) Trend(key string) (Trend, bool) {
	for _, t := range c.Trends {
		if t.Key == key {
			return t, true
		}
	}
	return Trend{}, false
}

// DrivingForce returns the driving force with the given key.
func (c *Content) DrivingForce(key string) (DrivingForce, bool) {
	for _, f := range c.DrivingForces {
		if f.Key == key {
			return f, true
		}
	}
	return DrivingForce{}, false
}

// HorizonByKey returns the horizon with the given key.
func (c *Content) HorizonByKey(key string) (Horizon, bool) {
	for _, h := range c.Horizons {
		if h.Key == key {
			return h, true
		}
	}
	return Horizon{}, false
}

// Content is the content of a version without its identity: what imports
// produce and exports consume.
type Content struct {
	Name            Text
	Description     Text
	Attribution     Attribution
	Horizons        []Horizon
	DrivingForces   []DrivingForce
	Tensions        []Tension
	Trends          []Trend
	CapabilityAreas []CapabilityArea
}

// DefaultHorizons are the time horizons used when a library names none: the
// scale the rating question uses.
func DefaultHorizons() []Horizon {
	return []Horizon{
		{Key: "now", Name: T("Now", "Nu")},
		{Key: "within-3-years", Name: T("Within 3 years", "Inom 3 år")},
		{Key: "3-10-years", Name: T("3–10 years", "3–10 år")},
		{Key: "beyond-10-years", Name: T("Beyond 10 years", "Bortom 10 år")},
	}
}
