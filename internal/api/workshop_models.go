package api

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/workshop"
)

// Question is a rating question asked of every trend of a workshop.
type Question struct {
	Key    string `json:"key" doc:"Unique within the workshop; the default questions are impact, direction, horizon, certainty and readiness." example:"impact"`
	Label  Text   `json:"label" doc:"The question as participants read it."`
	Help   Text   `json:"help,omitzero" doc:"A hint on how to answer."`
	Min    int    `json:"min" doc:"The lowest value of the scale." example:"1"`
	Max    int    `json:"max" doc:"The highest value of the scale." example:"5"`
	Labels []Text `json:"labels" nullable:"false" doc:"The names of the values from min to max, in order (one per value), or empty when the values are shown as numbers."`
}

func question(q domain.Question) Question {
	labels := texts(q.Labels)
	if labels == nil {
		labels = []Text{}
	}
	return Question{Key: q.Key, Label: text(q.Label), Help: text(q.Help), Min: q.Min, Max: q.Max, Labels: labels}
}

func questions(qs []domain.Question) []Question {
	out := make([]Question, len(qs))
	for i, q := range qs {
		out[i] = question(q)
	}
	return out
}

// Group is a participant group, such as elected members or staff.
type Group struct {
	Key  string `json:"key" doc:"Unique within the workshop: lower-case letters, digits and hyphens." example:"staff"`
	Name Text   `json:"name" doc:"The group's name."`
}

func groups(gs []domain.Group) []Group {
	out := make([]Group, len(gs))
	for i, g := range gs {
		out[i] = Group{Key: g.Key, Name: text(g.Name)}
	}
	return out
}

// Workshop is a workshop's settings and where it is in its run.
type Workshop struct {
	ID              string     `json:"id" doc:"The workshop's id."`
	Title           string     `json:"title" doc:"The workshop's title." example:"Trends 2035 with the council"`
	Purpose         string     `json:"purpose" doc:"What the workshop is for, as participants read it."`
	LibraryID       string     `json:"library_id" doc:"The library whose version the workshop uses."`
	VersionID       string     `json:"version_id" doc:"The published library version the workshop asks about; it never changes under the workshop."`
	Trends          []string   `json:"trends" nullable:"false" doc:"Keys of the chosen trends of the version, in the order participants see them."`
	Tensions        []string   `json:"tensions" nullable:"false" doc:"Keys of the chosen fields of tension, in order."`
	Questions       []Question `json:"questions" nullable:"false" doc:"The rating questions asked of every trend."`
	Groups          []Group    `json:"groups" nullable:"false" doc:"The participant groups a participant chooses from when joining."`
	Mode            string     `json:"mode" enum:"live,async" doc:"live: participants follow the facilitator phase by phase; async: everything can be answered between opens_at and closes_at."`
	OpensAt         *time.Time `json:"opens_at" nullable:"true" doc:"async: when answering opens; null for live workshops."`
	ClosesAt        *time.Time `json:"closes_at" nullable:"true" doc:"async: when answering closes; null for live workshops."`
	Language        string     `json:"language" enum:"en,sv" doc:"The default language of participants' screens."`
	Anonymous       bool       `json:"anonymous" doc:"true: participants give no name; false: they give a display name when joining."`
	Dots            int        `json:"dots" doc:"How many dots each participant places on ideas in the voting phase." example:"3"`
	Phase           string     `json:"phase" enum:"draft,lobby,rating,tensions,consequences,voting,closed" doc:"Where the workshop is in its run."`
	ShowResults     bool       `json:"show_results" doc:"Whether the aggregated results are shown on participants' screens."`
	Code            string     `json:"code" doc:"The join code participants type (any case; separators are ignored)." example:"ABCDEFGH"`
	CodeDisplay     string     `json:"code_display" doc:"The join code as shown on screen, in two halves." example:"ABCD-EFGH"`
	JoinPath        string     `json:"join_path" doc:"The path of the join page of the web interface; participants open it on the installation's address." example:"/join/ABCDEFGH"`
	QuestionsFrozen bool       `json:"questions_frozen" doc:"true once the first answer is in: the questions can then change only with override_frozen, which is written to the audit log."`
	Revision        int64      `json:"revision" doc:"Increases with every change participants' screens follow; live events carry it."`
	CreatedAt       time.Time  `json:"created_at" doc:"When the workshop was created."`
	UpdatedAt       time.Time  `json:"updated_at" doc:"When its settings or state last changed."`
}

func workshopModel(w *domain.Workshop) Workshop {
	trends, tensions := w.TrendKeys, w.Tensions
	if trends == nil {
		trends = []string{}
	}
	if tensions == nil {
		tensions = []string{}
	}
	return Workshop{
		ID: w.ID, Title: w.Title, Purpose: w.Purpose, LibraryID: w.LibraryID, VersionID: w.VersionID,
		Trends: trends, Tensions: tensions, Questions: questions(w.Questions), Groups: groups(w.Groups),
		Mode: string(w.Mode), OpensAt: w.OpensAt, ClosesAt: w.ClosesAt, Language: w.Language, Anonymous: w.Anonymous,
		Dots: w.Dots, Phase: string(w.Phase), ShowResults: w.ShowResults,
		Code: w.Code, CodeDisplay: workshop.FormatCode(w.Code), JoinPath: "/join/" + w.Code,
		QuestionsFrozen: w.QuestionsFrozen, Revision: w.Revision, CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt,
	}
}

// WorkshopSummary is a workshop as listed.
type WorkshopSummary struct {
	Workshop
	Participants int        `json:"participants" doc:"How many participants have joined."`
	LastAnswerAt *time.Time `json:"last_answer_at" nullable:"true" doc:"When the last answer was given; null before the first."`
}

// WorkshopDetail is a workshop with its progress.
type WorkshopDetail struct {
	Workshop
	Progress Progress `json:"progress" doc:"Who has joined and how far the answers are, in aggregate; the same data as the presenter stream's progress events."`
}

// LiveState is the data of a "state" event: what every screen follows.
type LiveState struct {
	Phase       string `json:"phase" enum:"draft,lobby,rating,tensions,consequences,voting,closed" doc:"The workshop's phase now."`
	ShowResults bool   `json:"show_results" doc:"Whether results are shown on participants' screens."`
	Revision    int64  `json:"revision" doc:"The workshop's revision: ignore a state with a lower revision than one already applied."`
}

// Progress is a workshop's aggregates: who joined, how far each trend is,
// the distribution of every question and the fields of tension. It never
// shows anyone's own answers. The presenter stream's "progress" events
// carry the same object.
type Progress struct {
	Revision int64             `json:"revision" doc:"The workshop's revision the aggregates belong to."`
	Joined   map[string]int    `json:"joined" doc:"Participants by group key."`
	Total    int               `json:"total" doc:"Participants in all."`
	Trends   []TrendProgress   `json:"trends" nullable:"false" doc:"Each chosen trend, in order."`
	Tensions []TensionProgress `json:"tensions,omitempty" doc:"Each chosen field of tension, in order."`
}

// TrendProgress is how far one trend's answers are.
type TrendProgress struct {
	Key       string                  `json:"key" doc:"The trend's key."`
	Completed int                     `json:"completed" doc:"Participants who answered every question of the trend."`
	ByGroup   map[string]int          `json:"completed_by_group" doc:"The same by group key."`
	Questions map[string]Distribution `json:"questions" doc:"The answers to each question, by question key."`
}

// Distribution is the answers to one question about one trend.
type Distribution struct {
	Min      int      `json:"min" doc:"The bottom of the question's scale."`
	Max      int      `json:"max" doc:"The top of the question's scale."`
	Count    int64    `json:"count" doc:"Answers with a value."`
	DontKnow int64    `json:"dont_know" doc:"\"Don't know\" answers, which are not values."`
	Counts   []int64  `json:"counts" nullable:"false" doc:"Answers per value: counts[i] is for the value min+i."`
	Sum      int64    `json:"sum" doc:"The sum of the values."`
	SumSq    int64    `json:"sum_sq" doc:"The sum of the squared values."`
	Mean     *float64 `json:"mean" nullable:"true" doc:"The mean value; null without values."`
	SD       *float64 `json:"sd" nullable:"true" doc:"The standard deviation; null without values."`
	Median   *float64 `json:"median" nullable:"true" doc:"The median; null without values."`
}

// TensionProgress is where participants place one field of tension.
type TensionProgress struct {
	Key       string   `json:"key" doc:"The field of tension's key."`
	Count     int64    `json:"count" doc:"Participants who placed it."`
	SumNow    int64    `json:"sum_now" doc:"The sum of the positions now."`
	SumWant   int64    `json:"sum_want" doc:"The sum of the positions wanted."`
	SumSqNow  int64    `json:"sum_sq_now" doc:"The sum of the squared positions now."`
	SumSqWant int64    `json:"sum_sq_want" doc:"The sum of the squared positions wanted."`
	Now       []int64  `json:"now" nullable:"false" doc:"A histogram of the positions now, from pole A (−100) to pole B (100) in equal bins."`
	Want      []int64  `json:"want" nullable:"false" doc:"A histogram of the positions wanted, in the same bins."`
	MeanNow   *float64 `json:"mean_now" nullable:"true" doc:"The mean position now; null when nobody placed it."`
	MeanWant  *float64 `json:"mean_want" nullable:"true" doc:"The mean position wanted; null when nobody placed it."`
	Gap       *float64 `json:"gap" nullable:"true" doc:"mean_want − mean_now; null when nobody placed it."`
}

// progress converts the service's aggregates. It goes through their JSON,
// which is exactly what the live streams carry, so that the document and
// the streams cannot drift apart (a test checks that nothing is lost).
func progress(p *service.Progress) (Progress, error) {
	var out Progress
	b, err := json.Marshal(p)
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	if err != nil {
		return Progress{}, fmt.Errorf("api: convert progress: %w", err)
	}
	if out.Joined == nil {
		out.Joined = map[string]int{}
	}
	if out.Trends == nil {
		out.Trends = []TrendProgress{}
	}
	return out, nil
}

// ModeratedIdea is an idea as the facilitator sees it, hidden ones too. No
// one, the facilitator included, sees who wrote it.
type ModeratedIdea struct {
	ID        string    `json:"id" doc:"The idea's id."`
	Trend     string    `json:"trend" doc:"The key of the trend it is about."`
	Text      string    `json:"text" doc:"The consequence or idea."`
	Hidden    bool      `json:"hidden" doc:"Hidden by the facilitator: participants no longer see it, and dots on it no longer count."`
	Upvotes   int       `json:"upvotes" doc:"How many participants upvoted it."`
	Dots      int       `json:"dots" doc:"How many dots participants placed on it."`
	CreatedAt time.Time `json:"created_at" doc:"When it was written."`
}

func moderatedIdea(i domain.Idea) ModeratedIdea {
	return ModeratedIdea{ID: i.ID, Trend: i.TrendKey, Text: i.Text, Hidden: i.Hidden, Upvotes: i.Upvotes, Dots: i.Dots, CreatedAt: i.CreatedAt}
}
