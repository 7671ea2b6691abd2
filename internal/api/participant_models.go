package api

import (
	"time"

	"github.com/waymark/waymark/internal/domain"
)

// ParticipantWorkshop is what a participant needs to take part: the
// workshop's questions, trends and fields of tension in both languages,
// from the frozen library version, and where it is in its run.
type ParticipantWorkshop struct {
	ID          string            `json:"id" doc:"The workshop's id: the {id} of the participant operations."`
	Title       string            `json:"title" doc:"The workshop's title."`
	Purpose     string            `json:"purpose" doc:"What the workshop is for."`
	Phase       string            `json:"phase" enum:"draft,lobby,rating,tensions,consequences,voting,closed" doc:"Where the workshop is: ratings are taken in rating, positions in tensions, ideas and upvotes in consequences, dots in voting (async workshops take everything while open)."`
	Mode        string            `json:"mode" enum:"live,async" doc:"live: follow the facilitator phase by phase; async: answer anything between opens_at and closes_at."`
	OpensAt     *time.Time        `json:"opens_at" nullable:"true" doc:"async: when answering opens."`
	ClosesAt    *time.Time        `json:"closes_at" nullable:"true" doc:"async: when answering closes."`
	Language    string            `json:"language" enum:"en,sv" doc:"The workshop's default language; every text is given in both."`
	Anonymous   bool              `json:"anonymous" doc:"true: nobody gives a name; false: participants joined with a display name."`
	ShowResults bool              `json:"show_results" doc:"Whether the facilitator shows the aggregated results (progress events) on participants' screens."`
	Revision    int64             `json:"revision" doc:"The workshop's revision; state events carry it."`
	Groups      []Group           `json:"groups" nullable:"false" doc:"The participant groups to choose from when joining."`
	Questions   []Question        `json:"questions" nullable:"false" doc:"The rating questions asked of every trend. Each may also be answered with null: don't know."`
	Trends      []WorkshopTrend   `json:"trends" nullable:"false" doc:"The trends to rate, in order."`
	Tensions    []WorkshopTension `json:"tensions" nullable:"false" doc:"The fields of tension to place, in order."`
	Dots        int               `json:"dots" doc:"How many dots each participant may place on ideas in the voting phase."`
}

// WorkshopTrend is a trend of a workshop as participants read it.
type WorkshopTrend struct {
	Key     string `json:"key" doc:"The trend's key, used in answers and ideas." example:"ai-working-life"`
	Title   Text   `json:"title" doc:"The trend's title."`
	Summary Text   `json:"summary,omitzero" doc:"One or two sentences about the trend."`
}

// WorkshopTension is a field of tension of a workshop as participants read it.
type WorkshopTension struct {
	Key   string `json:"key" doc:"The field of tension's key: the {key} of PUT …/tensions/{key}." example:"steering-autonomy"`
	Name  Text   `json:"name" doc:"The field of tension's name."`
	PoleA Text   `json:"pole_a" doc:"The pole at −100, e.g. national steering."`
	PoleB Text   `json:"pole_b" doc:"The pole at 100, e.g. local autonomy."`
}

// participantWorkshop builds what participants see of w, with the texts of
// its frozen version v.
func participantWorkshop(w *domain.Workshop, v *domain.Version) ParticipantWorkshop {
	out := ParticipantWorkshop{ID: w.ID, Title: w.Title, Purpose: w.Purpose, Phase: string(w.Phase), Mode: string(w.Mode),
		OpensAt: w.OpensAt, ClosesAt: w.ClosesAt, Language: w.Language, Anonymous: w.Anonymous, ShowResults: w.ShowResults,
		Revision: w.Revision, Groups: groups(w.Groups), Questions: questions(w.Questions),
		Trends: []WorkshopTrend{}, Tensions: []WorkshopTension{}, Dots: w.Dots}
	for _, k := range w.TrendKeys {
		t, _ := v.Trend(k)
		out.Trends = append(out.Trends, WorkshopTrend{Key: k, Title: text(t.Title), Summary: text(t.Summary)})
	}
	for _, k := range w.Tensions {
		for _, t := range v.Tensions {
			if t.Key == k {
				out.Tensions = append(out.Tensions, WorkshopTension{Key: k, Name: text(t.Name), PoleA: text(t.PoleA), PoleB: text(t.PoleB)})
				break
			}
		}
	}
	return out
}

// Idea is a consequence or idea as participants see it: never who wrote it.
type Idea struct {
	ID        string    `json:"id" doc:"The idea's id: the {idea} of the upvote operations and the key of dots."`
	Trend     string    `json:"trend" doc:"The key of the trend it is about."`
	Text      string    `json:"text" doc:"The consequence or idea."`
	Upvotes   int       `json:"upvotes" doc:"How many participants upvoted it."`
	Dots      int       `json:"dots" doc:"How many dots participants placed on it."`
	Mine      bool      `json:"mine" doc:"Whether the token's participant wrote it. Nothing says who wrote the others."`
	CreatedAt time.Time `json:"created_at" doc:"When it was written."`
}

func participantIdea(i domain.Idea, self string) Idea {
	return Idea{ID: i.ID, Trend: i.TrendKey, Text: i.Text, Upvotes: i.Upvotes, Dots: i.Dots, Mine: i.ParticipantID == self,
		CreatedAt: i.CreatedAt}
}
