package service

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/workshop"
)

// Live topics. Participants' screens follow ParticipantTopic; the
// presenter view and the facilitator's page follow PresenterTopic. Nothing
// on the participant topic names or reveals another participant's answers.
func ParticipantTopic(workshopID string) string { return "workshop/" + workshopID }

// PresenterTopic is the topic of the presenter view and the facilitator.
func PresenterTopic(workshopID string) string { return "workshop/" + workshopID + "/presenter" }

// ParticipantStreamSpread spreads the writes of one update over the
// participants' streams (live.SSEOptions.Spread): each phone gets it within
// this time, so that a room of 2,000 does not take the server's processors
// all at the same moment while answers wait.
const ParticipantStreamSpread = 200 * time.Millisecond

// Event types.
const (
	EventState    = "state"    // phase, results shown, revision
	EventProgress = "progress" // joined, answered, distributions
	EventIdeas    = "ideas"    // ideas changed: reload the list
)

// LiveState is the data of a state event: what every screen must follow.
type LiveState struct {
	Phase       domain.Phase `json:"phase"`
	ShowResults bool         `json:"show_results"`
	Revision    int64        `json:"revision"`
}

// StateOf returns the live state of a workshop.
func StateOf(w *domain.Workshop) LiveState {
	return LiveState{Phase: w.Phase, ShowResults: w.ShowResults, Revision: w.Revision}
}

// Progress is the data of a progress event: aggregates only.
type Progress struct {
	Revision int64                     `json:"revision"`
	Joined   map[string]int            `json:"joined"` // group → participants
	Total    int                       `json:"total"`
	Trends   []TrendProgress           `json:"trends"`
	Tensions []workshop.TensionSummary `json:"tensions,omitempty"`
}

// TrendProgress is one trend's answers so far.
type TrendProgress struct {
	Key       string                           `json:"key"`
	Completed int                              `json:"completed"` // participants who answered every question
	ByGroup   map[string]int                   `json:"completed_by_group"`
	Questions map[string]workshop.Distribution `json:"questions"`
}

// liveState holds the in-memory aggregates of running workshops.
type liveState struct {
	mu      sync.Mutex
	tallies map[string]*tallyEntry
}

type tallyEntry struct {
	once  sync.Once
	tally *workshop.Tally
	err   error
}

// tally returns the workshop's tally, building it from the store the first
// time. Applying an answer twice changes nothing, so answers that arrive
// while it is built are counted once.
func (s *Service) tally(ctx context.Context, w *domain.Workshop) (*workshop.Tally, error) {
	s.live.mu.Lock()
	e, ok := s.live.tallies[w.ID]
	if !ok {
		e = &tallyEntry{}
		s.live.tallies[w.ID] = e
	}
	s.live.mu.Unlock()
	e.once.Do(func() { e.tally, e.err = s.loadTally(ctx, w) })
	if e.err != nil {
		s.forgetTally(w.ID)
	}
	return e.tally, e.err
}

func (s *Service) loadTally(ctx context.Context, w *domain.Workshop) (*workshop.Tally, error) {
	t := workshop.NewTally(w)
	groups, err := s.store.ParticipantGroups(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	answers, err := s.store.Answers(ctx, w.OrgID, w.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range answers {
		t.Apply(a, groups[a.ParticipantID])
	}
	positions, err := s.store.TensionPositions(ctx, w.OrgID, w.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range positions {
		t.ApplyTension(p, groups[p.ParticipantID])
	}
	return t, nil
}

// forgetTally drops a workshop's tally and cached copy (after its settings
// change).
func (s *Service) forgetTally(id string) {
	s.cache.forgetWorkshop(id)
	s.live.mu.Lock()
	delete(s.live.tallies, id)
	s.live.mu.Unlock()
}

// publishState tells every screen of the workshop its new state (and
// drops the cached copy, so requests see the state at once).
func (s *Service) publishState(ctx context.Context, w *domain.Workshop) {
	s.cache.forgetWorkshop(w.ID)
	data, _ := json.Marshal(StateOf(w))
	for _, topic := range []string{ParticipantTopic(w.ID), PresenterTopic(w.ID)} {
		if _, err := s.broker.Publish(ctx, topic, EventState, w.Revision, data); err != nil {
			s.log.WarnContext(ctx, "live publish failed", "topic", topic, "err", err)
		}
	}
}

// publishIdeas tells screens that the ideas changed.
func (s *Service) publishIdeas(ctx context.Context, workshopID string) {
	for _, topic := range []string{ParticipantTopic(workshopID), PresenterTopic(workshopID)} {
		if _, err := s.broker.Publish(ctx, topic, EventIdeas, 0, []byte("{}")); err != nil {
			s.log.WarnContext(ctx, "live publish failed", "topic", topic, "err", err)
		}
	}
}

// schedulePresenter publishes the workshop's progress soon: the first
// change after a quiet moment at once, the many answers of a busy moment
// coalesced into one update per presenterCoalescing. When the facilitator
// shows results, participants' screens get the same aggregates (never
// anyone's own answers) at most once per participantCoalescing, rendered
// once for both topics: whichever topic's
// update is due first renders, and the other reuses it unless a later
// change has given it a newer render since.
func (s *Service) schedulePresenter(w *domain.Workshop) {
	var (
		once sync.Once
		rev  int64
		data []byte
		err  error
	)
	render := func(ctx context.Context) (int64, []byte, error) {
		once.Do(func() {
			var cur *domain.Workshop
			if cur, err = s.store.Workshop(ctx, w.OrgID, w.ID); err != nil {
				return
			}
			var p *Progress
			if p, err = s.WorkshopProgress(ctx, cur); err != nil {
				return
			}
			rev = p.Revision
			data, err = json.Marshal(p)
		})
		return rev, data, err
	}
	s.coalescer.Update(PresenterTopic(w.ID), EventProgress, render)
	if w.ShowResults {
		s.coalescer.UpdateEvery(ParticipantTopic(w.ID), EventProgress, participantCoalescing, render)
	}
}

// WorkshopProgress returns the aggregates of a workshop now: who joined,
// how far each trend is, the distribution of every question, the fields of
// tension.
func (s *Service) WorkshopProgress(ctx context.Context, w *domain.Workshop) (*Progress, error) {
	t, err := s.tally(ctx, w)
	if err != nil {
		return nil, err
	}
	joined, err := s.store.ParticipantCounts(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	p := &Progress{Revision: w.Revision, Joined: joined}
	for _, n := range joined {
		p.Total += n
	}
	completed := t.Progress()
	for _, key := range w.TrendKeys {
		tp := TrendProgress{Key: key, Completed: completed.Completed[key], ByGroup: completed.CompletedByGroup[key],
			Questions: map[string]workshop.Distribution{}}
		for _, q := range w.Questions {
			tp.Questions[q.Key] = t.Snapshot(key, q.Key, "")
		}
		p.Trends = append(p.Trends, tp)
	}
	for _, key := range w.Tensions {
		p.Tensions = append(p.Tensions, t.TensionSnapshot(key, ""))
	}
	return p, nil
}
