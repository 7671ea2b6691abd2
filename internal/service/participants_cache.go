package service

import (
	"context"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/waymark/waymark/internal/domain"
)

// Answering is the hot path of a live workshop: every request names its
// participant by token. Reading the participant and the workshop from the
// database each time made the token check most of a request's cost, so the
// service keeps them in memory:
//
//   - participants by token hash, for as long as there is room: a
//     participant's workshop and group never change;
//   - running workshops for at most workshopCacheTTL, and dropped at once
//     when this instance changes one (phase, results shown, settings). With
//     several instances on PostgreSQL another instance's change is seen
//     within workshopCacheTTL.
const (
	participantCacheSize = 20_000
	workshopCacheTTL     = time.Second
)

type participantCache struct {
	byToken *lru.Cache[string, *domain.Participant]

	mu        sync.Mutex
	workshops map[string]cachedWorkshop
}

type cachedWorkshop struct {
	w      *domain.Workshop
	loaded time.Time
}

func newParticipantCache() *participantCache {
	c, _ := lru.New[string, *domain.Participant](participantCacheSize)
	return &participantCache{byToken: c, workshops: map[string]cachedWorkshop{}}
}

// participant returns the workshop and participant behind a token hash,
// from memory when it can.
func (s *Service) participant(ctx context.Context, workshopID, tokenHash string) (*domain.Workshop, *domain.Participant, error) {
	c := s.cache
	if p, ok := c.byToken.Get(tokenHash); ok {
		if p.WorkshopID != workshopID {
			return nil, nil, domain.Errorf(domain.ENOTFOUND, "Workshop not found.")
		}
		if w, ok := c.workshop(workshopID, time.Now()); ok {
			return w, p, nil
		}
	}
	w, p, err := s.store.ParticipantByToken(ctx, workshopID, tokenHash)
	if err != nil {
		return nil, nil, err
	}
	c.byToken.Add(tokenHash, p)
	c.putWorkshop(w, time.Now())
	return w, p, nil
}

// workshop returns a cached workshop that is fresh enough.
func (c *participantCache) workshop(id string, now time.Time) (*domain.Workshop, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.workshops[id]
	if !ok || now.Sub(e.loaded) > workshopCacheTTL {
		return nil, false
	}
	return e.w, true
}

func (c *participantCache) putWorkshop(w *domain.Workshop, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.workshops) > 10_000 {
		for id, e := range c.workshops {
			if now.Sub(e.loaded) > workshopCacheTTL {
				delete(c.workshops, id)
			}
		}
	}
	c.workshops[w.ID] = cachedWorkshop{w: w, loaded: now}
}

// forgetWorkshop drops a workshop from the cache after this instance
// changed it, so the next request sees the change.
func (c *participantCache) forgetWorkshop(id string) {
	c.mu.Lock()
	delete(c.workshops, id)
	c.mu.Unlock()
}

// rememberParticipant puts a participant who just joined in the cache.
func (c *participantCache) rememberParticipant(p *domain.Participant) {
	c.byToken.Add(p.TokenHash, p)
}
