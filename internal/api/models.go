package api

import (
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
)

// The API's response models. Each has its own type, with documentation,
// rather than reusing the domain types, so that the OpenAPI document
// describes every field and the domain can change without changing the API.

// Text is a text in English and Swedish.
type Text struct {
	EN string `json:"en,omitempty" doc:"English text." example:"AI changes working life"`
	SV string `json:"sv,omitempty" doc:"Swedish text." example:"AI förändrar arbetslivet"`
}

func text(t domain.Text) Text { return Text{EN: t.EN, SV: t.SV} }

func texts(ts []domain.Text) []Text {
	if ts == nil {
		return nil
	}
	out := make([]Text, len(ts))
	for i, t := range ts {
		out[i] = text(t)
	}
	return out
}

// Attribution credits where a library's content comes from.
type Attribution struct {
	SourceOrganisation string `json:"source_organisation,omitempty" doc:"The organisation whose work the content is based on."`
	URL                string `json:"url,omitempty" doc:"Where the source can be read." format:"uri"`
	Licence            string `json:"licence,omitempty" doc:"The licence of the source, or a note about its use."`
}

func attribution(a domain.Attribution) Attribution {
	return Attribution{SourceOrganisation: a.SourceOrganisation, URL: a.URL, Licence: a.Licence}
}

// Me is who a token acts as.
type Me struct {
	User         MeUser `json:"user" doc:"The user the token belongs to."`
	Organisation MeOrg  `json:"organisation" doc:"The organisation the token acts in; every operation works in it."`
	Role         string `json:"role" enum:"owner,facilitator,analyst,viewer" doc:"The user's role in the organisation now: owners and facilitators may import, edit, publish and copy libraries; analysts and viewers may read."`
}

// MeUser is the token's user.
type MeUser struct {
	ID          string `json:"id" doc:"The user's id."`
	Email       string `json:"email" format:"email" doc:"The user's email address."`
	DisplayName string `json:"display_name" doc:"The user's name as shown to others."`
}

// MeOrg is the token's organisation.
type MeOrg struct {
	ID   string `json:"id" doc:"The organisation's id."`
	Slug string `json:"slug" doc:"The short name in the organisation's web addresses." example:"demo"`
	Name string `json:"name" doc:"The organisation's name." example:"Demo Council"`
}

// VersionSummary describes a version of a library without its content.
type VersionSummary struct {
	ID          string     `json:"id" doc:"The version's id."`
	Number      int        `json:"number" minimum:"1" doc:"The version's number within its library: 1, 2, 3 …"`
	Status      string     `json:"status" enum:"draft,published" doc:"A draft can be edited by the owner organisation; a published version never changes."`
	Note        string     `json:"note" doc:"What changed in this version, as its editor wrote it."`
	Trends      int        `json:"trends" doc:"How many trends the version has."`
	CreatedAt   time.Time  `json:"created_at" doc:"When the version was created."`
	PublishedAt *time.Time `json:"published_at" doc:"When the version was published; null for a draft."`
}

func versionSummary(v *domain.VersionInfo) *VersionSummary {
	if v == nil {
		return nil
	}
	return &VersionSummary{ID: v.ID, Number: v.Number, Status: string(v.Status), Note: v.Note, Trends: v.TrendCount,
		CreatedAt: v.CreatedAt, PublishedAt: v.PublishedAt}
}

// LibrarySummary is a library as listed.
type LibrarySummary struct {
	ID          string          `json:"id" doc:"The library's id."`
	Name        Text            `json:"name" doc:"The library's name."`
	Description Text            `json:"description" doc:"What the library is about."`
	Attribution Attribution     `json:"attribution" doc:"Where the content comes from."`
	Visibility  string          `json:"visibility" enum:"private,public" doc:"Private libraries are seen by their organisation only; public ones by every organisation, which may copy them."`
	Owned       bool            `json:"owned" doc:"True when the token's organisation owns the library and so may edit it."`
	StarterKey  string          `json:"starter_key" doc:"The key of the starter library it was installed from, or empty." example:"public-sector-digital"`
	Version     int             `json:"version" doc:"The number of the version people use: the newest published one, or the newest when none is published."`
	Trends      int             `json:"trends" doc:"How many trends that version has."`
	Latest      VersionSummary  `json:"latest" doc:"The newest version (for other organisations: the newest published one)."`
	Published   *VersionSummary `json:"published" doc:"The newest published version, or null when none is published yet."`
}

// TransformSchema marks "published" as nullable, which huma does not do for
// objects by itself.
func (LibrarySummary) TransformSchema(r huma.Registry, s *huma.Schema) *huma.Schema {
	return nullableObject(s, "published")
}

// TransformSchema marks "published" as nullable; see LibrarySummary.
func (LibraryDetail) TransformSchema(r huma.Registry, s *huma.Schema) *huma.Schema {
	return nullableObject(s, "published")
}

func nullableObject(s *huma.Schema, prop string) *huma.Schema {
	if p := s.Properties[prop]; p != nil && p.Ref != "" {
		s.Properties[prop] = &huma.Schema{
			Description: p.Description,
			AnyOf:       []*huma.Schema{{Ref: p.Ref}, {Type: "null"}},
		}
	}
	return s
}

// librarySummary describes lib as seen by the actor's organisation: other
// organisations see only published versions.
func librarySummary(lib *domain.Library, orgID string) LibrarySummary {
	owned := lib.OrgID == orgID
	latest := lib.Latest
	if !owned {
		latest = lib.Published
	}
	s := LibrarySummary{
		ID: lib.ID, Name: text(lib.Name), Description: text(lib.Description), Attribution: attribution(lib.Attribution),
		Visibility: string(lib.Visibility), Owned: owned, StarterKey: lib.StarterKey,
		Published: versionSummary(lib.Published),
	}
	if latest != nil {
		s.Latest = *versionSummary(latest)
	}
	cur := lib.Published
	if cur == nil {
		cur = latest
	}
	if cur != nil {
		s.Version, s.Trends = cur.Number, cur.TrendCount
	}
	return s
}

// LibraryDetail is one library with its versions.
type LibraryDetail struct {
	LibrarySummary
	Versions []VersionSummary `json:"versions" doc:"The versions the token's organisation may see, newest first."`
}

// Version is one version of a library with its content.
type Version struct {
	VersionSummary
	LibraryID string         `json:"library_id" doc:"The library's id."`
	Content   LibraryContent `json:"content" doc:"The version's content, in the canonical JSON format that export and import use."`
}

// LibraryContent is a library's content in the canonical JSON format
// "waymark.library/v1", the same document GET …/export?format=json returns
// and POST /api/v1/libraries/import accepts. docs/formats.md describes it.
type LibraryContent struct {
	Format          string           `json:"format" enum:"waymark.library/v1" doc:"The format tag: always waymark.library/v1."`
	Name            Text             `json:"name,omitzero" doc:"The library's name."`
	Description     Text             `json:"description,omitzero" doc:"What the library is about."`
	Attribution     Attribution      `json:"attribution,omitzero" doc:"Where the content comes from."`
	Horizons        []Horizon        `json:"horizons,omitempty" doc:"Time horizons (the rings of a radar), nearest first."`
	DrivingForces   []DrivingForce   `json:"driving_forces,omitempty" doc:"Broad areas of change, such as demography or climate."`
	Tensions        []Tension        `json:"fields_of_tension,omitempty" doc:"Dilemmas between two legitimate poles."`
	Trends          []Trend          `json:"trends,omitempty" doc:"Directions of change with evidence, in display order."`
	CapabilityAreas []CapabilityArea `json:"capability_areas,omitempty" doc:"Areas the organisation must be able to act in, with maturity levels 1–5."`
}

// Horizon is a time horizon.
type Horizon struct {
	Key  string `json:"key" doc:"Unique within the library: lower-case letters, digits and hyphens." example:"within-3-years"`
	Name Text   `json:"name,omitzero" doc:"The horizon's name."`
}

// DrivingForce is a broad area of change.
type DrivingForce struct {
	Key         string `json:"key" doc:"Unique within the library." example:"demography"`
	Name        Text   `json:"name,omitzero" doc:"The driving force's name."`
	Description Text   `json:"description,omitzero" doc:"What the force is."`
}

// Tension is a field of tension between two poles.
type Tension struct {
	Key         string `json:"key" doc:"Unique within the library." example:"steering-autonomy"`
	Name        Text   `json:"name,omitzero" doc:"The field of tension's name."`
	PoleA       Text   `json:"pole_a,omitzero" doc:"One pole, e.g. national steering."`
	PoleB       Text   `json:"pole_b,omitzero" doc:"The other pole, e.g. local autonomy."`
	Description Text   `json:"description,omitzero" doc:"What the dilemma is about."`
}

// Trend is a direction of change with evidence.
type Trend struct {
	Key           string   `json:"key" doc:"Unique within the library." example:"ai-working-life"`
	Title         Text     `json:"title,omitzero" doc:"The trend's title."`
	Summary       Text     `json:"summary,omitzero" doc:"One or two sentences."`
	Description   Text     `json:"description,omitzero" doc:"A fuller description."`
	Category      string   `json:"category" enum:"societal,digital,technology" doc:"The trend's category."`
	DrivingForces []string `json:"driving_forces,omitempty" doc:"Keys of the driving forces behind the trend."`
	Horizon       string   `json:"horizon,omitempty" doc:"Key of the time horizon in which the trend is expected to matter."`
	Indicators    []Text   `json:"indicators,omitempty" doc:"Signs that show the trend is happening."`
	Sources       []Source `json:"sources,omitempty" doc:"Dated references that back the trend."`
	Questions     []Text   `json:"questions,omitempty" doc:"Questions for discussion in workshops."`
	Tags          []string `json:"tags,omitempty" doc:"Free tags."`
	IsNew         bool     `json:"is_new,omitempty" doc:"Radar: new in this edition."`
	Status        string   `json:"status,omitempty" doc:"Radar movement: new, moved in, moved out or no change."`
	// Demands is a map so that it is written sorted by area, as the JSON
	// export writes it.
	Demands map[string]int `json:"demands,omitempty" doc:"How strongly the trend demands capability areas of this library, by area key: 1 a little, 2 clearly, 3 strongly. An area the trend does not demand is left out; assessment rounds start with these links." example:"{\"data-sharing-standards\": 3}"`
}

// Source is a dated reference.
type Source struct {
	Title string `json:"title" doc:"The source's title."`
	URL   string `json:"url,omitempty" format:"uri" doc:"Where it can be read."`
	Date  string `json:"date,omitempty" doc:"When it was published: YYYY, YYYY-MM or YYYY-MM-DD." example:"2024-05"`
}

// CapabilityArea is an area the organisation must be able to act in.
type CapabilityArea struct {
	Key         string `json:"key" doc:"Unique within the library." example:"digital-skills"`
	Name        Text   `json:"name,omitzero" doc:"The area's name."`
	Description Text   `json:"description,omitzero" doc:"What the area covers."`
	Levels      []Text `json:"levels" minItems:"5" maxItems:"5" nullable:"false" doc:"What maturity levels 1 to 5 look like, level 1 first."`
}

// libraryContent converts content to the canonical JSON shape; it writes
// exactly what library.Marshal(c, library.FormatJSON) writes.
func libraryContent(c *domain.Content) LibraryContent {
	out := LibraryContent{Format: library.FormatTag, Name: text(c.Name), Description: text(c.Description),
		Attribution: attribution(c.Attribution)}
	for _, h := range c.Horizons {
		out.Horizons = append(out.Horizons, Horizon{Key: h.Key, Name: text(h.Name)})
	}
	for _, f := range c.DrivingForces {
		out.DrivingForces = append(out.DrivingForces, DrivingForce{Key: f.Key, Name: text(f.Name), Description: text(f.Description)})
	}
	for _, t := range c.Tensions {
		out.Tensions = append(out.Tensions, Tension{Key: t.Key, Name: text(t.Name), PoleA: text(t.PoleA), PoleB: text(t.PoleB),
			Description: text(t.Description)})
	}
	for _, t := range c.Trends {
		tr := Trend{Key: t.Key, Title: text(t.Title), Summary: text(t.Summary), Description: text(t.Description),
			Category: string(t.Category), DrivingForces: t.DrivingForces, Horizon: t.Horizon, Indicators: texts(t.Indicators),
			Questions: texts(t.Questions), Tags: t.Tags, IsNew: t.IsNew, Status: t.Movement}
		for _, s := range t.Sources {
			tr.Sources = append(tr.Sources, Source{Title: s.Title, URL: s.URL, Date: s.Date})
		}
		if len(t.Demands) > 0 {
			tr.Demands = make(map[string]int, len(t.Demands))
			for _, d := range t.Demands {
				tr.Demands[d.Area] = d.Level
			}
		}
		out.Trends = append(out.Trends, tr)
	}
	for _, a := range c.CapabilityAreas {
		out.CapabilityAreas = append(out.CapabilityAreas, CapabilityArea{Key: a.Key, Name: text(a.Name),
			Description: text(a.Description), Levels: texts(a.Levels[:])})
	}
	return out
}

func version(v *domain.Version) *Version {
	return &Version{VersionSummary: *versionSummary(&v.VersionInfo), LibraryID: v.LibraryID, Content: libraryContent(&v.Content)}
}
