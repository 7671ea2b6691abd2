package api

import (
	"fmt"
	"time"

	"github.com/waymark/waymark/internal/domain"
)

// QuestionSettings is a rating question as a facilitator sets it. A question
// that gives only the key of a default question (impact, direction,
// horizon, certainty, readiness) is that default question, with its
// wording in both languages and its scale.
type QuestionSettings struct {
	Key    string `json:"key" maxLength:"64" doc:"Unique within the workshop: lower-case letters, digits and hyphens." example:"impact"`
	Label  *Text  `json:"label,omitempty" doc:"The question as participants read it, in English, Swedish or both. Leave out with min, max and labels to use the default question of the key."`
	Help   *Text  `json:"help,omitempty" doc:"A hint on how to answer."`
	Min    *int   `json:"min,omitempty" doc:"The lowest value of the scale." example:"1"`
	Max    *int   `json:"max,omitempty" doc:"The highest value; the scale has 2 to 11 values." example:"5"`
	Labels []Text `json:"labels,omitempty" maxItems:"11" nullable:"false" doc:"The names of the values from min to max, one per value; leave out to show numbers."`
}

// GroupSettings is a participant group as a facilitator sets it.
type GroupSettings struct {
	Key  string `json:"key,omitempty" maxLength:"64" doc:"Unique within the workshop: lower-case letters, digits and hyphens. Made from the name when left out." example:"staff"`
	Name Text   `json:"name" doc:"The group's name, in English, Swedish or both."`
}

// WorkshopSettings are the settings a facilitator may set. In a creation
// every field left out takes its default; in a change every field left out
// keeps its value.
type WorkshopSettings struct {
	Title     *string            `json:"title,omitempty" doc:"The workshop's title, at most 200 characters; required when creating." example:"Trends 2035 with the council"`
	Purpose   *string            `json:"purpose,omitempty" doc:"What the workshop is for, as participants read it; at most 20,000 characters."`
	VersionID *string            `json:"version_id,omitempty" maxLength:"64" doc:"Required when creating: a published version of one of the organisation's libraries (copy another organisation's public library first). It can change only while the workshop is a draft."`
	Trends    []string           `json:"trends,omitempty" maxItems:"200" nullable:"false" doc:"Keys of the trends to ask about, in order. Default: every trend of the version."`
	Tensions  []string           `json:"tensions,omitempty" maxItems:"200" nullable:"false" doc:"Keys of the fields of tension to place, in order; [] for none. Default: every field of tension of the version."`
	Questions []QuestionSettings `json:"questions,omitempty" maxItems:"12" nullable:"false" doc:"The rating questions. Default: impact, direction, horizon, certainty and readiness."`
	Groups    []GroupSettings    `json:"groups,omitempty" maxItems:"20" nullable:"false" doc:"The participant groups. Default: elected members, managers, staff, residents, partners."`
	Mode      *string            `json:"mode,omitempty" enum:"live,async" doc:"live (default): participants follow the facilitator phase by phase; async: everything can be answered between opens_at and closes_at."`
	OpensAt   *time.Time         `json:"opens_at,omitempty" doc:"async only: when answering opens (RFC 3339)."`
	ClosesAt  *time.Time         `json:"closes_at,omitempty" doc:"async only: when answering closes (RFC 3339)."`
	Language  *string            `json:"language,omitempty" enum:"en,sv" doc:"The default language of participants' screens. Default: en."`
	Anonymous *bool              `json:"anonymous,omitempty" doc:"true (default): participants give no name; false: they give a display name when joining."`
	Dots      *int               `json:"dots,omitempty" doc:"Dots per participant in the voting phase, 1 to 20. Default: 3." example:"3"`
}

// settingsRename maps the service's problem fields to the API's.
var settingsRename = map[string]string{"version": "version_id"}

// apply sets the fields s gives on w.
func (s *WorkshopSettings) apply(w *domain.Workshop) {
	if s.Title != nil {
		w.Title = *s.Title
	}
	if s.Purpose != nil {
		w.Purpose = *s.Purpose
	}
	if s.VersionID != nil {
		w.VersionID = *s.VersionID
	}
	if s.Trends != nil {
		w.TrendKeys = s.Trends
	}
	if s.Tensions != nil {
		w.Tensions = s.Tensions
	}
	if s.Questions != nil {
		w.Questions = make([]domain.Question, len(s.Questions))
		for i, q := range s.Questions {
			w.Questions[i] = q.question()
		}
	}
	if s.Groups != nil {
		w.Groups = groupSettings(s.Groups)
	}
	if s.Mode != nil {
		w.Mode = domain.WorkshopMode(*s.Mode)
	}
	if s.OpensAt != nil {
		t := s.OpensAt.UTC()
		w.OpensAt = &t
	}
	if s.ClosesAt != nil {
		t := s.ClosesAt.UTC()
		w.ClosesAt = &t
	}
	if w.Mode == domain.Live {
		w.OpensAt, w.ClosesAt = nil, nil
	}
	if s.Language != nil {
		w.Language = *s.Language
	}
	if s.Anonymous != nil {
		w.Anonymous = *s.Anonymous
	}
	if s.Dots != nil {
		w.Dots = *s.Dots
	}
}

// question returns the domain question: the default question of the key
// when only the key is given.
func (q QuestionSettings) question() domain.Question {
	if q.Label == nil && q.Help == nil && q.Min == nil && q.Max == nil && q.Labels == nil {
		for _, d := range domain.DefaultQuestions() {
			if d.Key == q.Key {
				return d
			}
		}
	}
	out := domain.Question{Key: q.Key}
	if q.Label != nil {
		out.Label = domain.T(q.Label.EN, q.Label.SV).Trimmed()
	}
	if q.Help != nil {
		out.Help = domain.T(q.Help.EN, q.Help.SV).Trimmed()
	}
	if q.Min != nil {
		out.Min = *q.Min
	}
	if q.Max != nil {
		out.Max = *q.Max
	}
	for _, l := range q.Labels {
		out.Labels = append(out.Labels, domain.T(l.EN, l.SV).Trimmed())
	}
	return out
}

// groupSettings returns the domain groups, making the keys left out from
// the names (the English one, else the Swedish one) as the web form does.
func groupSettings(in []GroupSettings) []domain.Group {
	used := map[string]bool{}
	for _, g := range in {
		used[g.Key] = g.Key != ""
	}
	out := make([]domain.Group, len(in))
	for i, g := range in {
		name := domain.T(g.Name.EN, g.Name.SV).Trimmed()
		key := g.Key
		if key == "" {
			base := domain.Slugify(name.EN)
			if base == "" {
				base = domain.Slugify(name.SV)
			}
			key = base
			for n := 2; key == "" || used[key]; n++ {
				key = fmt.Sprintf("%s-%d", base, n)
				if base == "" {
					key = fmt.Sprintf("group-%d", n-1)
				}
			}
			used[key] = true
		}
		out[i] = domain.Group{Key: key, Name: name}
	}
	return out
}
