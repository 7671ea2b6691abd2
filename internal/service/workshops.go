package service

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/waymark/waymark/internal/auth"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/workshop"
)

// Workshop defaults.
const (
	participantTokenPrefix = "wmp_"
	defaultDots            = 3
	codeAttempts           = 10
	presenterCoalescing    = 250 * time.Millisecond
	// participantCoalescing is longer than the presenter's: phones redraw
	// shown results every few seconds at most, and each update is one write
	// per phone, so a room of 2,000 costs half the writes while an answer
	// still reaches every phone within a second.
	participantCoalescing = 500 * time.Millisecond
)

// NewWorkshop returns a workshop with the defaults filled in, for the
// creation form: all trends and fields of tension of the version, the
// default questions and groups, live, three dots.
func NewWorkshop(a domain.Actor, lib *domain.Library, v *domain.Version, lang string) *domain.Workshop {
	w := &domain.Workshop{OrgID: a.OrgID, LibraryID: lib.ID, VersionID: v.ID, Questions: domain.DefaultQuestions(),
		Groups: domain.DefaultGroups(), Mode: domain.Live, Language: lang, Anonymous: true, Dots: defaultDots, Phase: domain.PhaseDraft}
	for _, t := range v.Trends {
		w.TrendKeys = append(w.TrendKeys, t.Key)
	}
	for _, t := range v.Tensions {
		w.Tensions = append(w.Tensions, t.Key)
	}
	if !domain.ValidLanguage(w.Language) {
		w.Language = "en"
	}
	return w
}

// workshopVersion returns the published library version a workshop uses,
// checking that the actor's organisation owns the library: a workshop's
// version must stay, so only own libraries can be used (copy a public one
// first).
func (s *Service) workshopVersion(ctx context.Context, a domain.Actor, versionID string) (*domain.Version, error) {
	v, err := s.Version(ctx, a, versionID)
	if err != nil {
		if domain.IsNotFound(err) {
			return nil, domain.Problems{{Field: "version", Message: "is not a library version of this organisation"}}
		}
		return nil, err
	}
	lib, err := s.store.Library(ctx, a.OrgID, v.LibraryID)
	if err != nil {
		return nil, err
	}
	if lib.OrgID != a.OrgID {
		return nil, domain.Problems{{Field: "version", Message: "belongs to another organisation; copy the library first"}}
	}
	if v.Status != domain.Published {
		return nil, domain.Problems{{Field: "version", Message: "is a draft; publish it first, so that it cannot change under the workshop"}}
	}
	return v, nil
}

// CreateWorkshop checks and stores a new workshop in the draft phase with a
// fresh join code. Only owners and facilitators may.
func (s *Service) CreateWorkshop(ctx context.Context, a domain.Actor, w *domain.Workshop) error {
	if !a.Role.CanEditLibraries() {
		return forbidden("create workshops")
	}
	v, err := s.workshopVersion(ctx, a, w.VersionID)
	if err != nil {
		return err
	}
	w.OrgID, w.LibraryID, w.Phase, w.CreatedBy = a.OrgID, v.LibraryID, domain.PhaseDraft, a.UserID
	if ps := w.Validate(&v.Content); ps != nil {
		return ps
	}
	for i := 0; ; i++ {
		w.Code = workshop.NewCode()
		err := s.store.CreateWorkshop(ctx, w)
		if err == nil {
			break
		}
		if domain.ErrorCode(err) != domain.ECONFLICT || i == codeAttempts {
			return err
		}
	}
	s.audit(ctx, a, "workshop.create", "workshop", w.ID, w.Title)
	return nil
}

// UpdateWorkshop checks and saves a workshop's settings. Once the first
// answer is in, the questions are frozen: changing them then needs
// override, which is written to the audit log.
func (s *Service) UpdateWorkshop(ctx context.Context, a domain.Actor, w *domain.Workshop, override bool) error {
	if !a.Role.CanEditLibraries() {
		return forbidden("edit workshops")
	}
	old, err := s.store.Workshop(ctx, a.OrgID, w.ID)
	if err != nil {
		return err
	}
	if w.VersionID != old.VersionID && old.Phase != domain.PhaseDraft {
		return domain.Problems{{Field: "version", Message: "cannot change once the workshop has opened"}}
	}
	v, err := s.workshopVersion(ctx, a, w.VersionID)
	if err != nil {
		return err
	}
	w.OrgID, w.LibraryID = a.OrgID, v.LibraryID
	if ps := w.Validate(&v.Content); ps != nil {
		return ps
	}
	if err := s.store.UpdateWorkshop(ctx, w, override); err != nil {
		if domain.ErrorCode(err) == domain.ECONFLICT && !override {
			return domain.Errorf(domain.ECONFLICT, "The questions are frozen because answers have been given. Changing them needs the override, which is written to the audit log.")
		}
		return err
	}
	if override && old.QuestionsFrozen {
		s.audit(ctx, a, "workshop.questions_override", "workshop", w.ID, "questions changed after the first answer")
	}
	s.audit(ctx, a, "workshop.update", "workshop", w.ID, w.Title)
	s.forgetTally(w.ID)
	s.publishState(ctx, w)
	return nil
}

// DuplicateWorkshop copies a workshop's settings into a new draft workshop
// with its own code; nothing participants gave is copied.
func (s *Service) DuplicateWorkshop(ctx context.Context, a domain.Actor, id, titleSuffix string) (*domain.Workshop, error) {
	old, err := s.Workshop(ctx, a, id)
	if err != nil {
		return nil, err
	}
	w := *old
	w.ID, w.Code, w.QuestionsFrozen, w.ShowResults = "", "", false, false
	w.Title = strings.TrimSpace(old.Title + " " + titleSuffix)
	if utf8.RuneCountInString(w.Title) > domain.MaxNameLen {
		w.Title = old.Title
	}
	if err := s.CreateWorkshop(ctx, a, &w); err != nil {
		return nil, err
	}
	return &w, nil
}

// Workshop returns one of the actor's organisation's workshops.
func (s *Service) Workshop(ctx context.Context, a domain.Actor, id string) (*domain.Workshop, error) {
	return s.store.Workshop(ctx, a.OrgID, id)
}

// Workshops lists the actor's organisation's workshops.
func (s *Service) Workshops(ctx context.Context, a domain.Actor) ([]domain.WorkshopSummary, error) {
	return s.store.Workshops(ctx, a.OrgID)
}

// DeleteWorkshop deletes a workshop and everything given in it. Only
// owners may.
func (s *Service) DeleteWorkshop(ctx context.Context, a domain.Actor, id string) error {
	if a.Role != domain.Owner {
		return forbidden("delete workshops")
	}
	if err := s.store.DeleteWorkshop(ctx, a.OrgID, id); err != nil {
		return err
	}
	s.forgetTally(id)
	s.audit(ctx, a, "workshop.delete", "workshop", id, "")
	return nil
}

// SetPhase moves a workshop to another phase: forward to any later phase
// (phases without content, such as tensions when none are chosen, can be
// skipped), or back one phase. The move is atomic: if someone else moved
// the workshop meanwhile, it returns ECONFLICT. Every participant's screen
// follows through the live stream.
func (s *Service) SetPhase(ctx context.Context, a domain.Actor, id string, to domain.Phase) (*domain.Workshop, error) {
	if !a.Role.CanEditLibraries() {
		return nil, forbidden("run workshops")
	}
	w, err := s.store.Workshop(ctx, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	from, target := w.Phase.Index(), to.Index()
	if target < 0 {
		return nil, invalid("phase", "is not a phase")
	}
	if target == from {
		return w, nil
	}
	if target < from-1 || (target < from && w.Phase == domain.PhaseClosed && to == domain.PhaseDraft) {
		return nil, domain.Errorf(domain.ECONFLICT, "A workshop can only go back one phase.")
	}
	if to == domain.PhaseDraft && from > domain.PhaseLobby.Index() {
		return nil, domain.Errorf(domain.ECONFLICT, "A workshop that has started cannot go back to draft.")
	}
	w, err = s.store.SetWorkshopState(ctx, a.OrgID, id, w.Phase, to, w.ShowResults)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, a, "workshop.phase", "workshop", id, string(to))
	s.publishState(ctx, w)
	return w, nil
}

// SetShowResults reveals or hides the results on participants' screens.
func (s *Service) SetShowResults(ctx context.Context, a domain.Actor, id string, show bool) (*domain.Workshop, error) {
	if !a.Role.CanEditLibraries() {
		return nil, forbidden("run workshops")
	}
	w, err := s.store.Workshop(ctx, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	if w.ShowResults == show {
		return w, nil
	}
	w, err = s.store.SetWorkshopState(ctx, a.OrgID, id, w.Phase, w.Phase, show)
	if err != nil {
		return nil, err
	}
	s.publishState(ctx, w)
	s.schedulePresenter(w)
	return w, nil
}

// HideIdea hides (or shows again) an abusive idea.
func (s *Service) HideIdea(ctx context.Context, a domain.Actor, workshopID, ideaID string, hidden bool) error {
	if !a.Role.CanEditLibraries() {
		return forbidden("moderate ideas")
	}
	if err := s.store.SetIdeaHidden(ctx, a.OrgID, workshopID, ideaID, hidden); err != nil {
		return err
	}
	action := "idea.hide"
	if !hidden {
		action = "idea.show"
	}
	s.audit(ctx, a, action, "idea", ideaID, "")
	s.publishIdeas(ctx, workshopID)
	return nil
}

// Join adds a participant to the workshop with the code and returns the
// participant's secret token (shown once, kept in the browser). Unknown
// codes give ENOTFOUND; a workshop that is not open gives ECONFLICT.
func (s *Service) Join(ctx context.Context, code, group, displayName string) (string, *domain.Workshop, *domain.Participant, error) {
	norm, ok := workshop.NormalizeCode(code)
	if !ok {
		return "", nil, nil, domain.Errorf(domain.ENOTFOUND, "There is no open workshop with that code. Check the code and try again.")
	}
	w, err := s.store.WorkshopByCode(ctx, norm)
	if domain.IsNotFound(err) {
		return "", nil, nil, domain.Errorf(domain.ENOTFOUND, "There is no open workshop with that code. Check the code and try again.")
	} else if err != nil {
		return "", nil, nil, err
	}
	if !w.Phase.Joinable() {
		return "", nil, nil, domain.Errorf(domain.ECONFLICT, "This workshop is not open for joining.")
	}
	var ps domain.Problems
	if !w.HasGroup(group) {
		ps = append(ps, domain.Problem{Field: "group", Message: "choose your group"})
	}
	displayName = strings.TrimSpace(displayName)
	if w.Anonymous {
		displayName = ""
	} else if displayName == "" {
		ps = append(ps, domain.Problem{Field: "display_name", Message: "is required in this workshop"})
	} else if utf8.RuneCountInString(displayName) > domain.MaxDisplayNameLen {
		ps = append(ps, domain.Problem{Field: "display_name", Message: fmt.Sprintf("is longer than %d characters", domain.MaxDisplayNameLen)})
	}
	if len(ps) > 0 {
		return "", w, nil, ps
	}
	secret, hash := workshop.NewToken()
	p := &domain.Participant{WorkshopID: w.ID, TokenHash: hash, Group: group, DisplayName: displayName}
	if err := s.store.AddParticipant(ctx, p); err != nil {
		return "", nil, nil, err
	}
	s.cache.rememberParticipant(p)
	s.schedulePresenter(w)
	return secret, w, p, nil
}

// Participant returns the workshop and participant behind a participant
// token. A token of another workshop gives ENOTFOUND.
func (s *Service) Participant(ctx context.Context, workshopID, secret string) (*domain.Workshop, *domain.Participant, error) {
	if !strings.HasPrefix(secret, participantTokenPrefix) {
		return nil, nil, domain.Errorf(domain.ENOTFOUND, "Workshop not found.")
	}
	return s.participant(ctx, workshopID, auth.HashSecret(secret))
}

// AnswerInput is one answer as a participant sends it.
type AnswerInput struct {
	Trend    string `json:"trend"`
	Question string `json:"question"`
	Value    *int   `json:"value"` // null for "don't know"
}

// MaxAnswerBatch is the most answers one request may carry.
const MaxAnswerBatch = 1000

// SubmitAnswers checks a participant's batch of answers and stores it
// durably: it returns only when every answer is committed. Every problem is
// reported with the answer's index; answering when the workshop does not
// take answers gives ECONFLICT. Nothing is stored unless the whole batch is
// valid.
func (s *Service) SubmitAnswers(ctx context.Context, w *domain.Workshop, p *domain.Participant, in []AnswerInput) error {
	if len(in) == 0 {
		return invalid("answers", "give at least one answer")
	}
	if len(in) > MaxAnswerBatch {
		return invalid("answers", fmt.Sprintf("has more than %d items", MaxAnswerBatch))
	}
	now := s.now()
	answers := make([]domain.Answer, len(in))
	var ps domain.Problems
	for i, a := range in {
		answers[i] = domain.Answer{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: a.Trend, QuestionKey: a.Question, Value: a.Value, At: now}
		ps = append(ps, w.ValidateAnswer(answers[i], fmt.Sprintf("answers[%d]", i))...)
	}
	if len(ps) > 0 {
		return ps
	}
	if !w.Accepts(domain.PhaseRating, now) {
		return domain.Errorf(domain.ECONFLICT, "The workshop is not taking ratings now.")
	}
	if err := s.answers.Submit(ctx, answers); err != nil {
		return err
	}
	if t, err := s.tally(ctx, w); err == nil {
		for _, a := range answers {
			t.Apply(a, p.Group)
		}
	}
	s.schedulePresenter(w)
	return nil
}

// SaveTension stores where a participant places a field of tension.
func (s *Service) SaveTension(ctx context.Context, w *domain.Workshop, p *domain.Participant, key string, now, want int) error {
	var ps domain.Problems
	if !w.HasTension(key) {
		ps = append(ps, domain.Problem{Field: "tension", Message: fmt.Sprintf("%q is not a field of tension of this workshop", key)})
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"now", now}, {"want", want}} {
		if f.v < domain.TensionMin || f.v > domain.TensionMax {
			ps = append(ps, domain.Problem{Field: f.name, Message: fmt.Sprintf("%d is outside the scale %d to %d", f.v, domain.TensionMin, domain.TensionMax)})
		}
	}
	if len(ps) > 0 {
		return ps
	}
	if !w.Accepts(domain.PhaseTensions, s.now()) {
		return domain.Errorf(domain.ECONFLICT, "The workshop is not taking positions on the fields of tension now.")
	}
	pos := domain.TensionPosition{WorkshopID: w.ID, ParticipantID: p.ID, TensionKey: key, Now: now, Want: want, At: s.now()}
	if err := s.store.SaveTensionPosition(ctx, pos); err != nil {
		return err
	}
	if t, err := s.tally(ctx, w); err == nil {
		t.ApplyTension(pos, p.Group)
	}
	s.schedulePresenter(w)
	return nil
}

// AddIdea stores a participant's consequence or idea about a trend.
func (s *Service) AddIdea(ctx context.Context, w *domain.Workshop, p *domain.Participant, trendKey, text string) (*domain.Idea, error) {
	text = strings.TrimSpace(text)
	var ps domain.Problems
	if !w.HasTrend(trendKey) {
		ps = append(ps, domain.Problem{Field: "trend", Message: fmt.Sprintf("%q is not a trend of this workshop", trendKey)})
	}
	switch {
	case text == "":
		ps = append(ps, domain.Problem{Field: "text", Message: "is required"})
	case utf8.RuneCountInString(text) > domain.MaxIdeaLen:
		ps = append(ps, domain.Problem{Field: "text", Message: fmt.Sprintf("is longer than %d characters", domain.MaxIdeaLen)})
	}
	if len(ps) > 0 {
		return nil, ps
	}
	if !w.Accepts(domain.PhaseConsequences, s.now()) {
		return nil, domain.Errorf(domain.ECONFLICT, "The workshop is not taking ideas now.")
	}
	idea := &domain.Idea{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: trendKey, Text: text}
	if err := s.store.AddIdea(ctx, idea); err != nil {
		return nil, err
	}
	s.publishIdeas(ctx, w.ID)
	return idea, nil
}

// Upvote adds or takes back a participant's one upvote on an idea.
func (s *Service) Upvote(ctx context.Context, w *domain.Workshop, p *domain.Participant, ideaID string, on bool) error {
	if !w.Accepts(domain.PhaseConsequences, s.now()) {
		return domain.Errorf(domain.ECONFLICT, "The workshop is not taking upvotes now.")
	}
	if err := s.store.SetUpvote(ctx, w.ID, ideaID, p.ID, on); err != nil {
		return err
	}
	s.publishIdeas(ctx, w.ID)
	return nil
}

// SetDots replaces a participant's dots on ideas; at most the workshop's
// number of dots in all.
func (s *Service) SetDots(ctx context.Context, w *domain.Workshop, p *domain.Participant, dots map[string]int) error {
	total := 0
	for id, n := range dots {
		if n < 0 {
			return domain.Problems{{Field: "dots", Where: id, Message: "cannot be negative"}}
		}
		if n == 0 {
			delete(dots, id)
		}
		total += n
	}
	if total > w.Dots {
		return domain.Problems{{Field: "dots", Message: fmt.Sprintf("you have %d dots; you placed %d", w.Dots, total)}}
	}
	if !w.Accepts(domain.PhaseVoting, s.now()) {
		return domain.Errorf(domain.ECONFLICT, "The workshop is not taking votes now.")
	}
	if err := s.store.SetDots(ctx, w.ID, p.ID, dots, w.Dots); err != nil {
		return err
	}
	s.publishIdeas(ctx, w.ID)
	return nil
}

// ParticipantState is what a participant has given so far, to resume on
// the same device.
type ParticipantState struct {
	Answers  []domain.Answer
	Tensions []domain.TensionPosition
	Upvotes  []string
	Dots     map[string]int
}

// State returns what the participant has given so far.
func (s *Service) State(ctx context.Context, w *domain.Workshop, p *domain.Participant) (*ParticipantState, error) {
	var st ParticipantState
	var err error
	if st.Answers, err = s.store.ParticipantAnswers(ctx, w.ID, p.ID); err != nil {
		return nil, err
	}
	if st.Tensions, err = s.store.ParticipantTensions(ctx, w.ID, p.ID); err != nil {
		return nil, err
	}
	if st.Upvotes, err = s.store.ParticipantUpvotes(ctx, w.ID, p.ID); err != nil {
		return nil, err
	}
	if st.Dots, err = s.store.ParticipantDots(ctx, w.ID, p.ID); err != nil {
		return nil, err
	}
	return &st, nil
}

// VisibleIdeas lists the ideas participants may see: not hidden.
func (s *Service) VisibleIdeas(ctx context.Context, workshopID string) ([]domain.Idea, error) {
	ideas, err := s.store.Ideas(ctx, workshopID)
	if err != nil {
		return nil, err
	}
	out := ideas[:0]
	for _, i := range ideas {
		if !i.Hidden {
			out = append(out, i)
		}
	}
	return out, nil
}

// AllIdeas lists every idea of an organisation's workshop, hidden ones too,
// for the facilitator.
func (s *Service) AllIdeas(ctx context.Context, a domain.Actor, workshopID string) ([]domain.Idea, error) {
	if _, err := s.store.Workshop(ctx, a.OrgID, workshopID); err != nil {
		return nil, err
	}
	return s.store.Ideas(ctx, workshopID)
}
