package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Phase is where a workshop is in its run. Phases move forward in order;
// the facilitator may also step back one.
type Phase string

// The phases of a workshop, in order.
const (
	PhaseDraft        Phase = "draft"        // being prepared; nobody can join
	PhaseLobby        Phase = "lobby"        // open for joining
	PhaseRating       Phase = "rating"       // rating trends on the questions
	PhaseTensions     Phase = "tensions"     // placing the fields of tension
	PhaseConsequences Phase = "consequences" // writing and upvoting consequences and ideas
	PhaseVoting       Phase = "voting"       // placing dots on ideas
	PhaseClosed       Phase = "closed"       // finished; nothing more is taken
)

// Phases lists the phases in order.
var Phases = []Phase{PhaseDraft, PhaseLobby, PhaseRating, PhaseTensions, PhaseConsequences, PhaseVoting, PhaseClosed}

// Index returns the phase's position in Phases, or -1.
func (p Phase) Index() int {
	for i, q := range Phases {
		if q == p {
			return i
		}
	}
	return -1
}

// Joinable reports whether participants can join in this phase.
func (p Phase) Joinable() bool { return p != PhaseDraft && p != PhaseClosed }

// WorkshopMode says how a workshop runs.
type WorkshopMode string

const (
	// Live workshops follow the facilitator, phase by phase.
	Live WorkshopMode = "live"
	// Async workshops are open between two dates; every phase's questions
	// can be answered while open.
	Async WorkshopMode = "async"
)

// Question is a rating question asked of every chosen trend. Values run
// from Min to Max; Labels, when given, name each value in order. "Don't
// know" is always allowed and is not a value.
type Question struct {
	Key    string
	Label  Text
	Help   Text
	Min    int
	Max    int
	Labels []Text // len == Max-Min+1, or empty
}

// ValueLabel returns the label of value v, or v as text.
func (q Question) ValueLabel(v int, lang string) string {
	if i := v - q.Min; i >= 0 && i < len(q.Labels) {
		return q.Labels[i].String(lang)
	}
	return fmt.Sprint(v)
}

// Default question keys.
const (
	QImpact    = "impact"
	QDirection = "direction"
	QHorizon   = "horizon"
	QCertainty = "certainty"
	QReadiness = "readiness"
)

// DefaultQuestions are the rating questions a new workshop starts with.
func DefaultQuestions() []Question {
	five := func(low, lowSV, high, highSV string) []Text {
		return []Text{T("1 – "+low, "1 – "+lowSV), T("2", "2"), T("3", "3"), T("4", "4"), T("5 – "+high, "5 – "+highSV)}
	}
	return []Question{
		{Key: QImpact, Label: T("How strongly does this trend affect us?", "Hur starkt påverkar trenden oss?"),
			Help: T("1 is hardly at all, 5 is fundamentally.", "1 är knappt alls, 5 är i grunden."),
			Min:  1, Max: 5, Labels: five("hardly", "knappt", "fundamentally", "i grunden")},
		{Key: QDirection, Label: T("Is it a threat or an opportunity for us?", "Är den ett hot eller en möjlighet för oss?"),
			Min: -2, Max: 2, Labels: []Text{T("Clear threat", "Tydligt hot"), T("Mostly a threat", "Mest ett hot"),
				T("Both", "Både och"), T("Mostly an opportunity", "Mest en möjlighet"), T("Clear opportunity", "Tydlig möjlighet")}},
		{Key: QHorizon, Label: T("When does it bite?", "När får den genomslag?"),
			Min: 0, Max: 3, Labels: []Text{T("Now", "Nu"), T("Within 3 years", "Inom 3 år"), T("In 3–10 years", "Om 3–10 år"), T("Beyond 10 years", "Bortom 10 år")}},
		{Key: QCertainty, Label: T("How certain are we of how it will develop?", "Hur säkra är vi på hur den utvecklas?"),
			Help: T("1 is very uncertain, 5 is very certain.", "1 är mycket osäkert, 5 är mycket säkert."),
			Min:  1, Max: 5, Labels: five("very uncertain", "mycket osäkert", "very certain", "mycket säkert")},
		{Key: QReadiness, Label: T("How ready are we to meet it?", "Hur väl rustade är vi att möta den?"),
			Help: T("1 is not at all, 5 is fully ready.", "1 är inte alls, 5 är helt rustade."),
			Min:  1, Max: 5, Labels: five("not at all", "inte alls", "fully", "helt")},
	}
}

// Group is a participant group, e.g. elected members.
type Group struct {
	Key  string
	Name Text
}

// DefaultGroups are the participant groups a new workshop starts with.
func DefaultGroups() []Group {
	return []Group{
		{Key: "members", Name: T("Elected members", "Förtroendevalda")},
		{Key: "managers", Name: T("Managers", "Chefer")},
		{Key: "staff", Name: T("Staff", "Medarbetare")},
		{Key: "residents", Name: T("Residents", "Invånare")},
		{Key: "partners", Name: T("Partners", "Samverkanspartner")},
	}
}

// Workshop is one assessment session of an organisation over trends of one
// frozen (published) library version.
type Workshop struct {
	ID              string
	OrgID           string
	Title           string
	Purpose         string
	LibraryID       string
	VersionID       string   // a published version: frozen for the workshop's life
	TrendKeys       []string // chosen trends, in order
	Tensions        []string // chosen fields of tension, in order
	Questions       []Question
	Groups          []Group
	Mode            WorkshopMode
	OpensAt         *time.Time // async: when answering opens
	ClosesAt        *time.Time // async: when answering closes
	Language        string     // default language of participants' screens
	Anonymous       bool       // false: participants give a display name
	Dots            int        // dots per participant in the voting phase
	Phase           Phase
	ShowResults     bool   // results shown on participants' screens
	Code            string // join code, unique among open workshops
	QuestionsFrozen bool   // set at the first answer: question rules no longer change
	Revision        int64  // increases with every change participants' screens follow
	CreatedBy       string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Limits on workshops.
const (
	MaxWorkshopTrends = 200
	MaxQuestions      = 12
	MaxGroups         = 20
	MaxDots           = 20
	MaxIdeaLen        = 1000
	MaxDisplayNameLen = 60
	TensionMin        = -100
	TensionMax        = 100
)

// Validate checks a workshop's settings against its library version and
// returns every problem. It normalises white space.
func (w *Workshop) Validate(v *Content) Problems {
	var ps Problems
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	w.Title = strings.TrimSpace(w.Title)
	w.Purpose = strings.TrimSpace(w.Purpose)
	switch {
	case w.Title == "":
		add("title", "is required")
	case utf8.RuneCountInString(w.Title) > MaxNameLen:
		add("title", "is longer than %d characters", MaxNameLen)
	}
	if utf8.RuneCountInString(w.Purpose) > MaxTextLen {
		add("purpose", "is longer than %d characters", MaxTextLen)
	}
	if len(w.TrendKeys) == 0 {
		add("trends", "choose at least one trend")
	}
	if len(w.TrendKeys) > MaxWorkshopTrends {
		add("trends", "has more than %d items", MaxWorkshopTrends)
	}
	seen := map[string]bool{}
	for _, k := range w.TrendKeys {
		if _, ok := v.Trend(k); !ok {
			add("trends", "%q is not a trend of the library version", k)
		} else if seen[k] {
			add("trends", "%q is listed twice", k)
		}
		seen[k] = true
	}
	tensions := map[string]bool{}
	for _, t := range v.Tensions {
		tensions[t.Key] = true
	}
	seen = map[string]bool{}
	for _, k := range w.Tensions {
		if !tensions[k] {
			add("tensions", "%q is not a field of tension of the library version", k)
		} else if seen[k] {
			add("tensions", "%q is listed twice", k)
		}
		seen[k] = true
	}
	if len(w.Questions) == 0 {
		add("questions", "choose at least one question")
	}
	if len(w.Questions) > MaxQuestions {
		add("questions", "has more than %d items", MaxQuestions)
	}
	seen = map[string]bool{}
	for i, q := range w.Questions {
		f := fmt.Sprintf("questions[%d]", i)
		switch {
		case !ValidKey(q.Key):
			add(f+".key", "%q must be lower-case letters, digits and hyphens, at most %d characters", q.Key, MaxKeyLen)
		case seen[q.Key]:
			add(f+".key", "%q is used twice", q.Key)
		}
		seen[q.Key] = true
		if q.Label.IsZero() {
			add(f+".label", "is required in English or Swedish")
		}
		if q.Max <= q.Min || q.Max-q.Min > 10 {
			add(f+".max", "the scale must have 2 to 11 values")
		}
		if len(q.Labels) != 0 && len(q.Labels) != q.Max-q.Min+1 {
			add(f+".labels", "has %d labels for %d values", len(q.Labels), q.Max-q.Min+1)
		}
	}
	if len(w.Groups) == 0 {
		add("groups", "give at least one participant group")
	}
	if len(w.Groups) > MaxGroups {
		add("groups", "has more than %d items", MaxGroups)
	}
	seen = map[string]bool{}
	for i, g := range w.Groups {
		f := fmt.Sprintf("groups[%d]", i)
		if !ValidKey(g.Key) {
			add(f+".key", "%q must be lower-case letters, digits and hyphens, at most %d characters", g.Key, MaxKeyLen)
		} else if seen[g.Key] {
			add(f+".key", "%q is used twice", g.Key)
		}
		seen[g.Key] = true
		if g.Name.IsZero() {
			add(f+".name", "is required in English or Swedish")
		}
	}
	if w.Mode != Live && w.Mode != Async {
		add("mode", "must be live or async")
	}
	if w.Mode == Async {
		if w.OpensAt == nil || w.ClosesAt == nil {
			add("closes_at", "an asynchronous round needs an opening and a closing time")
		} else if !w.ClosesAt.After(*w.OpensAt) {
			add("closes_at", "must be after the opening time")
		}
	}
	if !ValidLanguage(w.Language) {
		add("language", "must be en or sv")
	}
	if w.Dots < 1 || w.Dots > MaxDots {
		add("dots", "must be between 1 and %d", MaxDots)
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// Question returns the workshop's question with the key.
func (w *Workshop) Question(key string) (Question, bool) {
	for _, q := range w.Questions {
		if q.Key == key {
			return q, true
		}
	}
	return Question{}, false
}

// HasTrend reports whether the trend is one the workshop asks about.
func (w *Workshop) HasTrend(key string) bool {
	for _, k := range w.TrendKeys {
		if k == key {
			return true
		}
	}
	return false
}

// HasGroup reports whether the group key is one of the workshop's.
func (w *Workshop) HasGroup(key string) bool {
	for _, g := range w.Groups {
		if g.Key == key {
			return true
		}
	}
	return false
}

// HasTension reports whether the field of tension is one of the workshop's.
func (w *Workshop) HasTension(key string) bool {
	for _, k := range w.Tensions {
		if k == key {
			return true
		}
	}
	return false
}

// Accepts reports whether the workshop takes input of the kind in phase p
// at time now: live workshops take each kind in its own phase; async
// workshops take everything while open between their dates.
func (w *Workshop) Accepts(p Phase, now time.Time) bool {
	if w.Mode == Async {
		return w.Phase != PhaseDraft && w.Phase != PhaseClosed &&
			w.OpensAt != nil && !now.Before(*w.OpensAt) && w.ClosesAt != nil && now.Before(*w.ClosesAt)
	}
	return w.Phase == p
}

// Participant is someone who joined a workshop with its code. Only a hash
// of the token is stored; no email, IP address or user agent is kept.
type Participant struct {
	ID          string
	WorkshopID  string
	TokenHash   string
	Group       string
	DisplayName string // named workshops only
	JoinedAt    time.Time
}

// Answer is one participant's rating of one trend on one question. Value
// nil means "don't know", which is an answer and not a zero.
type Answer struct {
	WorkshopID    string
	ParticipantID string
	TrendKey      string
	QuestionKey   string
	Value         *int
	At            time.Time
}

// ValidateAnswer checks an answer against the workshop: known trend and
// question, value on the question's scale. Problems name the field.
func (w *Workshop) ValidateAnswer(a Answer, where string) Problems {
	var ps Problems
	if !w.HasTrend(a.TrendKey) {
		ps = append(ps, Problem{Where: where, Field: "trend", Message: fmt.Sprintf("%q is not a trend of this workshop", a.TrendKey)})
	}
	q, ok := w.Question(a.QuestionKey)
	if !ok {
		ps = append(ps, Problem{Where: where, Field: "question", Message: fmt.Sprintf("%q is not a question of this workshop", a.QuestionKey)})
	} else if a.Value != nil && (*a.Value < q.Min || *a.Value > q.Max) {
		ps = append(ps, Problem{Where: where, Field: "value", Message: fmt.Sprintf("%d is outside the scale %d to %d", *a.Value, q.Min, q.Max)})
	}
	return ps
}

// TensionPosition is where a participant places the organisation on a
// field of tension: now and where it should be, from −100 (pole A) to 100
// (pole B).
type TensionPosition struct {
	WorkshopID    string
	ParticipantID string
	TensionKey    string
	Now           int
	Want          int
	At            time.Time
}

// Idea is a consequence or idea a participant writes about a trend.
type Idea struct {
	ID            string
	WorkshopID    string
	ParticipantID string
	TrendKey      string
	Text          string
	Hidden        bool // hidden by the facilitator
	CreatedAt     time.Time
	Upvotes       int // filled by listings
	Dots          int // filled by listings
}
